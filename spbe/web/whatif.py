"""The what-if sandbox pages: scenarios, −/+ per indicator with live figures, the advisor's plan, the waterfall."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import Response

from spbe.method.advice import Plan
from spbe.reports.whatif_chart import waterfall_svg
from spbe.services import scenarios as service
from spbe.services.assessments import MAX_ID, Refused
from spbe.store.models import Scenario
from spbe.web import efforts, roadmap
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.i18n import language_of, translate
from spbe.web.sandbox import Sandbox
from spbe.web.templating import is_htmx, render
from spbe.web.whatif_format import helpers
from spbe.web.workspace import AssessmentId, go_to, message

router = APIRouter(prefix="/assessments/{assessment_id}/whatif", include_in_schema=False)
router.include_router(efforts.router)
router.include_router(roadmap.router)
ScenarioId = Annotated[int, Path(ge=1, le=MAX_ID)]
LIST, PAGE = "whatif/list.html", "whatif/scenario.html"


def _fragment(request: Request, block: str) -> str | None:
    """The block to render for htmx (not for a history restore, which needs the whole page)."""
    restoring = request.headers.get("HX-History-Restore-Request") == "true"
    return block if is_htmx(request) and not restoring else None


def _scenario(sb: Sandbox, scenario_id: int, request: Request) -> Scenario:
    try:
        return service.scenario_of(sb.db, sb.assessment, scenario_id)
    except Refused as refusal:
        raise HTTPException(status_code=refusal.status, detail=message(request, refusal)) from None


def _list(request: Request, sb: Sandbox, *, error: str | None = None, name: str = "", status: int = 200) -> Response:
    items = [sb.view(s) for s in service.scenarios(sb.db, sb.assessment)]
    ctx = {"sb": sb, "a": sb.assessment, "items": items, "error": error, "name": name,
           **helpers(request)}
    return render(request, LIST, ctx, block=_fragment(request, "scenarios"), status_code=status)


def _page(request: Request, sb: Sandbox, scenario: Scenario, *, block: str = "scenario", status: int = 200,
          error: str | None = None, error_at: str = "", plan: Plan | None = None,
          form: dict[str, str] | None = None, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    ctx = {"sb": sb, "a": sb.assessment, "rubric": sb.rubric, "view": sb.view(scenario),
           "base": f"/assessments/{sb.assessment.id}/whatif/{scenario.id}", "error": error, "error_at": error_at,
           "plan": plan, "form": form or {}, **helpers(request), **extra}
    return render(request, PAGE, ctx, block=_fragment(request, block), status_code=status, headers=headers)


def _refused(request: Request, sb: Sandbox, scenario: Scenario, refusal: Refused, error_at: str = "",
             form: dict[str, str] | None = None) -> Response:
    """Nothing was changed: show why on the page (htmx: the scenario block, wherever the request aimed)."""
    sb.db.rollback()
    retarget = {"HX-Retarget": "#scenario", "HX-Reswap": "outerHTML"}
    return _page(request, sb, scenario, status=refusal.status, error=message(request, refusal),
                 error_at=error_at, form=form, headers=retarget if is_htmx(request) else None)


@router.get("")
@unit_of_work
def scenarios(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    return _list(request, Sandbox.load(db, user, assessment_id))


@router.post("")
@unit_of_work
def create(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId,
           name: Annotated[str, Form()] = "") -> Response:
    sb = Sandbox.load(db, user, assessment_id)
    try:
        scenario = service.create(db, sb.assessment, sb.role, user, name)
    except Refused as refusal:
        db.rollback()
        return _list(request, sb, error=message(request, refusal), name=name[:200], status=refusal.status)
    return go_to(request, f"/assessments/{assessment_id}/whatif/{scenario.id}")


@router.get("/{scenario_id:int}")
@unit_of_work
def show(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId,
         scenario_id: ScenarioId) -> Response:
    sb = Sandbox.load(db, user, assessment_id)
    return _page(request, sb, _scenario(sb, scenario_id, request))


@router.post("/{scenario_id:int}/name")
@unit_of_work
def rename(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, scenario_id: ScenarioId,
           name: Annotated[str, Form()] = "") -> Response:
    sb = Sandbox.load(db, user, assessment_id)
    scenario = _scenario(sb, scenario_id, request)
    try:
        service.rename(db, scenario, sb.assessment, sb.role, name)
    except Refused as refusal:
        return _refused(request, sb, scenario, refusal, "name")
    return go_to(request, f"/assessments/{assessment_id}/whatif/{scenario.id}")


@router.post("/{scenario_id:int}/delete")
@unit_of_work
def remove(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId,
           scenario_id: ScenarioId) -> Response:
    sb = Sandbox.load(db, user, assessment_id)
    scenario = _scenario(sb, scenario_id, request)
    try:
        service.remove(db, scenario, sb.role)
    except Refused as refusal:
        return _refused(request, sb, scenario, refusal)
    return go_to(request, f"/assessments/{assessment_id}/whatif")


@router.post("/{scenario_id:int}/indicators/{indicator_id}")
@unit_of_work
def set_value(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, scenario_id: ScenarioId,
              indicator_id: str, value: Annotated[str, Form()] = "") -> Response:
    """A −/+ press: the figures, with the indicator's row and the changes swapped out of band (htmx)."""
    sb = Sandbox.load(db, user, assessment_id)
    scenario = _scenario(sb, scenario_id, request)
    try:
        changed = service.set_value(db, scenario, sb.rubric, sb.baseline, sb.role, indicator_id, value)
    except Refused as refusal:
        return _refused(request, sb, scenario, refusal)
    if not is_htmx(request):
        return go_to(request, f"/assessments/{assessment_id}/whatif/{scenario.id}#row-{changed}")
    return _page(request, sb, scenario, block="changed", ind=sb.rubric.indicator_by_id[changed])


def _plan_shown(sb: Sandbox, form: dict[str, str]) -> Plan | None:
    """The plan the page showed when a butir was ticked from its steps, computed again (nothing written)."""
    if not form["target"].strip():
        return None
    try:
        asked = service.plan_request(sb.rubric, *(form[k] for k in ("target", "scope", "max_step", "locked")))
    except Refused:
        return None
    return service.advise(sb.rubric, sb.baseline, asked, sb.efforts)


@router.post("/{scenario_id:int}/butir")
@unit_of_work
def tick_butir(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId,
               scenario_id: ScenarioId, code: Annotated[str, Form()] = "",
               accepted: Annotated[str, Form()] = "",
               target: Annotated[str, Form()] = "", scope: Annotated[str, Form()] = "index",
               max_step: Annotated[str, Form()] = "", locked: Annotated[str, Form()] = "") -> Response:
    """Take one butir as diterima in the scenario (or not): the simulated level, index and waterfall move."""
    sb = Sandbox.load(db, user, assessment_id)
    scenario = _scenario(sb, scenario_id, request)
    try:
        indicator_id = service.set_butir(db, scenario, sb.rubric, sb.role, code, accepted == "1")
    except Refused as refusal:
        return _refused(request, sb, scenario, refusal)
    if not is_htmx(request):
        return go_to(request, f"/assessments/{assessment_id}/whatif/{scenario.id}#butir-{indicator_id}")
    form = {"target": target[:20], "scope": scope[:20], "max_step": max_step[:20], "locked": locked[:500]}
    return _page(request, sb, scenario, plan=_plan_shown(sb, form), form=form, opened=indicator_id)


@router.post("/{scenario_id:int}/plan")
@unit_of_work
def load_plan(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, scenario_id: ScenarioId,
              target: Annotated[str, Form()] = "", scope: Annotated[str, Form()] = "index",
              max_step: Annotated[str, Form()] = "", locked: Annotated[str, Form()] = "") -> Response:
    """Run the advisor with the saved efforts and load its plan into the scenario; show the plan's steps."""
    sb = Sandbox.load(db, user, assessment_id)
    scenario = _scenario(sb, scenario_id, request)
    form = {"target": target[:20], "scope": scope[:20], "max_step": max_step[:20], "locked": locked[:500]}
    try:
        service.may_plan(sb.role)
        asked = service.plan_request(sb.rubric, target, scope, max_step, locked)
        form.update(scope=asked.scope, locked=", ".join(asked.locked))
        result = service.load_plan(db, scenario, sb.rubric, sb.baseline, sb.role, asked, sb.efforts)
    except Refused as refusal:
        return _refused(request, sb, scenario, refusal, "plan", form)
    return _page(request, sb, scenario, plan=result, form=form)


@router.get("/{scenario_id:int}/waterfall.svg")
@unit_of_work
def waterfall(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId,
              scenario_id: ScenarioId) -> Response:
    """The lift by indicator from the assessment's index to the scenario's; revalidated by ETag."""
    sb = Sandbox.load(db, user, assessment_id)
    view = sb.view(_scenario(sb, scenario_id, request))
    lang = language_of(request)
    headers = {"ETag": f'"waterfall-{lang}-{view.chart_version}"', "Cache-Control": "private, no-cache"}
    if request.headers.get("If-None-Match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    labels = (translate("w.chart.current", lang, year=sb.assessment.year), translate("w.chart.scenario", lang),
              sb.rubric.meta.index_name)
    svg = waterfall_svg(sb.current.score.overall.low, view.changes, labels, lang,
                        lambda count: translate("w.chart.others", lang, count=count))
    return Response(svg, media_type="image/svg+xml", headers=headers)
