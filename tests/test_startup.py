"""Start-up stays light: the web app and `spbe score` load no chart, PDF or spreadsheet library until used."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from spbe.cli import GROUPS

LEVELS = Path(__file__).resolve().parents[1] / "spbe" / "ops" / "demo_data" / "kota-pasuruan-2022.csv"

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


def test_spbe_score_with_its_rubric_cached_needs_no_yaml_pydantic_or_database(tmp_path):
    """The second `spbe score` reads the validated rubric from the cache: no YAML parsing, no validation.

    Babel is loaded by both runs: the figures are printed through it (issue 15: numbers through Babel), the
    second with the language's number symbols read from the cache rather than its whole CLDR data.
    """
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "SPBE_DATA_DIR": str(tmp_path)}
    probe = (
        "import sys\nfrom spbe.cli import main\nsys.stdout = open('/dev/null', 'w')\n"
        f"main(['score', {str(LEVELS)!r}])\nsys.stdout = sys.__stdout__\n"
        "shown = ('yaml', 'pydantic', 'sqlalchemy', 'babel', 'babel.dates')\n"
        "print(' '.join(m for m in shown if m in sys.modules))"
    )
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert set(runs[0].stdout.split()) == {"yaml", "pydantic", "babel", "babel.dates"}  # fills the caches
    assert runs[1].stdout.split() == ["babel"]  # number symbols cached: no CLDR locale, no date patterns


def test_the_summary_pdf_draws_its_charts_without_matplotlib():
    code = (
        "from spbe.method.rubric import get_rubric\nfrom spbe.method.scoring import score\n"
        "from spbe.reports import pdf_charts\nfrom spbe.reports.pack.summary_pdf import _Pdf\n"
        "import spbe.reports.pack.assemble\nr = get_rubric()\n"
        "pdf = _Pdf('x')\npdf.add_page()\npdf.set_font(pdf.text_font)\n"
        "pdf_charts.radar(pdf, r, score(r, {}), 20, 30, 170, 125)\n"
        "pdf_charts.bars(pdf, r, score(r, {}), 20, 165, 170, 85)\npdf.output()"
    )
    assert loaded_after(code) == {"fpdf"}


def test_a_chart_loads_matplotlib_when_drawn():
    code = (
        "from spbe.method.rubric import get_rubric\nfrom spbe.method.scoring import score\n"
        "from spbe.reports.charts import domains_svg\nr = get_rubric()\n"
        "assert domains_svg(r, score(r, {})).startswith(b'<?xml')"
    )
    assert loaded_after(code) == {"matplotlib"}


def test_each_command_group_names_the_commands_it_adds():
    for group in GROUPS:
        sub = argparse.ArgumentParser().add_subparsers()
        group.register(sub)
        assert tuple(sub.choices) == group.COMMANDS, group.__name__


def test_the_program_ends_a_score_at_once_with_every_line_written_and_its_exit_code(tmp_path, capsys):
    """`run` ends `spbe score` without interpreter teardown: the output piped is whole, the code kept."""
    from spbe.cli import main

    assert main(["score", str(LEVELS)]) == 0
    table = capsys.readouterr().out
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "SPBE_DATA_DIR": str(tmp_path)}
    program = [sys.executable, "-m", "spbe", "score"]
    done = subprocess.run([*program, str(LEVELS)], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, table)
    missing = subprocess.run(
        [*program, str(tmp_path / "none.csv")], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert missing.returncode == 2
    assert "none.csv" in missing.stderr
