"""Pemdi on both databases (SQLite and PostgreSQL): decimal values, source indices, the bridge, the history."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Evidence
from tests.evidence_files import pdf
from tests.export_helpers import assessment_id, attach
from tests.web.conftest import login, stored_answer
from tests.web.pemdi_helpers import create_pemdi, fill, golden_values, post, soup, text


@pytest.fixture
def koordinator(web_app_any_db: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app_any_db) as client:
        yield login(client, "koordinator")


def test_decimals_and_source_indices_are_stored_exactly_and_pending_counts_as_1(web_app_any_db, koordinator):
    app = web_app_any_db
    pemdi = create_pemdi(koordinator, app)
    fill(koordinator, pemdi, golden_values())
    assert stored_answer(app, pemdi, "I13").value == Decimal("1.1667")
    page = soup(koordinator.get(f"/assessments/{pemdi}/dashboard"))
    assert text(page, "[data-index]") == "1,24" and text(page, '#aspects tr[data-id="A5"] td:nth-of-type(3)') == "1,08"

    assert post(koordinator, pemdi, "I05", source_value="68,75").status_code == 200
    answer = stored_answer(app, pemdi, "I05")
    assert (str(answer.source_value), str(answer.value)) == ("68.75", "3.75")
    refused = post(koordinator, pemdi, "I05", source_value="101")
    assert refused.status_code == 422 and stored_answer(app, pemdi, "I05").source_value == Decimal("68.75")
    summary = soup(post(koordinator, pemdi, "I18", source_value="50"))  # SDI 50 → 3,00: 1,24 + 3 % × 2 + 5 % × 2,75
    assert text(summary, "#summary [data-index]") == "1,44" and "2 indikator menunggu" in text(summary, "#summary")


def test_the_bridge_attaches_evidence_and_suggests_values_to_review(web_app_any_db, koordinator):
    app = web_app_any_db
    a2022 = assessment_id(app.state.engine, 2022)
    attach(app.state.engine, app.state.settings.evidence_dir, a2022, "I19", pdf("SK Tim Koordinasi SPBE"))
    response = koordinator.post("/instansi/kota-pasuruan/bridge", follow_redirects=False)
    draft = int(response.headers["location"].rsplit("/", 1)[1])
    suggested = stored_answer(app, draft, "I04")
    assert (suggested.value, suggested.carried_over) == (Decimal("3.5"), True)
    with session_scope(app.state.engine) as db:
        moved = db.exec(select(Evidence).where(Evidence.assessment_id == draft)).one()
        assert (moved.indicator_id, moved.carried_over) == ("I04", True)
    koordinator.post(f"/assessments/{draft}/indicators/I04/confirm")
    assert not stored_answer(app, draft, "I04").carried_over
    history = soup(koordinator.get("/instansi/kota-pasuruan/history"))
    assert text(history, 'tr[data-year="2022"] td[data-rubric="spbe-2021"]') == "2,66 Baik"
    assert history.select_one('tr[data-year="2026"] td[data-rubric="pemdi-2026"] [data-provisional]') is not None
