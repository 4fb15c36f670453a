"""The demo instansi: Kota Pasuruan with its published 2021 and 2022 levels, one account per role, and a
demo Indeks Pemdi 2026 with invented butir states (`spbe demo`)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from spbe.method.levels_file import read_levels
from spbe.method.rubric import get_rubric
from spbe.services import audit, sessions
from spbe.services.passwords import hash_password
from spbe.store import queries
from spbe.store.models import Evidence, EvidenceKind, Instansi, InstansiKind, Membership, Role, User

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
    """Give a user a role in an instansi or change it (ending their sessions), in the audit trail."""
    found = _membership(db, user, instansi)
    if found is not None and found.role == role.value:
        return found
    old = found.role if found else None
    found = found or Membership(user_id=user.id, instansi_id=instansi.id, role=role.value)
    found.role = role.value
    db.add(found)
    audit.record(db, None, "member.role", instansi, old=old, new=role.value, note=user.username)
    if old is not None:  # a changed role: sessions begun under the old one end now
        sessions.end_sessions(db, user)
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


# The demo's Indeks Pemdi 2026: invented claims, units, assignments and asesor verdicts (labelled
# "[Contoh demo]"), so every butir state and the work list can be tried out. Not Kota Pasuruan's real data.
DEMO_PEMDI_YEAR = 2026
DEMO_PEMDI_CLAIMS = {"I01": "2", "I02": "2", "I03": "2", "I04": "2", "I13": "2", "I17": "3", "I20": "2"}
DEMO_PEMDI_UNITS = {
    "I01": "Bappeda",
    "I03": "BKPSDM",
    "I13": "Diskominfo",
    "I17": "Diskominfo",
    "I20": "Bagian Organisasi",
}
DEMO_PEMDI_ASSIGNED = ("I13", "I17", "I20")  # to the demo kontributor
DEMO_PEMDI_EVIDENCE = {  # butir -> (title, link, status after attaching)
    "I17-L3-02": (
        "[Contoh demo] Hasil uji kesesuaian UI/UX portal",
        "https://pasuruankota.go.id",
        "disiapkan",
    ),
    "I13-L2-01": ("[Contoh demo] Dokumen SDLC aplikasi perizinan", "https://pasuruankota.go.id", "disiapkan"),
    "I20-L2-02": (
        "[Contoh demo] Rekap transaksi layanan digital 2025",
        "https://pasuruankota.go.id",
        "diunggah",
    ),
}


def seed_demo_pemdi(db: Session, instansi: Instansi) -> bool:
    """Add the demo's Pemdi 2026 assessment with a mix of butir states (once); True when it was added."""
    from decimal import Decimal

    from spbe.services import butir as butir_service

    if queries.get_assessment(db, instansi, DEMO_PEMDI_YEAR) is not None:
        return False
    rubric = get_rubric("pemdi-2026")
    assessment = queries.create_assessment(db, instansi, DEMO_PEMDI_YEAR, rubric)
    koordinator = db.exec(select(User).where(User.username == DEMO_USERS[Role.KOORDINATOR])).one()
    kontributor = db.exec(select(User).where(User.username == DEMO_USERS[Role.KONTRIBUTOR])).one()
    for indicator_id, value in DEMO_PEMDI_CLAIMS.items():
        answer = queries.save_value(db, assessment, indicator_id, Decimal(value))
        answer.responsible_unit = DEMO_PEMDI_UNITS.get(indicator_id, "")
        answer.assignee_id = kontributor.id if indicator_id in DEMO_PEMDI_ASSIGNED else None
        answer.target_value = Decimal(int(value) + 1)
        db.add(answer)
    db.flush()
    verdicts = DEMO_DATA / "kota-pasuruan-2026-butir.csv"
    butir_service.import_verdicts(
        db, assessment, rubric, Role.KOORDINATOR, koordinator, verdicts.read_bytes(), verdicts.name
    )
    for code, (title, url, status) in DEMO_PEMDI_EVIDENCE.items():
        indicator_id = butir_service.butir_of(rubric, code)[0]
        item = Evidence(
            assessment_id=assessment.id,
            indicator_id=indicator_id,
            kind=EvidenceKind.URL.value,
            title=title,
            url=url,
            note="Data contoh untuk demo.",
            created_by_id=koordinator.id,
        )
        db.add(item)
        db.flush()
        butir_service.attach(db, assessment, rubric, Role.KOORDINATOR, koordinator, code, item.id)
        if status != "disiapkan":
            butir_service.set_status(db, assessment, rubric, Role.KOORDINATOR, koordinator, code, status)
    return True
