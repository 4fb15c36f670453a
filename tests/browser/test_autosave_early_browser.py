"""A change made before htmx has set up the questionnaire (it is a deferred script) is saved, not lost."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_workspace_browser import app, indicator, sign_in

__all__ = ["app"]  # the fixture the live server serves


def test_a_level_chosen_before_htmx_has_loaded_is_saved_once_it_has(page, live_server):
    sign_in(page, live_server)
    page.get_by_role("link", name="2022").click()
    expect(page.locator("#summary [data-index]")).to_have_text("2,66")
    url = page.url.split("?")[0] + "?aspect=A8"

    held = []  # htmx.min.js is held back (a slow network) until the level has been chosen
    page.route("**/static/htmx.min.js", lambda route: held.append(route))
    page.goto(url, wait_until="commit")
    card = indicator(page, "I47")
    card.locator("input[name=value][value='5']").check()
    expect(card.locator("form[data-autosave]")).to_have_class(re.compile(r"\bunsaved\b"))
    assert len(held) == 1
    held[0].continue_()

    expect(card.get_by_text(re.compile(r"Tersimpan \d{2}[.:]\d{2}"))).to_be_visible()
    expect(page.locator("#summary [data-index]")).to_have_text("2,69")
    expect(card.locator("form[data-autosave]")).not_to_have_class(re.compile(r"\bunsaved\b"))
    page.unroute("**/static/htmx.min.js")
    page.reload()
    expect(indicator(page, "I47").locator("input[name=value][value='5']")).to_be_checked()
