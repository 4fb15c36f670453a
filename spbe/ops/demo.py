"""The demo instansi: Kota Pasuruan with its published 2021 and 2022 levels and one account per role."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from spbe.method.levels_file import read_levels
from spbe.method.rubric import get_rubric
from spbe.services import audit
from spbe.services.passwords import hash_password
from spbe.store import queries
from spbe.store.models import Instansi, InstansiKind, Membership, Role, User

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_CODE = "kota-pasuruan"
# Demo accounts (documented in the README): username = password = the role's name prefixed "demo-".
DEMO_USERS = {role: f"demo-{role.value}" for role in Role}


def ensure_user(db: Session, username: str, password: str, full_name: str = "") -> User:
    """Return the user with this name, creating it with the password when missing."""
    user = db.exec(select(User).where(User.username == username)).first()
    if user is None:
        user = User(username=username, full_name=full_name, password_hash=hash_password(password))
        db.add(user)
        db.flush()
    return user


def _membership(db: Session, user: User, instansi: Instansi) -> Membership | None:
    query = select(Membership).where(Membership.user_id == user.id, Membership.instansi_id == instansi.id)
    return db.exec(query).first()


def ensure_member(db: Session, user: User, instansi: Instansi, role: Role) -> Membership:
    """Give a user a role in an instansi (keeping an existing membership's role)."""
    return _membership(db, user, instansi) or set_role(db, user, instansi, role)


def set_role(db: Session, user: User, instansi: Instansi, role: Role) -> Membership:
    """Give a user a role in an instansi or change it; recorded in the audit trail (by the command line)."""
    found = _membership(db, user, instansi)
    if found is not None and found.role == role.value:
        return found
    old = found.role if found else None
    found = found or Membership(user_id=user.id, instansi_id=instansi.id, role=role.value)
    found.role = role.value
    db.add(found)
    audit.record(db, None, "member.role", instansi, old=old, new=role.value, note=user.username)
    db.flush()
    return found


def seed_demo(db: Session) -> Instansi:
    """Create the demo instansi, its accounts and its 2021/2022 assessments; running it again changes nothing."""
    rubric = get_rubric("spbe-2021")
    instansi = queries.get_or_create_instansi(db, DEMO_CODE, "Kota Pasuruan", InstansiKind.KOTA)
    for role, name in DEMO_USERS.items():
        user = ensure_user(db, name, name, full_name=f"Demo {role.value.title()}")
        user.is_system_admin = role is Role.ADMIN  # the demo admin also tries adding instansi
        ensure_member(db, user, instansi, role)
    for year in (2021, 2022):
        if queries.get_assessment(db, instansi, year) is not None:
            continue
        assessment = queries.create_assessment(db, instansi, year, rubric)
        for indicator_id, value in read_levels(DEMO_DATA / f"kota-pasuruan-{year}.csv", rubric).items():
            queries.save_value(db, assessment, indicator_id, value)
    return instansi
