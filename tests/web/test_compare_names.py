"""The comparison pages name every indicator beside its id, the full name on hover where the cell cuts it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from spbe.method.rubric import get_rubric
from tests.web.evidence_helpers import assessment_id


@pytest.mark.parametrize("page", ["compare", "official"])
def test_each_indicator_row_shows_id_and_name_with_the_full_name_as_title(client_as, web_app, page):
    rubric = get_rubric("spbe-2021")
    html = client_as("koordinator").get(f"/assessments/{assessment_id(web_app, 2022)}/{page}").text
    rows = BeautifulSoup(html, "html.parser").select("tr[data-indicator]")
    assert len(rows) == 47
    for tr in rows:
        name = tr.select_one(".ind-name")
        ind = rubric.indicator_by_id[tr["data-indicator"]]
        assert name["title"] == ind.name and name.get_text(" ", strip=True) == f"{ind.id} {ind.name}"
