"""Generated posts to the butir routes of a Pemdi assessment: a clear 4xx with nothing written, or valid data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from spbe.method.butir import Reason, Status
from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_CODE
from spbe.services.butir import MAX_NOTE
from spbe.store import queries
from spbe.store.models import ButirEvidence, ButirState, Evidence, Instansi
from tests.fuzz_checks import FUZZ
from tests.web.conftest import login
from tests.web.test_fuzz_forms import Target, plain, requests

CODES = st.sampled_from(["I17-L1-01", "I17-L2-02", "I01-L1-01", "i3-l1-1"]) | st.sampled_from(
    ["I17-L9-01", "I99-L1-01", "I17", "%2e%2e", "I" * 40, "I17-L1-01 "]
)


@pytest.fixture
def target(web_app: FastAPI) -> Iterator[Target]:
    """The koordinator and a Pemdi 2026 assessment with one evidence item on I17."""
    engine = web_app.state.engine
    with Session(engine) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
        assessment = queries.create_assessment(db, instansi, 2026, get_rubric("pemdi-2026"))
        db.add(
            Evidence(
                assessment_id=assessment.id,
                indicator_id="I17",
                kind="url",
                title="Portal",
                url="https://portal.example.go.id",
                levels="1",
            )
        )
        db.commit()
        aid = assessment.id
    with TestClient(web_app) as client:
        yield Target(login(client, "koordinator"), engine, aid, 0)


def stored_states_are_valid(target: Target) -> None:
    rubric = get_rubric("pemdi-2026")
    with Session(target.engine) as db:
        for s in db.exec(select(ButirState)):
            assert (
                rubric.butir_by_code(s.code).code == s.code
                and Status(s.status) is not Status.OTOMATIS_DITOLAK
            )
            assert s.reason in {"", *(r.value for r in Reason)} and plain(s.asesor_note, MAX_NOTE)
            links = db.exec(select(ButirEvidence).where(ButirEvidence.butir_state_id == s.id)).all()
            assert s.status != "disiapkan" or links


@FUZZ
@given(code=CODES, request=requests(("status", "reason", "note")))
def test_butir_status(target, code, request):
    if target.post(f"/assessments/{target.aid}/butir/{code}/status", request):
        stored_states_are_valid(target)


@FUZZ
@given(code=CODES, action=st.sampled_from(["attach", "detach"]), request=requests(("evidence_id",)))
def test_butir_evidence(target, code, action, request):
    if target.post(f"/assessments/{target.aid}/butir/{code}/{action}", request):
        stored_states_are_valid(target)


@FUZZ
@given(code=CODES, request=requests(("due",)))
def test_butir_due_date(target, code, request):
    if target.post(f"/assessments/{target.aid}/butir/{code}/due", request):
        stored_states_are_valid(target)
