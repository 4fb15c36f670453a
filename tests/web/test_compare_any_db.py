"""Year two on both databases (SQLite and PostgreSQL): import, official levels, targets, LKJIP, comparison."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Kpi, KpiTarget
from tests.web.compare_helpers import HTMX, csv, demo_levels, everything, row_counts, soup, text
from tests.web.evidence_helpers import assessment_id

LKJIP = "/instansi/kota-pasuruan/lkjip"
TARGETS = {
    f"{field}-{scope}": value
    for scope in ("index", "D2", "D4")
    for field, value in (("target", "2,6"), ("end_target", "2,90"), ("end_year", "2026"))
}


@pytest.fixture
def app(web_app_any_db: FastAPI) -> FastAPI:
    return web_app_any_db


def cell(page, table: str, scope: str, col: str) -> str:
    return text(page, f'#table-{table} tr[data-scope="{scope}"] td[data-col="{col}"]')


def test_official_levels_and_targets_give_the_seeds_lkjip_figures(app, client_as_any_db):
    koordinator = client_as_any_db("koordinator")
    official = {k: str(v) for k, v in demo_levels(2022).items()}
    page = soup(koordinator.post(f"/assessments/{assessment_id(app)}/official", data=official, headers=HTMX))
    assert text(page, '#official-index tr[data-group="index"] td[data-col="official"]') == "2,66"
    koordinator.post(f"{LKJIP}/targets?year=2022", data=TARGETS, headers=HTMX)
    again = soup(
        koordinator.post(f"{LKJIP}/targets?year=2022", data={**TARGETS, "target-index": "2,7"}, headers=HTMX)
    )
    assert [cell(again, "capaian", "D2", c) for c in ("realisasi", "capaian", "kategori")] == [
        "2,00 resmi",
        "76,92",
        "Tinggi",
    ]
    assert [cell(again, "capaian", "D4", c) for c in ("realisasi", "capaian", "kategori")] == [
        "3,43 resmi",
        "131,92",
        "Sangat Tinggi",
    ]
    assert (
        cell(again, "kemajuan", "D2", "kemajuan") == "68,97"
        and cell(again, "kemajuan", "D4", "kemajuan") == "118,28"
    )
    assert cell(again, "capaian", "index", "target") == "2,70"
    with session_scope(app.state.engine) as db:
        assert len(db.exec(select(Kpi)).all()) == 3
        assert sorted(t.target for t in db.exec(select(KpiTarget))) == [
            Decimal("2.6"),
            Decimal("2.6"),
            Decimal("2.7"),
        ]
    book = load_workbook(io.BytesIO(koordinator.get(LKJIP.replace("lkjip", "lkjip.xlsx")).content))
    assert [c.value for c in book["Tabel 3.2"][5]] == [
        "Indeks Tata Kelola SPBE",
        2.6,
        2.0,
        76.92,
        "Tinggi",
        "KemenPANRB (nilai akhir)",
    ]


def test_an_import_is_all_or_nothing(app, client_as_any_db):
    koordinator = client_as_any_db("koordinator")
    before = everything(app)
    bad = b"indikator,level\nI01,3\nI99,2\nI02,7\nI01,4\n"
    refused = koordinator.post(
        f"{LKJIP.replace('lkjip', 'import')}",
        data={"year": "2020"},
        files={"file": ("2020.csv", bad)},
        headers=HTMX,
    )
    message = text(soup(refused, 422), ".error.banner")
    assert all(f"baris {n}" in message for n in (3, 4, 5))
    assert everything(app) == before
    counts = row_counts(app)
    done = koordinator.post(
        f"{LKJIP.replace('lkjip', 'import')}",
        data={"year": "2020", "official": "1"},
        files={"file": ("2020.csv", csv(demo_levels(2021)))},
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = row_counts(app)
    assert (after["assessments"], after["answers"]) == (counts["assessments"] + 1, counts["answers"] + 47)


def test_the_comparison_and_the_calibration(app, client_as_any_db):
    peninjau = client_as_any_db("peninjau")
    base = f"/assessments/{assessment_id(app)}"
    dropped = soup(peninjau.get(f"{base}/compare?show=dropped", headers=HTMX))
    assert {tr["data-indicator"] for tr in dropped.select("tr[data-indicator]")} == {
        "I11",
        "I14",
        "I23",
        "I36",
        "I40",
        "I43",
    }
    koordinator = client_as_any_db("koordinator")
    koordinator.post(
        f"/assessments/{assessment_id(app, 2021)}/official", data={"I35": "3", "I36": "3"}, headers=HTMX
    )
    page = soup(peninjau.get(f"{base}/calibration"))
    assert {
        tr["data-indicator"] for tr in page.select("tr[data-indicator]") if tr.select_one("[data-flag]")
    } == {"I35"}
