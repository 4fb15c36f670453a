"""The audit trail: each change writes exactly its event (who, old -> new); refused changes write none."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlmodel import select

from spbe import cli
from spbe.config import get_settings
from spbe.ops.demo import DEMO_CODE, DEMO_USERS, ensure_member, ensure_user, set_role
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Evidence, Instansi, Membership, Role, User
from tests import evidence_files as samples
from tests.web.audit_helpers import HX, events_since, last_event
from tests.web.conftest import stored_answer
from tests.web.evidence_helpers import add_link, assign, upload

KOORDINATOR, KONTRIBUTOR = DEMO_USERS[Role.KOORDINATOR], DEMO_USERS[Role.KONTRIBUTOR]


def year_id(app: FastAPI, year: int) -> int:
    with session_scope(app.state.engine) as db:
        return db.exec(select(Assessment.id).where(Assessment.year == year)).one()


@pytest.fixture
def a2022(web_app: FastAPI) -> int:
    return year_id(web_app, 2022)


@pytest.fixture
def koordinator(client_as):
    return client_as("koordinator")


def kontributor_id(app: FastAPI) -> str:
    with session_scope(app.state.engine) as db:
        return str(ensure_user(db, KONTRIBUTOR, KONTRIBUTOR).id)


def test_a_questionnaire_save_records_each_changed_field_with_old_and_new(web_app, koordinator, a2022):
    start, who = last_event(web_app), kontributor_id(web_app)
    data = {
        "value": "5",
        "explanation": "SK Wali Kota\r\nNo. 12",
        "target_value": "5",
        "responsible_unit": " Dinas  Kominfo ",
        "assignee_id": who,
        "version": "1",
    }
    assert koordinator.post(f"/assessments/{a2022}/indicators/I47", data=data, headers=HX).status_code == 200
    assert events_since(web_app, start) == [
        ("answer.value", "I47", "4", "5", "", KOORDINATOR),
        ("answer.explanation", "I47", "", "SK Wali Kota\nNo. 12", "", KOORDINATOR),
        ("answer.target_value", "I47", None, "5", "", KOORDINATOR),
        ("answer.responsible_unit", "I47", "", "Dinas Kominfo", "", KOORDINATOR),
        ("answer.assignee", "I47", None, who, "", KOORDINATOR),
    ]
    again = {**data, "version": "2"}  # the same values again: nothing changes, nothing is recorded
    assert koordinator.post(f"/assessments/{a2022}/indicators/I47", data=again, headers=HX).status_code == 200
    cleared = {"value": "", "version": "2"}
    assert (
        koordinator.post(f"/assessments/{a2022}/indicators/I47", data=cleared, headers=HX).status_code == 200
    )
    assert events_since(web_app, start)[5:] == [("answer.value", "I47", "5", None, "", KOORDINATOR)]


def test_an_api_save_goes_through_the_same_rules_and_is_recorded(web_app, koordinator, a2022):
    start = last_event(web_app)
    url = f"/api/assessments/{a2022}/answers/I47"
    saved = koordinator.put(url, json={"value": 2, "explanation": "lewat API", "version": 1})
    assert saved.status_code == 200 and saved.json()["version"] == 2
    assert koordinator.put(url, json={"value": "2", "explanation": "lewat API"}).json()["version"] == 2
    assert events_since(web_app, start) == [
        ("answer.value", "I47", "4", "2", "", KOORDINATOR),
        ("answer.explanation", "I47", "", "lewat API", "", KOORDINATOR),
    ]


REFUSED = [
    ("koordinator", {"value": "7", "version": "1"}, 422),
    ("koordinator", {"explanation": "ada\x07bel", "version": "1"}, 422),
    ("koordinator", {"assignee_id": "999999", "version": "1"}, 422),
    ("koordinator", {"value": "5", "version": "abc"}, 422),
    ("koordinator", {"value": "5", "version": "0"}, 409),
    ("peninjau", {"value": "5", "version": "1"}, 403),
    ("kontributor", {"value": "5", "version": "1"}, 403),  # I47 is not assigned to them
]


@pytest.mark.parametrize(("who", "data", "status"), REFUSED)
def test_a_refused_save_records_nothing(web_app, client_as, a2022, who, data, status):
    start = last_event(web_app)
    response = client_as(who).post(f"/assessments/{a2022}/indicators/I47", data=data, headers=HX)
    assert response.status_code == status
    assert events_since(web_app, start) == []
    assert stored_answer(web_app, a2022, "I47").version == 1


@pytest.mark.parametrize(("body", "status"), [({"value": 9}, 422), ({"value": 3, "version": 7}, 409)])
def test_a_refused_api_save_records_nothing(web_app, koordinator, a2022, body, status):
    start = last_event(web_app)
    assert koordinator.put(f"/api/assessments/{a2022}/answers/I47", json=body).status_code == status
    assert events_since(web_app, start) == []


def test_evidence_added_and_deleted_is_recorded_with_its_title_and_file_or_link(web_app, koordinator, a2022):
    start = last_event(web_app)
    assert (
        add_link(koordinator, a2022, "I47", "https://sipd.example.go.id", title="Aplikasi SIPD").status_code
        == 200
    )
    assert (
        upload(koordinator, a2022, "I47", samples.pdf(), "perwal.pdf", title="Perwal SPBE").status_code == 200
    )
    with session_scope(web_app.state.engine) as db:
        link = db.exec(select(Evidence.id).where(Evidence.title == "Aplikasi SIPD")).one()
    assert koordinator.post(f"/evidence/{link}/delete", headers=HX).status_code == 200
    assert events_since(web_app, start) == [
        ("evidence.add", "I47", None, "Aplikasi SIPD", "https://sipd.example.go.id", KOORDINATOR),
        ("evidence.add", "I47", None, "Perwal SPBE", "perwal.pdf", KOORDINATOR),
        ("evidence.delete", "I47", "Aplikasi SIPD", None, "https://sipd.example.go.id", KOORDINATOR),
    ]


def test_refused_evidence_changes_record_nothing(web_app, client_as, a2022):
    start = last_event(web_app)
    assert add_link(client_as("koordinator"), a2022, "I47", "javascript:alert(1)").status_code == 422
    assert add_link(client_as("peninjau"), a2022, "I47").status_code == 403
    assert upload(client_as("kontributor"), a2022, "I47", samples.pdf()).status_code == 403
    assert events_since(web_app, start) == []


def test_creating_carrying_over_and_confirming_are_recorded(web_app, koordinator, a2022):
    start = last_event(web_app)
    with session_scope(web_app.state.engine) as db:
        instansi = str(db.get(Assessment, a2022).instansi_id)
    data = {"instansi_id": instansi, "year": "2023", "start": "previous"}
    location = koordinator.post("/assessments", data=data, follow_redirects=False).headers["location"]
    a2023 = int(location.rsplit("/", 1)[1])
    for _ in range(2):  # confirming again finds nothing carried over: no second event
        assert koordinator.post(f"/assessments/{a2023}/indicators/I47/confirm", headers=HX).status_code == 200
    blank = {"instansi_id": instansi, "year": "2024", "start": "blank"}
    assert koordinator.post("/assessments", data=blank, follow_redirects=False).status_code == 303
    assert koordinator.post("/assessments", data=blank, follow_redirects=False).status_code == 409
    assert events_since(web_app, start) == [
        ("assessment.create", None, None, "spbe-2021", "2022", KOORDINATOR),
        ("answer.confirm", "I47", None, None, "", KOORDINATOR),
        ("assessment.create", None, None, "spbe-2021", "", KOORDINATOR),
    ]


def test_official_values_are_recorded(web_app, koordinator, a2022):
    start = last_event(web_app)
    response = koordinator.post(f"/assessments/{a2022}/official", data={"I47": "3", "I46": ""}, headers=HX)
    assert response.status_code == 200
    assert (
        koordinator.post(f"/assessments/{a2022}/official", data={"I47": "9"}, headers=HX).status_code == 422
    )
    assert events_since(web_app, start) == [("official.value", "I47", None, "3", "", KOORDINATOR)]


def test_role_changes_are_recorded_as_done_by_the_command_line(web_app):
    start = last_event(web_app)
    with session_scope(web_app.state.engine) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
        siti = ensure_user(db, "siti", "rahasia-siti", full_name="Siti Rahma")
        ensure_member(db, siti, instansi, Role.KONTRIBUTOR)
        ensure_member(db, siti, instansi, Role.PENINJAU)  # keeps the role: nothing to record
        set_role(db, siti, instansi, Role.KOORDINATOR)
        set_role(db, siti, instansi, Role.KOORDINATOR)
    assert events_since(web_app, start) == [
        ("member.role", None, None, "kontributor", "siti", None),
        ("member.role", None, "kontributor", "koordinator", "siti", None),
    ]


def test_spbe_user_add_sets_and_changes_a_role_and_records_it(web_app, monkeypatch):
    start = last_event(web_app)
    monkeypatch.setenv("SPBE_DATABASE_URL", web_app.state.settings.database_url)
    monkeypatch.setenv("SPBE_NEW_PASSWORD", "rahasia-budi")
    get_settings.cache_clear()
    try:
        for role in ("peninjau", "kontributor"):
            assert cli.main(["user", "add", "budi", "--instansi", DEMO_CODE, "--role", role]) == 0
    finally:
        get_settings.cache_clear()
    with session_scope(web_app.state.engine) as db:
        budi = db.exec(select(User.id).where(User.username == "budi")).one()
        assert db.exec(select(Membership.role).where(Membership.user_id == budi)).one() == "kontributor"
    assert events_since(web_app, start) == [
        ("member.role", None, None, "peninjau", "budi", None),
        ("member.role", None, "peninjau", "kontributor", "budi", None),
    ]


def test_submit_locks_every_write_path_and_only_the_koordinator_reopens_with_a_reason(
    web_app, client_as, a2022
):
    koordinator, kontributor = client_as("koordinator"), client_as("kontributor")
    assign(web_app, a2022, "I47")
    assert add_link(koordinator, a2022, "I47", title="Tautan lama").status_code == 200
    with session_scope(web_app.state.engine) as db:
        item = db.exec(select(Evidence.id).where(Evidence.title == "Tautan lama")).one()
    start = last_event(web_app)
    assert koordinator.post(f"/assessments/{a2022}/submit", follow_redirects=False).status_code == 303
    locked = [
        koordinator.post(f"/assessments/{a2022}/indicators/I47", data={"value": "5"}, headers=HX),
        kontributor.post(f"/assessments/{a2022}/indicators/I47", data={"value": "5"}, headers=HX),
        koordinator.post(f"/assessments/{a2022}/indicators/I47/confirm", headers=HX),
        koordinator.put(f"/api/assessments/{a2022}/answers/I47", json={"value": 5}),
        add_link(koordinator, a2022, "I47"),
        upload(kontributor, a2022, "I47", samples.pdf()),
        koordinator.post(f"/evidence/{item}/delete", headers=HX),
    ]
    assert [r.status_code for r in locked] == [409] * len(locked)
    reopen = f"/assessments/{a2022}/reopen"
    assert kontributor.post(reopen, data={"reason": "saya ingin mengubah"}, headers=HX).status_code == 403
    refused = koordinator.post(reopen, data={"reason": "   "}, headers=HX)
    assert refused.status_code == 422 and "alasan" in refused.text.lower()
    assert koordinator.post(reopen, data={"reason": "a\x00b"}, headers=HX).status_code == 422
    assert (
        koordinator.post(reopen, data={"reason": "Koreksi  I47"}, follow_redirects=False).status_code == 303
    )
    assert koordinator.post(reopen, data={"reason": "dua kali"}, follow_redirects=False).status_code == 303
    assert kontributor.post(f"/assessments/{a2022}/indicators/I47", data={"value": "5"}).status_code == 200
    assert events_since(web_app, start) == [
        ("assessment.submit", None, "draft", "submitted", "", KOORDINATOR),
        ("assessment.reopen", None, "submitted", "draft", "Koreksi I47", KOORDINATOR),
        ("answer.value", "I47", "4", "5", "", KONTRIBUTOR),
    ]


def test_the_koordinator_sees_a_reopen_form_on_a_submitted_assessment_only(web_app, client_as, a2022):
    koordinator = client_as("koordinator")
    assert 'name="reason"' not in koordinator.get(f"/assessments/{a2022}").text
    koordinator.post(f"/assessments/{a2022}/submit")
    assert 'name="reason"' in koordinator.get(f"/assessments/{a2022}").text
    assert 'name="reason"' not in client_as("peninjau").get(f"/assessments/{a2022}").text
