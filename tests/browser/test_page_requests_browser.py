"""One page view, one round of work: the questionnaire comes with its evidence panels and fetches no more."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, Request, expect

from tests.browser.test_workspace_browser import choose_level, indicator, sign_in
from tests.web.conftest import make_demo_app, make_settings


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    demo = make_demo_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'spbe.db'}"))
    yield demo
    demo.state.engine.dispose()


def watched(page: Page) -> list[str]:
    """Every request the page makes from now on, as 'METHOD path?query', static files included."""
    seen: list[str] = []

    def note(request: Request) -> None:
        seen.append(f"{request.method} {re.sub(r'^https?://[^/]+', '', request.url)}")

    page.on("request", note)
    return seen


def test_a_questionnaire_view_is_the_page_and_its_static_files_only(page: Page, live_server: str):
    sign_in(page, live_server)
    page.get_by_role("link", name="2022").click()
    url = page.get_by_role("link", name=re.compile("Layanan Publik Berbasis Elektronik")).first.get_attribute(
        "href"
    )
    seen = watched(page)
    page.goto(live_server + url)
    page.wait_for_load_state("networkidle")
    dynamic = [r for r in seen if not r.startswith("GET /static/") and "favicon" not in r]
    assert dynamic == [f"GET {url}"]  # not one request per evidence panel: they came with the page
    cards = page.locator("article.indicator").count()
    assert cards >= 5
    expect(page.locator(".evidence-panel > section.evidence")).to_have_count(cards)  # a panel in every card
    expect(indicator(page, "I47").locator(".evidence-checklist")).to_contain_text("tingkat 4")


def test_a_level_change_is_one_request_and_brings_its_evidence_panel(page: Page, live_server: str):
    sign_in(page, live_server)
    page.get_by_role("link", name="2022").click()
    page.get_by_role("link", name=re.compile("Layanan Publik Berbasis Elektronik")).first.click()
    page.wait_for_load_state("networkidle")
    seen = watched(page)
    choose_level(page, "I47", 5)
    page.wait_for_load_state("networkidle")
    assert [r.split("?")[0] for r in seen] == [
        f"POST {re.sub(r'^https?://[^/]+', '', page.url).split('?')[0]}/indicators/I47"
    ]
    expect(indicator(page, "I47").locator(".evidence-checklist")).to_contain_text("tingkat 5")
    expect(indicator(page, "I47").locator(".evidence-add").first).to_have_attribute(
        "hx-get", re.compile("I47/evidence/form/file")
    )
