"""The history of an assessment: members only, whole page or htmx list, newest first, filtered, in Indonesian."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlmodel import select

from spbe.services import audit
from spbe.store.db import session_scope
from spbe.store.models import Assessment, User
from tests.web.audit_helpers import HX
from tests.web.conftest import outsider


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def lines(html: str) -> list[str]:
    """Each history entry's change line, as read on the page."""
    return [
        li.select_one(".change").get_text(" ", strip=True) for li in soup(html).select("li.history-entry")
    ]


@pytest.fixture
def a2022(web_app: FastAPI, client_as) -> int:
    """The demo 2022 assessment after a koordinator changed I47 (4 -> 5, assigned) and I01, and submitted."""
    with session_scope(web_app.state.engine) as db:
        found = db.exec(select(Assessment.id).where(Assessment.year == 2022)).one()
        kontributor = db.exec(select(User.id).where(User.username == "demo-kontributor")).one()
    koordinator = client_as("koordinator")
    data = {"value": "5", "assignee_id": str(kontributor), "version": "1"}
    assert koordinator.post(f"/assessments/{found}/indicators/I47", data=data, headers=HX).status_code == 200
    koordinator.post(
        f"/assessments/{found}/indicators/I01", data={"explanation": "Perwal 2020", "version": "1"}
    )
    koordinator.post(f"/assessments/{found}/submit")
    return found


@pytest.mark.parametrize("role", ["koordinator", "kontributor", "peninjau", "admin"])
def test_every_member_reads_the_history_newest_first(client_as, a2022, role):
    response = client_as(role).get(f"/assessments/{a2022}/history")
    assert response.status_code == 200 and "<html" in response.text
    assert "Riwayat perubahan penilaian 2022" in soup(response.text).select_one("h1").text
    assert lines(response.text)[:4] == [
        "Penilaian dikirim : Draf → Terkirim",
        "Penjelasan : – → Perwal 2020",
        "Petugas : – → Demo Kontributor",
        "Tingkat : 4 → 5",
    ]
    first = soup(response.text).select_one("li.history-entry .meta").get_text(" ", strip=True)
    assert "Demo Koordinator" in first


def test_role_changes_of_the_instansi_show_on_the_whole_history_not_per_indicator(client_as, a2022):
    koordinator = client_as("koordinator")
    whole = soup(koordinator.get(f"/assessments/{a2022}/history").text)
    seeded = [li for li in whole.select("li.history-entry") if li["data-action"] == "member.role"]
    assert len(seeded) == 4  # the demo accounts, given their roles by the seed (the command line)
    assert "Sistem (baris perintah)" in seeded[0].text and "Anggota: demo-" in seeded[0].text
    per_indicator = koordinator.get(f"/assessments/{a2022}/history?indicator=I47").text
    assert lines(per_indicator) == ["Petugas : – → Demo Kontributor", "Tingkat : 4 → 5"]


def test_non_members_get_not_found_and_visitors_the_login(web_app, anonymous, a2022):
    with outsider(web_app) as client:
        assert client.get(f"/assessments/{a2022}/history").status_code == 404
        assert client.get(f"/assessments/{a2022}/history?indicator=I47", headers=HX).status_code == 404
    response = anonymous.get(f"/assessments/{a2022}/history", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_htmx_gets_only_the_list_as_the_questionnaire_card_loads_it(client_as, a2022):
    peninjau = client_as("peninjau")
    card = soup(peninjau.get(f"/assessments/{a2022}?aspect=A8").text).select_one(
        "#ind-I47 details.ind-history"
    )
    assert card["hx-get"] == f"/assessments/{a2022}/history?indicator=I47" and card["hx-trigger"] == "toggle"
    assert card.select_one(".history-entries").get_text(strip=True) == ""  # loaded only when opened
    fragment = peninjau.get(card["hx-get"], headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    root = soup(fragment.text).find(True)
    assert root["class"] == ["history-entries"] and len(root.select("li.history-entry")) == 2


def test_filter_by_person_and_bad_filters(web_app, client_as, a2022):
    koordinator = client_as("koordinator")
    with session_scope(web_app.state.engine) as db:
        me = db.exec(select(User.id).where(User.username == "demo-koordinator")).one()
    page = soup(koordinator.get(f"/assessments/{a2022}/history?person={me}").text)
    assert {li["data-action"] for li in page.select("li.history-entry")} == {
        "answer.value",
        "answer.assignee",
        "answer.explanation",
        "assessment.submit",
    }
    assert page.select_one("select[name=person] option[selected]").text == "Demo Koordinator"
    assert koordinator.get(f"/assessments/{a2022}/history?indicator=I99").status_code == 404
    assert koordinator.get(f"/assessments/{a2022}/history?person=abc").status_code == 422
    assert koordinator.get(f"/assessments/{a2022}/history?before=-1").status_code == 422
    assert koordinator.get(f"/assessments/{a2022}/history?indicator=&person=").status_code == 200


def test_a_long_history_is_paged_with_a_link_to_older_changes(web_app, client_as, a2022):
    with session_scope(web_app.state.engine) as db:
        assessment = db.get(Assessment, a2022)
        for n in range(audit.PAGE + 5):
            audit.record(
                db,
                None,
                "answer.responsible_unit",
                assessment,
                indicator_id="I02",
                old=str(n),
                new=str(n + 1),
            )
    koordinator = client_as("koordinator")
    first = soup(koordinator.get(f"/assessments/{a2022}/history?indicator=I02").text)
    assert len(first.select("li.history-entry")) == audit.PAGE
    older = koordinator.get(first.select_one("a.older")["href"]).text
    assert lines(older) == [f"OPD/unit penanggung jawab : {n} → {n + 1}" for n in (4, 3, 2, 1, 0)]
    assert soup(older).select_one("a.older") is None


def test_decimals_use_a_comma_in_indonesian_and_a_point_in_english(web_app, client_as):
    koordinator = client_as("koordinator")
    with session_scope(web_app.state.engine) as db:
        instansi = db.exec(select(Assessment.instansi_id)).first()
    data = {"instansi_id": str(instansi), "year": "2026", "rubric_id": "pemdi-2026"}
    aid = int(
        koordinator.post("/assessments", data=data, follow_redirects=False)
        .headers["location"]
        .rsplit("/", 1)[1]
    )
    koordinator.post(f"/assessments/{aid}/indicators/I01", data={"value": "1,1667"}, headers=HX)
    koordinator.post(f"/assessments/{aid}/indicators/I01", data={"value": "2.5"}, headers=HX)
    assert lines(koordinator.get(f"/assessments/{aid}/history?indicator=I01").text) == [
        "Tingkat : 1,1667 → 2,5",
        "Tingkat : – → 1,1667",
    ]
    koordinator.get("/lang/en")
    assert (
        lines(koordinator.get(f"/assessments/{aid}/history?indicator=I01").text)[0] == "Level : 1.1667 → 2.5"
    )


def test_a_reopen_shows_its_reason(client_as, a2022):
    koordinator = client_as("koordinator")
    koordinator.post(f"/assessments/{a2022}/reopen", data={"reason": "Koreksi atas masukan inspektorat"})
    newest = soup(koordinator.get(f"/assessments/{a2022}/history").text).select_one("li.history-entry")
    assert (
        newest.select_one(".change").get_text(" ", strip=True) == "Penilaian dibuka kembali : Terkirim → Draf"
    )
    assert newest.select_one(".note-text").text == "Alasan: Koreksi atas masukan inspektorat"
