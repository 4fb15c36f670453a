"""A repeat visit fetches no comparison chart (a versioned address) or revalidates it (ETag, 304) until it changes."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.web.evidence_helpers import assessment_id

HX = {"HX-Request": "true"}


def test_the_comparison_chart_is_304_until_a_level_changes(web_app, client_as):
    c = client_as("koordinator")
    a = assessment_id(web_app)
    url = f"/assessments/{a}/compare/chart.svg"
    first = c.get(url)
    assert first.status_code == 200 and first.content.startswith(b"<?xml")
    tag = first.headers["etag"]
    again = c.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    saved = c.post(f"/assessments/{a}/indicators/I47", data={"value": "5"}, headers=HX)
    assert saved.status_code == 200
    changed = c.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert changed.content != first.content


def test_the_comparison_page_links_its_chart_under_an_address_that_never_changes(web_app, client_as):
    c = client_as("koordinator")
    a = assessment_id(web_app)

    def chart_src() -> str:
        page = BeautifulSoup(c.get(f"/assessments/{a}/compare").text, "html.parser")
        return page.select_one("figure img")["src"]

    src = chart_src()
    kept = c.get(src)
    assert kept.status_code == 200 and "immutable" in kept.headers["cache-control"]
    assert c.get(src.split("?")[0]).headers["cache-control"] == "private, no-cache"  # unversioned: revalidated
    assert chart_src() == src  # nothing changed: the browser keeps its copy
    assert c.post(f"/assessments/{a}/indicators/I47", data={"value": "5"}, headers=HX).status_code == 200
    moved = chart_src()
    assert moved != src and c.get(moved).content != kept.content
