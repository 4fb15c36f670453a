"""Bad input to the questionnaire gets a 4xx with a message in Bahasa Indonesia and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, Comment
from tests.web.conftest import login, send_csrf

HX = {"HX-Request": "true"}

# (what, indicator, posted form, status, words of the message)
SAVES = [
    ("a level of 7", "I47", {"value": "7"}, 422, "tingkat 7 di luar rentang 1–5"),
    ("a level of 0", "I47", {"value": "0"}, 422, "tingkat 0 di luar rentang 1–5"),
    ("a level that is no number", "I47", {"value": "abc"}, 422, "bukan angka"),
    ("half a level", "I47", {"value": "2,5"}, 422, "harus bilangan bulat"),
    ("a level of infinity", "I47", {"value": "Infinity"}, 422, "bukan angka"),
    ("a target of 9", "I47", {"target_value": "9"}, 422, "Target tingkat"),
    ("an unknown indicator", "I99", {"value": "3"}, 404, "Indikator “I99” tidak dikenal"),
    ("markup as an indicator", "<b>x", {"value": "3"}, 404, "tidak dikenal"),
    ("an assignee who is no member", "I47", {"assignee_id": "9999"}, 422, "Petugas yang dipilih"),
    ("an assignee that is no number", "I47", {"assignee_id": "abc"}, 422, "Petugas yang dipilih"),
    ("a version that is no number", "I47", {"value": "5", "version": "x"}, 422, "Versi jawaban"),
    ("a superscript version", "I47", {"value": "5", "version": "²"}, 422, "Versi jawaban"),
    ("a version too large to store", "I47", {"value": "5", "version": "9" * 5000}, 422, "Versi jawaban"),
    ("an assignee too large to store", "I47", {"assignee_id": "9" * 30}, 422, "Petugas yang dipilih"),
    ("a NUL byte in the explanation", "I47", {"explanation": "a\x00b"}, 422, "karakter kendali"),
    ("an overlong unit", "I47", {"responsible_unit": "x" * 256}, 422, "terlalu panjang"),
    ("a good level with a bad target", "I47", {"value": "5", "target_value": "6"}, 422, "Target tingkat"),
]


@pytest.fixture
def koordinator(web_app_any_db: FastAPI) -> Iterator[TestClient]:
    with send_csrf(TestClient(web_app_any_db)) as client:
        yield login(client, "koordinator")


def snapshot(app: FastAPI) -> tuple[object, ...]:
    with session_scope(app.state.engine) as db:
        answers = sorted(
            (
                a.id,
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
        others = sorted((a.id, a.year, a.status) for a in db.exec(select(Assessment)))
        return tuple(answers), tuple(others), len(db.exec(select(Comment)).all())


def a2022(app: FastAPI) -> int:
    with session_scope(app.state.engine) as db:
        return db.exec(select(Assessment.id).where(Assessment.year == 2022)).one()


def test_every_bad_autosave_is_refused_with_a_message_next_to_the_field_and_changes_nothing(
    web_app_any_db, koordinator
):
    aid, before, problems = a2022(web_app_any_db), snapshot(web_app_any_db), []
    for what, indicator, form, status, words in SAVES:
        response = koordinator.post(
            f"/assessments/{aid}/indicators/{indicator}", data={"version": "1", **form}, headers=HX
        )
        state = BeautifulSoup(response.text, "html.parser").select_one(".save-state.failed[role=alert]")
        if response.status_code != status or state is None or words not in state.get_text():
            problems.append(f"{what}: {response.status_code} {response.text[:200]!r}")
        elif not state.get_text().strip().startswith("Gagal menyimpan"):
            problems.append(f"{what}: the message does not say the save failed")
    assert not problems, "\n".join(problems)
    assert snapshot(web_app_any_db) == before


def test_bad_pages_and_comments_are_refused_with_a_message_and_change_nothing(web_app_any_db, koordinator):
    aid, before = a2022(web_app_any_db), snapshot(web_app_any_db)
    unknown_aspect = koordinator.get(f"/assessments/{aid}?aspect=A99")
    assert unknown_aspect.status_code == 404 and "Aspek “A99” tidak dikenal" in unknown_aspect.text
    assert koordinator.get("/assessments/99999").status_code == 404
    assert koordinator.get("/assessments/99999999999999999999").status_code == 422
    foreign = koordinator.post("/assessments", data={"instansi_id": "9" * 30, "year": "2023"})
    assert foreign.status_code == 404 and "tidak ditemukan" in foreign.text
    long_comment = koordinator.post(
        f"/assessments/{aid}/indicators/I47/comments", data={"body": "x" * 5001}, headers=HX
    )
    assert long_comment.status_code == 422 and "terlalu panjang" in long_comment.text
    unknown = koordinator.post(
        f"/assessments/{aid}/indicators/I99/comments", data={"body": "Cek"}, headers=HX
    )
    assert unknown.status_code == 404 and "tidak dikenal" in unknown.text
    assert koordinator.post(f"/assessments/{aid}/indicators/I99/confirm", headers=HX).status_code == 404
    assert snapshot(web_app_any_db) == before


def test_markup_in_an_unknown_indicator_is_shown_escaped(web_app_any_db, koordinator):
    response = koordinator.post(
        f"/assessments/{a2022(web_app_any_db)}/indicators/<img src=x onerror=alert(1)>",
        data={"value": "3"},
        headers=HX,
    )
    assert response.status_code == 404
    assert "<img" not in response.text and "&lt;img" in response.text
