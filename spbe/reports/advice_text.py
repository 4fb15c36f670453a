"""Readable Bahasa Indonesia text for the lift advisor's plans and roadmaps, decimals with a comma.

One row per indicator (from → to, gain, effort) with its full name wrapped between words under the name
column, so the table reads like advice on any terminal width.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from decimal import Decimal

from spbe.method.advice import INDEX, Plan, YearPlan, moves
from spbe.method.formatting import decimal_text
from spbe.method.rubric import Rubric

WIDTH = 100  # characters per line when the caller does not know the terminal's width
NAME_AT = 41  # the column where indicator names start (after id, levels, gain and effort)
NAME_MIN = 30  # names are never squeezed narrower than this


def scope_label(rubric: Rubric, scope: str) -> str:
    """'Indeks SPBE', 'D2 Tata Kelola SPBE' or 'A3 Teknologi Informasi dan Komunikasi'."""
    if scope == INDEX:
        return rubric.meta.index_name
    if scope in rubric.domain_by_id:
        return f"{scope} {rubric.domain_by_id[scope].name}"
    return f"{scope} {rubric.aspect_by_id[scope].name}"


def _number(value: Decimal) -> str:
    return decimal_text(value, 4, trim=True)


def _value(value: Decimal) -> str:
    return f"{decimal_text(value)} ({decimal_text(value, 4)} sebelum dibulatkan)"


def unanswered_line(rubric: Rubric, unanswered: Sequence[str], width: int = WIDTH) -> str:
    """Which indicators the levels file left empty and the advisor counted at the lowest level."""
    if not unanswered:
        return ""
    text = (f"Belum dijawab, dihitung tingkat {rubric.meta.values.min}: {', '.join(unanswered)} "
            f"({len(unanswered)} dari {len(rubric.indicators)} indikator).")
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def _rows(rubric: Rubric, plan: Plan, width: int) -> list[str]:
    """The header and one row per indicator, the name wrapped under its column."""
    name_width = max(NAME_MIN, width - NAME_AT)
    out = [f"{'Indikator':<10} {'Dari → Ke':>11} {'Tambahan':>9} {'Upaya':>6}  Nama"]
    for move in moves(plan):
        name = rubric.indicator_by_id[move.indikator].name
        lines = textwrap.wrap(name, name_width, break_long_words=False, break_on_hyphens=False) or [""]
        jump = f"{_number(move.start)} → {move.to}"
        out.append(f"{move.indikator:<10} {jump:>11} {'+' + decimal_text(move.gain, 4):>9} "
                   f"{_number(move.effort):>6}  {lines[0]}")
        out += [" " * NAME_AT + line for line in lines[1:]]
    return out


def render_plan(rubric: Rubric, plan: Plan, unanswered: Sequence[str] = (), width: int = WIDTH) -> str:
    """The target, the values before and after, which indicators were counted at level 1, and the moves."""
    out = [
        f"Cakupan: {scope_label(rubric, plan.scope)}",
        f"Target: {_number(plan.target)} (tercapai bila nilai terpublikasi ≥ {_number(plan.target)})",
        f"Nilai sekarang: {_value(plan.value_before)}",
        f"Nilai tertinggi yang dapat dicapai dengan batasan ini: {_value(plan.max_value)}",
    ]
    if unanswered:
        out.append(unanswered_line(rubric, unanswered, width))
    if not plan.reachable:
        out.append("Target TIDAK dapat dicapai dengan batasan ini; "
                   "rencana di bawah mencapai nilai tertinggi itu.")
    elif not plan.steps:
        out.append("Target sudah tercapai: tidak perlu kenaikan tingkat.")
        return "\n".join(out)
    out += ["", *_rows(rubric, plan, width)]
    out += [
        "",
        f"Indikator dinaikkan: {len(moves(plan))}, kenaikan tingkat: {len(plan.steps)}, "
        f"total upaya: {_number(plan.total_effort)}",
        f"Nilai setelah rencana: {_value(plan.value_after)}",
    ]
    if plan.scope == INDEX:
        out.append(f"Predikat setelah rencana: {rubric.predikat(plan.published_after)}")
    return "\n".join(out)


def render_roadmap(rubric: Rubric, years: Sequence[YearPlan], unanswered: Sequence[str] = (),
                   width: int = WIDTH) -> str:
    """One section per year, each a plan as render_plan writes it (the unanswered line in the first)."""
    return "\n\n".join(
        f"== Tahun {y.year} ==\n{render_plan(rubric, y.plan, unanswered if n == 0 else (), width)}"
        for n, y in enumerate(years)
    )
