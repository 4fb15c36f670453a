"""Who may do what on the year-two pages: members read, the koordinator edits, non-members get 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.web.compare_helpers import HTMX, csv, everything
from tests.web.evidence_helpers import assessment_id

READERS = {
    "anonymous": 303,
    "outsider": 404,
    "admin": 200,
    "peninjau": 200,
    "kontributor": 200,
    "koordinator": 200,
}
WRITERS = {
    "anonymous": 303,
    "outsider": 404,
    "admin": 403,
    "peninjau": 403,
    "kontributor": 403,
    "koordinator": 200,
}
LKJIP = "/instansi/kota-pasuruan"
Action = Callable[[TestClient, str], Response]
ACTIONS: dict[str, tuple[Action, dict[str, int]]] = {
    "compare": (lambda c, a: c.get(f"{a}/compare"), READERS),
    "compare filtered (htmx)": (lambda c, a: c.get(f"{a}/compare?show=dropped", headers=HTMX), READERS),
    "compare chart": (lambda c, a: c.get(f"{a}/compare/chart.svg"), READERS),
    "calibration": (lambda c, a: c.get(f"{a}/calibration"), READERS),
    "official results": (lambda c, a: c.get(f"{a}/official"), READERS),
    "lkjip": (lambda c, a: c.get(f"{LKJIP}/lkjip?year=2022"), READERS),
    "lkjip xlsx": (lambda c, a: c.get(f"{LKJIP}/lkjip.xlsx"), READERS),
    "import page": (lambda c, a: c.get(f"{LKJIP}/import"), READERS),
    "type official levels": (lambda c, a: c.post(f"{a}/official", data={"I01": "2"}, headers=HTMX), WRITERS),
    "import official levels": (
        lambda c, a: c.post(f"{a}/official/import", headers=HTMX, files={"file": ("a.csv", csv({"I01": 2}))}),
        WRITERS,
    ),
    "set KPI targets": (
        lambda c, a: c.post(f"{LKJIP}/lkjip/targets?year=2022", data={"target-D2": "2,6"}, headers=HTMX),
        WRITERS,
    ),
    "import a past year": (
        lambda c, a: c.post(
            f"{LKJIP}/import", data={"year": "2020"}, headers=HTMX, files={"file": ("a.csv", csv({"I01": 2}))}
        ),
        WRITERS,
    ),
}


@pytest.mark.parametrize("who", list(READERS))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permissions(web_app, client_of_anyone, action, who):
    do, expected = ACTIONS[action]
    client = client_of_anyone(who)
    before = everything(web_app)
    response = do(client, f"/assessments/{assessment_id(web_app)}")
    status = expected[who]
    if status == 303 and "HX-Request" in response.request.headers:
        status = 401  # htmx gets 401 with HX-Redirect to the login page
    if status == 200 and action == "import a past year":
        status = 204  # htmx is sent on to the new assessment
    assert response.status_code == status, response.text[:500]
    if response.request.method == "GET" or status not in (200, 204):
        assert everything(web_app) == before  # reading, or refused: nothing written


def test_an_unknown_instansi_or_assessment_is_404(client_of_anyone):
    client = client_of_anyone("koordinator")
    for url in (
        "/instansi/kota-bogor/lkjip",
        "/instansi/kota-bogor/import",
        "/assessments/999999/compare",
        "/assessments/999999/official",
        "/assessments/999999/calibration",
    ):
        assert client.get(url).status_code == 404, url
