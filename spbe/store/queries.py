"""Reading and writing assessments: the plain functions the CLI and the web app share."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from spbe.method.external import values_with_external
from spbe.method.rubric import Rubric, get_rubric
from spbe.store.models import Answer, Assessment, Instansi, InstansiKind, utcnow


def get_or_create_instansi(session: Session, code: str, name: str, kind: str) -> Instansi:
    """The instansi with this code, created with the name and kind when it does not exist yet."""
    instansi = session.exec(select(Instansi).where(Instansi.code == code)).first()
    if instansi is None:
        instansi = Instansi(code=code, name=name, kind=InstansiKind(kind).value)
        session.add(instansi)
        session.flush()
    return instansi


def create_assessment(session: Session, instansi: Instansi, year: int, rubric: Rubric) -> Assessment:
    """A new draft assessment of the instansi for the year, recording the rubric id and version it uses."""
    assessment = Assessment(
        instansi_id=instansi.id, year=year, rubric_id=rubric.id, rubric_version=rubric.meta.version
    )
    session.add(assessment)
    session.flush()
    return assessment


def get_assessment(session: Session, instansi: Instansi, year: int) -> Assessment | None:
    """The instansi's assessment for the year, if there is one."""
    query = select(Assessment).where(Assessment.instansi_id == instansi.id, Assessment.year == year)
    return session.exec(query).first()


def save_value(
    session: Session,
    assessment: Assessment,
    indicator_id: str,
    value: Decimal | None,
    explanation: str | None = None,
) -> Answer:
    """Set (or clear, with None) an indicator's value; the explanation is kept unless a new one is given."""
    answer = session.exec(
        select(Answer).where(Answer.assessment_id == assessment.id, Answer.indicator_id == indicator_id)
    ).first()
    if answer is None:
        answer = Answer(assessment_id=assessment.id, indicator_id=indicator_id)
    else:
        answer.version += 1
    answer.value = value
    if explanation is not None:
        answer.explanation = explanation
    answer.updated_at = assessment.updated_at = utcnow()
    session.add_all([answer, assessment])
    session.flush()
    return answer


# Built once: every autosave scores the assessment from these rows.
VALUES = select(Answer.indicator_id, Answer.value).where(
    Answer.assessment_id == sa.bindparam("assessment_id"), col(Answer.value).is_not(None)
)


def assessment_values(session: Session, assessment: Assessment) -> dict[str, Decimal]:
    """Indicator id -> value for spbe.method.scoring.score: the answered indicators, and external ones still pending at 1."""
    rows = session.exec(VALUES, params={"assessment_id": assessment.id})
    return values_with_external(get_rubric(assessment.rubric_id), dict(rows.all()), {})


PAIR_VALUES = select(Answer.assessment_id, Answer.indicator_id, Answer.value).where(
    col(Answer.assessment_id).in_([sa.bindparam("first"), sa.bindparam("second")]),
    col(Answer.value).is_not(None),
)


def pair_values(
    session: Session, first: Assessment, second: Assessment
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """assessment_values of two assessments (say last year's and this year's) in one query."""
    found: dict[int | None, dict[str, Decimal]] = {first.id: {}, second.id: {}}
    for assessment_id, indicator_id, value in session.exec(
        PAIR_VALUES, params={"first": first.id, "second": second.id}
    ):
        found[assessment_id][indicator_id] = value
    return (values_with_external(get_rubric(first.rubric_id), found[first.id], {}),
            values_with_external(get_rubric(second.rubric_id), found[second.id], {}))
