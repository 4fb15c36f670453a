"""Files kept between runs under $XDG_CACHE_HOME/spbe (by default ~/.cache/spbe), written whole."""

from __future__ import annotations

import os
from pathlib import Path


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
