"""The butir cascade: statuses, level reached and prepared, the claim check and the estimate (pure method)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spbe.method.butir import (
    Status,
    claim_above_support,
    estimated_value,
    level_prepared,
    level_reached,
    parse_code,
    shown,
    summarise,
)
from spbe.method.rubric import get_rubric
from spbe.method.verdicts_file import VerdictsFileError, instrument, parse_verdicts

STORED = st.sampled_from(list(Status))
LADDERS = st.dictionaries(st.integers(1, 5), st.lists(STORED, min_size=1, max_size=7), min_size=5, max_size=5)


@pytest.mark.parametrize(
    ("written", "portal"),
    [
        ("I1-L1-01", "I1-L1-01"),
        ("I01-L1-01", "I1-L1-01"),
        ("i17-l2-2", "I17-L2-02"),
        (" I20-L5-05 ", "I20-L5-05"),
    ],
)
def test_codes_are_read_in_both_forms_and_written_in_the_portals(written: str, portal: str) -> None:
    assert str(parse_code(written)) == portal


@pytest.mark.parametrize("bad", ["I1-L1", "1-L1-01", "I1-L0-01", "I0-L1-01", "I1-L1-00", "I1-L1-01x", ""])
def test_anything_else_is_not_a_code(bad: str) -> None:
    with pytest.raises(ValueError, match="bukan kode butir"):
        parse_code(bad)


def test_a_level_counts_only_when_it_and_every_lower_level_are_accepted() -> None:
    acc, rev = Status.DITERIMA, Status.REVISI
    assert level_reached({1: [acc], 2: [acc, acc], 3: [acc, rev], 4: [acc]}) == 2
    assert level_reached({1: [acc, Status.BELUM], 2: [acc], 3: [acc]}) == 0
    assert level_reached({1: [acc], 2: [acc], 3: [acc], 4: [acc], 5: [acc]}) == 5


def test_a_level_without_butir_stops_the_climb() -> None:
    assert level_reached({1: [Status.DITERIMA], 2: [], 3: [Status.DITERIMA]}) == 1


def test_prepared_counts_disiapkan_diunggah_and_diterima_but_not_revisi() -> None:
    ladder = {1: [Status.DISIAPKAN, Status.DITERIMA], 2: [Status.DIUNGGAH], 3: [Status.REVISI]}
    assert level_prepared(ladder) == 2
    assert level_reached(ladder) == 0


def test_uploaded_butir_above_a_rejected_level_are_rejected_by_the_cascade() -> None:
    ladder = {1: [Status.DITERIMA, Status.REVISI], 2: [Status.BELUM, Status.DIUNGGAH]}
    assert shown(ladder, 2, Status.DIUNGGAH) is Status.OTOMATIS_DITOLAK
    assert shown(ladder, 2, Status.BELUM) is Status.BELUM  # not uploaded: nothing to reject
    assert shown(ladder, 1, Status.DITERIMA) is Status.DITERIMA
    assert shown({1: [Status.DITERIMA], 2: [Status.DIUNGGAH]}, 2, Status.DIUNGGAH) is Status.DIUNGGAH


def test_summarise_keeps_the_rubric_order_and_treats_unknown_butir_as_belum() -> None:
    codes = {1: ["I4-L1-01", "I4-L1-02", "I4-L1-03"], 2: ["I4-L2-01", "I4-L2-02"]}
    stored = {
        "I4-L1-01": Status.DITERIMA,
        "I4-L1-02": Status.REVISI,
        "I4-L1-03": Status.DITERIMA,
        "I4-L2-02": Status.DIUNGGAH,
    }
    result = summarise("I04", codes, stored)
    assert list(result.statuses.items()) == [
        ("I4-L1-01", Status.DITERIMA),
        ("I4-L1-02", Status.REVISI),
        ("I4-L1-03", Status.DITERIMA),
        ("I4-L2-01", Status.BELUM),
        ("I4-L2-02", Status.OTOMATIS_DITOLAK),
    ]
    assert (result.level_reached, result.level_prepared) == (0, 0)


@pytest.mark.parametrize(
    ("claimed", "prepared", "flagged"),
    [
        (Decimal(3), 2, True),
        (Decimal("2.5"), 2, False),
        (Decimal(1), 0, False),
        (Decimal(2), 0, True),
        (None, 0, False),
        (Decimal(5), 5, False),
    ],
)
def test_a_claim_above_the_prepared_butir_is_flagged(
    claimed: Decimal | None, prepared: int, flagged: bool
) -> None:
    assert claim_above_support(claimed, prepared) is flagged


@pytest.mark.parametrize(
    ("ladder", "value"),
    [
        ({1: ["diterima", "diterima"], 2: ["diterima"] * 2, 3: ["belum"] * 4}, "2.5"),  # I17 Aceh Tengah: 2,5
        ({1: ["diterima"], 2: ["diterima", "revisi", "diterima", "belum"]}, "2.0"),  # I1: 2,0
        ({1: ["diterima", "revisi", "belum"], 2: ["revisi"]}, "1.1667"),  # I13: 1,17
        ({1: ["diterima", "revisi"]}, "1.25"),  # I12: 1,25
        ({1: ["revisi"]}, "1"),
        ({n: ["diterima"] for n in range(1, 6)}, "5"),
    ],
)
def test_the_partial_credit_estimate_reproduces_the_fitting_official_values(
    ladder: dict[int, list[str]], value: str
) -> None:
    assert estimated_value({k: [Status(s) for s in v] for k, v in ladder.items()}) == Decimal(value)


@given(LADDERS, st.integers(1, 5), st.data())
def test_accepting_a_butir_never_lowers_a_level(
    ladder: dict[int, list[Status]], level: int, data: st.DataObject
) -> None:
    before = (level_reached(ladder), level_prepared(ladder), estimated_value(ladder))
    position = data.draw(st.integers(0, len(ladder[level]) - 1))
    accepted = {k: list(v) for k, v in ladder.items()}
    accepted[level][position] = Status.DITERIMA
    after = (level_reached(accepted), level_prepared(accepted), estimated_value(accepted))
    assert all(a >= b for a, b in zip(after, before, strict=True))


@given(LADDERS, st.data())
def test_a_revisi_at_level_one_gives_level_zero_whatever_is_accepted_above(
    ladder: dict[int, list[Status]], data: st.DataObject
) -> None:
    position = data.draw(st.integers(0, len(ladder[1]) - 1))
    ladder[1][position] = Status.REVISI
    for level in range(2, 6):
        ladder[level] = [Status.DITERIMA] * len(ladder[level])
    assert level_reached(ladder) == 0
    assert estimated_value(ladder) < Decimal("1.5")


PEMDI = get_rubric("pemdi-2026")
CELLS = st.sampled_from(
    [
        "I1-L1-01",
        "I01-L1-01",
        "I17",
        "I99-L1-01",
        "diterima",
        "REVISI",
        "belum diunggah",
        "2,5",
        "",
        "x" * 6000,
        "\x00",
        '"',
        ";",
        "otomatis  ditolak",
    ]
)


@settings(deadline=None)  # the first XLSX attempt imports openpyxl
@given(st.binary(max_size=400), st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_any_bytes_give_verdicts_or_a_named_refusal(data: bytes, name: str) -> None:
    try:
        parse_verdicts(data, name, instrument(PEMDI))
    except VerdictsFileError as e:
        assert str(e).startswith(name)


@given(st.lists(st.lists(CELLS, min_size=1, max_size=4), max_size=6))
def test_generated_rows_are_all_read_or_every_bad_one_is_named(rows: list[list[str]]) -> None:
    text = "butir,status,catatan\n" + "\n".join(
        ",".join(f'"{c}"' if "," in c else c for c in r) for r in rows
    )
    try:
        result = parse_verdicts(text.encode(), "a.csv", instrument(PEMDI))
    except VerdictsFileError as e:
        assert "baris" in str(e) or "tidak ada baris" in str(e) or "CSV rusak" in str(e)
        return
    assert all(code in instrument(PEMDI).portal_codes for code in result.verdicts)
    assert all(PEMDI.meta.values.min <= v <= PEMDI.meta.values.max for v in result.values.values())
