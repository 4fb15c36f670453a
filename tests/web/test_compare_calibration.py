"""Calibration: last year's self-assessed levels against the asesor's; this year's repeated over-claims."""

from __future__ import annotations

from decimal import Decimal as D

from spbe.method.calibration import Verdict, calibrate
from tests.web.compare_helpers import set_official, soup, text
from tests.web.evidence_helpers import assessment_id

# Worked by hand: (last self, last official, this year's claim) -> verdict, gap, flagged.
HAND = {
    "I01": (4, 3, 4, "lowered", -1, True),  # the seed's example: self 4 / official 3, then 4 again
    "I02": (3, 3, 4, "kept", 0, False),  # no over-claim last year: a higher claim is not a repeat
    "I03": (2, 3, 2, "raised", 1, False),
    "I04": (5, 3, 3, "lowered", -2, False),  # now claims what the asesor gave
    "I05": (3, 2, 2, "lowered", -1, False),
    "I07": (4, 2, 3, "lowered", -2, True),  # lower than last year's claim, still above the official level
    "I08": (3, 2, None, "lowered", -1, False),  # not answered this year
}


def test_verdicts_gaps_and_flags_match_the_hand_computed_table(rubric):
    last_self = {k: D(v[0]) for k, v in HAND.items()}
    last_official = {k: D(v[1]) for k, v in HAND.items()} | {"I06": D(2)}  # I06: no self-assessed level
    claims = {k: D(v[2]) for k, v in HAND.items() if v[2] is not None}
    result = calibrate(rubric, last_self, last_official, claims)
    assert [r.indicator.id for r in result.rows] == list(HAND)
    for row in result.rows:
        _, _, _, verdict, gap, flagged = HAND[row.indicator.id]
        assert (row.verdict, row.gap, row.repeated) == (Verdict(verdict), D(gap), flagged)
    assert [r.indicator.id for r in result.repeated] == ["I01", "I07"]
    assert (result.count(Verdict.LOWERED), result.count(Verdict.RAISED), result.count(Verdict.KEPT)) == (
        5,
        1,
        1,
    )
    assert result.mean_gap == D(-6) / 7


def test_no_official_levels_give_no_rows(rubric):
    result = calibrate(rubric, {"I01": D(3)}, {}, {"I01": D(4)})
    assert result.rows == [] and result.mean_gap is None and result.repeated == []


def test_the_page_flags_the_repeated_claims_of_2022(web_app, client_as):
    # Demo 2021 self-assessed: I01 1, I35 4, I36 4, I40 3, I41 2, I46 3; 2022 claims: 3, 4, 3, 1, 5, 4.
    set_official(web_app, 2021, {"I01": 1, "I35": 3, "I36": 3, "I40": 2, "I41": 3, "I46": 2})
    page = soup(client_as("peninjau").get(f"/assessments/{assessment_id(web_app)}/calibration"))
    verdicts = {tr["data-indicator"]: tr["data-verdict"] for tr in page.select("tr[data-indicator]")}
    assert verdicts == {
        "I01": "kept",
        "I35": "lowered",
        "I36": "lowered",
        "I40": "lowered",
        "I41": "raised",
        "I46": "lowered",
    }
    flagged = {
        tr["data-indicator"] for tr in page.select("tr[data-indicator]") if tr.select_one("[data-flag]")
    }
    assert flagged == {"I35", "I46"}
    assert {dd["data-count"]: dd.get_text(strip=True) for dd in page.select("dd[data-count]")} == {
        "lowered": "4",
        "raised": "1",
        "kept": "1",
        "mean_gap": "−0,50",
        "repeated": "2",
    }
    row = page.select_one('tr[data-indicator="I35"]')
    assert [td.get_text(" ", strip=True) for td in row.select("td")][:4] == [
        "4",
        "3",
        "−1",
        "Diturunkan asesor",
    ]


def test_without_last_years_official_levels_the_page_says_where_to_enter_them(web_app, client_as):
    page = soup(client_as("koordinator").get(f"/assessments/{assessment_id(web_app)}/calibration"))
    assert "Nilai akhir resmi penilaian 2021 belum diisi" in text(page, "#no-official")
    assert (
        page.select_one("#no-official a")["href"] == f"/assessments/{assessment_id(web_app, 2021)}/official"
    )


def test_the_first_year_has_no_calibration(web_app, client_as):
    page = soup(client_as("koordinator").get(f"/assessments/{assessment_id(web_app, 2021)}/calibration"))
    assert page.select_one("#no-previous") is not None
