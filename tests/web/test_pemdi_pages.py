"""Every page of a Pemdi 2026 assessment: aspects A1–A7, no domains, decimals with commas, the provisional mark."""

from __future__ import annotations

import io
import math
import zipfile
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests.test_charts import texts
from tests.web.conftest import stored_answer
from tests.web.pemdi_helpers import (
    ASPECTS,
    GOLDEN_ASPECTS,
    HTMX,
    PEMDI,
    create_pemdi,
    decimal,
    demo_instansi_id,
    fill,
    golden_values,
    post,
    provisional,
    soup,
    text,
)


@pytest.fixture
def koordinator(client_as):
    return client_as("koordinator")


@pytest.fixture
def golden(web_app, koordinator) -> int:
    """Pemdi 2026 with Aceh Tengah's self-assessed values typed in; the external indicators still pending."""
    assessment = create_pemdi(koordinator, web_app)
    fill(koordinator, assessment, golden_values())
    return assessment


def test_the_questionnaire_has_aspects_no_domains_decimal_fields_and_the_provisional_banner(koordinator, golden):
    page = soup(koordinator.get(f"/assessments/{golden}?aspect=A5"))
    assert provisional(page)
    assert [a["data-aspect"] for a in page.select("#aspect-nav a")] == ASPECTS
    assert page.select("#aspect-nav h3") == [] and page.select("#summary [data-domain]") == []
    assert [div["data-aspect"] for div in page.select("#summary [data-aspect]")] == ASPECTS
    assert [text(page, f"#summary [data-aspect={a}] dd") for a in ASPECTS] == GOLDEN_ASPECTS
    assert text(page, "#summary [data-index]") == "1,24" and "Kurang" in text(page, "#summary")
    assert "Penilaian Mandiri Indeks Pemdi 2026" in text(page, "h1")
    field = page.select_one("#ind-I13 input[name=value]")
    assert (field["type"], field["inputmode"], field["value"]) == ("text", "decimal", "1,1667")

    fragment = soup(koordinator.get(f"/assessments/{golden}?aspect=A3", headers=HTMX))
    assert fragment.select_one("html") is None and not provisional(fragment)
    assert [a["id"] for a in fragment.select("article.indicator")] == ["ind-I05", "ind-I06", "ind-I07", "ind-I08"]


def test_the_dashboard_shows_the_aspects_without_domains_and_draws_both_charts(koordinator, golden):
    page = soup(koordinator.get(f"/assessments/{golden}/dashboard"))
    assert provisional(page) and page.select_one("#domains") is None
    assert [tr["data-id"] for tr in page.select("#aspects tbody tr")] == ASPECTS
    assert [text(page, f'#aspects tr[data-id="{a}"] td:nth-of-type(3)') for a in ASPECTS] == GOLDEN_ASPECTS
    assert text(page, "[data-index]") == "1,24" and text(page, "[data-predikat]") == "Kurang"
    assert "25,0 %" in text(page, '#aspects tr[data-id="A7"]')
    for name in ("aspects", "domains"):
        chart = koordinator.get(f"/assessments/{golden}/charts/{name}.svg")
        assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
        assert "Kepuasan Pengguna" in texts(chart.content) and "1,18" in texts(chart.content)
    block = soup(koordinator.get(f"/assessments/{golden}/dashboard", headers=HTMX))
    assert block.select_one("html") is None and text(block, "[data-index]") == "1,24"


def test_the_evidence_panel_of_a_decimal_value_checks_the_whole_level_it_claims(koordinator, golden):
    fragment = soup(koordinator.get(f"/assessments/{golden}/indicators/I17/evidence", headers=HTMX))
    assert fragment.select_one("html") is None
    assert text(fragment, ".evidence-checklist h5").endswith("tingkat 2")  # 2,5 claims the criteria of level 2
    page = soup(koordinator.get(f"/assessments/{golden}/indicators/I17/evidence"))
    assert provisional(page) and "I17" in text(page, "h1")


def test_the_advisor_raises_indicators_to_their_next_whole_level_and_keeps_external_ones(koordinator, golden):
    created = koordinator.post(f"/assessments/{golden}/whatif", data={"name": "Target Cukup"},
                               follow_redirects=False)
    scenario = created.headers["location"]
    page = soup(koordinator.get(scenario))
    assert provisional(page)
    assert text(page, "#row-I13 [data-current]") == "1,1667"
    assert "indeks eksternal" in text(page, "#row-I05")
    assert all(b.has_attr("disabled") for b in page.select("#row-I05 button"))
    refused = koordinator.post(f"{scenario}/indicators/I05", data={"value": "2"}, headers=HTMX)
    assert refused.status_code == 422 and "I05 dinilai dari Indeks Satu Data Indonesia (SDI)" in refused.text
    plan = soup(koordinator.post(f"{scenario}/plan", data={"target": "1,5"}, headers=HTMX))
    steps = [(tr["data-step"], tr.select("td")[1].get_text(strip=True)) for tr in plan.select("[data-step]")]
    assert steps and "Target tercapai" in text(plan, "[data-plan]")
    for indicator, move in steps:
        start, to = (decimal(part) for part in move.split(" → "))
        assert to == math.floor(start) + 1, (indicator, move)
        assert indicator not in PEMDI.external_ids
    assert {a.get("value") for a in plan.select("#scope option, select[name=scope] option")} >= {"index", *ASPECTS}


def test_the_export_page_and_summary_pdf_mark_the_rubric_provisional(koordinator, golden):
    page = soup(koordinator.get(f"/assessments/{golden}/export"))
    assert provisional(page)
    assert "kode butir" in text(page, "#by-butir") and soup(koordinator.get("/assessments/2/export")).select_one(
        "#by-butir") is None
    assert all(a in page.get_text() for a in ("A1", "A7")) and "D1" not in page.get_text()
    pack = koordinator.get(f"/assessments/{golden}/export/pack.zip")
    assert pack.status_code == 200
    with zipfile.ZipFile(io.BytesIO(pack.content)) as zf:
        summary = next(n for n in zf.namelist() if n.endswith(".pdf") and "ringkasan" in n.lower())
        pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(zf.read(summary))).pages)
    assert "SEMENTARA" in pdf and "1,24" in pdf


def test_compare_says_last_year_used_another_rubric_and_official_values_take_decimals(koordinator, golden):
    page = soup(koordinator.get(f"/assessments/{golden}/compare"))
    assert provisional(page)
    assert "rubrik spbe-2021, penilaian ini pemdi-2026" in text(page, "#not-comparable")
    saved = soup(koordinator.post(f"/assessments/{golden}/official", data={"I13": "1,25"}, headers=HTMX))
    assert text(saved, 'tr[data-indicator="I13"] [data-col="self"]') == "1,1667"
    assert saved.select_one("#off-I13")["value"] == "1,25"
    official = soup(koordinator.get(f"/assessments/{golden}/official"))
    assert provisional(official) and [tr["data-group"] for tr in official.select("tr[data-group]")][1:] == ASPECTS


def test_spbe_pages_carry_no_provisional_banner_and_the_start_page_marks_the_pemdi_year(
    web_app, koordinator, golden
):
    spbe = soup(koordinator.get("/"))
    assert not provisional(spbe)
    assert "sementara" in text(spbe, 'tr[data-year="2026"]') and "sementara" not in text(spbe, 'tr[data-year="2022"]')
    a2022 = spbe.select_one('tr[data-year="2022"] a')["href"]
    assert not provisional(soup(koordinator.get(a2022)))
    koordinator.get("/lang/en")
    english = soup(koordinator.get(f"/assessments/{golden}/dashboard"))
    assert "PROVISIONAL" in text(english, "main > [data-provisional]") and text(english, "[data-index]") == "1.24"


@pytest.mark.parametrize("typed", ["1,17", "1.17", " 1,17 "])
def test_a_value_is_typed_with_a_comma_or_a_point(web_app, koordinator, typed):
    assessment = create_pemdi(koordinator, web_app)
    saved = soup(post(koordinator, assessment, "I13", value=typed))
    assert stored_answer(web_app, assessment, "I13").value == Decimal("1.17")
    assert text(saved, '#summary [data-aspect="A5"] dd') == "1,09–3,09"  # (5 × 1,17 + 5 × 1..5) / 10


@pytest.mark.parametrize(
    ("typed", "message"),
    [("0.5", "nilai 0.5 di luar rentang 1–5"), ("5,01", "nilai 5,01 di luar rentang 1–5"),
     ("abc", "nilai 'abc' bukan angka"), ("1,23456", "nilai 1,23456 terlalu banyak angka desimal")],
)
def test_a_bad_value_is_refused_in_indonesian_and_changes_nothing(web_app, koordinator, typed, message):
    assessment = create_pemdi(koordinator, web_app)
    assert post(koordinator, assessment, "I13", value="1,1667").status_code == 200
    refused = post(koordinator, assessment, "I13", value=typed)
    assert refused.status_code == 422
    assert f"Gagal menyimpan — Tingkat: {message}" in text(soup(refused, 422), "#state-I13")
    answer = stored_answer(web_app, assessment, "I13")
    assert (answer.value, answer.version) == (Decimal("1.1667"), 1)


def test_compare_puts_two_pemdi_years_side_by_side(web_app, koordinator, golden):
    data = {"instansi_id": str(demo_instansi_id(web_app)), "year": "2027", "rubric_id": "pemdi-2026",
            "start": "previous"}
    created = koordinator.post("/assessments", data=data, follow_redirects=False)
    next_year = int(created.headers["location"].rsplit("/", 1)[1])
    assert post(koordinator, next_year, "I13", value="2").status_code == 200
    page = soup(koordinator.get(f"/assessments/{next_year}/compare"))
    assert provisional(page) and page.select_one("#not-comparable") is None

    def cells(row: str) -> dict[str, str]:
        return {td["data-col"]: td.get_text(" ", strip=True) for td in page.select(f"{row} td[data-col]")}

    assert cells('tr[data-indicator="I13"]') == {"before": "1,1667", "after": "2", "delta": "+0,8333",
                                                 "trend": "membaik"}
    assert [cells('tr[data-group="index"]')[k] for k in ("before", "after", "delta")] == ["1,24", "1,28", "+0,04"]
    assert cells('tr[data-group="A5"]')["after"] == "1,50"
    chart = koordinator.get(f"/assessments/{next_year}/compare/chart.svg")
    assert chart.status_code == 200 and "Indeks Pemdi A1 A2 A3 A4 A5 A6 A7" in texts(chart.content)
