"""Sign-in throttling in the database, so all workers count the same failures per username and per client."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from spbe.db import session_scope
from spbe.models import LoginFailure

WINDOW = dt.timedelta(minutes=15)
PER_USERNAME = 5  # failures within WINDOW before a username is refused
PER_CLIENT = 20  # failures within WINDOW before an IP address is refused (an office may share one)


class TooManyFailures(Exception):
    """Sign-in refused until `retry_at`: too many recent failures for the username or the client."""

    def __init__(self, retry_at: dt.datetime) -> None:
        super().__init__(retry_at.isoformat())
        self.retry_at = retry_at


def _retry_at(db: Session, where: sa.ColumnElement[bool], limit: int, now: dt.datetime) -> dt.datetime | None:
    """When the failures matching `where` drop below `limit` again; None when they already are."""
    times = db.exec(select(LoginFailure.at).where(where, col(LoginFailure.at) > now - WINDOW)
                    .order_by(col(LoginFailure.at))).all()
    return times[len(times) - limit] + WINDOW if len(times) >= limit else None


def begin(engine: sa.Engine, username: str, client: str, now: dt.datetime) -> None:
    """Record an attempt as failed before its password is checked, committed at once: parallel guesses count.

    Raises TooManyFailures, keeping no record of the attempt, when the username or the client is over a limit.
    """
    with session_scope(engine) as db:
        db.exec(delete(LoginFailure).where(col(LoginFailure.at) <= now - WINDOW))
        attempt = LoginFailure(username=username, client=client, at=now)
        db.add(attempt)
        db.flush()
        attempt_id = attempt.id
    with session_scope(engine) as db:
        others = col(LoginFailure.id) != attempt_id
        waits = [_retry_at(db, sa.and_(others, col(LoginFailure.username) == username), PER_USERNAME, now),
                 _retry_at(db, sa.and_(others, col(LoginFailure.client) == client), PER_CLIENT, now)]
        retry_at = max((w for w in waits if w is not None), default=None)
        if retry_at is not None:
            db.exec(delete(LoginFailure).where(col(LoginFailure.id) == attempt_id))
    if retry_at is not None:
        raise TooManyFailures(retry_at)


def succeeded(db: Session, username: str) -> None:
    """Forget the username's failures (its own attempt included); the client's other failures still count."""
    db.exec(delete(LoginFailure).where(col(LoginFailure.username) == username))
