"""Read indicator values (or external source indices) from a CSV, JSON or XLSX file, naming every bad row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice
from pathlib import Path

from spbe.method.external import check_external
from spbe.method.input_limits import InputTooLarge, check_xml_parts, check_zip, load_json
from spbe.method.rubric import Rubric
from spbe.method.scoring import ValueProblem, check_values

HEADER_KEYS = ("indikator",)
HEADER_VALUES = ("level", "nilai")
HEADER_EXTERNAL = ("indeks",)
MAX_ROWS = 10_000  # a rubric has fewer than a hundred indicators
MAX_COLUMNS = 8  # of a spreadsheet, only these are read (a levels file has two)
MAX_CELLS = 2 * MAX_ROWS  # filled cells read from a spreadsheet
MAX_CELL_CHARS = 500  # an indicator id or a value is a few characters
MAX_FILE = 16 * 1024 * 1024  # a levels file is read whole; the web limits uploads to 1 MiB before this
MAX_XLSX_MEMBER = 1024 * 1024  # each part of an .xlsx once inflated (a 47-row sheet is a few KB)
MAX_XLSX_TOTAL = 4 * 1024 * 1024  # all parts of an .xlsx once inflated
Triple = tuple[str, object, object]


class LevelsFileError(ValueError):
    """A levels file that cannot be used; the message (Bahasa Indonesia) names the row and the problem."""


def read_file(path: Path | str) -> tuple[bytes, str]:
    """A levels file's bytes, refused beyond MAX_FILE without reading more."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE + 1)
    except OSError as e:
        raise LevelsFileError(f"{path}: berkas tidak dapat dibaca ({e.strerror})") from e
    if len(data) > MAX_FILE:
        raise LevelsFileError(f"{path.name}: berkas lebih dari {MAX_FILE // (1024 * 1024)} MB")
    return data, path.name


def read_levels(path: Path | str, rubric: Rubric) -> dict[str, Decimal]:
    """Read a levels file (by extension: .csv, .json, .xlsx) and return checked values per indicator."""
    return parse_levels(*read_file(path), rubric)


def read_external(path: Path | str, rubric: Rubric) -> dict[str, Decimal]:
    """Read an external-index file ('indikator,indeks') and return checked source indices per indicator."""
    data, filename = read_file(path)
    items = _items(data, filename, HEADER_EXTERNAL)
    try:
        return check_external(rubric, items)
    except ValueProblem as e:
        raise LevelsFileError(f"{filename}:\n{e}") from e


def parse_levels(data: bytes, filename: str, rubric: Rubric) -> dict[str, Decimal]:
    """Parse uploaded or stored bytes; the file name's extension decides the format."""
    items = _items(data, filename, HEADER_VALUES)
    try:
        return check_values(rubric, items)
    except ValueProblem as e:
        raise LevelsFileError(f"{filename}:\n{e}") from e


def _items(data: bytes, filename: str, value_headers: tuple[str, ...]) -> list[Triple]:
    """The (place, indikator, value) rows of a two-column file whose second header is one of value_headers."""
    suffix = Path(filename).suffix.lower()
    readers = {".csv": _csv_rows, ".json": _json_items, ".xlsx": _xlsx_rows}
    if suffix not in readers:
        raise LevelsFileError(f"{filename}: format tidak didukung (gunakan .csv, .json atau .xlsx)")
    if not data.strip():
        raise LevelsFileError(f"{filename}: berkas kosong")
    items = list(readers[suffix](data, filename, value_headers))
    if not items:
        raise LevelsFileError(f"{filename}: tidak ada baris nilai indikator")
    return items


def _text(data: bytes, filename: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LevelsFileError(f"{filename}: bukan teks UTF-8 (byte {e.start})") from e


def _check_header(header: list[object], filename: str, where: str, value_headers: tuple[str, ...]) -> None:
    cells = [str(c or "").strip().lower() for c in header]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) != 2 or cells[0] not in HEADER_KEYS or cells[1] not in value_headers:
        shown = ",".join(str(c or "") for c in header)
        raise LevelsFileError(
            f"{filename}: {where}: header harus 'indikator,{value_headers[0]}', bukan '{shown}'")


def _rows(rows: Iterator[list[object]], filename: str, value_headers: tuple[str, ...]) -> Iterator[Triple]:
    """Check the header row, then yield (baris N, indikator, value) skipping blank rows and blank values."""
    header = next(rows, None)
    if header is None:
        raise LevelsFileError(f"{filename}: berkas kosong")
    _check_header(list(header), filename, "baris 1", value_headers)
    for n, row in enumerate(rows, start=2):
        if n > MAX_ROWS + 1:
            raise LevelsFileError(f"{filename}: lebih dari {MAX_ROWS} baris (satu baris per indikator)")
        cells = ["" if c is None else c for c in row]
        if any(len(str(c)) > MAX_CELL_CHARS for c in cells):
            raise LevelsFileError(f"{filename}: baris {n}: isi sel lebih dari {MAX_CELL_CHARS} karakter")
        if not any(str(c).strip() for c in cells):
            continue
        extra = [c for c in cells[2:] if str(c).strip()]
        if len(cells) < 2 or extra:
            raise LevelsFileError(f"{filename}: baris {n}: harus tepat dua kolom (indikator,{value_headers[0]})")
        if str(cells[1]).strip() == "":
            continue  # listed but not answered yet
        yield f"baris {n}", cells[0], cells[1]


def _csv_rows(data: bytes, filename: str, value_headers: tuple[str, ...]) -> Iterator[Triple]:
    text = _text(data, filename)
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if ";" in first and "," not in first else ","
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
        yield from _rows(iter(reader), filename, value_headers)
    except csv.Error as e:
        raise LevelsFileError(f"{filename}: CSV rusak ({e})") from e


def _json_items(data: bytes, filename: str, value_headers: tuple[str, ...]) -> Iterator[Triple]:
    import json  # here: `spbe score` of a CSV file does not load it

    try:
        obj = load_json(_text(data, filename), decimals=True)
    except InputTooLarge as e:
        raise LevelsFileError(f"{filename}: {e}") from None
    except json.JSONDecodeError as e:
        raise LevelsFileError(f"{filename}: JSON rusak pada baris {e.lineno} kolom {e.colno}: {e.msg}") from e
    if not isinstance(obj, dict):
        raise LevelsFileError(f"{filename}: JSON harus berupa objek {{\"I01\": 3, ...}}")
    for key, value in obj.items():
        if isinstance(value, (dict, list)):
            raise LevelsFileError(f"{filename}: kunci {key!r}: nilai harus angka, bukan {type(value).__name__}")
        yield f"kunci {key!r}", key, value


def _xlsx_rows(data: bytes, filename: str, value_headers: tuple[str, ...]) -> Iterator[Triple]:
    """The first sheet's rows, streamed: the archive's stated sizes and its XML's nesting and element count
    are checked first (streamed, nothing built), then the cells as openpyxl reads them."""
    import zipfile

    from openpyxl import load_workbook  # heavy import, only for spreadsheets

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, MAX_XLSX_MEMBER, MAX_XLSX_TOTAL)
            check_xml_parts(archive)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InputTooLarge as e:
        raise LevelsFileError(f"{filename}: {e}") from None
    except Exception as e:  # a damaged file fails anywhere in openpyxl, zipfile, zlib or the XML parser
        raise LevelsFileError(f"{filename}: bukan berkas XLSX yang valid ({e})") from e
    try:
        yield from _rows(_sheet_rows(book, filename), filename, value_headers)
    finally:
        book.close()


def _sheet_rows(book: object, filename: str) -> Iterator[list[object]]:
    """Rows of the first sheet (at most MAX_COLUMNS wide, whatever its stated dimension), counting cells."""
    cells = 0
    try:
        sheet = book.worksheets[0]  # type: ignore[attr-defined]
        sheet.reset_dimensions()  # the stated size is not trusted: no padding to a million rows or columns
        for row in islice(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), MAX_ROWS + 2):
            cells += sum(value is not None for value in row)
            if cells > MAX_CELLS:
                raise LevelsFileError(f"{filename}: lebih dari {MAX_CELLS} sel")
            yield list(row)
    except LevelsFileError:
        raise
    except Exception as e:  # damage found while streaming the sheet
        raise LevelsFileError(f"{filename}: bukan berkas XLSX yang valid ({e})") from e
