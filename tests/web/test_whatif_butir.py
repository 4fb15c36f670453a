"""Butir ticked as diterima in a what-if scenario (both databases): the cascade, the index, persistence."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import ButirState, Scenario, ScenarioButir
from tests.web.pemdi_helpers import create_pemdi
from tests.web.test_security import signed_in
from tests.web.whatif_helpers import HTMX, create_scenario, index_of, level_of, sandbox_rows, soup

I17_UP_TO_2 = ("I17-L1-01", "I17-L1-02", "I17-L2-01", "I17-L2-02")


@pytest.fixture
def app(web_app_any_db: FastAPI) -> FastAPI:
    return web_app_any_db


def tick(client, scenario: str, code: str, on: bool = True, **plan: str) -> str:
    """Tick (or untick) one butir as htmx sends it; the scenario block."""
    data = {"code": code, **({"accepted": "1"} if on else {}), **plan}
    response = client.post(f"{scenario}/butir", data=data, headers=HTMX)
    assert response.status_code == 200, response.text[:500]
    return response.text


def ticks(app: FastAPI) -> set[tuple[int, str]]:
    with session_scope(app.state.engine) as db:
        return {(t.scenario_id, t.code) for t in db.exec(select(ScenarioButir))}


def test_ticked_butir_raise_the_level_by_the_cascade_and_move_the_index(app, client_as_any_db) -> None:
    koordinator = client_as_any_db("koordinator")
    pemdi = create_pemdi(koordinator, app)
    scenario = create_scenario(koordinator, pemdi, "Butir I17")
    other = create_scenario(koordinator, pemdi, "Lain")
    start = index_of(koordinator.get(scenario).text, "scenario")
    page = tick(koordinator, scenario, "I17-L2-01")  # level 2 alone: level 1 is not complete
    assert level_of(page, "I17") == "1" and index_of(page, "scenario") == start
    assert soup(page).select_one('[data-sim-indicator="I17"] [data-sim-level]')["data-sim-level"] == "0"
    for code in I17_UP_TO_2:
        page = tick(koordinator, scenario, code)
    assert level_of(page, "I17") == "2" and index_of(page, "scenario") > start
    assert soup(page).select_one('[data-sim-indicator="I17"] [data-sim-level]')["data-sim-level"] == "2"
    assert soup(page).select_one("#changes [data-change=I17], #changes") is not None
    assert "I17" in soup(page).select_one("#changes").get_text()
    assert soup(page).select_one("#butir-I17").has_attr("open")  # the ticked indicator stays open
    reloaded = koordinator.get(scenario).text  # ticks are stored with the scenario
    assert level_of(reloaded, "I17") == "2" and index_of(reloaded, "scenario") == index_of(page, "scenario")
    assert all(soup(reloaded).select_one(f"#tick-sim-{c}").has_attr("checked") for c in I17_UP_TO_2)
    assert index_of(koordinator.get(other).text, "scenario") == start  # per scenario
    page = tick(koordinator, scenario, "I17-L1-01", on=False)  # the cascade: level 1 incomplete again
    assert level_of(page, "I17") == "1" and index_of(page, "scenario") == start
    with session_scope(app.state.engine) as db:
        assert db.exec(select(ButirState)).all() == []  # the assessment's butir never change


def test_the_waterfall_follows_the_ticks(app, client_as_any_db) -> None:
    koordinator = client_as_any_db("koordinator")
    scenario = create_scenario(koordinator, create_pemdi(koordinator, app))
    before = koordinator.get(f"{scenario}/waterfall.svg")
    for code in I17_UP_TO_2:
        tick(koordinator, scenario, code)
    after = koordinator.get(f"{scenario}/waterfall.svg")
    assert before.headers["ETag"] != after.headers["ETag"] and "I17" in after.text


def test_a_lower_manual_level_does_not_undo_the_ticks_and_minus_stops_at_them(app, client_as_any_db) -> None:
    koordinator = client_as_any_db("koordinator")
    scenario = create_scenario(koordinator, create_pemdi(koordinator, app))
    koordinator.post(f"{scenario}/indicators/I17", data={"value": "4"}, headers=HTMX)
    for code in I17_UP_TO_2:
        page = tick(koordinator, scenario, code)
    assert level_of(page, "I17") == "4"  # the ticks are a floor, never lowering a value
    page = koordinator.post(f"{scenario}/indicators/I17", data={"value": "2"}, headers=HTMX).text
    row = soup(koordinator.get(scenario).text).find("tr", id="row-I17")
    assert row.find("output").get_text() == "2" and row.find(id="down-I17").has_attr("disabled")


def test_ticks_from_a_plan_step_keep_the_plan_on_the_page(app, client_as_any_db) -> None:
    koordinator = client_as_any_db("koordinator")
    scenario = create_scenario(koordinator, create_pemdi(koordinator, app))
    plan = {"target": "1,5", "scope": "index", "max_step": "1", "locked": ""}
    page = soup(koordinator.post(f"{scenario}/plan", data=plan, headers=HTMX).text)
    step = page.select_one('tr[data-step-butir="I01"]')  # 1 → 2 on a blank assessment: L1 and L2 butir
    assert [i["data-tick"] for i in step.select("[data-tick]")][:2] == ["I1-L1-01", "I1-L2-01"]
    before = index_of(str(page), "scenario")
    for code in [i["data-tick"] for i in step.select("[data-tick]")]:
        after = soup(tick(koordinator, scenario, code, **plan))
    assert after.select_one("#tick-step-I1-L1-01").has_attr("checked")
    assert index_of(str(after), "scenario") == before  # the plan had I01 at 2 already: ticks never lower it
    assert after.select_one("[data-plan]") is not None
    assert after.select_one("input[name=target]")["value"] == "1,5"
    assert "belum dikonfirmasi" in after.select_one("[data-sim-rule]").get_text()


def test_readers_may_not_tick_and_bad_codes_are_refused(app, client_as_any_db) -> None:
    koordinator, peninjau = client_as_any_db("koordinator"), client_as_any_db("peninjau")
    pemdi = create_pemdi(koordinator, app)
    scenario = create_scenario(koordinator, pemdi)
    assert soup(peninjau.get(scenario).text).select_one("#tick-sim-I17-L1-01").has_attr("disabled")
    refused = peninjau.post(f"{scenario}/butir", data={"code": "I17-L1-01", "accepted": "1"}, headers=HTMX)
    assert refused.status_code == 403
    unknown = koordinator.post(f"{scenario}/butir", data={"code": "I99-L1-01", "accepted": "1"})
    assert unknown.status_code == 404
    external = koordinator.post(f"{scenario}/butir", data={"code": "I5-L1-01", "accepted": "1"}, headers=HTMX)
    assert external.status_code == 422 and "I05" in soup(external.text).select_one("[role=alert]").get_text()
    spbe = create_scenario(koordinator, 2)
    assert koordinator.post(f"{spbe}/butir", data={"code": "I17-L1-01", "accepted": "1"}).status_code == 404
    assert ticks(app) == set()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 303), ("outsider", 404), ("admin", 403), ("peninjau", 403), ("kontributor", 303),
     ("koordinator", 303)],
)
def test_who_may_tick(web_app, client_of_anyone, who: str, expected: int) -> None:
    koordinator = client_of_anyone("koordinator")
    scenario = create_scenario(koordinator, create_pemdi(koordinator, web_app))
    before = sandbox_rows(web_app)
    response = client_of_anyone(who).post(f"{scenario}/butir", data={"code": "I17-L1-01", "accepted": "1"},
                                          follow_redirects=False)
    assert response.status_code == expected, response.text[:300]
    assert (sandbox_rows(web_app) != before) is (expected == 303 and who != "anonymous")


def test_deleting_a_scenario_deletes_its_ticks(app, client_as_any_db) -> None:
    koordinator = client_as_any_db("koordinator")
    scenario = create_scenario(koordinator, create_pemdi(koordinator, app))
    tick(koordinator, scenario, "I17-L1-01")
    assert len(ticks(app)) == 1
    assert koordinator.post(f"{scenario}/delete", follow_redirects=False).status_code == 303
    assert ticks(app) == set()
    with session_scope(app.state.engine) as db:
        assert db.exec(select(Scenario)).all() == []


def test_a_tick_needs_the_csrf_token(app) -> None:
    client, token = signed_in(app)
    pemdi = create_pemdi(TokenClient(client, token), app)
    scenario = create_scenario(TokenClient(client, token), pemdi)
    refused = client.post(f"{scenario}/butir", data={"code": "I17-L1-01", "accepted": "1"})
    assert refused.status_code == 403 and ticks(app) == set()
    done = client.post(f"{scenario}/butir", data={"code": "I17-L1-01", "accepted": "1", "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#butir-I17")
    assert len(ticks(app)) == 1


class TokenClient:
    """A client that sends the session's CSRF token with each POST, as the pages do."""

    def __init__(self, client, token: str) -> None:
        self.client, self.token = client, token

    def post(self, url: str, data: dict[str, str], **kwargs):
        return self.client.post(url, data={**data, "csrf_token": self.token}, **kwargs)


def test_an_indicator_climbing_several_levels_lists_each_butir_once(app, client_as_any_db) -> None:
    koordinator = client_as_any_db("koordinator")
    scenario = create_scenario(koordinator, create_pemdi(koordinator, app))
    page = soup(koordinator.post(f"{scenario}/plan", data={"target": "3"}, headers=HTMX).text)
    steps = [tr["data-step"] for tr in page.select("tr[data-step]")]
    assert len(steps) > len(set(steps))  # some indicator climbs more than one level
    codes = [i["data-tick"] for i in page.select("tr[data-step-butir] [data-tick]")]
    assert codes and len(codes) == len(set(codes))
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))
