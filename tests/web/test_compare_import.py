"""Importing a past year through the web: a new assessment from a file, or nothing and every bad row named."""

from __future__ import annotations

import pytest
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment
from tests.evidence_files import xlsx
from tests.web.compare_helpers import HTMX, csv, demo_levels, everything, row_counts, soup, text

PAGE = "/instansi/kota-pasuruan/import"


def imported(app, year: int) -> tuple[Assessment, dict[str, tuple[object, object]]]:
    with session_scope(app.state.engine) as db:
        assessment = db.exec(select(Assessment).where(Assessment.year == year)).one()
        rows = db.exec(select(Answer).where(Answer.assessment_id == assessment.id))
        return Assessment.model_validate(assessment), {
            a.indicator_id: (a.value, a.official_value) for a in rows
        }


def test_a_csv_becomes_a_new_year_and_opens_its_comparison(web_app, client_as):
    before = row_counts(web_app)
    levels = {"I01": 1, "I02": 2, "I11": 3}
    response = client_as("koordinator").post(
        PAGE,
        data={"year": "2020", "rubric_id": "spbe-2021"},
        files={"file": ("2020.csv", csv(levels))},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assessment, answers = imported(web_app, 2020)
    assert response.headers["location"] == f"/assessments/{assessment.id}/compare"
    assert answers == {k: (v, None) for k, v in levels.items()}
    assert assessment.rubric_id == "spbe-2021" and assessment.status == "draft"
    after = row_counts(web_app)
    assert (after["assessments"], after["answers"]) == (before["assessments"] + 1, before["answers"] + 3)


def test_an_xlsx_as_official_values_too_by_htmx(web_app, client_as):
    book = xlsx([["Indikator", "Level"], *[[k, int(v)] for k, v in demo_levels(2021).items()]])
    response = client_as("koordinator").post(
        PAGE, data={"year": "2019", "official": "1"}, files={"file": ("2019.xlsx", book)}, headers=HTMX
    )
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/compare")
    _, answers = imported(web_app, 2019)
    assert answers == {k: (v, v) for k, v in demo_levels(2021).items()}


@pytest.mark.parametrize(
    ("filename", "content", "names"),
    [
        (
            "a.csv",
            b"indikator,level\nI01,3\nI99,2\nI02,7\nI03,1.5\nI04,x\nI01,2\n",
            [
                "baris 3: indikator 'I99' tidak dikenal",
                "baris 4: tingkat 7 di luar rentang",
                "baris 5: tingkat 1.5 harus",
                "baris 6: nilai 'x' bukan angka",
                "baris 7: indikator I01 sudah diisi di baris 2",
            ],
        ),
        ("a.csv", b"kode;nilai\nI01;3\n", ["baris 1: header harus 'indikator,level'"]),
        ("a.csv", b"  \n", ["berkas kosong"]),
        ("a.xlsx", b"PK\x03\x04broken", ["bukan berkas XLSX yang valid"]),
        (
            "a.xlsx",
            xlsx([["indikator", "level"], ["I01", 6], ["I02", None], ["I03", 2], ["I03", 3]]),
            ["baris 2: tingkat 6 di luar rentang", "baris 5: indikator I03 sudah diisi di baris 4"],
        ),
    ],
)
def test_a_bad_file_creates_nothing_and_names_every_bad_row(web_app, client_as, filename, content, names):
    before = everything(web_app)
    response = client_as("koordinator").post(
        PAGE, data={"year": "2020"}, files={"file": (filename, content)}, headers=HTMX
    )
    page = soup(response, 422)
    message = text(page, ".error.banner")
    assert message.startswith("Berkas tidak diimpor, tidak ada yang disimpan:")
    assert all(name in message for name in names), message
    assert page.select_one('input[name="year"]')["value"] == "2020"
    assert everything(web_app) == before


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"year": "2022"}, 409, "Penilaian tahun 2022 sudah ada"),
        ({"year": "1999"}, 422, "Tahun “1999” tidak valid"),
        ({"year": "2020", "rubric_id": "../etc"}, 422, "Rubrik “../etc” tidak dikenal"),
    ],
)
def test_a_taken_or_bad_year_or_rubric_creates_nothing(web_app, client_as, data, status, message):
    before = everything(web_app)
    response = client_as("koordinator").post(PAGE, data=data, files={"file": ("a.csv", csv({"I01": 3}))})
    assert message in text(soup(response, status), ".error.banner")
    assert everything(web_app) == before


def test_the_page_lists_the_taken_years_and_renders_as_a_fragment(web_app, client_as):
    client = client_as("koordinator")
    page = soup(client.get(PAGE))
    assert page.find("html") and "Tahun yang sudah ada: 2022, 2021" in text(page, "#import")
    assert page.select_one('input[name="year"]')["value"] == "2020"
    fragment = soup(client.get(PAGE, headers=HTMX))
    assert fragment.find("html") is None and fragment.find_all(recursive=False)[0]["id"] == "import"
    assert soup(client_as("peninjau").get(PAGE)).select("input[type=file]") == []
