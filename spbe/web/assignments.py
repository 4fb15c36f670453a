"""Who holds what: the assignment overview per person and per OPD; assigning several indicators at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from spbe.services import assignments as service
from spbe.services.answers import assignees
from spbe.services.assessments import Refused
from spbe.store.models import User
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.instansi_access import text_fields
from spbe.web.templating import render
from spbe.web.workspace import AssessmentId, Workspace, message

router = APIRouter(prefix="/assessments/{assessment_id}/assignments", include_in_schema=False)


def _page(request: Request, db: Session, user: User, assessment_id: int, *, status: int = 200,
          error: str | None = None, notice: str | None = None) -> Response:
    ws = Workspace.load(db, user, assessment_id)
    ctx = {"ws": ws, "a": ws.assessment, "overview": service.overview(db, ws.assessment, ws.rubric),
           "members": assignees(db, ws.assessment.instansi_id), "error": error, "notice": notice}
    return render(request, "assessments/assignments.html", ctx, status_code=status)


@router.get("")
@unit_of_work
def show(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    return _page(request, db, user, assessment_id)


@router.post("")
@unit_of_work
def assign(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId,
    fields: Annotated[list[tuple[str, str]], Depends(text_fields)],
) -> Response:
    """Give the ticked indicators to one member (koordinator); all or nothing, each change audited."""
    chosen = [v for k, v in fields if k == "indicator"]
    assignee = next((v for k, v in fields if k == "assignee"), "")
    ws = Workspace.load(db, user, assessment_id)
    try:
        count = service.assign(db, ws.assessment, ws.rubric, ws.role, user, chosen, assignee)
    except Refused as refusal:
        db.rollback()
        return _page(request, db, user, assessment_id, status=refusal.status, error=message(request, refusal))
    done = message(request, Refused("assign.done", count=count))
    return _page(request, db, user, assessment_id, notice=done)
