"""The audit trail: every change is written as an AuditEvent in the same transaction as the change itself."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from spbe.store.models import Assessment, AuditEvent, Instansi, User

# The answer fields the questionnaire and the API change, and the action each change is recorded as.
ANSWER_ACTIONS = {
    "value": "answer.value",
    "explanation": "answer.explanation",
    "target_value": "answer.target_value",
    "responsible_unit": "answer.responsible_unit",
    "assignee_id": "answer.assignee",
    "source_value": "answer.source_value",
}
PAGE = 50


def as_text(value: object) -> str | None:
    """A value as the trail keeps it: None stays None, a decimal without padding ('3', '1.1667')."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def record(
    db: Session,
    user: User | None,
    action: str,
    where: Assessment | Instansi,
    *,
    indicator_id: str | None = None,
    old: object = None,
    new: object = None,
    note: str = "",
) -> None:
    """Add one event for a change made by `user` (None: the command line) to an assessment or an instansi."""
    assessment = where if isinstance(where, Assessment) else None
    db.add(
        AuditEvent(
            user_id=user.id if user else None,
            instansi_id=where.instansi_id if isinstance(where, Assessment) else where.id,
            assessment_id=assessment.id if assessment else None,
            indicator_id=indicator_id,
            action=action,
            old_value=as_text(old),
            new_value=as_text(new),
            note=note,
        )
    )


def _scope(assessment: Assessment, indicator_id: str | None, user_id: int | None) -> sa.ColumnElement[bool]:
    """An assessment's events (with its instansi's own, such as roles, unless one indicator is asked for)."""
    if indicator_id is not None:
        where = (col(AuditEvent.assessment_id) == assessment.id) & (
            col(AuditEvent.indicator_id) == indicator_id
        )
    else:
        instansi_wide = col(AuditEvent.assessment_id).is_(None) & (
            col(AuditEvent.instansi_id) == assessment.instansi_id
        )
        where = (col(AuditEvent.assessment_id) == assessment.id) | instansi_wide
    return where & (col(AuditEvent.user_id) == user_id) if user_id is not None else where


def history(
    db: Session,
    assessment: Assessment,
    *,
    indicator_id: str | None = None,
    user_id: int | None = None,
    before: int | None = None,
) -> tuple[list[tuple[AuditEvent, User | None]], bool]:
    """A page of events, newest first, with their authors; True when older ones follow."""
    query = select(AuditEvent, User).outerjoin(User, col(User.id) == AuditEvent.user_id)
    query = query.where(_scope(assessment, indicator_id, user_id))
    if before is not None:
        query = query.where(col(AuditEvent.id) < before)
    rows = list(db.exec(query.order_by(col(AuditEvent.id).desc()).limit(PAGE + 1)))
    return rows[:PAGE], len(rows) > PAGE


def authors(db: Session, assessment: Assessment) -> list[User]:
    """The people who changed something in an assessment, by name (to filter its history)."""
    ids = select(AuditEvent.user_id).where(_scope(assessment, None, None))
    found = db.exec(select(User).where(col(User.id).in_(ids)))
    return sorted(found, key=lambda u: (u.full_name or u.username).lower())
