"""The start page: instansi and their assessments; create a year (empty or carried over), submit, reopen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from spbe.method.rubric import available_rubrics, get_rubric
from spbe.services import assessments as service
from spbe.services import assignments, bridge_start
from spbe.services import butir as butir_service
from spbe.services.permissions import Action, can
from spbe.store.models import Assessment, Instansi, User
from spbe.web import assignments as assignment_pages
from spbe.web import history, questionnaire
from spbe.web.deps import DbDep, UserDep, assessment_for, role_in, unit_of_work
from spbe.web.templating import is_htmx, render
from spbe.web.workspace import AssessmentId, go_to, message

router = APIRouter(include_in_schema=False)
router.include_router(questionnaire.router)
router.include_router(history.router)
router.include_router(assignment_pages.router)


def _home(
    request: Request, db: DbDep, user: User, *, status: int = 200, form: dict[str, str] | None = None
) -> Response:
    groups = [
        (instansi, role, service.overviews(db, instansi.id))
        for instansi, role in service.memberships(db, user)
    ]
    ctx = {
        "groups": groups,
        "rubrics": available_rubrics(),
        "rubric_title": lambda rubric_id: get_rubric(rubric_id).meta.short_title,
        "form": form or {},
        "can": can,
        "Action": Action,
        "default_year": service.default_year,
        "bridge_offer": bridge_start.offer,
        "my_work": lambda assessment: _my_work(db, assessment, user),
        "has_butir": butir_service.has_butir,
        "bridge_year": bridge_start.target_year,
        "mine": lambda o: assignments.mine(db, o.assessment, o.rubric, user),
    }
    block = "home" if is_htmx(request) else None
    return render(request, "assessments/home.html", ctx, block=block, status_code=status)


def _my_work(db: DbDep, assessment: Assessment, user: User) -> list[butir_service.WorkItem]:
    """The butir assigned to this member still to do in an assessment (none for instruments without butir)."""
    rubric = service.rubric_of(assessment)
    if not butir_service.has_butir(rubric):
        return []
    return [i for i in butir_service.work_list(db, assessment, rubric) if i.assignee_id == user.id]


@router.api_route("/", methods=["GET", "HEAD"])
@unit_of_work
def home(request: Request, db: DbDep, user: UserDep) -> Response:
    return _home(request, db, user)


@router.post("/assessments")
@unit_of_work
def create_assessment(
    request: Request,
    db: DbDep,
    user: UserDep,
    instansi_id: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
    rubric_id: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "blank",
) -> Response:
    key = service.whole_number(instansi_id)
    instansi = db.get(Instansi, key) if key is not None else None
    role = role_in(db, user, instansi.id) if instansi else None
    if instansi is None or role is None:
        raise HTTPException(status_code=404, detail="error.not_found")
    try:
        rubric_id = rubric_id or service.rubric_for_year(service.parse_year(year))
        assessment = service.create(
            db, instansi, role, year, rubric_id, from_previous=start == "previous", user=user
        )
    except service.Refused as refusal:
        db.rollback()
        form = {
            "instansi_id": instansi_id,
            "year": year[:10],
            "rubric_id": rubric_id,
            "error": message(request, refusal),
        }
        return _home(request, db, user, status=refusal.status, form=form)
    return go_to(request, f"/assessments/{assessment.id}")


@router.post("/assessments/{assessment_id}/submit")
@unit_of_work
def submit_assessment(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, aspect: str | None = None
) -> Response:
    assessment, role = assessment_for(db, user, assessment_id)
    try:
        service.submit(db, assessment, role, user)
    except service.Refused as refusal:
        db.rollback()
        return questionnaire.page(
            request, db, user, assessment_id, aspect, error=message(request, refusal), status=refusal.status
        )
    return go_to(request, f"/assessments/{assessment.id}")


@router.post("/assessments/{assessment_id}/reopen")
@unit_of_work
def reopen_assessment(
    request: Request,
    db: DbDep,
    user: UserDep,
    assessment_id: AssessmentId,
    reason: Annotated[str, Form()] = "",
    aspect: str | None = None,
) -> Response:
    """Unlock a submitted assessment (koordinator, with a reason kept in the audit trail)."""
    assessment, role = assessment_for(db, user, assessment_id)
    try:
        service.reopen(db, assessment, role, user, reason)
    except service.Refused as refusal:
        db.rollback()
        return questionnaire.page(
            request, db, user, assessment_id, aspect, error=message(request, refusal), status=refusal.status
        )
    return go_to(request, f"/assessments/{assessment.id}")
