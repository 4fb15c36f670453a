"""Signing in and out, and pages that need a signed-in user."""

from __future__ import annotations

from tests.web.conftest import login


def test_login_page_speaks_indonesian_by_default_and_english_on_request(anonymous):
    assert "Kata sandi" in anonymous.get("/login").text
    anonymous.get("/lang/en?next=/login")
    assert "Password" in anonymous.get("/login").text


def test_a_wrong_password_is_refused_with_a_clear_message(anonymous):
    response = anonymous.post("/login", data={"username": "demo-koordinator", "password": "salah"})
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.text


def test_login_sets_an_httponly_session_and_logout_clears_it(anonymous):
    response = anonymous.post("/login", data={"username": "demo-koordinator", "password": "demo-koordinator"},
                              follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    anonymous.post("/logout", follow_redirects=False)
    assert "spbe_session" not in anonymous.cookies or anonymous.cookies.get("spbe_session") in (None, "")


def test_login_never_redirects_to_another_site(anonymous):
    response = anonymous.post("/login", data={"username": "demo-peninjau", "password": "demo-peninjau",
                                              "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_every_demo_role_can_sign_in(anonymous):
    for role in ("admin", "koordinator", "kontributor", "peninjau"):
        login(anonymous, role)
