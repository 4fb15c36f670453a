"""Readable Bahasa Indonesia text for the lift advisor's plans and roadmaps, decimals with a comma."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from spbe.method.advice import INDEX, Plan, YearPlan
from spbe.method.formatting import decimal_text
from spbe.method.rubric import Rubric
from spbe.method.scoring import plain


def scope_label(rubric: Rubric, scope: str) -> str:
    """'Indeks SPBE', 'D2 Tata Kelola SPBE' or 'A3 Teknologi Informasi dan Komunikasi'."""
    if scope == INDEX:
        return rubric.meta.index_name
    if scope in rubric.domain_by_id:
        return f"{scope} {rubric.domain_by_id[scope].short_name}"
    return f"{scope} {rubric.aspect_by_id[scope].name}"


def _number(value: Decimal) -> str:
    return plain(value).replace(".", ",")


def _value(value: Decimal) -> str:
    return f"{decimal_text(value)} ({decimal_text(value, 4)} sebelum dibulatkan)"


def render_plan(rubric: Rubric, plan: Plan) -> str:
    """The target, the values before and after, and the steps as a table."""
    out = [
        f"Cakupan: {scope_label(rubric, plan.scope)}",
        f"Target: {_number(plan.target)} (tercapai bila nilai terpublikasi ≥ {_number(plan.target)})",
        f"Nilai sekarang: {_value(plan.value_before)}",
        f"Nilai tertinggi yang dapat dicapai dengan batasan ini: {_value(plan.max_value)}",
    ]
    if not plan.reachable:
        out.append("Target TIDAK dapat dicapai dengan batasan ini; "
                   "rencana di bawah mencapai nilai tertinggi itu.")
    elif not plan.steps:
        out.append("Target sudah tercapai: tidak perlu kenaikan level.")
        return "\n".join(out)
    out += ["", f"{'Indikator':<10} {'Dari':>5} {'Ke':>3} {'Usaha':>7} {'Tambahan':>9}  Nama"]
    for s in plan.steps:
        name = rubric.indicator_by_id[s.indikator].name
        out.append(f"{s.indikator:<10} {_number(s.start):>5} {s.to:>3} {_number(s.effort):>7} "
                   f"{'+' + decimal_text(s.gain, 4):>9}  {name[:60]}")
    out += [
        "",
        f"Jumlah kenaikan level: {len(plan.steps)}, total usaha: {_number(plan.total_effort)}",
        f"Nilai setelah rencana: {_value(plan.value_after)}",
    ]
    if plan.scope == INDEX:
        out.append(f"Predikat setelah rencana: {rubric.predikat(plan.published_after)}")
    return "\n".join(out)


def render_roadmap(rubric: Rubric, years: Sequence[YearPlan]) -> str:
    """One section per year, each a plan as render_plan writes it."""
    return "\n\n".join(f"== Tahun {y.year} ==\n{render_plan(rubric, y.plan)}" for y in years)
