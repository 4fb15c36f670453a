"""Assemble a pack as a ZIP stream: generated files from memory, evidence read from disk in chunks.

Every member is STORED (evidence is mostly compressed already), so zipstream-ng knows the pack's exact size
before the first byte (Content-Length for the browser's progress) and memory stays flat whatever the
evidence size; ZIP64 is used when the pack needs it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zipstream import ZipStream

from spbe.reports.pack.butir_index import BUTIR_CSV, butir_csv
from spbe.reports.pack.content import PackContent
from spbe.reports.pack.covers import cover_html, index_html
from spbe.reports.pack.layout import COVER
from spbe.reports.pack.manifest import (
    BUTIR_FIELDS,
    FIELDS,
    MANIFEST_CSV,
    MANIFEST_JSON,
    MISSING,
    MISSING_NOTE,
    OK,
    Entry,
    manifest_csv,
    manifest_json,
)

BLOCK = 1024 * 1024  # what the web response sends at a time


@dataclass(frozen=True)
class Pack:
    """A pack ready to stream: its content, the ZIP stream and the manifest rows."""

    content: PackContent
    stream: ZipStream
    entries: tuple[Entry, ...]

    @property
    def size(self) -> int:
        """The exact size of the ZIP in bytes."""
        return len(self.stream)

    def blocks(self) -> Iterator[bytes]:
        """The ZIP in pieces of about a mebibyte (zipstream yields 64 KiB pieces and small headers)."""
        pending, size = [], 0
        for chunk in self.stream:
            pending.append(chunk)
            size += len(chunk)
            if size >= BLOCK:
                yield b"".join(pending)
                pending, size = [], 0
        if pending:
            yield b"".join(pending)


def _missing_note(c: PackContent) -> bytes:
    lines = ["Berkas bukti berikut tercatat dalam penilaian, tetapi isinya tidak ditemukan (atau tidak utuh) di",
             "penyimpanan saat paket dibuat, sehingga tidak ada di paket. Unggah ulang berkasnya.", ""]
    lines += [f"{ind.indicator.id}\t{ind.folder}/{f.name}\t{f.evidence.title}\tSHA-256 {f.stored.sha256}"
              for ind, f in c.missing]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _header(c: PackContent) -> dict[str, object]:
    return {
        "instansi": c.instansi.code,
        "instansi_name": c.instansi.name,
        "year": c.assessment.year,
        "rubric": c.rubric.id,
        "rubric_version": c.rubric.meta.version,
        "part": c.part,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def build(c: PackContent) -> Pack:
    """The pack of collected content; nothing is read from the evidence files until it is streamed."""
    from spbe.reports.pack.summary_pdf import summary_pdf  # fpdf2 and openpyxl load when a pack is built
    from spbe.reports.pack.workbook import workbook_xlsx

    stream = ZipStream(sized=True)
    entries: list[Entry] = []

    def put(path: str, data: bytes, indicator: str = "") -> None:
        stream.add(data, path)
        entries.append(Entry.of(path, data, indicator))

    put("index.html", index_html(c))
    put("ringkasan.pdf", summary_pdf(c))
    put("penilaian.xlsx", workbook_xlsx(c))
    for ind in c.indicators:
        put(f"{ind.folder}/{COVER}", cover_html(c, ind), ind.indicator.id)
        for f in ind.files:
            for place in f.places:  # a Pemdi file serving several butir: a copy in each one's folder
                path, butir = f"{ind.folder}/{place.name}", " ".join(place.butir)
                if f.path is not None:
                    stream.add_path(str(f.path), path)
                status = OK if f.path is not None else MISSING
                entries.append(Entry(path, f.stored.size, f.stored.sha256, ind.indicator.id, status, butir))
    if c.missing:
        put(MISSING_NOTE, _missing_note(c))
    if c.butir:
        put(BUTIR_CSV, butir_csv(c.butir))
    fields = BUTIR_FIELDS if c.butir else FIELDS
    stream.add(manifest_csv(entries, fields), MANIFEST_CSV)
    stream.add(manifest_json(_header(c), entries, fields), MANIFEST_JSON)
    return Pack(c, stream, tuple(entries))


def write(pack: Pack, out: Path) -> int:
    """Write the pack to a file (via a temporary name, so a failed export leaves no half pack); its size."""
    partial = out.with_name(out.name + ".part")
    written = 0
    try:
        with partial.open("wb") as f:
            for chunk in pack.stream:
                f.write(chunk)
                written += len(chunk)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return written
