"""The lift advisor: exact marginal gains, and plans as cheap as exhaustive search under every constraint."""

from __future__ import annotations

import decimal
import itertools
import math
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spbe.method.advice import AdviceError, marginal_gains, parse_target, plan, roadmap, scope_members
from spbe.method.levels_file import read_levels
from spbe.method.rubric import Rubric, get_rubric, load_rubric
from spbe.method.scoring import publish, score

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "spbe" / "ops" / "demo_data" / "kota-pasuruan-2022.csv"
MINI = load_rubric(ROOT / "tests" / "rubrics" / "mini-2099")
REAL = get_rubric("spbe-2021")
SCOPES = ["index", "D1", "D2", "D3", "D4", *(f"A{n}" for n in range(1, 9))]
PRECISE = decimal.Context(prec=60)


@pytest.fixture(scope="module")
def demo(rubric):
    return read_levels(DEMO, rubric)


def all_at(rubric: Rubric, level: int) -> dict[str, D]:
    return {i.id: D(level) for i in rubric.indicators}


def exhaustive(rubric, levels, target, scope, free, max_step, efforts):
    """Best (effort, steps, -value) over all combinations of climbs, by direct weighted means; and the top."""
    members = scope_members(rubric, scope)
    weight = sum(Fraction(i.weight) for i in members)
    ladders = []
    for ind in free:
        start = levels[ind]
        ups = list(range(math.floor(start) + 1, rubric.meta.values.max + 1))[:max_step]
        ladders.append([ups[:k] for k in range(len(ups) + 1)])
    best, top = None, None
    for combo in itertools.product(*ladders):
        after = dict(levels)
        effort, steps = D(0), 0
        for ind, ups in zip(free, combo, strict=True):
            if ups:
                after[ind] = D(ups[-1])
            effort += sum((efforts.get((ind, lv), D(1)) for lv in ups), D(0))
            steps += len(ups)
        exact = sum(Fraction(i.weight) * Fraction(after[i.id]) for i in members) / weight
        value = PRECISE.divide(D(exact.numerator), D(exact.denominator))
        top = exact if top is None else max(top, exact)
        if publish(value) >= target:
            key = (effort, steps, -exact)
            best = key if best is None or key < best else best
    return best, top


def plan_key(p, rubric, scope):
    members = scope_members(rubric, scope)
    exact = sum(Fraction(i.weight) * Fraction(p.levels[i.id]) for i in members) / sum(
        Fraction(i.weight) for i in members)
    return (p.total_effort, len(p.steps), -exact), exact


efforts_strategy = st.one_of(
    st.integers(0, 6).map(D), st.sampled_from([D("0.5"), D("1.25"), D("2.75"), D("0.001"), D(10)]))


@st.composite
def instances(draw, rubric: Rubric, scopes: list[str], whole: bool = True):
    """A random instance: levels, scope, 1-5 free indicators (others locked/fixed), efforts, step limit."""
    vr = rubric.meta.values
    if whole:
        levels = {i.id: D(draw(st.integers(vr.min, vr.max))) for i in rubric.indicators}
    else:
        cents = st.integers(vr.min * 100, vr.max * 100).map(lambda c: D(c) / 100)
        levels = {i.id: draw(cents) for i in rubric.indicators}
    scope = draw(st.sampled_from(scopes))
    members = [i.id for i in scope_members(rubric, scope)]
    free = draw(st.lists(st.sampled_from(members), min_size=1, max_size=min(5, len(members)), unique=True))
    free.sort(key=lambda i: rubric.indicator_by_id[i].number)
    others = [i.id for i in rubric.indicators if i.id not in free]
    fixed = set(draw(st.lists(st.sampled_from(others), unique=True))) if others else set()
    locked = set(others) - fixed
    max_step = draw(st.one_of(st.none(), st.integers(0, 4)))
    efforts = {(i, lv): draw(efforts_strategy) for i in free for lv in range(vr.min + 1, vr.max + 1)
               if draw(st.booleans())}
    before = score(rubric, levels)
    current = before.overall if scope == "index" else {**before.domains, **before.aspects}[scope]
    offset = draw(st.integers(-5, 120))
    target = min(max(publish(current.low) + D(offset) / 100, D(vr.min)), D(vr.max))
    return levels, scope, free, locked, fixed, max_step, efforts, target


def check_against_exhaustive(rubric, instance):
    levels, scope, free, locked, fixed, max_step, efforts, target = instance
    p = plan(rubric, levels, target, scope, max_step=max_step, locked=locked, fixed=fixed, efforts=efforts)
    best, top = exhaustive(rubric, levels, target, scope, free, max_step, efforts)
    key, exact = plan_key(p, rubric, scope)
    assert Fraction(p.max_value) == top or abs(Fraction(p.max_value) - top) < Fraction(1, 10**35)
    if best is None:
        assert not p.reachable
        assert exact == top  # the unreachable plan climbs to the highest reachable value
    else:
        assert p.reachable
        assert key == best  # least effort, then fewest steps, then highest value: the exhaustive optimum
        assert publish(p.value_after) >= target
        scored = score(rubric, p.levels)
        group = scored.overall if scope == "index" else {**scored.domains, **scored.aspects}[scope]
        assert p.value_after == group.low
    climbed: dict[str, int] = {}
    for s in p.steps:
        assert s.indikator in free and s.indikator not in locked | fixed
        climbed[s.indikator] = climbed.get(s.indikator, 0) + 1
    assert all(n <= (max_step if max_step is not None else 4) for n in climbed.values())
    assert {k for k, v in p.levels.items() if v != levels[k]} == set(climbed)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(REAL, SCOPES))
def test_plans_on_the_real_rubric_cost_exactly_what_exhaustive_search_finds_in_every_scope(instance):
    check_against_exhaustive(REAL, instance)


@settings(max_examples=200, deadline=None)
@given(instances(MINI, ["index", "A1", "A2"], whole=False))
def test_plans_from_decimal_values_step_to_the_next_whole_level_and_stay_optimal(instance):
    check_against_exhaustive(MINI, instance)
    levels, scope, _, locked, fixed, max_step, efforts, target = instance
    for s in plan(MINI, levels, target, scope, max_step=max_step, locked=locked, fixed=fixed,
                  efforts=efforts).steps:
        assert s.to == math.floor(s.start) + 1


def test_a_step_from_1_17_goes_to_2_and_gains_the_weighted_difference():
    p = plan(MINI, {"I1": D("1.17"), "I2": D(5), "I3": D(5)}, D("3.9"), max_step=1)
    assert [(s.indikator, s.start, s.to, s.gain) for s in p.steps] == [("I1", D("1.17"), 2, D("0.332"))]
    assert p.as_json()["steps"][0]["from"] == "1.17"


def test_plus_one_level_on_an_aspect_8_indicator_adds_exactly_0_03_to_the_index(rubric):
    gains = {g.indikator: g for g in marginal_gains(rubric, all_at(rubric, 2))}
    i47 = gains["I47"]
    assert (i47.value, i47.to, i47.index) == (D(2), 3, D("0.03"))
    assert abs(Fraction(i47.aspect) - Fraction(1, 6)) < Fraction(1, 10**38)
    assert abs(Fraction(i47.domain) - Fraction(3) / Fraction("45.5")) < Fraction(1, 10**38)
    i19 = gains["I19"]  # aspect A4 (weight 5), domain D2 (weight 25)
    assert (i19.index, i19.domain, i19.aspect) == (D("0.025"), D("0.1"), D("0.5"))
    assert (gains["I01"].index, gains["I01"].aspect) == (D("0.013"), D("0.1"))


def test_marginal_gains_skip_indicators_at_the_top_and_count_unanswered_ones_from_level_1(rubric):
    gains = marginal_gains(rubric, {"I01": D(5), "I02": D(4)})
    assert [g.indikator for g in gains][:2] == ["I02", "I03"] and len(gains) == 46
    assert (gains[1].value, gains[1].to) == (D(1), 2)
    assert marginal_gains(rubric, all_at(rubric, 5)) == []


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=47, max_size=47))
def test_a_marginal_gain_is_the_index_difference_that_scoring_reports(levels):
    values = {i.id: D(v) for i, v in zip(REAL.indicators, levels, strict=True)}
    before = score(REAL, values).index
    for g in marginal_gains(REAL, values):
        assert score(REAL, values | {g.indikator: D(g.to)}).index - before == g.index


def test_mini_rubric_without_domains_reports_no_domain_gain():
    assert all(g.domain is None for g in marginal_gains(MINI, {}))


def test_kota_pasuruan_2022_already_meets_2_6_so_the_plan_is_empty(rubric, demo):
    p = plan(rubric, demo, D("2.6"))
    assert p.reachable and p.steps == () and p.total_effort == 0
    assert p.value_before == p.value_after == D("2.6625") and p.max_value == 5


def test_kota_pasuruan_2022_reaches_2_7_with_two_aspect_8_steps(rubric, demo):
    p = plan(rubric, demo, D("2.7"))
    assert p.reachable and p.total_effort == 2
    assert [(s.indikator, s.start, s.to, s.gain) for s in p.steps] == [
        ("I42", D(4), 5, D("0.03")), ("I43", D(2), 3, D("0.03"))]
    assert (p.value_after, p.published_after) == (D("2.7225"), D("2.72"))


def test_a_value_of_exactly_2_595_counts_as_reaching_2_6_because_it_is_published_as_2_60(rubric):
    values = all_at(rubric, 2) | {f"I{n}": D(5) for n in range(42, 48)} | {"I32": D(3)}  # 2.5675
    p = plan(rubric, values, D("2.6"))
    assert len(p.steps) == 1 and rubric.indicator_by_id[p.steps[0].indikator].aspect == "A7"
    assert (p.value_after, p.published_after) == (D("2.595"), D("2.60"))


@pytest.mark.parametrize("scope", SCOPES)
def test_every_scope_plans_from_level_1_to_3_and_reports_its_own_gains(rubric, scope):
    p = plan(rubric, {}, D(3), scope)
    assert p.reachable and p.value_before == 1 and publish(p.value_after) >= 3
    members = {i.id for i in scope_members(rubric, scope)}
    assert {s.indikator for s in p.steps} <= members
    lift = sum(Fraction(s.gain) for s in p.steps)  # each gain exact to 40 significant digits
    moved = Fraction(p.value_after) - Fraction(p.value_before)
    assert abs(lift - moved) < Fraction(len(p.steps) + 1, 10**38)


def test_effort_zero_steps_are_free_but_never_taken_without_need(rubric):
    efforts = {("I19", lv): D(0) for lv in range(2, 6)}
    p = plan(rubric, all_at(rubric, 1), D(2), "A4", efforts=efforts)  # I19 1 -> 3 is free; I20 would cost
    assert p.total_effort == 0 and [(s.indikator, s.to) for s in p.steps] == [("I19", 2), ("I19", 3)]
    assert plan(rubric, all_at(rubric, 3), D(2), "A4", efforts=efforts).steps == ()


def test_non_monotone_efforts_can_make_a_longer_climb_cheaper(rubric):
    # I19: 1->2 costs 5, 2->3 costs 0; I20: 1->2 costs 4. A4 target 1.5 needs one step of I19 or I20.
    efforts = {("I19", 2): D(5), ("I19", 3): D(0), ("I20", 2): D(4)}
    p = plan(rubric, {}, D("1.5"), "A4", efforts=efforts)
    assert [(s.indikator, s.to) for s in p.steps] == [("I20", 2)] and p.total_effort == 4
    p = plan(rubric, {}, D(2), "A4", efforts=efforts)  # needs two levels: I19 1->3 costs 5, I20+I19 costs 9
    assert [(s.indikator, s.to) for s in p.steps] == [("I19", 2), ("I19", 3)] and p.total_effort == 5


def test_an_unreachable_target_reports_the_true_maximum_and_the_plan_to_it(rubric, demo):
    p = plan(rubric, demo, D("4.9"), "A8", max_step=1, locked={"I47"})
    assert not p.reachable
    assert p.levels["I47"] == 4 and all(p.levels[f"I{n}"] == demo[f"I{n}"] + 1 for n in range(42, 47))
    assert p.value_after == p.max_value and publish(p.max_value) == D("4.17")
    assert p.as_json()["reachable"] is False


def test_locked_and_fixed_indicators_never_move(rubric):
    a8 = [i.id for i in rubric.indicators_of_aspect("A8")]
    p = plan(rubric, {}, D(5), "A8", locked=a8[:3], fixed=a8[3:5])
    assert not p.reachable and {s.indikator for s in p.steps} == {a8[5]}


def test_a_roadmap_chains_each_year_from_the_previous_years_plan(rubric, demo):
    targets = [D("2.6"), D("2.7"), D("2.8"), D("2.85"), D("2.9")]
    years = roadmap(rubric, demo, targets, start_year=2025, max_step=1)
    assert [y.year for y in years] == [2025, 2026, 2027, 2028, 2029]
    assert years[0].plan.steps == ()
    for before, after in itertools.pairwise(years):
        assert after.plan.value_before == before.plan.value_after
        assert all(s.start == before.plan.levels[s.indikator] for s in after.plan.steps)
    assert all(y.plan.reachable and y.plan.published_after >= y.plan.target for y in years)
    assert years[1].as_json()["year"] == 2026 and years[1].as_json()["target"] == "2.7"


def test_a_roadmap_year_steps_at_most_max_step_per_indicator(rubric):
    years = roadmap(rubric, {}, [D(2), D("3.5")], "A4", start_year=2030, max_step=1)
    assert [y.plan.reachable for y in years] == [True, False]
    assert years[0].plan.levels["I19"] == years[0].plan.levels["I20"] == 2
    assert years[1].plan.levels["I19"] == years[1].plan.levels["I20"] == 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: plan(r, {}, D(6)), "target 6 di luar rentang 1–5"),
        (lambda r: plan(r, {}, D("0.99")), "di luar rentang"),
        (lambda r: plan(r, {}, D(3), "D9"), "cakupan 'D9' tidak dikenal"),
        (lambda r: plan(r, {}, D(3), locked={"I99"}), "indikator I99 tidak dikenal"),
        (lambda r: plan(r, {}, D(3), max_step=-1), "tidak boleh negatif"),
        (lambda r: plan(r, {}, D(3), efforts={("I01", 2): D(-1)}), "harus angka ≥ 0"),
        (lambda r: parse_target("dua"), "target 'dua' bukan angka"),
    ],
)
def test_bad_advisor_input_raises_a_message_naming_the_problem(rubric, call, message):
    with pytest.raises(AdviceError, match=message):
        call(rubric)


def test_scopes_are_read_case_insensitively_and_targets_with_a_decimal_comma(rubric):
    assert plan(rubric, {}, parse_target("2,6"), "d2").scope == "D2"
    assert plan(rubric, {}, D(2), "INDEX").scope == "index"


def test_efforts_too_large_for_int64_keys_are_still_optimised_exactly(rubric):
    # Scaled to whole units of 0.000001 these efforts exceed 2**61, so the search runs on Python integers.
    # I19 1 -> 3 costs 1e15 + 0.000001, I20 1 -> 3 exactly 1e15: a float would call it a tie.
    efforts = {("I19", 2): D("1e15"), ("I19", 3): D("0.000001"),
               ("I20", 2): D("999999999999999.999999"), ("I20", 3): D("0.000001")}
    instance = ({i.id: D(1) for i in rubric.indicators}, "A4", ["I19", "I20"],
                {i.id for i in rubric.indicators} - {"I19", "I20"}, set(), None, efforts, D(2))
    check_against_exhaustive(rubric, instance)
    p = plan(rubric, {}, D(2), "A4", efforts=efforts)
    assert [(s.indikator, s.to) for s in p.steps] == [("I20", 2), ("I20", 3)]
    assert p.total_effort == D("1e15")
