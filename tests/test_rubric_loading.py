"""A rubric is parsed once even when many requests ask for it at once (a freshly started server)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from spbe.method import rubric as rubric_module
from spbe.method.rubric import get_rubric

REAL = Path(__file__).resolve().parents[1] / "rubric"


def test_concurrent_first_requests_load_the_rubric_once(tmp_path, monkeypatch):
    shutil.copytree(REAL / "spbe-2021", tmp_path / "spbe-2021")
    loads: list[str] = []
    load = rubric_module.load_rubric

    def counted(folder):
        loads.append(str(folder))
        return load(folder)

    monkeypatch.setattr(rubric_module, "load_rubric", counted)
    start = threading.Barrier(8)
    found = []

    def request() -> None:
        start.wait()
        found.append(get_rubric("spbe-2021", root=tmp_path))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1
    assert len(found) == 8 and all(r is found[0] for r in found)
