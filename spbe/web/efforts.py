"""The efforts editor: the advisor's effort per indicator and level (default 1), saved with the assessment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spbe.services import efforts as effort_service
from spbe.services.assessments import Refused
from spbe.web import csrf
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.instansi_access import text_fields
from spbe.web.sandbox import Sandbox
from spbe.web.templating import is_htmx, render
from spbe.web.whatif_format import helpers
from spbe.web.workspace import AssessmentId, message

router = APIRouter(prefix="/efforts")
TEMPLATE = "whatif/efforts.html"


def _page(request: Request, sb: Sandbox, *, posted: dict[str, str] | None = None, error: str | None = None,
          saved: bool = False, status: int = 200) -> Response:
    rubric = sb.rubric
    ctx = {"sb": sb, "a": sb.assessment, "rubric": rubric, "posted": posted or {}, "error": error,
           "saved": saved, "levels": range(rubric.meta.values.min + 1, rubric.meta.values.max + 1),
           "field": effort_service.field_name, **helpers(request)}
    return render(request, TEMPLATE, ctx, block="efforts" if is_htmx(request) else None, status_code=status)


@router.get("")
@unit_of_work
def show(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    return _page(request, Sandbox.load(db, user, assessment_id))


async def posted_efforts(request: Request) -> dict[str, str]:
    """The posted text fields ('I07:3' -> '2,5'), without the CSRF token."""
    return {k: v for k, v in await text_fields(request) if k != csrf.FIELD}


@router.post("")
@unit_of_work
def save(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId,
         posted: Annotated[dict[str, str], Depends(posted_efforts)]) -> Response:
    """Store every posted effort, or none of them when one is bad (the form keeps what was typed)."""
    sb = Sandbox.load(db, user, assessment_id)
    try:
        effort_service.save(db, sb.assessment, sb.rubric, sb.role, posted)
    except Refused as refusal:
        db.rollback()
        return _page(request, sb, posted=posted, error=message(request, refusal), status=refusal.status)
    return _page(request, sb, saved=True)
