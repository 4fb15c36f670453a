"""Request dependencies: the database session, the signed-in user and their role in an instansi."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Concatenate, ParamSpec, TypeVar

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from sqlmodel import Session, select

from spbe.services.permissions import Action, can
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Membership, Role, User

P = ParamSpec("P")
R = TypeVar("R")


class LoginRequired(Exception):
    """Raised when a page needs a signed-in user; pages redirect to /login, the API answers 401."""


def get_db(request: Request) -> Iterator[Session]:
    """A session on the app's database, committed when the request succeeds."""
    with session_scope(request.app.state.engine) as session:
        yield session


# scope="function": commit before the response is sent, so a client that follows a redirect at once sees the change.
DbDep = Annotated[Session, Depends(get_db, scope="function")]


def current_user(request: Request, db: DbDep) -> User:
    """The signed-in, active user (from the signed session cookie)."""
    user_id = request.session.get("user_id")
    user = db.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active:
        request.session.clear()
        raise LoginRequired()
    request.state.user = User.model_validate(user)  # a copy for templates: error pages render after rollback
    return user


UserDep = Annotated[User, Depends(current_user)]


async def signed_in(
    request: Request, work: Callable[Concatenate[Request, Session, User, P], R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """DbDep and UserDep for busy routes: `work(request, db, user, ...)` as one unit of work in one thread call.

    FastAPI runs each sync dependency, and a yield dependency's exit, as a separate threadpool call; for the
    questionnaire's page and autosave those hops cost more than the work itself (bench/bench_web.py). An
    async route that awaits this does its whole unit of work (session, signed-in user, handler, commit) in
    one call to the same threadpool. (A small pool of its own, 1-2 threads, cut the CPU per request by 15-30 %
    on an idle machine but more than halved the throughput on a busy one: a preempted thread holds a slot.)
    """

    def unit_of_work() -> R:
        with session_scope(request.app.state.engine) as db:
            return work(request, db, current_user(request, db), *args, **kwargs)

    return await anyio.to_thread.run_sync(unit_of_work)


def role_in(db: Session, user: User, instansi_id: int) -> Role | None:
    """The user's role in an instansi, or None when they are not a member."""
    membership = db.exec(
        select(Membership).where(Membership.user_id == user.id, Membership.instansi_id == instansi_id)
    ).first()
    return Role(membership.role) if membership else None


def assessment_for(db: Session, user: User, assessment_id: int, action: Action = Action.VIEW) -> tuple[Assessment, Role]:
    """Load an assessment the user may act on; 404 when missing or not theirs, 403 when the role forbids."""
    assessment = db.get(Assessment, assessment_id)
    role = role_in(db, user, assessment.instansi_id) if assessment else None
    if assessment is None or role is None:
        raise HTTPException(status_code=404, detail="error.not_found")
    if action is not Action.EDIT_ANSWER and not can(role, action):
        raise HTTPException(status_code=403, detail="error.forbidden")
    return assessment, role
