"""Helpers for the what-if tests: scenarios made through the pages, figures read back, and what must not change."""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, EffortSetting, Scenario, ScenarioButir, ScenarioValue

HTMX = {"HX-Request": "true"}


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def answers_and_assessments(app: FastAPI) -> tuple[object, ...]:
    """Every column of every answer and assessment: the sandbox must never change any of them."""
    with session_scope(app.state.engine) as db:
        answers = sorted(tuple(a.model_dump().values()) for a in db.exec(select(Answer)))
        assessments = sorted(tuple(a.model_dump().values()) for a in db.exec(select(Assessment)))
        return tuple(answers), tuple(assessments)


def sandbox_rows(app: FastAPI) -> tuple[object, ...]:
    """Every scenario, scenario value, ticked butir and effort setting."""
    with session_scope(app.state.engine) as db:
        return tuple(
            sorted(tuple(r.model_dump().values()) for r in db.exec(select(table)))
            for table in (Scenario, ScenarioValue, ScenarioButir, EffortSetting)
        )


def create_scenario(client: TestClient, assessment: int, name: str = "Skenario uji") -> str:
    """Create a scenario through the page; its URL."""
    response = client.post(f"/assessments/{assessment}/whatif", data={"name": name}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def index_of(html: str, column: str) -> str:
    """The published index shown for 'scenario', 'current' or 'last'."""
    return soup(html).select_one(f"#compare [data-index={column}]").get_text(strip=True)


def cell(html: str, group: str, column: str) -> str:
    """One figure of the comparison table: group 'index', 'D4', 'A8'; column 'scenario', 'delta-current', ..."""
    return soup(html).select_one(f"#compare tr[data-group={group}] td[data-col={column}]").get_text(strip=True)


def row(html: str, indicator: str) -> Tag:
    """An indicator's row, also inside a <template> (which CSS selectors do not enter)."""
    return soup(html).find("tr", id=f"row-{indicator}")


def text(tag: Tag) -> str:
    """A tag's text, also inside a <template> (whose strings get_text leaves out)."""
    return "".join(str(s) for s in tag.descendants if isinstance(s, NavigableString)).strip()


def level_of(html: str, indicator: str) -> str:
    return text(row(html, indicator).find("output"))
