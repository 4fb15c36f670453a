"""Where the folders shipped with the code live (rubric/, web/, migrations/): inside the wheel, or the checkout."""

from __future__ import annotations

import functools
from pathlib import Path

PACKAGED = "_data"  # the wheel's copy of rubric/, web/ and migrations/ (see pyproject.toml, force-include)


@functools.cache
def data_root() -> Path:
    """The folder holding rubric/, web/ and migrations/: the installed package's copy, else the checkout."""
    packaged = Path(__file__).resolve().parent / PACKAGED  # not importlib.resources: 10 ms at every start
    if (packaged / "rubric").is_dir():
        return packaged
    return Path(__file__).resolve().parents[1]


def is_checkout() -> bool:
    """True when running from a source checkout (editable install), where data/ sits beside the code."""
    return data_root() == Path(__file__).resolve().parents[1]


def rubric_dir() -> Path:
    """The rubric versions shipped with the code."""
    return data_root() / "rubric"


def web_dir() -> Path:
    """Templates, static files and interface texts."""
    return data_root() / "web"


def migrations_dir() -> Path:
    """The Alembic migrations of the database schema."""
    return data_root() / "migrations"
