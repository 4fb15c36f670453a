"""The pack's manifest (CSV and JSON: every file's path, size, SHA-256 and indicator) and its verification.

A Pemdi pack's manifest has one more column, `butir`: the portal codes a file serves where it sits
(space-separated; empty for the pack's own files and evidence serving no butir).

The manifests list every file of the pack except themselves. An evidence file whose content was missing on
disk at export is listed with status 'missing' and is not in the ZIP (and in HILANG.txt); verification
reports it, and `spbe verify-pack` fails on it unless told to accept it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spbe.method.input_limits import InputTooLarge, load_json

MANIFEST_CSV, MANIFEST_JSON = "manifest.csv", "manifest.json"
MISSING_NOTE = "HILANG.txt"  # lists the evidence files whose content was missing at export
FIELDS = ("path", "size", "sha256", "indicator", "status")
BUTIR_FIELDS = (*FIELDS, "butir")
OK, MISSING = "ok", "missing"
CHUNK = 1024 * 1024
MAX_MANIFEST = 64 * 1024 * 1024  # each manifest once inflated (a row is ~150 bytes)
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError)  # what reading a damaged member raises


class PackError(ValueError):
    """A file that is not a readable pack (not a ZIP, or without a manifest); the message is Indonesian."""


@dataclass(frozen=True)
class Entry:
    """One manifest row; `indicator` is empty for the pack's own files (index, summary, workbook)."""

    path: str
    size: int
    sha256: str
    indicator: str = ""
    status: str = OK
    butir: str = ""  # Pemdi packs: the portal codes the file serves, space-separated

    @classmethod
    def of(cls, path: str, data: bytes, indicator: str = "") -> Entry:
        return cls(path, len(data), hashlib.sha256(data).hexdigest(), indicator)


def manifest_csv(entries: list[Entry], fields: tuple[str, ...] = FIELDS) -> bytes:
    """The rows as CSV, UTF-8 with a byte order mark so spreadsheets show Unicode names right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    writer.writerows([getattr(e, field) for field in fields] for e in entries)
    return out.getvalue().encode("utf-8-sig")


def manifest_json(header: dict[str, Any], entries: list[Entry], fields: tuple[str, ...] = FIELDS) -> bytes:
    """The pack's facts (instansi, year, rubric, part) and the rows, as indented UTF-8 JSON."""
    rows = [{field: getattr(e, field) for field in fields} for e in entries]
    return json.dumps({**header, "files": rows}, ensure_ascii=False, indent=2).encode()


def _sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest(archive: zipfile.ZipFile) -> tuple[list[Entry], list[Entry]]:
    """The JSON and CSV manifests' rows; PackError when either is absent or unreadable."""
    try:
        if max(archive.getinfo(name).file_size for name in (MANIFEST_JSON, MANIFEST_CSV)) > MAX_MANIFEST:
            raise InputTooLarge(f"manifest lebih dari {MAX_MANIFEST // 2**20} MB")
        data = load_json(archive.read(MANIFEST_JSON))
        from_json = [Entry(**row) for row in data["files"]]
        rows = csv.DictReader(io.StringIO(archive.read(MANIFEST_CSV).decode("utf-8-sig")))
        from_csv = [Entry(**{**row, "size": int(row["size"])}) for row in rows]
    except KeyError as e:
        raise PackError(f"paket tanpa manifest ({e})") from None
    except (ValueError, TypeError, *DAMAGE) as e:  # InputTooLarge is a ValueError
        raise PackError(f"manifest tidak dapat dibaca ({e})") from None
    return from_json, from_csv


def _check(archive: zipfile.ZipFile, entry: Entry, info: zipfile.ZipInfo | None) -> str | None:
    """What is wrong with one listed file, or None when it matches."""
    if info is None:
        return "tidak ada di paket"
    if info.file_size != entry.size:
        return f"ukuran {info.file_size} bita, manifest {entry.size}"
    try:
        actual = _sha256(archive, info)
    except DAMAGE:
        return "isi rusak (CRC-32 atau kompresi tidak cocok)"
    return None if actual == entry.sha256 else "SHA-256 tidak cocok"


def verify(pack: Path) -> tuple[list[str], list[str], int]:
    """Check every file of a pack against its manifest: (mismatches, files missing at export, files checked)."""
    try:
        archive = zipfile.ZipFile(pack)
    except (OSError, zipfile.BadZipFile) as e:
        raise PackError(f"{pack}: bukan berkas ZIP yang dapat dibaca ({e})") from None
    with archive:
        entries, from_csv = _read_manifest(archive)
        problems = [] if entries == from_csv else [f"{MANIFEST_CSV}: tidak sama dengan {MANIFEST_JSON}"]
        members = {i.filename: i for i in archive.infolist() if not i.is_dir()}
        missing = [e.path for e in entries if e.status == MISSING]
        if not missing and MISSING_NOTE in members:  # a note of missing files the manifest does not list
            missing = [MISSING_NOTE]
        present = [e for e in entries if e.status != MISSING]
        for entry in present:
            problem = _check(archive, entry, members.get(entry.path))
            if problem:
                problems.append(f"{entry.path}: {problem}")
        listed = {e.path for e in present} | {MANIFEST_CSV, MANIFEST_JSON}
        problems += [f"{name}: tidak tercantum di manifest" for name in sorted(set(members) - listed)]
    return problems, missing, len(present)
