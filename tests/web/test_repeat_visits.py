"""A repeat visit revalidates the comparison chart by ETag: 304 while its figures stay, redrawn when not."""

from __future__ import annotations

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
