"""Start the Pemdi draft from the instansi's latest SPBE assessment through the bridge (start page button)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from spbe.services import bridge_start
from spbe.services.assessments import Refused
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.instansi_access import instansi_for
from spbe.web.workspace import go_to, message

router = APIRouter(prefix="/instansi/{code}", include_in_schema=False)


@router.post("/bridge")
@unit_of_work
def start(request: Request, db: DbDep, user: UserDep, code: str) -> Response:
    """Create the draft (koordinator) and open it; a refusal answers with its reason and creates nothing."""
    instansi, role = instansi_for(db, user, code)
    try:
        draft = bridge_start.start(db, instansi, role, user)
    except Refused as refusal:
        db.rollback()
        raise HTTPException(status_code=refusal.status, detail=message(request, refusal)) from None
    return go_to(request, f"/assessments/{draft.id}")
