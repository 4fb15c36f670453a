"""The work list (daftar perbaikan) as an XLSX workbook: one row per butir still to do, as on the page."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Font

from spbe.services.butir import WorkItem

Translate = Callable[..., str]
WIDTHS = {"A": 22, "B": 20, "C": 12, "D": 8, "E": 50, "F": 8, "G": 18, "H": 50, "I": 12}


def workbook(title: str, items: list[WorkItem], t: Translate) -> bytes:
    """One sheet titled `title`: unit, assignee, butir, indicator, level, status, note, due date."""
    book = Workbook()
    sheet = book.active
    sheet.title = t("wl.sheet")
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    headers = [
        "wl.col.unit",
        "wl.col.assignee",
        "wl.col.butir",
        "wl.col.indicator",
        "wl.col.title",
        "wl.col.level",
        "wl.col.status",
        "wl.col.note",
        "wl.col.due",
    ]
    sheet.append([t(h) for h in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for i in items:
        status = t(f"butir.status.{i.status.value}")
        if i.reason:
            status += f" ({t(f'butir.reason.{i.reason}')})"
        sheet.append(
            [
                i.unit or t("wl.no_unit"),
                i.assignee or t("wl.nobody"),
                i.portal_code,
                i.indicator_id,
                i.title,
                i.level,
                status,
                i.note,
                i.due,
            ]
        )
        if i.due is not None:
            sheet.cell(sheet.max_row, 9).number_format = "DD-MM-YYYY"
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
