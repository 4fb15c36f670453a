"""Sign-in throttling in the database, so all workers count the same failures per username and per client.

Every attempt is committed as *pending* before its password is checked and becomes *failed* when the
password proves wrong (a right one deletes the username's rows). Pending attempts count toward the
username's limit, so parallel guesses at one account are capped like sequential ones; the client's limit
counts failed attempts only, so colleagues behind one office address who sign in at the same moment never
hold each other up. An attempt whose request never finished (a killed worker) stays pending and counts for
its username until it leaves the window.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select, update

from spbe.store.db import session_scope
from spbe.store.models import AttemptState, LoginFailure

WINDOW = dt.timedelta(minutes=15)
PER_USERNAME = 5  # attempts (pending or failed) within WINDOW before a username is refused
PER_CLIENT = 20  # failures within WINDOW before an IP address is refused (an office may share one)
FAILED = col(LoginFailure.state) == AttemptState.FAILED.value


class TooManyFailures(Exception):
    """Sign-in refused until `retry_at`: too many recent failures for the username or the client."""

    def __init__(self, retry_at: dt.datetime) -> None:
        super().__init__(retry_at.isoformat())
        self.retry_at = retry_at


def _retry_at(db: Session, where: sa.ColumnElement[bool], limit: int, now: dt.datetime) -> dt.datetime | None:
    """When the attempts matching `where` drop below `limit` again; None when they already are."""
    times = db.exec(select(LoginFailure.at).where(where, col(LoginFailure.at) > now - WINDOW)
                    .order_by(col(LoginFailure.at))).all()
    return times[len(times) - limit] + WINDOW if len(times) >= limit else None


def begin(engine: sa.Engine, username: str, client: str, now: dt.datetime) -> int:
    """Record an attempt as pending before its password is checked, committed at once; its id.

    Raises TooManyFailures, keeping no record of the attempt, when the username's attempts (pending ones
    included: parallel guesses count) or the client's failures are over their limit.
    """
    with session_scope(engine) as db:
        # Rows another attempt is deleting are skipped: parallel sign-ins never wait on (or deadlock over) them.
        expired = (select(LoginFailure.id).where(col(LoginFailure.at) <= now - WINDOW)
                   .with_for_update(skip_locked=True))
        db.exec(delete(LoginFailure).where(col(LoginFailure.id).in_(expired)))
        attempt = LoginFailure(username=username, client=client, at=now)
        db.add(attempt)
        db.flush()
        attempt_id = attempt.id
    assert attempt_id is not None
    with session_scope(engine) as db:
        others = col(LoginFailure.id) != attempt_id
        waits = [_retry_at(db, sa.and_(others, col(LoginFailure.username) == username), PER_USERNAME, now),
                 _retry_at(db, sa.and_(FAILED, col(LoginFailure.client) == client), PER_CLIENT, now)]
        retry_at = max((w for w in waits if w is not None), default=None)
        if retry_at is not None:
            db.exec(delete(LoginFailure).where(col(LoginFailure.id) == attempt_id))
    if retry_at is not None:
        raise TooManyFailures(retry_at)
    return attempt_id


def failed(engine: sa.Engine, attempt_id: int, username: str, client: str, now: dt.datetime) -> None:
    """The attempt's password was wrong: count it as a failure, committed at once.

    Its pending row may be gone already (a right password for the same username, checked meanwhile, deletes
    the username's rows): the failure is then recorded anew.
    """
    with session_scope(engine) as db:
        marked = db.exec(update(LoginFailure).where(col(LoginFailure.id) == attempt_id)
                         .values(state=AttemptState.FAILED.value))
        if not marked.rowcount:
            db.add(LoginFailure(username=username, client=client, at=now, state=AttemptState.FAILED.value))


def succeeded(db: Session, username: str) -> None:
    """Forget the username's attempts (its own included); the client's other failures still count."""
    db.exec(delete(LoginFailure).where(col(LoginFailure.username) == username))
