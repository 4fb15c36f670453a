"""The JSON API on SQLite and PostgreSQL: every route for every role, changes to the score, bad input."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from spbe.method.rubric import get_rubric
from spbe.method.scoring import score
from spbe.ops.demo import DEMO_USERS, ensure_user
from spbe.store import queries
from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, AssessmentStatus, Evidence, Role, StoredFile, User
from tests.conftest import ROOT
from tests.web.conftest import login, send_csrf

ROLES = ["koordinator", "kontributor", "peninjau", "admin", "outsider", "anonymous"]
Client = Callable[[str], TestClient]


@pytest.fixture
def app(web_app_any_db: FastAPI) -> FastAPI:
    """The demo app, with indicator 47 of 2022 assigned to the demo kontributor."""
    with session_scope(web_app_any_db.state.engine) as db:
        kontributor = db.exec(select(User).where(User.username == DEMO_USERS[Role.KONTRIBUTOR])).one()
        answer = db.exec(select(Answer).join(Assessment).where(Assessment.year == 2022,
                                                               Answer.indicator_id == "I47")).one()
        answer.assignee_id = kontributor.id
        ensure_user(db, "orang-luar", "orang-luar")  # a member of no instansi
    return web_app_any_db


@pytest.fixture
def ids(app: FastAPI) -> dict[int, int]:
    with session_scope(app.state.engine) as db:
        return {a.year: a.id for a in db.exec(select(Assessment))}


@pytest.fixture
def client(app: FastAPI) -> Iterator[Client]:
    """client('koordinator' | 'outsider' | 'anonymous' | ...) -> a TestClient signed in as that person."""
    clients: list[TestClient] = []

    def make(who: str) -> TestClient:
        c = send_csrf(TestClient(app))
        clients.append(c)
        if who == "outsider":
            c.post("/login", data={"username": "orang-luar", "password": "orang-luar"})
        elif who != "anonymous":
            login(c, who)
        return c

    yield make
    for c in clients:
        c.close()


def expected(who: str, member: int, put: int = 200) -> int:
    """The status a route answers: anonymous 401, outsider 404 on assessments, else what the role gets."""
    return {"anonymous": 401, "outsider": 404}.get(who, member if member != 200 or put == 200 else put)


@pytest.mark.parametrize("who", ROLES)
def test_every_route_applies_the_pages_permissions(client, ids, who):
    c, a = client(who), ids[2022]
    signed_in = 401 if who == "anonymous" else 200
    assert c.get("/api/rubrics").status_code == signed_in
    assert c.get("/api/rubrics/spbe-2021").status_code == signed_in
    listing = c.get("/api/assessments")
    assert listing.status_code == signed_in
    if who not in ("anonymous", "outsider"):
        assert {(x["year"], x["role"]) for x in listing.json()} == {(2021, who), (2022, who)}
    elif who == "outsider":
        assert listing.json() == []
    for path in ("", "/answers", "/evidence", "/score"):
        assert c.get(f"/api/assessments/{a}{path}").status_code == expected(who, 200), path
    may_edit_47 = 200 if who in ("koordinator", "kontributor") else 403
    put_47 = c.put(f"/api/assessments/{a}/answers/I47", json={"value": 4})
    assert put_47.status_code == expected(who, may_edit_47)
    may_edit_46 = 200 if who == "koordinator" else 403  # I46 is not assigned to the kontributor
    put_46 = c.put(f"/api/assessments/{a}/answers/I46", json={"value": 3})
    assert put_46.status_code == expected(who, may_edit_46)


def test_errors_are_json_with_an_indonesian_message(client, ids):
    assert client("anonymous").get("/api/assessments").json() == {"detail": "Silakan masuk terlebih dahulu."}
    assert client("outsider").get(f"/api/assessments/{ids[2022]}").json() == {
        "detail": "Halaman atau data tidak ditemukan."}
    forbidden = client("peninjau").put(f"/api/assessments/{ids[2022]}/answers/I47", json={"value": 4})
    assert forbidden.json() == {"detail": "Anda tidak memiliki hak untuk tindakan ini."}


def test_changing_indicator_47_from_4_to_5_moves_the_2022_index_to_2_6925(client, ids):
    c = client("kontributor")
    before = c.get(f"/api/assessments/{ids[2022]}/answers").json()[46]
    assert (before["indicator_id"], before["value"], before["editable"]) == ("I47", "4", True)
    url = f"/api/assessments/{ids[2022]}/answers/47"  # the number alone names the indicator too
    response = c.put(url, json={"value": "5", "version": before["version"]})
    assert response.status_code == 200, response.text
    assert response.json()["value"] == "5" and response.json()["version"] == before["version"] + 1
    result = c.get(f"/api/assessments/{ids[2022]}/score").json()
    assert (result["index"], result["index_published"], result["predikat"]) == ("2.6925", "2.69", "Baik")


def test_fields_left_out_are_kept_and_null_clears_a_level(client, ids):
    c, url = client("koordinator"), f"/api/assessments/{ids[2022]}/answers/I47"
    c.put(url, json={"value": 4, "explanation": "  Ada SK  ", "target_value": 5,
                     "responsible_unit": "Dinas  Kominfo"})
    kept = c.put(url, json={"value": 3}).json()
    assert (kept["value"], kept["explanation"], kept["target_value"], kept["responsible_unit"]) == (
        "3", "Ada SK", "5", "Dinas Kominfo")
    cleared = c.put(url, json={"value": None, "target_value": None}).json()
    assert cleared["value"] is None and cleared["target_value"] is None and cleared["explanation"] == "Ada SK"
    result = c.get(f"/api/assessments/{ids[2022]}/score").json()
    assert result["index"] is None and result["answered"] == 46 and result["index_range"] == ["2.57", "2.69"]


def test_a_version_written_as_a_whole_float_is_the_schemas_integer(client, ids):
    c, url = client("koordinator"), f"/api/assessments/{ids[2022]}/answers/I47"
    version = c.get(f"/api/assessments/{ids[2022]}/answers").json()[46]["version"]
    saved = c.put(url, json={"value": 5, "version": float(version)})
    assert saved.status_code == 200 and saved.json()["version"] == version + 1
    schema = client("koordinator").get("/api/openapi.json").json()["components"]["schemas"]["AnswerUpdate"]
    assert {"type": "integer", "minimum": 0, "maximum": 2**31 - 1} in schema["properties"]["version"]["anyOf"]


def test_a_never_saved_answer_has_version_0_and_saving_it_completes_2021(app, client, ids):
    with session_scope(app.state.engine) as db:  # 2021 as if indicator 47 had never been answered
        query = select(Answer).where(Answer.assessment_id == ids[2021], Answer.indicator_id == "I47")
        db.delete(db.exec(query).one())
    c = client("koordinator")
    assert c.get(f"/api/assessments/{ids[2021]}/score").json()["complete"] is False
    missing = c.get(f"/api/assessments/{ids[2021]}/answers").json()[46]
    assert (missing["indicator_id"], missing["value"], missing["version"]) == ("I47", None, 0)
    saved = c.put(f"/api/assessments/{ids[2021]}/answers/I47", json={"value": 1, "version": 0})
    assert saved.status_code == 200 and saved.json()["version"] == 1
    assert c.get(f"/api/assessments/{ids[2021]}/score").json()["complete"] is True


def test_saving_the_same_values_again_changes_nothing(client, ids):
    c, url = client("koordinator"), f"/api/assessments/{ids[2022]}/answers/I47"
    first = c.put(url, json={"value": 4}).json()
    assert c.put(url, json={"value": "4"}).json() == first


def test_a_stale_version_is_refused_and_shows_the_newer_answer(client, ids):
    c, url = client("koordinator"), f"/api/assessments/{ids[2022]}/answers/I47"
    version = c.put(url, json={"value": 5, "explanation": "versi orang lain"}).json()["version"]
    response = c.put(url, json={"value": 2, "version": version - 1})
    assert response.status_code == 409
    body = response.json()
    assert "sudah diubah orang lain" in body["detail"]
    assert (body["current"]["value"], body["current"]["explanation"]) == ("5", "versi orang lain")


def test_a_submitted_assessment_is_locked(client, ids, app):
    with session_scope(app.state.engine) as db:
        db.get(Assessment, ids[2022]).status = AssessmentStatus.SUBMITTED.value
    c = client("koordinator")
    response = c.put(f"/api/assessments/{ids[2022]}/answers/I47", json={"value": 5})
    assert response.status_code == 409 and "sudah diserahkan" in response.json()["detail"]
    assert not any(a["editable"] for a in c.get(f"/api/assessments/{ids[2022]}/answers").json())
    assert c.get(f"/api/assessments/{ids[2022]}").json()["status"] == "submitted"


BAD_INPUT: list[tuple[str, Any, int]] = [
    ("I47", {"value": 7}, 422),
    ("I47", {"value": "abc"}, 422),
    ("I47", {"value": 0}, 422),
    ("I47", {"value": 2.5}, 422),
    ("I47", {"value": [3]}, 422),
    ("I47", {"value": True}, 422),
    ("I47", {"value": 3, "target_value": 9}, 422),
    ("I47", {"explanation": "tanpa nilai"}, 422),
    ("I47", {"value": 3, "explanation": 5}, 422),
    ("I47", {"value": 3, "version": "1"}, 422),
    ("I47", {"value": 3, "version": 1.5}, 422),
    ("I47", {"value": 3, "version": True}, 422),
    ("I47", {"value": 3, "version": 1e300}, 422),
    ("I47", b'[' * 40 + b']' * 40, 422),  # nested past the depth limit
    ("I47", b'{"value": ' + b"9" * 5000 + b"}", 422),  # a number of 5,000 digits
    ("I47", b'{"value": 3, "explanation": "' + b"x" * 300_000 + b'"}', 413),
    ("I47", {"value": 3, "version": -1}, 422),
    ("I47", {"value": 3, "nilai": 3}, 422),
    ("I47", {"value": 3, "responsible_unit": "x" * 256}, 422),
    ("I47", {"value": 3, "explanation": "nul\x00byte"}, 422),
    ("I47", [3], 422),
    ("I47", b"{not json", 422),
    ("I47", b"\xff\xfe not utf-8", 422),
    ("I47", b'{"value": 3, "explanation": "\\ud800"}', 422),  # a lone surrogate no database can queries
    ("I99", {"value": 3}, 404),
    ("I47;DROP", {"value": 3}, 404),
    ("I47", {"value": 3, "version": 999}, 409),
]


@pytest.mark.parametrize(("indicator", "body", "status"), BAD_INPUT)
def test_bad_input_gets_a_clear_4xx_and_changes_nothing(client, ids, indicator, body, status):
    c, base = client("koordinator"), f"/api/assessments/{ids[2022]}"
    before = c.get(f"{base}/answers").json(), c.get(f"{base}/score").json()
    sent: dict[str, Any] = {"content": body, "headers": {"content-type": "application/json"}} if isinstance(
        body, bytes) else {"json": body}
    response = c.put(f"{base}/answers/{indicator}", **sent)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail and "Input should" not in detail
    assert (c.get(f"{base}/answers").json(), c.get(f"{base}/score").json()) == before


def test_validation_messages_name_the_field_and_the_reason(client, ids):
    url = f"/api/assessments/{ids[2022]}/answers/I47"
    c = client("koordinator")
    assert c.put(url, json={"value": 7}).json()["detail"] == (
        "Isian tidak valid — value: tingkat 7 di luar rentang 1–5.")
    assert c.put(url, json={"value": 3, "responsible_unit": "x" * 256}).json()["detail"] == (
        "Isian tidak valid — responsible_unit: terlalu panjang (maksimal 255 karakter).")
    c.get("/lang/en")
    assert c.put(url, json={"explanation": 1}).json()["detail"] == (
        "Invalid input — value: required; explanation: wrong type of data.")
    assert c.get("/api/assessments/abc").status_code == 422


def test_answers_list_every_indicator_in_rubric_order_with_what_each_user_may_edit(client, ids):
    rows = client("kontributor").get(f"/api/assessments/{ids[2022]}/answers").json()
    assert [r["indicator_id"] for r in rows] == [i.id for i in get_rubric("spbe-2021").indicators]
    assert [r["indicator_id"] for r in rows if r["editable"]] == ["I47"]
    everything = client("koordinator").get(f"/api/assessments/{ids[2022]}/answers").json()
    assert all(r["editable"] for r in everything)


def test_evidence_is_listed_as_metadata_only(client, ids, app):
    with session_scope(app.state.engine) as db:
        stored = StoredFile(sha256="ab" * 32, size=1234, content_type="application/pdf",
                            storage_name="ab/abab")
        db.add(stored)
        db.flush()
        db.add(Evidence(assessment_id=ids[2022], indicator_id="I01", kind="file", title="SK Tim SPBE",
                        doc_number="188/12/2022", doc_date=dt.date(2022, 3, 1), file_id=stored.id,
                        original_filename="sk.pdf", levels="3,2"))
        db.add(Evidence(assessment_id=ids[2022], indicator_id="I47", kind="url", title="Aplikasi SRIKANDI",
                        url="https://srikandi.example.go.id", note="akun uji: demo/demo", levels="4"))
    items = client("peninjau").get(f"/api/assessments/{ids[2022]}/evidence").json()
    assert [(e["indicator_id"], e["kind"], e["levels"]) for e in items] == [("I01", "file", [2, 3]),
                                                                            ("I47", "url", [4])]
    assert items[0]["file"] == {"sha256": "ab" * 32, "size": 1234, "content_type": "application/pdf"}
    assert items[0]["doc_date"] == "2022-03-01" and items[1]["file"] is None
    assert "storage_name" not in str(items)


def test_the_score_is_the_cli_json_contract(client, ids, app):
    for year in (2021, 2022):
        with session_scope(app.state.engine) as db:
            found = db.get(Assessment, ids[year])
            contract = score(get_rubric(found.rubric_id), queries.assessment_values(db, found)).as_json()
        assert client("admin").get(f"/api/assessments/{ids[year]}/score").json() == contract


def test_rubrics_give_the_structure_and_every_indicator_with_its_levels(client):
    c = client("peninjau")
    listed = {r["id"]: r for r in c.get("/api/rubrics").json()}
    assert listed["spbe-2021"]["indicators"] == 47 and listed["spbe-2021"]["values"]["max"] == 5
    detail = c.get("/api/rubrics/spbe-2021").json()
    assert [d["id"] for d in detail["meta"]["domains"]] == ["D1", "D2", "D3", "D4"]
    assert detail["meta"]["bands"][2] == {"name": "Baik", "min": "2.60", "max": "3.50"}
    assert len(detail["indicators"]) == 47
    assert set(detail["indicators"][0]["levels"]) == {"1", "2", "3", "4", "5"}
    assert c.get("/api/rubrics/..").status_code == 404
    assert c.get("/api/rubrics/tidak-ada").json() == {"detail": "Rubrik tidak-ada tidak dikenal."}


def test_a_broken_rubric_folder_is_not_offered(client, monkeypatch, tmp_path: Path):
    shutil.copytree(ROOT / "rubric" / "spbe-2021", tmp_path / "spbe-2021")
    (tmp_path / "rusak").mkdir()
    (tmp_path / "rusak" / "rubric.yaml").write_text("id: rusak\n", encoding="utf-8")
    monkeypatch.setenv("SPBE_RUBRIC_DIR", str(tmp_path))
    c = client("koordinator")
    assert [r["id"] for r in c.get("/api/rubrics").json()] == ["spbe-2021"]
    assert c.get("/api/rubrics/rusak").status_code == 404
