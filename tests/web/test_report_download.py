"""The editable report in the web app: a download on the dashboard for every member, 404 for others."""

from __future__ import annotations

import io

import docx
import pytest
from bs4 import BeautifulSoup

from tests.web.conftest import outsider
from tests.web.evidence_helpers import assessment_id

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_url(app, year: int = 2022) -> str:
    return f"/assessments/{assessment_id(app, year)}/report.docx"


@pytest.mark.parametrize("role", ["koordinator", "peninjau"])
def test_a_member_downloads_the_report_from_the_dashboard(web_app, client_as, role):
    client = client_as(role)
    dashboard = BeautifulSoup(client.get(f"/assessments/{assessment_id(web_app)}/dashboard").text, "html.parser")
    link = dashboard.select_one("a[data-report]")
    assert link["href"] == report_url(web_app) and link.get_text(strip=True) == "Laporan (DOCX)"
    response = client.get(link["href"])
    assert response.status_code == 200 and response.headers["content-type"] == DOCX
    assert "filename*=UTF-8''laporan-spbe-kota-pasuruan-2022.docx" in response.headers["content-disposition"]
    document = docx.Document(io.BytesIO(response.content))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "Indeks SPBE Kota Pasuruan tahun 2022: 2,66, predikat Baik." in words


def test_the_report_stays_indonesian_when_the_interface_is_english(web_app, client_as):
    client = client_as("kontributor")
    client.cookies.set("lang", "en")
    assert "Report (DOCX)" in client.get(f"/assessments/{assessment_id(web_app)}/dashboard").text
    document = docx.Document(io.BytesIO(client.get(report_url(web_app, 2021)).content))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "Indeks SPBE Kota Pasuruan tahun 2021: 1,83, predikat Cukup." in words
    assert "Tabel 3.2 Capaian Kinerja Tahun 2021" in words


def test_non_members_get_404_and_strangers_are_sent_to_log_in(web_app, anonymous):
    assert outsider(web_app).get(report_url(web_app)).status_code == 404
    response = anonymous.get(report_url(web_app), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
