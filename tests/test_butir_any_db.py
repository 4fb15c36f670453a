"""Butir in an assessment on SQLite and PostgreSQL: imported verdicts, the cascade, permissions, audit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, func, select

from spbe.method.rubric import get_rubric
from spbe.ops.demo import ensure_user, set_role
from spbe.services import assessments
from spbe.services import butir as service
from spbe.services.assessments import Conflict, Forbidden, Invalid, Missing
from spbe.store.db import make_engine, session_scope
from spbe.store.models import Answer, Assessment, AuditEvent, ButirState, Evidence, Instansi, Role, User

VERDICTS = Path(__file__).resolve().parent / "data" / "aceh-tengah-2026-butir.csv"
PEMDI = get_rubric("pemdi-2026")


@dataclass
class World:
    """A migrated database with one instansi, its 2026 Pemdi assessment and one user per role."""

    engine: sa.Engine
    assessment_id: int
    users: dict[Role, int]

    def session(self) -> Iterator[tuple[Session, Assessment, dict[Role, User]]]:
        with session_scope(self.engine) as db:
            users = {role: db.get(User, uid) for role, uid in self.users.items()}
            yield db, db.get(Assessment, self.assessment_id), users  # type: ignore[misc]


@pytest.fixture
def world(migrated_database_url: str) -> Iterator[World]:
    engine = make_engine(migrated_database_url)
    with session_scope(engine) as db:
        instansi = assessments.add_instansi(db, "kab-aceh-tengah", "Kabupaten Aceh Tengah")
        users = {}
        for role in (Role.KOORDINATOR, Role.KONTRIBUTOR, Role.PENINJAU, Role.ADMIN):
            user = ensure_user(db, f"u-{role.value}", "rahasia-sekali")
            set_role(db, user, instansi, role)
            users[role] = user.id
        assessment = assessments.create(
            db, instansi, Role.KOORDINATOR, "2026", "pemdi-2026", False, user=None
        )
        db.add(Answer(assessment_id=assessment.id, indicator_id="I17", assignee_id=users[Role.KONTRIBUTOR]))
        db.add(
            Evidence(
                assessment_id=assessment.id,
                indicator_id="I17",
                kind="url",
                title="Portal layanan",
                url="https://portal.example.go.id",
            )
        )
        db.add(
            Evidence(
                assessment_id=assessment.id,
                indicator_id="I03",
                kind="url",
                title="Peta kompetensi",
                url="https://sdm.example.go.id",
            )
        )
        world = World(engine, assessment.id, users)
    yield world
    engine.dispose()


def _evidence(db: Session, indicator_id: str) -> int:
    return db.exec(select(Evidence.id).where(Evidence.indicator_id == indicator_id)).one()


def _count(db: Session, model: type[SQLModel]) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def test_the_aceh_tengah_verdicts_give_level_two_for_i17_and_zero_for_i3_and_i13(world: World) -> None:
    data = VERDICTS.read_bytes()
    for db, assessment, users in world.session():
        change = service.import_verdicts(
            db, assessment, PEMDI, Role.KOORDINATOR, users[Role.KOORDINATOR], data, VERDICTS.name
        )
        assert change.butir == 37 and change.values == 0
    for db, assessment, _ in world.session():
        shown = service.show(db, assessment, PEMDI)
        levels = {k: (v["level_reached"], v["level_prepared"]) for k, v in shown["indicators"].items()}
        assert levels["I17"] == (2, 2) and levels["I03"] == (0, 0) and levels["I13"] == (0, 0)
        assert levels["I01"][0] == 1 and levels["I02"][0] == 1 and levels["I11"][0] == 1
        statuses = [s for v in shown["indicators"].values() for s in v["butir"].values()]
        assert len(statuses) == 232 and statuses.count("diterima") == 18
        assert shown["indicators"]["I04"]["butir"]["I4-L2-02"] == "otomatis_ditolak"
        assert shown["indicators"]["I13"]["butir"]["I13-L2-01"] == "revisi"
        assert shown["indicators"]["I17"]["butir"]["I17-L3-01"] == "belum"
        note = db.exec(select(ButirState.asesor_note).where(ButirState.code == "I9-L1-01")).one()
        assert "tim audit" in note
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "butir.status")).all()
        assert len(events) == 37 and all(e.note.endswith("aceh-tengah-2026-butir.csv") for e in events)


def test_importing_the_same_verdicts_again_changes_and_records_nothing(world: World) -> None:
    data = VERDICTS.read_bytes()
    for db, assessment, users in world.session():
        service.import_verdicts(db, assessment, PEMDI, Role.KOORDINATOR, None, data, VERDICTS.name)
    for db, assessment, users in world.session():
        before = _count(db, AuditEvent)
        assert (
            service.import_verdicts(db, assessment, PEMDI, Role.KOORDINATOR, None, data, "x.csv").butir == 0
        )
        assert _count(db, AuditEvent) == before


def test_a_bad_verdicts_file_names_every_bad_row_and_writes_nothing(world: World) -> None:
    bad = (
        b"butir,status,catatan\nI1-L1-01,diterima,\nI1-L9-01,diterima,\nI47-L1-01,diterima,\n"
        b"I2-L1-01,lulus,\nI01-L1-01,revisi,\nI17,9,\n"
    )
    for db, assessment, users in world.session():
        events = _count(db, AuditEvent)
        with pytest.raises(Invalid) as refused:
            service.import_verdicts(db, assessment, PEMDI, Role.KOORDINATOR, None, bad, "asesor.csv")
        detail = str(refused.value.params["detail"])
        assert "5 baris salah" in detail
        assert "baris 3: kode butir I1-L9-01 tidak dikenal" in detail
        assert "baris 4: I47-L1-01 adalah kode instrumen lain" in detail
        assert "baris 5: status 'lulus' tidak dikenal" in detail
        assert "baris 6: I1-L1-01 ganda (sudah ada di baris 2)" in detail
        assert "baris 7: nilai indikator I17 9 di luar 1–5" in detail
    for db, _, _ in world.session():
        assert _count(db, ButirState) == 0 and _count(db, AuditEvent) == events


def test_a_verdicts_file_may_carry_official_indicator_values(world: World) -> None:
    data = b'butir,status,catatan\nI17-L1-01,Diterima,\nI17,"2,5",\n'
    for db, assessment, _ in world.session():
        change = service.import_verdicts(db, assessment, PEMDI, Role.KOORDINATOR, None, data, "a.csv")
        assert (change.butir, change.values) == (1, 1)
    for db, assessment, _ in world.session():
        official = db.exec(select(Answer.official_value).where(Answer.indicator_id == "I17")).one()
        assert str(official) == "2.5"


def test_attaching_evidence_prepares_a_butir_and_detaching_the_last_unprepares_it(world: World) -> None:
    for db, assessment, users in world.session():
        kontributor = users[Role.KONTRIBUTOR]
        evidence = _evidence(db, "I17")
        state = service.attach(db, assessment, PEMDI, Role.KONTRIBUTOR, kontributor, "I17-L1-01", evidence)
        assert state.status == "disiapkan"
        service.attach(db, assessment, PEMDI, Role.KONTRIBUTOR, kontributor, "I17-L1-02", evidence)
        assert service.show(db, assessment, PEMDI)["indicators"]["I17"]["level_prepared"] == 1
        assert service.evidence_links(db, assessment)["I17-L1-02"][0].title == "Portal layanan"
        state = service.detach(db, assessment, PEMDI, Role.KONTRIBUTOR, kontributor, "I17-L1-01", evidence)
        assert state.status == "belum"
        actions = db.exec(select(AuditEvent.action).where(AuditEvent.indicator_id == "I17")).all()
        assert actions.count("butir.evidence") == 3 and actions.count("butir.status") == 3


def test_evidence_of_another_indicator_cannot_serve_a_butir(world: World) -> None:
    for db, assessment, users in world.session():
        with pytest.raises(Missing):
            service.attach(
                db,
                assessment,
                PEMDI,
                Role.KOORDINATOR,
                users[Role.KOORDINATOR],
                "I17-L1-01",
                _evidence(db, "I03"),
            )


CASES = [
    # (role, indicator's butir, status, allowed)
    (Role.KOORDINATOR, "I3-L1-01", "diterima", True),
    (Role.KOORDINATOR, "I3-L1-01", "diunggah", True),
    (Role.KOORDINATOR, "I3-L1-01", "revisi", True),
    (Role.KONTRIBUTOR, "I17-L1-01", "diterima", False),
    (Role.KONTRIBUTOR, "I17-L1-01", "diunggah", False),
    (Role.KONTRIBUTOR, "I17-L1-01", "belum", True),
    (Role.KONTRIBUTOR, "I3-L1-01", "belum", False),  # not their indicator
    (Role.PENINJAU, "I17-L1-01", "belum", False),
    (Role.PENINJAU, "I17-L1-01", "diterima", False),
    (Role.ADMIN, "I17-L1-01", "diterima", False),
]


@pytest.mark.parametrize(("role", "code", "status", "allowed"), CASES)
def test_who_may_move_a_butir_to_which_status(
    world: World, role: Role, code: str, status: str, allowed: bool
) -> None:
    for db, assessment, users in world.session():
        if allowed:
            state = service.set_status(db, assessment, PEMDI, role, users[role], code, status)
            assert state.status == status
        else:
            with pytest.raises(Forbidden):
                service.set_status(db, assessment, PEMDI, role, users[role], code, status)
            assert _count(db, ButirState) == 0 or db.exec(select(ButirState.status)).one() == "belum"


def test_a_kontributor_cannot_undo_a_verdict_but_fixes_a_revisi(world: World) -> None:
    for db, assessment, users in world.session():
        koordinator, kontributor = users[Role.KOORDINATOR], users[Role.KONTRIBUTOR]
        service.set_status(db, assessment, PEMDI, Role.KOORDINATOR, koordinator, "I17-L1-01", "diterima")
        with pytest.raises(Forbidden):
            service.set_status(db, assessment, PEMDI, Role.KONTRIBUTOR, kontributor, "I17-L1-01", "belum")
        service.set_status(
            db,
            assessment,
            PEMDI,
            Role.KOORDINATOR,
            koordinator,
            "I17-L1-02",
            "revisi",
            "belum_diunggah",
            "Unggah tangkapan layar portal.",
        )
        service.attach(
            db, assessment, PEMDI, Role.KONTRIBUTOR, kontributor, "I17-L1-02", _evidence(db, "I17")
        )
        state = service.set_status(
            db, assessment, PEMDI, Role.KONTRIBUTOR, kontributor, "I17-L1-02", "disiapkan"
        )
        assert (state.status, state.asesor_note) == ("disiapkan", "Unggah tangkapan layar portal.")


def test_disiapkan_needs_evidence_and_otomatis_ditolak_is_never_chosen(world: World) -> None:
    for db, assessment, users in world.session():
        koordinator = users[Role.KOORDINATOR]
        with pytest.raises(Invalid, match="butir.error.no_evidence"):
            service.set_status(db, assessment, PEMDI, Role.KOORDINATOR, koordinator, "I17-L1-01", "disiapkan")
        with pytest.raises(Invalid, match="butir.error.computed"):
            service.set_status(
                db, assessment, PEMDI, Role.KOORDINATOR, koordinator, "I17-L1-01", "otomatis_ditolak"
            )
        with pytest.raises(Invalid, match="butir.error.reason"):
            service.set_status(
                db, assessment, PEMDI, Role.KOORDINATOR, koordinator, "I17-L1-01", "revisi", "salah"
            )
        with pytest.raises(Missing):
            service.set_status(db, assessment, PEMDI, Role.KOORDINATOR, koordinator, "I17-L9-01", "diterima")


def test_after_submitting_verdicts_are_still_recorded_but_preparation_waits_for_a_reopen(
    world: World,
) -> None:
    for db, assessment, users in world.session():
        assessment.status = "submitted"
        db.add(assessment)
        db.flush()
        service.set_status(
            db, assessment, PEMDI, Role.KOORDINATOR, users[Role.KOORDINATOR], "I17-L1-01", "diterima"
        )
        with pytest.raises(Conflict):
            service.attach(
                db,
                assessment,
                PEMDI,
                Role.KONTRIBUTOR,
                users[Role.KONTRIBUTOR],
                "I17-L1-02",
                _evidence(db, "I17"),
            )


def test_a_due_date_is_kept_and_audited_and_a_bad_one_refused(world: World) -> None:
    for db, assessment, users in world.session():
        koordinator = users[Role.KOORDINATOR]
        state = service.set_due(
            db, assessment, PEMDI, Role.KOORDINATOR, koordinator, "I01-L2-02", "2027-03-31"
        )
        assert str(state.due_date) == "2027-03-31" and state.code == "I1-L2-02"
        with pytest.raises(Invalid):
            service.set_due(db, assessment, PEMDI, Role.KOORDINATOR, koordinator, "I1-L2-02", "31/03/2027")
        with pytest.raises(Forbidden):
            service.set_due(db, assessment, PEMDI, Role.KONTRIBUTOR, users[Role.KONTRIBUTOR], "I17-L1-01", "")
        assert db.exec(select(AuditEvent.new_value).where(AuditEvent.action == "butir.due")).all() == [
            "2027-03-31"
        ]


def test_a_new_year_from_last_year_carries_butir_links_and_notes_but_not_the_verdicts(world: World) -> None:
    for db, assessment, users in world.session():
        koordinator = users[Role.KOORDINATOR]
        portal = _evidence(db, "I17")
        for code in ("I17-L1-01", "I17-L1-02"):
            service.attach(db, assessment, PEMDI, Role.KOORDINATOR, koordinator, code, portal)
        service.set_status(db, assessment, PEMDI, Role.KOORDINATOR, koordinator, "I17-L1-01", "diterima")
        service.set_status(
            db,
            assessment,
            PEMDI,
            Role.KOORDINATOR,
            koordinator,
            "I17-L1-02",
            "revisi",
            "",
            "Unggah tangkapan layar.",
        )
        service.set_status(
            db,
            assessment,
            PEMDI,
            Role.KOORDINATOR,
            koordinator,
            "I3-L1-01",
            "revisi",
            "belum_diunggah",
            "Belum ada.",
        )
        service.set_due(db, assessment, PEMDI, Role.KOORDINATOR, koordinator, "I17-L2-01", "2026-12-31")
    for db, assessment, _ in world.session():
        instansi_id = assessment.instansi_id
        instansi = db.get(Instansi, instansi_id)
        new = assessments.create(db, instansi, Role.KOORDINATOR, "2027", "pemdi-2026", True, user=None)
        new_id = new.id
    with session_scope(world.engine) as db:
        new = db.get(Assessment, new_id)
        states = service.states_of(db, new)
        assert sorted(states) == ["I17-L1-01", "I17-L1-02", "I3-L1-01"]  # I17-L2-01 had only a due date
        shown = {code: (s.status, s.asesor_note) for code, s in states.items()}
        assert shown == {
            "I17-L1-01": ("disiapkan", ""),
            "I17-L1-02": ("disiapkan", "Catatan asesor 2026: Unggah tangkapan layar."),
            "I3-L1-01": ("belum", "Catatan asesor 2026: Belum ada."),
        }
        links = service.evidence_links(db, new)
        assert [e.assessment_id for e in links["I17-L1-01"]] == [new_id] and links["I17-L1-02"][
            0
        ].carried_over
        levels = service.show(db, new, PEMDI)["indicators"]["I17"]
        assert (levels["level_reached"], levels["level_prepared"]) == (0, 1)
        old = service.states_of(db, db.get(Assessment, world.assessment_id))
        assert (old["I17-L1-01"].status, old["I17-L1-02"].reason) == ("diterima", "tidak_tepat")  # untouched


def test_a_note_carried_once_keeps_its_year() -> None:
    assert assessments.carried_note(2026, "Sertakan SK.") == "Catatan asesor 2026: Sertakan SK."
    assert (
        assessments.carried_note(2027, "Catatan asesor 2026: Sertakan SK.")
        == "Catatan asesor 2026: Sertakan SK."
    )
    assert assessments.carried_note(2027, "") == ""
