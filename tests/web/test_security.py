"""CSRF protection on every state-changing request, the session cookie, and the security headers."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import func, select

from spbe.app import create_app
from spbe.ops.demo import DEMO_USERS
from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, Role
from tests import evidence_files as samples
from tests.conftest import ROOT
from tests.web.conftest import make_settings
from tests.web.evidence_helpers import assessment_id, panel_url, snapshot

HTMX = {"HX-Request": "true"}
REFUSED = "token keamanan formulir tidak ada atau tidak cocok"


def signed_in(app: FastAPI, role: str = "koordinator") -> tuple[TestClient, str]:
    """A client signed in by hand (it adds no token by itself) and its session's token."""
    client = TestClient(app)
    username = DEMO_USERS[Role(role)]
    response = client.post("/login", data={"username": username, "password": username},
                           headers={"X-CSRF-Token": client.get("/api/csrf").json()["csrf_token"]},
                           follow_redirects=False)
    assert response.status_code == 303
    return client, response.headers["X-CSRF-Token"]


def answer_of(app: FastAPI, assessment: int, indicator: str = "I47") -> tuple[object, int]:
    with session_scope(app.state.engine) as db:
        answer = db.exec(select(Answer).where(Answer.assessment_id == assessment,
                                              Answer.indicator_id == indicator)).one()
        return answer.value, answer.version


def assessments(app: FastAPI) -> int:
    with session_scope(app.state.engine) as db:
        return db.exec(select(func.count()).select_from(Assessment)).one()


# --- CSRF ------------------------------------------------------------------------------------------


def test_a_page_form_needs_the_token_from_its_hidden_field(web_app):
    client, _ = signed_in(web_app)
    home = BeautifulSoup(client.get("/").text, "html.parser")
    form = home.select_one("form.create-assessment")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    assert form.select_one("input")["name"] == "csrf_token"  # first, so a multipart body shows it early
    fields["year"] = "2023"
    before = assessments(web_app)

    refused = client.post("/assessments", data={k: v for k, v in fields.items() if k != "csrf_token"})
    assert refused.status_code == 403 and REFUSED in refused.text
    assert "<html" in refused.text  # the error page, with a fresh form token for the next try
    assert assessments(web_app) == before

    wrong = client.post("/assessments", data={**fields, "csrf_token": "x" + fields["csrf_token"]})
    assert wrong.status_code == 403 and assessments(web_app) == before

    created = client.post("/assessments", data=fields, follow_redirects=False)
    assert created.status_code == 303 and assessments(web_app) == before + 1


def test_an_htmx_request_needs_the_header_from_the_body_element(web_app):
    client, _ = signed_in(web_app)
    aid = assessment_id(web_app)
    page = BeautifulSoup(client.get(f"/assessments/{aid}").text, "html.parser")
    token = re.fullmatch(r'\{"X-CSRF-Token": "([\w-]+)"\}', page.body["hx-headers"]).group(1)
    before = answer_of(web_app, aid)
    url = f"/assessments/{aid}/indicators/I47"

    refused = client.post(url, data={"value": "5", "version": str(before[1])}, headers=HTMX)
    assert refused.status_code == 403 and REFUSED in refused.text
    assert "<html" not in refused.text  # only the message block, for htmx to show
    assert answer_of(web_app, aid) == before

    saved = client.post(url, data={"value": "5", "version": str(before[1])},
                        headers={**HTMX, "X-CSRF-Token": token})
    assert saved.status_code == 200 and answer_of(web_app, aid)[1] == before[1] + 1


def test_an_api_put_needs_the_header_from_get_api_csrf(web_app):
    client, _ = signed_in(web_app)
    aid = assessment_id(web_app)
    before = answer_of(web_app, aid)
    url = f"/api/assessments/{aid}/answers/I47"

    refused = client.put(url, json={"value": 5, "version": before[1]})
    assert refused.status_code == 403 and REFUSED in refused.json()["detail"]
    assert answer_of(web_app, aid) == before

    token = client.get("/api/csrf").json()["csrf_token"]
    saved = client.put(url, json={"value": 5, "version": before[1]}, headers={"X-CSRF-Token": token})
    assert saved.status_code == 200 and answer_of(web_app, aid)[1] == before[1] + 1


def test_a_token_from_another_session_is_refused(web_app):
    mine, _ = signed_in(web_app)
    _, theirs = signed_in(web_app, "kontributor")
    aid = assessment_id(web_app)
    before = answer_of(web_app, aid)
    response = mine.put(f"/api/assessments/{aid}/answers/I47", json={"value": 5, "version": before[1]},
                        headers={"X-CSRF-Token": theirs})
    assert response.status_code == 403 and answer_of(web_app, aid) == before


def test_signing_in_needs_a_token_and_gives_a_new_one(web_app):
    client = TestClient(web_app)
    credentials = {"username": "demo-koordinator", "password": "demo-koordinator"}
    refused = client.post("/login", data=credentials, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303  # still signed out

    form = BeautifulSoup(client.get("/login").text, "html.parser").select_one("form")
    before = form.select_one("input[name=csrf_token]")["value"]
    done = client.post("/login", data={"csrf_token": before, **credentials}, follow_redirects=False)
    assert done.status_code == 303
    after = done.headers["X-CSRF-Token"]
    assert after != before  # the session is new: a token planted before signing in is worthless
    aid = assessment_id(web_app)
    version = answer_of(web_app, aid)[1]
    url = f"/api/assessments/{aid}/answers/I47"
    answer = {"value": 5, "version": version}
    assert client.put(url, json=answer, headers={"X-CSRF-Token": before}).status_code == 403
    assert client.put(url, json=answer, headers={"X-CSRF-Token": after}).status_code == 200


def test_signing_out_needs_the_token_and_clears_the_session(web_app):
    client, token = signed_in(web_app)
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200  # still signed in
    out = client.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert out.status_code == 303 and "spbe_session=null" in out.headers["set-cookie"]
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_plain_multipart_upload_carries_the_token_as_its_first_field(web_app):
    client, token = signed_in(web_app)
    aid, before = assessment_id(web_app), snapshot(web_app)
    url = panel_url(aid, "I01") + "/file"
    files = {"file": ("bukti.pdf", samples.pdf(), "application/pdf")}
    refused = client.post(url, data={"title": "Perwali", "levels": "3"}, files=files)
    assert refused.status_code == 403 and snapshot(web_app) == before
    stored = client.post(url, data={"csrf_token": token, "title": "Perwali", "levels": "3"}, files=files)
    assert stored.status_code == 200 and len(snapshot(web_app)[0]) == 1


def test_a_multipart_body_without_the_token_is_refused_after_its_first_bytes(web_app):
    """The check reads at most 64 KiB of a multipart body, never the file behind it."""
    client, _ = signed_in(web_app)
    before = snapshot(web_app)
    head = (b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nBesar\r\n'
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="besar.pdf"\r\n\r\n%PDF-1.4\n')
    body = head + bytes(3 * 1024 * 1024) + b"\r\n--b--\r\n"
    chunks = [body[i: i + 16 * 1024] for i in range(0, len(body), 16 * 1024)]
    read: list[int] = []
    status: list[int] = []

    async def receive() -> dict:
        read.append(len(read))
        return {"type": "http.request", "body": chunks[len(read) - 1], "more_body": len(read) < len(chunks)}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    path = panel_url(assessment_id(web_app), "I01") + "/file"
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode()),
                         (b"content-type", b"multipart/form-data; boundary=b")],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    asyncio.run(web_app(scope, receive, send))
    assert status == [403]
    assert len(read) <= 4  # 64 KiB of 3 MiB
    assert snapshot(web_app) == before


# --- the session cookie ----------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_and_samesite_lax_and_not_secure_in_development(web_app):
    cookie = TestClient(web_app).get("/login").headers["set-cookie"].lower()
    assert cookie.startswith("spbe_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_in_production_the_session_cookie_is_secure_and_https_is_required(tmp_path: Path, demo_sqlite_url):
    settings = make_settings(tmp_path, demo_sqlite_url, env="production", secret_key="k" * 40)
    app = create_app(settings)
    try:
        response = TestClient(app, base_url="https://testserver").get("/login")
    finally:
        app.state.engine.dispose()
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    app = create_app(settings)
    try:
        language = TestClient(app, base_url="https://testserver").get("/lang/en", follow_redirects=False)
    finally:
        app.state.engine.dispose()
    lang_cookie = language.headers["set-cookie"].lower()
    assert lang_cookie.startswith("lang=en") and "secure" in lang_cookie and "httponly" in lang_cookie


# --- security headers ------------------------------------------------------------------------------


def assert_security_headers(response) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "camera=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # development: plain HTTP
    csp = dict(d.strip().split(" ", 1) for d in headers["content-security-policy"].split(";"))
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert csp["base-uri"] == "'self'" and csp["form-action"] == "'self'"
    assert "unsafe" not in headers["content-security-policy"]


def test_every_kind_of_response_carries_the_security_headers(web_app):
    client, _ = signed_in(web_app)
    aid = assessment_id(web_app)
    responses = [
        TestClient(web_app).get("/login"),  # a page, signed out
        client.get(f"/assessments/{aid}"),  # a page
        client.get(f"/assessments/{aid}?aspect=A3", headers=HTMX),  # an htmx fragment
        client.get("/api/rubrics"),  # the API
        client.get("/api/csrf"),
        TestClient(web_app).get("/api/rubrics"),  # an API error (401)
        client.get("/static/htmx.min.js"),  # static files
        client.get("/static/app.css"),
        client.get("/no/such/page"),  # 404
        client.post("/logout"),  # a CSRF refusal
        client.get(f"/assessments/{aid}/charts/aspects.svg"),  # an image
    ]
    for response in responses:
        assert_security_headers(response)


def test_an_evidence_download_keeps_its_own_sandbox_policy(web_app):
    client, token = signed_in(web_app)
    aid = assessment_id(web_app)
    client.post(panel_url(aid, "I01") + "/file",
                data={"csrf_token": token, "title": "Perwali", "levels": "3"},
                files={"file": ("bukti.pdf", samples.pdf(), "application/pdf")})
    page = client.get(panel_url(aid, "I01"), headers=HTMX).text
    download = re.search(r'href="(/evidence/\d+/download)"', page).group(1)
    response = client.get(download)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_the_api_docs_are_served_from_the_app_itself_without_inline_script(web_app):
    client = TestClient(web_app)
    response = client.get("/api/docs")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "http" not in csp
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.text) == []
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', response.text):
        assert client.get(asset).status_code == 200, asset


TEMPLATES = ROOT / "web" / "templates"
SERVED = [p for p in TEMPLATES.rglob("*.html") if not p.name.startswith(("pack_", "_pack"))]  # not the ZIP's


@pytest.mark.parametrize("template", SERVED, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_served_template_has_inline_script_style_or_handlers(template: Path):
    """The CSP would block them: scripts and styles live in web/static."""
    html = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"<style\b", html), "<style> element"
    assert not re.search(r"\sstyle\s*=", html), "style attribute"
    assert not re.search(r"\son[a-z]+\s*=", html), "on* handler attribute"
    assert not re.search(r"hx-on|javascript:", html), "script in an attribute"


def test_every_plain_post_form_starts_with_the_token_field():
    for template in SERVED:
        html = template.read_text(encoding="utf-8").replace("{{ csrf_field() }}", "<csrf>")
        html = re.sub(r"{%.*?%}|{{.*?}}", "", html, flags=re.DOTALL)  # Jinja tags may hold a '>'
        for form in re.finditer(r'<form[^>]*method="post"[^>]*>', html):
            assert html[form.end():].lstrip().startswith("<csrf>"), (template.name, form.group(0))
