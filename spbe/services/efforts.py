"""The advisor's effort model saved with an assessment: the effort per indicator and level, 1 when not set."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from spbe.method.rubric import Rubric
from spbe.method.scoring import ValueProblem, parse_number
from spbe.services.assessments import Conflict, Invalid
from spbe.services.scenarios import may_plan
from spbe.store.models import Assessment, EffortSetting, Role

DEFAULT = Decimal(1)
MAX_EFFORT = Decimal("9999.9999")  # what Numeric(8, 4) holds


def efforts(db: Session, assessment: Assessment) -> dict[tuple[str, int], Decimal]:
    """(indicator, level) -> the effort to reach that level from the one below, for the levels set."""
    rows = db.exec(select(EffortSetting).where(EffortSetting.assessment_id == assessment.id))
    return {(r.indicator_id, r.level): r.effort for r in rows}


def field_name(indicator_id: str, level: int) -> str:
    """The form field of one effort: 'I07:3'."""
    return f"{indicator_id}:{level}"


def _effort(raw: str, indicator_id: str, level: int) -> Decimal:
    if not raw.strip():
        return DEFAULT
    try:
        value = parse_number(raw)
    except ValueProblem:
        raise Invalid("w.error.effort", indicator=indicator_id, level=level, value=raw.strip()[:20]) from None
    if value < 0 or value > MAX_EFFORT or value != value.quantize(Decimal("0.0001")):
        raise Invalid("w.error.effort", indicator=indicator_id, level=level, value=raw.strip()[:20])
    return value


def parse(rubric: Rubric, posted: Mapping[str, str]) -> dict[tuple[str, int], Decimal]:
    """Posted 'I07:3' fields as efforts (empty = 1); Invalid names the first unknown or bad one."""
    low, high = rubric.meta.values.min + 1, rubric.meta.values.max
    out: dict[tuple[str, int], Decimal] = {}
    for key, raw in posted.items():
        indicator_id, _, level_text = key.partition(":")
        if indicator_id not in rubric.indicator_by_id:
            raise Invalid("w.error.effort_indicator", indicator=indicator_id[:16], rubric=rubric.id)
        level = int(level_text) if level_text.isascii() and level_text.isdigit() else 0
        if not low <= level <= high:
            raise Invalid("w.error.effort_level", level=level_text[:10], low=low, high=high)
        out[indicator_id, level] = _effort(raw, indicator_id, level)
    return out


def save(db: Session, assessment: Assessment, rubric: Rubric, role: Role, posted: Mapping[str, str]) -> None:
    """Check every posted effort, then store them all (the default 1 is stored as no row); all or nothing."""
    may_plan(role)
    values = parse(rubric, posted)
    if not values:
        return
    db.exec(delete(EffortSetting).where(
        col(EffortSetting.assessment_id) == assessment.id,
        sa.tuple_(col(EffortSetting.indicator_id), col(EffortSetting.level)).in_(list(values))))
    db.add_all(EffortSetting(assessment_id=assessment.id, indicator_id=i, level=lv, effort=e)
               for (i, lv), e in values.items() if e != DEFAULT)
    try:
        db.flush()
    except IntegrityError:  # a concurrent save of the same efforts
        db.rollback()
        raise Conflict("w.error.changed") from None
