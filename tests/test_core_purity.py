"""The scoring core stays pure: importing it pulls in neither the web framework nor the ORM."""

from __future__ import annotations

import subprocess
import sys

CORE = ["spbe.rubric", "spbe.scoring", "spbe.levels_file", "spbe.performance", "spbe.formatting",
        "spbe.external", "spbe.bridge"]


def test_the_scoring_core_imports_neither_fastapi_nor_sqlmodel():
    code = (
        "import importlib, sys\n"
        f"for m in {CORE!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'fastapi', 'sqlmodel', 'sqlalchemy', 'starlette'})\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
