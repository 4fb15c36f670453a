"""Indicators valued from other agencies' indices: convert a source index into an indicator value.

The rubric holds each conversion as a table of [source index, value] points, linear in between; an
external indicator with neither a source index nor a value yet is pending and counts as the lowest value
(1.00 for pemdi-2026, as the asesor material assumes). Pure Python: no web or ORM imports.
"""

from __future__ import annotations

import decimal
import itertools
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from spbe.method.rubric import Indicator, Rubric
from spbe.method.scoring import ValueProblem, parse_number, plain, resolve_indicator

_CONTEXT = decimal.Context(prec=40)


def source_value(indicator: Indicator, raw: object) -> Decimal:
    """A source index checked against the indicator's input range, or ValueProblem naming both."""
    ext = indicator.external
    if ext is None:
        raise ValueProblem(f"indikator {indicator.id} tidak dinilai dari indeks eksternal")
    value = parse_number(raw)
    if not ext.input_min <= value <= ext.input_max:
        raise ValueProblem(f"indeks {str(raw).strip()} untuk {indicator.id} di luar rentang "
                           f"{plain(ext.input_min)}–{plain(ext.input_max)} ({ext.source})")
    return value


def convert_external(indicator: Indicator, raw: object, decimals: int = 4) -> Decimal:
    """The indicator value for a source index: linear between the rubric's points, rounded half-up."""
    x = source_value(indicator, raw)
    points = indicator.external.points
    (x0, y0), (x1, y1) = next(seg for seg in itertools.pairwise(points) if x <= seg[1][0])
    y = y0 + _CONTEXT.divide((x - x0) * (y1 - y0), x1 - x0)
    return y.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def check_external(rubric: Rubric, items: Iterable[tuple[str, object, object]]) -> dict[str, Decimal]:
    """Check (where, key, source index) triples; raise ValueProblem listing every bad one by its place."""
    found: dict[str, Decimal] = {}
    problems: list[str] = []
    for where, key, raw in items:
        try:
            ind = rubric.indicator_by_id[resolve_indicator(rubric, key)]
            value = source_value(ind, raw)
        except ValueProblem as e:
            problems.append(f"{where}: {e}")
            continue
        if ind.id in found:
            problems.append(f"{where}: indeks untuk {ind.id} sudah diisi")
            continue
        found[ind.id] = value
    if problems:
        raise ValueProblem("\n".join(problems))
    return found


def values_with_external(
    rubric: Rubric, values: Mapping[str, Decimal], external_inputs: Mapping[str, object],
) -> dict[str, Decimal]:
    """Values with every external indicator filled: converted from its source index, else as given, else pending."""
    not_external = sorted(set(external_inputs) - rubric.external_ids)
    if not_external:
        raise ValueProblem(f"indikator {', '.join(not_external)} tidak dinilai dari indeks eksternal")
    both = sorted(set(values) & set(external_inputs))
    if both:
        raise ValueProblem(f"indikator {', '.join(both)} diisi sebagai nilai dan sebagai indeks eksternal; "
                           "pilih salah satu")
    filled = dict(values)
    for ind_id in sorted(rubric.external_ids):
        if ind_id in external_inputs:
            ind = rubric.indicator_by_id[ind_id]
            filled[ind_id] = convert_external(ind, external_inputs[ind_id], rubric.meta.values.decimals)
        else:
            filled.setdefault(ind_id, Decimal(rubric.meta.values.min))
    return filled
