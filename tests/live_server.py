"""A real `spbe serve` in its own process group on a free loopback port, and signed-in sessions for it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from spbe.web import csrf

SPBE = str(Path(sys.executable).with_name("spbe"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """`spbe serve` with the given SPBE_* settings; start, kill (SIGKILL) or stop (SIGTERM) its group."""

    def __init__(self, settings: dict[str, str], workers: int = 1) -> None:
        self.env = {**os.environ, **{f"SPBE_{k.upper()}": v for k, v in settings.items()}}
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        command = [SPBE, "serve", "--port", str(self.port), "--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"spbe serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError("spbe serve did not answer in time")

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
        if self.process is not None:
            self.process.wait(30)
        self.process = None

    def kill(self) -> None:
        """SIGKILL the server and its workers: no shutdown code runs."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)


class WebSession:
    """A client that signs in like a browser and sends its CSRF token with every POST (in one place)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.token = ""

    def refresh_token(self) -> None:
        """Read the session's CSRF token, as the page's hidden field and htmx's header carry it."""
        response = self.client.get("/api/csrf")
        assert response.status_code == 200, response.text
        self.token = response.json()["csrf_token"]

    def post(self, url: str, **kwargs: object) -> httpx.Response:
        headers = {**kwargs.pop("headers", {}), csrf.HEADER: self.token}  # type: ignore[dict-item]
        return self.client.post(url, headers=headers, **kwargs)  # type: ignore[arg-type]

    def login(self, username: str, password: str | None = None) -> httpx.Response:
        """Sign in (expecting success) and pick up the new session's token."""
        self.refresh_token()
        response = self.post(
            "/login", data={"username": username, "password": password or username}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        self.refresh_token()
        return response
