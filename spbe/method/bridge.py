"""Bridges between rubric versions: which old indicators feed each new one, and a suggested starting value.

A bridge file (rubric/bridges/<from>-to-<to>.yaml) is checked against both rubrics on load. Suggested
values are starting points for a draft, to be reviewed ("perlu ditinjau"), never a conversion of scores.
Pure Python: no web or ORM imports.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from spbe.method.rubric import Id, Rubric, RubricError, Text, get_rubric, read_yaml, validate_file

_CONTEXT = decimal.Context(prec=40)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(_Frozen):
    """The old indicators behind one new indicator and how a suggested value is derived from them."""

    main: list[Id]
    related: list[Id] = []
    method: Literal["weighted_mean", "none"]
    note: Text

    @model_validator(mode="after")
    def _check(self) -> Link:
        if self.method == "weighted_mean" and not self.main:
            raise ValueError("weighted_mean needs at least one main indicator")
        both = self.main + self.related
        if len(set(both)) != len(both):
            raise ValueError(f"an indicator is listed twice in main/related: {', '.join(both)}")
        return self


class Bridge(_Frozen):
    """A versioned mapping from the indicators of one rubric to those of another."""

    id: Text
    version: Text
    official: bool
    from_rubric: Text
    to_rubric: Text
    source: Text
    links: dict[str, Link]


@dataclass(frozen=True)
class Suggestion:
    """A suggested value for a new indicator (None when none can be derived), where it came from, and why."""

    value: Decimal | None
    from_indicators: tuple[str, ...]
    note: str


def _problems(bridge: Bridge, old: Rubric, new: Rubric) -> Iterator[str]:
    missing = sorted(set(new.indicator_by_id) - set(bridge.links))
    if missing:
        yield f"links missing for {new.id} indicators {', '.join(missing)}"
    for key, link in bridge.links.items():
        if key not in new.indicator_by_id:
            yield f"links.{key}: not an indicator of {new.id}"
        unknown = [i for i in link.main + link.related if i not in old.indicator_by_id]
        if unknown:
            yield f"links.{key}: {', '.join(unknown)} not indicators of {old.id}"
        if key in new.external_ids and link.method != "none":
            yield f"links.{key}: valued from an external index, so method must be none"


def load_bridge(path: Path | str, root: Path | None = None) -> Bridge:
    """Load a bridge file and check every id against both rubrics; raise RubricError naming the problems."""
    path = Path(path)
    bridge = validate_file(Bridge, read_yaml(path), path)
    old, new = get_rubric(bridge.from_rubric, root), get_rubric(bridge.to_rubric, root)
    problems = list(_problems(bridge, old, new))
    if problems:
        raise RubricError(f"{path}: " + "; ".join(problems))
    return bridge


def suggest_values(
    bridge: Bridge, old: Rubric, new: Rubric, old_values: Mapping[str, Decimal],
) -> dict[str, Suggestion]:
    """Per new indicator: the weight-averaged old levels of its main predecessors, or no value with the reason."""
    if (old.id, new.id) != (bridge.from_rubric, bridge.to_rubric):
        raise ValueError(f"bridge {bridge.id} maps {bridge.from_rubric} to {bridge.to_rubric}, not {old.id} to {new.id}")
    step = Decimal(1).scaleb(-new.meta.values.decimals)
    out: dict[str, Suggestion] = {}
    for ind in new.indicators:
        link = bridge.links[ind.id]
        used = tuple(i for i in link.main if i in old_values)
        if link.method == "none" or not used:
            reason = link.note if link.method == "none" else f"{link.note} Belum ada tingkat untuk {', '.join(link.main)}."
            out[ind.id] = Suggestion(None, (), reason)
            continue
        weights = [old.indicator_by_id[i].weight for i in used]
        total = sum((w * old_values[i] for w, i in zip(weights, used, strict=True)), Decimal(0))
        value = _CONTEXT.divide(total, sum(weights)).quantize(step, rounding=ROUND_HALF_UP)
        unanswered = [i for i in link.main if i not in old_values]
        note = link.note + (f" Tanpa {', '.join(unanswered)} (belum ada tingkat)." if unanswered else "")
        out[ind.id] = Suggestion(value.normalize(), used, note)
    return out
