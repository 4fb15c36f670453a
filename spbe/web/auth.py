"""Sign in and out with a username and password (failures throttled); choose the interface language."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select

from spbe.services import login_limit, sessions
from spbe.services.passwords import dummy_hash, verify_password
from spbe.store.models import User, utcnow
from spbe.web import csrf
from spbe.web.deps import DbDep, unit_of_work
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
@unit_of_work
def login(
    request: Request, db: DbDep, username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)], moment: Annotated[dt.datetime, Depends(now)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Sign in; an unknown, inactive or known name costs the same password check, so timing tells nothing."""
    name = username.strip()
    client = request.client.host[:64] if request.client else ""  # behind a proxy: --forwarded-allow-ips
    engine = request.app.state.engine
    try:
        attempt = login_limit.begin(engine, name, client, moment)
    except login_limit.TooManyFailures as refusal:
        return _refused(request, username, next, refusal.retry_at, moment)
    user = db.exec(select(User).where(User.username == name)).first()
    if user is not None:
        db.expunge(user)  # kept as read: the rollback below must not expire it
    db.rollback()  # give the connection back before the slow hash: nothing waits on it meanwhile
    right = verify_password(password, user.password_hash if user else dummy_hash())
    if user is None or not user.is_active or not right:
        login_limit.failed(engine, attempt, name, client, moment)
        error = translate("login.failed", language_of(request))
        return render(request, "login.html", {"next": _safe_next(next), "error": error,
                                              "username": username}, status_code=401)
    login_limit.succeeded(db, name)
    request.session.clear()  # a new session: nothing from before signing in carries over, nor the CSRF token
    sessions.begin(request.session, user)
    token = csrf.renew(request.session)
    return RedirectResponse(_safe_next(next), status_code=303, headers={csrf.HEADER: csrf.mask(token)})


@router.post("/logout")
@unit_of_work
def logout(request: Request, db: DbDep) -> Response:
    """Sign out: this user's sessions end everywhere (a copied cookie is refused from now on)."""
    user_id = request.session.get(sessions.USER_KEY)
    user = db.get(User, user_id) if isinstance(user_id, int) else None
    if user is not None and sessions.is_current(request.session, user):
        sessions.end_sessions(db, user)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def choose_language(request: Request, code: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in LANGUAGES:
        secure = request.app.state.settings.env == "production"
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="lax", httponly=True,
                            secure=secure)
    return response
