"""Bad input to the sandbox is refused with a 4xx and a message in Bahasa Indonesia, and nothing changes."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.web.evidence_helpers import assessment_id
from tests.web.whatif_helpers import HTMX, answers_and_assessments, create_scenario, sandbox_rows, soup


@pytest.fixture
def koordinator(client_as):
    return client_as("koordinator")


@pytest.fixture
def urls(web_app: FastAPI, koordinator) -> dict[str, str]:
    a2022 = assessment_id(web_app, 2022)
    scenario = create_scenario(koordinator, a2022)
    create_scenario(koordinator, a2022, "Sudah ada")
    koordinator.post(f"{scenario}/indicators/I47", data={"value": "5"}, headers=HTMX)
    koordinator.post(f"/assessments/{a2022}/whatif/efforts", data={"I42:5": "3"})
    other = create_scenario(koordinator, assessment_id(web_app, 2021), "Tahun lalu")
    return {"scenario": scenario, "list": f"/assessments/{a2022}/whatif",
            "efforts": f"/assessments/{a2022}/whatif/efforts", "other": other}


PLAN = {"target": "2,7", "scope": "index", "max_step": "", "locked": ""}
CASES = [
    # (where, path, form, status, words of the message)
    ("scenario", "/indicators/I46", {"value": "6"}, 422, "di luar rentang 1–5"),
    ("scenario", "/indicators/I46", {"value": "0"}, 422, "di luar rentang 1–5"),
    ("scenario", "/indicators/I46", {"value": "2,5"}, 422, "harus bilangan bulat"),
    ("scenario", "/indicators/I46", {"value": "tiga"}, 422, "bukan angka"),
    ("scenario", "/indicators/I46", {"value": ""}, 422, "bukan angka"),
    ("scenario", "/indicators/I46", {}, 422, "bukan angka"),
    ("scenario", "/indicators/I99", {"value": "3"}, 404, "Indikator “I99” tidak dikenal"),
    ("scenario", "/plan", {**PLAN, "target": "5,5"}, 422, "Target “5,5” tidak valid"),
    ("scenario", "/plan", {**PLAN, "target": "0.9"}, 422, "isi angka antara 1 dan 5"),
    ("scenario", "/plan", {**PLAN, "target": "dua"}, 422, "Target “dua” tidak valid"),
    ("scenario", "/plan", {**PLAN, "target": "NaN"}, 422, "Target “NaN” tidak valid"),
    ("scenario", "/plan", {**PLAN, "scope": "D9"}, 422, "Cakupan “D9” tidak dikenal (pilihan: index, D1"),
    ("scenario", "/plan", {**PLAN, "scope": "A0"}, 422, "Cakupan “A0” tidak dikenal"),
    ("scenario", "/plan", {**PLAN, "max_step": "0"}, 422, "Kenaikan maksimum “0” tidak valid"),
    ("scenario", "/plan", {**PLAN, "max_step": "-1"}, 422, "Kenaikan maksimum “-1” tidak valid"),
    ("scenario", "/plan", {**PLAN, "locked": "I45, I99"}, 422, "indikator 'I99' tidak dikenal"),
    ("scenario", "/name", {"name": "   "}, 422, "Nama skenario tidak boleh kosong"),
    ("scenario", "/name", {"name": "sudah ADA"}, 409, "Skenario bernama “sudah ADA” sudah ada"),
    ("scenario", "/name", {"name": "x" * 201}, 422, "Teks terlalu panjang"),
    ("scenario", "/name", {"name": "a\x00b"}, 422, "karakter kendali"),
    ("list", "", {"name": ""}, 422, "Nama skenario tidak boleh kosong"),
    ("list", "", {"name": "Skenario UJI"}, 409, "sudah ada pada penilaian ini"),
    ("efforts", "", {"I42:5": "-1"}, 422, "Upaya I42 ke tingkat 5 (“-1”) harus angka"),
    ("efforts", "", {"I01:2": "2", "I42:5": "banyak"}, 422, "Upaya I42 ke tingkat 5 (“banyak”)"),
    ("efforts", "", {"I42:5": "0,00001"}, 422, "paling banyak 4 desimal"),
    ("efforts", "", {"I42:5": "10000"}, 422, "harus angka 0–9999,9999"),
    ("efforts", "", {"I42:5": "inf"}, 422, "harus angka"),
    ("efforts", "", {"I99:3": "2"}, 422, "Indikator “I99” tidak dikenal dalam rubrik spbe-2021"),
    ("efforts", "", {"I01:1": "2"}, 422, "Tingkat “1” tidak valid: upaya diisi untuk tingkat 2–5"),
    ("efforts", "", {"I01:6": "2"}, 422, "Tingkat “6” tidak valid"),
    ("efforts", "", {"I01": "2"}, 422, "Tingkat “” tidak valid"),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
@pytest.mark.parametrize(("where", "path", "form", "status", "words"), CASES)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    koordinator, web_app, urls, htmx, where, path, form, status, words
):
    before = answers_and_assessments(web_app), sandbox_rows(web_app)
    response = koordinator.post(urls[where] + path, data=form, headers=HTMX if htmx else {})
    assert response.status_code == status
    assert words in soup(response.text).select_one("[role=alert]").get_text()
    assert (answers_and_assessments(web_app), sandbox_rows(web_app)) == before


def test_an_htmx_refusal_replaces_the_scenario_block_wherever_the_request_aimed(koordinator, urls):
    response = koordinator.post(urls["scenario"] + "/indicators/I46", data={"value": "9"}, headers=HTMX)
    assert response.headers["HX-Retarget"] == "#scenario"
    assert response.text.lstrip().startswith('<div id="scenario"')


def test_a_refused_plan_keeps_what_was_typed(koordinator, urls):
    form = {**PLAN, "target": "7", "locked": "I45"}
    page = soup(koordinator.post(urls["scenario"] + "/plan", data=form, headers=HTMX).text)
    assert page.select_one("#plan [role=alert]") is not None
    assert page.select_one("input[name=target]")["value"] == "7"
    assert page.select_one("input[name=locked]")["value"] == "I45"


def test_refused_efforts_keep_what_was_typed(koordinator, urls):
    page = soup(koordinator.post(urls["efforts"], data={"I01:2": "4", "I42:5": "-1"}).text)
    assert page.select_one("input[name='I01:2']")["value"] == "4"
    assert page.select_one("input[name='I42:5']")["value"] == "-1"


@pytest.mark.parametrize(("method", "suffix", "status"), [
    ("get", "/999", 404), ("get", "/abc", 404), ("post", "/999/indicators/I01", 404), ("post", "/999/plan", 404),
    ("get", "/0", 422), ("get", "/99999999999", 422),
])
def test_unknown_scenarios_are_refused(koordinator, web_app, urls, method, suffix, status):
    before = sandbox_rows(web_app)
    assert getattr(koordinator, method)(urls["list"] + suffix).status_code == status
    assert sandbox_rows(web_app) == before


def test_a_scenario_of_another_assessment_is_not_found_through_this_one(koordinator, web_app, urls):
    before = sandbox_rows(web_app)
    foreign = f"{urls['list']}/{urls['other'].rsplit('/', 1)[1]}"
    response = koordinator.get(foreign)
    assert response.status_code == 404 and "Skenario tidak ditemukan pada penilaian ini" in response.text
    assert koordinator.post(f"{foreign}/indicators/I01", data={"value": "3"}).status_code == 404
    assert koordinator.post(f"{foreign}/delete").status_code == 404
    assert sandbox_rows(web_app) == before
