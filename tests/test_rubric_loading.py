"""A rubric is parsed once even when many requests ask for it at once (a freshly started server), and once
per content of its files across processes (the validated rubric is cached on disk)."""

from __future__ import annotations

import os
import shutil
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from spbe.method import rubric as rubric_module
from spbe.method.rubric import RubricError, get_rubric

REAL = Path(__file__).resolve().parents[1] / "rubric"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A copy of the spbe-2021 rubric to change, and an empty cache of validated rubrics."""
    shutil.copytree(REAL / "spbe-2021", tmp_path / "spbe-2021")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "spbe-2021"


def counting_loads(monkeypatch) -> list[Path]:
    """Record each folder that `load_rubric` reads and validates."""
    loads: list[Path] = []
    load = rubric_module.load_rubric

    def counted(folder):
        loads.append(folder)
        return load(folder)

    monkeypatch.setattr(rubric_module, "load_rubric", counted)
    return loads


def test_concurrent_first_requests_load_the_rubric_once(folder, monkeypatch):
    loads = counting_loads(monkeypatch)
    start = threading.Barrier(8)
    found = []

    def request() -> None:
        start.wait()
        found.append(get_rubric("spbe-2021", root=folder.parent))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1
    assert len(found) == 8 and all(r is found[0] for r in found)


def test_a_validated_rubric_is_read_from_the_cache_until_any_file_changes(folder, tmp_path, monkeypatch):
    loads = counting_loads(monkeypatch)
    first = rubric_module.load_rubric_cached(folder)
    again = rubric_module.load_rubric_cached(folder)
    assert loads == [folder] and again == first and again is not first
    assert again.meta.bands == first.meta.bands and again.predikat(Decimal("2.66")) == "Baik"

    indicator = folder / "indicators" / "I05.yaml"
    stat = indicator.stat()
    indicator.write_text(indicator.read_text(encoding="utf-8").replace("weight:", "weight: 9 #", 1))
    os.utime(indicator, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time stamp: the content decides
    with pytest.raises(RubricError, match="weights add up to"):
        rubric_module.load_rubric_cached(folder)


def test_a_damaged_or_unwritable_cache_is_passed_by(folder, tmp_path, monkeypatch):
    loads = counting_loads(monkeypatch)
    expected = rubric_module.load_rubric_cached(folder)
    (entry,) = rubric_module.cache_dir().glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert rubric_module.load_rubric_cached(folder) == expected
    assert rubric_module.load_rubric_cached(folder) == expected  # rewritten whole by the second call
    assert len(loads) == 2

    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # the cache folder cannot be created
    assert rubric_module.load_rubric_cached(folder) == expected
    assert len(loads) == 3
