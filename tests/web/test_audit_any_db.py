"""Audit trail, conflicts, lock and reopen on SQLite and PostgreSQL: the same events, the same refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlmodel import select

from spbe.ops.demo import DEMO_USERS
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Evidence, Role
from tests.web.audit_helpers import HX, events_since, last_event
from tests.web.conftest import outsider, stored_answer
from tests.web.evidence_helpers import add_link, assign

KOORDINATOR, KONTRIBUTOR = DEMO_USERS[Role.KOORDINATOR], DEMO_USERS[Role.KONTRIBUTOR]


@pytest.fixture
def app(web_app_any_db: FastAPI) -> FastAPI:
    return web_app_any_db


@pytest.fixture
def a2022(app: FastAPI) -> int:
    with session_scope(app.state.engine) as db:
        found = db.exec(select(Assessment.id).where(Assessment.year == 2022)).one()
    assign(app, found, "I47")
    return found


def test_two_people_save_one_indicator_the_later_sees_the_first_and_reapplies(app, client_as_any_db, a2022):
    a, b = client_as_any_db("koordinator"), client_as_any_db("kontributor")
    url = f"/assessments/{a2022}/indicators/I47"
    start = last_event(app)
    assert a.post(url, data={"value": "5", "version": "1"}, headers=HX).status_code == 200
    conflict = b.post(url, data={"value": "2", "version": "1"}, headers=HX)
    assert conflict.status_code == 409 and "Demo Koordinator" in conflict.text
    assert (
        BeautifulSoup(conflict.text, "html.parser").select_one("dd[data-field=value]").text
        == "5 · Optimalisasi"
    )
    assert stored_answer(app, a2022, "I47").value == Decimal(5)
    api = b.put(f"/api/assessments/{a2022}/answers/I47", json={"value": 2, "version": 1})
    assert api.status_code == 409 and api.json()["saved_by"] == "Demo Koordinator"
    assert b.post(url, data={"value": "2", "version": "2"}, headers=HX).status_code == 200
    assert stored_answer(app, a2022, "I47").value == Decimal(2)
    assert events_since(app, start) == [
        ("answer.value", "I47", "4", "5", "", KOORDINATOR),
        ("answer.value", "I47", "5", "2", "", KONTRIBUTOR),
    ]


def test_evidence_submit_lock_and_reopen_are_recorded(app, client_as_any_db, a2022):
    koordinator = client_as_any_db("koordinator")
    start = last_event(app)
    assert add_link(koordinator, a2022, "I47", "https://sipd.example.go.id", title="SIPD").status_code == 200
    with session_scope(app.state.engine) as db:
        item = db.exec(select(Evidence.id).where(Evidence.title == "SIPD")).one()
    assert koordinator.post(f"/assessments/{a2022}/submit", follow_redirects=False).status_code == 303
    assert koordinator.post(f"/evidence/{item}/delete", headers=HX).status_code == 409
    assert koordinator.put(f"/api/assessments/{a2022}/answers/I47", json={"value": 3}).status_code == 409
    assert (
        client_as_any_db("kontributor").post(f"/assessments/{a2022}/reopen", data={"reason": "x"}).status_code
        == 403
    )
    reopened = koordinator.post(
        f"/assessments/{a2022}/reopen", data={"reason": "Revisi"}, follow_redirects=False
    )
    assert reopened.status_code == 303
    assert koordinator.put(f"/api/assessments/{a2022}/answers/I47", json={"value": 3}).status_code == 200
    assert events_since(app, start) == [
        ("evidence.add", "I47", None, "SIPD", "https://sipd.example.go.id", KOORDINATOR),
        ("assessment.submit", None, "draft", "submitted", "", KOORDINATOR),
        ("assessment.reopen", None, "submitted", "draft", "Revisi", KOORDINATOR),
        ("answer.value", "I47", "4", "3", "", KOORDINATOR),
    ]


def test_the_history_page_and_fragment_for_members_only(app, client_as_any_db, a2022):
    koordinator = client_as_any_db("koordinator")
    koordinator.post(f"/assessments/{a2022}/indicators/I47", data={"value": "5", "version": "1"}, headers=HX)
    page = client_as_any_db("peninjau").get(f"/assessments/{a2022}/history")
    change = BeautifulSoup(page.text, "html.parser").select_one("li.history-entry .change")
    assert page.status_code == 200 and change.get_text(" ", strip=True) == "Tingkat : 4 → 5"
    fragment = koordinator.get(f"/assessments/{a2022}/history?indicator=I47", headers=HX)
    entries = BeautifulSoup(fragment.text, "html.parser").select("li.history-entry")
    assert "<html" not in fragment.text and [li["data-action"] for li in entries] == ["answer.value"]
    with outsider(app) as stranger:
        assert stranger.get(f"/assessments/{a2022}/history").status_code == 404
