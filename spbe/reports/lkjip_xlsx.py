"""The LKJIP tables as an XLSX workbook (openpyxl): a sheet per table, numbers as numbers with 2 decimals."""

from __future__ import annotations

import io

from spbe.method.lkjip import Realisasi
from spbe.reports.lkjip_tables import Table, Translate

NUMBER = "0.00"


def workbook(title: str, tables: list[Table], t: Translate) -> bytes:
    """A workbook titled `title`: each table on its own sheet, a realisasi's source as a cell comment."""
    from openpyxl import Workbook  # imported where used: the app starts without it
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(t("lk.sheet", number=table.number))
        sheet.append([title])
        sheet.append([table.title])
        sheet.append([header for _, header in table.columns])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for _, cells in table.rows:
            sheet.append([_value(cells.get(key)) for key, _ in table.columns])
            for (key, _), cell in zip(table.columns, sheet[sheet.max_row], strict=True):
                value = cells.get(key)
                if cell.data_type == "n" and cell.value is not None:
                    cell.number_format = NUMBER
                if isinstance(value, Realisasi):
                    source = "lk.source.official" if value.official else "lk.source.self"
                    cell.comment = Comment(t(source), "spbe")
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(cell: object) -> object:
    """What a spreadsheet cell holds: a float for a published figure, text as text, empty for none."""
    if isinstance(cell, Realisasi):
        return float(cell.value)
    if cell is None or isinstance(cell, str):
        return cell
    return float(cell)  # type: ignore[arg-type]
