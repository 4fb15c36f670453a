"""Year two: comparison, official results, calibration, imports, LKJIP figures; the Pemdi bridge and index history."""

from __future__ import annotations

from fastapi import APIRouter

from spbe.web import bridge_start, compare, imports, index_history, lkjip, official

router = APIRouter(include_in_schema=False)
for part in (compare, official, imports, lkjip, bridge_start, index_history):
    router.include_router(part.router)
