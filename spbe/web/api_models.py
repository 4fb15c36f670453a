"""Pydantic schemas of the JSON API: what /api accepts and returns, documented in its OpenAPI schema.

Decimals travel as strings ("2.6625"), as in `spbe score --json`, so no value is ever rounded by a float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from spbe.method.butir import Status
from spbe.method.rubric import Indicator, RubricMeta, ValueRange
from spbe.store.models import AssessmentStatus, EvidenceKind, Role

MAX_EXPLANATION = 20_000
MAX_UNIT = 255  # the column's length
MAX_NOTE = 5_000  # an asesor's note (spbe.services.butir.MAX_NOTE)
NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot store a NUL character in text


def _utf8(text: str) -> str:
    """Refuse lone surrogates (valid JSON escapes that no database can store)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("teks memuat karakter yang tidak sah") from None
    return text


def _whole_number(raw: object) -> object:
    """JSON Schema's integer: 247 and 247.0 (a number without a fraction), never a string or a boolean."""
    return int(raw) if isinstance(raw, float) and raw.is_integer() else raw


LEVEL_SCHEMA = {"anyOf": [{"type": "integer"}, {"type": "number"}, {"type": "string"}, {"type": "null"}]}
# Any JSON is accepted here; the route checks it against the assessment's rubric (spbe.method.scoring.check_value).
Level = Annotated[Any, Field(json_schema_extra=LEVEL_SCHEMA)]
Explanation = Annotated[str, Field(max_length=MAX_EXPLANATION, pattern=NO_NUL), AfterValidator(_utf8)]
Unit = Annotated[str, Field(max_length=MAX_UNIT, pattern=NO_NUL), AfterValidator(_utf8)]
Version = Annotated[int, Field(ge=0, le=2**31 - 1, strict=True), BeforeValidator(_whole_number)]


class ErrorOut(BaseModel):
    """An error: one message for people, in Bahasa Indonesia unless the user chose English."""

    detail: str


class RubricSummary(BaseModel):
    """A rubric version the application knows."""

    id: str
    title: str
    short_title: str
    version: str
    provisional: bool
    cycles: list[int]
    values: ValueRange
    indicators: int = Field(description="Jumlah indikator")


class RubricDetail(BaseModel):
    """A whole rubric version: its structure (domains, aspects, bands, scales) and indicators with levels."""

    id: str
    meta: RubricMeta
    indicators: list[Indicator]


class AssessmentOut(BaseModel):
    """An assessment the signed-in user is a member of, with their role in its instansi."""

    id: int
    instansi_id: int
    instansi_code: str
    instansi_name: str
    year: int
    rubric_id: str
    rubric_version: str
    status: AssessmentStatus
    role: Role
    created_at: dt.datetime
    updated_at: dt.datetime


class AnswerOut(BaseModel):
    """The answer of one indicator; version 0 means it was never saved."""

    indicator_id: str
    value: Decimal | None
    explanation: str
    target_value: Decimal | None
    source_value: Decimal | None = None
    responsible_unit: str
    assignee_id: int | None
    carried_over: bool
    version: int
    updated_at: dt.datetime | None
    updated_by_id: int | None
    editable: bool = Field(description="Whether the signed-in user may change this answer now")


class ConflictOut(ErrorOut):
    """A refused change: the assessment is submitted, or someone saved a newer version (in `current`)."""

    current: AnswerOut | None = None
    saved_by: str | None = Field(None, description="Who saved the newer version (name), if known")


class AnswerUpdate(BaseModel):
    """A change to one answer. Fields left out are kept; `value` or `target_value` null clears the level."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"value": 3, "version": 2}]})

    value: Level = Field(description='The level (or value) the rubric allows, e.g. 3 or "3"; null clears it')
    explanation: Explanation = Field("", description="Penjelasan")
    target_value: Level = Field(None, description="Target level; null clears it")
    source_value: Level = Field(None, description="The other agency's index an external indicator is valued from "
                                "(e.g. Indeks SDI 68.75); its value is converted from it; null clears it")
    responsible_unit: Unit = Field("", description="OPD/penanggung jawab")
    version: Version | None = Field(None, description="The version last read; a newer one on the server: 409")


class StoredFileOut(BaseModel):
    """The stored content of an uploaded evidence file."""

    sha256: str
    size: int
    content_type: str


class EvidenceOut(BaseModel):
    """The metadata of one evidence item (never the file's content)."""

    id: int
    indicator_id: str
    kind: EvidenceKind
    title: str
    doc_number: str
    doc_date: dt.date | None
    levels: list[int]
    url: str
    note: str
    original_filename: str
    internal: bool
    carried_over: bool
    created_at: dt.datetime
    created_by_id: int | None
    file: StoredFileOut | None


class GroupOut(BaseModel):
    """A domain's or aspect's value; `range` appears only while the group is incomplete."""

    value: str | None
    published: str | None
    range: list[str] | None = None


class ScoreOut(BaseModel):
    """The score of an assessment: the same JSON as `spbe score --json`."""

    rubric: str
    index: str | None
    index_published: str | None
    predikat: str | None
    complete: bool
    answered: int
    total: int
    index_range: list[str]
    domains: dict[str, GroupOut]
    aspects: dict[str, GroupOut]


Note = Annotated[str, Field(max_length=MAX_NOTE, pattern=NO_NUL), AfterValidator(_utf8)]


class IndicatorButirOut(BaseModel):
    """One indicator's levels from its butir and each butir's status (portal code -> status)."""

    level_reached: int = Field(description="Highest level whose butir and all below are diterima; 0: none")
    level_prepared: int = Field(description="The same with disiapkan, diunggah or diterima")
    butir: dict[str, Status]


class ButirListOut(BaseModel):
    """Every butir of a Pemdi assessment, the cascade applied: the same JSON as `spbe butir show --json`."""

    rubric: str
    indicators: dict[str, IndicatorButirOut]


class ButirOut(BaseModel):
    """One butir of an assessment: status (cascade applied), the asesor's word, the evidence serving it."""

    code: str = Field(description="Portal code, e.g. I17-L2-01")
    indicator_id: str
    level: int
    title: str
    status: Status
    reason: str = Field(description="Why a revisi: tidak_tepat or belum_diunggah; empty otherwise")
    note: str = Field(description="The asesor's note")
    due_date: dt.date | None
    evidence_ids: list[int] = Field(description="The evidence items serving this butir")
    level_reached: int = Field(description="The indicator's level reached after this change")
    level_prepared: int = Field(description="The indicator's level prepared after this change")


class ButirUpdate(BaseModel):
    """A butir's new status. Kontributor: belum or disiapkan on their indicators (draft only); koordinator
    also diunggah, diterima and revisi (with `reason` and `note`), also after submitting."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"status": "revisi", "reason": "tidak_tepat", "note": "Belum sah."}]},
    )

    status: str = Field(max_length=30, description="belum, disiapkan, diunggah, diterima or revisi")
    reason: str = Field("", max_length=30, description="For revisi: tidak_tepat (default) or belum_diunggah")
    note: Note | None = Field(None, description="The asesor's note (koordinator only); left out: kept")
