"""Start Pemdi 2026 from SPBE 2022: evidence on the mapped indicators, suggestions to review; the index history."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from spbe.method.bridge import suggest_values
from spbe.method.rubric import get_rubric
from spbe.services import bridge_start
from spbe.store import queries
from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, AuditEvent, Evidence
from tests.evidence_files import pdf
from tests.export_helpers import add_link, assessment_id, attach
from tests.test_charts import texts
from tests.web.pemdi_helpers import HTMX, soup, text

START = "/instansi/kota-pasuruan/bridge"


@pytest.fixture
def koordinator(client_as):
    return client_as("koordinator")


@pytest.fixture
def spbe_evidence(web_app) -> dict[str, int]:
    """SPBE 2022 evidence: one document on I11 and again on I12 (both behind Pemdi I01), one on I03, a link on I01."""
    engine, folder = web_app.state.engine, web_app.state.settings.evidence_dir
    a2022 = assessment_id(engine, 2022)
    document = pdf("Perwali Arsitektur SPBE")
    attach(engine, folder, a2022, "I11", document, "arsitektur.pdf", title="Perwali Arsitektur SPBE")
    attach(engine, folder, a2022, "I12", document, "arsitektur.pdf", title="Perwali Arsitektur SPBE")
    attach(engine, folder, a2022, "I03", pdf("Perwali Satu Data"), "satu-data.pdf", title="Perwali Satu Data")
    add_link(engine, a2022, "I01", "https://jdih.example.id/kebijakan-spbe", title="Kebijakan SPBE")
    with session_scope(engine) as db:
        return {e.indicator_id: e.file_id for e in db.exec(select(Evidence))}


def rows(app, model, assessment: int) -> list:
    """The rows of a model (Answer, Evidence, AuditEvent) of one assessment, detached, in insertion order."""
    with session_scope(app.state.engine) as db:
        found = list(db.exec(select(model).where(model.assessment_id == assessment).order_by(col(model.id))))
        for row in found:
            db.expunge(row)
        return found


def started(client) -> int:
    """Press the bridge button (as a plain post) and return the new draft's id."""
    response = client.post(START, follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_the_start_page_offers_the_bridge_to_the_koordinator_only(client_as):
    offer = soup(client_as("koordinator").get("/")).select_one(".bridge-start button")
    assert offer["hx-post"] == START
    assert offer.get_text(strip=True) == "Mulai dari penilaian SPBE tahun lalu: Pemdi 2026 dari SPBE 2022"
    for role in ("kontributor", "peninjau"):
        page = soup(client_as(role).get("/"))
        assert page.select_one(".bridge-start") is None
        assert page.select_one('a[href="/instansi/kota-pasuruan/history"]') is not None


def test_the_draft_gets_the_suggested_values_marked_for_review_and_the_mapped_evidence(
    web_app, koordinator, spbe_evidence
):
    draft = started(koordinator)
    with session_scope(web_app.state.engine) as db:
        made = db.get(Assessment, draft)
        assert (made.year, made.rubric_id, made.status) == (2026, "pemdi-2026", "draft")
        values = queries.assessment_values(db, db.get(Assessment, assessment_id(web_app.state.engine, 2022)))
    bridge = bridge_start.bridge()
    expected = suggest_values(bridge, get_rubric("spbe-2021"), get_rubric("pemdi-2026"), values)
    answers = {a.indicator_id: a for a in rows(web_app, Answer, draft)}
    assert {k: a.value for k, a in answers.items()} == {k: s.value for k, s in expected.items() if s.value}
    assert all(a.carried_over for a in answers.values()) and "I05" not in answers
    assert answers["I01"].explanation.startswith("Saran dari SPBE 2022 (I11, I12, I13):")

    evidence = rows(web_app, Evidence, draft)
    placed = sorted((e.indicator_id, e.title, e.file_id) for e in evidence)
    assert placed == [
        ("I01", "Perwali Arsitektur SPBE", spbe_evidence["I11"]),  # I11 and I12 share the file: once
        ("I05", "Perwali Satu Data", spbe_evidence["I03"]),  # external, but its main predecessor's evidence helps
    ]
    assert all(e.carried_over and e.levels == "" for e in evidence)
    assert evidence[0].note == "Dari penilaian SPBE 2022, indikator I11."
    download = koordinator.get(f"/evidence/{evidence[0].id}/download")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    trail = soup(koordinator.get(f"/assessments/{draft}/history"))
    assert "Draf dimulai dari penilaian SPBE (pemetaan tidak resmi)" in text(trail, ".history-entries")
    assert "Dari penilaian SPBE 2022" in text(trail, ".history-entries")
    assert [e.new_value for e in rows(web_app, AuditEvent, draft) if e.action == "assessment.bridge"] == [
        f"{bridge.id} {bridge.version}"]


def test_the_questionnaire_asks_for_review_until_confirmed(web_app, koordinator, spbe_evidence):
    draft = started(koordinator)
    page = soup(koordinator.get(f"/assessments/{draft}"))
    card = page.select_one("#ind-I01")
    assert "carried" in card["class"] and "perlu ditinjau" in text(card, ".carried-note")
    assert card.select_one("input[name=value]")["value"] == "1,6667"  # I11, I12, I13 of 2022 weighted
    panel = soup(koordinator.get(f"/assessments/{draft}/indicators/I01/evidence", headers=HTMX))
    assert "dibawa dari tahun lalu" in text(panel, ".evidence-items")

    confirmed = soup(koordinator.post(f"/assessments/{draft}/indicators/I01/confirm", headers=HTMX))
    assert confirmed.select_one(".carried-note") is None
    assert not next(a for a in rows(web_app, Answer, draft) if a.indicator_id == "I01").carried_over
    assert [e.carried_over for e in rows(web_app, Evidence, draft) if e.indicator_id == "I01"] == [False]
    assert next(a for a in rows(web_app, Answer, draft) if a.indicator_id == "I02").carried_over


def test_the_bridge_is_offered_once_and_refused_to_other_roles(web_app, client_as):
    refused = client_as("kontributor").post(START, follow_redirects=False)
    assert refused.status_code == 403
    koordinator = client_as("koordinator")
    started(koordinator)
    assert soup(koordinator.get("/")).select_one(".bridge-start") is None
    refused = koordinator.post(START, headers=HTMX)  # shown in the button's .bridge-refused (data-swap-errors)
    assert refused.status_code == 409 and "<html" not in refused.text and "sudah ada" in refused.text
    again = koordinator.post(START, follow_redirects=False)
    assert again.status_code == 409 and "Penilaian tahun 2026 sudah ada" in again.text
    with session_scope(web_app.state.engine) as db:
        assert len(db.exec(select(Assessment)).all()) == 3


def test_last_years_levels_are_not_copied_across_rubrics(web_app, koordinator):
    data = {"instansi_id": "1", "year": "2026", "rubric_id": "pemdi-2026", "start": "previous"}
    refused = koordinator.post("/assessments", data=data)
    assert refused.status_code == 422 and "memakai rubrik spbe-2021" in soup(refused, 422).get_text()


def test_the_history_shows_the_spbe_index_beside_the_pemdi_index(web_app, koordinator):
    started(koordinator)
    page = soup(koordinator.get("/instansi/kota-pasuruan/history"))
    assert [th.get("data-rubric") for th in page.select("#index-history thead th")][1:3] == ["spbe-2021", "pemdi-2026"]
    assert [tr["data-year"] for tr in page.select("#index-history tbody tr")] == ["2026", "2022", "2021"]
    assert text(page, 'tr[data-year="2022"] td[data-rubric="spbe-2021"]') == "2,66 Baik"
    assert text(page, 'tr[data-year="2022"] td[data-rubric="pemdi-2026"]') == "–"
    assert text(page, 'tr[data-year="2021"] td[data-rubric="spbe-2021"]') == "1,83 Cukup"
    pemdi = page.select_one('tr[data-year="2026"] td[data-rubric="pemdi-2026"]')
    assert pemdi.select_one("[data-provisional]") is not None and pemdi.select_one("[data-incomplete]") is not None
    assert page.select_one('tr[data-year="2022"] [data-provisional]') is None
    assert not soup(koordinator.get("/instansi/kota-pasuruan/history")).select_one("main > [data-provisional]")


def test_the_history_is_for_members_only(client_as, anonymous):
    assert anonymous.get("/instansi/kota-pasuruan/history", follow_redirects=False).status_code == 303
    assert client_as("peninjau").get("/instansi/nowhere/history").status_code == 404


def test_the_history_chart_draws_one_line_per_rubric_and_the_year_pages_link_to_it(web_app, koordinator):
    draft = started(koordinator)
    page = soup(koordinator.get("/instansi/kota-pasuruan/history"))
    assert page.select_one('img[src="/instansi/kota-pasuruan/history/chart.svg"]')["alt"].startswith("Grafik indeks")
    chart = koordinator.get("/instansi/kota-pasuruan/history/chart.svg")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    words = texts(chart.content)
    assert all(w in words for w in ("Indeks SPBE", "Indeks Pemdi (sementara)", "belum lengkap", "2021", "2026"))
    compare = soup(koordinator.get(f"/assessments/{draft}/compare"))
    assert compare.select_one('.yoy-nav a[href="/instansi/kota-pasuruan/history"]') is not None
    assert "Penilaian Mandiri Indeks Pemdi 2026" in text(compare, ".crumbs")
