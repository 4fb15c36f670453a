"""Administration: an instansi's members (add, role, deactivate, new password); system admins add instansi.

A generated password appears once, in the answer to the form that made it, and is never stored in clear.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from spbe.services import users as service
from spbe.services.assessments import Refused
from spbe.store.models import Instansi, InstansiKind, Role, User
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.i18n import language_of, translate
from spbe.web.templating import render
from spbe.web.workspace import message

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}  # a page that may show a new password is never cached
UserKey = Annotated[int, Form(ge=1, le=2**31 - 1)]


def _t(request: Request, key: str, **params: object) -> str:
    """A text in the user's language."""
    return translate(key, language_of(request), **params)


def _instansi(db: Session, user: User, code: str) -> Instansi:
    """The instansi the user may administer; 404 when unknown or not theirs, 403 for members not admins."""
    instansi = db.exec(select(Instansi).where(Instansi.code == code[:100])).first()
    if instansi is None:
        raise HTTPException(status_code=404, detail="error.not_found")
    if service.may_manage(db, user, instansi):
        return instansi
    if user.is_system_admin or service.member_role(db, user, instansi) is None:
        raise HTTPException(status_code=404, detail="error.not_found")
    raise HTTPException(status_code=403, detail="error.forbidden")


def _page(
    request: Request, db: Session, user: User, instansi: Instansi, *, status: int = 200,
    notice: str | None = None, error: str | None = None, secret: tuple[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    ctx = {
        "instansi": instansi, "members": service.members(db, instansi), "roles": list(Role),
        "notice": notice, "error": error, "secret": secret, "form": form or {"role": Role.KONTRIBUTOR.value},
        "me": user,
    }
    return render(request, "admin/members.html", ctx, status_code=status, headers=NO_STORE)


@router.get("/instansi/{code}/admin")
@unit_of_work
def members_page(request: Request, db: DbDep, user: UserDep, code: str) -> Response:
    return _page(request, db, user, _instansi(db, user, code))


def _refused(request: Request, db: Session, user: User, instansi: Instansi, refusal: Refused,
             form: dict[str, str] | None = None) -> Response:
    db.rollback()
    error = message(request, refusal)
    return _page(request, db, user, instansi, status=refusal.status, error=error, form=form)


@router.post("/instansi/{code}/admin/members")
@unit_of_work
def add_member(
    request: Request, db: DbDep, user: UserDep, code: str,
    username: Annotated[str, Form(max_length=100)] = "", full_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Create a member with a generated password, shown once on the page that answers."""
    instansi = _instansi(db, user, code)
    try:
        added, password = service.add_member(db, user, instansi, username, full_name, role)
    except Refused as refusal:
        form = {"username": username, "full_name": full_name, "role": role}
        return _refused(request, db, user, instansi, refusal, form)
    notice = _t(request, "admin.notice.added", username=added.username)
    return _page(request, db, user, instansi, notice=notice, secret=(added.username, password))


@router.post("/instansi/{code}/admin/members/role")
@unit_of_work
def change_role(
    request: Request, db: DbDep, user: UserDep, code: str, user_id: UserKey,
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    instansi = _instansi(db, user, code)
    try:
        target, _ = service.member(db, instansi, user_id)
        service.set_role(db, user, instansi, target, role)
    except Refused as refusal:
        return _refused(request, db, user, instansi, refusal)
    notice = _t(request, "admin.notice.role", username=target.username, role=_t(request, f"q.role.{role}"))
    return _page(request, db, user, instansi, notice=notice)


@router.post("/instansi/{code}/admin/members/active")
@unit_of_work
def change_active(
    request: Request, db: DbDep, user: UserDep, code: str, user_id: UserKey,
    active: Annotated[str, Form(max_length=1)] = "0",
) -> Response:
    """Deactivate (active=0) or reactivate (active=1) a member."""
    instansi = _instansi(db, user, code)
    try:
        target, _ = service.member(db, instansi, user_id)
        service.set_active(db, user, instansi, target, active == "1")
    except Refused as refusal:
        return _refused(request, db, user, instansi, refusal)
    key = "admin.notice.activated" if active == "1" else "admin.notice.deactivated"
    return _page(request, db, user, instansi, notice=_t(request, key, username=target.username))


@router.post("/instansi/{code}/admin/members/password")
@unit_of_work
def reset_password(request: Request, db: DbDep, user: UserDep, code: str, user_id: UserKey) -> Response:
    """Give a member a new generated password, shown once."""
    instansi = _instansi(db, user, code)
    try:
        target, _ = service.member(db, instansi, user_id)
        password = service.reset_password(db, user, instansi, target)
    except Refused as refusal:
        return _refused(request, db, user, instansi, refusal)
    notice = _t(request, "admin.notice.password", username=target.username)
    return _page(request, db, user, instansi, notice=notice, secret=(target.username, password))


def _system_admin(user: User) -> None:
    """Only system administrators see the instansi list (404 for everyone else)."""
    if not user.is_system_admin:
        raise HTTPException(status_code=404, detail="error.not_found")


def _instansi_page(request: Request, db: Session, *, status: int = 200, error: str | None = None,
                   notice: str | None = None, form: dict[str, str] | None = None) -> Response:
    ctx = {"all": service.all_instansi(db), "kinds": list(InstansiKind), "error": error, "notice": notice,
           "form": form or {"kind": InstansiKind.KABUPATEN.value}}
    return render(request, "admin/instansi.html", ctx, status_code=status)


@router.get("/admin/instansi")
@unit_of_work
def instansi_page(request: Request, db: DbDep, user: UserDep) -> Response:
    _system_admin(user)
    return _instansi_page(request, db)


@router.post("/admin/instansi")
@unit_of_work
def add_instansi(
    request: Request, db: DbDep, user: UserDep, code: Annotated[str, Form(max_length=100)] = "",
    name: Annotated[str, Form(max_length=200)] = "", kind: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Create an instansi; the system admin who adds it becomes its first admin."""
    _system_admin(user)
    try:
        added = service.add_instansi(db, user, code, name, kind)
    except Refused as refusal:
        db.rollback()
        form = {"code": code, "name": name, "kind": kind}
        return _instansi_page(request, db, status=refusal.status, error=message(request, refusal), form=form)
    notice = _t(request, "admin.notice.instansi", name=added.name)
    return _instansi_page(request, db, notice=notice)
