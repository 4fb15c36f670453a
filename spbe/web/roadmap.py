"""The roadmap page: the advisor's plan per year for yearly targets (e.g. the Renstra's), read-only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from spbe.services import scenarios as service
from spbe.services.assessments import Refused
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.sandbox import Sandbox
from spbe.web.templating import is_htmx, render
from spbe.web.whatif_format import helpers
from spbe.web.workspace import AssessmentId, message

router = APIRouter(prefix="/roadmap")


@router.get("")
@unit_of_work
def show(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, targets: str = "",
         scope: str = "index", max_step: str = "", locked: str = "") -> Response:
    """The form, and with targets the plan of every year from the year after the assessment; changes nothing."""
    sb = Sandbox.load(db, user, assessment_id)
    form = {"targets": targets[:200], "scope": scope[:20], "max_step": max_step[:20], "locked": locked[:500]}
    ctx = {"sb": sb, "a": sb.assessment, "rubric": sb.rubric, "form": form, "years": [], "error": None,
           **helpers(request)}
    status = 200
    if targets.strip():
        try:
            ctx["years"] = service.roadmap(sb.rubric, sb.baseline, targets, scope, max_step, locked,
                                           sb.assessment.year + 1, sb.efforts)
        except Refused as refusal:
            ctx["error"], status = message(request, refusal), refusal.status
    block = "roadmap" if is_htmx(request) else None
    return render(request, "whatif/roadmap.html", ctx, block=block, status_code=status)
