"""Work by person: the koordinator's overview per person and per OPD, assigning several indicators at once,
and "Indikator saya" on a kontributor's start page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.web.audit_helpers import events_since, last_event
from tests.web.evidence_helpers import add_link, assessment_id, user_id

HX = {"HX-Request": "true"}


def url(app) -> str:
    return f"/assessments/{assessment_id(app)}/assignments"


def rows(html: str, table: str) -> dict[str, list[str]]:
    page = BeautifulSoup(html, "html.parser")
    return {tr.select_one("strong").text: [td.get_text(strip=True) for td in tr.select("td")[1:]]
            for tr in page.select(f"#{table} tbody tr")}


def test_assigning_several_indicators_at_once_is_audited_and_counted_per_person(web_app, client_as):
    koordinator = client_as("koordinator")
    kontributor = user_id(web_app, "kontributor")
    start = last_event(web_app)
    response = koordinator.post(url(web_app), data={"assignee": str(kontributor),
                                                    "indicator": ["I01", "I02", "I03"]})
    assert response.status_code == 200 and "3 indikator berubah" in response.text
    assert [(e[0], e[1], e[3]) for e in events_since(web_app, start)] == [
        ("answer.assignee", i, str(kontributor)) for i in ("I01", "I02", "I03")]
    add_link(koordinator, assessment_id(web_app), "I02")
    people = rows(koordinator.get(url(web_app)).text, "per-person")
    assert people["Demo Kontributor"] == ["3", "3/3", "1/3", "3/3"]
    assert people["Belum ditugaskan"][0] == "44"


def test_a_bad_indicator_writes_none_of_them(web_app, client_as):
    start = last_event(web_app)
    response = client_as("koordinator").post(url(web_app), data={
        "assignee": str(user_id(web_app, "kontributor")), "indicator": ["I01", "I99"]})
    assert response.status_code == 404 and "I99" in response.text
    assert events_since(web_app, start) == []


@pytest.mark.parametrize("form", [{"assignee": "1"}, {"assignee": "999999", "indicator": "I01"}])
def test_nothing_ticked_or_an_unknown_member_is_refused(web_app, client_as, form):
    start = last_event(web_app)
    assert client_as("koordinator").post(url(web_app), data=form).status_code == 422
    assert events_since(web_app, start) == []


@pytest.mark.parametrize("who,status", [("kontributor", 403), ("peninjau", 403), ("admin", 403),
                                        ("outsider", 404)])
def test_only_the_koordinator_assigns(web_app, client_of_anyone, who, status):
    client = client_of_anyone(who)
    start = last_event(web_app)
    response = client.post(url(web_app), data={"assignee": "", "indicator": "I01"})
    assert response.status_code == status
    assert events_since(web_app, start) == []
    if who != "outsider":
        page = client.get(url(web_app))
        assert page.status_code == 200 and 'name="indicator"' not in page.text


def test_progress_per_opd_follows_the_responsible_unit(web_app, client_as):
    koordinator = client_as("koordinator")
    a = assessment_id(web_app)
    for indicator in ("I01", "I02"):
        koordinator.post(f"/assessments/{a}/indicators/{indicator}",
                         data={"responsible_unit": "Diskominfo"}, headers=HX)
    units = rows(koordinator.get(url(web_app)).text, "per-unit")
    assert units == {"Diskominfo": ["2", "2/2", "0/2", "2/2"]}


def test_a_kontributor_finds_their_indicators_on_the_start_page(web_app, client_as):
    client_as("koordinator").post(url(web_app), data={"assignee": str(user_id(web_app, "kontributor")),
                                                      "indicator": ["I12", "I40"]})
    page = BeautifulSoup(client_as("kontributor").get("/").text, "html.parser")
    links = [a["href"] for a in page.select(".my-indicators a")]
    a = assessment_id(web_app)
    assert links == [f"/assessments/{a}?aspect=A2#ind-I12", f"/assessments/{a}?aspect=A7#ind-I40"]
    assert "Indikator saya — 2022" in page.select_one(".my-indicators h2").text
    assert BeautifulSoup(client_as("peninjau").get("/").text, "html.parser").select(".my-indicators") == []
