"""LKJIP figures: the seed's Tabel 3.2–3.5 numbers from the demo, KPI targets, the same numbers as XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.web.compare_helpers import HTMX, demo_levels, everything, set_official, soup, text

PAGE = "/instansi/kota-pasuruan/lkjip"
TARGETS = {
    "target-index": "2,6",
    "end_target-index": "2,90",
    "end_year-index": "2026",
    "target-D2": "2,6",
    "end_target-D2": "2,90",
    "end_year-D2": "2026",
    "target-D4": "2.6",
    "end_target-D4": "2.9",
    "end_year-D4": "2026",
}


def row(page, table: str, scope: str) -> dict[str, str]:
    tr = page.select_one(f'#table-{table} tr[data-scope="{scope}"]')
    return {td["data-col"]: td.get_text(" ", strip=True) for td in tr.select("td[data-col]")}


@pytest.fixture
def golden(web_app, client_as):
    """The demo's 2022 levels as official values; the seed's Renstra targets set by the koordinator."""
    set_official(web_app, 2022, demo_levels(2022))
    client = client_as("koordinator")
    saved = client.post(f"{PAGE}/targets?year=2022", data=TARGETS, headers=HTMX)
    assert saved.status_code == 200 and "Target tersimpan" in saved.text
    return client


def test_tabel_3_2_target_realisasi_capaian_and_kategori(golden):
    page = soup(golden.get(PAGE, params={"year": 2022}))
    assert row(page, "capaian", "D2") == {
        "name": "Indeks Tata Kelola SPBE",
        "target": "2,60",
        "realisasi": "2,00 resmi",
        "capaian": "76,92",
        "kategori": "Tinggi",
        "source": "KemenPANRB (nilai akhir)",
    }
    assert row(page, "capaian", "D4") == {
        "name": "Indeks Layanan SPBE",
        "target": "2,60",
        "realisasi": "3,43 resmi",
        "capaian": "131,92",
        "kategori": "Sangat Tinggi",
        "source": "KemenPANRB (nilai akhir)",
    }
    assert row(page, "capaian", "index")["capaian"] == "102,31"  # 2,66 / 2,6


def test_tabel_3_3_compares_with_every_earlier_year(golden):
    page = soup(golden.get(PAGE, params={"year": 2022}))
    # 2021 from the seed's levels: Tata Kelola 1,40 (its Tabel 3.3 prints 1,4). Its Layanan 2,7 cannot come
    # from its levels: with indicator 47 at level 1 they give 2,37 (2,63 even at level 5); see the README.
    assert row(page, "history", "D2") == {
        "name": "Indeks Tata Kelola SPBE",
        "2021": "1,40 mandiri",
        "target": "2,60",
        "realisasi": "2,00 resmi",
        "capaian": "76,92",
    }
    assert row(page, "history", "D4")["2021"] == "2,37 mandiri"
    assert row(page, "history", "index")["2021"] == "1,83 mandiri"
    headers = [th.get_text(strip=True) for th in page.select("#table-history thead th")]
    assert headers == [
        "No",
        "Indikator Kinerja",
        "Realisasi 2021",
        "Target 2022",
        "Realisasi 2022",
        "Capaian %",
    ]


def test_tabel_3_4_progress_against_the_renstra_end_target(golden):
    page = soup(golden.get(PAGE, params={"year": 2022}))
    # Half-up: 2,00 / 2,90 = 68,9655… -> 68,97 (the seed printed 68,96; see tests/test_performance.py).
    assert row(page, "kemajuan", "D2") == {
        "name": "Indeks Tata Kelola SPBE",
        "realisasi": "2,00 resmi",
        "end_target": "2,90",
        "end_year": "2026",
        "kemajuan": "68,97",
    }
    assert row(page, "kemajuan", "D4")["kemajuan"] == "118,28"
    assert row(page, "kemajuan", "index")["kemajuan"] == "91,72"


def test_tabel_3_5_the_national_standard_and_the_instansi_types_average(golden):
    page = soup(golden.get(PAGE, params={"year": 2022}))
    assert row(page, "standar", "D2") == {
        "name": "Indeks Tata Kelola SPBE",
        "realisasi": "2,00 resmi",
        "national": "1,85",
        "national_capaian": "108,11",
        "peer": "1,98",
        "peer_capaian": "101,01",
    }
    assert (
        row(page, "standar", "index")["national"] == "2,35" and row(page, "standar", "D4")["peer"] == "3,18"
    )
    assert "Rata-rata Kota 2022" in text(page, "#table-standar thead")


def test_the_xlsx_holds_the_same_numbers(golden):
    response = golden.get(PAGE.replace("lkjip", "lkjip.xlsx"), params={"year": 2022})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert 'filename="lkjip-kota-pasuruan-2022.xlsx"' in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tabel 3.2", "Tabel 3.3", "Tabel 3.4", "Tabel 3.5"]
    rows = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    assert rows["Tabel 3.2"][0] == ["Angka LKJIP Kota Pasuruan 2022"] + [None] * 5
    assert rows["Tabel 3.2"][2][:3] == ["Indikator Kinerja", "Target", "Realisasi"]
    assert rows["Tabel 3.2"][4] == [
        "Indeks Tata Kelola SPBE",
        2.6,
        2.0,
        76.92,
        "Tinggi",
        "KemenPANRB (nilai akhir)",
    ]
    assert rows["Tabel 3.2"][5] == [
        "Indeks Layanan SPBE",
        2.6,
        3.43,
        131.92,
        "Sangat Tinggi",
        "KemenPANRB (nilai akhir)",
    ]
    assert rows["Tabel 3.3"][4] == ["Indeks Tata Kelola SPBE", 1.4, 2.6, 2.0, 76.92]
    assert rows["Tabel 3.4"][4] == ["Indeks Tata Kelola SPBE", 2.0, 2.9, "2026", 68.97]
    assert rows["Tabel 3.4"][5][-1] == 118.28
    assert rows["Tabel 3.5"][4] == ["Indeks Tata Kelola SPBE", 2.0, 1.85, 108.11, 1.98, 101.01]
    sheet = book["Tabel 3.3"]
    assert (
        sheet["B5"].comment.text == "Penilaian mandiri"
        and sheet["D5"].comment.text == "KemenPANRB (nilai akhir)"
    )
    assert sheet["B5"].number_format == "0.00"


def test_realisasi_falls_back_to_the_self_assessment_and_says_so(web_app, client_as):
    domain_d2 = {k: v for k, v in demo_levels(2022).items() if k in {f"I{n}" for n in range(11, 22)}}
    set_official(web_app, 2022, domain_d2 | {"I01": 2})
    page = soup(client_as("peninjau").get(PAGE))
    assert row(page, "capaian", "D2")["realisasi"] == "2,00 resmi"
    assert row(page, "capaian", "D4")["realisasi"] == "3,43 mandiri"
    assert row(page, "capaian", "D4")["source"] == "Penilaian mandiri"
    assert row(page, "capaian", "index")["realisasi"] == "2,66 mandiri"  # the official index is incomplete
    assert row(page, "capaian", "D2")["capaian"] == "–"  # no target set yet


def test_another_year_and_a_year_without_an_assessment(golden):
    page = soup(golden.get(PAGE, params={"year": 2021}))
    assert row(page, "capaian", "D2")["realisasi"] == "1,40 mandiri"
    assert page.select("#table-history thead th")[2].get_text(strip=True) == "Target 2021"
    assert "Belum ada data rata-rata nasional" in text(page, "#lkjip")
    later = soup(golden.get(PAGE, params={"year": 2023}))
    assert (
        row(later, "history", "D2")["2021"] == "1,40 mandiri"
        and row(later, "history", "D2")["2022"] == "2,00 resmi"
    )
    assert row(later, "capaian", "D2")["realisasi"] == "–"
    assert row(later, "standar", "D2")["national"] == "1,85"  # the latest table, 2022
    assert golden.get(PAGE, params={"year": 1990}).status_code == 422


def test_htmx_gets_the_report_block_and_the_default_year_is_the_latest(golden):
    page = soup(golden.get(PAGE, headers=HTMX))
    assert page.find("html") is None and [t["id"] for t in page.find_all(recursive=False)] == ["lkjip"]
    assert "Angka LKJIP Kota Pasuruan 2022" in text(page, "h1")


def test_bad_targets_save_nothing_and_are_marked(golden, web_app):
    before = everything(web_app)
    bad = {
        **TARGETS,
        "target-D2": "0",
        "end_target-D4": "dua",
        "end_year-index": "20266",
        "target-D4": "2,655",
    }
    page = soup(golden.post(f"{PAGE}/targets?year=2022", data=bad, headers=HTMX), 422)
    assert "4 isian target tidak valid" in text(page, ".error.banner")
    assert {i["name"] for i in page.select('input[aria-invalid="true"]')} == {
        "target-D2",
        "end_target-D4",
        "end_year-index",
        "target-D4",
    }
    assert page.select_one('input[name="end_target-D4"]')["value"] == "dua"
    assert everything(web_app) == before


def test_an_emptied_target_is_removed(golden):
    emptied = soup(golden.post(f"{PAGE}/targets?year=2022", data={**TARGETS, "target-D2": ""}, headers=HTMX))
    assert (
        row(emptied, "capaian", "D2")["target"] == "–"
        and row(emptied, "kemajuan", "D2")["kemajuan"] == "68,97"
    )
    assert row(emptied, "capaian", "D4")["target"] == "2,60"


def test_only_the_koordinator_sees_the_targets_form(golden, client_as):
    assert soup(golden.get(PAGE)).select('input[name="target-D2"]')[0]["value"] == "2,60"
    assert soup(client_as("kontributor").get(PAGE)).select('input[name="target-D2"]') == []
