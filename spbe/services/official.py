"""Official results: KemenPANRB's final levels (nilai akhir) beside self-assessed ones, typed or imported."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from spbe.method.levels_file import LevelsFileError, parse_levels
from spbe.method.rubric import Rubric
from spbe.method.scoring import ValueProblem, check_value
from spbe.services import audit
from spbe.services.assessments import Forbidden, Invalid, answers_of
from spbe.services.permissions import Action, can
from spbe.store.models import Answer, Assessment, Role, User


class BadValues(Invalid):
    """Some posted levels are not allowed: `problems` maps indicator ids to messages; nothing was saved."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("off.error.values", count=len(problems))
        self.problems = problems


# Built once: the year-two pages ask for it on every view.
PREVIOUS = (
    select(Assessment)
    .where(Assessment.instansi_id == sa.bindparam("instansi_id"), Assessment.year < sa.bindparam("year"))
    .order_by(col(Assessment.year).desc())
)


def previous(db: Session, assessment: Assessment) -> Assessment | None:
    """The instansi's latest assessment before this one's year (any rubric), if there is one."""
    params = {"instansi_id": assessment.instansi_id, "year": assessment.year}
    return db.exec(PREVIOUS, params=params).first()


def official_values(db: Session, assessment: Assessment) -> dict[str, Decimal]:
    """Indicator id -> official value of the indicators that have one."""
    rows = db.exec(
        select(Answer.indicator_id, Answer.official_value).where(
            Answer.assessment_id == assessment.id, col(Answer.official_value).is_not(None)
        )
    )
    return {indicator_id: value for indicator_id, value in rows}


def parse_form(rubric: Rubric, form: Mapping[str, str]) -> dict[str, Decimal | None]:
    """The posted official levels by indicator (empty clears, absent keeps); BadValues names every bad one."""
    values: dict[str, Decimal | None] = {}
    problems: dict[str, str] = {}
    for ind in rubric.indicators:
        raw = form.get(ind.id)
        if raw is None:
            continue
        try:
            values[ind.id] = check_value(rubric, raw) if raw.strip() else None
        except ValueProblem as e:
            problems[ind.id] = str(e)
    if problems:
        raise BadValues(problems)
    return values


def may_enter(role: Role) -> None:
    """Only the koordinator enters official results (and imports)."""
    if not can(role, Action.MANAGE_ASSESSMENT):
        raise Forbidden("error.forbidden")


def save(
    db: Session, assessment: Assessment, role: Role, user: User, values: Mapping[str, Decimal | None]
) -> int:
    """Set (None: clear) official values, audited; self-assessed answers and their versions stay unchanged."""
    may_enter(role)
    answers = answers_of(db, assessment)
    changed = 0
    for indicator_id, value in values.items():
        answer = answers.get(indicator_id) or Answer(assessment_id=assessment.id, indicator_id=indicator_id)
        if answer.official_value == value:
            continue
        old, answer.official_value = answer.official_value, value
        audit.record(db, user, "official.value", assessment, indicator_id=indicator_id, old=old, new=value)
        db.add(answer)
        changed += 1
    db.flush()
    return changed


def read_file(rubric: Rubric, data: bytes, filename: str) -> dict[str, Decimal]:
    """The levels of a CSV/XLSX/JSON file in the `spbe score` formats; Invalid names every bad row."""
    try:
        return parse_levels(data, filename, rubric)
    except LevelsFileError as e:
        raise Invalid("imp.error.file", detail=str(e)) from None


def import_file(
    db: Session, assessment: Assessment, rubric: Rubric, role: Role, user: User, data: bytes, filename: str
) -> int:
    """Set the official values of the indicators a file lists (others keep theirs); all or nothing."""
    may_enter(role)
    return save(db, assessment, role, user, read_file(rubric, data, filename))
