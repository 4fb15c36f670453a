"""Benchmark: questionnaire page and autosave under 20 concurrent clients, against a bare endpoint on the same server.

Starts the app as `spbe serve` does (uvicorn, one worker, SQLite in WAL mode) on a loopback port with a fresh
demo database, signs 20 clients in as the demo koordinator, and runs each scenario with all of them at once
for a fixed time. Reports p50/p95 latency, throughput, and each scenario's throughput as a ratio of the bare
endpoint's (/healthz) measured in the same round; with --rounds N every scenario is measured N times,
interleaved, and the medians are printed last.

Scenarios:
  bare /healthz       FastAPI endpoint through the app's middleware, no session, no database.
  questionnaire page  GET /assessments/<2022>?aspect=A7, the whole page (10 indicators).
  autosave            htmx POST of a level; each client saves its own indicator (20 OPD officers at work),
                      alternating between two levels so that every request writes. (Twenty clients posting
                      to one indicator mostly measure the 409 conflicts of the optimistic lock.)
  floor: read         the page's floor: session and user lookup, one SELECT by primary key (floor_app.py).
  floor: write        autosave's floor: session and user lookup, CSRF check, one UPDATE and the commit.

Each scenario is warmed up (two requests per client, not counted) before its clock starts: the first
request of a fresh server loads the rubric and compiles templates.
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

CLIENTS = 20
HERE = Path(__file__).resolve().parent
SPBE = str(Path(sys.executable).with_name("spbe"))
# 20 indicators of the spbe-2021 rubric, one per client (I28-I47).
INDICATORS = [f"I{n:02d}" for n in range(28, 28 + CLIENTS)]
LEVELS = ("3", "4")

Request = Callable[[httpx.Client, int, int], httpx.Response]  # (client, client number, request number)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """Migrate and seed the demo, then serve spbe's app plus the floor endpoints like `spbe serve` does."""
    env = {**os.environ, "SPBE_DATA_DIR": str(data_dir)}
    for step in (["db", "upgrade"], ["demo"]):
        subprocess.run([SPBE, *step], env=env, check=True, stdout=subprocess.DEVNULL)
    command = [sys.executable, "-m", "uvicorn", "--factory", "floor_app:create_app", "--app-dir", str(HERE),
               "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("server did not start")


def signed_in_client(base: str) -> httpx.Client:
    """A client signed in as the koordinator that sends its session's CSRF token with every request."""
    client = httpx.Client(base_url=base, timeout=30, follow_redirects=True)
    client.headers["X-CSRF-Token"] = client.get("/api/csrf").json()["csrf_token"]
    r = client.post("/login", data={"username": "demo-koordinator", "password": "demo-koordinator"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    client.headers["X-CSRF-Token"] = r.headers["X-CSRF-Token"]  # signing in renewed it
    return client


def run_scenario(clients: list[httpx.Client], request: Request, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    for n, client in enumerate(clients):  # warm-up, not counted
        for i in range(2):
            request(client, n, i).raise_for_status()
    deadline = time.perf_counter() + seconds

    def worker(client: httpx.Client, n: int) -> None:
        nonlocal errors
        i = 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            response = request(client, n, i)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += response.status_code >= 400
            i += 1

    threads = [threading.Thread(target=worker, args=(c, n)) for n, c in enumerate(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / wall,
            "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000}


def scenarios(assessment_id: int) -> dict[str, Request]:
    htmx = {"HX-Request": "true"}

    def autosave(client: httpx.Client, n: int, i: int) -> httpx.Response:
        return client.post(f"/assessments/{assessment_id}/indicators/{INDICATORS[n]}",
                           data={"value": LEVELS[i % 2]}, headers=htmx)

    def floor_write(client: httpx.Client, n: int, i: int) -> httpx.Response:
        url = f"/bench/floor/write/{assessment_id}/{INDICATORS[n]}"
        return client.post(url, data={"value": LEVELS[i % 2]})

    return {
        "bare /healthz": lambda c, n, i: c.get("/healthz"),
        "questionnaire page": lambda c, n, i: c.get(f"/assessments/{assessment_id}?aspect=A7"),
        "autosave": autosave,
        "floor: read": lambda c, n, i: c.get(f"/bench/floor/read/{assessment_id}"),
        "floor: write": floor_write,
    }


def line(name: str, r: dict[str, float], bare: float) -> str:
    return (f"{name:<20} {r['requests']:>6.0f} req  {r['errors']:>4.0f} errors  {r['rps']:8.1f} req/s  "
            f"p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  ratio to bare {r['rps'] / bare:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each scenario")
    parser.add_argument("--rounds", type=int, default=1, help="measure every scenario this many times")
    args = parser.parse_args()
    rounds: list[dict[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(Path(tmp), port)
        try:
            with sqlite3.connect(Path(tmp) / "spbe.db") as db:
                (assessment_id,) = db.execute("SELECT id FROM assessments WHERE year = 2022").fetchone()
            clients = [signed_in_client(f"http://127.0.0.1:{port}") for _ in range(CLIENTS)]
            for number in range(1, args.rounds + 1):
                results = {name: run_scenario(clients, req, args.seconds)
                           for name, req in scenarios(assessment_id).items()}
                rounds.append(results)
                bare = results["bare /healthz"]["rps"]
                print(f"round {number}: {CLIENTS} concurrent clients, {args.seconds:g} s per scenario, "
                      "one uvicorn worker", flush=True)
                for name, r in results.items():
                    print(line(name, r, bare), flush=True)
        finally:
            server.terminate()
            server.wait(10)
    if len(rounds) > 1:
        print(f"median of {len(rounds)} rounds (ratios: median of each round's ratio)")
        for name in rounds[0]:
            ratio = statistics.median(r[name]["rps"] / r["bare /healthz"]["rps"] for r in rounds)
            med = {k: statistics.median(r[name][k] for r in rounds) for k in ("rps", "p50_ms", "p95_ms")}
            errors = sum(r[name]["errors"] for r in rounds)
            print(f"{name:<20} {errors:>4.0f} errors  {med['rps']:8.1f} req/s  p50 {med['p50_ms']:7.1f} ms  "
                  f"p95 {med['p95_ms']:7.1f} ms  ratio to bare {ratio:.2f}")


if __name__ == "__main__":
    main()
