"""The layering is a contract: `lint-imports` passes on the tree, and fails naming an import that breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contracts on the package found in folder."""
    return subprocess.run(
        [str(LINT), "--no-cache"], check=False, cwd=folder, capture_output=True, text=True, timeout=300,
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


@pytest.mark.parametrize(
    ("module", "bad_import", "reported"),
    [
        ("method/scoring.py", "from spbe.store import models", "spbe.method.scoring -> spbe.store.models"),
        ("services/audit.py", "import fastapi", "spbe.services.audit -> fastapi"),
        ("store/db.py", "from spbe.web import csrf", "spbe.store.db -> spbe.web.csrf"),
    ],
)
def test_an_import_against_the_layers_fails_naming_it(
    tmp_path: Path, module: str, bad_import: str, reported: str
) -> None:
    tree = copy_of_package(tmp_path)
    path = tree / "spbe" / module
    path.write_text(path.read_text() + f"\n{bad_import}  # noqa: E402,F401\n")
    done = lint(tree)
    assert done.returncode != 0
    assert reported in done.stdout
    assert "BROKEN" in done.stdout
