"""The lift advisor: what one more level adds, and the cheapest upgrades that make a target reached.

A target on the index, a domain or an aspect is reached when the published scoped value (half-up,
2 decimals) is at least the target. The optimiser is an exact multiple-choice knapsack: per indicator
one choice of how many levels to climb; every step's lift is a whole number of gain units (the gcd of
all lifts as fractions: 0.05 weight-points for spbe-2021), every effort an exact integer after scaling,
and a dynamic programme over the gain, capped at what is needed, minimises (effort, level steps,
-resulting value) lexicographically. Unanswered indicators count as the lowest level; a step raises an
indicator to its next whole level (1.17 -> 2). Pure Python and numpy; no web or ORM imports.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from functools import reduce

import numpy as np

from spbe.method.rubric import Indicator, Rubric
from spbe.method.scoring import CENT, plain, publish, score

INDEX = "index"
Efforts = Mapping[tuple[str, int], Decimal]  # (indicator, level) -> effort to reach level from level - 1

_CONTEXT = decimal.Context(prec=40)
_INT64_SAFE = 2**61  # summed keys below this keep INF (2**62) + key inside int64; larger ones use Python ints


class AdviceError(ValueError):
    """A target, scope, lock, step limit or effort the advisor cannot use; message in Bahasa Indonesia."""


def _decimal(x: Fraction) -> Decimal:
    return _CONTEXT.divide(Decimal(x.numerator), Decimal(x.denominator))


def parse_target(text: str) -> Decimal:
    """A target as a person types it ('2.6' or '2,6'), or AdviceError naming it."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except decimal.InvalidOperation:
        raise AdviceError(f"target {text.strip()!r} bukan angka") from None
    if not value.is_finite():
        raise AdviceError(f"target {text.strip()!r} bukan angka")
    return value


def scope_id(rubric: Rubric, scope: str) -> str:
    """Normalise a scope ('index', 'd2', 'A3') to its id, or raise AdviceError listing the choices."""
    key = scope.strip()
    key = INDEX if key.lower() == INDEX else key.upper()
    if key == INDEX or key in rubric.domain_by_id or key in rubric.aspect_by_id:
        return key
    choices = ", ".join([INDEX, *rubric.domain_by_id, *rubric.aspect_by_id])
    raise AdviceError(f"cakupan {scope!r} tidak dikenal (pilihan: {choices})")


def scope_members(rubric: Rubric, scope: str) -> tuple[Indicator, ...]:
    """The indicators a scope's value is computed from."""
    if scope == INDEX:
        return rubric.indicators
    if scope in rubric.domain_by_id:
        return rubric.indicators_of_domain(scope)
    return rubric.indicators_of_aspect(scope)


def filled(rubric: Rubric, values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Every indicator's value, unanswered ones at the lowest level."""
    lowest = Decimal(rubric.meta.values.min)
    return {i.id: values.get(i.id, lowest) for i in rubric.indicators}


def next_level(value: Decimal) -> int:
    """The whole level one step above a value: 1.17 -> 2, 2 -> 3."""
    return math.floor(value) + 1


def scoped_value(rubric: Rubric, levels: Mapping[str, Decimal], scope: str) -> Decimal:
    """The exact value of a scope for complete levels, as `spbe score` computes it."""
    result = score(rubric, levels)
    group = result.overall if scope == INDEX else {**result.domains, **result.aspects}[scope]
    return group.low


@dataclass(frozen=True)
class MarginalGain:
    """What raising one indicator to its next whole level adds to the index, its domain and its aspect."""

    indikator: str
    value: Decimal
    to: int
    index: Decimal
    domain: Decimal | None
    aspect: Decimal


def marginal_gains(rubric: Rubric, values: Mapping[str, Decimal]) -> list[MarginalGain]:
    """One entry per indicator below the highest level, in rubric order."""
    levels = filled(rubric, values)
    total = sum(Fraction(i.weight) for i in rubric.indicators)
    gains = []
    for ind in rubric.indicators:
        if levels[ind.id] >= rubric.meta.values.max:
            continue
        to = next_level(levels[ind.id])
        lift = Fraction(ind.weight) * (to - Fraction(levels[ind.id]))
        aspect = rubric.aspect_by_id[ind.aspect]
        domain = rubric.domain_by_id[aspect.domain] if aspect.domain else None
        on_domain = _decimal(lift / Fraction(domain.weight)) if domain else None
        gains.append(MarginalGain(ind.id, levels[ind.id], to, _decimal(lift / total), on_domain,
                                  _decimal(lift / Fraction(aspect.weight))))
    return gains


@dataclass(frozen=True)
class Step:
    """One level upgrade: an indicator from its value to the next whole level, with its effort and lift."""

    indikator: str
    start: Decimal
    to: int
    effort: Decimal
    gain: Decimal  # what the step adds to the scoped value


@dataclass(frozen=True)
class Plan:
    """The advisor's answer for one target: the steps, and the scoped value before, after and at best."""

    target: Decimal
    scope: str
    reachable: bool
    steps: tuple[Step, ...]
    value_before: Decimal
    value_after: Decimal
    max_value: Decimal
    levels: Mapping[str, Decimal]  # every indicator's value after the plan

    @property
    def total_effort(self) -> Decimal:
        return sum((s.effort for s in self.steps), Decimal(0))

    @property
    def published_after(self) -> Decimal:
        return publish(self.value_after)

    def as_json(self) -> dict[str, object]:
        """The machine-readable contract of `spbe advise --json`: decimals as strings."""
        return {
            "target": plain(self.target), "scope": self.scope, "reachable": self.reachable,
            "total_effort": plain(self.total_effort), "value_before": plain(self.value_before),
            "value_after": plain(self.value_after), "published_after": str(self.published_after),
            "max_value": plain(self.max_value),
            "steps": [
                {"indikator": s.indikator, "from": _level_json(s.start), "to": s.to,
                 "effort": plain(s.effort), "gain": plain(s.gain)}
                for s in self.steps
            ],
        }


@dataclass(frozen=True)
class Move:
    """A plan's steps on one indicator taken together: from its value to the level reached, gain and effort."""

    indikator: str
    start: Decimal
    to: int
    effort: Decimal
    gain: Decimal


def moves(plan: Plan) -> list[Move]:
    """One entry per indicator the plan raises, in the plan's order, its steps summed."""
    grouped: dict[str, list[Step]] = {}
    for step in plan.steps:
        grouped.setdefault(step.indikator, []).append(step)
    return [
        Move(ind, steps[0].start, steps[-1].to, sum((s.effort for s in steps), Decimal(0)),
             sum((s.gain for s in steps), Decimal(0)))
        for ind, steps in grouped.items()
    ]


def _level_json(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else plain(value)


@dataclass(frozen=True)
class _Ladder:
    """The steps one indicator may climb: target levels, lifts in weight-points, efforts."""

    indicator: Indicator
    start: Decimal
    levels: tuple[int, ...]
    lifts: tuple[Fraction, ...]
    efforts: tuple[Decimal, ...]


def _ladder(rubric: Rubric, ind: Indicator, start: Decimal, max_step: int | None,
            efforts: Efforts) -> _Ladder:
    top = rubric.meta.values.max
    levels = tuple(range(next_level(start), top + 1))[:max_step]
    previous = (Fraction(start), *map(Fraction, levels))
    lifts = tuple(Fraction(ind.weight) * (to - before) for to, before in zip(levels, previous, strict=False))
    return _Ladder(ind, start, levels, lifts, tuple(Decimal(efforts.get((ind.id, lv), 1)) for lv in levels))


def _threshold(target: Decimal) -> Fraction:
    """The least exact value published as ≥ target: the next cent at or above it, minus half a cent."""
    return Fraction(target.quantize(CENT, rounding=ROUND_CEILING)) - Fraction(1, 200)


def _fraction_gcd(xs: Sequence[Fraction]) -> Fraction:
    denominator = reduce(math.lcm, (x.denominator for x in xs), 1)
    return Fraction(reduce(math.gcd, (int(x * denominator) for x in xs), 0), denominator)


def _prefix(xs: Sequence[int]) -> list[int]:
    out = [0]
    for x in xs:
        out.append(out[-1] + x)
    return out


def _cheapest(ladders: Sequence[_Ladder], need: Fraction) -> list[int] | None:
    """Levels to climb per ladder for lift ≥ need: least effort, fewest steps, most lift; None if none."""
    if need <= 0:
        return [0] * len(ladders)
    if sum(sum(lad.lifts) for lad in ladders) < need:
        return None
    unit = _fraction_gcd([x for lad in ladders for x in lad.lifts])
    scale = reduce(math.lcm, (Fraction(e).denominator for lad in ladders for e in lad.efforts), 1)
    gains = [_prefix([int(x / unit) for x in lad.lifts]) for lad in ladders]
    costs = [_prefix([int(Fraction(e) * scale) for e in lad.efforts]) for lad in ladders]
    # One additive key per choice orders (effort, steps, unused lift) lexicographically: each part stays
    # below the radix of the part above it in any sum over all ladders.
    lift_radix = sum(g[-1] for g in gains) + 1
    step_radix = sum(len(lad.levels) for lad in ladders) + 1
    keys = [[c * step_radix * lift_radix + k * lift_radix + (g[-1] - gk)
             for k, (c, gk) in enumerate(zip(cs, g, strict=True))]
            for cs, g in zip(costs, gains, strict=True)]
    return _knapsack(gains, keys, math.ceil(need / unit), sum(k[-1] for k in keys))


def _knapsack(gains: list[list[int]], keys: list[list[int]], need: int, key_bound: int) -> list[int]:
    """Exact multiple-choice knapsack: one option per group, gain ≥ need, least key (ties: earlier option)."""
    dtype, inf = (np.int64, 2**62) if key_bound < _INT64_SAFE else (object, key_bound + 1)
    best = np.full(need + 1, inf, dtype=dtype)  # best[s]: least key with capped gain s (s == need: ≥ need)
    best[0] = 0
    history = []
    for group_gains, group_keys in zip(gains, keys, strict=True):
        new = np.full(need + 1, inf, dtype=dtype)
        pick = np.zeros(need + 1, dtype=np.int16)
        source_of_need = need
        for k, (g, key) in enumerate(zip(group_gains, group_keys, strict=True)):
            if g < need:
                candidate = best[: need - g] + key
                better = candidate < new[g:need]
                new[g:need][better] = candidate[better]
                pick[g:need][better] = k
            low = max(0, need - g)
            i = low + int(np.argmin(best[low:]))
            if best[i] + key < new[need]:
                new[need], pick[need], source_of_need = best[i] + key, k, i
        history.append((pick, source_of_need))
        best = new
    chosen = []
    s = need
    for (pick, source_of_need), group_gains in zip(reversed(history), reversed(gains), strict=True):
        k = int(pick[s])
        chosen.append(k)
        s = source_of_need if s == need else s - group_gains[k]
    return chosen[::-1]


def _check(rubric: Rubric, target: Decimal, max_step: int | None, efforts: Efforts,
           excluded: Collection[str]) -> None:
    vr = rubric.meta.values
    if not target.is_finite() or not vr.min <= target <= vr.max:
        raise AdviceError(f"target {target} di luar rentang {vr.min}–{vr.max}")
    if max_step is not None and max_step < 0:
        raise AdviceError(f"batas kenaikan {max_step} tidak boleh negatif")
    unknown = sorted(set(excluded) - set(rubric.indicator_by_id))
    if unknown:
        raise AdviceError(f"indikator {', '.join(unknown)} tidak dikenal dalam rubrik {rubric.id}")
    for (ind, level), effort in efforts.items():
        if not Decimal(effort).is_finite() or effort < 0:
            raise AdviceError(f"upaya {effort} untuk {ind} tingkat {level} harus angka ≥ 0")


def plan(
    rubric: Rubric, values: Mapping[str, Decimal], target: Decimal, scope: str = INDEX, *,
    max_step: int | None = None, locked: Collection[str] = (), fixed: Collection[str] = (),
    efforts: Efforts | None = None,
) -> Plan:
    """The cheapest upgrades whose published scoped value reaches target, else those to the highest value."""
    scope, efforts = scope_id(rubric, scope), efforts or {}
    _check(rubric, target, max_step, efforts, {*locked, *fixed})
    levels = filled(rubric, values)
    members = scope_members(rubric, scope)
    ladders = [
        lad for ind in members if ind.id not in locked and ind.id not in fixed
        if (lad := _ladder(rubric, ind, levels[ind.id], max_step, efforts)).levels
    ]
    weight = sum(Fraction(i.weight) for i in members)
    need = _threshold(target) * weight - sum(Fraction(i.weight) * Fraction(levels[i.id]) for i in members)
    chosen = _cheapest(ladders, need)
    climbs = chosen if chosen is not None else [len(lad.levels) for lad in ladders]
    steps, after, best = [], dict(levels), dict(levels)
    for lad, k in zip(ladders, climbs, strict=True):
        starts = (lad.start, *map(Decimal, lad.levels))
        steps += [Step(lad.indicator.id, starts[n], lad.levels[n], lad.efforts[n],
                       _decimal(lad.lifts[n] / weight)) for n in range(k)]
        if k:
            after[lad.indicator.id] = Decimal(lad.levels[k - 1])
        best[lad.indicator.id] = Decimal(lad.levels[-1])
    return Plan(target, scope, chosen is not None, tuple(steps), scoped_value(rubric, levels, scope),
                scoped_value(rubric, after, scope), scoped_value(rubric, best, scope), after)


@dataclass(frozen=True)
class YearPlan:
    """One year of a roadmap: its plan starts from the previous year's planned levels."""

    year: int
    plan: Plan

    def as_json(self) -> dict[str, object]:
        return {"year": self.year, **self.plan.as_json()}


def roadmap(
    rubric: Rubric, values: Mapping[str, Decimal], targets: Sequence[Decimal], scope: str = INDEX, *,
    start_year: int, max_step: int | None = None, locked: Collection[str] = (), fixed: Collection[str] = (),
    efforts: Efforts | None = None,
) -> list[YearPlan]:
    """A plan per yearly target with a per-year step limit, each year climbing from the year before."""
    years: list[YearPlan] = []
    levels: Mapping[str, Decimal] = values
    for offset, target in enumerate(targets):
        year = plan(rubric, levels, target, scope, max_step=max_step, locked=locked, fixed=fixed,
                    efforts=efforts)
        years.append(YearPlan(start_year + offset, year))
        levels = year.levels
    return years
