"""Calibration: where the asesor scored last year's self-assessment lower or higher, and repeats this year.

A claim is flagged when last year's self-assessed level was above the official one and this year's claim is
again above that official level (self 4 / official 3 last year, 4 or more now): the asesor is likely to lower
it again unless the evidence has changed. Pure: no web or ORM imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from spbe.method.rubric import Indicator, Rubric


class Verdict(StrEnum):
    """What the asesor did to a self-assessed level."""

    LOWERED = "lowered"  # official below self: an over-claim
    RAISED = "raised"  # official above self: an under-claim
    KEPT = "kept"


@dataclass(frozen=True)
class CalibrationRow:
    """One indicator: last year's self-assessed and official level, this year's claim (None: unanswered)."""

    indicator: Indicator
    last_self: Decimal
    last_official: Decimal
    claim: Decimal | None

    @property
    def gap(self) -> Decimal:
        """Official minus self-assessed: negative where the asesor lowered the level."""
        return self.last_official - self.last_self

    @property
    def verdict(self) -> Verdict:
        return Verdict.LOWERED if self.gap < 0 else Verdict.RAISED if self.gap > 0 else Verdict.KEPT

    @property
    def repeated(self) -> bool:
        """True when last year's over-claim comes again: this year's level above last year's official one."""
        return self.verdict is Verdict.LOWERED and self.claim is not None and self.claim > self.last_official


@dataclass(frozen=True)
class Calibration:
    """The rows of every indicator that has both a self-assessed and an official level last year."""

    rows: list[CalibrationRow]

    def count(self, verdict: Verdict) -> int:
        return sum(1 for row in self.rows if row.verdict == verdict)

    @property
    def repeated(self) -> list[CalibrationRow]:
        return [row for row in self.rows if row.repeated]

    @property
    def mean_gap(self) -> Decimal | None:
        """The average of official minus self over the rows (None without rows)."""
        return sum((r.gap for r in self.rows), Decimal(0)) / len(self.rows) if self.rows else None


def calibrate(
    rubric: Rubric,
    last_self: Mapping[str, Decimal],
    last_official: Mapping[str, Decimal],
    claims: Mapping[str, Decimal],
) -> Calibration:
    """Compare last year's self-assessed levels with the official ones; flag this year's repeated claims."""
    rows = [
        CalibrationRow(i, last_self[i.id], last_official[i.id], claims.get(i.id))
        for i in rubric.indicators
        if i.id in last_self and i.id in last_official
    ]
    return Calibration(rows)
