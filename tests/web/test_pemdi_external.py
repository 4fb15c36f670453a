"""Indicators valued from another agency's index: the source index typed in, converted, pending counted as 1,00."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.web.conftest import stored_answer
from tests.web.pemdi_helpers import HTMX, create_pemdi, fill, golden_values, post, soup, text


@pytest.fixture
def koordinator(client_as):
    return client_as("koordinator")


@pytest.fixture
def pemdi(web_app, koordinator) -> int:
    return create_pemdi(koordinator, web_app)


def test_an_sdi_index_of_68_75_gives_3_75_shown_with_the_rule_and_its_confidence(web_app, koordinator, pemdi):
    saved = post(koordinator, pemdi, "I05", source_value="68,75", version="0")
    # The evidence panel comes back in this response; only the butir panel listens for the new level.
    assert saved.status_code == 200 and saved.headers.get("HX-Trigger") == "level-changed"
    fragment = soup(saved)
    assert fragment.select_one("[hx-swap-oob='innerHTML:#panel-I05'] > section#evidence-I05")  # its new level
    assert fragment.select_one("#converted-I05")["hx-swap-oob"] == "true"
    assert text(fragment, "#converted-I05 [data-converted]") == "3,75"
    answer = stored_answer(web_app, pemdi, "I05")
    assert (answer.source_value, answer.value) == (Decimal("68.75"), Decimal("3.75"))

    card = soup(koordinator.get(f"/assessments/{pemdi}?aspect=A3")).select_one("#ind-I05")
    assert card.select_one("input[name=value]") is None
    field = card.select_one("input[name=source_value]")
    assert (field["value"], field["inputmode"]) == ("68,75", "decimal")
    words = " ".join(card.get_text(" ", strip=True).split())
    assert "tidak dinilai mandiri" in words and "Indeks Satu Data Indonesia (SDI) (0–100)" in words
    assert "Nilai indikator hasil konversi: 3,75" in words
    assert "SDI 68,75 → 3,75" in words and "Tingkat keyakinan aturan: sumber sekunder" in words
    assert [td.get_text() for td in card.select(".points tbody tr:nth-of-type(5) td")] == ["75", "4,00"]
    panel = soup(koordinator.get(f"/assessments/{pemdi}/indicators/I05/evidence", headers=HTMX))
    assert "belum ada data dukung untuk tingkat" not in panel.get_text()  # valued from the index, not evidence


def test_a_point_is_read_like_a_comma_and_the_geospatial_index_is_taken_as_it_is(web_app, koordinator, pemdi):
    assert post(koordinator, pemdi, "I05", source_value="25").status_code == 200
    assert post(koordinator, pemdi, "I06", source_value="3.5").status_code == 200
    assert stored_answer(web_app, pemdi, "I05").value == Decimal(2)
    assert (stored_answer(web_app, pemdi, "I06").source_value, stored_answer(web_app, pemdi, "I06").value) == (
        Decimal("3.5"), Decimal("3.5"))
    card = soup(koordinator.get(f"/assessments/{pemdi}?aspect=A3")).select_one("#ind-I06")
    assert card.select_one("input[name=source_value]")["value"] == "3,5"
    assert "disimpulkan toolkit" in card.get_text()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("101", "indeks 101 untuk I05 di luar rentang 0–100"),
        ("-1", "di luar rentang 0–100"),
        ("abc", "nilai 'abc' bukan angka"),
        ("68,123456", "terlalu banyak angka desimal"),
        ("NaN", "bukan angka"),
    ],
)
def test_a_bad_source_index_is_refused_in_indonesian_and_nothing_is_written(
    web_app, koordinator, pemdi, raw, message
):
    assert post(koordinator, pemdi, "I05", source_value="50").status_code == 200
    refused = post(koordinator, pemdi, "I05", source_value=raw)
    assert refused.status_code == 422
    shown = soup(refused, 422).get_text()
    assert "Indeks sumber:" in shown and message in shown
    answer = stored_answer(web_app, pemdi, "I05")
    assert (answer.source_value, answer.value, answer.version) == (Decimal(50), Decimal(3), 1)


def test_a_value_is_never_typed_for_an_external_indicator_nor_a_source_for_a_self_assessed_one(
    web_app, koordinator, pemdi
):
    value = post(koordinator, pemdi, "I18", value="3")
    assert value.status_code == 422 and "isi indeks sumbernya, bukan nilainya" in value.text
    source = post(koordinator, pemdi, "I01", source_value="50")
    assert source.status_code == 422 and "I01 dinilai mandiri" in source.text
    assert stored_answer(web_app, pemdi, "I18") is None and stored_answer(web_app, pemdi, "I01") is None


def test_a_pending_source_counts_as_1_00_and_is_labelled_waiting(web_app, koordinator, pemdi):
    fill(koordinator, pemdi, golden_values())
    page = soup(koordinator.get(f"/assessments/{pemdi}?aspect=A3"))
    assert text(page, "#summary [data-index]") == "1,24"  # complete: the four pending indicators count as 1,00
    assert "4 indikator menunggu indeks sumber (I05, I06, I07, I18), dihitung 1,00" in text(page, "#summary")
    assert text(page, "#converted-I05") == "menunggu indeks sumber — dihitung 1,00 dalam indeks"
    assert text(page, '#aspect-nav a[data-aspect="A3"] .progress') == "4/4"

    raised = soup(post(koordinator, pemdi, "I05", source_value="25"))  # → 2,00: the index gains 5 % × 1
    assert text(raised, "#summary [data-index]") == "1,29"
    assert "3 indikator menunggu" in text(raised, "#summary")
    cleared = post(koordinator, pemdi, "I05", source_value="")
    assert cleared.status_code == 200 and text(soup(cleared), "#summary [data-index]") == "1,24"
    assert (stored_answer(web_app, pemdi, "I05").source_value, stored_answer(web_app, pemdi, "I05").value) == (None, None)
    assert text(soup(koordinator.get(f"/assessments/{pemdi}/dashboard")), "[data-index]") == "1,24"


def test_english_shows_points_and_says_waiting(koordinator, pemdi):
    post(koordinator, pemdi, "I05", source_value="68,75")
    koordinator.get("/lang/en")
    page = soup(koordinator.get(f"/assessments/{pemdi}?aspect=A3"))
    assert page.select_one("#ind-I05 input[name=source_value]")["value"] == "68.75"
    assert text(page, "#converted-I05 [data-converted]") == "3.75"
    assert "waiting for the source index" in text(page, "#converted-I06")


def test_the_api_takes_the_source_index_and_returns_it_beside_the_converted_value(web_app, koordinator, pemdi):
    url = f"/api/assessments/{pemdi}/answers/I05"
    saved = koordinator.put(url, json={"value": None, "source_value": "68.75", "explanation": "Evaluasi SDI 2025"})
    assert saved.status_code == 200, saved.text
    assert (saved.json()["source_value"], saved.json()["value"]) == ("68.75", "3.75")
    refused = koordinator.put(url, json={"value": 3})
    assert refused.status_code == 422 and "isi indeks sumbernya" in refused.text
    assert koordinator.put(f"/api/assessments/{pemdi}/answers/I01", json={"value": None, "source_value": 1}
                           ).status_code == 422
    assert stored_answer(web_app, pemdi, "I05").explanation == "Evaluasi SDI 2025"
