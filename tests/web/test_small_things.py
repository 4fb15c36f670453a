"""Small things browsers and monitors ask for: a favicon, HEAD on the start page, a skip link everywhere."""

from __future__ import annotations

from tests.web.evidence_helpers import assessment_id


def test_the_favicon_is_served_and_linked(anonymous):
    icon = anonymous.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.history and icon.history[0].status_code == 301
    assert '<link rel="icon" href="/static/favicon.svg"' in anonymous.get("/login").text


def test_head_on_the_start_page_and_the_health_check_is_answered(anonymous, client_as):
    assert anonymous.head("/", follow_redirects=False).status_code == 303  # to the sign-in page, as GET
    assert client_as("koordinator").head("/").status_code == 200
    assert anonymous.head("/healthz").status_code == 200


def test_every_page_starts_with_a_skip_link_to_its_content(web_app, client_as):
    client = client_as("koordinator")
    a = assessment_id(web_app)
    home = client.get("/").text
    assert '<a class="skip-link" href="#main">Langsung ke isi</a>' in home and 'id="main"' in home
    questionnaire = client.get(f"/assessments/{a}").text  # straight to the first indicator's aspect
    assert '<a class="skip-link" href="#aspect-title">' in questionnaire
    assert 'id="aspect-title"' in questionnaire


def test_each_indicator_and_its_evidence_are_landmarks_named_for_the_indicator(web_app, client_as):
    client = client_as("koordinator")
    a = assessment_id(web_app)
    page = client.get(f"/assessments/{a}").text
    assert 'aria-labelledby="ind-I01-title"' in page and 'id="ind-I01-title"' in page
    panel = client.get(f"/assessments/{a}/indicators/I01/evidence", headers={"HX-Request": "true"}).text
    heading = '<h4 class="evidence-title" id="evidence-I01-title">Data dukung<span class="sr-only"> I01</span>'
    assert heading in panel
    page = client.get(f"/assessments/{a}/indicators/I01/evidence").text  # a page of its own: h1, then h2
    assert '<h2 class="evidence-title" id="evidence-I01-title">' in page
