"""Start-up stays light: the web app and `spbe score` load no chart, PDF or spreadsheet library until used."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("matplotlib", "fpdf", "openpyxl")


def loaded_after(code: str) -> set[str]:
    """The heavy libraries imported by a fresh interpreter running `code`."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_web_app_starts_without_chart_pdf_or_spreadsheet_libraries(tmp_path):
    code = (
        "import os\n"
        f"os.environ['SPBE_DATA_DIR'] = {str(tmp_path)!r}\n"
        "from spbe.app import create_app\ncreate_app()"
    )
    assert loaded_after(code) == set()


def test_spbe_score_loads_none_of_them():
    assert loaded_after("import spbe.cli") == set()


def test_a_chart_loads_matplotlib_when_drawn():
    code = (
        "from spbe.method.rubric import get_rubric\nfrom spbe.method.scoring import score\n"
        "from spbe.reports.charts import domains_svg\nr = get_rubric()\n"
        "assert domains_svg(r, score(r, {})).startswith(b'<?xml')"
    )
    assert loaded_after(code) == {"matplotlib"}
