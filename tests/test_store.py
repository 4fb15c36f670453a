"""The queries keeps instansi, assessments and answers exactly, with the schema's guarantees, on both DBs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from spbe.method.rubric import Rubric
from spbe.method.scoring import score
from spbe.store import queries
from spbe.store.db import make_engine
from spbe.store.models import Answer, Assessment, Comment, Evidence, Instansi, StoredFile, User


@pytest.fixture
def engine(migrated_database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(migrated_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def assessment(session: Session, rubric: Rubric) -> Assessment:
    instansi = queries.get_or_create_instansi(session, "kota-pasuruan", "Pemerintah Kota Pasuruan", "kota")
    assessment = queries.create_assessment(session, instansi, 2024, rubric)
    session.commit()
    return assessment


def _count(session: Session, table: type) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def test_an_instansi_is_created_once_and_found_again_by_its_code(session: Session) -> None:
    first = queries.get_or_create_instansi(session, "kota-pasuruan", "Pemerintah Kota Pasuruan", "kota")
    again = queries.get_or_create_instansi(session, "kota-pasuruan", "Kota Pasuruan", "kota")
    session.commit()
    assert again.id == first.id
    assert (again.name, again.kind) == ("Pemerintah Kota Pasuruan", "kota")
    assert _count(session, Instansi) == 1


def test_an_unknown_instansi_kind_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="desa"):
        queries.get_or_create_instansi(session, "desa-x", "Desa X", "desa")


def test_the_database_refuses_a_kind_outside_the_list(session: Session) -> None:
    session.add(Instansi(code="desa-x", name="Desa X", kind="desa"))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_an_assessment_records_its_rubric_and_starts_as_draft(
    engine: sa.Engine, assessment: Assessment, rubric: Rubric
) -> None:
    with Session(engine) as fresh:
        stored = fresh.get(Assessment, assessment.id)
        instansi = fresh.exec(select(Instansi).where(Instansi.code == "kota-pasuruan")).one()
        assert queries.get_assessment(fresh, instansi, 2024) == stored
        assert queries.get_assessment(fresh, instansi, 2023) is None
    assert (stored.year, stored.rubric_id, stored.rubric_version, stored.status) == (
        2024,
        rubric.id,
        rubric.meta.version,
        "draft",
    )


def test_saved_values_read_back_as_the_answered_indicators_and_score(
    engine: sa.Engine, session: Session, assessment: Assessment, rubric: Rubric
) -> None:
    queries.save_value(session, assessment, "I01", Decimal(3), "SK Arsitektur SPBE")
    queries.save_value(session, assessment, "I02", Decimal(4))
    queries.save_value(session, assessment, "I03", None)
    session.commit()
    with Session(engine) as fresh:
        values = queries.assessment_values(fresh, fresh.get(Assessment, assessment.id))
        explanation = fresh.exec(select(Answer.explanation).where(Answer.indicator_id == "I01")).one()
    assert values == {"I01": Decimal(3), "I02": Decimal(4)}
    assert explanation == "SK Arsitektur SPBE"
    assert score(rubric, values).answered == 2


def test_saving_a_value_again_updates_the_one_answer_and_keeps_its_explanation(
    session: Session, assessment: Assessment
) -> None:
    first = queries.save_value(session, assessment, "I07", Decimal(2), "draft kebijakan")
    session.commit()
    again = queries.save_value(session, assessment, "I07", Decimal(3))
    session.commit()
    assert again.id == first.id
    assert (again.value, again.explanation, again.version) == (Decimal(3), "draft kebijakan", 2)
    assert _count(session, Answer) == 1


def test_a_decimal_value_round_trips_exactly(
    engine: sa.Engine, session: Session, assessment: Assessment
) -> None:
    queries.save_value(session, assessment, "I01", Decimal("1.1667"))
    queries.save_value(session, assessment, "I02", Decimal(3))
    session.commit()
    with Session(engine) as fresh:
        values = queries.assessment_values(fresh, fresh.get(Assessment, assessment.id))
    assert {k: str(v) for k, v in values.items()} == {"I01": "1.1667", "I02": "3"}


def test_an_instansi_has_only_one_assessment_per_year(
    session: Session, assessment: Assessment, rubric: Rubric
) -> None:
    instansi = session.get(Instansi, assessment.instansi_id)
    queries.create_assessment(session, instansi, 2025, rubric)
    with pytest.raises(sa.exc.IntegrityError):
        queries.create_assessment(session, instansi, 2024, rubric)


def test_an_assessment_has_only_one_answer_per_indicator(session: Session, assessment: Assessment) -> None:
    session.add(Answer(assessment_id=assessment.id, indicator_id="I01", value=Decimal(1)))
    session.add(Answer(assessment_id=assessment.id, indicator_id="I01", value=Decimal(2)))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_deleting_an_assessment_deletes_its_answers_evidence_and_comments(
    session: Session, assessment: Assessment
) -> None:
    user = User(username="asesor", password_hash="x")
    stored = StoredFile(sha256="a" * 64, size=3, content_type="application/pdf", storage_name="aa/aaaa.pdf")
    session.add_all([user, stored])
    session.flush()
    queries.save_value(session, assessment, "I01", Decimal(3))
    session.add(
        Evidence(assessment_id=assessment.id, indicator_id="I01", kind="file", title="SK", file_id=stored.id)
    )
    session.add(
        Comment(assessment_id=assessment.id, indicator_id="I01", user_id=user.id, body="Lengkapi SK.")
    )
    session.commit()
    session.delete(assessment)
    session.commit()
    assert [_count(session, t) for t in (Answer, Evidence, Comment)] == [0, 0, 0]
    assert [_count(session, t) for t in (Instansi, User, StoredFile)] == [1, 1, 1]


def test_timestamps_read_back_timezone_aware_in_utc(engine: sa.Engine, assessment: Assessment) -> None:
    with Session(engine) as fresh:
        stored = fresh.get(Assessment, assessment.id)
    assert stored.created_at.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - stored.created_at) < dt.timedelta(minutes=1)


def test_evidence_levels_are_stored_as_text_and_read_as_a_sorted_list(
    engine: sa.Engine, session: Session, assessment: Assessment
) -> None:
    evidence = Evidence(assessment_id=assessment.id, indicator_id="I01", kind="url", title="Portal")
    assert evidence.level_list == []
    evidence.level_list = [5, 2, 5]
    session.add(evidence)
    session.commit()
    with Session(engine) as fresh:
        stored = fresh.get(Evidence, evidence.id)
    assert (stored.levels, stored.level_list) == ("2,5", [2, 5])
    stored.levels = "4, 3"
    assert stored.level_list == [3, 4]
