"""Evidence on both databases (SQLite and PostgreSQL): store once, download, refuse duplicates, roles."""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests import evidence_files as samples
from tests.web.conftest import outsider
from tests.web.evidence_helpers import (
    HTMX,
    add_link,
    assessment_id,
    assign,
    evidence_rows,
    snapshot,
    stored_rows,
    upload,
)


@pytest.fixture
def app(web_app_any_db: FastAPI) -> FastAPI:
    return web_app_any_db


def test_upload_store_once_download_and_delete(app, client_as_any_db):
    client, aid, content = client_as_any_db("koordinator"), assessment_id(app), samples.pdf()
    assert upload(client, aid, "I01", content, "../../x.pdf").status_code == 200
    assert upload(client, aid, "I02", content, "perwal.pdf").status_code == 200
    assert upload(client, aid, "I02", content, "perwal.pdf").status_code == 409
    files, evidence, stored = snapshot(app)
    digest = hashlib.sha256(content).hexdigest()
    assert (files, evidence, stored) == ([f"evidence/{digest[:2]}/{digest[2:]}.bin"], 2, 1)
    first, second = evidence_rows(app)
    assert first.original_filename == "x.pdf" and first.file_id == second.file_id == stored_rows(app)[0].id
    download = client.get(f"/evidence/{first.id}/download")
    assert download.content == content and download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith('attachment; filename="x.pdf"')
    assert client.post(f"/evidence/{first.id}/delete", headers=HTMX).status_code == 200
    assert [e.id for e in evidence_rows(app)] == [second.id]


def test_links_and_bad_input_change_nothing(app, client_as_any_db):
    client, aid = client_as_any_db("koordinator"), assessment_id(app)
    assert add_link(client, aid, "I01", note="akun uji: demo / demo").status_code == 200
    before = snapshot(app)
    assert add_link(client, aid, "I01").status_code == 409
    assert add_link(client, aid, "I01", "javascript:alert(1)").status_code == 422
    assert upload(client, aid, "I01", samples.pdf(), levels=("7",)).status_code == 422
    assert upload(client, aid, "I01", samples.HTML, "laporan.pdf").status_code == 415
    assert upload(client, aid, "I99", samples.pdf()).status_code == 404
    assert snapshot(app) == before


def test_roles_on_both_databases(app, client_as_any_db):
    aid = assessment_id(app)
    kontributor, peninjau = client_as_any_db("kontributor"), client_as_any_db("peninjau")
    assert upload(kontributor, aid, "I03", samples.image()).status_code == 403
    assign(app, aid, "I03")
    assert upload(kontributor, aid, "I03", samples.image()).status_code == 200
    [item] = evidence_rows(app)
    assert peninjau.get(f"/evidence/{item.id}/download").status_code == 200
    assert peninjau.post(f"/evidence/{item.id}/delete").status_code == 403
    with outsider(app) as stranger:
        assert stranger.get(f"/evidence/{item.id}/download").status_code == 404
    assert len(evidence_rows(app)) == 1


def test_a_form_posted_twice_at_once_adds_one_item(app, client_as_any_db):
    aid, clients = assessment_id(app), [client_as_any_db("koordinator") for _ in range(4)]
    start = threading.Barrier(len(clients))

    def post(client: TestClient) -> int:
        start.wait()
        return add_link(client, aid, "I01").status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = sorted(pool.map(post, clients))
    assert statuses == [200, 409, 409, 409]
    assert len(evidence_rows(app)) == 1
