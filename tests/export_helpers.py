"""Helpers for the evidence pack tests: attach evidence straight to an assessment, read a pack back."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from pypdf import PdfReader
from sqlmodel import select

from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_CODE
from spbe.store import evidence_files, queries
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Evidence, EvidenceKind, Instansi


def assessment_id(engine: sa.Engine, year: int = 2022) -> int:
    with session_scope(engine) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
        return queries.get_assessment(db, instansi, year).id


def attach(
    engine: sa.Engine, evidence_dir: Path, assessment: int, indicator: str, content: bytes,
    filename: str = "bukti.pdf", *, title: str = "Peraturan Wali Kota", levels: tuple[int, ...] = (3,),
    internal: bool = False, doc_number: str = "", doc_date: dt.date | None = None,
) -> Path:
    """Store a file as evidence of an indicator (as an upload would); the path of its stored content."""
    staged = evidence_files.stage([content], evidence_dir, 10**9)
    with session_scope(engine) as db:
        stored = evidence_files.store(db, staged, evidence_dir)
        item = Evidence(assessment_id=assessment, indicator_id=indicator, kind=EvidenceKind.FILE.value,
                        title=title, file_id=stored.id, internal=internal, doc_number=doc_number,
                        doc_date=doc_date, original_filename=evidence_files.clean_filename(filename, staged.type))
        item.level_list = list(levels)
        db.add(item)
        return evidence_files.path_of(evidence_dir, stored)


def add_link(engine: sa.Engine, assessment: int, indicator: str, url: str, *, title: str = "Aplikasi",
             note: str = "", levels: tuple[int, ...] = (3,), doc_date: dt.date | None = None) -> None:
    with session_scope(engine) as db:
        item = Evidence(assessment_id=assessment, indicator_id=indicator, kind=EvidenceKind.URL.value,
                        title=title, url=url, note=note, doc_date=doc_date)
        item.level_list = list(levels)
        db.add(item)


def new_assessment(engine: sa.Engine, year: int, rubric_id: str = "spbe-2021") -> int:
    """An empty assessment of the demo instansi."""
    with session_scope(engine) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
        return queries.create_assessment(db, instansi, year, get_rubric(rubric_id)).id


def set_value(engine: sa.Engine, assessment: int, indicator: str, value: str, explanation: str = "") -> None:
    with session_scope(engine) as db:
        queries.save_value(db, db.get(Assessment, assessment), indicator, Decimal(value), explanation)


def manifest(archive: zipfile.ZipFile) -> list[dict]:
    return json.loads(archive.read("manifest.json"))["files"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_text(archive: zipfile.ZipFile) -> str:
    """The summary PDF's text, read back with pypdf, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(archive.read("ringkasan.pdf")))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def rewrite(pack: Path, out: Path, *, replace: dict[str, bytes] | None = None, drop: str = "",
            extra: dict[str, bytes] | None = None) -> None:
    """A copy of a pack with members replaced, dropped or added (what tampering looks like)."""
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == drop:
                continue
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
