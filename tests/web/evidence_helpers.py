"""Helpers for the evidence web tests: demo ids, assignments, uploads and a snapshot of everything written."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import func, select

from spbe.ops.demo import DEMO_CODE, DEMO_USERS
from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment, Evidence, Instansi, Role, StoredFile, User

HTMX = {"HX-Request": "true"}


def assessment_id(app: FastAPI, year: int = 2022) -> int:
    with session_scope(app.state.engine) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
        return db.exec(
            select(Assessment.id).where(Assessment.instansi_id == instansi.id, Assessment.year == year)
        ).one()


def user_id(app: FastAPI, role: str) -> int:
    with session_scope(app.state.engine) as db:
        return db.exec(select(User.id).where(User.username == DEMO_USERS[Role(role)])).one()


def assign(app: FastAPI, assessment: int, indicator: str, role: str = "kontributor") -> None:
    """Make the demo user of a role the one responsible for an indicator (creating its answer if needed)."""
    uid = user_id(app, role)
    with session_scope(app.state.engine) as db:
        answer = db.exec(
            select(Answer).where(Answer.assessment_id == assessment, Answer.indicator_id == indicator)
        ).first()
        answer = answer or Answer(assessment_id=assessment, indicator_id=indicator)
        answer.assignee_id = uid
        db.add(answer)


def panel_url(assessment: int, indicator: str) -> str:
    return f"/assessments/{assessment}/indicators/{indicator}/evidence"


def upload(
    client: TestClient,
    assessment: int,
    indicator: str,
    content: bytes,
    filename: str = "bukti.pdf",
    *,
    title: str = "Peraturan Wali Kota tentang SPBE",
    levels: tuple[str, ...] = ("3",),
    htmx: bool = True,
    **fields: str,
) -> Response:
    data = {"title": title, "levels": list(levels), **fields}
    return client.post(
        panel_url(assessment, indicator) + "/file",
        data=data,
        files={"file": (filename, content, "application/octet-stream")},
        headers=HTMX if htmx else {},
        follow_redirects=False,
    )


def add_link(
    client: TestClient,
    assessment: int,
    indicator: str,
    url: str = "https://sipd.pasuruankota.go.id",
    *,
    title: str = "Aplikasi SIPD",
    levels: tuple[str, ...] = ("3",),
    htmx: bool = True,
    **fields: str,
) -> Response:
    data = {"url": url, "title": title, "levels": list(levels), **fields}
    return client.post(
        panel_url(assessment, indicator) + "/url",
        data=data,
        headers=HTMX if htmx else {},
        follow_redirects=False,
    )


def evidence_rows(app: FastAPI) -> list[Evidence]:
    with session_scope(app.state.engine) as db:
        rows = db.exec(select(Evidence).order_by(Evidence.id)).all()
        db.expunge_all()
        return list(rows)


def stored_rows(app: FastAPI) -> list[StoredFile]:
    with session_scope(app.state.engine) as db:
        rows = db.exec(select(StoredFile).order_by(StoredFile.id)).all()
        db.expunge_all()
        return list(rows)


def snapshot(app: FastAPI) -> tuple[list[str], int, int]:
    """Every file under the data folder (except the database) and the evidence and stored-file row counts."""
    root: Path = app.state.settings.data_dir
    files = sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "spbe.db" not in p.name
    )
    with session_scope(app.state.engine) as db:
        counts = (
            db.exec(select(func.count()).select_from(Evidence)).one(),
            db.exec(select(func.count()).select_from(StoredFile)).one(),
        )
    return files, *counts
