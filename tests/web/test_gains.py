"""Gains are shown to 2 decimals with the exact value on hover, in both languages (what-if changes, comparison)."""

from __future__ import annotations

import pytest

from tests.web.evidence_helpers import assessment_id
from tests.web.whatif_helpers import HTMX, create_scenario, soup


@pytest.fixture
def scenario(client_as, web_app) -> tuple[object, str]:
    koordinator = client_as("koordinator")
    return koordinator, create_scenario(koordinator, assessment_id(web_app, 2022))


def raise_one_level(client, scenario: str, indicator: str) -> str:
    page = soup(client.get(scenario).text)
    up = page.select_one(f"#up-{indicator}")["value"]
    return client.post(f"{scenario}/indicators/{indicator}", data={"value": up}, headers=HTMX).text


def test_a_lift_that_rounding_would_hide_shows_2_decimals_and_the_exact_value_on_hover(scenario):
    client, url = scenario
    changes = soup(raise_one_level(client, url, "I33")).select_one("#changes tr[data-change=I33]")
    lift = changes.find_all("td")[-1].find("abbr")  # I33 weighs 2,75 %: one level lifts the index by 0,0275
    assert (lift.get_text(), lift["title"]) == ("+0,03", "+0,0275")
    client.get("/lang/en")
    english = soup(client.get(url).text).select_one("#changes tr[data-change=I33] abbr")
    assert (english.get_text(), english["title"]) == ("+0.03", "+0.0275")


def test_a_lift_that_is_exact_at_2_decimals_has_nothing_to_hover(scenario):
    client, url = scenario
    changes = soup(raise_one_level(client, url, "I47")).select_one("#changes tr[data-change=I47]")
    assert changes.find("abbr") is None and changes.find_all("td")[-1].get_text() == "+0,03"  # 3 % weight
