"""Butir (evidence items) of the Indeks Pemdi: statuses, the berjenjang cascade and the levels they give.

The evaluation asks, for every indicator and level, for butir coded `I{n}-L{l}-{NN}`; the asesor marks
each one diterima or revisi, and a level counts only when its butir and every lower level's are
accepted. This module works from codes and statuses alone (no rubric, no database): the cascade, the
level reached, the level prepared, the claim check and the project's estimate of a decimal value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Status(StrEnum):
    """Where one butir stands: from nothing yet to the asesor's verdict."""

    BELUM = "belum"  # nothing attached yet
    DISIAPKAN = "disiapkan"  # evidence attached, ready to upload
    DIUNGGAH = "diunggah"  # put on the evaluation portal, waiting for the asesor
    DITERIMA = "diterima"  # accepted by the asesor
    REVISI = "revisi"  # sent back by the asesor, with a reason and a note
    OTOMATIS_DITOLAK = "otomatis_ditolak"  # rejected by the cascade: a lower level was not accepted


class Reason(StrEnum):
    """Why the asesor sent a butir back (revisi)."""

    TIDAK_TEPAT = "tidak_tepat"  # bukti tidak tepat
    BELUM_DIUNGGAH = "belum_diunggah"  # nothing was uploaded


# What a member may choose; otomatis ditolak is computed, and stored only when an asesor's file says so.
CHOSEN = (Status.BELUM, Status.DISIAPKAN, Status.DIUNGGAH, Status.DITERIMA, Status.REVISI)
PREPARED = frozenset({Status.DISIAPKAN, Status.DIUNGGAH, Status.DITERIMA})
REJECTED = frozenset({Status.REVISI, Status.OTOMATIS_DITOLAK})
# Band edges of the Pemdi predikat (Tabel 4): the partial-credit estimate moves between them level by level.
EDGES = (Decimal(1), Decimal("1.5"), Decimal("2.5"), Decimal("3.5"), Decimal(4), Decimal(5))

_CODE = re.compile(r"I0*([1-9][0-9]*)-L0*([1-9])-0*([1-9][0-9]?)", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Code:
    """A butir code's parts: indicator number, level, position within the level."""

    indicator: int
    level: int
    position: int

    def __str__(self) -> str:
        """The portal's form, I{n}-L{l}-{NN} (I1-L1-01)."""
        return f"I{self.indicator}-L{self.level}-{self.position:02d}"


def parse_code(text: str) -> Code:
    """The parts of a code written `I1-L1-01`, `I01-L1-01` or `i1-l1-1`; ValueError for anything else."""
    found = _CODE.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"{text!r} bukan kode butir seperti I1-L1-01")
    n, level, position = (int(g) for g in found.groups())
    return Code(n, level, position)


Ladder = Mapping[int, Sequence[Status]]  # level -> the stored statuses of that level's butir


def _rejected_below(ladder: Ladder, level: int) -> bool:
    """True when some level below this one holds a butir the asesor rejected (or the cascade did)."""
    return any(s in REJECTED for lower, statuses in ladder.items() if lower < level for s in statuses)


def shown(ladder: Ladder, level: int, stored: Status) -> Status:
    """The status a butir shows: one uploaded above a rejected level is otomatis ditolak (berjenjang)."""
    if stored is Status.DIUNGGAH and _rejected_below(ladder, level):
        return Status.OTOMATIS_DITOLAK
    return stored


def _highest(ladder: Ladder, counts: frozenset[Status]) -> int:
    """The highest level L whose butir, and every lower level's, all have a status in `counts` (0: none)."""
    reached = 0
    for level in sorted(ladder):
        statuses = ladder[level]
        if level != reached + 1 or not statuses or any(s not in counts for s in statuses):
            break
        reached = level
    return reached


def level_reached(ladder: Ladder) -> int:
    """The highest level whose butir and all lower levels' are diterima; 0 = belum mencapai tingkat 1."""
    return _highest(ladder, frozenset({Status.DITERIMA}))


def level_prepared(ladder: Ladder) -> int:
    """The highest level whose butir and all lower levels' are disiapkan or better (diunggah, diterima)."""
    return _highest(ladder, PREPARED)


def claim_above_support(claimed: Decimal | None, prepared: int, floor: int = 1) -> bool:
    """True when a claimed value's whole level exceeds what the prepared butir support (never the floor)."""
    if claimed is None:
        return False
    return int(claimed) > max(prepared, floor)


def estimated_value(ladder: Ladder) -> Decimal:
    """The project's estimate of a decimal value from the verdicts (partial-credit hypothesis), 4 decimals.

    Never the official value: that is what the asesor gives. The last level complete (all its butir and
    the lower ones diterima) sets the lower edge of the next predikat band (1.5 / 2.5 / 3.5 / 4 / 5); the
    share of the next level's butir accepted moves it toward the following edge. It reproduces 6 of the 9
    observable Aceh Tengah 2026 values and is not confirmed by the regulation.
    """
    reached = level_reached(ladder)
    if reached >= len(EDGES) - 1:
        return EDGES[-1]
    following = ladder.get(reached + 1, ())
    share = (
        Decimal(sum(s is Status.DITERIMA for s in following)) / len(following) if following else Decimal(0)
    )
    low, high = EDGES[reached], EDGES[reached + 1]
    return (low + (high - low) * share).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class IndicatorButir:
    """One indicator's butir as the pages show them: each code's status (cascade applied) and the levels."""

    indicator_id: str
    statuses: dict[str, Status]  # code -> shown status, in the rubric's order
    level_reached: int
    level_prepared: int
    estimate: Decimal


def summarise(
    indicator_id: str, codes: Mapping[int, Sequence[str]], stored: Mapping[str, Status]
) -> IndicatorButir:
    """Apply the cascade to one indicator's butir (level -> codes) and stored statuses (absent: belum)."""
    ladder = {level: [stored.get(c, Status.BELUM) for c in in_level] for level, in_level in codes.items()}
    statuses = {
        code: shown(ladder, level, stored.get(code, Status.BELUM))
        for level in sorted(codes)
        for code in codes[level]
    }
    return IndicatorButir(
        indicator_id, statuses, level_reached(ladder), level_prepared(ladder), estimated_value(ladder)
    )
