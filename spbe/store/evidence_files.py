"""Evidence files: stream uploads into content-addressed storage under evidence_dir, checked by type.

An upload is staged chunk by chunk in a temp file inside evidence_dir (same filesystem, so the final rename
is atomic), hashed with SHA-256 as it arrives and refused as soon as it passes the size limit. Its type comes
from its first bytes (and, for office documents, the ZIP members), never from its name. Accepted content is
moved to `ab/cdef….bin` (its hash) and recorded once in StoredFile; the same content again reuses both.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol, Self, runtime_checkable

from sqlmodel import Session, select

from spbe.store.models import StoredFile, utcnow

CHUNK = 1024 * 1024  # read sources in 1 MiB pieces: memory stays flat whatever the file size
TMP_DIR = "tmp"  # staging folder inside evidence_dir; content folders are two hex digits, so never "tmp"
HEAD = 16  # bytes kept from the start of an upload to recognise its type
MAX_NAME = 255


@dataclass(frozen=True)
class FileType:
    """An accepted kind of content: its MIME type and the file name extensions that belong to it."""

    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", ("pdf",))
PNG = FileType("image/png", ("png",))
JPEG = FileType("image/jpeg", ("jpg", "jpeg"))
GIF = FileType("image/gif", ("gif",))
WEBP = FileType("image/webp", ("webp",))
_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = FileType(_OOXML + "wordprocessingml.document", ("docx",))
XLSX = FileType(_OOXML + "spreadsheetml.sheet", ("xlsx",))
PPTX = FileType(_OOXML + "presentationml.presentation", ("pptx",))
_ODF = "application/vnd.oasis.opendocument."
ODT = FileType(_ODF + "text", ("odt",))
ODS = FileType(_ODF + "spreadsheet", ("ods",))
ODP = FileType(_ODF + "presentation", ("odp",))
ACCEPTED = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP)

# (offset, bytes) pairs that must all match the start of the content; anything unlisted is refused.
SIGNATURES: tuple[tuple[tuple[tuple[int, bytes], ...], FileType], ...] = (
    (((0, b"%PDF-"),), PDF),
    (((0, b"\x89PNG\r\n\x1a\n"),), PNG),
    (((0, b"\xff\xd8\xff"),), JPEG),
    (((0, b"GIF87a"),), GIF),
    (((0, b"GIF89a"),), GIF),
    (((0, b"RIFF"), (8, b"WEBP")), WEBP),
)
ZIP_SIGNATURE = b"PK\x03\x04"
# OOXML names its main part in [Content_Types].xml; macro-enabled variants use other types and are refused.
OOXML_MAIN = {f'"{t.content_type}.main+xml"': t for t in (DOCX, XLSX, PPTX)}
ODF_TYPES = {t.content_type: t for t in (ODT, ODS, ODP)}
ZIP_MEMBER_LIMIT = 1024 * 1024  # read at most this much of a ZIP member: a zip bomb cannot inflate further


@runtime_checkable
class AsyncReadable(Protocol):
    """An async file object, such as Starlette's UploadFile."""

    async def read(self, size: int = -1) -> bytes: ...


class UploadRejected(ValueError):
    """An upload refused for its size or content; `reason` is 'too_large', 'empty' or 'type'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Staged:
    """An accepted upload waiting in its temp file: pass it to `store`, or `discard` it."""

    path: Path
    sha256: str
    size: int
    type: FileType

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def _office_type(path: Path) -> FileType | None:
    """The OOXML or ODF document inside a ZIP file, or None for any other (or broken) ZIP."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    return ODF_TYPES.get(member.read(100).decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as member:
                    types = member.read(ZIP_MEMBER_LIMIT).decode("utf-8", "replace")
                if "vbaProject" in types:
                    return None
                return next((t for marker, t in OOXML_MAIN.items() if marker in types), None)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    return None


def detect(head: bytes, path: Path) -> FileType | None:
    """The accepted type of a file from its first bytes (and ZIP members), or None when it is not accepted."""
    for checks, kind in SIGNATURES:
        if all(head[offset : offset + len(magic)] == magic for offset, magic in checks):
            return kind
    return _office_type(path) if head.startswith(ZIP_SIGNATURE) else None


class Stager:
    """Receives one upload chunk by chunk into a temp file under evidence_dir, hashing and counting it.

    Use as a context manager: leaving the block with an exception removes the temp file.
    """

    def __init__(self, evidence_dir: Path, max_bytes: int) -> None:
        tmp_dir = evidence_dir / TMP_DIR
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-", suffix=".part")
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self._head = b""
        self.size = 0
        self.max_bytes = max_bytes

    def write(self, data: bytes) -> None:
        """Append a chunk; past the limit the temp file is removed and UploadRejected('too_large') raised."""
        self.size += len(data)
        if self.size > self.max_bytes:
            self.discard()
            raise UploadRejected("too_large")
        if len(self._head) < HEAD:
            self._head += data[: HEAD - len(self._head)]
        self._hash.update(data)
        self._file.write(data)

    def finish(self) -> Staged:
        """Close the temp file and check its content: a Staged upload, or UploadRejected (file removed)."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        kind = detect(self._head, self.path) if self.size else None
        if kind is None:
            self.discard()
            raise UploadRejected("type" if self.size else "empty")
        return Staged(self.path, self._hash.hexdigest(), self.size, kind)

    def discard(self) -> None:
        """Drop the upload: close and remove the temp file (safe to call more than once)."""
        self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None:
            self.discard()


def stage(source: Iterable[bytes] | BinaryIO, evidence_dir: Path, max_bytes: int) -> Staged:
    """Stage an upload from a chunk iterator or a binary file object (read 1 MiB at a time)."""
    chunks = iter(lambda: source.read(CHUNK), b"") if hasattr(source, "read") else source
    with Stager(evidence_dir, max_bytes) as stager:
        for chunk in chunks:
            stager.write(chunk)
        return stager.finish()


async def stage_async(
    source: AsyncIterable[bytes] | AsyncReadable, evidence_dir: Path, max_bytes: int
) -> Staged:
    """Stage an upload from an async chunk iterator (request.stream()) or an async file (UploadFile)."""
    with Stager(evidence_dir, max_bytes) as stager:
        if isinstance(source, AsyncReadable):
            while chunk := await source.read(CHUNK):
                stager.write(chunk)
        else:
            async for chunk in source:
                stager.write(chunk)
        return stager.finish()


def storage_name(sha256: str) -> str:
    """Where content with this hash lives, relative to evidence_dir: 'ab/cdef….bin'."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return f"{sha256[:2]}/{sha256[2:]}.bin"


def _fsync_dir(folder: Path) -> None:
    """Make a rename in this folder durable across a crash."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def claim(db: Session, sha256: str, size: int, content_type: str) -> bool:
    """Insert content's StoredFile row unless it exists; True when this call inserted it (uncommitted)."""
    # Until this transaction ends another claim of the hash waits (PostgreSQL: unique index, SQLite: lock).
    # RETURNING tells whether a row went in: rowcount is not reliable for ORM inserts on PostgreSQL.
    if db.get_bind().dialect.name == "postgresql":  # imported here: `spbe export` on SQLite never loads it
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (
        insert(StoredFile)
        .values(
            sha256=sha256,
            size=size,
            content_type=content_type,
            storage_name=storage_name(sha256),
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["sha256"])
        .returning(StoredFile.id)  # type: ignore[arg-type]
    )
    return db.connection().execute(statement).first() is not None


def store(db: Session, staged: Staged, evidence_dir: Path) -> StoredFile:
    """Keep staged content once: claim its hash's row, put the file in place unless there, return the row."""
    # The file is placed after the claim and before the commit: a crash leaves at worst an unreferenced file,
    # never a row without its file, and `spbe cleanup` (it claims a hash before removing a file) waits.
    claim(db, staged.sha256, staged.size, staged.type.content_type)
    target = evidence_dir / storage_name(staged.sha256)
    if target.is_file():
        staged.discard()
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.path, target)
        _fsync_dir(target.parent)
    return db.exec(select(StoredFile).where(StoredFile.sha256 == staged.sha256)).one()


def path_of(evidence_dir: Path, stored: StoredFile) -> Path:
    """The file holding a StoredFile's content; refuses any name that would lead outside evidence_dir."""
    root = evidence_dir.resolve()
    path = (root / stored.storage_name).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"stored file {stored.id} points outside evidence_dir")
    return path


def clean_filename(name: str, kind: FileType) -> str:
    """A safe display name: base name only, no control characters, at most 255, with the type's extension.

    The name is never used on disk. '../../x.pdf' becomes 'x.pdf'; a PDF named 'x.html' becomes 'x.html.pdf',
    so a downloaded file always opens as what it really is.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    base = "".join("_" if ch in ':*?"<>|' else ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = base.strip().strip(".").strip() or "berkas"
    stem, dot, extension = base.rpartition(".")
    suffix = f".{extension}" if dot and extension.lower() in kind.extensions else ""
    stem = stem if suffix else base
    suffix = suffix or f".{kind.extensions[0]}"
    return stem[: MAX_NAME - len(suffix)] + suffix
