"""The sandbox on both databases (SQLite and PostgreSQL): scenarios, values, plans, efforts, cascades, conflicts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi import FastAPI
from sqlmodel import select

from spbe.method import advice
from spbe.method.rubric import get_rubric
from spbe.store import queries
from spbe.store.db import session_scope
from spbe.store.models import Assessment, EffortSetting, Scenario, ScenarioValue
from tests.web.evidence_helpers import assessment_id
from tests.web.whatif_helpers import (
    HTMX,
    answers_and_assessments,
    cell,
    create_scenario,
    index_of,
    level_of,
    row,
    sandbox_rows,
    soup,
    text,
)


@pytest.fixture
def app(web_app_any_db: FastAPI) -> FastAPI:
    return web_app_any_db


def values_2022(app: FastAPI) -> dict[str, Decimal]:
    with session_scope(app.state.engine) as db:
        return queries.assessment_values(db, db.get(Assessment, assessment_id(app, 2022)))


def test_a_whole_session_in_the_sandbox_never_changes_the_assessment(app, client_as_any_db):
    before = answers_and_assessments(app)
    koordinator, kontributor = client_as_any_db("koordinator"), client_as_any_db("kontributor")
    a2022 = assessment_id(app, 2022)
    mine = create_scenario(koordinator, a2022, "Renstra 2,7")
    theirs = create_scenario(kontributor, a2022, "Layanan")
    page = koordinator.post(f"{mine}/indicators/I47", data={"value": "5"}, headers=HTMX).text
    assert index_of(page, "scenario") == "2,69" and index_of(page, "current") == "2,66"
    assert index_of(kontributor.get(theirs).text, "scenario") == "2,66"  # scenarios are independent
    saved = koordinator.post(f"/assessments/{a2022}/whatif/efforts", data={"I42:5": "2,5", "I43:3": "0"})
    assert saved.status_code == 200
    planned = kontributor.post(f"{theirs}/plan", data={"target": "2,7"}, headers=HTMX).text
    efforts = {("I42", 5): Decimal("2.5"), ("I43", 3): Decimal(0)}
    expected = advice.plan(get_rubric("spbe-2021"), values_2022(app), Decimal("2.7"), efforts=efforts)
    assert [tr["data-step"] for tr in soup(planned).select("tr[data-step]")] == [s.indikator for s in expected.steps]
    assert index_of(planned, "scenario") == str(expected.published_after).replace(".", ",")
    reloaded = koordinator.get(mine).text
    assert level_of(reloaded, "I47") == "5" and index_of(reloaded, "scenario") == "2,69"
    with session_scope(app.state.engine) as db:
        assert {(e.indicator_id, e.level): e.effort for e in db.exec(select(EffortSetting))} == efforts
        assert {v.indicator_id: v.value for v in db.exec(select(ScenarioValue))}.get("I47") == Decimal(5)
    assert answers_and_assessments(app) == before


def test_deleting_a_scenario_deletes_its_values(app, client_as_any_db):
    koordinator = client_as_any_db("koordinator")
    scenario = create_scenario(koordinator, assessment_id(app, 2022))
    koordinator.post(f"{scenario}/plan", data={"target": "3"}, headers=HTMX)
    with session_scope(app.state.engine) as db:
        assert len(db.exec(select(ScenarioValue)).all()) > 0
    assert koordinator.post(f"{scenario}/delete", follow_redirects=False).status_code == 303
    with session_scope(app.state.engine) as db:
        assert db.exec(select(Scenario)).all() == [] and db.exec(select(ScenarioValue)).all() == []


def test_names_are_unique_per_assessment_ignoring_case(app, client_as_any_db):
    koordinator = client_as_any_db("koordinator")
    create_scenario(koordinator, assessment_id(app, 2022), "Target 2,7")
    create_scenario(koordinator, assessment_id(app, 2021), "Target 2,7")  # another assessment: fine
    before = sandbox_rows(app)
    again = koordinator.post(f"/assessments/{assessment_id(app, 2022)}/whatif", data={"name": "target 2,7"})
    assert again.status_code == 409 and sandbox_rows(app) == before


def test_unanswered_indicators_count_as_level_1_here_and_last_year(app, client_as_any_db):
    koordinator = client_as_any_db("koordinator")
    a2021, a2022 = assessment_id(app, 2021), assessment_id(app, 2022)
    assert koordinator.put(f"/api/assessments/{a2021}/answers/I47", json={"value": None}).status_code == 200
    page = koordinator.get(create_scenario(koordinator, a2022)).text
    assert index_of(page, "last") == "1,83" and cell(page, "index", "delta-last") == "+0,83"
    assert "1 indikator belum terjawab dihitung tingkat 1" in soup(page).select_one(".figure-last").get_text()
    scenario_2021 = create_scenario(koordinator, a2021)
    page = koordinator.get(scenario_2021).text
    assert "belum terjawab — dihitung 1" in text(row(page, "I47")) and level_of(page, "I47") == "1"
