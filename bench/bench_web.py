"""Benchmark: questionnaire page and autosave under 20 concurrent clients, against a bare endpoint on the same server.

Starts `spbe serve` on a loopback port with a fresh demo database, signs 20 clients in as the demo
koordinator, and for each scenario runs them together for a fixed time. Reports p50/p95 latency,
throughput, and each scenario's throughput as a ratio of the bare endpoint's (/healthz) in the same run.
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
SPBE = str(Path(sys.executable).with_name("spbe"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SPBE_DATA_DIR": str(data_dir)}
    for step in (["db", "upgrade"], ["demo"]):
        subprocess.run([SPBE, *step], env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([SPBE, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def run_scenario(clients: list[httpx.Client], request: Callable[[httpx.Client, int], httpx.Response],
                 seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(client: httpx.Client, n: int) -> None:
        nonlocal errors
        i = 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            response = request(client, n * 1_000_000 + i)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each scenario")
    seconds = parser.parse_args().seconds
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(Path(tmp), port)
        try:
            base = f"http://127.0.0.1:{port}"
            with sqlite3.connect(Path(tmp) / "spbe.db") as db:
                (assessment_id,) = db.execute("SELECT id FROM assessments WHERE year = 2022").fetchone()
            clients = [signed_in_client(base) for _ in range(CLIENTS)]
            levels = ["3", "4"]

            def autosave(client: httpx.Client, i: int) -> httpx.Response:
                return client.post(f"/assessments/{assessment_id}/indicators/I45",
                                   data={"value": levels[i % 2]}, headers={"HX-Request": "true"})

            scenarios: dict[str, Callable[[httpx.Client, int], httpx.Response]] = {
                "bare /healthz": lambda c, i: c.get("/healthz"),
                "questionnaire page": lambda c, i: c.get(f"/assessments/{assessment_id}?aspect=A7"),
                "autosave": autosave,
            }
            results = {name: run_scenario(clients, req, seconds) for name, req in scenarios.items()}
        finally:
            server.terminate()
            server.wait(10)
    bare = results["bare /healthz"]["rps"]
    print(f"{CLIENTS} concurrent clients, {seconds:.0f} s per scenario, one uvicorn worker")
    for name, r in results.items():
        print(f"{name:<20} {r['requests']:>6} req  {r['errors']:>4} errors  {r['rps']:8.1f} req/s  "
              f"p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  ratio to bare {r['rps'] / bare:.2f}")


if __name__ == "__main__":
    main()
