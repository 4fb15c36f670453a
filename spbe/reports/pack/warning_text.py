"""The pack's warnings in Bahasa Indonesia: the evidence panel's checks, written once for every pack file.

A claimed level without the evidence it needs, a document dated outside the evaluation period or in the
future, a file missing from storage: the same sentences go into index.html, the cover sheets, the PDF and
the workbook, so the asesor's copy says what the web panel said.
"""

from __future__ import annotations

import datetime as dt

from spbe.reports.pack.content import IndicatorContent, PackContent
from spbe.store.models import Evidence


def date_text(day: dt.date) -> str:
    """A date as written on Indonesian documents: 31-12-2022."""
    return day.strftime("%d-%m-%Y")


def item_warning(c: PackContent, ind: IndicatorContent, item: Evidence) -> str:
    """The short warning of one item's document date ('' when none), for table cells."""
    kind = ind.dates.get(item.id) if item.id is not None else None
    if kind == "future":
        return "tanggal dokumen di masa depan"
    if kind == "outside_period":
        start, end = c.period
        return f"tanggal dokumen di luar periode evaluasi {date_text(start)} s.d. {date_text(end)}"
    return ""


def gap_text(ind: IndicatorContent) -> str:
    """The checklist warning: the claimed level needs evidence and nothing in the pack supports it."""
    return f"Tingkat {ind.level} diklaim, tetapi belum ada data dukung untuk tingkat itu dalam paket."


def indicator_warnings(c: PackContent, ind: IndicatorContent) -> list[str]:
    """Every warning of one indicator as a sentence: evidence gap, document dates, missing files."""
    out = [gap_text(ind)] if ind.gap else []
    for item in ind.dated:
        when = date_text(item.doc_date) if item.doc_date else ""
        out.append(f"«{item.title}» ({when}): {item_warning(c, ind, item)}.")
    out += [f"Berkas «{f.name}» hilang dari penyimpanan saat ekspor, tidak ada di paket." for f in ind.files
            if f.missing]
    return out


def all_warnings(c: PackContent) -> list[tuple[IndicatorContent, str]]:
    """Every indicator's warnings in pack order."""
    return [(ind, text) for ind in c.indicators for text in indicator_warnings(c, ind)]
