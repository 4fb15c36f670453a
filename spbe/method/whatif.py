"""What-if arithmetic, pure: scenario vs assessment vs last year (unanswered = lowest level, as the advisor)."""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from spbe.method.advice import Efforts, filled, next_level
from spbe.method.rubric import Indicator, Rubric
from spbe.method.scoring import Score, publish, score

_CONTEXT = decimal.Context(prec=40)


def level_up(rubric: Rubric, value: Decimal) -> int | None:
    """The whole level a '+' moves to (1.17 -> 2, 2 -> 3), None at the top."""
    return next_level(value) if value < rubric.meta.values.max else None


def level_down(rubric: Rubric, value: Decimal) -> int | None:
    """The whole level a '−' moves to (2.5 -> 2, 3 -> 2), None at the bottom."""
    return math.ceil(value) - 1 if value > rubric.meta.values.min else None


@dataclass(frozen=True)
class Column:
    """One side of the comparison: its year, the score of its complete values and how many were unanswered."""

    year: int | None
    score: Score
    unanswered: int


def column(rubric: Rubric, values: Mapping[str, Decimal], year: int | None) -> Column:
    """Score values with unanswered indicators at the lowest level, counting those."""
    unanswered = sum(1 for i in rubric.indicators if i.id not in values)
    return Column(year, score(rubric, filled(rubric, values)), unanswered)


def with_butir(levels: Mapping[str, Decimal], reached: Mapping[str, int]) -> dict[str, Decimal]:
    """Values with each simulated butir level as a floor: a whole level counts as its lower edge (3 -> 3).

    The official rule turning butir verdicts into a decimal value is not confirmed, so the sandbox takes the
    cautious whole level; a simulated level never lowers a value the scenario already has.
    """
    return {i: max(v, Decimal(reached[i])) if i in reached else v for i, v in levels.items()}


@dataclass(frozen=True)
class Row:
    """The index, a domain or an aspect: its published value in the scenario, now and last year."""

    id: str
    name: str
    scenario: Decimal
    current: Decimal
    last: Decimal | None

    @property
    def delta_current(self) -> Decimal:
        return self.scenario - self.current

    @property
    def delta_last(self) -> Decimal | None:
        return None if self.last is None else self.scenario - self.last


def rows(scenario: Column, current: Column, last: Column | None) -> list[Row]:
    """Index, then domains, then aspects, each as published (half-up, 2 decimals) in the three columns."""

    def groups(s: Score) -> list[tuple[str, str, Decimal]]:
        every = [s.overall, *s.domains.values(), *s.aspects.values()]
        return [(g.id, g.name, publish(g.low)) for g in every]

    lasts = [v for _, _, v in groups(last.score)] if last else [None] * len(groups(scenario.score))
    return [
        Row(gid, name, value, now, before)
        for (gid, name, value), (_, _, now), before in zip(
            groups(scenario.score), groups(current.score), lasts, strict=True)
    ]


@dataclass(frozen=True)
class Change:
    """One indicator the scenario moves: from and to, its lift on the index and the effort of its steps."""

    indicator: Indicator
    before: Decimal
    after: Decimal
    lift: Decimal
    effort: Decimal


def step_effort(efforts: Efforts, indicator_id: str, before: Decimal, after: Decimal) -> Decimal:
    """The effort of climbing from `before` to `after` (levels without a setting cost 1); lowering costs 0."""
    levels = range(next_level(before), math.floor(after) + 1) if after > before else range(0)
    return sum((Decimal(efforts.get((indicator_id, lv), 1)) for lv in levels), Decimal(0))


def changes(rubric: Rubric, baseline: Mapping[str, Decimal], levels: Mapping[str, Decimal],
            efforts: Efforts) -> list[Change]:
    """The indicators whose scenario value differs from the assessment's, in rubric order."""
    total = sum((i.weight for i in rubric.indicators), Decimal(0))
    return [
        Change(ind, baseline[ind.id], levels[ind.id],
               _CONTEXT.divide(ind.weight * (levels[ind.id] - baseline[ind.id]), total),
               step_effort(efforts, ind.id, baseline[ind.id], levels[ind.id]))
        for ind in rubric.indicators if levels[ind.id] != baseline[ind.id]
    ]
