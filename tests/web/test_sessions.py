"""Sessions end on the server: a copied cookie is refused after sign-out, password change, role change and
deactivation (checked in the database on every request, so on every worker); other users stay signed in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from spbe.cli import main
from spbe.config import get_settings
from spbe.ops.demo import DEMO_CODE, DEMO_USERS, set_role
from spbe.services import sessions, users
from spbe.store.db import session_scope
from spbe.store.models import Instansi, Role, User
from tests.web.conftest import login, send_csrf


def _user(db: Session, role: Role) -> User:
    return db.exec(select(User).where(User.username == DEMO_USERS[role])).one()


def _password_change(db: Session, user: User) -> None:
    sessions.set_password(db, user, "kata-sandi-baru-123")


def _deactivation(db: Session, user: User) -> None:
    users.set_active(db, None, None, user, False)  # as the admin page and `spbe user deactivate` do


def _role_change(db: Session, user: User) -> None:
    instansi = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
    set_role(db, user, instansi, Role.PENINJAU)


CHANGES: dict[str, Callable[[Session, User], None]] = {
    "password change": _password_change,
    "role change": _role_change,
    "deactivation": _deactivation,
    "end_sessions (admin)": sessions.end_sessions,
}


def _replay(app: FastAPI, signed_in: TestClient) -> TestClient:
    """Another client holding a copy of the signed-in client's cookie, as a thief would."""
    thief = send_csrf(TestClient(app, follow_redirects=False))
    thief.cookies.update(signed_in.cookies)
    return thief


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_copied_cookie_is_refused_after_each_change(web_app_any_db, change):
    app = web_app_any_db
    victim = login(TestClient(app, follow_redirects=False), Role.KOORDINATOR)
    bystander = login(TestClient(app, follow_redirects=False), Role.KONTRIBUTOR)
    thief = _replay(app, victim)
    assert thief.get("/api/assessments").status_code == 200
    with session_scope(app.state.engine) as db:
        CHANGES[change](db, _user(db, Role.KOORDINATOR))
    assert thief.get("/api/assessments").status_code == 401
    assert thief.put("/api/assessments/1/answers/I01", json={"value": 3}).status_code == 401
    assert victim.get("/", follow_redirects=False).headers["location"].startswith("/login")
    assert bystander.get("/api/assessments").status_code == 200


def test_sign_out_ends_the_session_a_copied_cookie_carries(web_app_any_db):
    app = web_app_any_db
    victim = login(TestClient(app, follow_redirects=False), Role.KOORDINATOR)
    thief = _replay(app, victim)
    aid = thief.get("/api/assessments").json()[0]["id"]
    assert victim.post("/logout").status_code == 303
    assert thief.get("/api/assessments").status_code == 401
    comment = thief.post(f"/assessments/{aid}/indicators/I01/comments", data={"body": "masih bisa?"})
    assert comment.status_code in {303, 401, 403} and "masih bisa?" not in comment.text
    login(TestClient(app, follow_redirects=False), Role.KOORDINATOR)  # signing in again works
    assert thief.get("/api/assessments").status_code == 401


def test_a_new_password_signs_in_and_the_old_one_no_longer_does(web_app_any_db):
    app = web_app_any_db
    with session_scope(app.state.engine) as db:
        _password_change(db, _user(db, Role.KONTRIBUTOR))
    client = send_csrf(TestClient(app, follow_redirects=False))
    old = client.post("/login", data={"username": DEMO_USERS[Role.KONTRIBUTOR],
                                      "password": DEMO_USERS[Role.KONTRIBUTOR]})
    assert old.status_code == 401
    name = DEMO_USERS[Role.KONTRIBUTOR]
    new = client.post("/login", data={"username": name, "password": "kata-sandi-baru-123"})
    assert new.status_code == 303 and client.get("/api/assessments").status_code == 200


def test_the_command_line_changes_a_password_or_deactivates_and_the_sessions_end(
    web_app, demo_sqlite_url, monkeypatch, capsys
):
    koordinator = login(TestClient(web_app, follow_redirects=False), Role.KOORDINATOR)
    kontributor = login(TestClient(web_app, follow_redirects=False), Role.KONTRIBUTOR)
    monkeypatch.setenv("SPBE_DATABASE_URL", demo_sqlite_url)
    monkeypatch.setenv("SPBE_NEW_PASSWORD", "kata-sandi-baru-123")
    get_settings.cache_clear()
    try:
        assert main(["user", "password", DEMO_USERS[Role.KOORDINATOR]]) == 0
        assert koordinator.get("/api/assessments").status_code == 401
        assert kontributor.get("/api/assessments").status_code == 200
        assert main(["user", "deactivate", DEMO_USERS[Role.KONTRIBUTOR]]) == 0
        assert kontributor.get("/api/assessments").status_code == 401
        assert main(["user", "deactivate", "tidak-ada"]) == 2
    finally:
        get_settings.cache_clear()
    out, err = capsys.readouterr()
    assert "semua sesinya berakhir" in out and "tidak ditemukan" in err
