"""The /api OpenAPI schema: documented, and fuzzed by schemathesis: never a 5xx, answers as documented.

Each operation's Hypothesis strategy runs inside an ordinary test: schemathesis' pytest loader
(`schemathesis.pytest.from_fixture`) still writes `Item._nodeid`, which pytest 9.2 no longer has.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from sqlmodel import select

from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_CODE
from spbe.store import queries
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Instansi
from tests.web.conftest import login

# Examples per operation and mode; the routes that write get more. Both databases: well under a minute.
MAX_EXAMPLES, MAX_EXAMPLES_PUT = 30, 150
# Text that databases refuse or mangle: NUL (PostgreSQL), over-long units, SQL, line breaks, non-ASCII.
HOSTILE_TEXTS = ["\x00", "Dinas\x00Kominfo", "x" * 256, "'; DROP TABLE answers; --", " \r\n\t ",
                 "Diskominfo 🇮🇩"]
OPERATIONS = [
    "GET /api/csrf",
    "GET /api/rubrics",
    "GET /api/rubrics/{rubric_id}",
    "GET /api/assessments",
    "GET /api/assessments/{assessment_id}",
    "GET /api/assessments/{assessment_id}/answers",
    "PUT /api/assessments/{assessment_id}/answers/{indicator}",
    "GET /api/assessments/{assessment_id}/evidence",
    "GET /api/assessments/{assessment_id}/score",
    "GET /api/assessments/{assessment_id}/butir",
    "GET /api/assessments/{assessment_id}/butir/{code}",
    "PUT /api/assessments/{assessment_id}/butir/{code}",
]


def fuzz_config(cookie: str, csrf_token: str, assessment_ids: list[int]) -> SchemathesisConfig:
    """Sign in through the "session" cookie scheme, with the CSRF token; aim often at real assessments."""
    return SchemathesisConfig.from_dict({
        "auth": {"openapi": {"session": {"api_key": cookie}}},
        "headers": {"X-CSRF-Token": csrf_token},
        "dictionaries": {"assessments": {"values": assessment_ids}, "rubrics": {"values": ["spbe-2021"]},
                         "indicators": {"values": ["I47", "47", "i01", "I99"]},
                         "levels": {"values": [1, 3, 5, "4"]}, "texts": {"values": HOSTILE_TEXTS},
                         "butir": {"values": ["I17-L1-01", "I01-L2-02", "i3-l1-1", "I1-L9-01", "I47-L1-01"]},
                         "statuses": {"values": ["belum", "disiapkan", "diunggah", "diterima", "revisi",
                                                 "otomatis_ditolak", "lulus"]},
                         "reasons": {"values": ["tidak_tepat", "belum_diunggah", "salah"]}},
        "parameters": {"path.assessment_id": {"dictionary": "assessments", "probability": 0.8},
                       "path.rubric_id": {"dictionary": "rubrics", "probability": 0.5},
                       "path.indicator": {"dictionary": "indicators", "probability": 0.8},
                       "body.value": {"dictionary": "levels", "probability": 0.5},
                       "body.explanation": {"dictionary": "texts", "probability": 0.5},
                       "body.responsible_unit": {"dictionary": "texts", "probability": 0.5},
                       "path.code": {"dictionary": "butir", "probability": 0.8},
                       "body.status": {"dictionary": "statuses", "probability": 0.8},
                       "body.reason": {"dictionary": "reasons", "probability": 0.5},
                       "body.note": {"dictionary": "texts", "probability": 0.5}},
        # Valid levels depend on the assessment's rubric, which the schema cannot state: there 422 is right.
        "operations": [{"include-method": "PUT", "checks": {"positive_data_acceptance": {
            "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]}}}],
    })


@pytest.fixture
def api_schema(web_app_any_db: FastAPI) -> schemathesis.BaseSchema:
    with TestClient(web_app_any_db) as client:
        token = login(client, "koordinator").get("/api/csrf").json()["csrf_token"]
        cookie = client.cookies["spbe_session"]
    with session_scope(web_app_any_db.state.engine) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
        queries.create_assessment(db, instansi, 2026, get_rubric("pemdi-2026"))  # butir to change
    with session_scope(web_app_any_db.state.engine) as db:
        ids = sorted(a.id for a in db.exec(select(Assessment)))
    config = fuzz_config(cookie, token, ids)
    return schemathesis.openapi.from_asgi("/api/openapi.json", web_app_any_db, config=config)


def api_operations(schema: schemathesis.BaseSchema) -> dict[str, Any]:
    found = (result.ok() for result in schema.get_all_operations())
    return {op.label: op for op in found if op.path.startswith("/api/")}


def fuzz(operation: Any, mode: GenerationMode) -> None:
    """Send Hypothesis-generated requests for one operation; raise on a 5xx or a response off the schema."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES_PUT if operation.method.upper() == "PUT" else MAX_EXAMPLES,
              deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate()

    run()


def test_the_api_never_fails_and_answers_as_documented(api_schema, subtests):
    operations = api_operations(api_schema)
    assert sorted(operations) == sorted(OPERATIONS), "a new /api route: add it to OPERATIONS"
    for label in OPERATIONS:
        # GET /api/csrf takes no input at all, not even the cookie: there is nothing to make invalid.
        negative = [GenerationMode.NEGATIVE] if label != "GET /api/csrf" else []
        for mode in (GenerationMode.POSITIVE, *negative):
            with subtests.test(label, mode=mode.value):  # every operation reports, not only the first failing
                fuzz(operations[label], mode)


def test_every_api_operation_is_documented_with_its_errors(web_app: FastAPI):
    spec = TestClient(web_app).get("/api/openapi.json").json()
    session = spec["components"]["securitySchemes"]["session"]
    assert (session["type"], session["in"], session["name"]) == ("apiKey", "cookie", "spbe_session")
    assert "X-CSRF-Token" in session["description"]
    documented = {f"{m.upper()} {p}": op for p, ops in spec["paths"].items() if p.startswith("/api/")
                  for m, op in ops.items()}
    assert sorted(documented) == sorted(OPERATIONS)
    public = documented.pop("GET /api/csrf")  # needed before signing in
    assert "security" not in public and "$ref" in str(public["responses"]["200"]["content"])
    for label, op in documented.items():
        assert op["summary"] and op["security"] == [{"session": []}], label
        assert "$ref" in str(op["responses"]["200"]["content"]["application/json"]["schema"]), label
        for status in ("401", "422"):
            assert op["responses"][status]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"}, (label, status)
    assert not any(p.startswith("/assessments/") and "dashboard" in p for p in spec["paths"])
