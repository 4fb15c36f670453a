"""Sign-in timing tells nothing about which user names exist: unknown names cost a password check too.

Counted, not timed: each wrong sign-in must run exactly one Argon2 verification against a hash of the same
cost parameters, whether the name exists or not. (A stopwatch comparison failed on a loaded machine.)
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from pwdlib import PasswordHash

from spbe.services import passwords
from spbe.store.db import session_scope
from spbe.store.models import User
from tests.web.conftest import send_csrf


class CountingHasher:
    """The production hasher, recording the cost parameters of every hash a password is checked against."""

    def __init__(self) -> None:
        self.inner = PasswordHash.recommended()
        self.checked: list[str] = []

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, password: str, stored_hash: str) -> bool:
        self.checked.append(stored_hash.rsplit("$", 2)[0])  # "$argon2id$v=19$m=…,t=…,p=…": the cost
        return self.inner.verify(password, stored_hash)


def test_a_wrong_password_costs_one_equal_check_for_an_unknown_name_and_a_known_one(web_app, monkeypatch):
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "_HASHER", hasher)  # production cost, as deployed
    passwords.dummy_hash.cache_clear()
    try:
        with session_scope(web_app.state.engine) as db:
            db.add(User(username="pegawai-nyata", password_hash=passwords.hash_password("rahasia-sekali")))
        client = send_csrf(TestClient(web_app, follow_redirects=False))
        costs = {}
        for username in ("pegawai-nyata", "tidak-ada"):
            hasher.checked.clear()
            response = client.post("/login", data={"username": username, "password": "tebakan-salah"})
            assert response.status_code == 401
            costs[username] = list(hasher.checked)
    finally:
        passwords.dummy_hash.cache_clear()
    assert len(costs["pegawai-nyata"]) == 1
    assert costs["tidak-ada"] == costs["pegawai-nyata"]
    assert costs["tidak-ada"][0].startswith("$argon2")
