"""Vendored front-end files are exactly the pinned versions."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


def pins() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (STATIC / "VENDORED.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, package, version, _, digest = line.split()
            rows.append((name, package, version, digest))
    return rows


def test_htmx_is_the_pinned_version_byte_for_byte():
    [(name, package, version, digest)] = [p for p in pins() if p[1] == "htmx.org"]
    data = (STATIC / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest
    assert re.search(rb'version:"([0-9.]+)"', data).group(1).decode() == version


def test_every_vendored_file_is_pinned():
    pinned = {p[0] for p in pins()}
    ours = {"init.js", "LICENSE"}
    swagger = {f"swagger/{p.name}" for p in (STATIC / "swagger").iterdir() if p.name not in ours}
    vendored = {p.name for p in STATIC.glob("*.min.js")} | swagger
    assert vendored == pinned


def test_swagger_ui_is_the_pinned_version_byte_for_byte():
    for name, package, version, digest in pins():
        if package == "swagger-ui-dist":
            assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest, name
    assert "5.36.0" in {p[2] for p in pins() if p[1] == "swagger-ui-dist"}
