"""The dashboard page, its htmx summary block and its SVG charts, for members only."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from spbe.ops.demo import ensure_user
from spbe.store.db import session_scope
from spbe.store.models import Assessment
from tests.web.conftest import send_csrf

HTMX = {"HX-Request": "true"}


def assessment_id(app: FastAPI, year: int) -> int:
    with session_scope(app.state.engine) as db:
        found = db.exec(select(Assessment).where(Assessment.year == year)).one()
        assert found.id is not None
        return found.id


@pytest.fixture
def ids(web_app: FastAPI) -> dict[int, int]:
    return {year: assessment_id(web_app, year) for year in (2021, 2022)}


@pytest.fixture
def outsider(web_app: FastAPI):
    """A signed-in user who is a member of no instansi."""
    with session_scope(web_app.state.engine) as db:
        ensure_user(db, "orang-luar", "orang-luar")
    with send_csrf(TestClient(web_app)) as client:
        client.post("/login", data={"username": "orang-luar", "password": "orang-luar"})
        yield client


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def cell(page: BeautifulSoup, row_id: str) -> str:
    return page.select_one(f'tr[data-id="{row_id}"]').find_all("td")[2].get_text(strip=True)


def test_the_2022_dashboard_shows_index_predikat_and_domain_values(client_as, ids):
    page = soup(client_as("koordinator").get(f"/assessments/{ids[2022]}/dashboard"))
    summary = page.select_one("#summary")
    assert summary.select_one("[data-index]").get_text(strip=True) == "2,66"
    assert summary.select_one("[data-predikat]").get_text(strip=True) == "Baik"
    assert cell(page, "D3") == "1,27" and cell(page, "A8") == "3,33"
    assert "47 dari 47 indikator terjawab" in summary.get_text(" ", strip=True)


def test_the_2021_dashboard_shows_the_seeds_index_with_indicator_47_at_level_1(client_as, ids):
    page = soup(client_as("peninjau").get(f"/assessments/{ids[2021]}/dashboard"))
    summary = page.select_one("#summary")
    assert summary.select_one("[data-index]").get_text(strip=True) == "1,83"
    assert summary.select_one("[data-predikat]").get_text(strip=True) == "Cukup"
    assert "47 dari 47 indikator terjawab" in summary.get_text(" ", strip=True)
    assert cell(page, "D4") == "2,37" and cell(page, "D3") == "1,18"


def test_an_incomplete_assessment_shows_the_range_instead_of_an_index(client_as, ids):
    cleared = client_as("koordinator").put(f"/api/assessments/{ids[2021]}/answers/I47", json={"value": None})
    assert cleared.status_code == 200
    page = soup(client_as("peninjau").get(f"/assessments/{ids[2021]}/dashboard"))
    assert page.select_one("[data-index]") is None
    assert page.select_one("[data-index-range]").get_text(strip=True) == "1,83–1,95"
    assert "46 dari 47 indikator terjawab" in page.get_text(" ", strip=True)
    assert "Cukup" in page.select_one("[data-predikat]").get_text()  # the same at both ends of the range
    assert cell(page, "D4") == "2,37–2,63" and cell(page, "D3") == "1,18"


def test_full_page_versus_htmx_summary_block(client_as, ids):
    client = client_as("kontributor")
    full = soup(client.get(f"/assessments/{ids[2022]}/dashboard"))
    block = soup(client.get(f"/assessments/{ids[2022]}/dashboard", headers=HTMX))
    assert full.find("html") and full.find("h1") and full.select_one("main #summary")
    assert block.find("html") is None and block.find("h1") is None
    assert [tag.name for tag in block.find_all(recursive=False)] == ["section"]
    assert block.select_one("#summary [data-index]").get_text(strip=True) == "2,66"


def test_the_charts_on_the_page_are_served_as_svg(client_as, ids):
    client = client_as("admin")
    page = soup(client.get(f"/assessments/{ids[2021]}/dashboard"))
    sources = [img["src"] for img in page.select("#summary img")]
    assert [s.split("?")[0] for s in sources] == [f"/assessments/{ids[2021]}/charts/{n}.svg"
                                                  for n in ("aspects", "domains")]
    for src in sources:
        response = client.get(src)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/svg+xml"
        assert ET.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"


def test_a_chart_is_revalidated_by_etag_and_changes_with_the_score(client_as, ids, web_app):
    client = client_as("koordinator")
    url = f"/assessments/{ids[2022]}/charts/domains.svg"
    etag = client.get(url).headers["etag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    linked = soup(client.get(f"/assessments/{ids[2022]}/dashboard")).select_one("#summary img")["src"]
    assert client.put(f"/api/assessments/{ids[2022]}/answers/I47", json={"value": 5}).status_code == 200
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200
    now = soup(client.get(f"/assessments/{ids[2022]}/dashboard")).select_one("#summary img")["src"]
    assert now != linked  # a new ?v= on the img


def test_a_chart_under_its_versioned_address_is_kept_by_the_browser(client_as, ids):
    client = client_as("koordinator")
    src = soup(client.get(f"/assessments/{ids[2022]}/dashboard")).select_one("#summary img")["src"]
    assert "?v=" in src
    assert "immutable" in client.get(src).headers["cache-control"]  # never changes under this address
    stale = src.split("?")[0] + "?v=0000"
    assert client.get(stale).headers["cache-control"] == "private, no-cache"  # an old link: ask again


def test_english_uses_decimal_points(client_as, ids):
    client = client_as("koordinator")
    client.get("/lang/en")
    page = soup(client.get(f"/assessments/{ids[2022]}/dashboard"))
    assert page.select_one("[data-index]").get_text(strip=True) == "2.66"
    assert "47 of 47 indicators answered" in page.get_text(" ", strip=True)


@pytest.mark.parametrize("path", ["dashboard", "charts/aspects.svg", "charts/domains.svg"])
def test_non_members_get_404_and_anonymous_users_are_sent_to_login(outsider, anonymous, ids, path):
    url = f"/assessments/{ids[2022]}/{path}"
    assert outsider.get(url).status_code == 404
    response = anonymous.get(url, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert anonymous.get(url, headers=HTMX).status_code == 401


@pytest.mark.parametrize("url", ["/assessments/999999/dashboard", "/assessments/{id}/charts/pie.svg"])
def test_unknown_assessments_and_charts_are_404(client_as, ids, url):
    assert client_as("koordinator").get(url.format(id=ids[2022])).status_code == 404
