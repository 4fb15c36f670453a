"""Benchmark: what a page view, an autosave and a repeat visit cost under 20 concurrent clients, as ratios.

Starts the app as `spbe serve` does (uvicorn, one worker, SQLite in WAL mode) on a loopback port with a fresh
demo database, signs 20 clients in as the demo koordinator, and runs each scenario with all of them at once
for a fixed time. Reports p50/p95 latency and throughput, each scenario's throughput as a ratio of the bare
endpoint's (/healthz) and of its *floor* measured in the same round, and the issue-17 aims as measured/aim.
With --rounds N every scenario is measured N times, interleaved, and the medians are printed last. With
--baseline DIR another source tree of spbe (say the merge base, `git archive <commit> | tar -x -C DIR`) is
served too, from the same virtualenv with DIR first on PYTHONPATH, and measured in the same rounds.

A scenario's unit is what a browser does, counted as one: a *view* is the page and every request the page
then makes by itself (elements with `hx-trigger="load…"`); an *autosave* is the POST and whatever its answer
makes the page fetch (an `HX-Trigger: level-changed` refetched the card's evidence panel). Static files are
left out (the browser keeps them). Besides throughput, the server's own CPU time per unit is read from /proc
(steadier than throughput on a shared machine, where the 20 clients also run on the same CPUs).

Scenarios:
  bare /healthz        FastAPI endpoint through the app's middleware, no session, no database.
  questionnaire view   GET /assessments/<2022>?aspect=A7 (10 indicators) and what it fetches on load.
  autosave             htmx POST of a level and what the page fetches after it; each client saves its own
                       indicator (20 OPD officers at work), alternating between two levels so every request
                       writes. (Twenty clients posting to one indicator mostly measure 409 conflicts.)
  dashboard (repeat)   the dashboard page and its two SVG charts, revalidated with the ETag the client holds.
  comparison (repeat)  the year-on-year comparison page and its chart, revalidated the same way.
  floor: read          session and user lookup, one SELECT by primary key (floor_app.py).
  floor: write         session and user lookup, CSRF check, one UPDATE and the commit.

Each scenario is warmed up (two units per client, not counted) before its clock starts: the first
request of a fresh server loads the rubric and compiles templates; the repeat visits fill the ETags.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
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
# 20 indicators of the spbe-2021 rubric, one per client (I28-I47).
INDICATORS = [f"I{n:02d}" for n in range(28, 28 + CLIENTS)]
LEVELS = ("3", "4")

Request = Callable[[httpx.Client, int, int], httpx.Response]  # (client, client number, request number)
LOADS = re.compile(r'hx-get="([^"]+)"[^<>]*?hx-trigger="load\b')  # starts at the literal: a scan stays cheap
IMAGES = re.compile(r'<img src="(/assessments/[^"]+\.svg[^"]*)"')
HTMX = {"HX-Request": "true"}
# The aims of issue 17: (scenario, the floor it is compared with, least ratio).
AIMS = (("questionnaire view", "floor: read", 0.40), ("autosave", "floor: write", 0.60),
        ("dashboard (repeat)", "floor: read", 0.30), ("comparison (repeat)", "floor: read", 0.30))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tree: Path, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """Migrate and seed the demo, then serve a tree's app plus the floor endpoints like `spbe serve` does."""
    env = {**os.environ, "SPBE_DATA_DIR": str(data_dir), "PYTHONPATH": str(tree)}
    for step in (["db", "upgrade"], ["demo"]):
        subprocess.run([sys.executable, "-m", "spbe", *step], env=env, cwd=tree, check=True,
                       stdout=subprocess.DEVNULL)
    command = [sys.executable, "-m", "uvicorn", "--factory", "floor_app:create_app", "--app-dir", str(HERE),
               "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    # cwd: `python -m` puts the working directory first on sys.path, before PYTHONPATH.
    server = subprocess.Popen(command, env=env, cwd=tree, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
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


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_scenario(clients: list[httpx.Client], request: Request, seconds: float, pid: int) -> dict[str, float]:
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
            try:
                failed = request(client, n, i).status_code >= 400
            except httpx.HTTPStatusError:  # a part of a view or an autosave failed
                failed = True
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += failed
            i += 1

    threads = [threading.Thread(target=worker, args=(c, n)) for n, c in enumerate(clients)]
    began, cpu = time.perf_counter(), server_cpu(pid)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - began, server_cpu(pid) - cpu
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / wall,
            "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "cpu_ms": cpu * 1000 / len(latencies)}


def checked(response: httpx.Response) -> httpx.Response:
    """The response, raising on an error status (a view or autosave counts as failed when any part fails)."""
    return response.raise_for_status()


def view(client: httpx.Client, url: str) -> httpx.Response:
    """A page and what the page fetches by itself on load (htmx `hx-trigger="load"`), as a browser would."""
    page = checked(client.get(url))
    for part in LOADS.findall(page.text):
        checked(client.get(part.replace("&amp;", "&"), headers=HTMX))
    return page


def repeat_visit(client: httpx.Client, url: str) -> httpx.Response:
    """A page and its SVG charts as a browser cache treats them: kept (max-age) or revalidated by ETag."""
    page = checked(client.get(url))
    tags: dict[str, str] = client.__dict__.setdefault("etags", {})
    kept: set[str] = client.__dict__.setdefault("kept", set())
    for src in IMAGES.findall(page.text):
        src = src.replace("&amp;", "&")
        if src in kept:  # the browser keeps it without asking
            continue
        chart = client.get(src, headers={"If-None-Match": tags[src]} if src in tags else {})
        if chart.status_code != 304:
            checked(chart)
            if "etag" in chart.headers:
                tags[src] = chart.headers["etag"]
        if "max-age" in chart.headers.get("cache-control", ""):
            kept.add(src)
    return page


def scenarios(assessment_id: int) -> dict[str, Request]:
    base = f"/assessments/{assessment_id}"

    def autosave(client: httpx.Client, n: int, i: int) -> httpx.Response:
        ind = INDICATORS[n]
        saved = checked(client.post(f"{base}/indicators/{ind}", data={"value": LEVELS[i % 2]}, headers=HTMX))
        if "level-changed" in saved.headers.get("HX-Trigger", ""):  # the page used to refetch the panel
            checked(client.get(f"{base}/indicators/{ind}/evidence", headers=HTMX))
        return saved

    def floor_write(client: httpx.Client, n: int, i: int) -> httpx.Response:
        url = f"/bench/floor/write/{assessment_id}/{INDICATORS[n]}"
        return client.post(url, data={"value": LEVELS[i % 2]})

    return {
        "bare /healthz": lambda c, n, i: c.get("/healthz"),
        "questionnaire view": lambda c, n, i: view(c, f"{base}?aspect=A7"),
        "autosave": autosave,
        "dashboard (repeat)": lambda c, n, i: repeat_visit(c, f"{base}/dashboard"),
        "comparison (repeat)": lambda c, n, i: repeat_visit(c, f"{base}/compare"),
        "floor: read": lambda c, n, i: c.get(f"/bench/floor/read/{assessment_id}"),
        "floor: write": floor_write,
    }


def line(name: str, r: dict[str, float], bare: float) -> str:
    return (f"{name:<20} {r['requests']:>6.0f} units {r['errors']:>4.0f} errors  {r['rps']:8.1f} /s  "
            f"p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  server CPU {r['cpu_ms']:5.1f} ms/unit  "
            f"ratio to bare {r['rps'] / bare:.2f}")


def aim_lines(ratios: dict[str, tuple[float, float]]) -> list[str]:
    """Each aim of issue 17 as measured/aim: throughput over the floor's; the floor's server CPU over its."""
    lines = []
    for name, floor, aim in AIMS:
        got, by_cpu = ratios[name]
        lines.append(f"  aim: {name} / {floor} = {got:.2f}/{aim:.2f} {'met' if got >= aim else 'NOT met'}"
                     f"  (by server CPU per unit: {by_cpu:.2f})")
    return lines


def floor_ratios(results: dict[str, dict[str, float]]) -> dict[str, tuple[float, float]]:
    """Each aimed scenario's throughput over its floor's, and its floor's server CPU per unit over its own."""
    return {name: (results[name]["rps"] / results[floor]["rps"],
                   results[floor]["cpu_ms"] / results[name]["cpu_ms"]) for name, floor, _ in AIMS}


def measure(
    tree: Path, data_dir: Path, seconds: float, rounds: int, label: str
) -> list[dict[str, dict[str, float]]]:
    """Serve one tree and run every scenario `rounds` times; print each round."""
    port = free_port()
    server = start_server(tree, data_dir, port)
    measured: list[dict[str, dict[str, float]]] = []
    try:
        with sqlite3.connect(data_dir / "spbe.db") as db:
            (assessment_id,) = db.execute("SELECT id FROM assessments WHERE year = 2022").fetchone()
        clients = [signed_in_client(f"http://127.0.0.1:{port}") for _ in range(CLIENTS)]
        for number in range(1, rounds + 1):
            results = {name: run_scenario(clients, req, seconds, server.pid)
                       for name, req in scenarios(assessment_id).items()}
            measured.append(results)
            bare = results["bare /healthz"]["rps"]
            print(f"{label}, round {number}: {CLIENTS} concurrent clients, {seconds:g} s per scenario, "
                  "one uvicorn worker", flush=True)
            for name, r in results.items():
                print(line(name, r, bare), flush=True)
            print("\n".join(aim_lines(floor_ratios(results))), flush=True)
    finally:
        server.terminate()
        server.wait(10)
    return measured


def summary(label: str, rounds: list[dict[str, dict[str, float]]]) -> None:
    """Medians over the rounds: each scenario's figures and ratio to bare, then the aims."""
    print(f"{label}: median of {len(rounds)} rounds (ratios: median of each round's ratio)")
    for name in rounds[0]:
        ratio = statistics.median(r[name]["rps"] / r["bare /healthz"]["rps"] for r in rounds)
        keys = ("rps", "p50_ms", "p95_ms", "cpu_ms")
        med = {k: statistics.median(r[name][k] for r in rounds) for k in keys}
        errors = sum(r[name]["errors"] for r in rounds)
        print(f"{name:<20} {errors:>4.0f} errors  {med['rps']:8.1f} /s  p50 {med['p50_ms']:7.1f} ms  "
              f"p95 {med['p95_ms']:7.1f} ms  server CPU {med['cpu_ms']:5.1f} ms/unit  "
              f"ratio to bare {ratio:.2f}")
    per_round = [floor_ratios(r) for r in rounds]
    medians = {name: (statistics.median(r[name][0] for r in per_round),
                      statistics.median(r[name][1] for r in per_round)) for name, _, _ in AIMS}
    print("\n".join(aim_lines(medians)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each scenario")
    parser.add_argument("--rounds", type=int, default=1, help="measure every scenario this many times")
    parser.add_argument("--baseline", type=Path, help="another spbe source tree, measured in the same run")
    args = parser.parse_args()
    trees = {"this tree": HERE.parent, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    with tempfile.TemporaryDirectory() as tmp:
        results: dict[str, list[dict[str, dict[str, float]]]] = {label: [] for label in trees}
        for _ in range(args.rounds):  # interleaved: a round of each tree in turn, so load changes hit both
            for label, tree in trees.items():
                data_dir = Path(tmp) / label.replace(" ", "-")
                if data_dir.exists():  # a fresh demo database for each round
                    shutil.rmtree(data_dir)
                results[label] += measure(tree, data_dir, args.seconds, 1, label)
    for label, rounds in results.items():
        summary(label, rounds)


if __name__ == "__main__":
    main()
