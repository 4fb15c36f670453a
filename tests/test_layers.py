"""The layering is a contract: `lint-imports` passes on the tree, and fails naming an import that breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contracts on the package found in folder."""
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
    )


def copy_of_package(tmp_path: Path) -> Path:
    """A copy of spbe/ and pyproject.toml, so a test can break it without touching the checkout."""
    shutil.copytree(ROOT / "spbe", tmp_path / "spbe", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract() -> None:
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_the_method_importing_the_database_breaks_the_layers(tmp_path: Path) -> None:
    tree = copy_of_package(tmp_path)
    scoring = tree / "spbe" / "method" / "scoring.py"
    scoring.write_text(scoring.read_text() + "\nfrom spbe.store import models  # noqa: E402,F401\n")
    done = lint(tree)
    assert done.returncode != 0
    assert "spbe.method.scoring -> spbe.store.models" in done.stdout
    assert "BROKEN" in done.stdout


def test_a_service_importing_fastapi_is_refused(tmp_path: Path) -> None:
    tree = copy_of_package(tmp_path)
    audit = tree / "spbe" / "services" / "audit.py"
    audit.write_text(audit.read_text() + "\nimport fastapi  # noqa: E402,F401\n")
    done = lint(tree)
    assert done.returncode != 0
    assert "spbe.services.audit -> fastapi" in done.stdout
