"""Browser fixtures: Debian's Chromium driven by Playwright, and a live uvicorn server.

A test module (or a conftest below this one) provides the ASGI app to serve by defining an `app` fixture;
`live_server` then serves it on a free loopback port and yields its base URL.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.conftest import unavailable

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling out, which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Hooks in a conftest see every collected item, so restrict to this folder.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for this folder's tests, closed when they end: Playwright's sync API holds an event
    loop on the main thread while it runs, which would break asyncio.run in tests collected after these."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def app() -> Any:
    """Override in the test module with the ASGI app to serve, e.g. `spbe.app.create_app(settings)`."""
    pytest.fail("tests using live_server must define an `app` fixture returning an ASGI app")


@pytest.fixture
def live_server(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn in a background thread; yield 'http://127.0.0.1:PORT'."""
    with serve(app) as url:
        yield url


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn in a background thread until the block ends (for fixtures of any scope)."""
    # Bind the socket ourselves so the port cannot be taken between choosing and serving it.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", ws="none", lifespan="on")
    server = uvicorn.Server(config)

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except SystemExit:  # uvicorn's way of reporting a failed startup; reported below instead
            pass

    thread = threading.Thread(target=run, name="live_server", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not (server.started and _answers(port)):
            if not thread.is_alive():
                pytest.fail("live_server: uvicorn exited during startup (see captured log)")
            if time.monotonic() > deadline:
                pytest.fail("live_server: uvicorn did not start within 15 s")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
