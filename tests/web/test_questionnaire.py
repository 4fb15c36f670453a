"""The questionnaire page and its autosave: fragments, live scores, optimistic locking, comments."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, Comment
from tests.web.conftest import stored_answer

HX = {"HX-Request": "true"}


def year_id(app: FastAPI, year: int) -> int:
    with session_scope(app.state.engine) as db:
        return db.exec(select(Assessment.id).where(Assessment.year == year)).one()



def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.fixture
def a2022(web_app: FastAPI) -> int:
    return year_id(web_app, 2022)


@pytest.fixture
def koordinator(client_as):
    return client_as("koordinator")


def test_the_questionnaire_is_a_full_page_with_navigation_summary_and_indicators(koordinator, a2022):
    response = koordinator.get(f"/assessments/{a2022}?aspect=A8")
    assert response.status_code == 200
    page = soup(response.text)
    assert "<html" in response.text
    assert page.select_one("#aspect-nav a[aria-current=page]")["data-aspect"] == "A8"
    assert (
        page.select_one("#aspect-nav a[data-aspect=A8] .progress").get_text(" ", strip=True).endswith("6/6")
    )
    assert page.select_one("#summary [data-index]").get_text(strip=True) == "2,66"
    assert "Baik" in page.select_one("#summary").get_text()
    assert [a["id"] for a in page.select("article.indicator")] == [f"ind-I{n}" for n in range(42, 48)]
    assert page.select_one("script[src='/static/autosave.js']") is not None


def test_an_htmx_request_gets_only_the_questionnaire_block(koordinator, a2022):
    response = koordinator.get(f"/assessments/{a2022}?aspect=A3", headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    fragment = soup(response.text)
    assert fragment.select_one("#questionnaire") is not None
    assert fragment.select_one("header.topbar") is None
    assert {a["id"] for a in fragment.select("article.indicator")} == {
        "ind-I15",
        "ind-I16",
        "ind-I17",
        "ind-I18",
    }


def test_a_history_restore_request_gets_the_whole_page(koordinator, a2022):
    headers = {**HX, "HX-History-Restore-Request": "true"}
    assert "<html" in koordinator.get(f"/assessments/{a2022}?aspect=A3", headers=headers).text


def test_each_indicator_shows_every_level_with_its_name_the_chosen_level_and_the_fields(koordinator, a2022):
    card = soup(koordinator.get(f"/assessments/{a2022}?aspect=A8").text).select_one("#ind-I47")
    options = card.select("input[name=value]")
    assert [o["value"] for o in options] == ["1", "2", "3", "4", "5", ""]
    assert card.select_one("input[name=value][checked]")["value"] == "4"
    assert "Kolaborasi" in card.select(".level-option")[3].get_text()
    for name in ("explanation", "target_value", "responsible_unit", "assignee_id"):
        assert card.select_one(f"[name={name}]")["hx-post"] == f"/assessments/{a2022}/indicators/I47"
    assert "keyup changed delay:800ms" in card.select_one("textarea[name=explanation]")["hx-trigger"]
    assert card.select_one("input[name=version]")["value"] == "1"
    evidence = card.select_one(".evidence-panel")  # rendered in place: nothing for the browser to fetch
    assert "load" not in evidence["hx-trigger"]  # fetched again only after a conflict (evidence-stale)
    assert evidence["hx-trigger"] == "evidence-stale from:closest article"
    panel = evidence.select_one("section#evidence-I47")
    assert "Bukti yang diharapkan rubrik untuk tingkat 4" in panel.get_text(" ", strip=True)
    # The upload forms come when "Unggah berkas" / "Tambah tautan" is opened, not with every card.
    assert panel.select("form[enctype='multipart/form-data']") == []
    opened = {d.summary.get_text(strip=True): d for d in panel.select("details.evidence-add")}
    assert set(opened) == {"Unggah berkas", "Tambah tautan"}
    base = f"/assessments/{a2022}/indicators/I47/evidence"
    file_form = opened["Unggah berkas"]
    assert (file_form["hx-get"], file_form["hx-trigger"]) == (base + "/form/file", "toggle once")
    assert file_form.select_one("a.evidence-form")["href"] == base  # without scripts: the panel's own page
    upload = soup(koordinator.get(base + "/form/file", headers=HX).text).select_one("form")
    assert upload["hx-post"] == base + "/file" and upload["enctype"] == "multipart/form-data"
    assert upload.select_one("input")["name"] == "csrf_token"
    assert upload.select_one("input[name=levels][checked]")["value"] == "4"  # the chosen level, ticked
    link = soup(koordinator.get(base + "/form/url", headers=HX).text).select_one("form")
    assert link["hx-post"] == base + "/url" and link.select_one("input[type=url]") is not None
    assert koordinator.get(base + "/form/other", headers=HX).status_code == 404


def test_the_page_links_to_the_dashboard(koordinator, a2022):
    page = soup(koordinator.get(f"/assessments/{a2022}").text)
    assert page.select_one(f"a[href='/assessments/{a2022}/dashboard']") is not None


def test_autosave_stores_the_level_and_returns_the_new_index_out_of_band(web_app, koordinator, a2022):
    # 2022: index 2.6625 -> 2,66. I47 weighs 3 of 100, so 4 -> 5 adds 0.03: 2.6925 -> 2,69.
    response = koordinator.post(
        f"/assessments/{a2022}/indicators/I47", data={"value": "5", "version": "1"}, headers=HX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    fragment = soup(response.text)
    assert fragment.select_one("#state-I47").get_text(strip=True).startswith("Tersimpan ")
    assert fragment.select_one("#summary")["hx-swap-oob"] == "true"
    assert fragment.select_one("#summary [data-index]").get_text(strip=True) == "2,69"
    assert fragment.select_one("#summary [data-domain=D4] dd").get_text(strip=True) == "3,50"
    progress = fragment.select_one("#progress-A8")  # only the saved indicator's aspect: no other progress changed
    assert progress["hx-swap-oob"] == "true" and fragment.select("[id^=progress-], [id^=nav-]") == [progress]
    assert progress.get_text(strip=True) == "6/6"
    assert fragment.select("[aria-current]") == []  # the user may be on another aspect when the answer arrives
    version = fragment.select_one("#version-I47")
    assert version["hx-swap-oob"] == "true" and version["value"] == "2"
    assert "HX-Trigger" not in response.headers  # nothing for the page to fetch again: the panel came along
    panel = fragment.select_one("[hx-swap-oob='innerHTML:#panel-I47'] > section#evidence-I47")
    assert "tingkat 5" in panel.select_one(".evidence-checklist h5").get_text()
    answer = stored_answer(web_app, a2022, "I47")
    assert answer.value == Decimal(5) and answer.version == 2


def test_autosave_stores_explanation_target_and_unit_without_touching_the_level(web_app, koordinator, a2022):
    data = {
        "explanation": "Aplikasi perizinan\r\nterintegrasi",
        "target_value": "5",
        "responsible_unit": "  Dinas  Kominfo ",
        "version": "1",
    }
    response = koordinator.post(f"/assessments/{a2022}/indicators/I47", data=data, headers=HX)
    assert response.status_code == 200
    assert "HX-Trigger" not in response.headers
    answer = stored_answer(web_app, a2022, "I47")
    assert (answer.value, answer.explanation, answer.target_value, answer.responsible_unit) == (
        Decimal(4),
        "Aplikasi perizinan\nterintegrasi",
        Decimal(5),
        "Dinas Kominfo",
    )


def test_the_first_save_of_a_never_answered_indicator_creates_its_answer(web_app, koordinator):
    a2021 = year_id(web_app, 2021)
    with session_scope(web_app.state.engine) as db:  # 2021 as if indicator 47 had never been answered
        db.delete(db.exec(select(Answer).where(Answer.assessment_id == a2021, Answer.indicator_id == "I47")).one())
    assert stored_answer(web_app, a2021, "I47") is None
    response = koordinator.post(
        f"/assessments/{a2021}/indicators/I47", data={"value": "2", "version": "0"}, headers=HX
    )
    assert response.status_code == 200
    assert stored_answer(web_app, a2021, "I47").value == Decimal(2)
    assert soup(response.text).select_one("#summary .predikat") is not None  # now complete: an index


def test_the_same_post_twice_changes_nothing_the_second_time(web_app, koordinator, a2022):
    data = {"value": "5", "explanation": "Sudah", "version": "1"}
    first = koordinator.post(f"/assessments/{a2022}/indicators/I47", data=data, headers=HX)
    again = koordinator.post(f"/assessments/{a2022}/indicators/I47", data=data, headers=HX)
    assert (first.status_code, again.status_code) == (200, 200)
    assert soup(again.text).select_one("#summary [data-index]").get_text(strip=True) == "2,69"
    assert stored_answer(web_app, a2022, "I47").version == 2


def test_a_change_on_top_of_a_newer_save_is_refused_not_overwritten(web_app, koordinator, a2022):
    koordinator.post(f"/assessments/{a2022}/indicators/I47", data={"value": "5", "version": "1"}, headers=HX)
    stale = koordinator.post(
        f"/assessments/{a2022}/indicators/I47", data={"value": "2", "version": "1"}, headers=HX
    )
    assert stale.status_code == 409
    state = soup(stale.text).select_one("#state-I47")
    assert "diubah oleh orang lain" in state.get_text()
    assert state.select_one("[data-reapply]")["hx-vals"] == '{"version": "2"}'  # re-apply on top of it
    answer = stored_answer(web_app, a2022, "I47")
    assert (answer.value, answer.version) == (Decimal(5), 2)


def test_without_a_version_the_latest_post_wins(web_app, koordinator, a2022):
    for level in ("3", "5"):
        assert (
            koordinator.post(f"/assessments/{a2022}/indicators/I45", data={"value": level}).status_code == 200
        )
    assert stored_answer(web_app, a2022, "I45").value == Decimal(5)


def test_a_level_can_be_cleared_and_the_index_becomes_a_range(web_app, koordinator, a2022):
    response = koordinator.post(
        f"/assessments/{a2022}/indicators/I47", data={"value": "", "version": "1"}, headers=HX
    )
    assert stored_answer(web_app, a2022, "I47").value is None
    assert soup(response.text).select_one("#summary [data-index]").get_text(strip=True) == "2,57–2,69"


def test_the_koordinator_assigns_an_indicator_and_the_card_names_the_assignee(web_app, koordinator, a2022):
    page = soup(koordinator.get(f"/assessments/{a2022}?aspect=A8").text)
    option = next(
        o for o in page.select("#ind-I47 select[name=assignee_id] option") if "Kontributor" in o.text
    )
    koordinator.post(
        f"/assessments/{a2022}/indicators/I47", data={"assignee_id": option["value"], "version": "1"}
    )
    assert stored_answer(web_app, a2022, "I47").assignee_id == int(option["value"])
    card = soup(koordinator.get(f"/assessments/{a2022}?aspect=A8").text).select_one("#ind-I47")
    assert "Ditugaskan kepada Demo Kontributor" in card.get_text()


def test_comments_are_listed_and_a_double_submit_adds_one(web_app, client_as, a2022):
    peninjau = client_as("peninjau")
    url = f"/assessments/{a2022}/indicators/I47/comments"
    for _ in range(2):
        response = peninjau.post(url, data={"body": "Mohon lampirkan arsitektur aplikasi."}, headers=HX)
        assert response.status_code == 200
    fragment = soup(response.text)
    assert "<html" not in response.text
    assert [c.select_one(".body").text for c in fragment.select("#comments-I47 .comment")] == [
        "Mohon lampirkan arsitektur aplikasi."
    ]
    with session_scope(web_app.state.engine) as db:
        assert len(db.exec(select(Comment)).all()) == 1


def test_a_comment_without_htmx_redirects_back_to_the_indicator(client_as, a2022):
    response = client_as("koordinator").post(
        f"/assessments/{a2022}/indicators/I47/comments", data={"body": "Cek ulang"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{a2022}?aspect=A8#ind-I47"


def test_an_empty_comment_is_refused_with_a_message(web_app, client_as, a2022):
    response = client_as("peninjau").post(
        f"/assessments/{a2022}/indicators/I47/comments", data={"body": "  "}, headers=HX
    )
    assert response.status_code == 422
    assert "Komentar kosong" in soup(response.text).select_one("#comments-I47 .error").text
    with session_scope(web_app.state.engine) as db:
        assert db.exec(select(Comment)).first() is None


def test_the_page_speaks_english_on_request(koordinator, a2022):
    before = soup(koordinator.get(f"/assessments/{a2022}").text)  # the rubric's card text, cached in Indonesian
    assert before.select_one("#ind-I01 .ind-about summary").text == "Penjelasan indikator"
    koordinator.get("/lang/en")
    page = soup(koordinator.get(f"/assessments/{a2022}").text)
    assert "SPBE self-assessment 2022" in page.select_one("h1").text
    assert page.select_one("#summary [data-index]").text.strip() == "2.66"
    assert page.select_one("#ind-I01 .ind-about summary").text == "About this indicator"


def test_a_decimal_rubric_takes_typed_values_checked_by_the_rubric(web_app, koordinator):
    with session_scope(web_app.state.engine) as db:
        instansi_id = db.exec(select(Assessment.instansi_id)).first()
    data = {"instansi_id": str(instansi_id), "year": "2026", "rubric_id": "pemdi-2026"}
    location = koordinator.post("/assessments", data=data, follow_redirects=False).headers["location"]
    aid = int(location.rsplit("/", 1)[1])
    card = soup(koordinator.get(location).text).select_one("#ind-I01")
    field = card.select_one("input[name=value]")
    assert (field["type"], field["inputmode"]) == ("text", "decimal")  # a number input drops the comma of 1,5
    assert card.select_one("input[type=radio]") is None and len(card.select(".level-option")) == 5
    saved = koordinator.post(f"/assessments/{aid}/indicators/I01", data={"value": "1,1667"}, headers=HX)
    assert saved.status_code == 200
    assert stored_answer(web_app, aid, "I01").value == Decimal("1.1667")
    refused = koordinator.post(f"/assessments/{aid}/indicators/I01", data={"value": "1.23456"}, headers=HX)
    assert refused.status_code == 422 and "angka desimal" in refused.text
    assert stored_answer(web_app, aid, "I01").value == Decimal("1.1667")


def test_autosave_sends_back_the_progress_of_its_aspect(koordinator, a2022):
    cleared = soup(koordinator.post(f"/assessments/{a2022}/indicators/I47", data={"value": ""}, headers=HX).text)
    assert cleared.select_one("#progress-A8").get_text(strip=True) == "5/6"
    assert "done" not in cleared.select_one("#progress-A8")["class"]
    page = soup(koordinator.get(f"/assessments/{a2022}?aspect=A1").text)  # the page agrees, elsewhere too
    assert page.select_one("#nav-A8 .progress").get_text(strip=True) == "5/6"
    assert page.select_one("#nav-A8 a").get("aria-current") is None
