"""Files kept between runs under $XDG_CACHE_HOME/spbe (by default ~/.cache/spbe), written whole."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_root() -> Path:
    """$XDG_CACHE_HOME/spbe, by default ~/.cache/spbe.

    Not platformdirs: importing it costs `spbe score` more than reading what is cached.
    """
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "spbe"


def store(path: Path, data: bytes) -> None:
    """Write a cache file whole (a reader never sees half of one), or not at all where it cannot."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(name, path)
    except OSError:
        Path(name).unlink(missing_ok=True)


def pickled(path: Path | None, kind: type[T], make: Callable[[], T]) -> T:
    """What `make` returns, kept as a pickle at `path` between runs (no path: not kept).

    A file that is missing, unreadable, damaged or of another kind means making it again and storing it whole.
    """
    if path is not None:
        try:
            with path.open("rb") as f:
                kept = pickle.load(f)
            if isinstance(kept, kind):
                return kept
        except Exception:  # noqa: BLE001 - any failure to read it back means "make it again"
            pass
    made = make()
    if path is not None:
        store(path, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
    return made
