"""Official results, typed or imported, beside the self-assessed levels; the official index; bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Answer
from spbe.web.instansi_access import MAX_LEVELS_FILE
from tests.evidence_files import xlsx
from tests.web.compare_helpers import HTMX, csv, demo_levels, everything, soup, text
from tests.web.evidence_helpers import assessment_id


def url(app, year: int = 2022) -> str:
    return f"/assessments/{assessment_id(app, year)}/official"


def answers(app, year: int = 2022) -> dict[str, tuple[Decimal | None, Decimal | None, int]]:
    """Indicator -> (self-assessed value, official value, version)."""
    with session_scope(app.state.engine) as db:
        rows = db.exec(select(Answer).where(Answer.assessment_id == assessment_id(app, year)))
        return {a.indicator_id: (a.value, a.official_value, a.version) for a in rows}


def official(app, year: int = 2022) -> dict[str, Decimal]:
    return {k: v[1] for k, v in answers(app, year).items() if v[1] is not None}


def cell(page, group: str, col: str) -> str:
    return text(page, f'#official-index tr[data-group="{group}"] td[data-col="{col}"]')


def test_typed_levels_are_kept_beside_the_self_assessed_ones(web_app, client_as):
    before = answers(web_app)
    page = soup(
        client_as("koordinator").post(url(web_app), data={"I01": "2", "I02": "3", "I10": ""}, headers=HTMX)
    )
    assert page.find("html") is None and page.select_one("#official")
    assert page.select_one("[data-saved]")["data-saved"] == "2"
    after = answers(web_app)
    assert official(web_app) == {"I01": 2, "I02": 3}
    assert {k: (v[0], v[2]) for k, v in after.items()} == {k: (v[0], v[2]) for k, v in before.items()}
    row = page.select_one('tr[data-indicator="I01"]')
    assert [td.get_text(" ", strip=True) for td in row.select("td[data-col=self], td[data-col=delta]")] == [
        "3",
        "−1",
    ]


def test_the_official_index_is_computed_from_the_official_levels(web_app, client_as):
    client = client_as("koordinator")
    levels = {k: str(v) for k, v in demo_levels(2022).items()}
    page = soup(client.post(url(web_app), data={**levels, "I26": "3"}, headers=HTMX))  # the asesor raised I26
    assert cell(page, "index", "self") == "2,66" and cell(page, "D2", "official") == "2,00"
    assert cell(page, "A4", "official") == "3,50" and cell(page, "A4", "delta") == "±0,00"
    assert (
        cell(page, "D3", "self") == "1,27" and cell(page, "D3", "official") == "1,45"
    )  # (21 + 2 × 1,5) / 16,5: I26 weighs 1,5
    assert cell(page, "index", "official") == "2,69" and cell(page, "index", "delta") == "+0,03"
    partial = soup(client.post(url(web_app), data={"I26": ""}, headers=HTMX))
    assert cell(partial, "index", "official") == "belum lengkap (46/47)"


def test_a_non_htmx_save_redirects_to_the_page(web_app, client_as):
    response = client_as("koordinator").post(url(web_app), data={"I05": "4"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == url(web_app)
    assert official(web_app) == {"I05": 4}


def test_one_bad_level_saves_none_and_every_bad_one_is_marked(web_app, client_as):
    client = client_as("koordinator")
    client.post(url(web_app), data={"I09": "2"}, headers=HTMX)
    before = everything(web_app)
    response = client.post(
        url(web_app), data={"I01": "7", "I02": "2,5", "I03": "x", "I04": "3", "I09": ""}, headers=HTMX
    )
    page = soup(response, 422)
    assert "3 nilai akhir tidak valid; tidak ada yang disimpan." in text(page, ".error.banner")
    assert {tr["data-indicator"] for tr in page.select("tr.invalid")} == {"I01", "I02", "I03"}
    assert "di luar rentang 1–5" in text(page, 'tr[data-indicator="I01"] .error')
    assert "harus bilangan bulat" in text(page, 'tr[data-indicator="I02"] .error')
    assert page.select_one("#off-I04 option[selected]")["value"] == "3"  # what was typed stays on the form
    assert everything(web_app) == before


def test_a_file_sets_the_levels_it_lists(web_app, client_as):
    client = client_as("koordinator")
    client.post(url(web_app), data={"I47": "5"}, headers=HTMX)
    files = {"file": ("hasil.csv", csv({"I01": 2, "I02": 3}), "text/csv")}
    page = soup(client.post(url(web_app) + "/import", files=files, headers=HTMX))
    assert page.select_one("[data-saved]")["data-saved"] == "2"
    assert official(web_app) == {"I01": 2, "I02": 3, "I47": 5}
    book = xlsx([["indikator", "level"], *[[k, int(v)] for k, v in demo_levels(2022).items()]])
    response = client.post(
        url(web_app) + "/import", files={"file": ("hasil.xlsx", book)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert official(web_app) == demo_levels(2022)


@pytest.mark.parametrize(
    ("filename", "content", "names"),
    [
        ("hasil.csv", b"indikator,level\nI01,3\nI99,2\nI02,7\nI01,2\n", ["baris 3", "baris 4", "baris 5"]),
        ("hasil.csv", b"indicator,level\nI01,3\n", ["header harus"]),
        ("hasil.xlsx", b"not a workbook", ["bukan berkas XLSX yang valid"]),
        ("hasil.csv", b"", ["berkas kosong"]),
    ],
)
def test_a_bad_file_imports_nothing_and_names_every_bad_row(web_app, client_as, filename, content, names):
    before = everything(web_app)
    response = client_as("koordinator").post(
        url(web_app) + "/import", files={"file": (filename, content)}, headers=HTMX
    )
    message = text(soup(response, 422), ".error.banner")
    assert message.startswith("Berkas tidak diimpor, tidak ada yang disimpan:")
    assert all(name in message for name in names)
    assert everything(web_app) == before


def test_a_missing_or_too_large_file_is_refused(web_app, client_as):
    client = client_as("koordinator")
    before = everything(web_app)
    assert "Pilih berkas" in soup(client.post(url(web_app) + "/import", data={"x": "1"}), 422).text
    over = b"indikator,level\n" + b"I01,3\n" * (MAX_LEVELS_FILE // 6)  # just over the file limit
    response = client.post(url(web_app) + "/import", files={"file": ("b.csv", over)})
    assert "terlalu besar (paling banyak 1024 KB)" in soup(response, 422).text
    huge = b"indikator,level\n" + b"I01,3\n" * 400_000  # refused before the body is read
    response = client.post(url(web_app) + "/import", files={"file": ("b.csv", huge)}, headers=HTMX)
    assert "Kiriman terlalu besar" in soup(response, 413).text
    assert everything(web_app) == before


def test_readers_see_the_levels_without_a_form(web_app, client_as):
    page = soup(client_as("peninjau").get(url(web_app)))
    assert page.select("select, input[type=file]") == []
    assert "Hanya koordinator" in text(page, "#official .note")
    full = soup(client_as("koordinator").get(url(web_app)))
    assert full.find("html") and len(full.select("#official select")) == 47
