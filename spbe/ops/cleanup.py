"""Housekeeping of evidence_dir: abandoned upload temp files, and stored files that no row references."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from spbe.store.evidence_files import TMP_DIR, claim, path_of, storage_name
from spbe.store.models import StoredFile

STALE_MINUTES = (
    60  # an upload in progress writes at least every few seconds; an hour-old temp file is abandoned
)
STORED = re.compile(r"[0-9a-f]{2}/[0-9a-f]{62}\.bin")


@dataclass
class Report:
    """What a cleanup found: temp files removed, unreferenced stored files (removed or not), lost files."""

    removed_temp: list[Path] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)
    removed_unreferenced: bool = False
    missing: list[str] = field(default_factory=list)


def remove_stale_temp(evidence_dir: Path, minutes: float = STALE_MINUTES) -> list[Path]:
    """Remove files in evidence_dir/tmp untouched for `minutes`; uploads in progress are younger and stay."""
    cutoff = time.time() - minutes * 60
    removed = []
    for path in sorted((evidence_dir / TMP_DIR).glob("*")):
        try:
            if path.is_file() and path.stat().st_mtime <= cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:  # finished (renamed) or discarded meanwhile
            continue
    return removed


def stored_names(evidence_dir: Path) -> set[str]:
    """The content files under evidence_dir ('ab/cdef….bin'), temp files excluded."""
    names = (p.relative_to(evidence_dir).as_posix() for p in evidence_dir.glob("??/*.bin"))
    return {name for name in names if STORED.fullmatch(name)}


def _remove_if_unclaimed(engine: sa.Engine, evidence_dir: Path, name: str) -> bool:
    """Remove a stored file unless a row references it; safe while uploads of the same content run."""
    with Session(engine) as db:
        sha256 = name.replace("/", "").removesuffix(".bin")
        if not claim(db, sha256, 0, ""):  # a row exists (or an upload just committed one)
            return False
        (evidence_dir / storage_name(sha256)).unlink(missing_ok=True)
        db.rollback()  # the claim only held uploads of this content back while the file went
        return True


def cleanup(
    engine: sa.Engine, evidence_dir: Path, minutes: float = STALE_MINUTES, remove: bool = False
) -> Report:
    """Remove stale temp files; report (`remove`: delete) unreferenced stored files; rows missing theirs."""
    report = Report(removed_temp=remove_stale_temp(evidence_dir, minutes), removed_unreferenced=remove)
    on_disk = stored_names(evidence_dir)
    with Session(engine) as db:
        rows = db.exec(select(StoredFile)).all()
    report.missing = sorted(r.storage_name for r in rows if not path_of(evidence_dir, r).is_file())
    unreferenced = sorted(on_disk - {r.storage_name for r in rows})
    if remove:
        unreferenced = [name for name in unreferenced if _remove_if_unclaimed(engine, evidence_dir, name)]
    report.unreferenced = unreferenced
    return report
