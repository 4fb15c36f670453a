"""penilaian.xlsx: the asesor's working list (one row per file and link) and the per-indicator values.

Sheet "Daftar bukti" has a row for every file and link of the pack (an indicator without any gets one row),
each with its path in the pack as a hyperlink (relative, so it opens from the unzipped folder), the
indicator, level, document number and date, the warnings the web panel shows and a link's note (e.g. the
dummy account for the asesor). Sheet "Penilaian" has one row per indicator: value, last year, change,
target, unit, explanation. Both have a frozen header, a filter and set widths. Columns are declared as
(header, width) lists, so a new column is one entry. In a Pemdi pack "Daftar bukti" also has a "Butir"
column: a file has a row per copy (one per butir it serves), a link one row naming its butir.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import quote

from spbe.reports.pack.content import FileItem, IndicatorContent, PackContent
from spbe.reports.pack.warning_text import gap_text, item_warning
from spbe.store.models import Evidence

if TYPE_CHECKING:  # imported where used: the app starts without openpyxl
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | Decimal | dt.date | None
GAP = "ya"
LIST_COLUMNS = (
    ("Domain", 8), ("Aspek", 7), ("Indikator", 9), ("Nama indikator", 44), ("Nilai", 7), ("Tingkat", 16),
    ("Jenis", 8), ("Judul bukti", 32), ("Berkas / alamat", 44), ("Folder", 36), ("Nomor dokumen", 20),
    ("Tanggal dokumen", 12), ("Mendukung tingkat", 10), ("Peringatan", 44), ("Catatan tautan", 36),
    ("Celah bukti", 9),
)
BUTIR_COLUMN = ("Butir", 12)  # Pemdi packs: after "Tingkat"
VALUE_WIDTHS = (10, 10, 9, 50, 9, 20, 9, 9, 9, 24, 60, 60, 12)


def _number(value: Decimal | None) -> int | Decimal | None:
    """Whole values as integers (3, not 3.0), others exact."""
    return int(value) if value is not None and value == value.to_integral_value() else value


def _link(path: str) -> str:
    """A relative hyperlink target inside the pack (spaces and Unicode percent-encoded)."""
    return quote(path, safe="/")


def _indicator_cells(c: PackContent, ind: IndicatorContent) -> list[Cell]:
    """The indicator columns every row of the indicator repeats (so a filter keeps them)."""
    aspect = c.rubric.aspect_by_id[ind.indicator.aspect]
    level = c.rubric.level_name(ind.indicator, ind.level) if ind.level is not None else ""
    return [aspect.domain or "", aspect.id, ind.indicator.id, ind.indicator.name, _number(ind.value), level]


def _columns(c: PackContent) -> list[tuple[str, int]]:
    """The columns of "Daftar bukti": a Pemdi pack's have "Butir" after "Tingkat"."""
    columns = list(LIST_COLUMNS)
    if c.butir:
        columns.insert(6, BUTIR_COLUMN)
    return columns


def _item_cells(
    c: PackContent, ind: IndicatorContent, item: Evidence, f: FileItem | None, name: str = ""
) -> list[Cell]:
    """One file's (copy at `name`) or link's columns: kind, title, where, folder, number, date, levels, …"""
    warnings = [w for w in (item_warning(c, ind, item),) if w]
    if f is not None and f.missing:
        warnings.append("berkas hilang dari penyimpanan, tidak ada di paket")
    where = f"{ind.folder}/{name}" if f is not None else item.url
    folder = where.rsplit("/", 1)[0] if f is not None else ind.folder  # a butir copy's level folder
    return [
        "berkas" if f is not None else "tautan", item.title, where, folder, item.doc_number,
        item.doc_date, ", ".join(map(str, item.level_list)), "; ".join(warnings),
        item.note if f is None else "", GAP if ind.gap else "",
    ]


def _list_rows(c: PackContent) -> list[tuple[list[Cell], str | None]]:
    """(cells, hyperlink of the file/address column) per row: a path inside the pack, or a link's address."""
    rows: list[tuple[list[Cell], str | None]] = []
    for ind in c.indicators:
        head = _indicator_cells(c, ind)
        for f in ind.files:
            for place in f.places:
                target = None if f.missing else _link(f"{ind.folder}/{place.name}")
                butir: list[Cell] = [" ".join(place.butir)] if c.butir else []
                rows.append((head + butir + _item_cells(c, ind, f.evidence, f, place.name), target))
        for link in ind.links:
            butir = [" ".join(c.served.get(link.id, ()))] if c.butir else []
            rows.append((head + butir + _item_cells(c, ind, link, None), link.url))
        if not ind.files and not ind.links:
            empty: list[Cell] = ["", "", "", ind.folder, "", None, "", gap_text(ind) if ind.gap else "", "",
                                 GAP if ind.gap else ""]
            rows.append((head + ([""] if c.butir else []) + empty, None))
    return rows


def _append(sheet: Worksheet, values: Sequence[Cell]) -> None:
    """Add a row, empty text as empty cells; text stays text, so a text starting with '=' never runs."""
    from openpyxl.styles import Alignment

    sheet.append([None if v == "" else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _finish(sheet: Worksheet, headers: Sequence[str], widths: Sequence[int], freeze: str) -> None:
    """Bold header row, frozen; a filter over every column; the column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(sheet.max_row, 2)}"


def _evidence_list(book: Workbook, c: PackContent) -> None:
    """Sheet "Daftar bukti": the working list, paths and folders as relative hyperlinks."""
    sheet = book.active
    sheet.title = "Daftar bukti"
    columns = _columns(c)
    headers = [h for h, _ in columns]
    at = {h: n for n, h in enumerate(headers, start=1)}  # 1-based column positions
    headers[4] = f"Nilai {c.assessment.year}"
    sheet.append(headers)
    for cells, target in _list_rows(c):
        _append(sheet, cells)
        row = sheet.max_row
        if target:
            sheet.cell(row, at["Berkas / alamat"]).hyperlink = target
            sheet.cell(row, at["Berkas / alamat"]).style = "Hyperlink"
        folder = sheet.cell(row, at["Folder"])
        folder.hyperlink = _link(str(folder.value))
        folder.style = "Hyperlink"
        sheet.cell(row, at["Tanggal dokumen"]).number_format = "DD-MM-YYYY"
    _finish(sheet, headers, [w for _, w in columns], "E2")


def _evidence_summary(ind: IndicatorContent) -> str:
    """One line per pack item: file name or link title, and the levels it supports."""
    lines = [f"{f.name} (tingkat {f.evidence.levels or '–'}){' — HILANG' if f.missing else ''}"
             for f in ind.files]
    lines += [f"{link.title}: {link.url} (tingkat {link.levels or '–'})" for link in ind.links]
    return "\n".join(lines)


def _values(book: Workbook, c: PackContent) -> None:
    """Sheet "Penilaian": one row per indicator with last year, change, target and explanation."""
    sheet = book.create_sheet("Penilaian")
    last = str(c.previous.year) if c.previous else "Tahun lalu"
    headers = ["Domain", "Aspek", "Indikator", "Nama indikator", f"Nilai {c.assessment.year}", "Nama tingkat",
               f"Nilai {last}", "Selisih", "Target", "Unit penanggung jawab", "Penjelasan", "Data dukung",
               "Celah bukti"]
    sheet.append(headers)
    for ind in c.indicators:
        answer = ind.answer
        _append(sheet, [
            *_indicator_cells(c, ind),
            _number(ind.previous),
            _number(ind.delta),
            _number(answer.target_value if answer else None),
            answer.responsible_unit if answer else "",
            answer.explanation if answer else "",
            _evidence_summary(ind),
            GAP if ind.gap else "",
        ])
    _finish(sheet, headers, VALUE_WIDTHS, "E2")


def workbook_xlsx(c: PackContent) -> bytes:
    """The workbook as XLSX bytes: the working list of evidence first, then the values per indicator."""
    from openpyxl import Workbook

    book = Workbook()
    _evidence_list(book, c)
    _values(book, c)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
