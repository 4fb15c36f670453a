"""Evidence storage: uploads streamed under evidence_dir, checked by content, stored once by SHA-256."""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from spbe.store import evidence_files as es
from spbe.store.db import make_engine
from spbe.store.models import StoredFile
from tests import evidence_files as samples

LIMIT = 1024 * 1024


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def db(migrated_sqlite_url: str) -> Iterator[Session]:
    engine = make_engine(migrated_sqlite_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (samples.pdf(), es.PDF),
        (samples.image("PNG"), es.PNG),
        (samples.image("JPEG"), es.JPEG),
        (samples.image("GIF"), es.GIF),
        (samples.image("WEBP"), es.WEBP),
        (samples.docx(), es.DOCX),
        (samples.xlsx(), es.XLSX),
        (samples.odt(), es.ODT),
    ],
    ids=["pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "odt"],
)
def test_accepted_types_are_recognised_by_content(tmp_path, content, kind):
    staged = es.stage([content], tmp_path, LIMIT)
    assert staged.type == kind
    assert staged.sha256 == hashlib.sha256(content).hexdigest() and staged.size == len(content)
    assert staged.path.parent == tmp_path / es.TMP_DIR and staged.path.read_bytes() == content


@pytest.mark.parametrize(
    "content",
    [
        samples.EXE,
        samples.ELF,
        samples.HTML,
        samples.SCRIPT,
        samples.plain_zip(),
        b"PK\x03\x04broken zip",
        samples.docx(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        b"just some text",
    ],
    ids=["exe", "elf", "html", "script", "zip", "broken-zip", "docm", "text"],
)
def test_anything_else_is_refused_and_leaves_no_file(tmp_path, content):
    with pytest.raises(es.UploadRejected) as refused:
        es.stage([content], tmp_path, LIMIT)
    assert refused.value.reason == "type"
    assert files_under(tmp_path) == []


def test_an_empty_upload_is_refused(tmp_path):
    with pytest.raises(es.UploadRejected, match="empty"):
        es.stage([], tmp_path, LIMIT)
    assert files_under(tmp_path) == []


def test_an_oversized_upload_stops_at_the_limit_without_reading_the_rest(tmp_path):
    consumed = []

    def chunks() -> Iterator[bytes]:
        for n in range(100):
            consumed.append(n)
            yield b"%PDF-" + bytes(es.CHUNK - 5)

    with pytest.raises(es.UploadRejected, match="too_large"):
        es.stage(chunks(), tmp_path, 2 * es.CHUNK)
    assert len(consumed) == 3
    assert files_under(tmp_path) == []


def test_file_objects_are_read_in_chunks_and_async_sources_work_too(tmp_path):
    content = samples.pdf() + bytes(3 * es.CHUNK)

    sizes: list[int | None] = []

    class Recording(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            sizes.append(size)
            return super().read(size)

    assert es.stage(Recording(content), tmp_path, 8 * es.CHUNK).size == len(content)
    assert set(sizes) == {es.CHUNK}

    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(content), 1000):
            yield content[start : start + 1000]

    class AsyncFile:
        def __init__(self) -> None:
            self.inner = io.BytesIO(content)

        async def read(self, size: int = -1) -> bytes:
            return self.inner.read(size)

    for source in (pieces(), AsyncFile()):
        staged = asyncio.run(es.stage_async(source, tmp_path, 8 * es.CHUNK))
        assert staged.sha256 == hashlib.sha256(content).hexdigest()


def test_the_same_content_is_stored_once_under_its_hash(tmp_path, db):
    folder = tmp_path / "evidence"
    content = samples.pdf()
    digest = hashlib.sha256(content).hexdigest()
    first = es.store(db, es.stage([content], folder, LIMIT), folder)
    second = es.store(db, es.stage([content[:10], content[10:]], folder, LIMIT), folder)
    db.commit()
    assert first.id == second.id
    assert (first.sha256, first.size, first.content_type) == (digest, len(content), "application/pdf")
    assert first.storage_name == f"{digest[:2]}/{digest[2:]}.bin"
    assert files_under(folder) == [folder / first.storage_name]
    assert es.path_of(folder, first).read_bytes() == content
    assert len(db.exec(select(StoredFile)).all()) == 1


def test_a_row_whose_file_went_missing_gets_its_file_back(tmp_path, db):
    folder = tmp_path / "evidence"
    content = samples.image()
    stored = es.store(db, es.stage([content], folder, LIMIT), folder)
    es.path_of(folder, stored).unlink()
    again = es.store(db, es.stage([content], folder, LIMIT), folder)
    assert again.id == stored.id and es.path_of(folder, again).read_bytes() == content


def test_a_stored_name_leading_outside_evidence_dir_is_refused(tmp_path):
    with pytest.raises(ValueError, match="outside"):
        es.path_of(
            tmp_path / "evidence", StoredFile(id=1, sha256="x", size=1, content_type="", storage_name="../x")
        )
    with pytest.raises(ValueError):
        es.storage_name("../../etc/passwd")


@pytest.mark.parametrize(
    ("name", "kind", "shown"),
    [
        ("../../x.pdf", es.PDF, "x.pdf"),
        ("..\\..\\Windows\\x.PDF", es.PDF, "x.PDF"),
        ("/etc/passwd", es.PDF, "passwd.pdf"),
        ("laporan.html", es.PDF, "laporan.html.pdf"),
        ("foto.jpeg", es.JPEG, "foto.jpeg"),
        ("..", es.PNG, "berkas.png"),
        ("", es.DOCX, "berkas.docx"),
        ("a\x00b\r\n\u202ec.pdf", es.PDF, "abc.pdf"),
        ('kata "kunci"?.pdf', es.PDF, "kata _kunci__.pdf"),
        ("Peraturan Wali Kota № 5 — ĀĒ.pdf", es.PDF, "Peraturan Wali Kota № 5 — ĀĒ.pdf"),
    ],
)
def test_file_names_are_display_only_and_made_safe(name, kind, shown):
    assert es.clean_filename(name, kind) == shown


def test_long_file_names_are_cut_to_255_keeping_the_extension():
    name = es.clean_filename("a" * 400 + ".xlsx", es.XLSX)
    assert len(name) == 255 and name.endswith(".xlsx")


def test_claim_tells_whether_this_call_inserted_the_row(migrated_database_url: str) -> None:
    """Cleanup relies on it: True only for the first claim of a hash, on SQLite and on PostgreSQL alike."""
    engine = make_engine(migrated_database_url)
    with Session(engine) as session:
        assert es.claim(session, "ab" * 32, 3, "application/pdf") is True
        assert es.claim(session, "ab" * 32, 3, "application/pdf") is False
        session.commit()
    with Session(engine) as session:
        assert es.claim(session, "ab" * 32, 3, "application/pdf") is False
        assert es.claim(session, "cd" * 32, 3, "application/pdf") is True
        session.rollback()
        assert session.exec(select(StoredFile.sha256)).all() == ["ab" * 32]
    engine.dispose()
