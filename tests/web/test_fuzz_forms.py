"""Generated form posts (odd strings, missing, repeated and unknown fields, odd encodings) to writing routes.

Each answer is a 4xx with a message in Bahasa Indonesia and nothing written, or a success whose data is valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from spbe.method.rubric import get_rubric
from spbe.method.scoring import check_value
from spbe.services.answers import MAX_COMMENT, MAX_EXPLANATION, MAX_UNIT
from spbe.services.scenarios import MAX_NAME
from spbe.store.models import Answer, Assessment, Comment, Evidence, Scenario, ScenarioValue
from tests.db_snapshot import table_rows
from tests.fuzz_checks import FUZZ, VALUES, check_answer
from tests.web.conftest import login

RUBRIC = get_rubric("spbe-2021")
INDICATORS = st.sampled_from(["I01", "I07", "I45", "I47"]) | st.sampled_from(
    ["I99", "i01", "I01 ", "%2e%2e", "I" * 40]
)
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    "text/plain",
    "application/json",
    "application/octet-stream",
]


@dataclass
class Target:
    """The signed-in koordinator, the demo's 2022 assessment and one of its scenarios."""

    client: TestClient
    engine: sa.Engine
    aid: int
    scenario: int

    def post(self, url: str, request: dict[str, Any]) -> bool:
        """Post one generated request and check the answer; True when it succeeded."""
        before = table_rows(self.engine)
        return check_answer(self.client.post(url, follow_redirects=False, **request), self.engine, before)


@pytest.fixture
def target(web_app: FastAPI) -> Iterator[Target]:
    engine = web_app.state.engine
    with Session(engine) as db:
        assessment = db.exec(select(Assessment).where(Assessment.year == 2022)).one()
        scenario = Scenario(assessment_id=assessment.id, name="Uji")
        db.add(scenario)
        db.commit()
        aid, sid = assessment.id, scenario.id
    with TestClient(web_app) as client:
        yield Target(login(client, "koordinator"), engine, aid, sid)


@st.composite
def requests(draw: st.DrawFn, names: tuple[str, ...]) -> dict[str, Any]:
    """httpx arguments: the form's fields (some missing, repeated or unknown) sent in some encoding."""
    keys = st.sampled_from(names) | st.text(max_size=8)
    form = draw(st.dictionaries(keys, VALUES | st.lists(VALUES, max_size=3), max_size=len(names) + 1))
    headers = {"HX-Request": "true"} if draw(st.booleans()) else {}
    how = draw(st.sampled_from(["form", "form", "form", "file", "json", "raw"]))
    if how == "file":  # a text field sent as a file
        return {"data": form, "files": {draw(keys): ("x.txt", b"isi", "text/plain")}, "headers": headers}
    if how == "json":
        return {"json": form, "headers": headers}
    if how == "raw":
        headers["Content-Type"] = draw(st.sampled_from(CONTENT_TYPES))
        return {"content": draw(st.binary(max_size=300)), "headers": headers}
    return {"data": form, "headers": headers}


def plain(text: str, limit: int) -> bool:
    """Stored text within its limit and without control characters other than line breaks and tabs."""
    return len(text) <= limit and not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)


def valid(value: object) -> bool:
    try:
        return check_value(RUBRIC, value) == value
    except ValueError:
        return False


@FUZZ
@given(
    indicator=INDICATORS,
    request=requests(("value", "explanation", "target_value", "responsible_unit", "assignee_id", "version")),
)
def test_autosave(target, indicator, request):
    if target.post(f"/assessments/{target.aid}/indicators/{indicator}", request):
        with Session(target.engine) as db:
            for a in db.exec(select(Answer).where(Answer.assessment_id == target.aid)):
                assert a.value is None or valid(a.value)
                assert a.target_value is None or valid(a.target_value)
                assert plain(a.explanation, MAX_EXPLANATION) and plain(a.responsible_unit, MAX_UNIT)


@FUZZ
@given(indicator=INDICATORS, request=requests(("body",)))
def test_comment(target, indicator, request):
    if target.post(f"/assessments/{target.aid}/indicators/{indicator}/comments", request):
        with Session(target.engine) as db:
            assert all(c.body.strip() and plain(c.body, MAX_COMMENT) for c in db.exec(select(Comment)))


@FUZZ
@given(
    indicator=INDICATORS,
    request=requests(("title", "url", "note", "levels", "internal", "doc_number", "doc_date")),
)
def test_evidence_link(target, indicator, request):
    if target.post(f"/assessments/{target.aid}/indicators/{indicator}/evidence/url", request):
        with Session(target.engine) as db:
            for e in db.exec(select(Evidence)):
                assert e.title.strip() and e.url.startswith(("http://", "https://")) and e.level_list
                assert set(e.level_list) <= set(RUBRIC.indicator_by_id[e.indicator_id].levels)


@FUZZ
@given(request=requests(("name",)))
def test_what_if_scenario(target, request):
    if target.post(f"/assessments/{target.aid}/whatif", request):
        with Session(target.engine) as db:
            assert all(s.name.strip() and plain(s.name, MAX_NAME) for s in db.exec(select(Scenario)))


@FUZZ
@given(indicator=INDICATORS, request=requests(("value",)))
def test_what_if_value(target, indicator, request):
    if target.post(f"/assessments/{target.aid}/whatif/{target.scenario}/indicators/{indicator}", request):
        with Session(target.engine) as db:
            assert all(valid(v.value) for v in db.exec(select(ScenarioValue)))


@FUZZ
@given(request=requests(("target", "scope", "max_step", "locked")))
def test_what_if_plan(target, request):
    if target.post(f"/assessments/{target.aid}/whatif/{target.scenario}/plan", request):
        with Session(target.engine) as db:
            assert all(valid(v.value) for v in db.exec(select(ScenarioValue)))


@FUZZ
@given(request=requests(("instansi_id", "year", "rubric_id", "start")))
def test_assessment_creation(target, request):
    if target.post("/assessments", request):
        with Session(target.engine) as db:
            assert all(2018 <= a.year <= 2100 for a in db.exec(select(Assessment)))
