"""Sign in and out with a username and password; choose the interface language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select

from spbe.models import User
from spbe.passwords import verify_password
from spbe.web.deps import DbDep
from spbe.web.i18n import LANGUAGES
from spbe.web.templating import render

router = APIRouter(include_in_schema=False)  # HTML pages; /api/openapi.json documents /api only


def _safe_next(target: str | None) -> str:
    """Only follow redirects inside this site (a leading single slash), never to another host."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(
    request: Request, db: DbDep, username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)], next: Annotated[str, Form()] = "/",
) -> Response:
    user = db.exec(select(User).where(User.username == username.strip())).first()
    if user is None or not user.is_active or not verify_password(password, user.password_hash):
        return render(request, "login.html", {"next": _safe_next(next), "error": "login.failed",
                                              "username": username}, status_code=401)
    request.session.clear()
    request.session["user_id"] = user.id
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def choose_language(code: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response
