"""National average values per instansi type, as versioned data beside a rubric; loaded and checked.

`rubric/<id>/peer-averages/<year>.yaml` copies KemenPANRB's published table: one row per index, domain and
aspect, one column for Nasional and one per instansi type. Pure Python: no web or ORM imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from spbe.method.rubric import Rubric, RubricError, read_yaml, rubric_root, validate_file

NATIONAL = "nasional"
# Nasional, then the instansi kinds exactly as spbe.store.models.InstansiKind names them (tests keep them equal).
GROUPS = (NATIONAL, "kementerian", "lpnk", "lembaga_lainnya", "provinsi", "kabupaten", "kota")
INDEX = "index"
FOLDER = "peer-averages"
# Every printed part is off by at most 0.005, and so is the printed whole: their weighted mean agrees to 0.01.
TOLERANCE = Decimal("0.01")


class PeerAverages(BaseModel):
    """One year's table: row (index, domain or aspect id) -> the averages in the order of `columns`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int
    rubric: str
    year: int
    source: Annotated[str, Field(min_length=1)]
    columns: list[str]
    rows: dict[str, list[Decimal]]

    def value(self, group: str, scope: str) -> Decimal | None:
        """The average of a group (nasional or an instansi kind) for the index or a domain/aspect id."""
        if group not in self.columns or scope not in self.rows:
            return None
        return self.rows[scope][self.columns.index(group)]


def problems(table: PeerAverages, rubric: Rubric, year: int) -> Iterator[str]:
    """Yield every way the table disagrees with its file name, the rubric and its own arithmetic."""
    if table.schema_version != 1:
        yield f"schema_version {table.schema_version} is not supported (expected 1)"
    if table.rubric != rubric.id:
        yield f"rubric {table.rubric!r} is not the folder's rubric {rubric.id!r}"
    if table.year != year:
        yield f"year {table.year} does not match the file name ({year})"
    if tuple(table.columns) != GROUPS:
        yield f"columns must be exactly {', '.join(GROUPS)}"
    expected = [INDEX, *rubric.domain_by_id, *rubric.aspect_by_id]
    if set(table.rows) != set(expected):
        yield f"rows must be exactly {', '.join(expected)}; got {', '.join(table.rows)}"
        return
    low, high = rubric.meta.values.min, rubric.meta.values.max
    for scope, values in table.rows.items():
        if len(values) != len(table.columns):
            yield f"rows.{scope}: {len(values)} values for {len(table.columns)} columns"
        elif bad := [v for v in values if not low <= v <= high or v != round(v, 2)]:
            yield f"rows.{scope}: {', '.join(map(str, bad))} not within {low}–{high} with at most 2 decimals"
    if all(len(v) == len(table.columns) for v in table.rows.values()):
        yield from _sum_problems(table, rubric)


def _sum_problems(table: PeerAverages, rubric: Rubric) -> Iterator[str]:
    """A domain must be the weighted mean of its aspects, the index that of its domains (or aspects)."""
    parts = {d.id: [(a.id, a.weight) for a in rubric.aspects_of_domain(d.id)] for d in rubric.meta.domains}
    top = rubric.meta.domains or rubric.meta.aspects
    parts[INDEX] = [(g.id, g.weight) for g in top]
    for whole, members in parts.items():
        total = sum((w for _, w in members), Decimal(0))
        for column, group in enumerate(table.columns):
            mean = sum((table.rows[m][column] * w for m, w in members), Decimal(0)) / total
            printed = table.rows[whole][column]
            if abs(mean - printed) > TOLERANCE:
                yield (
                    f"rows.{whole} ({group}): {printed} is not the weighted mean of "
                    f"{', '.join(m for m, _ in members)} ({mean:.4f})"
                )


def load_peer_averages(path: Path, rubric: Rubric) -> PeerAverages:
    """Read and check one table file; raise RubricError naming the file and every problem."""
    table = validate_file(PeerAverages, read_yaml(path), path)
    year = int(path.stem) if path.stem.isdigit() else -1
    found = list(problems(table, rubric, year))
    if found:
        raise RubricError(f"{path}: " + "; ".join(found))
    return table


def folder(rubric: Rubric, root: Path | None = None) -> Path:
    """Where a rubric's peer-average tables live."""
    return (root or rubric_root()) / rubric.id / FOLDER


def peer_years(rubric: Rubric, root: Path | None = None) -> list[int]:
    """The years with a table for this rubric, ascending."""
    where = folder(rubric, root)
    return sorted(int(p.stem) for p in where.glob("*.yaml") if p.stem.isdigit()) if where.is_dir() else []


def peer_averages(rubric: Rubric, year: int, root: Path | None = None) -> PeerAverages | None:
    """The latest table for the year or before it (None when the rubric has none that early)."""
    years = [y for y in peer_years(rubric, root) if y <= year]
    if not years:
        return None
    return _cached(folder(rubric, root) / f"{years[-1]}.yaml", rubric)


_tables: dict[tuple[str, int, int, str, str], PeerAverages] = {}


def _cached(path: Path, rubric: Rubric) -> PeerAverages:
    """A table read once until its file changes (the comparison page asked for it on every request)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, rubric.id, str(rubric.meta.version))
    found = _tables.get(key)
    if found is None:
        found = _tables[key] = load_peer_averages(path, rubric)
    return found
