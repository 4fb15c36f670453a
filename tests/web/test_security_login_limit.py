"""Sign-in throttling: failures per username and per client address, on a test clock; parallel sign-ins."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import func, select

from spbe.app import create_app
from spbe.services import login_limit
from spbe.services.passwords import hash_password
from spbe.store.db import session_scope
from spbe.store.models import AttemptState, LoginFailure, User
from spbe.web import auth
from tests.web.conftest import send_csrf

START = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # 10.00 WIB
RIGHT = "demo-koordinator"


class Clock:
    """The time every app built by `apps` counts sign-ins at."""

    def __init__(self) -> None:
        self.now = START

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def apps(web_app_any_db: FastAPI, clock: Clock) -> Iterator[list[FastAPI]]:
    """Two apps on one database, as two workers would be, both on the test clock."""
    other = create_app(web_app_any_db.state.settings)
    for app in (web_app_any_db, other):
        app.dependency_overrides[auth.now] = lambda: clock.now
    yield [web_app_any_db, other]
    other.state.engine.dispose()


def client(app: FastAPI, address: str = "192.0.2.10") -> TestClient:
    """A browser at a (documentation) IP address."""
    return send_csrf(TestClient(app, client=(address, 50000)))


def sign_in(c: TestClient, username: str = RIGHT, password: str = "salah") -> int:
    response = c.post("/login", data={"username": username, "password": password}, follow_redirects=False)
    return response.status_code


def failures(app: FastAPI) -> int:
    with session_scope(app.state.engine) as db:
        return db.exec(select(func.count()).select_from(LoginFailure)).one()


def test_five_failures_lock_the_username_for_fifteen_minutes_in_every_worker(apps, clock):
    first, second = client(apps[0]), client(apps[1])
    for attempt in range(login_limit.PER_USERNAME):
        clock.advance(minutes=1)
        assert sign_in(first if attempt % 2 else second) == 401
    locked = first.post("/login", data={"username": RIGHT, "password": RIGHT}, follow_redirects=False)
    assert locked.status_code == 429  # even the right password: the guessing must stop
    assert "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 11 menit (pukul 10:16 WIB)." \
        in locked.text
    assert locked.headers["retry-after"] == str(11 * 60)
    assert first.get("/", follow_redirects=False).status_code == 303  # not signed in
    assert sign_in(second) == 429  # the other worker sees the same failures

    clock.advance(minutes=11)  # the first failure is 15 minutes old: four remain
    assert sign_in(first, password=RIGHT) == 303
    assert sign_in(second, "demo-peninjau") == 401  # another username was never locked


def test_attempts_while_locked_do_not_extend_the_lock(apps, clock):
    c = client(apps[0])
    for _ in range(login_limit.PER_USERNAME):
        assert sign_in(c) == 401
    for _ in range(10):
        clock.advance(minutes=1)
        assert sign_in(c) == 429
    clock.advance(minutes=5)
    assert sign_in(c, password=RIGHT) == 303


def test_a_successful_sign_in_resets_the_usernames_count(apps, clock):
    c = client(apps[0])
    for _ in range(login_limit.PER_USERNAME - 1):
        assert sign_in(c) == 401
    assert sign_in(c, password=RIGHT) == 303
    assert failures(apps[0]) == 0
    for _ in range(login_limit.PER_USERNAME):
        assert sign_in(c) == 401
    assert sign_in(c) == 429


def test_many_usernames_from_one_address_lock_that_address_only(apps, clock):
    guesser, colleague = client(apps[0], "192.0.2.66"), client(apps[1], "198.51.100.7")
    for n in range(login_limit.PER_CLIENT):
        assert sign_in(guesser, f"tebakan-{n}") == 401
    assert sign_in(guesser, "tebakan-baru") == 429
    assert sign_in(guesser, password=RIGHT) == 429  # a right password from that address waits too
    assert sign_in(colleague, password=RIGHT) == 303  # other addresses are not affected

    clock.advance(minutes=15)
    assert sign_in(guesser, password=RIGHT) == 303


def test_old_failures_are_removed(apps, clock):
    c = client(apps[0])
    for _ in range(3):
        sign_in(c)
    clock.advance(minutes=16)
    sign_in(c, "someone-else")
    assert failures(apps[0]) == 1


def test_the_limit_message_speaks_english_on_request(apps, clock):
    c = client(apps[0])
    c.cookies.set("lang", "en")
    for _ in range(login_limit.PER_USERNAME):
        sign_in(c)
    locked = c.post("/login", data={"username": RIGHT, "password": "x"}, follow_redirects=False)
    assert "Too many failed sign-in attempts. Try again in 15 minutes (at 10:15 WIB)." in locked.text


# --- parallel sign-ins from one address ----------------------------------------------------------------


def in_parallel(count: int, attempt: Callable[[int], int]) -> list[int]:
    """Run attempt(0..count-1) at the same moment, each in its own thread; their status codes."""
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(attempt, range(count)))


def hold_after_begin(monkeypatch: pytest.MonkeyPatch, parties: int, timeout: float) -> threading.Barrier:
    """Each attempt that passes the limits waits, pending, until `parties` of them have (or `timeout`).

    Abort the returned barrier to let later attempts go straight on.
    """
    together, begin = threading.Barrier(parties, timeout=timeout), login_limit.begin

    def held(*args: object) -> int:
        attempt = begin(*args)  # type: ignore[arg-type]
        with contextlib.suppress(threading.BrokenBarrierError):
            together.wait()
        return attempt

    monkeypatch.setattr(login_limit, "begin", held)
    return together


def add_users(app: FastAPI, count: int) -> list[str]:
    """`count` colleagues whose password equals their name (cheap hashing in tests)."""
    names = [f"pegawai-{n:02d}" for n in range(count)]
    with session_scope(app.state.engine) as db:
        db.add_all(User(username=name, password_hash=hash_password(name)) for name in names)
    return names


def test_colleagues_behind_one_address_signing_in_at_once_are_never_refused(apps, clock, monkeypatch):
    """30 right passwords at the same moment from one office address, after 19 failures from it."""
    office = "203.0.113.5"
    for n in range(login_limit.PER_CLIENT - 1):
        assert sign_in(client(apps[n % 2], office), f"salah-ketik-{n}") == 401
    names = add_users(apps[0], 30)
    hold = hold_after_begin(monkeypatch, len(names), timeout=20)  # all 30 are pending together

    def colleague(n: int) -> int:
        with contextlib.closing(client(apps[n % 2], office)) as c:
            return sign_in(c, names[n], names[n])

    assert in_parallel(len(names), colleague) == [303] * len(names)
    assert not hold.broken  # they really were all pending at once
    hold.abort()
    assert sign_in(client(apps[0], office), "salah-ketik-lagi") == 401  # the 20th failure
    assert sign_in(client(apps[1], office), names[0], names[0]) == 429  # only confirmed failures count


def test_parallel_guesses_at_one_username_are_capped_by_their_pending_attempts(apps, clock, monkeypatch):
    guesses = 3 * login_limit.PER_USERNAME
    hold_after_begin(monkeypatch, login_limit.PER_USERNAME, timeout=3)

    def guess(n: int) -> int:  # from as many addresses: only the username's limit applies
        with contextlib.closing(client(apps[n % 2], f"198.51.100.{n}")) as c:
            return sign_in(c, RIGHT, f"tebakan-{n}")

    codes = in_parallel(guesses, guess)
    assert set(codes) <= {401, 429} and codes.count(401) <= login_limit.PER_USERNAME, codes
    with session_scope(apps[0].state.engine) as db:
        states = db.exec(select(LoginFailure.state).where(LoginFailure.username == RIGHT)).all()
    assert states == [AttemptState.FAILED.value] * codes.count(401)  # every checked guess counted as failed


def test_a_failure_whose_pending_row_a_success_removed_is_still_counted(apps, clock):
    engine = apps[0].state.engine
    attempt = login_limit.begin(engine, RIGHT, "192.0.2.1", clock.now)
    with session_scope(engine) as db:  # the right password, checked meanwhile in another request
        login_limit.succeeded(db, RIGHT)
    login_limit.failed(engine, attempt, RIGHT, "192.0.2.1", clock.now)
    with session_scope(engine) as db:
        rows = db.exec(select(LoginFailure.username, LoginFailure.client, LoginFailure.state)).all()
    assert [tuple(r) for r in rows] == [(RIGHT, "192.0.2.1", AttemptState.FAILED.value)]
