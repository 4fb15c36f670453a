"""The built wheel works far from the checkout: migrate, seed the demo, score a file, serve a page."""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import time
import zipfile
from importlib import metadata
from pathlib import Path

import httpx
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT
from tests.live_server import free_port

pytestmark = pytest.mark.wheel


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    """Run a command, failing the test with its output if it fails."""
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def declared_dependencies(wheel: Path) -> set[str]:
    """The wheel's runtime requirements and theirs, as distributions of this test venv (checked to satisfy them)."""
    with zipfile.ZipFile(wheel) as z:
        [name] = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        requires = email.message_from_bytes(z.read(name)).get_all("Requires-Dist") or []
    todo, seen, names = [(Requirement(r), "") for r in requires], set(), set()
    while todo:
        req, extra = todo.pop()
        if (req.marker and not req.marker.evaluate({"extra": extra})) or (str(req), extra) in seen:
            continue
        seen.add((str(req), extra))
        names.add(canonicalize_name(req.name))
        dist = metadata.distribution(req.name)
        assert req.specifier.contains(dist.version, prereleases=True), f"{req}, but the test venv has {dist.version}"
        todo += [(Requirement(r), e) for r in dist.requires or [] for e in ("", *req.extras)]
    return names


def link_dependencies(names: set[str], site: Path) -> None:
    """Put exactly these distributions into `site`, as links to the test venv's files: what installing them
    from pip's cache would put there, without unpacking and byte-compiling ~200 MB on every run."""
    for name in names:
        dist = metadata.distribution(name)
        assert dist.files, f"{name} has no RECORD"
        for top in {f.parts[0] for f in dist.files} - {"..", "__pycache__"}:
            if not (site / top).exists():
                (site / top).symlink_to(Path(dist.locate_file(top)))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A wheel built from the checkout, installed into a fresh venv in a folder far from it.

    The venv holds the wheel (installed by pip) and only the distributions its metadata requires, so an
    undeclared import fails here as it would for a user; those are linked from this test venv, not downloaded.
    """
    away = tmp_path_factory.mktemp("elsewhere")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SPBE_", "PYTHON", "VIRTUAL_ENV"))}
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(away / "dist"), str(ROOT)], away, clean)
    [wheel] = (away / "dist").glob("spbe-*.whl")
    venv = away / "venv"
    # This interpreter's base Python, so that the linked compiled extensions fit it.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], away, clean)
    [site] = venv.glob("lib/python3*/site-packages")
    link_dependencies(declared_dependencies(wheel), site)
    run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps",
         "--no-compile", "--disable-pip-version-check", str(wheel)], away, clean)
    env = {**clean, "SPBE_DATA_DIR": str(away / "data"), "PATH": f"{venv / 'bin'}:{clean['PATH']}"}
    return away, env


def test_the_wheel_carries_rubric_templates_and_migrations(installed: tuple[Path, dict[str, str]]) -> None:
    away, env = installed
    code = "import spbe.resources as r; print(r.data_root()); print(r.is_checkout())"
    root, checkout = run([str(away / "venv" / "bin" / "python"), "-c", code], away, env).split()
    assert Path(root).is_relative_to(away / "venv") and checkout == "False"
    for part in ("rubric/spbe-2021/rubric.yaml", "rubric/pemdi-2026/rubric.yaml", "web/templates/base.html",
                 "web/static/htmx.min.js", "migrations/env.py"):
        assert (Path(root) / part).is_file(), part


def test_migrate_demo_score_and_serve_outside_the_checkout(installed: tuple[Path, dict[str, str]]) -> None:
    away, env = installed
    run(["spbe", "db", "upgrade"], away, env)
    run(["spbe", "demo"], away, env)
    assert (away / "data" / "spbe.db").is_file()
    levels = away / "levels.csv"
    shutil.copy(ROOT / "spbe" / "ops" / "demo_data" / "kota-pasuruan-2022.csv", levels)
    assert "2,66" in run(["spbe", "score", str(levels)], away, env)
    port = free_port()
    server = subprocess.Popen(["spbe", "serve", "--port", str(port)], cwd=away, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        page = None
        for _ in range(200):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert page is not None and page.status_code == 200
        assert "htmx" in page.text or "csrf" in page.text
        assert httpx.get(f"http://127.0.0.1:{port}/static/htmx.min.js", timeout=5).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
