"""Year over year: 2022 against 2021 per indicator, aspect and domain; htmx filters, peer averages, chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlmodel import select

from spbe.method.rubric import get_rubric
from spbe.store import queries
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Instansi
from tests.web.compare_helpers import HTMX, demo_levels, soup, text
from tests.web.evidence_helpers import assessment_id


def url(app, year: int = 2022, show: str | None = None) -> str:
    return f"/assessments/{assessment_id(app, year)}/compare" + (f"?show={show}" if show else "")


def cells(page, selector: str) -> dict[str, str]:
    row = page.select_one(selector)
    assert row is not None, selector
    return {td["data-col"]: td.get_text(" ", strip=True) for td in row.select("td[data-col]")}


def clear_2021(app, client_as, indicator: str = "I47") -> None:
    """Leave one indicator of 2021 unanswered (the demo's 2021 is complete)."""
    url_2021 = f"/api/assessments/{assessment_id(app, 2021)}/answers/{indicator}"
    assert client_as("koordinator").put(url_2021, json={"value": None}).status_code == 200


def expected_trends(cleared: str | None = None) -> dict[str, str]:
    """Each indicator's trend worked out straight from the two demo files (one 2021 answer cleared)."""
    before, after = demo_levels(2021), demo_levels(2022)
    before.pop(cleared, None)
    trends = {}
    for ind in after.keys() | before.keys():
        if ind not in before or ind not in after:
            trends[ind] = "unanswered"
        else:
            trends[ind] = (
                "improved"
                if after[ind] > before[ind]
                else "dropped"
                if after[ind] < before[ind]
                else "unchanged"
            )
    return trends


def test_each_indicator_shows_both_levels_the_delta_and_the_trend(web_app, client_as):
    page = soup(client_as("peninjau").get(url(web_app)))
    assert cells(page, 'tr[data-indicator="I01"]') == {
        "before": "1",
        "after": "3",
        "delta": "+2",
        "trend": "membaik",
    }
    assert cells(page, 'tr[data-indicator="I11"]') == {
        "before": "2",
        "after": "1",
        "delta": "−1",
        "trend": "menurun",
    }
    assert cells(page, 'tr[data-indicator="I04"]') == {
        "before": "3",
        "after": "3",
        "delta": "±0",
        "trend": "tetap",
    }
    assert cells(page, 'tr[data-indicator="I41"]') == {
        "before": "2",
        "after": "5",
        "delta": "+3",
        "trend": "membaik",
    }
    assert cells(page, 'tr[data-indicator="I47"]') == {
        "before": "1",
        "after": "4",
        "delta": "+3",
        "trend": "membaik",
    }
    shown = {tr["data-indicator"]: tr["class"][0] for tr in page.select("tr[data-indicator]")}
    assert shown == expected_trends() and len(shown) == 47


def test_an_indicator_unanswered_last_year_has_no_delta(web_app, client_as):
    clear_2021(web_app, client_as)
    page = soup(client_as("peninjau").get(url(web_app)))
    assert cells(page, 'tr[data-indicator="I47"]') == {
        "before": "–",
        "after": "4",
        "delta": "–",
        "trend": "belum dijawab",
    }
    # The index, Layanan and Layanan Publik of 2021 then only have a range, and no delta.
    assert cells(page, 'tr[data-group="index"]')["before"] == "1,83–1,95"
    assert cells(page, 'tr[data-group="index"]')["delta"] == "–"
    assert cells(page, 'tr[data-group="D4"]')["before"] == "2,37–2,63"
    assert "unanswered" in page.select_one('tr[data-group="A8"]')["class"]


def test_domains_and_aspects_compare_the_published_figures_beside_the_peer_averages(web_app, client_as):
    page = soup(client_as("koordinator").get(url(web_app)))
    # Tata Kelola 1,40 -> 2,00; the seed's national average 1,85 and Kota's 1,98.
    assert cells(page, 'tr[data-group="D2"]') == {
        "before": "1,40",
        "after": "2,00",
        "delta": "+0,60",
        "national": "1,85",
        "peer": "1,98",
    }
    assert cells(page, 'tr[data-group="A5"]')["delta"] == "+0,13"  # 1,25 -> 1,38 as published
    assert cells(page, 'tr[data-group="A2"]')["delta"] == "±0,00"
    # The seed's 2021 levels (indicator 47 at level 1): Cukup 1,83 to Baik 2,66.
    assert cells(page, 'tr[data-group="index"]') == {
        "before": "1,83",
        "after": "2,66",
        "delta": "+0,83",
        "national": "2,35",
        "peer": "2,50",
    }
    assert cells(page, 'tr[data-group="D4"]')["before"] == "2,37"
    assert "improved" in page.select_one('tr[data-group="A8"]')["class"]
    assert "Laporan Hasil Pemantauan SPBE Tahun 2022" in text(page, "#compare-rows")


@pytest.mark.parametrize("show", ["improved", "dropped", "unchanged", "unanswered"])
def test_a_filter_keeps_the_rows_of_one_trend_as_an_htmx_fragment(web_app, client_as, show):
    clear_2021(web_app, client_as)
    response = client_as("kontributor").get(url(web_app, show=show), headers=HTMX)
    page = soup(response)
    assert page.find("html") is None and page.find("h1") is None
    assert [tag["id"] for tag in page.find_all(recursive=False)] == ["compare-rows"]
    rows = {tr["data-indicator"] for tr in page.select("tr[data-indicator]")}
    assert rows == {i for i, t in expected_trends("I47").items() if t == show} != set()
    assert all(show in tr["class"] for tr in page.select("tr[data-group]"))


def test_the_filters_count_the_indicators_and_no_group_dropped(web_app, client_as):
    client = client_as("koordinator")
    page = soup(client.get(url(web_app)))
    trends = list(expected_trends().values())
    for show in ("improved", "dropped", "unchanged", "unanswered"):
        assert text(page, f'a[data-filter="{show}"] .count') == str(trends.count(show))
    assert page.select_one('a[data-filter="all"]')["aria-current"] == "true"
    dropped = soup(client.get(url(web_app, show="dropped")))
    assert dropped.select("tr[data-group]") == [] and "Tidak ada yang cocok" in text(dropped, "table.groups")
    assert dropped.select_one('a[data-filter="dropped"]')["aria-current"] == "true"


def test_a_history_restore_gets_the_whole_page(web_app, client_as):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    page = soup(client_as("koordinator").get(url(web_app, show="improved"), headers=headers))
    assert page.find("html") and page.select_one("main #compare-rows")


def test_an_unknown_filter_is_refused(web_app, client_as):
    assert client_as("koordinator").get(url(web_app, show="better")).status_code == 422


def test_the_chart_is_an_svg_of_both_years(web_app, client_as):
    client = client_as("admin")
    page = soup(client.get(url(web_app)))
    src = page.select_one("figure img")["src"]
    assert src.startswith(f"/assessments/{assessment_id(web_app)}/compare/chart.svg?v=")
    response = client.get(src)
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    svg = ET.fromstring(response.content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    words = " ".join(svg.itertext())
    assert all(w in words for w in ("2021", "2022", "Rata-rata nasional", "Rata-rata Kota", "D2", "A8"))


def test_the_first_year_has_nothing_to_compare_with(web_app, client_as):
    client = client_as("koordinator")
    page = soup(client.get(url(web_app, 2021)))
    assert "Belum ada penilaian sebelum tahun 2021" in text(page, "#no-previous")
    assert page.select("tr[data-indicator]") == []
    assert client.get(url(web_app, 2021).replace("compare", "compare/chart.svg")).status_code == 404


def test_another_rubric_is_not_compared_indicator_by_indicator(web_app, client_as):
    with session_scope(web_app.state.engine) as db:
        instansi = db.exec(select(Instansi)).one()
        pemdi = queries.create_assessment(db, instansi, 2023, get_rubric("pemdi-2026"))
        pemdi_id = pemdi.id
    page = soup(client_as("koordinator").get(f"/assessments/{pemdi_id}/compare"))
    assert "rubrik spbe-2021, penilaian ini pemdi-2026" in text(page, "#not-comparable")


def test_english_labels_and_decimal_points(web_app, client_as):
    client = client_as("koordinator")
    client.get("/lang/en")
    page = soup(client.get(url(web_app)))
    assert cells(page, 'tr[data-group="D2"]')["delta"] == "+0.60"
    assert cells(page, 'tr[data-indicator="I11"]')["trend"] == "dropped"
    assert text(page, 'a[data-filter="unanswered"]').startswith("Not yet answered")


def test_the_previous_year_is_the_latest_earlier_one(web_app, client_as):
    with session_scope(web_app.state.engine) as db:
        older = db.exec(select(Assessment).where(Assessment.year == 2021)).one()
        older.year = 2019
    page = soup(client_as("koordinator").get(url(web_app)))
    assert [th.get_text(strip=True) for th in page.select("table.indicators thead th")][1:3] == [
        "2019",
        "2022",
    ]


def test_the_rows_follow_a_changed_level_and_the_language(web_app, client_as):
    """Rows are rendered once and remembered (spbe/web/compare_rows.py): never a stale level or language."""
    client = client_as("koordinator")
    assert cells(soup(client.get(url(web_app))), 'tr[data-indicator="I01"]')["after"] == "3"
    put = client.put(f"/api/assessments/{assessment_id(web_app, 2022)}/answers/I01", json={"value": 1})
    assert put.status_code == 200
    page = soup(client.get(url(web_app)))
    assert cells(page, 'tr[data-indicator="I01"]') == {
        "before": "1", "after": "1", "delta": "±0", "trend": "tetap",
    }
    assert cells(page, 'tr[data-group="index"]')["after"] != "2,66"  # the group rows follow the scores too
    client.get("/lang/en")
    page = soup(client.get(url(web_app)))
    assert cells(page, 'tr[data-indicator="I01"]')["trend"] == "unchanged"
    assert "." in cells(page, 'tr[data-group="index"]')["after"]
