"""Carry-over done right: unconfirmed answers are counted apart (start page, aspect menu), "Konfirmasi semua"
confirms an aspect at once (audited, within the member's rights), and submitting warns with the count."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Answer
from tests.web.audit_helpers import events_since, last_event
from tests.web.evidence_helpers import assign
from tests.web.test_assessments import HX, create

A1 = ["I01", "I02", "I03", "I04", "I05", "I06", "I07", "I08", "I09", "I10"]


@pytest.fixture
def carried(web_app: FastAPI, client_as) -> int:
    """A 2023 assessment started from 2022: all 47 answers carried over, none confirmed."""
    location = create(client_as("koordinator"), web_app, "2023", start="previous").headers["location"]
    return int(location.rsplit("/", 1)[1])


def unconfirmed(app: FastAPI, assessment: int) -> set[str]:
    with session_scope(app.state.engine) as db:
        query = select(Answer.indicator_id).where(Answer.assessment_id == assessment, Answer.carried_over)
        return set(db.exec(query))


def row_of(html: str, year: int):
    return BeautifulSoup(html, "html.parser").select_one(f"tr[data-year='{year}'] td.answered")


def test_the_start_page_counts_unconfirmed_answers_apart(web_app, client_as, carried):
    koordinator = client_as("koordinator")
    cell = row_of(koordinator.get("/").text, 2023)
    assert cell.get_text(" ", strip=True) == "0/47 +47 belum dikonfirmasi"
    koordinator.post(f"/assessments/{carried}/indicators/I01/confirm", headers=HX)
    assert row_of(koordinator.get("/").text, 2023).get_text(" ", strip=True) == "1/47 +46 belum dikonfirmasi"
    assert row_of(koordinator.get("/").text, 2022).get_text(" ", strip=True) == "47/47"


def test_the_aspect_menu_does_not_count_unconfirmed_answers_as_answered(client_as, carried):
    page = BeautifulSoup(client_as("koordinator").get(f"/assessments/{carried}").text, "html.parser")
    a1 = page.select_one("a[data-aspect=A1] .progress")
    assert a1.get_text(" ", strip=True) == "0/10 10 belum dikonfirmasi"
    assert a1.select_one("meter")["value"] == "0" and "done" not in a1["class"]
    assert "10 indikator di aspek ini dibawa dari tahun lalu" in page.select_one(".confirm-all").text


def test_confirm_all_confirms_the_aspect_and_records_each_indicator(web_app, client_as, carried):
    start = last_event(web_app)
    response = client_as("koordinator").post(f"/assessments/{carried}/aspects/A1/confirm", headers=HX)
    assert response.status_code == 200
    assert unconfirmed(web_app, carried).isdisjoint(A1) and len(unconfirmed(web_app, carried)) == 37
    assert [(e[0], e[1]) for e in events_since(web_app, start)] == [("answer.confirm", i) for i in A1]
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("a[data-aspect=A1] .progress").get_text(" ", strip=True) == "10/10"
    assert page.select_one(".confirm-all") is None
    again = client_as("koordinator").post(f"/assessments/{carried}/aspects/A1/confirm", headers=HX)
    assert again.status_code == 200 and events_since(web_app, start)[-1][1] == "I10"  # nothing more to record


def test_a_kontributor_confirms_only_the_indicators_assigned_to_them(web_app, client_as, carried):
    assign(web_app, carried, "I02")
    start = last_event(web_app)
    response = client_as("kontributor").post(f"/assessments/{carried}/aspects/A1/confirm", headers=HX)
    assert response.status_code == 200
    assert [e[1] for e in events_since(web_app, start) if e[0] == "answer.confirm"] == ["I02"]
    assert unconfirmed(web_app, carried) >= set(A1) - {"I02"}


@pytest.mark.parametrize("who", ["peninjau", "admin"])
def test_readers_cannot_confirm_an_aspect(web_app, client_as, carried, who):
    start = last_event(web_app)
    response = client_as(who).post(f"/assessments/{carried}/aspects/A1/confirm", headers=HX)
    assert response.status_code == 403
    assert events_since(web_app, start) == [] and len(unconfirmed(web_app, carried)) == 47
    page = BeautifulSoup(client_as(who).get(f"/assessments/{carried}").text, "html.parser")
    assert page.select_one(".confirm-all") is None


def test_an_unknown_aspect_or_a_submitted_assessment_changes_nothing(web_app, client_as, carried):
    koordinator = client_as("koordinator")
    assert koordinator.post(f"/assessments/{carried}/aspects/A99/confirm", headers=HX).status_code == 404
    koordinator.post(f"/assessments/{carried}/submit", headers=HX)
    assert koordinator.post(f"/assessments/{carried}/aspects/A1/confirm", headers=HX).status_code == 409
    assert len(unconfirmed(web_app, carried)) == 47


def test_submitting_warns_with_the_unconfirmed_count_but_is_allowed(web_app, client_as, carried):
    koordinator = client_as("koordinator")
    koordinator.post(f"/assessments/{carried}/aspects/A1/confirm", headers=HX)
    button = BeautifulSoup(koordinator.get(f"/assessments/{carried}").text, "html.parser").select_one(
        "button[hx-post$='/submit?aspect=A1']")
    assert re.match(r"37 indikator masih dibawa dari tahun lalu dan belum dikonfirmasi\. Tetap kirim",
                    button["hx-confirm"])
    assert koordinator.post(f"/assessments/{carried}/submit", headers=HX).status_code == 204
