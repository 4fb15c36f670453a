"""Official results of an assessment: KemenPANRB's final levels by hand or from a file; the official index."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spbe.method.yoy import compare
from spbe.services import official as service
from spbe.services.assessments import Refused, rubric_of
from spbe.services.permissions import Action, can
from spbe.store import queries
from spbe.store.models import Instansi
from spbe.web.deps import DbDep, UserDep, assessment_for, unit_of_work
from spbe.web.instansi_access import LevelsUpload, levels_upload, posted, read_upload
from spbe.web.results_format import helpers
from spbe.web.templating import is_htmx, render
from spbe.web.workspace import AssessmentId, go_to, message

router = APIRouter(prefix="/assessments/{assessment_id}/official", include_in_schema=False)
TEMPLATE = "compare/official.html"


def _page(
    request: Request,
    db: DbDep,
    user: UserDep,
    assessment_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    problems: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    saved: int | None = None,
) -> Response:
    """The page (htmx: its `official` block): every self-assessed and official level, and both indices."""
    assessment, role = assessment_for(db, user, assessment_id)
    rubric = rubric_of(assessment)
    mine, official = queries.assessment_values(db, assessment), service.official_values(db, assessment)
    ctx = {
        "a": assessment,
        "instansi": db.get(Instansi, assessment.instansi_id),
        "rubric": rubric,
        "self_values": mine,
        "official": official,
        "groups": compare(rubric, mine, official).groups,
        "manages": can(role, Action.MANAGE_ASSESSMENT),
        "error": error,
        "problems": problems or {},
        "form": form or {},
        "saved": saved,
        **helpers(request),
    }
    block = "official" if is_htmx(request) else None
    return render(request, TEMPLATE, ctx, block=block, status_code=status)


def _refused(
    request: Request,
    db: DbDep,
    user: UserDep,
    assessment_id: int,
    refusal: Refused,
    form: dict[str, str] | None = None,
) -> Response:
    """Nothing was saved: the page again with the reason and, for posted levels, each bad one marked."""
    db.rollback()
    problems = getattr(refusal, "problems", None)
    return _page(
        request,
        db,
        user,
        assessment_id,
        status=refusal.status,
        error=message(request, refusal),
        problems=problems,
        form=form,
    )


@router.get("")
@unit_of_work
def show(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    return _page(request, db, user, assessment_id)


@router.post("")
@unit_of_work
def save(
    request: Request,
    db: DbDep,
    user: UserDep,
    assessment_id: AssessmentId,
    fields: Annotated[dict[str, str], Depends(posted)],
) -> Response:
    """Save every posted official level at once (empty clears one); one bad level saves none."""
    assessment, role = assessment_for(db, user, assessment_id)
    try:
        service.may_enter(role)
        changed = service.save(db, assessment, role, user, service.parse_form(rubric_of(assessment), fields))
    except Refused as refusal:
        return _refused(request, db, user, assessment_id, refusal, form=fields)
    if not is_htmx(request):
        return go_to(request, f"/assessments/{assessment_id}/official")
    return _page(request, db, user, assessment_id, saved=changed)


@router.post("/import")
@unit_of_work
def import_file(
    request: Request,
    db: DbDep,
    user: UserDep,
    assessment_id: AssessmentId,
    upload: Annotated[LevelsUpload, Depends(levels_upload)],
) -> Response:
    """Set the official levels a CSV/XLSX file lists ('indikator,level'); a bad row imports nothing."""
    assessment, role = assessment_for(db, user, assessment_id)
    try:
        service.may_enter(role)
        data, filename = read_upload(upload.file)
        changed = service.import_file(db, assessment, rubric_of(assessment), role, user, data, filename)
    except Refused as refusal:
        return _refused(request, db, user, assessment_id, refusal)
    if not is_htmx(request):
        return go_to(request, f"/assessments/{assessment_id}/official")
    return _page(request, db, user, assessment_id, saved=changed)
