"""'Indikator saya' inside the questionnaire: only the member's assigned indicators, kept across aspects,
counted per aspect in the menu, with a clear message when there are none."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.web.evidence_helpers import assessment_id, user_id

HX = {"HX-Request": "true"}


def cards(html: str) -> list[str]:
    return [a["id"].removeprefix("ind-") for a in BeautifulSoup(html, "html.parser").select("article.indicator")]


def menu(html: str) -> dict[str, str]:
    """Aspect id -> the progress text its menu entry shows (the whole menu, or the one line an autosave sends)."""
    page = BeautifulSoup(html, "html.parser")
    return {span["id"].removeprefix("progress-"): " ".join(span.get_text().split())
            for span in page.select("[id^='progress-']")}


def assign(app, client_as, who: str, indicators: list[str]) -> None:
    response = client_as("koordinator").post(f"/assessments/{assessment_id(app)}/assignments",
                                             data={"assignee": str(user_id(app, who)), "indicator": indicators})
    assert response.status_code == 200


def test_the_filter_shows_only_my_indicators_and_keeps_itself_in_the_aspect_menu(web_app, client_as):
    assign(web_app, client_as, "kontributor", ["I01", "I03", "I11"])
    kontributor, base = client_as("kontributor"), f"/assessments/{assessment_id(web_app)}"
    everything = kontributor.get(base).text
    toggle = BeautifulSoup(everything, "html.parser").select_one("a[data-mine-filter]")
    assert "Indikator saya (3)" in toggle.get_text() and "mine=1" in toggle["href"]
    assert len(cards(everything)) > 2

    mine = kontributor.get(toggle["href"]).text
    assert cards(mine) == ["I01", "I03"] and "Hanya indikator yang ditugaskan kepada Anda (3)" in mine
    counts = menu(mine)
    assert counts["A1"] == "2/2" and counts["A2"] == "1/1"  # answered / assigned (the demo answered them)
    assert all(counts[k] == "–" for k in counts if k not in ("A1", "A2"))
    links = BeautifulSoup(mine, "html.parser").select("#aspect-nav a[data-aspect]")
    assert all(a["href"].endswith("&mine=1") and a["hx-get"] == a["href"] for a in links)
    assert cards(kontributor.get(f"{base}?aspect=A2&mine=1", headers=HX).text) == ["I11"]

    # An autosave from the filtered page answers with a menu that keeps the filter and counts the change.
    version = BeautifulSoup(mine, "html.parser").select_one("#version-I01")["value"]
    saved = kontributor.post(f"{base}/indicators/I01", data={"value": "", "version": version},
                             headers={**HX, "HX-Current-URL": f"http://testserver{base}?mine=1"})
    assert saved.status_code == 200 and menu(saved.text)["A1"] == "1/2"
    unfiltered = kontributor.post(f"{base}/indicators/I01", data={"value": "3", "version": int(version) + 1},
                                  headers={**HX, "HX-Current-URL": f"http://testserver{base}"})
    assert menu(unfiltered.text)["A1"] == "10/10"  # the whole aspect's progress again


def test_an_aspect_without_my_indicators_and_a_member_without_any_get_a_clear_message(web_app, client_as):
    assign(web_app, client_as, "kontributor", ["I11"])
    kontributor, base = client_as("kontributor"), f"/assessments/{assessment_id(web_app)}"
    first = kontributor.get(f"{base}?mine=1").text
    assert cards(first) == ["I11"]  # without an aspect: the first aspect holding one of mine
    other = kontributor.get(f"{base}?aspect=A1&mine=1").text
    assert cards(other) == [] and "Tidak ada indikator Anda di aspek ini" in other
    assert BeautifulSoup(other, "html.parser").select_one(".mine-empty a")["href"].endswith("?aspect=A1")


def test_a_peninjau_without_assignments_has_no_toggle_and_sees_nothing_of_others(web_app, client_as):
    assign(web_app, client_as, "kontributor", ["I01"])
    peninjau, base = client_as("peninjau"), f"/assessments/{assessment_id(web_app)}"
    assert BeautifulSoup(peninjau.get(base).text, "html.parser").select_one(".mine-toggle") is None
    asked = peninjau.get(f"{base}?mine=1")
    assert asked.status_code == 200 and cards(asked.text) == []
    assert "Belum ada indikator yang ditugaskan kepada Anda" in asked.text


def test_a_kontributor_without_assignments_is_told_so(web_app, client_as):
    page = client_as("kontributor").get(f"/assessments/{assessment_id(web_app)}?mine=1").text
    assert cards(page) == [] and "Belum ada indikator yang ditugaskan kepada Anda" in page
    assert BeautifulSoup(page, "html.parser").select_one(".mine-empty a")["href"].endswith("?aspect=A1")
