"""Who may do what in the sandbox: koordinator and kontributor change scenarios and efforts, everyone else reads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.web.evidence_helpers import assessment_id
from tests.web.whatif_helpers import answers_and_assessments, create_scenario, sandbox_rows

READERS = {"anonymous": 303, "outsider": 404, "admin": 200, "peninjau": 200, "kontributor": 200, "koordinator": 200}
WRITERS = {"anonymous": 303, "outsider": 404, "admin": 403, "peninjau": 403, "kontributor": 303,
           "koordinator": 303}
Action = Callable[[TestClient, str], Response]
ACTIONS: dict[str, tuple[Action, dict[str, int]]] = {
    "list the scenarios": (lambda c, s: c.get(s.rsplit("/", 1)[0]), READERS),
    "open a scenario": (lambda c, s: c.get(s), READERS),
    "see the waterfall": (lambda c, s: c.get(s + "/waterfall.svg"), READERS),
    "open the efforts": (lambda c, s: c.get(s.rsplit("/", 1)[0] + "/efforts"), READERS),
    "see a roadmap": (lambda c, s: c.get(s.rsplit("/", 1)[0] + "/roadmap", params={"targets": "2,7"}), READERS),
    "create a scenario": (lambda c, s: c.post(s.rsplit("/", 1)[0], data={"name": "Baru"}), WRITERS),
    "raise a level": (lambda c, s: c.post(s + "/indicators/I46", data={"value": "4"}), WRITERS),
    "load the advisor's plan": (lambda c, s: c.post(s + "/plan", data={"target": "2,7"}),
                                {**WRITERS, "kontributor": 200, "koordinator": 200}),
    "rename a scenario": (lambda c, s: c.post(s + "/name", data={"name": "Lain"}), WRITERS),
    "delete a scenario": (lambda c, s: c.post(s + "/delete"), WRITERS),
    "save efforts": (lambda c, s: c.post(s.rsplit("/", 1)[0] + "/efforts", data={"I42:5": "3"}),
                     {**WRITERS, "kontributor": 200, "koordinator": 200}),
}


@pytest.mark.parametrize("who", list(READERS))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permissions(web_app, client_of_anyone, action, who):
    scenario = create_scenario(client_of_anyone("koordinator"), assessment_id(web_app, 2022))
    before = answers_and_assessments(web_app), sandbox_rows(web_app)
    do, expected = ACTIONS[action]
    response = do(client_of_anyone(who), scenario)
    assert response.status_code == expected[who], response.text[:500]
    if expected[who] == 303 and who == "anonymous":
        assert response.headers["location"].startswith("/login")
    if expected[who] == 403:
        assert "Hanya koordinator dan kontributor" in response.text
    if who not in ("kontributor", "koordinator"):
        assert sandbox_rows(web_app) == before[1]
    assert answers_and_assessments(web_app) == before[0]


def test_readers_see_no_controls_that_would_be_refused(web_app, client_of_anyone):
    scenario = create_scenario(client_of_anyone("koordinator"), assessment_id(web_app, 2022))
    page = client_of_anyone("peninjau").get(scenario).text
    assert "hanya koordinator dan kontributor yang dapat membuat" in page
    assert 'action="' + scenario + '/plan"' not in page and 'name="name"' not in page
    assert all("disabled" in b for b in page.split("<button")[1:] if 'name="value"' in b)
    efforts = client_of_anyone("peninjau").get(scenario.rsplit("/", 1)[0] + "/efforts").text
    assert 'name="I01:2"' not in efforts and "Simpan upaya" not in efforts  # the efforts as text, no inputs
