"""Request dependencies: the database session, the signed-in user and their role in an instansi.

Every route does its database work in one worker-thread call per request (`unit_of_work` or `signed_in`):
a connection is taken and given back within that call, so a request never holds one while it waits for a
thread. (Sync dependencies hop threads one by one while the first hop's connection is held: with a few
dozen requests in flight, threads and connections waited on each other until the pool's timeout.)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar

import anyio.to_thread
from fastapi import HTTPException, Request
from sqlmodel import Session, select

from spbe.services import sessions
from spbe.services.permissions import Action, can
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Membership, Role, User

P = ParamSpec("P")
R = TypeVar("R")


class LoginRequired(Exception):
    """Raised when a page needs a signed-in user; pages redirect to /login, the API answers 401."""


# Parameters `unit_of_work` fills: the request's database session and the signed-in user. They are no
# FastAPI dependencies, so a route using them without `unit_of_work` fails when the app is built.
DbDep = Annotated[Session, "spbe: the unit of work's session"]


def current_user(request: Request, db: Session) -> User:
    """The signed-in, active user whose session has not been ended (sign-out, password or role change)."""
    user_id = request.session.get(sessions.USER_KEY)
    user = db.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or not sessions.is_current(request.session, user):
        request.session.clear()
        raise LoginRequired()
    request.state.user = User.model_validate(user)  # a copy for templates: error pages render after rollback
    return user


UserDep = Annotated[User, "spbe: the signed-in user"]


async def require_user(request: Request) -> None:
    """A dependency for routes without database work of their own: LoginRequired unless signed in."""

    def check() -> None:
        """The sign-in check as a unit of work of its own (its connection is back in the pool after)."""
        with session_scope(request.app.state.engine) as db:
            current_user(request, db)

    await anyio.to_thread.run_sync(check)


def unit_of_work(handler: Callable[..., R]) -> Callable[..., Coroutine[Any, Any, R]]:
    """Make a route of `handler`, whose `DbDep` and `UserDep` parameters it fills in one thread call.

    The route FastAPI sees is async and has the handler's other parameters (path, query, form, upload
    dependencies: resolved first, in the event loop); the session, the signed-in user, the handler and the
    commit then run as one call in the threadpool, as `signed_in` does.
    """
    signature = inspect.signature(handler, eval_str=True)
    params = signature.parameters
    db_name = next((n for n, p in params.items() if p.annotation == DbDep), None)
    user_name = next((n for n, p in params.items() if p.annotation == UserDep), None)
    markers = {db_name, user_name}
    kept = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for n, p in params.items() if n not in markers]
    request_name = next((p.name for p in kept if p.annotation is Request), None)
    if request_name is None:
        kept.insert(0, inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request))

    async def route(**kwargs: Any) -> R:
        """The route: the handler's own parameters from FastAPI, the rest filled in one thread call."""
        request = kwargs[request_name] if request_name else kwargs.pop("request")

        def work() -> R:
            """Session, signed-in user, handler and commit, in the worker thread."""
            with session_scope(request.app.state.engine) as db:
                filled = {db_name: db} if db_name else {}
                if user_name:
                    filled[user_name] = current_user(request, db)
                return handler(**kwargs, **filled)

        return await anyio.to_thread.run_sync(work)

    route.__signature__ = signature.replace(parameters=kept)  # type: ignore[attr-defined]
    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(route, name, getattr(handler, name))
    return route


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
