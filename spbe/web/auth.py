"""Sign in and out with a username and password (failures throttled); choose the interface language."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select

from spbe.services import login_limit
from spbe.services.passwords import verify_password
from spbe.store.models import User, utcnow
from spbe.web import csrf
from spbe.web.deps import DbDep
from spbe.web.i18n import LANGUAGES, language_of, translate
from spbe.web.templating import render
from spbe.web.workspace import clock

router = APIRouter(include_in_schema=False)  # HTML pages; /api/openapi.json documents /api only


def _safe_next(target: str | None) -> str:
    """Only follow redirects inside this site (a leading single slash), never to another host."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next)})


def now() -> dt.datetime:
    """The time a sign-in is counted at; tests override this dependency to move the clock."""
    return utcnow()


def _refused(request: Request, username: str, next: str, retry_at: dt.datetime, moment: dt.datetime,
             ) -> Response:
    """429 with the login form and when to try again."""
    seconds = max(1, math.ceil((retry_at - moment).total_seconds()))
    error = translate("login.too_many", language_of(request), minutes=math.ceil(seconds / 60),
                      time=clock(retry_at))
    return render(request, "login.html", {"next": _safe_next(next), "error": error, "username": username},
                  status_code=429, headers={"Retry-After": str(seconds)})


@router.post("/login")
def login(
    request: Request, db: DbDep, username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)], moment: Annotated[dt.datetime, Depends(now)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    name = username.strip()
    client = request.client.host[:64] if request.client else ""  # behind a proxy: --forwarded-allow-ips
    engine = request.app.state.engine
    try:
        attempt = login_limit.begin(engine, name, client, moment)
    except login_limit.TooManyFailures as refusal:
        return _refused(request, username, next, refusal.retry_at, moment)
    user = db.exec(select(User).where(User.username == name)).first()
    if user is None or not user.is_active or not verify_password(password, user.password_hash):
        login_limit.failed(engine, attempt, name, client, moment)
        error = translate("login.failed", language_of(request))
        return render(request, "login.html", {"next": _safe_next(next), "error": error,
                                              "username": username}, status_code=401)
    login_limit.succeeded(db, name)
    request.session.clear()  # a new session: nothing from before signing in carries over, nor the CSRF token
    request.session["user_id"] = user.id
    token = csrf.renew(request.session)
    return RedirectResponse(_safe_next(next), status_code=303, headers={csrf.HEADER: csrf.mask(token)})


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
