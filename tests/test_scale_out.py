"""`spbe serve --workers 3` on PostgreSQL: sign-ins and saves hold whichever worker answers a request.

Every request goes on a new connection, so the kernel hands it to any of the three worker processes; the
test then checks that more than one worker has been talking to PostgreSQL. Sessions are signed cookies and
sign-in throttling lives in the database, so nothing a request needs is in one worker's memory.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import httpx
import pytest

from tests.conftest import postgres_database
from tests.live_server import LiveServer, WebSession
from tests.web.conftest import seed

pytestmark = pytest.mark.postgres
POSTGRES_PORT = f":{5432:04X}"  # as /proc/net/tcp writes the remote port


def workers_talking_to_postgres(parent: int) -> int:
    """How many child processes of the server hold a TCP connection to PostgreSQL."""
    rows = (line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:])
    postgres = {f"socket:[{row[9]}]" for row in rows if row[2].endswith(POSTGRES_PORT)}
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != parent:
                continue
            sockets = {os.readlink(fd) for fd in (stat.parent / "fd").iterdir()}
        except OSError:  # a process that has just ended
            continue
        count += bool(sockets & postgres)
    return count


def fresh_session(server: LiveServer, cookies: httpx.Cookies | None = None) -> WebSession:
    """A client whose every request opens a new connection (so any worker may answer it)."""
    client = httpx.Client(base_url=server.base, timeout=30, cookies=cookies, headers={"Connection": "close"})
    return WebSession(client)


def test_sign_ins_and_saves_hold_across_three_workers(tmp_path):
    with postgres_database() as url:
        seed(url)
        server = LiveServer({"database_url": url, "data_dir": str(tmp_path)}, workers=3)
        server.start()
        try:
            for n in range(24):
                session = fresh_session(server)
                session.login("demo-koordinator" if n % 2 else "demo-kontributor")
                pages = [session.client.get("/") for _ in range(3)]
                assert [p.status_code for p in pages] == [200] * 3, "a signed-in session was not recognised"
                session.client.close()
            session = fresh_session(server)
            session.login("demo-koordinator")
            aid = next(a["id"] for a in session.client.get("/api/assessments").json() if a["year"] == 2022)

            def answer() -> dict[str, object]:
                answers = session.client.get(f"/api/assessments/{aid}/answers").json()
                return next(a for a in answers if a["indicator_id"] == "I45")

            version = answer()["version"]
            for n in range(50):
                text, level = f"simpan {n} {uuid.uuid4().hex}", str(n % 5 + 1)
                saved = session.post(
                    f"/assessments/{aid}/indicators/I45",
                    headers={"HX-Request": "true"},
                    data={"value": level, "explanation": text, "version": str(version)},
                )
                assert saved.status_code == 200, saved.text
                read = answer()
                assert (read["explanation"], str(read["value"]), read["version"]) == (
                    text,
                    level,
                    version + 1,
                )
                version = read["version"]
            assert workers_talking_to_postgres(server.process.pid) >= 2  # type: ignore[union-attr]
            session.client.close()
        finally:
            server.stop()
