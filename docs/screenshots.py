"""Screenshots of the main pages at 1366 and 390 px, for the README's tour (run again after a page changes).

    .venv/bin/python docs/screenshots.py [--out docs/screenshots] [--only admin,dashboard]

Seeds the demo into a fresh temporary database, serves it on a free loopback port, signs in as each
role in Chromium (/usr/bin/chromium, or $SPBE_CHROMIUM) and writes `<page>-<width>.png`.
"""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from sqlmodel import select

from spbe.app import create_app
from spbe.config import Settings
from spbe.ops.demo import DEMO_CODE, seed_demo, seed_demo_pemdi
from spbe.store.db import make_engine, session_scope, upgrade
from spbe.store.models import Assessment

WIDTHS = (1366, 390)
CHROMIUM = os.environ.get("SPBE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def pages(ids: dict[int, int]) -> dict[str, tuple[str, str]]:
    """Page name -> (role signed in, path): the tour's pages, given the demo's assessment id per year."""
    a, pemdi = f"/assessments/{ids[2022]}", f"/assessments/{ids[2026]}"
    return {
        "start": ("koordinator", "/"),
        "questionnaire": ("koordinator", a),
        "dashboard": ("koordinator", f"{a}/dashboard"),
        "pemdi": ("koordinator", f"{pemdi}?aspect=A6"),
        "worklist": ("kontributor", f"{pemdi}/perbaikan"),
        "admin": ("admin", f"/instansi/{DEMO_CODE}/admin"),
    }


@contextmanager
def demo_server() -> Iterator[tuple[str, int]]:
    """Serve a freshly seeded demo (as `spbe demo` seeds it); yields the base URL and the assessment id per year."""
    with tempfile.TemporaryDirectory(prefix="spbe-shots-") as folder:
        url = f"sqlite:///{Path(folder) / 'spbe.db'}"
        upgrade(url)
        engine = make_engine(url)
        with session_scope(engine) as db:
            seed_demo_pemdi(db, seed_demo(db))
            ids = {year: id_ for id_, year in db.exec(select(Assessment.id, Assessment.year))}
        engine.dispose()
        settings = Settings(data_dir=Path(folder), evidence_dir=Path(folder) / "evidence", database_url=url)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}", ids
        finally:
            server.should_exit = True
            thread.join(10)
            sock.close()


def shoot(out: Path, only: set[str] | None = None) -> list[Path]:
    """Write every tour page at every width into `out`; returns the files written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with demo_server() as (base, ids), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for name, (role, path) in pages(ids).items():
            if only and name not in only:
                continue
            for width in WIDTHS:
                height = 800 if width < 800 else 768
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(f"{base}/login")
                page.fill("input[name=username]", f"demo-{role}")
                page.fill("input[name=password]", f"demo-{role}")
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/")
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target))
                written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    """Parse the arguments and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args()
    for path in shoot(Path(args.out), set(args.only.split(",")) if args.only else None):
        print(path)


if __name__ == "__main__":
    main()
