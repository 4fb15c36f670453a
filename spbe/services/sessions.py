"""Server-side validity of signed-in sessions: one version per user, checked on every request.

The session cookie is signed but stateless; it carries the user's id and the session version it began at.
Raising the user's `session_version` in the database ends all of that user's sessions at once, on every
worker: at sign-out, password change, role change and deactivation. The admin pages call end_sessions.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from sqlmodel import Session, col, update

from spbe.services.passwords import hash_password
from spbe.store.models import User

USER_KEY = "user_id"
VERSION_KEY = "session_version"


def begin(session: MutableMapping[str, Any], user: User) -> None:
    """Start a signed-in session for the user (the caller has cleared the cookie's old contents)."""
    session[USER_KEY] = user.id
    session[VERSION_KEY] = user.session_version


def is_current(session: MutableMapping[str, Any], user: User) -> bool:
    """True while the session's version is still the user's: no sign-out or change has ended it."""
    version = session.get(VERSION_KEY)
    return isinstance(version, int) and version == user.session_version


def end_sessions(db: Session, user: User) -> None:
    """End every session of the user now (all devices, all workers); committed with the caller's change."""
    db.exec(update(User).where(col(User.id) == user.id).values(session_version=User.session_version + 1))
    db.refresh(user)


def set_password(db: Session, user: User, password: str) -> None:
    """Give the user a new password and end their sessions (a stolen cookie ends with the old password)."""
    user.password_hash = hash_password(password)
    db.add(user)
    end_sessions(db, user)
