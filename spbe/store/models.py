"""Database tables: instansi and their users, assessments with answers, evidence files and comments.

Constraints and indexes carry explicit names so Alembic autogenerate sees the same schema on SQLite and
PostgreSQL, and SQLite batch migrations can find them. Migrations never import this module's types.
"""

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from spbe.method.butir import Reason, Status

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class InstansiKind(StrEnum):
    """The kinds of instansi evaluated: central (kementerian, lembaga) and regional (pemda)."""

    KEMENTERIAN = "kementerian"
    LPNK = "lpnk"
    LEMBAGA_LAINNYA = "lembaga_lainnya"
    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KOTA = "kota"


class Role(StrEnum):
    """What a member may do in an instansi's workspace."""

    ADMIN = "admin"
    KOORDINATOR = "koordinator"
    KONTRIBUTOR = "kontributor"
    PENINJAU = "peninjau"


class AssessmentStatus(StrEnum):
    """Whether an assessment is still being filled in or has been submitted."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class AttemptState(StrEnum):
    """A sign-in attempt is pending while its password is checked, and failed once it proved wrong."""

    PENDING = "pending"
    FAILED = "failed"


class EvidenceKind(StrEnum):
    """An evidence item is an uploaded file or a link."""

    FILE = "file"
    URL = "url"


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite itself drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: use timezone-aware UTC (spbe.store.models.utcnow)")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class IndicatorValue(sa.TypeDecorator[Decimal]):
    """An exact value with up to 4 decimals, read back without padding zeros (3, not 3.0000; 1.1667)."""

    impl = sa.Numeric(8, 4)
    cache_ok = True

    def process_result_value(self, value: Decimal | None, dialect: sa.Dialect) -> Decimal | None:
        if value is None:
            return None
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _one_of(column: str, values: type[StrEnum]) -> sa.CheckConstraint:
    """A named CHECK constraint keeping a text column within an enumeration."""
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=column)


def _created() -> Any:
    """A creation timestamp filled in by Python, so both databases agree on it."""
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _updated() -> Any:
    """A modification timestamp refreshed on every UPDATE of the row."""
    return Field(
        default_factory=utcnow, sa_type=UTCDateTime, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


def _text() -> Any:
    """Free text of any length, empty by default."""
    return Field(default="", sa_type=sa.Text, nullable=False)


def _user_ref() -> Any:
    """An optional link to a user that is cleared, not cascaded, when the user is deleted."""
    return Field(default=None, foreign_key="users.id", ondelete="SET NULL", nullable=True)


class Instansi(SQLModel, table=True):
    """A government agency (kementerian, lembaga or pemda) that assesses itself."""

    __tablename__ = "instansi"
    __table_args__ = (
        sa.UniqueConstraint("code", name="uq_instansi_code"),
        _one_of("kind", InstansiKind),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=100)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    created_at: dt.datetime = _created()


class User(SQLModel, table=True):
    """A person who signs in to the web workspace."""

    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("username", name="uq_users_username"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100)
    full_name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    is_active: bool = True  # a deactivated user cannot sign in; their answers and history stay
    is_system_admin: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: dt.datetime = _created()
    # Every signed-in session carries the version it began at; raising it ends them all (services.sessions).
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, or one being checked (pending), counted per username and per client (login_limit)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.Index("ix_login_failures_username_at", "username", "at"),
        sa.Index("ix_login_failures_client_at", "client", "at"),
        _one_of("state", AttemptState),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100)  # as typed (trimmed): unknown names count too
    client: str = Field(max_length=64)  # the client's IP address
    at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    state: str = Field(default=AttemptState.PENDING.value, max_length=10)


class Membership(SQLModel, table=True):
    """A user's role in one instansi's workspace."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "instansi_id", name="uq_memberships_user_id_instansi_id"),
        sa.Index("ix_memberships_instansi_id", "instansi_id"),
        _one_of("role", Role),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    instansi_id: int = Field(foreign_key="instansi.id", ondelete="CASCADE")
    role: str = Field(max_length=20)


class Assessment(SQLModel, table=True):
    """One instansi's self-assessment for one year against one rubric version."""

    __tablename__ = "assessments"
    __table_args__ = (
        sa.UniqueConstraint("instansi_id", "year", name="uq_assessments_instansi_id_year"),
        _one_of("status", AssessmentStatus),
    )

    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id")
    year: int
    rubric_id: str = Field(max_length=64)
    rubric_version: str = Field(max_length=32)
    status: str = Field(default=AssessmentStatus.DRAFT.value, max_length=20)
    created_at: dt.datetime = _created()
    updated_at: dt.datetime = _updated()


class Answer(SQLModel, table=True):
    """The value, explanation and follow-up of one indicator in one assessment."""

    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "indicator_id", name="uq_answers_assessment_id_indicator_id"),
        sa.Index("ix_answers_assignee_id", "assignee_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessments.id", ondelete="CASCADE")
    indicator_id: str = Field(max_length=16)
    value: Decimal | None = Field(default=None, sa_type=IndicatorValue)
    explanation: str = _text()
    target_value: Decimal | None = Field(default=None, sa_type=IndicatorValue)
    official_value: Decimal | None = Field(default=None, sa_type=IndicatorValue)  # KemenPANRB's nilai akhir
    source_value: Decimal | None = Field(default=None, sa_type=IndicatorValue)  # another agency's index (I05: SDI)
    responsible_unit: str = Field(default="", max_length=255)
    assignee_id: int | None = _user_ref()
    carried_over: bool = False
    version: int = 1
    updated_at: dt.datetime = _updated()
    updated_by_id: int | None = _user_ref()


class Kpi(SQLModel, table=True):
    """A performance indicator (IKU) in an instansi's LKJIP: the index or a domain, and its Renstra end target."""

    __tablename__ = "kpis"
    __table_args__ = (
        sa.UniqueConstraint("instansi_id", "scope", name="uq_kpis_instansi_id_scope"),
        sa.CheckConstraint("end_target > 0", name="end_target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", ondelete="CASCADE")
    scope: str = Field(max_length=16)  # "index" or a domain id such as D2
    end_year: int | None = None
    end_target: Decimal | None = Field(default=None, sa_type=IndicatorValue)


class KpiTarget(SQLModel, table=True):
    """A KPI's target for one year (Perjanjian Kinerja)."""

    __tablename__ = "kpi_targets"
    __table_args__ = (sa.CheckConstraint("target > 0", name="target"),)

    kpi_id: int = Field(foreign_key="kpis.id", ondelete="CASCADE", primary_key=True)
    year: int = Field(primary_key=True)
    target: Decimal = Field(sa_type=IndicatorValue)


class StoredFile(SQLModel, table=True):
    """An uploaded file's content, stored once under evidence_dir and named by its SHA-256."""

    __tablename__ = "stored_files"
    __table_args__ = (sa.UniqueConstraint("sha256", name="uq_stored_files_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64)
    size: int = Field(sa_type=sa.BigInteger)
    content_type: str = Field(max_length=255)
    storage_name: str = Field(max_length=255)
    created_at: dt.datetime = _created()


class Evidence(SQLModel, table=True):
    """A document or link supporting some levels of one indicator in one assessment."""

    __tablename__ = "evidence"
    __table_args__ = (
        sa.Index("ix_evidence_assessment_id_indicator_id", "assessment_id", "indicator_id"),
        sa.Index("ix_evidence_file_id", "file_id"),
        _one_of("kind", EvidenceKind),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessments.id", ondelete="CASCADE")
    indicator_id: str = Field(max_length=16)
    kind: str = Field(max_length=10)
    title: str = Field(max_length=500)
    doc_number: str = Field(default="", max_length=200)
    doc_date: dt.date | None = None
    file_id: int | None = Field(default=None, foreign_key="stored_files.id")
    original_filename: str = Field(default="", max_length=255)
    url: str = _text()
    note: str = _text()
    levels: str = Field(default="", max_length=50)
    internal: bool = False
    carried_over: bool = False
    created_at: dt.datetime = _created()
    created_by_id: int | None = _user_ref()

    @property
    def level_list(self) -> list[int]:
        """The supported levels as sorted whole numbers ("4,3" -> [3, 4])."""
        return level_list(self.levels)

    @level_list.setter
    def level_list(self, levels: list[int]) -> None:
        self.levels = ",".join(str(level) for level in sorted(set(levels)))


def level_list(levels: str) -> list[int]:
    """Evidence.levels as sorted whole numbers ("4,3" -> [3, 4]), for a row read without the ORM too."""
    return sorted({int(part) for part in levels.split(",") if part.strip()})


class Comment(SQLModel, table=True):
    """A remark by a member on one indicator of an assessment, for review and discussion."""

    __tablename__ = "comments"
    __table_args__ = (sa.Index("ix_comments_assessment_id_indicator_id", "assessment_id", "indicator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessments.id", ondelete="CASCADE")
    indicator_id: str = Field(max_length=16)
    user_id: int = Field(foreign_key="users.id")
    body: str = Field(sa_type=sa.Text)
    created_at: dt.datetime = _created()


class Scenario(SQLModel, table=True):
    """A named what-if of an assessment: its levels with some overridden; the assessment itself never changes."""

    __tablename__ = "scenarios"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "name", name="uq_scenarios_assessment_id_name"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessments.id", ondelete="CASCADE")
    name: str = Field(max_length=200)
    created_at: dt.datetime = _created()
    created_by_id: int | None = _user_ref()


class ScenarioValue(SQLModel, table=True):
    """One indicator's value in a scenario; indicators without a row keep the assessment's value."""

    __tablename__ = "scenario_values"

    scenario_id: int = Field(foreign_key="scenarios.id", ondelete="CASCADE", primary_key=True)
    indicator_id: str = Field(max_length=16, primary_key=True)
    value: Decimal = Field(sa_type=IndicatorValue)


class ScenarioButir(SQLModel, table=True):
    """A butir the scenario takes as diterima (a simulation: the assessment's butir states never change)."""

    __tablename__ = "scenario_butir"

    scenario_id: int = Field(foreign_key="scenarios.id", ondelete="CASCADE", primary_key=True)
    code: str = Field(max_length=16, primary_key=True)  # the rubric's stable code, I17-L3-01


class EffortSetting(SQLModel, table=True):
    """The advisor's effort to raise one indicator to `level` from the level below; levels without a row cost 1."""

    __tablename__ = "effort_settings"
    __table_args__ = (sa.CheckConstraint("effort >= 0", name="effort"),)

    assessment_id: int = Field(foreign_key="assessments.id", ondelete="CASCADE", primary_key=True)
    indicator_id: str = Field(max_length=16, primary_key=True)
    level: int = Field(primary_key=True)
    effort: Decimal = Field(sa_type=IndicatorValue)


class ButirState(SQLModel, table=True):
    """Where one butir (evidence item, e.g. I17-L2-01) of an assessment stands, with the asesor's word on it.

    Butir without a row are `belum`. The status `otomatis_ditolak` is stored only when imported from the
    asesor; otherwise the cascade computes it (spbe.method.butir).
    """

    __tablename__ = "butir_states"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "code", name="uq_butir_states_assessment_id_code"),
        sa.Index("ix_butir_states_assessment_id_indicator_id", "assessment_id", "indicator_id"),
        _one_of("status", Status),
        sa.CheckConstraint(
            "reason IN ('', " + ", ".join(f"'{r.value}'" for r in Reason) + ")", name="reason"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessments.id", ondelete="CASCADE")
    indicator_id: str = Field(max_length=16)  # the rubric's indicator id (I17), for lists per indicator
    code: str = Field(max_length=16)  # the rubric's stable butir code (I17-L2-01)
    status: str = Field(default=Status.BELUM.value, max_length=20)
    reason: str = Field(default="", max_length=20)  # why a revisi: tidak_tepat, belum_diunggah
    asesor_note: str = _text()
    due_date: dt.date | None = None
    updated_at: dt.datetime = _updated()
    updated_by_id: int | None = _user_ref()


class ButirEvidence(SQLModel, table=True):
    """An evidence item serving a butir: one item may serve several butir, a butir may have several items."""

    __tablename__ = "butir_evidence"
    __table_args__ = (sa.Index("ix_butir_evidence_evidence_id", "evidence_id"),)

    butir_state_id: int = Field(foreign_key="butir_states.id", ondelete="CASCADE", primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", ondelete="CASCADE", primary_key=True)


class AuditEvent(SQLModel, table=True):
    """One recorded change: who did what and when, from which value to which (as text, NULL for none)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_assessment_id_indicator_id", "assessment_id", "indicator_id"),
        sa.Index("ix_audit_events_instansi_id", "instansi_id"),
        sa.Index("ix_audit_events_user_id", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = _created()
    user_id: int | None = _user_ref()  # who did it; None for the command line
    instansi_id: int = Field(foreign_key="instansi.id", ondelete="CASCADE")
    assessment_id: int | None = Field(default=None, foreign_key="assessments.id", ondelete="CASCADE")
    indicator_id: str | None = Field(default=None, max_length=16)
    action: str = Field(max_length=40)  # e.g. answer.value, evidence.add, assessment.reopen (spbe.services.audit)
    old_value: str | None = Field(default=None, sa_type=sa.Text)
    new_value: str | None = Field(default=None, sa_type=sa.Text)
    note: str = _text()  # what the values alone do not say: a reopen's reason, a member's username, a file
