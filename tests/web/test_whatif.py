"""The what-if sandbox pages: fragments, scenario arithmetic, the advisor's plan, efforts, the waterfall chart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi import FastAPI
from sqlmodel import select

from spbe.method import advice
from spbe.method.rubric import get_rubric
from spbe.store import queries
from spbe.store.db import session_scope
from spbe.store.models import Assessment, EffortSetting, ScenarioValue
from tests.web.evidence_helpers import assessment_id
from tests.web.whatif_helpers import (
    HTMX,
    answers_and_assessments,
    cell,
    create_scenario,
    index_of,
    level_of,
    row,
    soup,
    text,
)


@pytest.fixture(autouse=True)
def assessment_never_changes(web_app: FastAPI):
    before = answers_and_assessments(web_app)
    yield
    assert answers_and_assessments(web_app) == before


@pytest.fixture
def a2022(web_app: FastAPI) -> int:
    return assessment_id(web_app, 2022)


@pytest.fixture
def koordinator(client_as):
    return client_as("koordinator")


@pytest.fixture
def scenario(koordinator, a2022) -> str:
    return create_scenario(koordinator, a2022)


def demo_values(app: FastAPI, year: int = 2022) -> dict[str, Decimal]:
    with session_scope(app.state.engine) as db:
        assessment = db.exec(select(Assessment).where(Assessment.year == year)).one()
        return queries.assessment_values(db, assessment)


def test_the_list_is_a_full_page_or_its_block_for_htmx(koordinator, a2022, scenario):
    full = koordinator.get(f"/assessments/{a2022}/whatif")
    assert full.status_code == 200 and "<html" in full.text
    assert soup(full.text).select_one("#whatif tr[data-scenario] a").get_text() == "Skenario uji"
    fragment = koordinator.get(f"/assessments/{a2022}/whatif", headers=HTMX)
    assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<div id="whatif"')


def test_the_scenario_page_is_full_or_its_block_and_starts_equal_to_the_assessment(koordinator, scenario):
    full = koordinator.get(scenario)
    page = soup(full.text)
    assert "<html" in full.text and page.select_one("script[src='/static/whatif.js']")
    assert len(page.select("tr[data-indicator]")) == 47
    assert index_of(full.text, "scenario") == index_of(full.text, "current") == "2,66"
    assert cell(full.text, "index", "delta-current") == "±0,00"
    assert page.select_one("#changes img") is None
    fragment = koordinator.get(scenario, headers=HTMX)
    assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<div id="scenario"')


def test_raising_I47_lifts_the_scenario_to_2_69_while_the_assessment_stays_2_66(koordinator, a2022, scenario):
    response = koordinator.post(f"{scenario}/indicators/I47", data={"value": "5"}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="compare"')
    assert index_of(response.text, "scenario") == "2,69"
    assert index_of(response.text, "current") == "2,66"
    assert cell(response.text, "index", "delta-current") == "+0,03"
    fragment = soup(response.text)
    assert fragment.find("template").find("tr")["id"] == "row-I47"  # a <tr> cannot stand alone
    assert row(response.text, "I47")["hx-swap-oob"] == "true"
    assert level_of(response.text, "I47") == "5"
    assert fragment.select_one("#changes")["hx-swap-oob"] == "true"
    assert fragment.select_one("#changes tr[data-change=I47]") is not None
    # The assessment itself still shows 2,66, and the page reloads with the scenario's value kept.
    questionnaire = soup(koordinator.get(f"/assessments/{a2022}?aspect=A8").text)
    assert questionnaire.select_one("#summary [data-index]").get_text(strip=True) == "2,66"
    again = koordinator.get(scenario).text
    assert level_of(again, "I47") == "5" and index_of(again, "scenario") == "2,69"
    assert soup(again).select_one("#row-I47 [data-current]").get_text(strip=True) == "4"


def test_lowering_and_restoring_a_level_keeps_only_real_overrides(koordinator, web_app, scenario):
    lowered = koordinator.post(f"{scenario}/indicators/I01", data={"value": "2"}, headers=HTMX)
    assert cell(lowered.text, "index", "delta-current").startswith("−")
    assert text(row(lowered.text, "I01").find(attrs={"data-delta": True})) == "−1"
    restored = koordinator.post(f"{scenario}/indicators/I01", data={"value": "3"}, headers=HTMX)
    assert cell(restored.text, "index", "delta-current") == "±0,00"
    with session_scope(web_app.state.engine) as db:
        assert db.exec(select(ScenarioValue)).all() == []


def test_without_htmx_a_change_redirects_back_to_the_row(koordinator, scenario):
    response = koordinator.post(f"{scenario}/indicators/I47", data={"value": "5"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{scenario}#row-I47"


def test_the_advisor_plan_for_2_7_loads_two_steps_and_publishes_2_72(koordinator, web_app, scenario):
    rubric = get_rubric("spbe-2021")
    expected = advice.plan(rubric, demo_values(web_app), Decimal("2.7"))
    assert [s.indikator for s in expected.steps] == ["I42", "I43"] and str(expected.published_after) == "2.72"
    response = koordinator.post(f"{scenario}/plan", data={"target": "2,7", "scope": "index"}, headers=HTMX)
    assert response.status_code == 200
    page = soup(response.text)
    assert [tr["data-step"] for tr in page.select("[data-plan] tr[data-step]")] == ["I42", "I43"]
    assert "2,72" in page.select_one("[data-plan] p").get_text()
    assert index_of(response.text, "scenario") == "2,72"
    reloaded = koordinator.get(scenario).text
    assert (level_of(reloaded, "I42"), level_of(reloaded, "I43")) == ("5", "3")
    assert index_of(reloaded, "scenario") == "2,72" and index_of(reloaded, "current") == "2,66"


def test_loading_a_plan_replaces_earlier_changes(koordinator, scenario):
    koordinator.post(f"{scenario}/indicators/I01", data={"value": "5"}, headers=HTMX)
    response = koordinator.post(f"{scenario}/plan", data={"target": "2.7"}, headers=HTMX)
    assert [tr["data-change"] for tr in soup(response.text).select("#changes tr[data-change]")] == ["I42", "I43"]


def test_a_domain_plan_with_step_limit_and_locks_matches_the_advisor(koordinator, web_app, scenario):
    rubric = get_rubric("spbe-2021")
    expected = advice.plan(rubric, demo_values(web_app), Decimal("2.5"), "D2", max_step=1, locked=["I11"])
    form = {"target": "2,5", "scope": "d2", "max_step": "1", "locked": "i11"}
    page = soup(koordinator.post(f"{scenario}/plan", data=form, headers=HTMX).text)
    assert [tr["data-step"] for tr in page.select("tr[data-step]")] == [s.indikator for s in expected.steps]
    unlocked = advice.plan(rubric, demo_values(web_app), Decimal("2.5"), "D2", max_step=1)
    assert "I11" in [s.indikator for s in unlocked.steps] and "I11" not in [s.indikator for s in expected.steps]
    assert page.select_one("select[name=scope] option[selected]")["value"] == "D2"
    assert page.select_one("input[name=locked]")["value"] == "I11"


def test_an_unreachable_target_says_so_and_loads_the_best_plan(koordinator, scenario):
    page = soup(koordinator.post(f"{scenario}/plan", data={"target": "4", "max_step": "1"}, headers=HTMX).text)
    assert "tidak dapat dicapai" in page.select_one("[data-plan] p.warn").get_text()


def test_efforts_are_saved_with_the_assessment_and_used_by_the_plan(koordinator, web_app, a2022, scenario):
    url = f"/assessments/{a2022}/whatif/efforts"
    saved = koordinator.post(url, data={"I42:5": "10", "I43:3": "2,5", "I01:3": "1"}, headers=HTMX)
    assert saved.status_code == 200 and "Upaya tersimpan" in saved.text
    with session_scope(web_app.state.engine) as db:
        rows = {(r.indicator_id, r.level): r.effort for r in db.exec(select(EffortSetting))}
    assert rows == {("I42", 5): Decimal(10), ("I43", 3): Decimal("2.5")}  # the default 1 needs no row
    page = soup(koordinator.get(url).text)
    assert page.select_one("input[name='I42:5']")["value"] == "10"
    assert page.select_one("input[name='I43:3']")["value"] == "2,5"
    assert page.select_one("input[name='I44:4']")["value"] == "1"
    efforts = {("I42", 5): Decimal(10), ("I43", 3): Decimal("2.5")}
    expected = advice.plan(get_rubric("spbe-2021"), demo_values(web_app), Decimal("2.7"), efforts=efforts)
    assert "I42" not in [s.indikator for s in expected.steps]
    response = soup(koordinator.post(f"{scenario}/plan", data={"target": "2,7"}, headers=HTMX).text)
    assert [tr["data-step"] for tr in response.select("tr[data-step]")] == [s.indikator for s in expected.steps]
    total = sum((s.effort for s in expected.steps), Decimal(0))
    assert response.select_one("[data-total-effort]").get_text(strip=True) == str(total).replace(".", ",")


def test_the_changes_table_counts_saved_efforts(koordinator, a2022, scenario):
    koordinator.post(f"/assessments/{a2022}/whatif/efforts", data={"I43:3": "4", "I43:4": "0,5"})
    page = soup(koordinator.post(f"{scenario}/indicators/I43", data={"value": "3"}, headers=HTMX).text)
    assert page.select_one("[data-total-effort]").get_text(strip=True) == "4"
    page = soup(koordinator.post(f"{scenario}/indicators/I43", data={"value": "4"}, headers=HTMX).text)
    assert page.select_one("[data-total-effort]").get_text(strip=True) == "4,5"


def test_the_waterfall_is_an_svg_of_the_lift_by_indicator_revalidated_by_etag(koordinator, scenario):
    koordinator.post(f"{scenario}/plan", data={"target": "2,7"}, headers=HTMX)
    page = soup(koordinator.get(scenario).text)
    src = page.select_one("#changes img.waterfall")["src"]
    chart = koordinator.get(src)
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    svg = chart.text
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert all(text in svg for text in ("I42", "I43", "+0,03", "2,66", "2,72", "Skenario"))
    assert koordinator.get(src).content == chart.content  # deterministic
    assert koordinator.get(src, headers={"If-None-Match": chart.headers["etag"]}).status_code == 304
    koordinator.post(f"{scenario}/indicators/I47", data={"value": "5"}, headers=HTMX)
    changed = koordinator.get(src, headers={"If-None-Match": chart.headers["etag"]})
    assert changed.status_code == 200 and "I47" in changed.text


def test_last_year_is_the_third_column(koordinator, web_app, a2022):
    page = koordinator.get(create_scenario(koordinator, a2022)).text
    assert index_of(page, "last") == "1,83" and cell(page, "index", "delta-last") == "+0,83"
    assert "belum terjawab" not in soup(page).select_one(".figure-last").get_text()
    scenario_2021 = create_scenario(koordinator, assessment_id(web_app, 2021))
    page = koordinator.get(scenario_2021).text
    assert soup(page).select_one("[data-index=last]") is None and "Tidak ada penilaian tahun 2020" in page
    raised = koordinator.post(f"{scenario_2021}/indicators/I47", data={"value": "2"}, headers=HTMX)
    assert level_of(raised.text, "I47") == "2"


def test_rename_and_delete(koordinator, web_app, a2022, scenario):
    koordinator.post(f"{scenario}/indicators/I47", data={"value": "5"}, headers=HTMX)
    renamed = koordinator.post(f"{scenario}/name", data={"name": "  Renstra   2,7 "}, follow_redirects=False)
    assert renamed.status_code == 303
    assert soup(koordinator.get(scenario).text).select_one("[data-scenario-name]").get_text() == "Renstra 2,7"
    deleted = koordinator.post(f"{scenario}/delete", headers=HTMX)
    assert deleted.status_code == 204 and deleted.headers["HX-Redirect"] == f"/assessments/{a2022}/whatif"
    assert koordinator.get(scenario).status_code == 404
    with session_scope(web_app.state.engine) as db:
        assert db.exec(select(ScenarioValue)).all() == []


def test_english_uses_decimal_points(koordinator, scenario):
    koordinator.cookies.set("lang", "en")
    page = koordinator.post(f"{scenario}/indicators/I47", data={"value": "5"}, headers=HTMX).text
    assert index_of(page, "scenario") == "2.69" and cell(page, "index", "delta-current") == "+0.03"


def test_pages_link_to_the_sandbox(koordinator, a2022):
    assert soup(koordinator.get("/").text).select_one(f"a[href='/assessments/{a2022}/whatif']")
    assert soup(koordinator.get(f"/assessments/{a2022}").text).select_one(f"a[href='/assessments/{a2022}/whatif']")


def test_the_roadmap_plans_each_year_from_the_year_before_and_saves_nothing(koordinator, web_app, a2022):
    url = f"/assessments/{a2022}/whatif/roadmap"
    empty = koordinator.get(url)
    assert empty.status_code == 200 and soup(empty.text).select_one("#roadmap [data-year]") is None
    expected = advice.roadmap(get_rubric("spbe-2021"), demo_values(web_app), [Decimal("2.7"), Decimal("2.8")],
                              start_year=2023, max_step=1)
    response = koordinator.get(url, params={"targets": "2,7; 2.8", "max_step": "1"}, headers=HTMX)
    assert response.text.lstrip().startswith('<section id="roadmap"')
    years = soup(response.text).select("[data-year]")
    assert [y["data-year"] for y in years] == ["2023", "2024"]
    for year, plan in zip(years, expected, strict=True):
        assert [tr["data-step"] for tr in year.select("tr[data-step]")] == [s.indikator for s in plan.plan.steps]


@pytest.mark.parametrize(("targets", "words"), [
    ("dua", "Target “dua” tidak valid"), ("2,7; 9", "Target “9” tidak valid"),
    ("2,6 " * 11, "Isi 1 sampai 10 target"),
])
def test_a_bad_roadmap_says_why(koordinator, a2022, targets, words):
    response = koordinator.get(f"/assessments/{a2022}/whatif/roadmap", params={"targets": targets})
    assert response.status_code == 422 and words in soup(response.text).select_one("[role=alert]").get_text()
