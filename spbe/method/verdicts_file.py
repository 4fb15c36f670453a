"""Read the asesor's verdicts per butir from a CSV or XLSX file (`butir,status,catatan`), naming bad rows.

Codes may be written `I1-L1-01` or `I01-L1-01`, statuses in any case: diterima, revisi (bukti tidak
tepat), belum diunggah, otomatis ditolak. A row whose first cell is an indicator (`I17`) and second a
number gives that indicator's official value. The whole file is checked before anything is used.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path

from spbe.method.butir import Reason, Status, parse_code
from spbe.method.input_limits import InputTooLarge, check_xml_parts, check_zip
from spbe.method.rubric import Rubric

HEADER = ("butir", "status", "catatan")
MAX_ROWS = 2_000  # an instrument has a few hundred butir
MAX_NOTE = 5_000
MAX_COLUMNS = 8  # of a spreadsheet, only these are read (a verdicts file has three)
MAX_XLSX_MEMBER = 4 * 1024 * 1024  # each part of an .xlsx once inflated (232 rows with notes: well under)
MAX_XLSX_TOTAL = 16 * 1024 * 1024  # all parts of an .xlsx once inflated
# Status words as the portal and asesor write them (lower case, single spaces) -> status and reason.
STATUS_WORDS: dict[str, tuple[Status, Reason | None]] = {
    "diterima": (Status.DITERIMA, None),
    "revisi": (Status.REVISI, Reason.TIDAK_TEPAT),
    "bukti tidak tepat": (Status.REVISI, Reason.TIDAK_TEPAT),
    "tidak tepat": (Status.REVISI, Reason.TIDAK_TEPAT),
    "belum diunggah": (Status.REVISI, Reason.BELUM_DIUNGGAH),
    "otomatis ditolak": (Status.OTOMATIS_DITOLAK, None),
}
_INDICATOR_CELL = "I"


class VerdictsFileError(ValueError):
    """A verdicts file that cannot be used; the message (Bahasa Indonesia) names every bad row."""


@dataclass(frozen=True)
class Verdict:
    """One butir's verdict as read from the file."""

    code: str  # the portal code as the rubric writes it
    status: Status
    reason: Reason | None
    note: str


@dataclass(frozen=True)
class Verdicts:
    """A checked file: verdicts by portal code, in file order, and official values by indicator id."""

    verdicts: dict[str, Verdict]
    values: dict[str, Decimal]


@dataclass(frozen=True)
class Instrument:
    """What the reader needs to know of a rubric: its id, butir portal codes and indicator ids by number."""

    rubric_id: str
    portal_codes: frozenset[str]
    indicators: Mapping[int, str]  # indicator number -> id (17 -> 'I17')
    value_min: Decimal
    value_max: Decimal


def indicator_ids(rubric: Rubric) -> dict[int, str]:
    """Indicator number -> id (17 -> 'I17'), as butir codes name indicators by number."""
    return {ind.number: ind.id for ind in rubric.indicators}


def instrument(rubric: Rubric) -> Instrument:
    """What the reader needs to know of a rubric with butir."""
    codes = frozenset(b.portal_code for ind in rubric.indicators for b in rubric.butir(ind.id))
    values = rubric.meta.values
    return Instrument(rubric.id, codes, indicator_ids(rubric), Decimal(values.min), Decimal(values.max))


def parse_verdicts(data: bytes, filename: str, instrument: Instrument) -> Verdicts:
    """Check every row of a verdicts file; VerdictsFileError lists each bad one; nothing half-read is used."""
    rows = _table(data, filename)
    header = [str(c or "").strip().lower() for c in (rows[0] if rows else [])]
    while header and not header[-1]:
        header.pop()
    if tuple(header[:2]) != HEADER[:2] or (len(header) > 2 and tuple(header) != HEADER):
        shown = ",".join(str(c or "") for c in (rows[0] if rows else []))
        raise VerdictsFileError(f"{filename}: baris 1: header harus 'butir,status,catatan', bukan '{shown}'")
    problems: list[str] = []
    verdicts: dict[str, Verdict] = {}
    values: dict[str, Decimal] = {}
    first_row: dict[str, int] = {}
    for n, row in enumerate(rows[1:], start=2):
        cells = [("" if c is None else str(c)).strip() for c in row] + ["", "", ""]
        if not any(cells):
            continue
        try:
            key, item = _row(cells, instrument)
        except ValueError as e:
            problems.append(f"baris {n}: {e}")
            continue
        if key in first_row:
            problems.append(f"baris {n}: {key} ganda (sudah ada di baris {first_row[key]})")
            continue
        first_row[key] = n
        if isinstance(item, Verdict):
            verdicts[key] = item
        else:
            values[key] = item
    if problems:
        raise VerdictsFileError(
            f"{filename}: {len(problems)} baris salah, tidak ada yang disimpan:\n" + "\n".join(problems)
        )
    if not verdicts and not values:
        raise VerdictsFileError(f"{filename}: tidak ada baris putusan butir")
    return Verdicts(verdicts, values)


def _row(cells: Sequence[str], instrument: Instrument) -> tuple[str, Verdict | Decimal]:
    """One non-blank row as (key, verdict) or (indicator id, official value); ValueError says why not."""
    raw_code, raw_status, note = cells[0], cells[1], cells[2]
    if any(cells[3:]):
        raise ValueError("lebih dari tiga kolom (butir,status,catatan)")
    if not raw_code:
        raise ValueError("kolom butir kosong")
    indicator = _indicator_number(raw_code)
    if indicator is not None:
        return _value_row(raw_code, indicator, raw_status, instrument)
    try:
        code = parse_code(raw_code)
    except ValueError:
        raise ValueError(f"'{raw_code[:40]}' bukan kode butir seperti I1-L1-01") from None
    if code.indicator not in instrument.indicators:
        last = max(instrument.indicators)
        raise ValueError(
            f"{code} adalah kode instrumen lain: rubrik {instrument.rubric_id} hanya punya "
            f"indikator I1 sampai I{last}"
        )
    if str(code) not in instrument.portal_codes:
        raise ValueError(f"kode butir {code} tidak dikenal pada rubrik {instrument.rubric_id}")
    word = " ".join(raw_status.replace("_", " ").lower().split())
    if word not in STATUS_WORDS:
        raise ValueError(
            f"status '{raw_status[:40]}' tidak dikenal (gunakan diterima, revisi, "
            f"belum diunggah atau otomatis ditolak)"
        )
    if len(note) > MAX_NOTE or any(ord(ch) < 32 and ch not in "\n\t" for ch in note):
        raise ValueError(f"catatan lebih dari {MAX_NOTE} karakter atau berisi karakter kendali")
    status, reason = STATUS_WORDS[word]
    return str(code), Verdict(str(code), status, reason, note)


def _indicator_number(raw: str) -> int | None:
    """17 for a cell naming an indicator ('I17', 'i01'), None for anything else."""
    text = raw.strip().upper()
    if text.startswith(_INDICATOR_CELL) and text[1:].isdigit() and len(text) <= 4:
        return int(text[1:])
    return None


def _value_row(raw: str, number: int, raw_value: str, instrument: Instrument) -> tuple[str, Decimal]:
    """An indicator row: its id and the official value in the second column, within the rubric's range."""
    indicator_id = instrument.indicators.get(number)
    if indicator_id is None:
        raise ValueError(f"indikator {raw} tidak ada pada rubrik {instrument.rubric_id}")
    try:
        value = Decimal(raw_value.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"nilai indikator {indicator_id} '{raw_value[:20]}' bukan angka") from None
    if not value.is_finite() or not instrument.value_min <= value <= instrument.value_max:
        raise ValueError(
            f"nilai indikator {indicator_id} {raw_value[:20]} di luar "
            f"{instrument.value_min}–{instrument.value_max}"
        )
    return indicator_id, value


def _table(data: bytes, filename: str) -> list[list[object]]:
    """The rows of a .csv or .xlsx file (at most MAX_ROWS + 1), by its extension."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise VerdictsFileError(f"{filename}: format tidak didukung (gunakan .csv atau .xlsx)")
    if not data.strip():
        raise VerdictsFileError(f"{filename}: berkas kosong")
    rows = _csv_table(data, filename) if suffix == ".csv" else _xlsx_table(data, filename)
    if len(rows) > MAX_ROWS + 1:
        raise VerdictsFileError(f"{filename}: lebih dari {MAX_ROWS} baris (satu baris per butir)")
    return rows


def _csv_table(data: bytes, filename: str) -> list[list[object]]:
    """CSV rows (UTF-8, comma or semicolon separated), bounded in count."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise VerdictsFileError(f"{filename}: bukan teks UTF-8 (byte {e.start})") from e
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if ";" in first and "," not in first else ","
    try:
        return [
            list(r)
            for r in islice(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True), MAX_ROWS + 2)
        ]
    except csv.Error as e:
        raise VerdictsFileError(f"{filename}: CSV rusak ({e})") from e


def _xlsx_table(data: bytes, filename: str) -> list[list[object]]:
    """The first sheet's rows; the one place this reader opens a workbook. The archive's inflated sizes and
    its XML are checked first (as for levels files), then rows, columns and cells are read within limits."""
    from openpyxl import load_workbook  # heavy import, only for spreadsheets

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, MAX_XLSX_MEMBER, MAX_XLSX_TOTAL)
            check_xml_parts(archive)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # the stated size is not trusted: no padding to a million rows or columns
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            return [list(r) for r in islice(rows, MAX_ROWS + 2)]
        finally:
            book.close()
    except InputTooLarge as e:
        raise VerdictsFileError(f"{filename}: {e}") from None
    except Exception as e:  # a damaged file fails anywhere in openpyxl, zipfile, zlib or the XML parser
        raise VerdictsFileError(f"{filename}: bukan berkas XLSX yang valid ({e})") from e
