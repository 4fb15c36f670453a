"""Year two: year-over-year comparison, official results, calibration, past-year imports, LKJIP figures."""

from __future__ import annotations

from fastapi import APIRouter

from spbe.web import compare, imports, lkjip, official

router = APIRouter(include_in_schema=False)
for part in (compare, official, imports, lkjip):
    router.include_router(part.router)
