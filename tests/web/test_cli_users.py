"""`spbe user list / set-role / deactivate / activate / reset-password`: the admin page in a terminal."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from spbe import cli
from spbe.config import get_settings
from spbe.ops.demo import DEMO_CODE
from spbe.store.db import session_scope
from spbe.store.models import Membership, User
from tests.web.audit_helpers import events_since, last_event
from tests.web.test_admin import sign_in


@pytest.fixture
def spbe(web_app, monkeypatch):
    """Run `spbe ...` on the demo app's database; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("SPBE_DATABASE_URL", web_app.state.settings.database_url)
    get_settings.cache_clear()

    def run(capsys_out, *argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out = capsys_out.readouterr()
        return code, out.out, out.err

    yield run
    get_settings.cache_clear()


def test_user_list_shows_every_member_with_role_and_state(spbe, capsys):
    code, out, _ = spbe(capsys, "user", "list", "--instansi", DEMO_CODE)
    assert code == 0
    assert re.search(r"demo-admin\s+kota-pasuruan\s+admin\s+aktif, admin sistem", out)
    assert re.search(r"demo-kontributor\s+kota-pasuruan\s+kontributor\s+aktif", out)
    assert spbe(capsys, "user", "list", "--instansi", "kab-tidak-ada")[0] == 2


def test_set_role_changes_the_role_and_records_it(web_app, spbe, capsys):
    start = last_event(web_app)
    code, _, _ = spbe(capsys, "user", "set-role", "demo-peninjau", "--instansi", DEMO_CODE,
                      "--role", "koordinator")
    assert code == 0
    with session_scope(web_app.state.engine) as db:
        uid = db.exec(select(User.id).where(User.username == "demo-peninjau")).one()
        assert db.exec(select(Membership.role).where(Membership.user_id == uid)).one() == "koordinator"
    assert events_since(web_app, start) == [
        ("member.role", None, "peninjau", "koordinator", "demo-peninjau", None)]


def test_set_role_refuses_bad_input_naming_it(web_app, spbe, capsys):
    start = last_event(web_app)
    code, _, err = spbe(capsys, "user", "set-role", "demo-admin", "--instansi", DEMO_CODE,
                        "--role", "peninjau")
    assert code == 2 and "setidaknya satu admin aktif" in err
    code, _, err = spbe(capsys, "user", "set-role", "siapa", "--instansi", DEMO_CODE, "--role", "peninjau")
    assert code == 2 and "tidak ditemukan" in err
    code, _, err = spbe(capsys, "user", "set-role", "demo-peninjau", "--instansi", DEMO_CODE)
    assert code == 2 and "--role" in err
    assert events_since(web_app, start) == []


def test_system_admin_is_granted_and_taken_away(web_app, spbe, capsys):
    assert spbe(capsys, "user", "set-role", "demo-koordinator", "--system-admin")[0] == 0
    with session_scope(web_app.state.engine) as db:
        assert db.exec(select(User.is_system_admin).where(User.username == "demo-koordinator")).one()
    assert spbe(capsys, "user", "set-role", "demo-koordinator", "--no-system-admin")[0] == 0
    with session_scope(web_app.state.engine) as db:
        assert not db.exec(select(User.is_system_admin).where(User.username == "demo-koordinator")).one()


def test_deactivate_stops_sign_in_and_activate_restores_it(web_app, spbe, capsys):
    start = last_event(web_app)
    assert spbe(capsys, "user", "deactivate", "demo-kontributor")[0] == 0
    assert sign_in(web_app, "demo-kontributor", "demo-kontributor")[1] == 401
    assert events_since(web_app, start) == [
        ("user.deactivate", None, "active", "inactive", "demo-kontributor", None)]
    code, out, _ = spbe(capsys, "user", "deactivate", "demo-kontributor")
    assert code == 0 and "sudah nonaktif" in out
    assert spbe(capsys, "user", "activate", "demo-kontributor")[0] == 0
    assert sign_in(web_app, "demo-kontributor", "demo-kontributor")[1] == 303


def test_the_last_admin_is_not_deactivated(web_app, spbe, capsys):
    code, _, err = spbe(capsys, "user", "deactivate", "demo-admin")
    assert code == 2 and "admin aktif" in err
    assert sign_in(web_app, "demo-admin", "demo-admin")[1] == 303


def test_reset_password_prints_a_new_one_that_works(web_app, spbe, capsys):
    code, out, _ = spbe(capsys, "user", "reset-password", "demo-peninjau")
    assert code == 0
    password = out.strip().rsplit(" ", 1)[-1]
    assert sign_in(web_app, "demo-peninjau", "demo-peninjau")[1] == 401
    assert sign_in(web_app, "demo-peninjau", password)[1] == 303
