"""Peak memory of `spbe serve` while it refuses the probe's hostile levels files on both import routes.

Starts one worker on a fresh demo database (SQLite, loopback), signs in as the koordinator, imports a good
file once (so openpyxl and the parser are loaded: that is "idle"), then posts each bomb of
bench/bomb_files.py to the past-year import and to the official-values import, sampling the server's
resident memory (VmRSS) every 5 ms. Prints per file and route: the status, the seconds, and the peak
above idle. The aim (issue 13): every bomb refused (4xx) with less than 100 MB above idle; exit 1 if not.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ and tests/ helpers from the checkout

from bench.bomb_files import JSON_BOMBS, XLSX_BOMBS, xlsx_with  # noqa: E402
from tests.live_server import LiveServer, WebSession  # noqa: E402
from tests.web.conftest import seed  # noqa: E402

LIMIT_MB = 100
GOOD = b"indikator,level\nI01,3\n"


def rss_mb(pid: int) -> float:
    """The process's resident memory in MiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class Peak:
    """Samples a process's RSS every 5 ms while in a `with` block; `.mb` is the highest seen."""

    def __init__(self, pid: int) -> None:
        self.pid, self.mb, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.mb = max(self.mb, rss_mb(self.pid))
            time.sleep(0.005)

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.mb = max(self.mb, rss_mb(self.pid))


def good_workbook() -> bytes:
    """A valid levels workbook (the bombs' base), for the baseline."""
    return xlsx_with({})


def routes(session: WebSession) -> dict[str, tuple[str, dict[str, str]]]:
    """The two import routes (URL and form fields) for the demo's 2022 assessment."""
    aid = next(a["id"] for a in session.client.get("/api/assessments").json() if a["year"] == 2022)
    return {
        "past year": ("/instansi/kota-pasuruan/import", {"year": "2019", "rubric_id": "spbe-2021"}),
        "official": (f"/assessments/{aid}/official/import", {}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the bombs (1.0: the probe's sizes)")
    args = parser.parse_args()
    bombs = {name: (make(args.scale), "bom.xlsx") for name, make in XLSX_BOMBS.items()}
    bombs |= {name: (make(), "bom.json") for name, make in JSON_BOMBS.items()}
    failures = 0
    with tempfile.TemporaryDirectory(prefix="spbe-bombs-") as tmp:
        url = f"sqlite:///{tmp}/spbe.db"
        seed(url)
        server = LiveServer({"database_url": url, "data_dir": tmp})
        server.start()
        try:
            assert server.process is not None
            with httpx.Client(base_url=server.base, timeout=120) as client:
                session = WebSession(client)
                session.login("demo-koordinator")
                targets = routes(session)
                official, fields = targets["official"]
                assert session.post(official, files={"file": ("baik.csv", GOOD)}).status_code in {200, 303}
                idle = rss_mb(server.process.pid)
                with Peak(server.process.pid) as baseline:  # the same route taking a good spreadsheet
                    good = session.post(official, files={"file": ("baik.xlsx", good_workbook())})
                assert good.status_code in {200, 303}, good.text
                print(f"idle after a good import: {idle:.0f} MB (limit: +{LIMIT_MB} MB); a good .xlsx "
                      f"imported: +{baseline.mb - idle:.1f} MB")
                print(f"{'file':<28} {'size':>7} {'route':<10} {'status':>6} {'s':>6} {'peak - idle':>12}")
                for name, (data, filename) in bombs.items():
                    for route, (target, fields) in targets.items():
                        began = time.monotonic()
                        with Peak(server.process.pid) as peak:
                            response = session.post(target, data=fields, files={"file": (filename, data)})
                        above = peak.mb - idle
                        refused = 400 <= response.status_code < 500
                        failures += not refused or above >= LIMIT_MB
                        print(f"{name:<28} {len(data) // 1024:>5}KB {route:<10} {response.status_code:>6} "
                              f"{time.monotonic() - began:>6.2f} {above:>9.1f} MB")
        finally:
            server.stop()
    print(f"{failures} over the limit or accepted" if failures else "OK: every file refused under the limit")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
