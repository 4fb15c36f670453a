"""Benchmark: the same work on a demo database and on a national one (bench/national_db.py), on PostgreSQL.

Serves spbe (uvicorn, one worker) once on a fresh demo-only database and once on the national database, and
measures as the demo koordinator, on the demo's 2022 assessment: a questionnaire view (aspect A7), an
autosave, the start page, the dashboard with its charts (a repeat visit, ETags kept) and the evidence
pack download. Each cost is the server's CPU time per unit (read from /proc, steady on a shared machine)
and, with --clients N, throughput under N concurrent clients; the national figure over the demo's is printed
against the aim (≤ 1.2). A large national instansi's same pages are measured too, for the record (its pages
show more evidence, so they are not expected to cost the same).

Then every distinct SQL statement those requests ran on the national database is shown with its plan
(EXPLAIN), and a sequential scan of a large table is flagged.

    .venv/bin/python bench/national_db.py --database spbe_national --evidence-dir <dir>
    .venv/bin/python bench/bench_scale.py --national spbe_national --evidence-dir <dir>
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import HTMX, IMAGES, INDICATORS, checked, free_port, server_cpu  # noqa: E402
from national_db import ADMIN_URL, create_database  # noqa: E402

AIM = 1.2
LARGE_TABLES = ("evidence", "answers", "assessments", "memberships", "users", "instansi", "audit_events")
Unit = Callable[[httpx.Client, int], object]


def demo_database(admin_url: str, name: str) -> str:
    """A fresh PostgreSQL database with the schema and the demo, nothing else."""
    from spbe.ops.demo import seed_demo
    from spbe.store.db import make_engine, session_scope, upgrade

    url = create_database(admin_url, name)
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as db:
        seed_demo(db)
    engine.dispose()
    return url


def serve(url: str, data_dir: Path, evidence_dir: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    """spbe's app on a database, as `spbe serve` runs it; the process and its base URL."""
    env = {**os.environ, "SPBE_DATA_DIR": str(data_dir), "SPBE_DATABASE_URL": url}
    if evidence_dir:
        env["SPBE_EVIDENCE_DIR"] = str(evidence_dir)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "spbe.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    server = subprocess.Popen(
        command, env=env, cwd=data_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            httpx.get(base + "/healthz", timeout=1)
            return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("server did not start")


def client(base: str, username: str, password: str, number: int = 0) -> httpx.Client:
    """A signed-in client sending its CSRF token; it autosaves an indicator of its own (no 409 conflicts)."""
    c = httpx.Client(base_url=base, timeout=600, follow_redirects=True)  # packs on a busy machine take long
    c.__dict__["indicator"] = INDICATORS[number % len(INDICATORS)]
    c.headers["X-CSRF-Token"] = c.get("/api/csrf").json()["csrf_token"]
    r = c.post("/login", data={"username": username, "password": password}, follow_redirects=False)
    assert r.status_code == 303, r.text
    c.headers["X-CSRF-Token"] = r.headers["X-CSRF-Token"]
    return c


def units(assessment_id: int) -> dict[str, Unit]:
    """The measured work, each a function of (client, request number)."""
    base = f"/assessments/{assessment_id}"

    def repeat_dashboard(c: httpx.Client, i: int) -> object:
        page = checked(c.get(f"{base}/dashboard"))
        tags: dict[str, str] = c.__dict__.setdefault("etags", {})
        for src in IMAGES.findall(page.text):
            chart = c.get(src, headers={"If-None-Match": tags[src]} if src in tags else {})
            if chart.status_code != 304:
                tags[src] = checked(chart).headers.get("etag", "")
        return page

    def export(c: httpx.Client, i: int) -> object:
        with c.stream("GET", f"{base}/export/pack.zip") as r:
            checked(r)
            return sum(len(b) for b in r.iter_raw())

    return {
        "questionnaire view": lambda c, i: checked(c.get(f"{base}?aspect=A7")),
        "autosave": lambda c, i: checked(
            c.post(
                f"{base}/indicators/{c.__dict__['indicator']}",
                data={"value": ("3", "4")[i % 2]},
                headers=HTMX,
            )
        ),
        "start page": lambda c, i: checked(c.get("/")),
        "dashboard (repeat)": repeat_dashboard,
        "export (pack.zip)": export,
    }


def measure(
    server: subprocess.Popen[bytes], clients: list[httpx.Client], work: Unit, count: int
) -> dict[str, float]:
    """Server CPU per unit over `count` units per client, all clients at once; and units per second."""
    for n, c in enumerate(clients):  # warm-up
        work(c, n)
    cpu, began = server_cpu(server.pid), time.perf_counter()
    threads = [threading.Thread(target=lambda c=c: [work(c, i) for i in range(count)]) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - began, server_cpu(server.pid) - cpu
    total = count * len(clients)
    return {"cpu_ms": cpu * 1000 / total, "rps": total / wall}


def assessment_of(url: str, code: str, year: int) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as c:
        found = c.execute(
            sa.text(
                "SELECT a.id FROM assessments a JOIN instansi i ON i.id = a.instansi_id "
                "WHERE i.code = :code AND a.year = :year"
            ),
            {"code": code, "year": year},
        ).scalar_one()
    engine.dispose()
    return found


def explain(url: str, who: tuple[str, str], code: str, year: int, evidence_dir: Path | None) -> None:
    """Run each unit once in process on the national database, then EXPLAIN every statement it ran."""
    from fastapi.testclient import TestClient

    from spbe.app import create_app
    from spbe.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp), database_url=url, **({"evidence_dir": evidence_dir} if evidence_dir else {})
        )
        app = create_app(settings)
        seen: dict[str, tuple[str, object]] = {}

        @sa.event.listens_for(app.state.engine, "before_cursor_execute")
        def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if statement.lstrip().upper().startswith("SELECT") and not executemany:
                seen.setdefault(re.sub(r"\s+", " ", statement), (statement, parameters))

        c = TestClient(app)
        c.__dict__["indicator"] = INDICATORS[0]
        c.headers["X-CSRF-Token"] = c.get("/api/csrf").json()["csrf_token"]
        r = c.post("/login", data={"username": who[0], "password": who[1]}, follow_redirects=False)
        c.headers["X-CSRF-Token"] = r.headers["X-CSRF-Token"]
        seen.clear()  # the sign-in is not a hot path
        for name, work in units(assessment_of(url, code, year)).items():
            work(c, 0)
        print(
            f"\nEXPLAIN of the {len(seen)} distinct SELECTs of those requests ({code} {year}, national):"
        )
        scans = 0
        with app.state.engine.connect() as conn:
            for statement, parameters in seen.values():
                plan = [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters)]
                bad = [line for line in plan if re.search(rf"Seq Scan on ({'|'.join(LARGE_TABLES)})\b", line)]
                scans += bool(bad)
                print("\n" + re.sub(r"\s+", " ", statement)[:300])
                print("\n".join("    " + line for line in plan))
                if bad:
                    print("    ^ SEQUENTIAL SCAN OF A LARGE TABLE")
        print(f"\n{scans} of {len(seen)} statements scan a large table sequentially")
        app.state.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--national", required=True, help="a database built by bench/national_db.py")
    parser.add_argument("--evidence-dir", type=Path, help="the --evidence-dir it was built with")
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--count", type=int, default=10, help="units per client per scenario")
    parser.add_argument("--large", default="nasional-0000", help="a large national instansi to measure too")
    args = parser.parse_args()
    national_url = (
        sa.make_url(args.admin_url).set(database=args.national).render_as_string(hide_password=False)
    )
    demo_url = demo_database(args.admin_url, f"{args.national}_demo")
    koordinator = ("demo-koordinator", "demo-koordinator")
    large_koordinator = (f"{args.large}-00", "national-benchmark")
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = [
            ("demo database", demo_url, None, koordinator, "kota-pasuruan", 2022),
            ("national database", national_url, args.evidence_dir, koordinator, "kota-pasuruan", 2022),
            (
                f"national, {args.large} 2025",
                national_url,
                args.evidence_dir,
                large_koordinator,
                args.large,
                2025,
            ),
        ]
        for label, url, evidence_dir, who, code, year in runs:
            data_dir = Path(tmp) / label.replace(" ", "-").replace(",", "")
            data_dir.mkdir()
            server, base = serve(url, data_dir, evidence_dir)
            try:
                clients = [client(base, *who, n) for n in range(args.clients)]
                results[label] = {
                    name: measure(server, clients, work, args.count)
                    for name, work in units(assessment_of(url, code, year)).items()
                }
            finally:
                server.terminate()
                server.wait(10)
    demo = results["demo database"]
    print(f"{args.clients} concurrent clients, {args.count} units each; server CPU ms per unit (units/s)")
    print(f"{'':<20}" + "".join(f"{label:>30}" for label in results))
    for name in demo:
        row = "".join(f"{r[name]['cpu_ms']:>18.1f} ({r[name]['rps']:6.1f}/s)" for r in results.values())
        print(f"{name:<20}{row}")
    print("\nnational / demo (aim ≤ 1.2), by server CPU per unit and by throughput:")
    for label in list(results)[1:]:
        for name in demo:
            by_cpu = results[label][name]["cpu_ms"] / demo[name]["cpu_ms"]
            by_rps = demo[name]["rps"] / results[label][name]["rps"]
            verdict = "met" if by_cpu <= AIM else "NOT met"
            print(f"  {label:<28} {name:<20} {by_cpu:.2f}/{AIM} {verdict}   (throughput: {by_rps:.2f})")
    explain(national_url, koordinator, "kota-pasuruan", 2022, args.evidence_dir)
    explain(national_url, large_koordinator, args.large, 2025, args.evidence_dir)


if __name__ == "__main__":
    main()
