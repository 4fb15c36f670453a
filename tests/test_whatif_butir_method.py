"""Butir ticked in a what-if scenario (pure method): more ticks never lower a simulated level or the index."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from spbe.method.butir import Status, parse_code, summarise
from spbe.method.rubric import get_rubric
from spbe.method.scoring import score
from spbe.method.whatif import with_butir

PEMDI = get_rubric("pemdi-2026")
CODES = {
    ind.id: {n: [b.code for b in ind.levels[n].butir] for n in sorted(ind.levels)}
    for ind in PEMDI.indicators
    if not ind.external
}
ALL_CODES = sorted(c for levels in CODES.values() for codes in levels.values() for c in codes)
VALUES = st.decimals(1, 5, places=4)


def simulate(stored: dict[str, Status], ticked: set[str], base: dict[str, Decimal]) -> tuple[dict, Decimal]:
    """The simulated levels of the ticked indicators and the index of the values they lift."""
    accepted = {**stored, **dict.fromkeys(ticked, Status.DITERIMA)}
    owners = {i for i in CODES for c in ticked if parse_code(c).indicator == int(i[1:])}
    reached = {i: summarise(i, CODES[i], accepted).level_reached for i in owners}
    return reached, score(PEMDI, with_butir(base, reached)).overall.low


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from(ALL_CODES), st.sampled_from(list(Status)), max_size=80),
    st.fixed_dictionaries({ind.id: VALUES for ind in PEMDI.indicators}),
    st.sets(st.sampled_from(ALL_CODES), max_size=40),
    st.sets(st.sampled_from(ALL_CODES), max_size=40),
)
def test_ticking_more_butir_never_lowers_a_simulated_level_or_the_index(
    stored: dict[str, Status], base: dict[str, Decimal], fewer: set[str], extra: set[str]
) -> None:
    reached_fewer, index_fewer = simulate(stored, fewer, base)
    reached_more, index_more = simulate(stored, fewer | extra, base)
    assert all(reached_more[i] >= level for i, level in reached_fewer.items())
    assert index_fewer <= index_more
    assert score(PEMDI, base).overall.low <= index_fewer  # ticks never lower a value either


def test_a_simulated_level_lifts_a_value_to_that_whole_level_and_never_lowers_one() -> None:
    base = {"I17": Decimal("1.1667"), "I01": Decimal("3.5"), "I02": Decimal(2)}
    lifted = with_butir(base, {"I17": 2, "I01": 2})
    assert lifted == {"I17": Decimal(2), "I01": Decimal("3.5"), "I02": Decimal(2)}
