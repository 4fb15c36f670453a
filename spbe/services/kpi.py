"""An instansi's LKJIP KPIs in the database: targets per year, the Renstra end target, every year's values."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlmodel import Session, col, select

from spbe.method.lkjip import SCOPES, Plan, Report, YearValues, report
from spbe.method.peer_averages import peer_averages
from spbe.method.rubric import DEFAULT_RUBRIC_ID, get_rubric
from spbe.method.scoring import ValueProblem, parse_number
from spbe.services.assessments import FIRST_YEAR, Invalid, rubric_of
from spbe.services.official import may_enter, official_values
from spbe.store import queries
from spbe.store.models import Assessment, Instansi, Kpi, KpiTarget, Role, utcnow

MAX_TARGET = Decimal(5)  # index and domain values lie within 1–5
LAST_YEAR = 2100
FIELDS = ("target", "end_target", "end_year")


class BadTargets(Invalid):
    """Some posted targets are not allowed: `problems` maps field names to i18n keys; nothing was saved."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("lk.error.values", count=len(problems))
        self.problems = problems


def _kpis(db: Session, instansi: Instansi) -> dict[str, Kpi]:
    return {k.scope: k for k in db.exec(select(Kpi).where(Kpi.instansi_id == instansi.id))}


def plans(db: Session, instansi: Instansi, year: int) -> dict[str, Plan]:
    """Each KPI's target for the year and its Renstra end target."""
    kpis = _kpis(db, instansi)
    targets = dict(
        db.exec(
            select(Kpi.scope, KpiTarget.target)
            .join(Kpi)
            .where(Kpi.instansi_id == instansi.id, KpiTarget.year == year)
        ).all()
    )
    result = {}
    for scope in SCOPES:
        kpi = kpis.get(scope)
        result[scope] = Plan(
            targets.get(scope), kpi.end_target if kpi else None, kpi.end_year if kpi else None
        )
    return result


def _target(raw: str) -> Decimal | None:
    """A target typed as '2,6' or '2.90': above 0, at most 5, at most 2 decimals; '' for none."""
    if not raw.strip():
        return None
    try:
        value = parse_number(raw)
    except ValueProblem:
        raise ValueError from None
    if not 0 < value <= MAX_TARGET or value != round(value, 2):
        raise ValueError
    return value


def _year(raw: str) -> int | None:
    if not raw.strip():
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise ValueError
    return int(text)


def parse_form(form: Mapping[str, str]) -> dict[str, Plan]:
    """The posted plans ('<field>-<scope>' fields); BadTargets names every bad field."""
    result: dict[str, Plan] = {}
    problems: dict[str, str] = {}
    for scope in SCOPES:
        parsed: dict[str, object] = {}
        for field in FIELDS:
            name = f"{field}-{scope}"
            try:
                parsed[field] = (_year if field == "end_year" else _target)(form.get(name, ""))
            except ValueError:
                problems[name] = f"lk.error.{field}"
        result[scope] = Plan(**parsed)  # type: ignore[arg-type]
    if problems:
        raise BadTargets(problems)
    return result


def save(db: Session, instansi: Instansi, role: Role, year: int, posted: Mapping[str, Plan]) -> None:
    """Store the year's target and the end target of each KPI (an empty target removes that year's)."""
    may_enter(role)
    kpis = _kpis(db, instansi)
    for scope, plan in posted.items():
        kpi = kpis.get(scope) or Kpi(instansi_id=instansi.id, scope=scope)
        kpi.end_target, kpi.end_year = plan.end_target, plan.end_year
        db.add(kpi)
        db.flush()
        row = db.get(KpiTarget, (kpi.id, year))
        if plan.target is None:
            if row is not None:
                db.delete(row)
        else:
            row = row or KpiTarget(kpi_id=kpi.id, year=year, target=plan.target)
            row.target = plan.target
            db.add(row)
    db.flush()


def years(db: Session, instansi: Instansi) -> dict[int, YearValues]:
    """Every assessment year of the instansi with its rubric, self-assessed and official values."""
    query = select(Assessment).where(Assessment.instansi_id == instansi.id).order_by(col(Assessment.year))
    return {
        a.year: YearValues(rubric_of(a), queries.assessment_values(db, a), official_values(db, a))
        for a in db.exec(query)
    }


def report_for(db: Session, instansi: Instansi, year: int | None) -> Report:
    """The LKJIP report of a year (default: the latest assessment year, else this year): page, XLSX, DOCX."""
    known = years(db, instansi)
    if year is None:
        year = max(known, default=utcnow().year)
    rubric = known[year].rubric if year in known else get_rubric(DEFAULT_RUBRIC_ID)
    return report(year, known, plans(db, instansi, year), rubric, peer_averages(rubric, year), instansi.kind)
