"""The pack's compiled templates are kept between runs, and a cache that cannot be written never fails an export."""

from __future__ import annotations

import shutil

from jinja2 import Environment, FileSystemLoader

from spbe.reports.pack import covers
from spbe.resources import web_dir

TEMPLATES = web_dir() / "templates" / "export"


def environment(cache) -> Environment:
    """A fresh environment like the pack's (a new process, as far as Jinja's own memory cache goes)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, bytecode_cache=cache)
    env.filters.update(covers._ENV.filters)
    return env


def test_a_second_run_loads_the_compiled_template_instead_of_compiling_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    environment(covers._compiled_templates()).get_template("pack_index.html")
    assert list((tmp_path / "spbe" / "jinja").glob("*.cache"))
    later = environment(covers._compiled_templates())
    monkeypatch.setattr(later, "compile", lambda *a, **k: (_ for _ in ()).throw(AssertionError("compiled again")))
    assert later.get_template("pack_index.html").render  # loaded from the cache


def test_a_cache_folder_that_cannot_be_made_or_written_is_passed_by(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert covers._compiled_templates() is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "gone"))
    cache = covers._compiled_templates()
    shutil.rmtree(tmp_path / "gone")  # removed under the running export: writing the compiled template fails
    assert environment(cache).get_template("pack_cover.html").render
