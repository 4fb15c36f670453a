"""Read an effort CSV `indikator,level,effort` (the effort of each level step), naming every bad row."""

from __future__ import annotations

import csv
import decimal
import io
from decimal import Decimal
from pathlib import Path

from spbe.method.rubric import Rubric
from spbe.method.scoring import ValueProblem, resolve_indicator

HEADER = ["indikator", "level", "effort"]


class EffortFileError(ValueError):
    """An effort file that cannot be used; the message (Bahasa Indonesia) names the row and the problem."""


def read_efforts(path: Path | str, rubric: Rubric) -> dict[tuple[str, int], Decimal]:
    """Read an effort CSV into (indicator, level) -> effort; levels not listed keep the default of 1."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise EffortFileError(f"{path}: berkas tidak dapat dibaca ({e.strerror})") from e
    except UnicodeDecodeError as e:
        raise EffortFileError(f"{path.name}: bukan teks UTF-8 (byte {e.start})") from e
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if ";" in first and "," not in first else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as e:
        raise EffortFileError(f"{path.name}: CSV rusak ({e})") from e
    if not rows:
        raise EffortFileError(f"{path.name}: berkas kosong")
    if _trimmed(rows[0], lower=True) != HEADER:
        raise EffortFileError(f"{path.name}: baris 1: header harus 'indikator,level,effort', "
                              f"bukan '{delimiter.join(rows[0])}'")
    efforts: dict[tuple[str, int], Decimal] = {}
    seen: dict[tuple[str, int], int] = {}
    problems: list[str] = []
    for n, row in enumerate(rows[1:], start=2):
        cells = _trimmed(row)
        if not cells:
            continue
        try:
            key, effort = _row(cells, rubric)
        except ValueProblem as e:
            problems.append(f"baris {n}: {e}")
            continue
        if key in seen:
            problems.append(f"baris {n}: indikator {key[0]} level {key[1]} sudah diisi di baris {seen[key]}")
            continue
        efforts[key], seen[key] = effort, n
    if problems:
        raise EffortFileError(f"{path.name}:\n" + "\n".join(problems))
    return efforts


def _trimmed(row: list[str], lower: bool = False) -> list[str]:
    cells = [c.strip().lower() if lower else c.strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _row(cells: list[str], rubric: Rubric) -> tuple[tuple[str, int], Decimal]:
    if len(cells) != 3:
        raise ValueProblem("harus tepat tiga kolom (indikator,level,effort)")
    ind = resolve_indicator(rubric, cells[0])
    low, high = rubric.meta.values.min + 1, rubric.meta.values.max
    if not cells[1].isdigit() or not low <= int(cells[1]) <= high:
        raise ValueProblem(f"level {cells[1]!r} harus bilangan bulat {low}–{high}")
    try:
        effort = Decimal(cells[2].replace(",", "."))
    except decimal.InvalidOperation:
        raise ValueProblem(f"effort {cells[2]!r} bukan angka") from None
    if not effort.is_finite():
        raise ValueProblem(f"effort {cells[2]!r} bukan angka")
    if effort < 0:
        raise ValueProblem(f"effort {cells[2]} tidak boleh negatif")
    return (ind, int(cells[1])), effort
