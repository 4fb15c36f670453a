"""Helpers for the audit and conflict tests: the events written since a point, as plain tuples."""

from __future__ import annotations

from fastapi import FastAPI
from sqlmodel import col, func, select

from spbe.store.db import session_scope
from spbe.store.models import AuditEvent, User

HX = {"HX-Request": "true"}
# action, indicator, old value, new value, note, username of who did it
Event = tuple[str, str | None, str | None, str | None, str, str | None]


def last_event(app: FastAPI) -> int:
    """The id of the newest event (0 when there is none): tests look at what came after it."""
    with session_scope(app.state.engine) as db:
        return db.exec(select(func.max(AuditEvent.id))).one() or 0


def events_since(app: FastAPI, after: int) -> list[Event]:
    """The events after an id, oldest first, with the username of who did it (None: the command line)."""
    with session_scope(app.state.engine) as db:
        rows = db.exec(
            select(AuditEvent, User.username)
            .outerjoin(User, col(User.id) == AuditEvent.user_id)
            .where(col(AuditEvent.id) > after)
            .order_by(col(AuditEvent.id))
        )
        return [(e.action, e.indicator_id, e.old_value, e.new_value, e.note, who) for e, who in rows]

