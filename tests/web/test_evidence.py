"""Evidence per indicator in the web app: real uploads, downloads, roles, bad input, the panel, warnings."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from spbe.app import create_app
from spbe.method.evidence_rules import evaluation_period, today_in_indonesia
from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, AssessmentStatus
from tests import evidence_files as samples
from tests.web.conftest import make_settings, outsider
from tests.web.evidence_helpers import (
    HTMX,
    add_link,
    assessment_id,
    assign,
    evidence_rows,
    panel_url,
    snapshot,
    stored_rows,
    upload,
    user_id,
)

MB = 1024 * 1024


@pytest.fixture
def web_app(tmp_path, demo_sqlite_url) -> Iterator[FastAPI]:
    """The demo app with a 1 MB upload limit (overrides the shared fixture for this module)."""
    app = create_app(make_settings(tmp_path, demo_sqlite_url, max_upload_mb=1))
    yield app
    app.state.engine.dispose()


@pytest.fixture
def aid(web_app) -> int:
    return assessment_id(web_app)


def test_an_uploaded_pdf_lands_under_evidence_dir_by_hash_and_in_the_database(web_app, client_as, aid):
    content = samples.pdf()
    response = upload(
        client_as("koordinator"),
        aid,
        "I01",
        content,
        "Perwal 12 2021.pdf",
        doc_number="12/2021",
        doc_date="2021-06-30",
        levels=("3", "4"),
        internal="1",
    )
    assert response.status_code == 200, response.text
    assert "<html" not in response.text and "Data dukung ditambahkan." in response.text
    assert response.headers["HX-Trigger"] == "evidence-changed"
    [stored] = stored_rows(web_app)
    digest = hashlib.sha256(content).hexdigest()
    assert (stored.sha256, stored.size, stored.content_type) == (digest, len(content), "application/pdf")
    on_disk = web_app.state.settings.evidence_dir / digest[:2] / f"{digest[2:]}.bin"
    assert hashlib.sha256(on_disk.read_bytes()).hexdigest() == digest
    [item] = evidence_rows(web_app)
    assert (item.assessment_id, item.indicator_id, item.kind, item.file_id) == (aid, "I01", "file", stored.id)
    assert (item.title, item.doc_number, item.doc_date) == (
        "Peraturan Wali Kota tentang SPBE",
        "12/2021",
        dt.date(2021, 6, 30),
    )
    assert item.level_list == [3, 4] and item.internal and item.original_filename == "Perwal 12 2021.pdf"
    assert item.created_by_id == user_id(web_app, "koordinator")
    assert snapshot(web_app)[0] == [f"evidence/{digest[:2]}/{digest[2:]}.bin"]


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (
            samples.docx(),
            "notulen.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (samples.xlsx(), "rekap.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (samples.odt(), "laporan.odt", "application/vnd.oasis.opendocument.text"),
        (samples.image("PNG"), "tangkapan layar.png", "image/png"),
        (samples.image("JPEG"), "foto.jpg", "image/jpeg"),
    ],
)
def test_office_documents_and_images_are_accepted(web_app, client_as, aid, content, name, content_type):
    assert upload(client_as("koordinator"), aid, "I01", content, name).status_code == 200
    assert stored_rows(web_app)[0].content_type == content_type
    assert evidence_rows(web_app)[0].original_filename == name


def test_the_same_content_is_stored_once_for_two_indicators(web_app, client_as, aid):
    client, content = client_as("koordinator"), samples.pdf()
    assert upload(client, aid, "I01", content).status_code == 200
    assert upload(client, aid, "I02", content, "salinan.pdf", title="Salinan").status_code == 200
    files, evidence, stored = snapshot(web_app)
    assert (len(files), evidence, stored) == (1, 2, 1)
    assert {e.file_id for e in evidence_rows(web_app)} == {stored_rows(web_app)[0].id}


def test_a_download_returns_the_same_bytes_as_an_attachment_that_is_not_sniffed(web_app, client_as, aid):
    client, content = client_as("koordinator"), samples.docx()
    upload(client, aid, "I01", content, "Notulen rapat № 3.docx")
    [item] = evidence_rows(web_app)
    response = client.get(f"/evidence/{item.id}/download")
    assert response.status_code == 200 and response.content == content
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Notulen rapat № 3.docx')}" in disposition
    assert 'filename="Notulen rapat No 3.docx"' in disposition  # ASCII fallback


def test_a_traversal_file_name_is_stored_by_hash_and_shown_as_its_base_name(web_app, client_as, aid):
    response = upload(client_as("koordinator"), aid, "I01", samples.pdf(), "../../x.pdf")
    assert response.status_code == 200
    assert evidence_rows(web_app)[0].original_filename == "x.pdf"
    files = snapshot(web_app)[0]
    assert len(files) == 1 and files[0].startswith("evidence/") and files[0].endswith(".bin")
    assert ">x.pdf<" in response.text


def test_a_link_is_added_with_its_note(web_app, client_as, aid):
    response = add_link(
        client_as("koordinator"),
        aid,
        "I01",
        "https://sipd.pasuruankota.go.id/login",
        note="akun uji: demo / demo123",
        levels=("2", "3"),
    )
    assert response.status_code == 200
    [item] = evidence_rows(web_app)
    assert (item.kind, item.url, item.note, item.level_list) == (
        "url",
        "https://sipd.pasuruankota.go.id/login",
        "akun uji: demo / demo123",
        [2, 3],
    )
    assert "akun uji: demo / demo123" in response.text
    assert snapshot(web_app)[0] == []


def test_typed_text_is_escaped_in_the_panel(web_app, client_as, aid):
    client = client_as("koordinator")
    attack = '<script>alert("x")</script>'
    add_link(client, aid, "I01", title=attack, note=attack)
    upload(client, aid, "I01", samples.pdf(), attack + ".pdf", title=attack, doc_number=attack)
    text = client.get(panel_url(aid, "I01"), headers=HTMX).text
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_a_plain_form_post_redirects_to_the_panel_page(web_app, client_as, aid):
    client = client_as("koordinator")
    response = upload(client, aid, "I01", samples.pdf(), htmx=False)
    assert response.status_code == 303 and response.headers["location"] == panel_url(aid, "I01")
    page = client.get(response.headers["location"])
    assert (
        page.status_code == 200 and "<html" in page.text and "Peraturan Wali Kota tentang SPBE" in page.text
    )


# --- permissions ----------------------------------------------------------------------------------


def test_a_kontributor_adds_and_deletes_only_on_assigned_indicators(web_app, client_as, aid):
    client = client_as("kontributor")
    before = snapshot(web_app)
    assert upload(client, aid, "I01", samples.pdf()).status_code == 403
    assert add_link(client, aid, "I01").status_code == 403
    assert snapshot(web_app) == before
    assign(web_app, aid, "I01")
    assert upload(client, aid, "I01", samples.pdf()).status_code == 200
    assert upload(client, aid, "I02", samples.image()).status_code == 403
    [item] = evidence_rows(web_app)
    assert client.post(f"/evidence/{item.id}/delete", headers=HTMX).status_code == 200
    assert evidence_rows(web_app) == []


@pytest.mark.parametrize("role", ["peninjau", "admin"])
def test_readers_see_and_download_but_cannot_change(web_app, client_as, aid, role):
    upload(client_as("koordinator"), aid, "I01", samples.pdf())
    [item] = evidence_rows(web_app)
    client, before = client_as(role), snapshot(web_app)
    panel = client.get(panel_url(aid, "I01"), headers=HTMX)
    assert panel.status_code == 200 and "Peraturan Wali Kota tentang SPBE" in panel.text
    assert 'name="file"' not in panel.text and "/delete" not in panel.text
    assert client.get(f"/evidence/{item.id}/download").status_code == 200
    assert upload(client, aid, "I01", samples.image()).status_code == 403
    assert add_link(client, aid, "I01").status_code == 403
    assert client.post(f"/evidence/{item.id}/delete").status_code == 403
    assert snapshot(web_app) == before


def test_a_koordinator_deletes_any_item(web_app, client_as, aid):
    client = client_as("koordinator")
    upload(client, aid, "I01", samples.pdf())
    add_link(client, aid, "I01")
    first, second = evidence_rows(web_app)
    response = client.post(f"/evidence/{first.id}/delete", headers=HTMX)
    assert response.status_code == 200 and "Data dukung dihapus." in response.text
    assert [e.id for e in evidence_rows(web_app)] == [second.id]
    assert client.get(f"/evidence/{first.id}/download").status_code == 404
    assert client.post(f"/evidence/{first.id}/delete").status_code == 404


def test_non_members_get_not_found_everywhere(web_app, client_as, aid):
    upload(client_as("koordinator"), aid, "I01", samples.pdf())
    [item] = evidence_rows(web_app)
    before = snapshot(web_app)
    with outsider(web_app) as client:
        assert client.get(panel_url(aid, "I01")).status_code == 404
        assert client.get(f"/evidence/{item.id}/download").status_code == 404
        assert upload(client, aid, "I01", samples.image()).status_code == 404
        assert add_link(client, aid, "I01").status_code == 404
        assert client.post(f"/evidence/{item.id}/delete").status_code == 404
    assert snapshot(web_app) == before


def test_anonymous_visitors_are_sent_to_the_login(web_app, anonymous, aid):
    page = anonymous.get(panel_url(aid, "I01"), follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert anonymous.get(panel_url(aid, "I01"), headers=HTMX).status_code == 401
    assert upload(anonymous, aid, "I01", samples.pdf()).status_code == 401
    assert snapshot(web_app)[1:] == (0, 0)


def test_a_submitted_assessment_is_locked(web_app, client_as, aid):
    with session_scope(web_app.state.engine) as db:
        assessment = db.get(Assessment, aid)
        assessment.status = AssessmentStatus.SUBMITTED.value
        db.add(assessment)
    response = upload(client_as("koordinator"), aid, "I01", samples.pdf())
    assert response.status_code == 409 and "terkunci" in response.text
    assert snapshot(web_app)[1:] == (0, 0)


# --- bad input changes nothing --------------------------------------------------------------------

BAD_UPLOADS = {
    "oversized": (
        {"content": b"%PDF-1.4\n" + bytes(MB + 10)},
        413,
        "Berkas terlalu besar. Batas ukuran berkas adalah 1 MB.",
    ),
    "exe": ({"content": samples.EXE, "filename": "setup.exe"}, 415, "Jenis berkas tidak diizinkan."),
    "html as pdf": (
        {"content": samples.HTML, "filename": "laporan.pdf"},
        415,
        "Jenis berkas tidak diizinkan.",
    ),
    "script as docx": (
        {"content": samples.SCRIPT, "filename": "notulen.docx"},
        415,
        "Jenis berkas tidak diizinkan.",
    ),
    "zip as xlsx": (
        {"content": samples.plain_zip(), "filename": "rekap.xlsx"},
        415,
        "Jenis berkas tidak diizinkan.",
    ),
    "empty": ({"content": b""}, 422, "Berkas kosong atau belum dipilih."),
    "no title": ({"title": "  "}, 422, "Judul wajib diisi"),
    "title too long": ({"title": "x" * 501}, 422, "Judul wajib diisi"),
    "level 7": ({"levels": ("7",)}, 422, "Pilih minimal satu tingkat yang didukung, dari 1 sampai 5."),
    "level zero": ({"levels": ("3", "0")}, 422, "dari 1 sampai 5"),
    "level text": ({"levels": ("tiga",)}, 422, "dari 1 sampai 5"),
    "no level": ({"levels": ()}, 422, "Pilih minimal satu tingkat"),
    "impossible date": ({"doc_date": "2022-02-30"}, 422, "Tanggal dokumen tidak valid."),
    "local date format": ({"doc_date": "31/12/2022"}, 422, "Tanggal dokumen tidak valid."),
}


@pytest.mark.parametrize(("case", "status", "message"), list(BAD_UPLOADS.values()), ids=list(BAD_UPLOADS))
def test_bad_uploads_are_refused_with_a_clear_message_and_change_nothing(
    web_app, client_as, aid, case, status, message
):
    client, before = client_as("koordinator"), snapshot(web_app)
    args = {"content": samples.pdf(), **case}
    response = upload(client, aid, "I01", args.pop("content"), **args)
    assert response.status_code == status
    assert message in response.text
    assert "<html" not in response.text and '<section class="evidence"' in response.text
    assert snapshot(web_app) == before


BAD_LINKS = {
    "javascript": "javascript:alert(1)",
    "ftp": "ftp://arsip.pasuruankota.go.id/perwal.pdf",
    "no scheme": "sipd.pasuruankota.go.id",
    "no host": "https://",
    "space": "https://sipd.pasuruan kota.go.id",
    "empty": "",
}


@pytest.mark.parametrize("url", list(BAD_LINKS.values()), ids=list(BAD_LINKS))
def test_links_must_be_http_or_https(web_app, client_as, aid, url):
    response = add_link(client_as("koordinator"), aid, "I01", url)
    assert response.status_code == 422
    assert "Tautan harus berupa alamat lengkap yang diawali http:// atau https://." in response.text
    assert snapshot(web_app)[1:] == (0, 0)


def test_a_refused_form_keeps_what_was_typed(web_app, client_as, aid):
    response = add_link(
        client_as("koordinator"), aid, "I01", "ftp://x", title="Aplikasi SIPD", note="akun uji"
    )
    form = BeautifulSoup(response.text, "html.parser").find(
        "form", attrs={"action": panel_url(aid, "I01") + "/url"}
    )
    assert form.find("input", attrs={"name": "title"})["value"] == "Aplikasi SIPD"
    assert form.find("textarea", attrs={"name": "note"}).text == "akun uji"


def test_an_unknown_indicator_is_not_found(web_app, client_as, aid):
    client = client_as("koordinator")
    assert client.get(panel_url(aid, "I99")).status_code == 404
    response = upload(client, aid, "I99", samples.pdf())
    assert response.status_code == 404 and "Indikator tidak dikenal dalam penilaian ini." in response.text
    assert snapshot(web_app)[1:] == (0, 0)


def test_a_form_posted_twice_adds_one_item(web_app, client_as, aid):
    client, content = client_as("koordinator"), samples.pdf()  # one PDF: its creation date has seconds
    assert upload(client, aid, "I01", content).status_code == 200
    again = upload(client, aid, "I01", content)
    assert again.status_code == 409 and "formulir mungkin terkirim dua kali" in again.text
    assert add_link(client, aid, "I01").status_code == 200
    assert add_link(client, aid, "I01").status_code == 409
    files, evidence, stored = snapshot(web_app)
    assert (len(files), evidence, stored) == (1, 2, 1)


def test_a_form_without_a_file_or_with_a_broken_body_is_refused(web_app, client_as, aid):
    client, before = client_as("koordinator"), snapshot(web_app)
    url = panel_url(aid, "I01") + "/file"
    no_file = client.post(
        url, data={"title": "Tanpa berkas", "levels": "3"}, files={"x": (None, "")}, headers=HTMX
    )
    assert no_file.status_code == 422 and "Berkas kosong atau belum dipilih." in no_file.text
    broken = client.post(
        url, content=b"--b\r\nnot a part", headers={**HTMX, "content-type": "multipart/form-data; boundary=b"}
    )
    assert broken.status_code == 400 and "Formulir tidak dapat dibaca." in broken.text
    urlencoded = client.post(url, data={"title": "x"}, headers=HTMX)
    assert urlencoded.status_code == 400
    two_files = client.post(
        url,
        data={"title": "x", "levels": "3"},
        headers=HTMX,
        files=[("file", ("a.pdf", samples.pdf())), ("file", ("b.png", samples.image()))],
    )
    assert two_files.status_code == 400
    assert snapshot(web_app) == before


def _raw_post(
    app: FastAPI, client: TestClient, path: str, headers: dict[str, str], chunks: list[bytes], gone: bool = False
):
    """POST through the ASGI interface, counting the body chunks the app read; `gone`: the client vanishes."""
    token = client.get("/api/csrf").json()["csrf_token"]  # sent as a header, as htmx does
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    raw = [
        (k.lower().encode(), v.encode())
        for k, v in {**headers, "cookie": cookie, "host": "testserver", "x-csrf-token": token}.items()
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    pending, read, status = list(chunks), [], []

    async def receive() -> dict:
        if not pending:
            return {"type": "http.disconnect"}
        read.append(pending.pop(0))
        return {"type": "http.request", "body": read[-1], "more_body": bool(pending) or gone}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    asyncio.run(app(scope, receive, send))
    return status[0], len(read)


def _multipart_chunks(file_size: int, chunk: int = 64 * 1024) -> list[bytes]:
    head = (
        b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nBesar\r\n'
        b'--b\r\nContent-Disposition: form-data; name="levels"\r\n\r\n3\r\n'
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="besar.pdf"\r\n\r\n%PDF-1.4\n'
    )
    body = head + bytes(file_size) + b"\r\n--b--\r\n"
    return [body[i : i + chunk] for i in range(0, len(body), chunk)]


def test_a_declared_oversized_body_is_refused_before_it_is_read(web_app, client_as, aid):
    client, before = client_as("koordinator"), snapshot(web_app)
    chunks = _multipart_chunks(3 * MB)
    headers = {
        "content-type": "multipart/form-data; boundary=b",
        "content-length": str(sum(map(len, chunks))),
        "hx-request": "true",
    }
    status, read = _raw_post(web_app, client, panel_url(aid, "I01") + "/file", headers, chunks)
    assert (status, read) == (413, 0)
    assert snapshot(web_app) == before


def test_an_undeclared_oversized_body_is_cut_off_while_streaming(web_app, client_as, aid):
    client, before = client_as("koordinator"), snapshot(web_app)
    chunks = _multipart_chunks(3 * MB)
    headers = {"content-type": "multipart/form-data; boundary=b", "transfer-encoding": "chunked"}
    status, read = _raw_post(web_app, client, panel_url(aid, "I01") + "/file", headers, chunks)
    assert status == 413
    assert read < len(chunks) / 2  # stopped at about 1 MB of 3 MB
    assert snapshot(web_app) == before


def test_a_client_that_disconnects_mid_upload_leaves_nothing(web_app, client_as, aid):
    client, before = client_as("koordinator"), snapshot(web_app)
    chunks = _multipart_chunks(MB // 2)[:4]
    headers = {"content-type": "multipart/form-data; boundary=b", "transfer-encoding": "chunked"}
    status, read = _raw_post(web_app, client, panel_url(aid, "I01") + "/file", headers, chunks, gone=True)
    assert status == 400 and read == 4
    assert snapshot(web_app) == before

# --- the panel ------------------------------------------------------------------------------------


def test_the_panel_is_a_fragment_for_htmx_and_a_page_otherwise(web_app, client_as, aid):
    client = client_as("peninjau")
    fragment = client.get(panel_url(aid, "I01"), headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<section class="evidence"')
    page = client.get(panel_url(aid, "I01"))
    assert page.status_code == 200 and page.text.lstrip().lower().startswith("<!doctype html>")
    assert '<section class="evidence"' in page.text


def test_fragment_forms_post_through_htmx_and_page_forms_post_plainly(web_app, client_as, aid):
    client = client_as("koordinator")
    fragment = BeautifulSoup(client.get(panel_url(aid, "I01"), headers=HTMX).text, "html.parser")
    assert fragment.select_one("section.evidence").has_attr("data-swap-errors")
    assert fragment.select("form[enctype]") == []  # the upload form comes when its <details> is opened
    opened = BeautifulSoup(client.get(panel_url(aid, "I01") + "/form/file", headers=HTMX).text, "html.parser")
    upload_form = opened.find("form", attrs={"action": panel_url(aid, "I01") + "/file"})
    assert (
        upload_form["hx-post"] == upload_form["action"]
        and upload_form["hx-encoding"] == "multipart/form-data"
    )
    assert upload_form["hx-target"] == "closest .evidence" and upload_form["enctype"] == "multipart/form-data"
    page = BeautifulSoup(client.get(panel_url(aid, "I01")).text, "html.parser")
    assert page.select("form[action]") and not page.select("form[hx-post]")


def test_the_panel_lists_items_and_the_rubric_checklist_for_the_chosen_level(web_app, client_as, aid, rubric):
    client = client_as("koordinator")  # I01 is at level 3 in the demo's 2022 assessment
    upload(client, aid, "I01", samples.pdf(), "perwal.pdf", doc_number="188/45/2022", doc_date="2022-03-01")
    add_link(client, aid, "I01", levels=("4",), note="akun uji")
    soup = BeautifulSoup(client.get(panel_url(aid, "I01"), headers=HTMX).text, "html.parser")
    checklist = soup.select_one(".evidence-checklist").get_text(" ", strip=True)
    for expected in rubric.indicator_by_id["I01"].levels[3].evidence:
        assert expected in checklist
    assert "Peraturan Wali Kota tentang SPBE" in checklist and "Aplikasi SIPD" not in checklist
    rows = [row.get_text(" ", strip=True) for row in soup.select(".evidence-items tbody tr")]
    assert (
        "188/45/2022" in rows[0] and "1 Mar 2022" in rows[0] and "perwal.pdf" in rows[0] and "KB" in rows[0]
    )
    assert "https://sipd.pasuruankota.go.id" in rows[1] and "akun uji" in rows[1] and "4" in rows[1]


def test_a_claimed_level_without_evidence_gets_a_warning_not_a_block(web_app, client_as, aid):
    client = client_as("koordinator")
    warning = "Tingkat 3 dipilih, tetapi belum ada data dukung untuk tingkat tersebut."
    assert warning in client.get(panel_url(aid, "I01"), headers=HTMX).text
    add_link(client, aid, "I01", levels=("2",))
    assert warning in client.get(panel_url(aid, "I01"), headers=HTMX).text
    add_link(client, aid, "I01", "https://example.go.id/bukti", title="Bukti tingkat 3", levels=("3",))
    assert warning not in client.get(panel_url(aid, "I01"), headers=HTMX).text


def test_level_1_is_the_floor_and_needs_no_evidence(web_app, client_as, aid):
    panel = client_as("koordinator").get(panel_url(aid, "I11"), headers=HTMX).text  # the demo's I11 is level 1
    assert "Bukti yang diharapkan rubrik untuk tingkat 1" in panel and "belum ada data dukung" not in panel


def test_document_dates_outside_the_evaluation_period_or_in_the_future_get_warnings(web_app, client_as, aid):
    client = client_as("koordinator")
    start, end = evaluation_period(2022)
    assert (start, end) == (dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    future = today_in_indonesia() + dt.timedelta(days=30)
    for title, date in [
        ("Lama", "2020-12-31"),
        ("Awal", "2021-01-01"),
        ("Akhir", "2022-12-31"),
        ("Nanti", future.isoformat()),
    ]:
        assert upload(client, aid, "I01", samples.pdf(title), title=title, doc_date=date).status_code == 200
    text = client.get(panel_url(aid, "I01"), headers=HTMX).text
    assert "Tanggal dokumen «Lama» (2020-12-31) di luar periode evaluasi 2021-01-01 s.d. 2022-12-31." in text
    assert f"Tanggal dokumen «Nanti» ({future.isoformat()}) berada di masa depan." in text
    assert "«Awal»" not in text and "«Akhir»" not in text


def test_an_indicator_without_a_chosen_level_says_so(web_app, client_as, aid):
    with session_scope(web_app.state.engine) as db:
        answer = db.exec(
            select(Answer).where(Answer.assessment_id == aid, Answer.indicator_id == "I01")
        ).one()
        answer.value = None
        db.add(answer)
    text = client_as("koordinator").get(panel_url(aid, "I01"), headers=HTMX).text
    assert "Tingkat indikator ini belum dipilih." in text and "dipilih, tetapi" not in text


def test_the_panel_speaks_english_on_request(web_app, client_as, aid):
    client = client_as("koordinator")
    client.get("/lang/en")
    response = add_link(client, aid, "I01", "ftp://x")
    assert "The link must be a full address starting with http:// or https://." in response.text


def test_a_long_list_shows_its_newest_items_and_the_rest_on_demand(web_app, client_as, aid):
    client = client_as("koordinator")
    level = client.post(f"/assessments/{aid}/indicators/I01", data={"value": "3"}, headers=HTMX)
    assert level.status_code == 200
    for n in range(1, 8):
        assert add_link(client, aid, "I01", f"https://example.go.id/{n}", title=f"Tautan {n}").status_code == 200
    card = BeautifulSoup(client.get(panel_url(aid, "I01"), headers=HTMX).text, "html.parser")
    assert [td.get_text(strip=True) for td in card.select("tr[id] td:first-child")] == [
        f"Tautan {n}" for n in range(3, 8)]  # the newest five, the one just added among them
    more = card.select_one("button.evidence-more")
    assert more.get_text(strip=True) == "2 data dukung lainnya" and more["hx-get"] == panel_url(aid, "I01") + "?all=1"
    checklist = [li.get_text(strip=True) for li in card.select(".evidence-checklist ul")[-1].select("li")]
    assert checklist == [f"✓ Tautan {n}" for n in range(3, 8)] + ["dan 2 lainnya"]  # they support level 3
    page = BeautifulSoup(client.get(f"/assessments/{aid}?aspect=A1").text, "html.parser")
    in_page = page.select_one("#panel-I01 section.evidence")  # the questionnaire renders the same card panel
    assert [td.get_text(strip=True) for td in in_page.select("tr[id] td:first-child")] == [
        f"Tautan {n}" for n in range(3, 8)]
    assert in_page.select_one("button.evidence-more").get_text(strip=True) == "2 data dukung lainnya"
    assert in_page.select(".evidence-checklist ul")[-1].select("li")[-1].get_text(strip=True) == "dan 2 lainnya"
    everything = BeautifulSoup(client.get(more["hx-get"], headers=HTMX).text, "html.parser")
    assert len(everything.select("tr[id]")) == 7 and everything.select_one("button.evidence-more") is None
    assert "lainnya" not in everything.select_one(".evidence-checklist").get_text()
    page = BeautifulSoup(client.get(panel_url(aid, "I01")).text, "html.parser")  # its own page lists all
    assert len(page.select("tr[id]")) == 7


def test_only_members_who_may_add_evidence_get_its_forms(web_app, client_as, aid):
    form = panel_url(aid, "I01") + "/form/url"
    assert client_as("peninjau").get(form, headers=HTMX).status_code == 403
    assert client_as("koordinator").get(form, headers=HTMX).status_code == 200
