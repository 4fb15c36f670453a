"""penilaian.xlsx: every indicator of the pack with its value, last year's, the change, explanation, evidence."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from spbe.reports.pack.content import IndicatorContent, PackContent

if TYPE_CHECKING:  # imported where used: the app starts without openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | Decimal | None
WIDTHS = {"A": 10, "B": 10, "C": 9, "D": 50, "E": 9, "F": 20, "G": 9, "H": 9, "I": 9, "J": 24, "K": 60, "L": 60, "M": 12}


def _number(value: Decimal | None) -> int | Decimal | None:
    """Whole values as integers (3, not 3.0), others exact."""
    return int(value) if value is not None and value == value.to_integral_value() else value


def _evidence(ind: IndicatorContent) -> str:
    """One line per pack item: file name or link title, and the levels it supports."""
    lines = [f"{f.name} (level {f.evidence.levels or '–'}){' — HILANG' if f.missing else ''}" for f in ind.files]
    lines += [f"{link.title}: {link.url} (level {link.levels or '–'})" for link in ind.links]
    return "\n".join(lines)


def _row(c: PackContent, ind: IndicatorContent) -> list[Cell]:
    aspect = c.rubric.aspect_by_id[ind.indicator.aspect]
    answer = ind.answer
    return [
        aspect.domain or "",
        aspect.id,
        ind.indicator.id,
        ind.indicator.name,
        _number(ind.value),
        c.rubric.level_name(ind.indicator, ind.level) if ind.level is not None else "",
        _number(ind.previous),
        _number(ind.delta),
        _number(answer.target_value if answer else None),
        answer.responsible_unit if answer else "",
        answer.explanation if answer else "",
        _evidence(ind),
        "ya" if ind.gap else "",
    ]


def _append(sheet: Worksheet, values: Sequence[Cell]) -> None:
    """Add a row, empty text as empty cells; text stays text, so an explanation starting with '=' never runs."""
    from openpyxl.styles import Alignment

    sheet.append([None if v == "" else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook_xlsx(c: PackContent) -> bytes:
    """The workbook as XLSX bytes: one row per indicator of the pack, headings frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Penilaian"
    last = str(c.previous.year) if c.previous else "Tahun lalu"
    sheet.append(["Domain", "Aspek", "Indikator", "Nama indikator", f"Nilai {c.assessment.year}", "Nama level",
                  f"Nilai {last}", "Selisih", "Target", "Unit penanggung jawab", "Penjelasan", "Bukti dukung",
                  "Celah bukti"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for ind in c.indicators:
        _append(sheet, _row(c, ind))
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "E2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
