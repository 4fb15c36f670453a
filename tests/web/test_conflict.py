"""No lost updates: the later of two saves of one indicator sees the other version and overwrites nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlmodel import select

from spbe.ops.demo import DEMO_USERS
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Role
from tests.web.audit_helpers import HX, events_since, last_event
from tests.web.conftest import stored_answer
from tests.web.evidence_helpers import assign

KOORDINATOR, KONTRIBUTOR = DEMO_USERS[Role.KOORDINATOR], DEMO_USERS[Role.KONTRIBUTOR]


@pytest.fixture
def a2022(web_app: FastAPI) -> int:
    """The demo 2022 assessment, with I47 (level 4, version 1) assigned to the demo kontributor."""
    with session_scope(web_app.state.engine) as db:
        found = db.exec(select(Assessment.id).where(Assessment.year == 2022)).one()
    assign(web_app, found, "I47")
    return found


def loaded_version(client, a2022: int) -> str:
    """The version a person's questionnaire page holds for I47 (what their autosave will send)."""
    page = BeautifulSoup(client.get(f"/assessments/{a2022}?aspect=A8").text, "html.parser")
    return page.select_one("#version-I47")["value"]


def test_the_later_save_sees_the_other_version_and_can_take_it_or_reapply(web_app, client_as, a2022):
    a, b = client_as("koordinator"), client_as("kontributor")
    url = f"/assessments/{a2022}/indicators/I47"
    version_a, version_b = loaded_version(a, a2022), loaded_version(b, a2022)
    start = last_event(web_app)
    mine_a = {"value": "5", "explanation": "Versi A: layanan kolaboratif", "target_value": "5"}
    assert a.post(url, data={**mine_a, "version": version_a}, headers=HX).status_code == 200
    mine_b = {"value": "2", "explanation": "Versi B", "target_value": ""}
    conflict = b.post(url, data={**mine_b, "version": version_b}, headers=HX)
    assert conflict.status_code == 409
    state = BeautifulSoup(conflict.text, "html.parser").select_one("#state-I47.conflict")
    assert "Demo Koordinator" in state.select_one("strong").text and "versi 2" in state.text
    shown = {dd["data-field"]: dd.get_text(strip=True) for dd in state.select("dd")}
    assert shown == {
        "value": "5 · Optimalisasi",
        "explanation": "Versi A: layanan kolaboratif",
        "target_value": "5",
        "responsible_unit": "–",
        "assignee_id": "Demo Kontributor",
    }
    stored = stored_answer(web_app, a2022, "I47")
    assert (stored.value, stored.explanation, stored.version) == (
        Decimal(5),
        "Versi A: layanan kolaboratif",
        2,
    )

    theirs = b.get(state.select_one("[data-take-theirs]")["hx-get"], headers=HX)
    card = BeautifulSoup(theirs.text, "html.parser").select_one("#ind-I47")
    assert card.select_one("input[name=value][checked]")["value"] == "5"
    assert card.select_one("#version-I47")["value"] == "2"

    reapply = state.select_one("[data-reapply]")
    assert reapply["hx-post"] == url
    again = b.post(url, data={**mine_b, "version": "2"}, headers=HX)  # the form with the button's hx-vals
    assert again.status_code == 200
    assert BeautifulSoup(again.text, "html.parser").select_one("#version-I47")["value"] == "3"
    stored = stored_answer(web_app, a2022, "I47")
    assert (stored.value, stored.explanation, stored.target_value, stored.version) == (
        Decimal(2),
        "Versi B",
        None,
        3,
    )
    assert events_since(web_app, start) == [
        ("answer.value", "I47", "4", "5", "", KOORDINATOR),
        ("answer.explanation", "I47", "", "Versi A: layanan kolaboratif", "", KOORDINATOR),
        ("answer.target_value", "I47", None, "5", "", KOORDINATOR),
        ("answer.value", "I47", "5", "2", "", KONTRIBUTOR),
        ("answer.explanation", "I47", "Versi A: layanan kolaboratif", "Versi B", "", KONTRIBUTOR),
        ("answer.target_value", "I47", "5", None, "", KONTRIBUTOR),
    ]


def test_the_api_answers_a_stale_version_with_the_other_version_and_who_saved_it(web_app, client_as, a2022):
    a, b = client_as("koordinator"), client_as("kontributor")
    url = f"/api/assessments/{a2022}/answers/I47"
    read_a, read_b = a.get(url.rsplit("/", 1)[0]).json()[46], b.get(url.rsplit("/", 1)[0]).json()[46]
    start = last_event(web_app)
    assert (
        a.put(url, json={"value": 5, "explanation": "dari A", "version": read_a["version"]}).status_code
        == 200
    )
    conflict = b.put(url, json={"value": 3, "version": read_b["version"]})
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["saved_by"] == "Demo Koordinator" and "Demo Koordinator" in body["detail"]
    assert "sudah diubah orang lain" in body["detail"] and "versi 2" in body["detail"]
    assert (body["current"]["value"], body["current"]["explanation"], body["current"]["version"]) == (
        "5",
        "dari A",
        2,
    )
    assert stored_answer(web_app, a2022, "I47").value == Decimal(5)
    again = b.put(url, json={"value": 3, "version": body["current"]["version"]})
    assert again.status_code == 200 and again.json()["version"] == 3
    assert events_since(web_app, start) == [
        ("answer.value", "I47", "4", "5", "", KOORDINATOR),
        ("answer.explanation", "I47", "", "dari A", "", KOORDINATOR),
        ("answer.value", "I47", "5", "3", "", KONTRIBUTOR),
    ]


def test_a_stale_save_of_a_never_saved_indicator_shows_the_first_save(web_app, client_as):
    with session_scope(web_app.state.engine) as db:
        a2021 = db.exec(select(Assessment.id).where(Assessment.year == 2021)).one()
    koordinator = client_as("koordinator")
    url = f"/assessments/{a2021}/indicators/I47"
    assert koordinator.post(url, data={"value": "1", "version": "0"}, headers=HX).status_code == 200
    conflict = koordinator.post(url, data={"value": "3", "version": "0"}, headers=HX)
    assert conflict.status_code == 409
    assert "1 · Informasi" in conflict.text
    assert stored_answer(web_app, a2021, "I47").value == Decimal(1)
