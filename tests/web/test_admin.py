"""The administration page: an instansi admin adds members, changes roles, deactivates and resets passwords;
a system admin adds instansi. Every change is audited; deactivated users cannot sign in; history stays."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from spbe.ops.demo import DEMO_CODE, DEMO_USERS, ensure_user, set_role
from spbe.services import users
from spbe.store.db import session_scope
from spbe.store.models import AuditEvent, Instansi, InstansiKind, Membership, Role, User
from tests.web.audit_helpers import events_since, last_event
from tests.web.conftest import send_csrf

PAGE = f"/instansi/{DEMO_CODE}/admin"
MEMBERS = f"{PAGE}/members"


def user_id(app: FastAPI, username: str) -> int:
    with session_scope(app.state.engine) as db:
        return db.exec(select(User.id).where(User.username == username)).one()


def sign_in(app: FastAPI, username: str, password: str) -> tuple[TestClient, int]:
    """A new client trying to sign in; the status of the attempt (303 signed in, 401 refused)."""
    client = send_csrf(TestClient(app, follow_redirects=False))
    response = client.post("/login", data={"username": username, "password": password})
    return client, response.status_code


def shown_password(html: str) -> str:
    found = re.search(r'<code class="password">([^<]+)</code>', html)
    assert found, html[:2000]
    return found.group(1)


ADMIN_ONLY = {"anonymous": 303, "outsider": 404, "peninjau": 403, "kontributor": 403, "koordinator": 403,
              "admin": 200}


@pytest.mark.parametrize("who", list(ADMIN_ONLY))
@pytest.mark.parametrize("action", ["page", "add", "role", "deactivate", "password"])
def test_only_an_admin_of_the_instansi_manages_its_members(web_app, client_of_anyone, who, action):
    client = client_of_anyone(who)
    target = user_id(web_app, DEMO_USERS[Role.PENINJAU])
    start = last_event(web_app)
    do = {
        "page": lambda: client.get(PAGE),
        "add": lambda: client.post(MEMBERS, data={"username": "budi", "role": "kontributor"}),
        "role": lambda: client.post(f"{MEMBERS}/role", data={"user_id": target, "role": "koordinator"}),
        "deactivate": lambda: client.post(f"{MEMBERS}/active", data={"user_id": target, "active": "0"}),
        "password": lambda: client.post(f"{MEMBERS}/password", data={"user_id": target}),
    }[action]
    response = do()
    assert response.status_code == ADMIN_ONLY[who], response.text[:300]
    if ADMIN_ONLY[who] != 200:
        assert events_since(web_app, start) == []  # refused: nothing changed, nothing recorded
        assert "password" not in response.text or "class=\"password\"" not in response.text


def test_the_start_page_links_the_admin_page_for_admins_only(client_as):
    assert f'href="{PAGE}"' in client_as("admin").get("/").text
    assert f'href="{PAGE}"' not in client_as("koordinator").get("/").text


def test_an_added_member_signs_in_with_the_password_shown_once(web_app, client_as):
    admin = client_as("admin")
    start = last_event(web_app)
    response = admin.post(MEMBERS, data={"username": "Budi.Santoso ", "full_name": "Budi Santoso",
                                         "role": "kontributor"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    password = shown_password(response.text)
    assert len(password) == 14
    assert password not in admin.get(PAGE).text  # never shown again
    _, status = sign_in(web_app, "budi.santoso", password)
    assert status == 303
    assert events_since(web_app, start) == [
        ("member.add", None, None, "kontributor", "budi.santoso", "demo-admin")]
    with session_scope(web_app.state.engine) as db:
        stored = db.exec(select(User).where(User.username == "budi.santoso")).one()
        assert password not in stored.password_hash


@pytest.mark.parametrize("form,message", [
    ({"username": "demo-koordinator", "role": "kontributor"}, "sudah dipakai"),
    ({"username": "a b", "role": "kontributor"}, "Nama pengguna tidak valid"),
    ({"username": "budi", "role": "raja"}, "tidak dikenal"),
])
def test_bad_new_members_are_refused_with_a_message_and_nothing_written(web_app, client_as, form, message):
    start = last_event(web_app)
    response = client_as("admin").post(MEMBERS, data=form)
    assert response.status_code == 422
    assert message in response.text
    assert 'class="password"' not in response.text
    assert events_since(web_app, start) == []


def test_a_role_change_takes_effect_at_once_and_is_audited(web_app, client_as):
    kontributor = client_as("kontributor")
    start = last_event(web_app)
    target = user_id(web_app, DEMO_USERS[Role.KONTRIBUTOR])
    response = client_as("admin").post(f"{MEMBERS}/role", data={"user_id": target, "role": "peninjau"})
    assert response.status_code == 200
    assert events_since(web_app, start) == [
        ("member.role", None, "kontributor", "peninjau", "demo-kontributor", "demo-admin")]
    with session_scope(web_app.state.engine) as db:
        assert db.exec(select(Membership.role).where(Membership.user_id == target)).one() == "peninjau"
    assert kontributor.get("/api/assessments").status_code == 401  # the open session ended with the change
    assert "Peninjau" in client_as("kontributor").get("/").text  # signed in again: the new role


def test_the_last_active_admin_cannot_be_demoted(web_app, client_as):
    admin = client_as("admin")
    me = user_id(web_app, DEMO_USERS[Role.ADMIN])
    start = last_event(web_app)
    response = admin.post(f"{MEMBERS}/role", data={"user_id": me, "role": "peninjau"})
    assert response.status_code == 422
    assert "setidaknya satu admin aktif" in response.text
    assert events_since(web_app, start) == []


def test_a_deactivated_user_cannot_sign_in_and_their_history_stays(web_app, client_as):
    koordinator = client_as("koordinator")
    assessment = koordinator.get("/").text
    aid = re.search(r'href="/assessments/(\d+)"', assessment).group(1)
    for value in ("1", "5"):  # at least one of them is a change, recorded under the koordinator's name
        koordinator.post(f"/assessments/{aid}/indicators/I01", data={"value": value},
                         headers={"HX-Request": "true"})
    target = user_id(web_app, DEMO_USERS[Role.KOORDINATOR])
    with session_scope(web_app.state.engine) as db:
        before = len(db.exec(select(AuditEvent.id).where(AuditEvent.user_id == target)).all())
    start = last_event(web_app)
    response = client_as("admin").post(f"{MEMBERS}/active", data={"user_id": target, "active": "0"})
    assert response.status_code == 200
    assert "nonaktif" in response.text
    assert events_since(web_app, start) == [
        ("user.deactivate", None, "active", "inactive", "demo-koordinator", "demo-admin")]
    assert koordinator.get("/", follow_redirects=False).status_code == 303  # the open session has ended
    _, status = sign_in(web_app, "demo-koordinator", "demo-koordinator")
    assert status == 401
    with session_scope(web_app.state.engine) as db:
        kept = len(db.exec(select(AuditEvent.id).where(AuditEvent.user_id == target)).all())
        assert kept == before >= 1
        assert db.exec(select(Membership).where(Membership.user_id == target)).one()
    client_as("admin").post(f"{MEMBERS}/active", data={"user_id": target, "active": "1"})
    assert sign_in(web_app, "demo-koordinator", "demo-koordinator")[1] == 303


def test_an_admin_cannot_deactivate_themself(web_app, client_as):
    me = user_id(web_app, DEMO_USERS[Role.ADMIN])
    response = client_as("admin").post(f"{MEMBERS}/active", data={"user_id": me, "active": "0"})
    assert response.status_code == 422
    assert sign_in(web_app, "demo-admin", "demo-admin")[1] == 303


def test_a_new_password_replaces_the_old_one(web_app, client_as):
    target = user_id(web_app, DEMO_USERS[Role.PENINJAU])
    start = last_event(web_app)
    response = client_as("admin").post(f"{MEMBERS}/password", data={"user_id": target})
    password = shown_password(response.text)
    assert sign_in(web_app, "demo-peninjau", "demo-peninjau")[1] == 401
    assert sign_in(web_app, "demo-peninjau", password)[1] == 303
    assert events_since(web_app, start) == [
        ("user.password_reset", None, None, None, "demo-peninjau", "demo-admin")]


def _second_instansi(app: FastAPI, member: str) -> None:
    with session_scope(app.state.engine) as db:
        other = Instansi(code="kab-lain", name="Kabupaten Lain", kind=InstansiKind.KABUPATEN.value)
        db.add(other)
        db.flush()
        set_role(db, db.exec(select(User).where(User.username == member)).one(), other, Role.KONTRIBUTOR)


def test_someone_from_another_instansi_is_deactivated_only_by_a_system_admin(web_app, client_as):
    _second_instansi(web_app, "demo-peninjau")
    with session_scope(web_app.state.engine) as db:
        second_admin = ensure_user(db, "admin-dua", "admin-dua")
        demo = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
        set_role(db, second_admin, demo, Role.ADMIN)
    plain_admin = send_csrf(TestClient(web_app))
    signed_in = plain_admin.post("/login", data={"username": "admin-dua", "password": "admin-dua"})
    assert signed_in.status_code == 200
    target = user_id(web_app, "demo-peninjau")
    start = last_event(web_app)
    refused = plain_admin.post(f"{MEMBERS}/active", data={"user_id": target, "active": "0"})
    assert refused.status_code == 403
    assert "hanya admin sistem" in refused.text
    assert plain_admin.post(f"{MEMBERS}/password", data={"user_id": target}).status_code == 403
    assert events_since(web_app, start) == []
    system_admin = client_as("admin")
    assert system_admin.post(f"{MEMBERS}/active", data={"user_id": target, "active": "0"}).status_code == 200


def test_a_member_of_another_instansi_cannot_be_changed_through_this_one(web_app, client_as):
    with session_scope(web_app.state.engine) as db:
        stranger = ensure_user(db, "orang-lain", "orang-lain").id
    response = client_as("admin").post(f"{MEMBERS}/password", data={"user_id": stranger})
    assert response.status_code == 404
    assert 'class="password"' not in response.text


def test_a_system_admin_adds_an_instansi_and_becomes_its_admin(web_app, client_as):
    admin = client_as("admin")
    start = last_event(web_app)
    form = {"code": "kab-aceh-tengah", "name": " Kabupaten  Aceh Tengah", "kind": "kabupaten"}
    response = admin.post("/admin/instansi", data=form)
    assert response.status_code == 200
    assert "Kabupaten Aceh Tengah" in response.text
    assert [e[0] for e in events_since(web_app, start)] == ["instansi.add", "member.role"]
    assert admin.get("/instansi/kab-aceh-tengah/admin").status_code == 200
    assert "Kabupaten Aceh Tengah" in admin.get("/").text
    again = admin.post("/admin/instansi", data={"code": "kab-aceh-tengah", "name": "X", "kind": "kabupaten"})
    assert again.status_code == 422 and "sudah dipakai" in again.text
    for bad in ({"code": "Kab Aceh", "name": "X", "kind": "kabupaten"},
                {"code": "kab-x", "name": "", "kind": "kabupaten"},
                {"code": "kab-x", "name": "X", "kind": "desa"}):
        assert admin.post("/admin/instansi", data=bad).status_code == 422


@pytest.mark.parametrize("who", ["koordinator", "kontributor", "peninjau"])
def test_only_system_admins_see_the_instansi_list(client_as, who):
    client = client_as(who)
    assert client.get("/admin/instansi").status_code == 404
    form = {"code": "kab-x", "name": "X", "kind": "kota"}
    assert client.post("/admin/instansi", data=form).status_code == 404
    assert 'href="/admin/instansi"' not in client.get("/").text


def test_an_instansi_admin_who_is_not_system_admin_cannot_add_instansi(web_app):
    with session_scope(web_app.state.engine) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
        plain = ensure_user(db, "admin-biasa", "admin-biasa")
        set_role(db, plain, instansi, Role.ADMIN)
        with pytest.raises(users.Forbidden):
            users.add_instansi(db, plain, "kab-y", "Y", "kabupaten")


def test_the_admin_page_works_on_both_databases(web_app_any_db, client_as_any_db):
    admin = client_as_any_db("admin")
    password = shown_password(admin.post(MEMBERS, data={"username": "sari", "role": "peninjau"}).text)
    target = user_id(web_app_any_db, "sari")
    assert admin.post(f"{MEMBERS}/role", data={"user_id": target, "role": "kontributor"}).status_code == 200
    assert sign_in(web_app_any_db, "sari", password)[1] == 303
    assert admin.post(f"{MEMBERS}/active", data={"user_id": target, "active": "0"}).status_code == 200
    assert sign_in(web_app_any_db, "sari", password)[1] == 401
    page = admin.get(PAGE).text
    assert "sari" in page and "nonaktif" in page
