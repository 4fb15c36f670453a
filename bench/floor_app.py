"""The app bench_web.py serves: spbe's own app, plus two "floor" endpoints for the benchmark only.

The floors do the least work any signed-in questionnaire request must do, through the same middleware
(security headers, signed session cookie, CSRF check), the same threadpool hop and the same session and
user lookup (deps.signed_in) as the questionnaire's own routes:

- GET  /bench/floor/read/{assessment_id}: one SELECT of the assessment by primary key (the page's floor:
  no answers, no score, no rendering);
- POST /bench/floor/write/{assessment_id}/{indicator_id}: one UPDATE of an answer's level, and the commit
  (autosave's floor: no permission check, no audit event, no score, no fragment).

Served with `uvicorn --factory floor_app:create_app`, as `spbe serve` serves spbe.app:create_app; the
production app never has these routes.
"""

from __future__ import annotations

from decimal import Decimal

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from sqlmodel import Session, col, update

from spbe.app import create_app as create_spbe_app
from spbe.store.models import Answer, Assessment, User
from spbe.web.deps import signed_in


def _read(request: Request, db: Session, user: User, assessment_id: int) -> Response:
    assessment = db.get(Assessment, assessment_id)
    return PlainTextResponse(str(assessment.year if assessment else ""))


def _write(
    request: Request, db: Session, user: User, assessment_id: int, indicator_id: str, value: str
) -> Response:
    stmt = (
        update(Answer)
        .where(col(Answer.assessment_id) == assessment_id, col(Answer.indicator_id) == indicator_id)
        .values(value=Decimal(value), version=Answer.version + 1)
    )
    db.exec(stmt)  # type: ignore[call-overload]
    return PlainTextResponse("ok")  # signed_in commits before the response is sent


def create_app() -> FastAPI:
    app = create_spbe_app()

    @app.get("/bench/floor/read/{assessment_id}", include_in_schema=False)
    async def floor_read(request: Request, assessment_id: int) -> Response:
        return await signed_in(request, _read, assessment_id)

    @app.post("/bench/floor/write/{assessment_id}/{indicator_id}", include_in_schema=False)
    async def floor_write(request: Request, assessment_id: int, indicator_id: str) -> Response:
        value = str((await request.form()).get("value", ""))
        return await signed_in(request, _write, assessment_id, indicator_id, value)

    return app
