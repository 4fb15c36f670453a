"""Where do we stand: the dashboard's first screen (index, predikat, distance to the target, weakest aspects)
and the questionnaire's summary naming the last save."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.web.evidence_helpers import assessment_id

HX = {"HX-Request": "true"}


def test_the_dashboard_says_how_far_from_the_target_and_where_to_start(web_app, client_as):
    client = client_as("peninjau")
    page = BeautifulSoup(client.get(f"/assessments/{assessment_id(web_app)}/dashboard").text, "html.parser")
    assert page.select_one("[data-index]").text == "2,66"
    assert page.select_one("[data-gap]").text == "tercapai, lebih 0,06"  # 2,66 against Baik's 2,60
    # Kota Pasuruan 2022: Audit TIK 1,00, Penerapan Manajemen SPBE 1,38, Perencanaan Strategis 1,50
    assert [li["data-aspect"] for li in page.select(".weakest li")] == ["A6", "A5", "A2"]
    assert page.select_one(".weakest li a")["href"].endswith("?aspect=A6")


def test_an_index_below_the_target_shows_the_gap(web_app, client_as):
    a = assessment_id(web_app)
    koordinator = client_as("koordinator")
    for indicator in ("I40", "I41", "I42", "I43", "I44", "I45"):  # Layanan Administrasi down to level 1
        koordinator.post(f"/assessments/{a}/indicators/{indicator}", data={"value": "1"}, headers=HX)
    page = BeautifulSoup(koordinator.get(f"/assessments/{a}/dashboard").text, "html.parser")
    index = page.select_one("[data-index]").text
    gap = page.select_one("[data-gap]").text
    assert gap.startswith("kurang ")
    assert float(gap.split()[1].replace(",", ".")) == round(2.60 - float(index.replace(",", ".")), 2)


def test_a_save_names_itself_in_the_summary_that_stays_on_screen(web_app, client_as):
    a = assessment_id(web_app)
    saved = client_as("koordinator").post(f"/assessments/{a}/indicators/I03", data={"value": "5"}, headers=HX)
    summary = BeautifulSoup(saved.text, "html.parser").select_one("#summary")
    assert summary["hx-swap-oob"] == "true"
    assert summary.select_one("[data-last-save]").text.startswith("✓ I03 tersimpan ")
