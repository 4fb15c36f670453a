"""The start page and the assessment lifecycle: create a year, start from last year, confirm, submit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlmodel import Session, select

from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, Evidence, EvidenceKind, StoredFile

HX = {"HX-Request": "true"}


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def by_year(db: Session, year: int) -> Assessment | None:
    return db.exec(select(Assessment).where(Assessment.year == year)).first()


def instansi_id(app: FastAPI) -> int:
    with session_scope(app.state.engine) as db:
        return by_year(db, 2022).instansi_id


def create(client, app: FastAPI, year: str, start: str = "blank", **extra: str):
    data = {"instansi_id": str(instansi_id(app)), "year": year, "start": start, **extra}
    return client.post("/assessments", data=data, follow_redirects=False)


@pytest.fixture
def koordinator(client_as):
    return client_as("koordinator")


@pytest.fixture
def evidence_2022(web_app: FastAPI) -> None:
    """One uploaded file and one link as evidence of I47 in 2022."""
    with session_scope(web_app.state.engine) as db:
        stored = StoredFile(sha256="ab" * 32, size=10, content_type="application/pdf", storage_name="ab" * 32)
        db.add(stored)
        db.flush()
        a = by_year(db, 2022)
        db.add(
            Evidence(
                assessment_id=a.id,
                indicator_id="I47",
                kind=EvidenceKind.FILE.value,
                title="SK Layanan",
                file_id=stored.id,
                original_filename="sk.pdf",
                levels="4",
            )
        )
        db.add(
            Evidence(
                assessment_id=a.id,
                indicator_id="I47",
                kind=EvidenceKind.URL.value,
                title="Aplikasi",
                url="https://layanan.example.go.id",
                note="user demo / demo",
            )
        )


def test_the_start_page_lists_the_instansi_and_its_assessments_with_index_or_range(web_app, koordinator):
    create(koordinator, web_app, "2023")  # nothing answered yet: only the range
    response = koordinator.get("/")
    assert response.status_code == 200 and "<html" in response.text
    page = soup(response.text)
    assert page.select_one("#home h1").text == "Kota Pasuruan"
    rows = {r["data-year"]: r for r in page.select("tr[data-year]")}
    assert rows["2022"].select_one(".answered").text == "47/47"
    assert " ".join(rows["2022"].select_one(".index").text.split()) == "2,66 Baik"
    assert " ".join(rows["2021"].select_one(".index").text.split()) == "1,83 Cukup"
    assert rows["2023"].select_one(".answered").text == "0/47"
    assert rows["2023"].select_one(".index").text.strip() == "1,00–5,00"
    links = [a["href"] for a in rows["2022"].select("a")]
    assert any(h.endswith("/dashboard") for h in links)


def test_the_start_page_as_an_htmx_fragment_is_only_the_home_block(koordinator):
    response = koordinator.get("/", headers=HX)
    assert "<html" not in response.text
    assert soup(response.text).select_one("#home") is not None


def test_only_the_koordinator_sees_the_create_form(client_as):
    assert soup(client_as("koordinator").get("/").text).select_one("form.create-assessment") is not None
    for role in ("admin", "kontributor", "peninjau"):
        assert soup(client_as(role).get("/").text).select_one("form.create-assessment") is None


def test_the_start_page_needs_a_login(anonymous):
    response = anonymous.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_the_koordinator_creates_an_empty_assessment_for_a_year(web_app, koordinator):
    response = create(koordinator, web_app, "2023")
    assert response.status_code == 303
    with session_scope(web_app.state.engine) as db:
        a = by_year(db, 2023)
        assert (a.status, a.rubric_id, a.rubric_version) == ("draft", "spbe-2021", "1.0.1")
        assert response.headers["location"] == f"/assessments/{a.id}"
        assert db.exec(select(Answer).where(Answer.assessment_id == a.id)).first() is None


def test_an_htmx_create_redirects_with_hx_redirect(web_app, koordinator):
    data = {"instansi_id": str(instansi_id(web_app)), "year": "2023"}
    response = koordinator.post("/assessments", data=data, headers=HX)
    assert response.headers["HX-Redirect"].startswith("/assessments/")


def test_a_second_assessment_for_the_same_year_is_refused_with_a_clear_message(web_app, koordinator):
    response = create(koordinator, web_app, "2022")
    assert response.status_code == 409
    assert (
        "Penilaian tahun 2022 sudah ada"
        in soup(response.text).select_one("form.create-assessment .error").text
    )
    with session_scope(web_app.state.engine) as db:
        assert len(db.exec(select(Assessment)).all()) == 2


@pytest.mark.parametrize("year", ["1800", "abc", "", "2022.5", "99999", "-2023", "²⁰²³", "9" * 5000])
def test_a_bad_year_is_refused_and_nothing_is_created(web_app, koordinator, year):
    response = create(koordinator, web_app, year)
    assert response.status_code == 422
    assert "tidak valid" in soup(response.text).select_one("form.create-assessment .error").text
    with session_scope(web_app.state.engine) as db:
        assert len(db.exec(select(Assessment)).all()) == 2


def test_an_unknown_rubric_is_refused(web_app, koordinator):
    response = create(koordinator, web_app, "2023", rubric_id="../../etc")
    assert response.status_code == 422
    assert "Rubrik" in response.text
    with session_scope(web_app.state.engine) as db:
        assert by_year(db, 2023) is None


def test_starting_from_last_year_copies_answers_and_evidence_marked_carried_over(
    web_app, koordinator, evidence_2022
):
    with session_scope(web_app.state.engine) as db:
        old = db.exec(
            select(Answer).where(Answer.assessment_id == by_year(db, 2022).id, Answer.indicator_id == "I47")
        ).one()
        old.explanation, old.target_value, old.responsible_unit = "Sudah kolaborasi", Decimal(5), "Diskominfo"
    assert create(koordinator, web_app, "2023", start="previous").status_code == 303
    with session_scope(web_app.state.engine) as db:
        new = by_year(db, 2023)
        answers = {a.indicator_id: a for a in db.exec(select(Answer).where(Answer.assessment_id == new.id))}
        assert len(answers) == 47 and all(a.carried_over for a in answers.values())
        i47 = answers["I47"]
        assert (i47.value, i47.explanation, i47.target_value, i47.responsible_unit) == (
            Decimal(4),
            "Sudah kolaborasi",
            Decimal(5),
            "Diskominfo",
        )
        evidence = db.exec(select(Evidence).where(Evidence.assessment_id == new.id)).all()
        assert sorted(e.title for e in evidence) == ["Aplikasi", "SK Layanan"]
        assert all(e.carried_over for e in evidence)
        copied_file = next(e for e in evidence if e.kind == "file")
        original = db.exec(
            select(Evidence).where(Evidence.title == "SK Layanan", Evidence.assessment_id != new.id)
        ).one()
        assert copied_file.file_id == original.file_id and copied_file.id != original.id
        assert len(db.exec(select(StoredFile)).all()) == 1
        assert (
            db.exec(select(Evidence).where(Evidence.assessment_id != new.id)).all()[0].carried_over is False
        )


def test_starting_from_last_year_without_an_earlier_assessment_is_refused(web_app, koordinator):
    response = create(koordinator, web_app, "2020", start="previous")
    assert response.status_code == 422
    assert "Tidak ada penilaian sebelum tahun 2020" in response.text
    with session_scope(web_app.state.engine) as db:
        assert by_year(db, 2020) is None


def test_the_questionnaire_marks_carried_over_indicators_and_confirm_clears_the_mark(
    web_app, koordinator, evidence_2022
):
    location = create(koordinator, web_app, "2023", start="previous").headers["location"]
    card = soup(koordinator.get(f"{location}?aspect=A8").text).select_one("#ind-I47")
    assert "carried" in card["class"]
    confirm = card.select_one("[hx-post$='/confirm']")
    response = koordinator.post(confirm["hx-post"], headers=HX)
    assert response.status_code == 200 and "<html" not in response.text
    card = soup(response.text).select_one("#ind-I47")
    assert "carried" not in card["class"] and card.select_one("[hx-post$='/confirm']") is None
    with session_scope(web_app.state.engine) as db:
        new = by_year(db, 2023)
        assert (
            db.exec(select(Answer).where(Answer.assessment_id == new.id, Answer.indicator_id == "I47"))
            .one()
            .carried_over
            is False
        )
        assert not any(
            e.carried_over for e in db.exec(select(Evidence).where(Evidence.assessment_id == new.id))
        )
        assert (
            db.exec(select(Answer).where(Answer.assessment_id == new.id, Answer.indicator_id == "I46"))
            .one()
            .carried_over
            is True
        )


def test_an_incomplete_assessment_cannot_be_submitted(web_app, koordinator):
    create(koordinator, web_app, "2023")
    with session_scope(web_app.state.engine) as db:
        a2023 = by_year(db, 2023).id
    response = koordinator.post(f"/assessments/{a2023}/submit")
    assert response.status_code == 409
    assert "0 dari 47" in soup(response.text).select_one(".error").text
    with session_scope(web_app.state.engine) as db:
        assert by_year(db, 2023).status == "draft"


def test_a_submitted_assessment_refuses_every_edit(web_app, koordinator):
    with session_scope(web_app.state.engine) as db:
        a2022 = by_year(db, 2022).id
    assert koordinator.post(f"/assessments/{a2022}/submit", follow_redirects=False).status_code == 303
    assert koordinator.post(f"/assessments/{a2022}/submit", follow_redirects=False).status_code == 303
    response = koordinator.post(f"/assessments/{a2022}/indicators/I47", data={"value": "5"}, headers=HX)
    assert response.status_code == 409
    assert "sudah dikirim" in response.text
    assert koordinator.post(f"/assessments/{a2022}/indicators/I47/confirm", headers=HX).status_code == 409
    page = soup(koordinator.get(f"/assessments/{a2022}?aspect=A8").text)
    assert page.select_one("#ind-I47 fieldset.levels").has_attr("disabled")
    assert page.select_one("#ind-I47 [hx-post$='/indicators/I47']") is None
    with session_scope(web_app.state.engine) as db:
        a = by_year(db, 2022)
        assert a.status == "submitted"
        assert db.exec(
            select(Answer.value).where(Answer.assessment_id == a.id, Answer.indicator_id == "I47")
        ).one() == Decimal(4)
