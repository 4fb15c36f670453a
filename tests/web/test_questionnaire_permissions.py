"""What each role may do, per action, on SQLite and PostgreSQL; a refused request changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import select

from spbe.ops.demo import DEMO_USERS, ensure_member, ensure_user
from spbe.store import queries
from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, Comment, Evidence, Role, User
from tests.web.conftest import login, send_csrf

OUTSIDER = "orang-luar"
WHO = ("anonymous", "outsider", "admin", "peninjau", "kontributor", "koordinator")  # successes come last


@dataclass
class Demo:
    app: FastAPI
    instansi_id: int
    a2022: int
    a2021: int
    kontributor_id: int


@pytest.fixture
def demo(web_app_any_db: FastAPI) -> Demo:
    """The demo, I47 of 2022 assigned to the kontributor, and a koordinator of another instansi."""
    with session_scope(web_app_any_db.state.engine) as db:
        years = {a.year: a for a in db.exec(select(Assessment))}
        kontributor = db.exec(select(User).where(User.username == DEMO_USERS[Role.KONTRIBUTOR])).one()
        i47 = db.exec(
            select(Answer).where(Answer.assessment_id == years[2022].id, Answer.indicator_id == "I47")
        ).one()
        i47.assignee_id = kontributor.id
        other = queries.get_or_create_instansi(db, "kota-lain", "Kota Lain", "kota")
        ensure_member(db, ensure_user(db, OUTSIDER, OUTSIDER), other, Role.KOORDINATOR)
        return Demo(web_app_any_db, years[2022].instansi_id, years[2022].id, years[2021].id, kontributor.id)


@pytest.fixture
def clients(demo: Demo) -> Iterator[dict[str, TestClient]]:
    made = {who: send_csrf(TestClient(demo.app, follow_redirects=False)) for who in WHO}
    for who, client in made.items():
        if who == "outsider":
            client.post("/login", data={"username": OUTSIDER, "password": OUTSIDER})
        elif who != "anonymous":
            login(client, who)
    yield made
    for client in made.values():
        client.close()


def snapshot(app: FastAPI) -> tuple[object, ...]:
    """Everything an action could change."""
    with session_scope(app.state.engine) as db:
        answers = sorted(
            (
                a.assessment_id,
                a.indicator_id,
                a.value,
                a.explanation,
                a.target_value,
                a.responsible_unit,
                a.assignee_id,
                a.carried_over,
                a.version,
            )
            for a in db.exec(select(Answer))
        )
        assessments = sorted((a.id, a.year, a.status) for a in db.exec(select(Assessment)))
        counts = (len(db.exec(select(Comment)).all()), len(db.exec(select(Evidence)).all()))
        return tuple(answers), tuple(assessments), counts


Action = Callable[[TestClient, Demo], Response]

ACTIONS: dict[str, tuple[Action, dict[str, int]]] = {
    "view the questionnaire": (
        lambda c, d: c.get(f"/assessments/{d.a2022}"),
        {
            "anonymous": 303,
            "outsider": 404,
            "admin": 200,
            "peninjau": 200,
            "kontributor": 200,
            "koordinator": 200,
        },
    ),
    "change the level of an unassigned indicator": (
        lambda c, d: c.post(f"/assessments/{d.a2022}/indicators/I46", data={"value": "2"}),
        {
            "anonymous": 303,
            "outsider": 404,
            "admin": 403,
            "peninjau": 403,
            "kontributor": 403,
            "koordinator": 200,
        },
    ),
    "change the level of the kontributor's indicator": (
        lambda c, d: c.post(
            f"/assessments/{d.a2022}/indicators/I47", data={"value": "5", "explanation": "x"}
        ),
        {
            "anonymous": 303,
            "outsider": 404,
            "admin": 403,
            "peninjau": 403,
            "kontributor": 200,
            "koordinator": 200,
        },
    ),
    "assign an indicator": (
        lambda c, d: c.post(f"/assessments/{d.a2022}/indicators/I47", data={"assignee_id": ""}),
        {
            "anonymous": 303,
            "outsider": 404,
            "admin": 403,
            "peninjau": 403,
            "kontributor": 403,
            "koordinator": 200,
        },
    ),
    "confirm a carried-over indicator": (
        lambda c, d: c.post(f"/assessments/{d.a2022}/indicators/I46/confirm", headers={"HX-Request": "true"}),
        {
            "anonymous": 401,
            "outsider": 404,
            "admin": 403,
            "peninjau": 403,
            "kontributor": 403,
            "koordinator": 200,
        },
    ),
    "comment": (
        lambda c, d: c.post(
            f"/assessments/{d.a2022}/indicators/I46/comments",
            data={"body": "Cek"},
            headers={"HX-Request": "true"},
        ),
        {
            "anonymous": 401,
            "outsider": 404,
            "admin": 403,
            "peninjau": 200,
            "kontributor": 200,
            "koordinator": 200,
        },
    ),
    "submit the assessment": (
        lambda c, d: c.post(f"/assessments/{d.a2022}/submit"),
        {
            "anonymous": 303,
            "outsider": 404,
            "admin": 403,
            "peninjau": 403,
            "kontributor": 403,
            "koordinator": 303,
        },
    ),
    "create an assessment": (
        lambda c, d: c.post("/assessments", data={"instansi_id": str(d.instansi_id), "year": "2023"}),
        {
            "anonymous": 303,
            "outsider": 404,
            "admin": 403,
            "peninjau": 403,
            "kontributor": 403,
            "koordinator": 303,
        },
    ),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_role_may_do_exactly_what_its_role_allows_and_a_refusal_changes_nothing(demo, clients, action):
    request, expected = ACTIONS[action]
    got = {}
    for who in WHO:
        before = snapshot(demo.app)
        response = request(clients[who], demo)
        got[who] = response.status_code
        if who == "anonymous" or expected[who] >= 400:
            assert snapshot(demo.app) == before, f"{who}: a refused request changed something"
        if expected[who] in (403, 404):
            assert 'role="alert"' in response.text, f"{who}: the refusal shows no message"
    assert got == expected


def test_a_kontributor_sees_unassigned_indicators_read_only_with_a_note(demo, clients):
    page = BeautifulSoup(
        clients["kontributor"].get(f"/assessments/{demo.a2022}?aspect=A8").text, "html.parser"
    )
    mine, other = page.select_one("#ind-I47"), page.select_one("#ind-I46")
    assert not mine.select_one("fieldset.levels").has_attr("disabled")
    assert mine.select_one("input[name=value]")["hx-post"].endswith("/indicators/I47")
    assert mine.select_one("select[name=assignee_id]") is None  # only the koordinator assigns
    assert other.select_one("fieldset.levels").has_attr("disabled")
    assert other.select_one("[hx-post$='/indicators/I46']") is None
    assert "tidak ditugaskan kepada Anda" in other.select_one(".note").text


def test_peninjau_and_admin_read_everything_and_only_the_peninjau_may_comment(demo, clients):
    for who, comments in (("peninjau", True), ("admin", False)):
        page = BeautifulSoup(clients[who].get(f"/assessments/{demo.a2022}?aspect=A8").text, "html.parser")
        assert all(f.has_attr("disabled") for f in page.select("fieldset.levels"))
        assert "tidak dapat mengubah" in page.select_one("#ind-I47 .note").text
        assert (page.select_one("#ind-I47 form.comment-form") is not None) is comments


def test_a_non_member_sees_neither_the_assessment_nor_the_instansi(demo, clients):
    home = BeautifulSoup(clients["outsider"].get("/").text, "html.parser")
    assert "Kota Pasuruan" not in home.text
    assert "Kota Lain" in home.text
    assert (
        clients["outsider"].get(f"/assessments/{demo.a2022}", headers={"HX-Request": "true"}).status_code
        == 404
    )
