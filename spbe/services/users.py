"""An instansi's members: add, change a role, deactivate, reset a password; system admins add instansi.

Every change is audited in the same transaction. An instansi admin manages the members of their own
instansi; a person who is also a member elsewhere can only be deactivated or given a new password by a
system administrator, and no change may leave an instansi without an active admin.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, select

from spbe.services import audit, sessions
from spbe.services.assessments import Forbidden, Invalid, Missing
from spbe.services.passwords import hash_password
from spbe.store.models import Instansi, InstansiKind, Membership, Role, User

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,99}")
CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,99}")
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I
PASSWORD_LENGTH = 14
MIN_PASSWORD = 8
STATE = {True: "active", False: "inactive"}  # as the audit trail records a user's state


@dataclass(frozen=True)
class Member:
    """One row of an instansi's member list: the person, their role here, and where else they belong."""

    user: User
    role: Role
    other_instansi: int


def generate_password() -> str:
    """A random password of 14 unambiguous letters and digits (about 80 bits), to be shown once."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def may_manage(db: Session, actor: User, instansi: Instansi) -> bool:
    """True when the actor is a system admin or an admin of this instansi."""
    return actor.is_system_admin or member_role(db, actor, instansi) is Role.ADMIN


def member_role(db: Session, user: User, instansi: Instansi) -> Role | None:
    """The user's role in the instansi, or None when they are not a member."""
    found = _membership(db, user, instansi)
    return Role(found.role) if found else None


def _membership(db: Session, user: User, instansi: Instansi) -> Membership | None:
    query = select(Membership).where(Membership.user_id == user.id, Membership.instansi_id == instansi.id)
    return db.exec(query).first()


def _require_manager(db: Session, actor: User, instansi: Instansi) -> None:
    if not may_manage(db, actor, instansi):
        raise Forbidden("error.forbidden")


def members(db: Session, instansi: Instansi) -> list[Member]:
    """The instansi's members by name, active first, each with the number of other instansi they belong to."""
    rows = db.exec(
        select(User, Membership.role).join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.instansi_id == instansi.id)
    ).all()
    found = []
    for user, role in rows:
        others = db.exec(select(Membership.id).where(Membership.user_id == user.id,
                                                     Membership.instansi_id != instansi.id)).all()
        found.append(Member(user, Role(role), len(others)))
    return sorted(found, key=lambda m: (not m.user.is_active, (m.user.full_name or m.user.username).lower()))


def member(db: Session, instansi: Instansi, user_id: int) -> tuple[User, Membership]:
    """A member of the instansi by id; Missing when the user does not belong to it."""
    user = db.get(User, user_id)
    found = _membership(db, user, instansi) if user else None
    if user is None or found is None:
        raise Missing("admin.error.no_member")
    return user, found


def _role_of(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        raise Invalid("admin.error.role", role=text[:30]) from None


def _active_admins(db: Session, instansi: Instansi) -> int:
    query = select(User.id).join(Membership, col(Membership.user_id) == User.id).where(
        Membership.instansi_id == instansi.id, Membership.role == Role.ADMIN.value, col(User.is_active)
    )
    return len(db.exec(query).all())


def _keep_an_admin(db: Session, instansi: Instansi, user: User, membership: Membership) -> None:
    """Refuse a change that would take away the instansi's last active admin."""
    if user.is_active and membership.role == Role.ADMIN.value and _active_admins(db, instansi) <= 1:
        raise Invalid("admin.error.last_admin")


def add_member(
    db: Session, actor: User | None, instansi: Instansi, username: str, full_name: str, role: str,
    password: str | None = None,
) -> tuple[User, str]:
    """Create a user with a role in the instansi; returns the user and their password (generated if none).

    `actor` None is the command line. A name already taken is refused: the person may belong to another
    instansi, and only a system admin may add them here too (with `set_role`).
    """
    if actor is not None:
        _require_manager(db, actor, instansi)
    name, chosen = username.strip().lower(), _role_of(role)
    if not USERNAME.fullmatch(name):
        raise Invalid("admin.error.username")
    if db.exec(select(User).where(User.username == name)).first() is not None:
        raise Invalid("admin.error.taken", username=name)
    password = password or generate_password()
    if len(password) < MIN_PASSWORD:
        raise Invalid("admin.error.password_short", length=MIN_PASSWORD)
    user = User(username=name, full_name=full_name.strip()[:200], password_hash=hash_password(password))
    db.add(user)
    db.flush()
    db.add(Membership(user_id=user.id, instansi_id=instansi.id, role=chosen.value))
    audit.record(db, actor, "member.add", instansi, new=chosen.value, note=name)
    db.flush()
    return user, password


def set_role(db: Session, actor: User | None, instansi: Instansi, user: User, role: str) -> bool:
    """Give a user a role in the instansi (adding them when a system admin or the command line asks).

    Returns True when something changed. Refuses to demote the last active admin.
    """
    if actor is not None:
        _require_manager(db, actor, instansi)
    chosen = _role_of(role)
    found = _membership(db, user, instansi)
    if found is None and actor is not None and not actor.is_system_admin:
        raise Missing("admin.error.no_member")
    if found is not None and found.role == chosen.value:
        return False
    if found is not None and chosen is not Role.ADMIN:
        _keep_an_admin(db, instansi, user, found)
    old = found.role if found else None
    found = found or Membership(user_id=user.id, instansi_id=instansi.id, role=chosen.value)
    found.role = chosen.value
    db.add(found)
    audit.record(db, actor, "member.role", instansi, old=old, new=chosen.value, note=user.username)
    sessions.end_sessions(db, user)  # the copied cookie stops working at once
    db.flush()
    return True


def _may_change_person(db: Session, actor: User | None, instansi: Instansi, user: User) -> None:
    """Someone who belongs to other instansi too is deactivated or reset only by a system admin or the CLI."""
    if actor is None or actor.is_system_admin:
        return
    others = db.exec(select(Membership.id).where(Membership.user_id == user.id,
                                                 Membership.instansi_id != instansi.id)).first()
    if others is not None:
        raise Forbidden("admin.error.elsewhere", username=user.username)


def set_active(db: Session, actor: User | None, instansi: Instansi | None, user: User, active: bool) -> bool:
    """Deactivate (no sign-in; answers, evidence and history stay) or reactivate a member; True if changed.

    The command line passes no instansi: the change is then recorded in every instansi the user belongs to.
    """
    if actor is not None:
        if instansi is None:
            raise Forbidden("error.forbidden")
        _require_manager(db, actor, instansi)
    places = [instansi] if instansi is not None else instansi_of(db, user)
    for place in places:
        _, membership = member(db, place, user.id or 0)
        if not active and user.is_active:
            _keep_an_admin(db, place, user, membership)
    if user.is_active == active:
        return False
    if actor is not None and actor.id == user.id:
        raise Invalid("admin.error.self")
    if instansi is not None:
        _may_change_person(db, actor, instansi, user)
    user.is_active = active
    db.add(user)
    for place in places:
        audit.record(db, actor, "user.activate" if active else "user.deactivate", place,
                     old=STATE[not active], new=STATE[active], note=user.username)
    if not active:
        sessions.end_sessions(db, user)  # the copied cookie stops working at once
    db.flush()
    return True


def instansi_of(db: Session, user: User) -> list[Instansi]:
    """Every instansi the user belongs to."""
    query = select(Instansi).join(Membership, col(Membership.instansi_id) == Instansi.id)
    return list(db.exec(query.where(Membership.user_id == user.id)).all())


def reset_password(db: Session, actor: User | None, instansi: Instansi, user: User) -> str:
    """Give a member a new generated password (returned, to be shown once; only its hash is kept)."""
    if actor is not None:
        _require_manager(db, actor, instansi)
    member(db, instansi, user.id or 0)
    _may_change_person(db, actor, instansi, user)
    password = generate_password()
    sessions.set_password(db, user, password)  # the copied cookie stops working at once
    audit.record(db, actor, "user.password_reset", instansi, note=user.username)
    db.flush()
    return password


def add_instansi(db: Session, actor: User | None, code: str, name: str, kind: str) -> Instansi:
    """Create an instansi (system admin or the command line); a system admin becomes its first admin."""
    if actor is not None and not actor.is_system_admin:
        raise Forbidden("error.forbidden")
    code, name = code.strip().lower(), " ".join(name.split())
    if not CODE.fullmatch(code):
        raise Invalid("admin.error.code")
    if not name or len(name) > 200:
        raise Invalid("admin.error.name")
    if kind not in {k.value for k in InstansiKind}:
        raise Invalid("admin.error.kind")
    if db.exec(select(Instansi).where(Instansi.code == code)).first() is not None:
        raise Invalid("admin.error.code_taken", code=code)
    instansi = Instansi(code=code, name=name, kind=kind)
    db.add(instansi)
    db.flush()
    audit.record(db, actor, "instansi.add", instansi, new=code, note=name)
    if actor is not None:
        db.add(Membership(user_id=actor.id, instansi_id=instansi.id, role=Role.ADMIN.value))
        audit.record(db, actor, "member.role", instansi, new=Role.ADMIN.value, note=actor.username)
    db.flush()
    return instansi


def all_instansi(db: Session) -> list[Instansi]:
    """Every instansi by name (the system admin's list)."""
    return sorted(db.exec(select(Instansi)).all(), key=lambda i: i.name.lower())
