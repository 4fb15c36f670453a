"""Helpers for the year-two web tests: demo levels, official values set directly, row counts, parsed pages."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from bs4 import BeautifulSoup
from fastapi import FastAPI
from httpx import Response
from sqlmodel import SQLModel, select

from spbe.method.levels_file import read_levels
from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_DATA
from spbe.store.db import session_scope
from spbe.store.models import Answer
from tests.web.evidence_helpers import assessment_id

HTMX = {"HX-Request": "true"}


def demo_levels(year: int) -> dict[str, Decimal]:
    """The demo's published levels of 2021 (index 1,83) or 2022 (2,66)."""
    return read_levels(DEMO_DATA / f"kota-pasuruan-{year}.csv", get_rubric("spbe-2021"))


def soup(response: Response, status: int = 200) -> BeautifulSoup:
    assert response.status_code == status, response.text[:2000]
    return BeautifulSoup(response.text, "html.parser")


def text(page: BeautifulSoup, selector: str) -> str:
    found = page.select_one(selector)
    assert found is not None, selector
    return " ".join(found.get_text(" ", strip=True).split())


def set_official(app: FastAPI, year: int, values: dict[str, Decimal | int]) -> None:
    """Give the demo assessment of a year these official values (creating answers where needed)."""
    aid = assessment_id(app, year)
    with session_scope(app.state.engine) as db:
        answers = {a.indicator_id: a for a in db.exec(select(Answer).where(Answer.assessment_id == aid))}
        for indicator, value in values.items():
            answer = answers.get(indicator) or Answer(assessment_id=aid, indicator_id=indicator)
            answer.official_value = Decimal(value)
            db.add(answer)


def set_self(app: FastAPI, year: int, values: dict[str, Decimal | int | None]) -> None:
    """Overwrite some self-assessed levels of the demo assessment of a year."""
    aid = assessment_id(app, year)
    with session_scope(app.state.engine) as db:
        answers = {a.indicator_id: a for a in db.exec(select(Answer).where(Answer.assessment_id == aid))}
        for indicator, value in values.items():
            answer = answers.get(indicator) or Answer(assessment_id=aid, indicator_id=indicator)
            answer.value = None if value is None else Decimal(value)
            db.add(answer)


def everything(app: FastAPI) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (timestamps included): what a refused request must leave unchanged."""
    with app.state.engine.connect() as c:
        return {
            t.name: sorted(map(tuple, c.execute(sa.select(t)).all()), key=repr)
            for t in SQLModel.metadata.sorted_tables
        }


def row_counts(app: FastAPI) -> dict[str, int]:
    with app.state.engine.connect() as c:
        return {
            t.name: c.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables
        }


def csv(levels: dict[str, Decimal | int]) -> bytes:
    return ("indikator,level\n" + "".join(f"{k},{v}\n" for k, v in levels.items())).encode()
