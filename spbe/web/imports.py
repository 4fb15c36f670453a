"""Import a past year from a CSV/XLSX levels file into a new assessment (koordinator); all or nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spbe.method.rubric import DEFAULT_RUBRIC_ID, available_rubrics
from spbe.services.assessments import Refused, overviews
from spbe.services.imports import import_year
from spbe.services.official import may_enter
from spbe.services.permissions import Action, can
from spbe.store.models import User, utcnow
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.instansi_access import LevelsUpload, instansi_for, levels_upload, read_upload
from spbe.web.templating import is_htmx, render
from spbe.web.workspace import go_to, message

router = APIRouter(prefix="/instansi/{code}/import", include_in_schema=False)


def _page(
    request: Request,
    db: DbDep,
    user: User,
    code: str,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    instansi, role = instansi_for(db, user, code)
    taken = [o.assessment.year for o in overviews(db, instansi.id)]
    ctx = {
        "instansi": instansi,
        "years": taken,
        "rubrics": available_rubrics(),
        "manages": can(role, Action.MANAGE_ASSESSMENT),
        "error": error,
        "form": form or {"rubric_id": DEFAULT_RUBRIC_ID, "year": str(min(taken, default=utcnow().year) - 1)},
    }
    return render(
        request, "compare/import.html", ctx, block="import" if is_htmx(request) else None, status_code=status
    )


@router.get("")
@unit_of_work
def show(request: Request, db: DbDep, user: UserDep, code: str) -> Response:
    return _page(request, db, user, code)


@router.post("")
@unit_of_work
def import_past_year(
    request: Request,
    db: DbDep,
    user: UserDep,
    code: str,
    upload: Annotated[LevelsUpload, Depends(levels_upload)],
) -> Response:
    """Create the year's assessment from the file, then open its comparison; a refusal writes nothing."""
    instansi, role = instansi_for(db, user, code)
    year, rubric_id = upload.get("year"), upload.get("rubric_id", DEFAULT_RUBRIC_ID)
    official = upload.get("official")
    try:
        may_enter(role)
        data, filename = read_upload(upload.file)
        assessment, _ = import_year(
            db, instansi, role, year, rubric_id, data, filename, official=bool(official), user=user
        )
    except Refused as refusal:
        db.rollback()
        form = {"year": year[:10], "rubric_id": rubric_id[:64], "official": official[:10]}
        return _page(
            request, db, user, code, status=refusal.status, error=message(request, refusal), form=form
        )
    return go_to(request, f"/assessments/{assessment.id}/compare")
