"""Helpers for the Pemdi web tests: a pemdi-2026 assessment made through the pages, filled, read back."""

from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import select

from spbe.method.levels_file import read_levels
from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_CODE, DEMO_DATA
from spbe.store.db import session_scope
from spbe.store.models import Instansi
from tests.web.compare_helpers import HTMX, soup, text  # noqa: F401 (soup, text: re-exported for the Pemdi tests)

PEMDI = get_rubric("pemdi-2026")
ASPECTS = [f"A{n}" for n in range(1, 8)]
GOLDEN_ASPECTS = ["1,75", "1,28", "1,00", "1,17", "1,08", "1,40", "1,18"]  # Aceh Tengah 2026, interim asesor


def golden_values() -> dict[str, str]:
    """The self-assessed Aceh Tengah 2026 values as an Indonesian user types them (1,1667); externals left out."""
    values = read_levels(DEMO_DATA / "aceh-tengah-2026-pemdi.csv", PEMDI)
    return {k: format(v, "f").replace(".", ",") for k, v in values.items() if k not in PEMDI.external_ids}


def demo_instansi_id(app: FastAPI) -> int:
    """The id of the demo instansi (Kota Pasuruan)."""
    with session_scope(app.state.engine) as db:
        return db.exec(select(Instansi.id).where(Instansi.code == DEMO_CODE)).one()


def create_pemdi(client: TestClient, app: FastAPI, year: int = 2026) -> int:
    """A blank pemdi-2026 assessment of the demo instansi, created through the start page; its id."""
    data = {"instansi_id": str(demo_instansi_id(app)), "year": str(year), "rubric_id": "pemdi-2026"}
    response = client.post("/assessments", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    return int(response.headers["location"].rsplit("/", 1)[1])


def post(client: TestClient, assessment: int, indicator: str, **fields: str) -> Response:
    """An autosave of one indicator, as htmx sends it."""
    return client.post(f"/assessments/{assessment}/indicators/{indicator}", data=fields, headers=HTMX)


def fill(client: TestClient, assessment: int, values: dict[str, str]) -> None:
    """Autosave each indicator's value as typed; every save must succeed."""
    for indicator, value in values.items():
        assert post(client, assessment, indicator, value=value).status_code == 200, indicator



def provisional(page: BeautifulSoup) -> bool:
    """True when the page carries the provisional-rubric banner."""
    banner = page.select_one("main > [data-provisional]")
    return banner is not None and "SEMENTARA" in banner.get_text()


def decimal(value: str) -> Decimal:
    """A figure shown with a comma ('1,1667') as a Decimal."""
    return Decimal(value.replace(",", "."))
