"""Everything the editable report (DOCX) of an assessment shows, read from the database in one go.

The figures come from the same use cases as the pages: the score, last year's assessment on the same rubric,
KemenPANRB's official values, the evidence items, the LKJIP report and the advisor's plan toward the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from spbe.method import advice
from spbe.method.lkjip import INDEX, Report
from spbe.method.rubric import Rubric
from spbe.method.scoring import Score, score
from spbe.services import efforts, kpi
from spbe.services.assessments import answers_of, rubric_of
from spbe.services.official import official_values
from spbe.store import queries
from spbe.store.models import Answer, Assessment, Evidence, Instansi


@dataclass(frozen=True)
class Target:
    """The index the advisor plans toward, and where it comes from (in Bahasa Indonesia)."""

    value: Decimal
    source: str


@dataclass(frozen=True)
class ReportData:
    """One assessment with everything its report compares it with."""

    instansi: Instansi
    assessment: Assessment
    rubric: Rubric
    answers: dict[str, Answer]
    score: Score
    previous: Assessment | None  # the latest earlier assessment on the same rubric
    previous_values: dict[str, Decimal]  # its indicator values
    previous_score: Score | None
    official_score: Score | None  # None while no official value is entered
    evidence: dict[str, list[Evidence]]  # indicator id -> its items, internal ones included
    lkjip: Report
    target: Target | None  # None when the index is already at the top
    plan: advice.Plan | None
    unanswered: list[str]  # self-assessed indicators without a value (counted at the lowest level)


def _same_rubric_before(db: Session, assessment: Assessment) -> Assessment | None:
    """The latest earlier assessment of the instansi made with the same rubric."""
    query = select(Assessment).where(
        Assessment.instansi_id == assessment.instansi_id, Assessment.rubric_id == assessment.rubric_id,
        col(Assessment.year) < assessment.year,
    )
    return db.exec(query.order_by(col(Assessment.year).desc())).first()


def _target(rubric: Rubric, result: Score, lkjip: Report, next_year: Report) -> Target | None:
    """The next year's KPI target for the index, else this year's, else the next predikat band above today."""
    published = result.overall.published if result.complete else result.overall.published_range[0]
    for report in (next_year, lkjip):
        line = next(k for k in report.lines if k.scope == INDEX)
        if line.plan.target is not None and line.plan.target > published:
            return Target(line.plan.target, f"target indeks tahun {report.year} di LKJIP")
    higher = [b for b in rubric.meta.bands if b.min > published]
    if not higher:
        return None
    band = min(higher, key=lambda b: b.min)
    return Target(band.min, f"batas bawah predikat {band.name}")


def gather(db: Session, assessment: Assessment) -> ReportData:
    """Read an assessment and what its report compares it with; nothing is written."""
    instansi = db.get(Instansi, assessment.instansi_id)
    assert instansi is not None
    rubric = rubric_of(assessment)
    values = queries.assessment_values(db, assessment)
    result = score(rubric, values)
    before = _same_rubric_before(db, assessment)
    before_values = queries.assessment_values(db, before) if before else {}
    official = official_values(db, assessment)
    query = select(Evidence).where(Evidence.assessment_id == assessment.id).order_by(col(Evidence.id))
    items = db.exec(query)
    evidence: dict[str, list[Evidence]] = {}
    for item in items:
        evidence.setdefault(item.indicator_id, []).append(item)
    lkjip = kpi.report_for(db, instansi, assessment.year)
    target = _target(rubric, result, lkjip, kpi.report_for(db, instansi, assessment.year + 1))
    plan = None
    if target is not None:
        plan = advice.plan(rubric, values, target.value, fixed=rubric.external_ids,
                           efforts=efforts.efforts(db, assessment))
    return ReportData(
        instansi=instansi,
        assessment=assessment,
        rubric=rubric,
        answers=answers_of(db, assessment),
        score=result,
        previous=before,
        previous_values=before_values,
        previous_score=score(rubric, before_values) if before else None,
        official_score=score(rubric, official) if official else None,
        evidence=evidence,
        lkjip=lkjip,
        target=target,
        plan=plan,
        unanswered=[i.id for i in rubric.indicators if i.id not in values and i.external is None],
    )

