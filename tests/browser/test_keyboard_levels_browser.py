"""Arrow keys through the level choices save only the level the user settles on: one audit trail entry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import expect
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Answer
from tests.browser.test_workspace_browser import sign_in
from tests.web.audit_helpers import events_since, last_event
from tests.web.conftest import make_demo_app, make_settings
from tests.web.evidence_helpers import assessment_id


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    demo = make_demo_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'spbe.db'}"))
    yield demo
    demo.state.engine.dispose()


def low_indicator(app: FastAPI, assessment: int) -> tuple[str, int]:
    """An indicator of aspect A1 at level 1 or 2, so that three steps down the list stay within 1..5."""
    with session_scope(app.state.engine) as db:
        rows = db.exec(select(Answer.indicator_id, Answer.value).where(Answer.assessment_id == assessment))
        found = sorted((i, int(v)) for i, v in rows if v is not None and v <= 2 and i <= "I10")
    return found[0]


def test_three_arrow_steps_save_one_level(page, live_server, app):
    a2022 = assessment_id(app)
    indicator, level = low_indicator(app, a2022)
    sign_in(page, live_server)
    page.goto(f"{live_server}/assessments/{a2022}?aspect=A1")
    page.wait_for_load_state("networkidle")
    card = page.locator(f"#ind-{indicator}")
    start = last_event(app)
    card.locator(f"input[name=value][value='{level}']").focus()
    for _ in range(3):
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(150)  # a person reading each level's criteria on the way
    expect(card.locator(f"input[name=value][value='{level + 3}']")).to_be_checked()
    expect(card.get_by_text(re.compile(r"Tersimpan \d{2}[.:]\d{2}"))).to_be_visible()
    settled = card.locator("label.level-option").filter(has=page.locator(f"input[value='{level + 3}']"))
    expect(settled.locator("+ .save-state")).to_have_count(1)  # the state sits under the level settled on
    page.wait_for_timeout(1000)  # nothing else is on its way
    changes = [e for e in events_since(app, start) if e[0] == "answer.value"]
    assert changes == [("answer.value", indicator, str(level), str(level + 3), "", "demo-koordinator")]


def test_a_click_still_saves_at_once(page, live_server, app):
    a2022 = assessment_id(app)
    indicator, level = low_indicator(app, a2022)
    sign_in(page, live_server)
    page.clock.install()
    page.goto(f"{live_server}/assessments/{a2022}?aspect=A1")
    page.wait_for_load_state("networkidle")
    card = page.locator(f"#ind-{indicator}")
    start = last_event(app)
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)  # no timer fires from here: a click must not wait
    card.locator(f"input[name=value][value='{level + 1}']").check()
    expect(card.get_by_text(re.compile(r"Tersimpan \d{2}[.:]\d{2}"))).to_be_visible()
    assert [e[3] for e in events_since(app, start) if e[0] == "answer.value"] == [str(level + 1)]
