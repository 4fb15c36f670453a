"""Assigning in bulk, the overview and confirming an aspect, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.web.evidence_helpers import assessment_id, user_id
from tests.web.test_assessments import HX, create


def test_bulk_assignment_overview_and_confirm_all_on_both_databases(web_app_any_db, client_as_any_db):
    koordinator = client_as_any_db("koordinator")
    a = assessment_id(web_app_any_db)
    kontributor = user_id(web_app_any_db, "kontributor")
    done = koordinator.post(f"/assessments/{a}/assignments", data={"assignee": str(kontributor),
                                                                  "indicator": ["I05", "I06"]})
    assert done.status_code == 200 and "2 indikator berubah" in done.text
    person = BeautifulSoup(done.text, "html.parser").select_one("#per-person tbody tr")
    assert person.select_one("strong").text == "Demo Kontributor"
    new = create(koordinator, web_app_any_db, "2023", start="previous").headers["location"]
    confirmed = koordinator.post(f"{new}/aspects/A2/confirm", headers=HX)
    page = BeautifulSoup(confirmed.text, "html.parser")
    assert page.select_one("a[data-aspect=A2] .progress").get_text(" ", strip=True) == "4/4"
    assert "0/10" in page.select_one("a[data-aspect=A1] .progress").get_text(" ", strip=True)
