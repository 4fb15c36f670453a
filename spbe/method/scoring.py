"""Exact scoring: aspect, domain and overall index as KemenPANRB computes them, with Decimal arithmetic.

Every value is Σ(weight × value) / Σ weight over the unrounded indicator values; only the published
figure is rounded (half-up, 2 decimals) and the predikat is read from the rubric's bands on that
published figure. An incomplete assessment gets no single index, only the range it can still take.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from spbe.method.rubric import Indicator, Rubric

_CONTEXT = decimal.Context(prec=40, rounding=decimal.ROUND_HALF_EVEN)
CENT = Decimal("0.01")


def publish(value: Decimal) -> Decimal:
    """Round a value the way it is published: half-up to 2 decimals (2.595 -> 2.60)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """Write a Decimal without exponent or trailing zeros ('3', '2.6625')."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class GroupScore:
    """The value of an aspect, a domain or the whole index, and the range it can still take."""

    id: str
    name: str
    weight: Decimal
    answered: int
    total: int
    low: Decimal  # every unanswered indicator at the lowest value
    high: Decimal  # every unanswered indicator at the highest value

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    @property
    def value(self) -> Decimal | None:
        """The exact value, or None while any indicator in the group is unanswered."""
        return self.low if self.complete else None

    @property
    def published(self) -> Decimal | None:
        return publish(self.low) if self.complete else None

    @property
    def published_range(self) -> tuple[Decimal, Decimal]:
        return publish(self.low), publish(self.high)


@dataclass(frozen=True)
class Score:
    """A scored assessment: index, predikat, domains and aspects, completeness."""

    rubric_id: str
    overall: GroupScore
    predikat: str | None
    domains: dict[str, GroupScore]
    aspects: dict[str, GroupScore]

    @property
    def complete(self) -> bool:
        return self.overall.complete

    @property
    def index(self) -> Decimal | None:
        return self.overall.value

    @property
    def index_published(self) -> Decimal | None:
        return self.overall.published

    @property
    def answered(self) -> int:
        return self.overall.answered

    def as_json(self) -> dict[str, object]:
        """The machine-readable contract of `spbe score --json`: decimals as strings."""

        def text(d: Decimal | None) -> str | None:
            return None if d is None else plain(d)

        def shown(d: Decimal | None) -> str | None:
            return None if d is None else str(d)

        def group(g: GroupScore) -> dict[str, object]:
            out: dict[str, object] = {"value": text(g.value), "published": shown(g.published)}
            if not g.complete:
                out["range"] = [str(x) for x in g.published_range]
            return out

        return {
            "rubric": self.rubric_id,
            "index": text(self.index),
            "index_published": shown(self.index_published),
            "predikat": self.predikat,
            "complete": self.complete,
            "answered": self.answered,
            "total": self.overall.total,
            "index_range": [str(x) for x in self.overall.published_range],
            "domains": {k: group(g) for k, g in self.domains.items()},
            "aspects": {k: group(g) for k, g in self.aspects.items()},
        }


def _group(
    rubric: Rubric, gid: str, name: str, weight: Decimal, members: Sequence[Indicator],
    values: Mapping[str, Decimal],
) -> GroupScore:
    lo_v, hi_v = Decimal(rubric.meta.values.min), Decimal(rubric.meta.values.max)
    total_w = sum((i.weight for i in members), Decimal(0))
    known = sum((i.weight * values[i.id] for i in members if i.id in values), Decimal(0))
    missing_w = sum((i.weight for i in members if i.id not in values), Decimal(0))
    low = _CONTEXT.divide(known + missing_w * lo_v, total_w)
    high = _CONTEXT.divide(known + missing_w * hi_v, total_w)
    answered = sum(1 for i in members if i.id in values)
    return GroupScore(gid, name, weight, answered, len(members), low, high)


def score(rubric: Rubric, values: Mapping[str, Decimal]) -> Score:
    """Score indicator values (id -> value, already checked) against a rubric."""
    aspects = {
        a.id: _group(rubric, a.id, a.name, a.weight, rubric.indicators_of_aspect(a.id), values)
        for a in rubric.meta.aspects
    }
    domains = {
        d.id: _group(rubric, d.id, d.name, d.weight, rubric.indicators_of_domain(d.id), values)
        for d in rubric.meta.domains
    }
    overall = _group(rubric, "index", rubric.meta.index_name, Decimal(100), rubric.indicators, values)
    predikat = rubric.predikat(publish(overall.low)) if overall.complete else None
    return Score(rubric.id, overall, predikat, domains, aspects)


class ValueProblem(ValueError):
    """One bad indicator value or key; the message is for the user, in Bahasa Indonesia."""


_KEY = re.compile(r"^\s*[Ii]?0*([0-9]{1,3})\s*$")


def resolve_indicator(rubric: Rubric, key: object) -> str:
    """Map 'I07', 'i7', '7' or 7 to the indicator id, or raise ValueProblem."""
    m = _KEY.match(str(key))
    if m:
        number = int(m.group(1))
        for ind in rubric.indicators:
            if ind.number == number:
                return ind.id
    raise ValueProblem(f"indikator {str(key).strip()!r} tidak dikenal dalam rubrik {rubric.id}")


def parse_number(raw: object) -> Decimal:
    """Read a number as a person or a file writes it ('1,1667', 3, Decimal), or raise ValueProblem."""
    if isinstance(raw, bool) or raw is None:
        raise ValueProblem(f"nilai {raw!r} bukan angka")
    try:
        value = Decimal(str(raw).strip().replace(",", ".")) if not isinstance(raw, Decimal) else raw
    except decimal.InvalidOperation:
        raise ValueProblem(f"nilai {str(raw).strip()!r} bukan angka") from None
    if not value.is_finite():
        raise ValueProblem(f"nilai {str(raw).strip()!r} bukan angka")
    return value


def _decimal_places(value: Decimal) -> int:
    """Significant decimal places of a value: 1.50 -> 1, 1.1667 -> 4, 3 -> 0."""
    return max(0, -int(value.normalize().as_tuple().exponent))


def check_value(rubric: Rubric, raw: object) -> Decimal:
    """Turn one raw value into a Decimal allowed by the rubric, or raise ValueProblem."""
    vr = rubric.meta.values
    value = parse_number(raw)
    if vr.decimals == 0 and value != value.to_integral_value():
        raise ValueProblem(f"tingkat {str(raw).strip()} harus bilangan bulat {vr.min}–{vr.max}")
    if _decimal_places(value) > vr.decimals:
        raise ValueProblem(f"nilai {str(raw).strip()} terlalu banyak angka desimal: rubrik {rubric.id} "
                           f"menerima paling banyak {vr.decimals} (mis. 7/6 ditulis 1.1667)")
    if not vr.min <= value <= vr.max:
        what = "tingkat" if vr.decimals == 0 else "nilai"
        raise ValueProblem(f"{what} {str(raw).strip()} di luar rentang {vr.min}–{vr.max}")
    return value.to_integral_value() if vr.decimals == 0 else value


def check_values(rubric: Rubric, items: Iterable[tuple[str, object, object]]) -> dict[str, Decimal]:
    """Check (where, key, value) triples; raise ValueProblem listing every bad one by its place."""
    values: dict[str, Decimal] = {}
    first_seen: dict[str, str] = {}
    problems: list[str] = []
    for where, key, raw in items:
        try:
            ind = resolve_indicator(rubric, key)
            value = check_value(rubric, raw)
        except ValueProblem as e:
            problems.append(f"{where}: {e}")
            continue
        if ind in values:
            problems.append(f"{where}: indikator {ind} sudah diisi di {first_seen[ind]}")
            continue
        values[ind], first_seen[ind] = value, where
    if problems:
        raise ValueProblem("\n".join(problems))
    return values
