"""Babel's Locale with its number symbols kept on disk: a figure is printed without the whole CLDR data.

Babel loads a language's data in one piece, date patterns included (which import pytz and zoneinfo); that was
most of what formatting cost `spbe score` on each run. The symbols cached are Babel's own, per Babel version.
"""

from __future__ import annotations

import functools
from typing import Any

import babel
from babel import Locale

from spbe.method.disk_cache import cache_root, pickled


class NumberLocale(Locale):
    """A Locale for formatting numbers: `number_symbols` from the cache, filled from Babel on first use."""

    def __init__(self, language: str) -> None:
        super().__init__(language)
        self._number_symbols = _symbols(language)

    @property
    def number_symbols(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return self._number_symbols


@functools.cache
def _symbols(language: str) -> dict[str, dict[str, Any]]:
    """Babel's number symbols of a language by numbering system: from the cache, else CLDR (then cached)."""
    try:
        path = cache_root() / "babel" / f"{babel.__version__}-{language}.pickle"
    except RuntimeError:  # no home folder to cache in
        path = None
    return pickled(path, dict, lambda: _from_cldr(language))


def _from_cldr(language: str) -> dict[str, dict[str, Any]]:
    """The symbols as Babel reads them from its CLDR data (the whole language's data loads)."""
    cldr = Locale(language).number_symbols
    return {system: dict(cldr[system]) for system in cldr}
