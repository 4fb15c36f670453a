"""The evidence pack in the web app: the page with its choices and sizes, the streamed ZIP, who may download it."""

from __future__ import annotations

import io
import zipfile

import pytest

from spbe.reports.pack.manifest import verify
from tests import evidence_files
from tests.export_helpers import attach, manifest, sha256
from tests.web.conftest import outsider
from tests.web.evidence_helpers import assessment_id, upload


def pack_url(app, part: str = "") -> str:
    return f"/assessments/{assessment_id(app)}/export/pack.zip" + (f"?part={part}" if part else "")


@pytest.mark.parametrize("role", ["koordinator", "kontributor", "peninjau", "admin"])
def test_every_member_sees_the_choices_with_their_sizes(web_app, client_as, role):
    attach(web_app.state.engine, web_app.state.settings.evidence_dir, assessment_id(web_app), "I27",
           b"%PDF-1.4\n" + bytes(300 * 1024 - 9), "audit.pdf", title="Laporan audit")
    response = client_as(role).get(f"/assessments/{assessment_id(web_app)}/export")
    assert response.status_code == 200
    page = response.text
    assert "Paket bukti Kota Pasuruan 2022" in page and "Seluruh penilaian" in page
    assert 'data-part="all"' in page and 'data-part="D3"' in page
    assert f'href="{pack_url(web_app)}"' in page and f'href="{pack_url(web_app, "D4")}"' in page
    assert "300,0 KB" in page  # the evidence's size, before the download starts


def test_a_member_downloads_a_streamed_zip_of_known_length(web_app, client_as, tmp_path):
    client, content = client_as("peninjau"), evidence_files.pdf("Perwal")
    upload(client_as("koordinator"), assessment_id(web_app), "I01", content, "perwal.pdf")
    with client.stream("GET", pack_url(web_app)) as response:
        assert response.status_code == 200
        length = int(response.headers["content-length"])
        body = b"".join(response.iter_bytes())
    assert response.headers["content-type"] == "application/zip"
    assert "paket-bukti-kota-pasuruan-2022.zip" in response.headers["content-disposition"]
    assert len(body) == length
    pack = tmp_path / "pack.zip"
    pack.write_bytes(body)
    assert verify(pack) == ([], [], len(manifest(zipfile.ZipFile(pack))))
    archive = zipfile.ZipFile(io.BytesIO(body))
    pdf = next(n for n in archive.namelist() if n.endswith("01 Peraturan Wali Kota tentang SPBE.pdf"))
    assert sha256(archive.read(pdf)) == sha256(content)


def test_one_domain_and_a_bad_part(web_app, client_as):
    client = client_as("kontributor")
    archive = zipfile.ZipFile(io.BytesIO(client.get(pack_url(web_app, "D2")).content))
    assert {n.split("/")[0] for n in archive.namelist() if "/" in n} == {"D2 Tata Kelola SPBE"}
    response = client.get(pack_url(web_app, "D9"))
    assert response.status_code == 404 and "D9" in response.text


def test_non_members_get_404_and_strangers_are_sent_to_log_in(web_app, anonymous):
    stranger = outsider(web_app)
    assert stranger.get(pack_url(web_app)).status_code == 404
    assert stranger.get(f"/assessments/{assessment_id(web_app)}/export").status_code == 404
    response = anonymous.get(pack_url(web_app), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_the_page_warns_about_missing_files_and_internal_items(web_app, client_as):
    engine, folder, a2022 = web_app.state.engine, web_app.state.settings.evidence_dir, assessment_id(web_app)
    attach(engine, folder, a2022, "I02", evidence_files.pdf("x"), "x.pdf", title="SK yang hilang").unlink()
    attach(engine, folder, a2022, "I02", evidence_files.pdf("y"), "y.pdf", title="Memo", internal=True)
    client = client_as("koordinator")
    page = client.get(f"/assessments/{a2022}/export").text
    assert 'id="missing"' in page and "01 SK yang hilang.pdf" in page
    assert "1 bukti bertanda internal tidak dimasukkan" in page
    archive = zipfile.ZipFile(io.BytesIO(client.get(pack_url(web_app)).content))
    assert "HILANG.txt" in archive.namelist() and "Memo" not in " ".join(archive.namelist())


def test_the_page_speaks_english_and_the_dashboard_links_to_it(web_app, client_as):
    client = client_as("koordinator")
    a2022 = assessment_id(web_app)
    assert f'href="/assessments/{a2022}/export"' in client.get(f"/assessments/{a2022}/dashboard").text
    client.cookies.set("lang", "en")
    page = client.get(f"/assessments/{a2022}/export").text
    assert "Evidence pack Kota Pasuruan 2022" in page and "Whole assessment" in page
