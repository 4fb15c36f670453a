"""What-if scenarios: value overrides on top of an assessment, and the advisor's plans; never writes an answer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from spbe.method import advice
from spbe.method.advice import Efforts, Plan
from spbe.method.butir import IndicatorButir
from spbe.method.rubric import Rubric
from spbe.method.scoring import ValueProblem, check_value, resolve_indicator
from spbe.services import butir as butir_service
from spbe.services.answers import indicator
from spbe.services.assessments import Conflict, Forbidden, Invalid, Missing, whole_number
from spbe.services.permissions import Action, can
from spbe.store.models import Assessment, ButirState, Role, Scenario, ScenarioButir, ScenarioValue, User

MAX_NAME = 200
MAX_YEARS = 10  # targets in one roadmap


def may_plan(role: Role) -> None:
    """Refuse members who may only read the sandbox (peninjau, admin)."""
    if not can(role, Action.PLAN):
        raise Forbidden("w.error.forbidden")


def last_year(db: Session, assessment: Assessment) -> Assessment | None:
    """The instansi's assessment of the year before on the same rubric, if there is one."""
    query = select(Assessment).where(
        Assessment.instansi_id == assessment.instansi_id,
        Assessment.year == assessment.year - 1,
        Assessment.rubric_id == assessment.rubric_id,
    )
    return db.exec(query).first()


def scenarios(db: Session, assessment: Assessment) -> list[Scenario]:
    """An assessment's scenarios, oldest first."""
    query = select(Scenario).where(Scenario.assessment_id == assessment.id)
    return list(db.exec(query.order_by(col(Scenario.created_at), col(Scenario.id))))


def scenario_of(db: Session, assessment: Assessment, scenario_id: int) -> Scenario:
    """One scenario of this assessment, or Missing."""
    found = db.get(Scenario, scenario_id)
    if found is None or found.assessment_id != assessment.id:
        raise Missing("w.error.scenario")
    return found


def overrides(db: Session, scenario: Scenario) -> dict[str, Decimal]:
    """Indicator id -> the value the scenario gives it instead of the assessment's."""
    rows = db.exec(select(ScenarioValue).where(ScenarioValue.scenario_id == scenario.id))
    return {r.indicator_id: r.value for r in rows}


def ticked(db: Session, scenario: Scenario) -> frozenset[str]:
    """The stable codes of the butir the scenario takes as diterima."""
    rows = db.exec(select(ScenarioButir.code).where(ScenarioButir.scenario_id == scenario.id))
    return frozenset(rows)


def simulated(rubric: Rubric, states: dict[str, ButirState],
              codes: frozenset[str]) -> dict[str, IndicatorButir]:
    """Indicator id -> its butir with the ticked ones as diterima (self-assessed indicators with a tick)."""
    owners = {butir_service.butir_of(rubric, c)[0] for c in codes} - rubric.external_ids
    ids = [i.id for i in rubric.indicators if i.id in owners]
    return butir_service.summaries(rubric, states, ids, accepted=codes)


def set_butir(db: Session, scenario: Scenario, rubric: Rubric, role: Role, raw_code: str,
              accepted: bool) -> str:
    """Tick (or untick) one butir as diterima in the scenario; returns its indicator's id."""
    may_plan(role)
    indicator_id, code, _ = butir_service.butir_of(rubric, raw_code.strip()[:20])
    ind = rubric.indicator_by_id[indicator_id]
    if ind.external is not None:
        raise Invalid("w.error.external", indicator=ind.id, source=ind.external.source)
    db.exec(delete(ScenarioButir).where(col(ScenarioButir.scenario_id) == scenario.id,
                                        col(ScenarioButir.code) == code))
    if accepted:
        db.add(ScenarioButir(scenario_id=scenario.id, code=code))
    _flush(db, "w.error.changed")
    return indicator_id


def _name(db: Session, assessment: Assessment, raw: str, keep: Scenario | None = None) -> str:
    """A scenario name: spaces collapsed, not empty, not too long, unique (ignoring case) in the assessment."""
    if any(ord(ch) < 32 and ch not in "\t\n\r" or ord(ch) == 127 for ch in raw):
        raise Invalid("q.error.control")
    name = " ".join(raw.split())
    if not name:
        raise Invalid("w.error.name_empty")
    if len(name) > MAX_NAME:
        raise Invalid("q.error.too_long", limit=MAX_NAME)
    if any(s.name.casefold() == name.casefold() and s is not keep for s in scenarios(db, assessment)):
        raise Conflict("w.error.name_taken", name=name)
    return name


def _flush(db: Session, key: str, **params: object) -> None:
    try:
        db.flush()
    except IntegrityError:  # someone else wrote the same row or name between our check and our write
        db.rollback()
        raise Conflict(key, **params) from None


def create(db: Session, assessment: Assessment, role: Role, user: User, raw_name: str) -> Scenario:
    """A new scenario that starts equal to the assessment."""
    may_plan(role)
    name = _name(db, assessment, raw_name)
    scenario = Scenario(assessment_id=assessment.id, name=name, created_by_id=user.id)
    db.add(scenario)
    _flush(db, "w.error.name_taken", name=name)
    return scenario


def rename(db: Session, scenario: Scenario, assessment: Assessment, role: Role, raw_name: str) -> None:
    """Give a scenario another name, unique in its assessment."""
    may_plan(role)
    scenario.name = _name(db, assessment, raw_name, keep=scenario)
    db.add(scenario)
    _flush(db, "w.error.name_taken", name=scenario.name)


def remove(db: Session, scenario: Scenario, role: Role) -> None:
    """Delete a scenario and its values (the assessment keeps everything)."""
    may_plan(role)
    db.delete(scenario)
    db.flush()


def _replace(db: Session, scenario: Scenario, values: Mapping[str, Decimal], baseline: Mapping[str, Decimal],
             ids: set[str]) -> None:
    """Store `values` for the indicators in `ids`: a value equal to the assessment's drops its override."""
    db.exec(delete(ScenarioValue).where(
        col(ScenarioValue.scenario_id) == scenario.id, col(ScenarioValue.indicator_id).in_(ids)))
    db.add_all(ScenarioValue(scenario_id=scenario.id, indicator_id=i, value=values[i])
               for i in sorted(ids) if values[i] != baseline[i])
    _flush(db, "w.error.changed")


def set_value(db: Session, scenario: Scenario, rubric: Rubric, baseline: Mapping[str, Decimal], role: Role,
              indicator_id: str, raw: str) -> str:
    """Give one indicator a value in the scenario; returns the indicator's id."""
    may_plan(role)
    ind = indicator(rubric, indicator_id)
    if ind.external is not None:
        raise Invalid("w.error.external", indicator=ind.id, source=ind.external.source)
    try:
        value = check_value(rubric, raw)
    except ValueProblem as e:
        raise Invalid("w.error.level", detail=str(e)) from None
    _replace(db, scenario, {ind.id: value}, baseline, {ind.id})
    return ind.id


@dataclass(frozen=True)
class PlanRequest:
    """What the advisor is asked: a target on a scope, a step limit and locked indicators."""

    target: Decimal
    scope: str
    max_step: int | None
    locked: tuple[str, ...]


def plan_request(rubric: Rubric, target: str, scope: str, max_step: str, locked: str) -> PlanRequest:
    """Check the plan form; Invalid names the first bad field."""
    vr = rubric.meta.values
    try:
        value = advice.parse_target(target)
    except advice.AdviceError:
        raise Invalid("w.error.target", target=target.strip()[:20], low=vr.min, high=vr.max) from None
    if not vr.min <= value <= vr.max:
        raise Invalid("w.error.target", target=target.strip()[:20], low=vr.min, high=vr.max)
    try:
        scope_id = advice.scope_id(rubric, scope)
    except advice.AdviceError:
        choices = ", ".join([advice.INDEX, *rubric.domain_by_id, *rubric.aspect_by_id])
        raise Invalid("w.error.scope", scope=scope.strip()[:20], choices=choices) from None
    step = whole_number(max_step) if max_step.strip() else None
    if max_step.strip() and (step is None or not 1 <= step <= vr.max - vr.min):
        raise Invalid("w.error.max_step", value=max_step.strip()[:20], high=vr.max - vr.min)
    try:
        keys = tuple(dict.fromkeys(resolve_indicator(rubric, k) for k in locked.replace(";", ",").split(",")
                                   if k.strip()))
    except ValueProblem as e:
        raise Invalid("w.error.locked", detail=str(e)) from None
    return PlanRequest(value, scope_id, step, keys)


def advise(rubric: Rubric, baseline: Mapping[str, Decimal], request: PlanRequest, efforts: Efforts) -> Plan:
    """The advisor's plan from the assessment's values (external indicators fixed); nothing is written."""
    return advice.plan(rubric, baseline, request.target, request.scope, max_step=request.max_step,
                       locked=request.locked, fixed=rubric.external_ids, efforts=efforts)


def load_plan(db: Session, scenario: Scenario, rubric: Rubric, baseline: Mapping[str, Decimal], role: Role,
              request: PlanRequest, efforts: Efforts) -> Plan:
    """Run the advisor from the assessment's values (external indicators fixed) and make the scenario its plan."""
    may_plan(role)
    result = advise(rubric, baseline, request, efforts)
    _replace(db, scenario, result.levels, baseline, set(rubric.indicator_by_id))
    return result


def roadmap(rubric: Rubric, baseline: Mapping[str, Decimal], targets: str, scope: str, max_step: str,
            locked: str, start_year: int, efforts: Efforts) -> list[advice.YearPlan]:
    """A plan per yearly target ('2,6; 2,7' or '2.6 2.7'), each year climbing from the year before."""
    parts = [p for p in re.split(r"[;\s]+", targets) if p]
    if not 1 <= len(parts) <= MAX_YEARS:
        raise Invalid("w.error.targets", most=MAX_YEARS)
    asked = [plan_request(rubric, p, scope, max_step, locked) for p in parts]
    first = asked[0]
    return advice.roadmap(rubric, baseline, [a.target for a in asked], first.scope, start_year=start_year,
                          max_step=first.max_step, locked=first.locked, fixed=rubric.external_ids,
                          efforts=efforts)
