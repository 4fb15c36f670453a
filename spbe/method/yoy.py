"""Year over year: each indicator's, aspect's and domain's value in both years, the delta and its trend.

Groups compare their published (2-decimal) values, so a delta is always the difference of the figures shown.
Pure: no web or ORM imports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from spbe.method.rubric import Indicator, Rubric
from spbe.method.scoring import GroupScore, score


class Trend(StrEnum):
    """How a value moved; `unanswered` when either year lacks it (an indicator, or an incomplete group)."""

    IMPROVED = "improved"
    DROPPED = "dropped"
    UNCHANGED = "unchanged"
    UNANSWERED = "unanswered"


def trend(delta: Decimal | None) -> Trend:
    """The trend of a delta (None: not comparable)."""
    if delta is None:
        return Trend.UNANSWERED
    return Trend.IMPROVED if delta > 0 else Trend.DROPPED if delta < 0 else Trend.UNCHANGED


@dataclass(frozen=True)
class IndicatorDelta:
    """One indicator's value in both years."""

    indicator: Indicator
    before: Decimal | None
    after: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def trend(self) -> Trend:
        return trend(self.delta)


@dataclass(frozen=True)
class GroupDelta:
    """The index, a domain or an aspect in both years; `level` is 0 for the index, 1 domain, 2 aspect."""

    id: str
    name: str
    level: int
    before: GroupScore
    after: GroupScore

    @property
    def delta(self) -> Decimal | None:
        if self.before.published is None or self.after.published is None:
            return None
        return self.after.published - self.before.published

    @property
    def trend(self) -> Trend:
        return trend(self.delta)


@dataclass(frozen=True)
class Comparison:
    """Every indicator and group of a rubric compared across two years."""

    indicators: list[IndicatorDelta]
    groups: list[GroupDelta]

    def counts(self) -> dict[Trend, int]:
        """How many indicators moved each way."""
        moved = Counter(row.trend for row in self.indicators)  # each row's trend worked out once
        return {t: moved[t] for t in Trend}


def compare(rubric: Rubric, before: Mapping[str, Decimal], after: Mapping[str, Decimal]) -> Comparison:
    """Compare last year's values with this year's (both id -> value of the answered indicators)."""
    old, new = score(rubric, before), score(rubric, after)
    groups = [GroupDelta("index", rubric.meta.index_name, 0, old.overall, new.overall)]
    for domain in rubric.meta.domains:
        groups.append(GroupDelta(domain.id, domain.name, 1, old.domains[domain.id], new.domains[domain.id]))
        groups += [
            GroupDelta(a.id, a.name, 2, old.aspects[a.id], new.aspects[a.id])
            for a in rubric.aspects_of_domain(domain.id)
        ]
    if not rubric.meta.domains:
        groups += [
            GroupDelta(a.id, a.name, 1, old.aspects[a.id], new.aspects[a.id]) for a in rubric.meta.aspects
        ]
    rows = [IndicatorDelta(i, before.get(i.id), after.get(i.id)) for i in rubric.indicators]
    return Comparison(rows, groups)


R = TypeVar("R", IndicatorDelta, GroupDelta)


def only(rows: Iterable[R], wanted: Trend | None) -> list[R]:
    """The rows with the wanted trend (all of them for None)."""
    return [row for row in rows if wanted is None or row.trend is wanted]
