"""Load test: 50 users fill questionnaires and upload evidence for 60 s against `spbe serve --workers 2`.

`--browse` instead opens pages as a browser does: the questionnaire page, then the evidence panel of each
of its indicators (htmx `load`), over up to 6 connections per user, again and again; a view is the page
and all its panels. The users sign in first (over the ramp), then all start at the same moment.

Loopback only and bounded: the server runs on 127.0.0.1 on a fresh database (PostgreSQL at
SPBE_TEST_POSTGRES_URL's server when reachable, else SQLite), every request has a timeout, and each user stops
at the deadline. Each user signs in (its own koordinator account), then repeats: open its aspect of the
questionnaire, autosave a level and an explanation (sending the version it saw), and every third round upload
a small PDF and open the evidence panel. Prints p50/p95 per request type and throughput; exit 1 on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlmodel import select

from spbe.method.rubric import get_rubric
from spbe.ops.demo import seed_demo
from spbe.services.passwords import hash_password
from spbe.store.db import make_engine, session_scope, upgrade
from spbe.store.models import Assessment, Membership, Role, User

SPBE = str(Path(sys.executable).with_name("spbe"))
PG_ADMIN = os.environ.get("SPBE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "load-test-password"
VIEW = "view (page+panels)"  # not a request: the time until a page and all its panels have arrived
CONNECTIONS = 6  # a browser's connections per host
PANEL = re.compile(r'hx-get="(/assessments/\d+/indicators/[^"/]+/evidence)"')
RUBRIC = get_rubric("spbe-2021")


class Stats:
    """Latencies and errors per request type."""

    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.retried = 0  # GETs sent again after the server closed an idle kept-alive connection

    async def send(self, kind: str, expected: int, request: object) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response: httpx.Response = await request  # type: ignore[misc]
        except httpx.HTTPError as e:
            self.errors[kind].append(f"{type(e).__name__}: {e}")
            return None
        self.latency[kind].append(time.perf_counter() - start)
        if response.status_code != expected:
            self.errors[kind].append(f"HTTP {response.status_code}: {response.text[:200]}")
            return None
        return response


class VirtualUser:
    """One virtual user: its client, its CSRF token, and the indicator it answers."""

    def __init__(self, base: str, n: int, assessment: int, indicator: str, stats: Stats) -> None:
        limits = httpx.Limits(max_connections=CONNECTIONS)
        self.client = httpx.AsyncClient(base_url=base, timeout=30, limits=limits)
        self.name, self.aid, self.ind, self.stats = f"load-{n:02d}", assessment, indicator, stats
        self.token, self.version = "", "0"

    async def post(self, kind: str, url: str, expected: int = 200, **kwargs: object) -> httpx.Response | None:
        """Every POST carries the session's CSRF token (the one place to change for another scheme)."""
        headers = {"X-CSRF-Token": self.token, "HX-Request": "true"}
        return await self.stats.send(kind, expected, self.client.post(url, headers=headers, **kwargs))

    async def refresh_token(self) -> None:
        got = await self.stats.send("csrf token", 200, self.client.get("/api/csrf"))
        self.token = got.json()["csrf_token"] if got else ""

    def see_version(self, response: httpx.Response | None) -> None:
        """Keep the answer's version as the page or the save shows it, to send with the next save."""
        found = re.search(rf'id="version-{self.ind}" value="(\d+)"', response.text) if response else None
        self.version = found.group(1) if found else self.version

    async def save(self, fields: dict[str, str]) -> None:
        url = f"/assessments/{self.aid}/indicators/{self.ind}"
        self.see_version(await self.post("autosave", url, data={**fields, "version": self.version}))

    async def sign_in(self, ramp: float) -> None:
        await asyncio.sleep(ramp)
        await self.refresh_token()
        await self.post("login", "/login", 303, data={"username": self.name, "password": PASSWORD})
        await self.refresh_token()

    async def get(self, url: str, **kwargs: object) -> httpx.Response:
        """GET as a browser does: sent once more when a kept-alive connection closed under it, unanswered.

        The server closes a connection idle for 5 s (uvicorn's keep-alive); a request sent on it at that
        moment gets no answer, and browsers then retry (up to once per stale connection). Counted in
        `retried`; any other failure, and a seventh, is an error.
        """
        for _ in range(CONNECTIONS):  # each failure drops one stale connection from the client's pool
            try:
                return await self.client.get(url, **kwargs)  # type: ignore[arg-type]
            except (httpx.RemoteProtocolError, httpx.ReadError):
                self.stats.retried += 1
        return await self.client.get(url, **kwargs)  # type: ignore[arg-type]

    async def browse(self, deadline: float) -> None:
        """Open the questionnaire and then every evidence panel it shows, as a browser does, until the end."""
        url = f"/assessments/{self.aid}?aspect={RUBRIC.indicator_by_id[self.ind].aspect}"
        while time.monotonic() < deadline:
            began = time.perf_counter()
            page = await self.stats.send("questionnaire page", 200, self.get(url))
            panels = PANEL.findall(page.text) if page else []
            got = await asyncio.gather(*(self.stats.send("evidence panel", 200, self.get(
                panel, headers={"HX-Request": "true"})) for panel in panels))
            if page and all(got):
                self.stats.latency[VIEW].append(time.perf_counter() - began)
        await self.client.aclose()

    async def run(self, deadline: float, ramp: float) -> None:
        await self.sign_in(ramp)
        aspect = RUBRIC.indicator_by_id[self.ind].aspect
        n = 0
        while time.monotonic() < deadline:
            page = self.client.get(f"/assessments/{self.aid}?aspect={aspect}")
            self.see_version(await self.stats.send("questionnaire page", 200, page))
            await self.save({"value": str(random.randint(1, 5))})
            await self.save({"explanation": f"Penjelasan {self.name} putaran {n}: {uuid.uuid4().hex}"})
            if n % 3 == 0:
                pdf = b"%PDF-1.4\n%" + os.urandom(16 * 1024)
                await self.post(
                    "evidence upload",
                    f"/assessments/{self.aid}/indicators/{self.ind}/evidence/file",
                    data={"title": f"Bukti {self.name} {n}", "levels": "3"},
                    files={"file": ("bukti.pdf", pdf, "application/pdf")},
                )
                await self.stats.send(
                    "evidence panel",
                    200,
                    self.client.get(
                        f"/assessments/{self.aid}/indicators/{self.ind}/evidence",
                        headers={"HX-Request": "true"},
                    ),
                )
            n += 1
        await self.client.aclose()


def prepare(url: str, users: int) -> list[tuple[int, str]]:
    """Migrate and seed the demo, add one koordinator per user; each user's (assessment, indicator)."""
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as db:
        instansi = seed_demo(db)
        secret = hash_password(PASSWORD)  # one production-cost hash, shared: the bench signs in 50 times
        for n in range(users):
            user = User(username=f"load-{n:02d}", password_hash=secret)
            db.add(user)
            db.flush()
            db.add(Membership(user_id=user.id, instansi_id=instansi.id, role=Role.KOORDINATOR.value))
        years = {a.year: a.id for a in db.exec(select(Assessment))}
    engine.dispose()
    ids = [i.id for i in RUBRIC.indicators]
    return [(years[2022 if n < len(ids) else 2021], ids[n % len(ids)]) for n in range(users)]


def postgres_database() -> tuple[str, sa.Engine] | None:
    """A new empty database on the PostgreSQL server (its URL, the admin engine), or None if unreachable."""
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"spbe_load_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        admin.dispose()
        return None
    return admin.url.set(database=name).render_as_string(hide_password=False), admin


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("spbe serve did not start")


def report(stats: Stats, wall: float, users: int, database: str, workers: int) -> int:
    total = sum(len(v) for kind, v in stats.latency.items() if kind != VIEW)
    errors = sum(len(v) for v in stats.errors.values())
    print(
        f"{users} users, {wall:.0f} s, spbe serve --workers {workers} on {database}: {total} requests, "
        f"{total / wall:.1f} req/s, {errors} errors ({stats.retried} GETs sent again on a new connection)"
    )
    print(f"{'request':<20} {'count':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, times in sorted(stats.latency.items()):
        q = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
        p50, p95, worst = (x * 1000 for x in (q[49], q[94], max(times)))
        print(
            f"{kind:<20} {len(times):>7} {len(stats.errors[kind]):>7} {p50:>8.0f} {p95:>8.0f} {worst:>8.0f}"
        )
    for kind, found in stats.errors.items():
        for error in found[:3]:
            print(f"error {kind}: {error}", file=sys.stderr)
    return 1 if errors else 0


async def load(
    base: str, plan: list[tuple[int, str]], seconds: float, ramp: float, stats: Stats, browse: bool
) -> float:
    began = time.monotonic()
    users = [VirtualUser(base, n, aid, ind, stats) for n, (aid, ind) in enumerate(plan)]
    if not browse:
        await asyncio.gather(*(u.run(began + seconds, ramp * n / len(users)) for n, u in enumerate(users)))
        return time.monotonic() - began
    # Signed in first, then all open the questionnaire at the same moment (a meeting's "open the form now").
    await asyncio.gather(*(u.sign_in(ramp * n / len(users)) for n, u in enumerate(users)))
    began = time.monotonic()
    await asyncio.gather(*(u.browse(began + seconds) for u in users))
    return time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ramp", type=float, default=5, help="seconds over which the users sign in")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even when PostgreSQL is reachable")
    parser.add_argument("--browse", action="store_true", help="open pages with their evidence panels instead")
    args = parser.parse_args()
    created = None if args.sqlite else postgres_database()
    with tempfile.TemporaryDirectory(prefix="spbe-load-") as tmp:
        url = created[0] if created else f"sqlite:///{tmp}/spbe.db"
        plan = prepare(url, args.users)
        port, env = free_port(), {**os.environ, "SPBE_DATA_DIR": tmp, "SPBE_DATABASE_URL": url}
        server = subprocess.Popen(
            [SPBE, "serve", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_ready(f"http://127.0.0.1:{port}")
            stats = Stats()
            base = f"http://127.0.0.1:{port}"
            wall = asyncio.run(load(base, plan, args.seconds, args.ramp, stats, args.browse))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
            if created:
                with created[1].connect() as c:
                    c.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)'))
                created[1].dispose()
    return report(stats, wall, args.users, "PostgreSQL" if created else "SQLite", args.workers)


if __name__ == "__main__":
    sys.exit(main())
