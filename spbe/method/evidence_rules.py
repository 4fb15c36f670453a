"""What an evidence item must contain and when it deserves a warning: shared by the pages and the JSON API.

Pure rules on plain values (no web framework, no database), so every entry point refuses the same bad input
and warns about the same dates and levels.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

# The evaluation period of an assessment year Y: documents dated from 1 January of Y-1 through 31 December
# of Y count as current (the evaluation looks at the year evaluated and the one before it). Dates outside it,
# or in the future, get a warning, never a refusal: the asesor decides.
EVALUATION_PERIOD_YEARS_BEFORE = 1
# Indonesia's easternmost zone (WIT, UTC+9): a date that is today anywhere in Indonesia is never "future".
LATEST_INDONESIAN_OFFSET = dt.timedelta(hours=9)

MAX_TITLE = 500
MAX_DOC_NUMBER = 200
MAX_URL = 2000
MAX_NOTE = 2000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")


class InvalidEvidence(ValueError):
    """Input that cannot become an evidence item; `field` names what is wrong (title, doc_date, levels, …)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class EvidenceInput:
    """The checked, normalised fields of a new evidence item (url and note only for links)."""

    title: str
    levels: tuple[int, ...]
    doc_number: str = ""
    doc_date: dt.date | None = None
    internal: bool = False
    url: str = ""
    note: str = ""


def _level_list(values: Iterable[str], allowed: Collection[int]) -> tuple[int, ...]:
    levels = set()
    for value in values:
        if not value.strip().isdigit() or int(value) not in allowed:
            raise InvalidEvidence("levels")
        levels.add(int(value))
    if not levels:
        raise InvalidEvidence("levels")
    return tuple(sorted(levels))


def _date(value: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        if not _ISO_DATE.fullmatch(value.strip()):
            raise ValueError(value)
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidEvidence("doc_date") from None


def _url(value: str) -> str:
    url = value.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise InvalidEvidence("url") from None
    if len(url) > MAX_URL or parts.scheme not in {"http", "https"} or not host or _CONTROL.search(url):
        raise InvalidEvidence("url")
    return url


def parse_input(
    get: Callable[[str], str],
    getlist: Callable[[str], list[str]],
    allowed_levels: Collection[int],
    *,
    link: bool,
) -> EvidenceInput:
    """Check a submitted form (read via `get`/`getlist`) for a file item or, with link=True, a URL item."""
    title = get("title").strip()
    if not title or len(title) > MAX_TITLE:
        raise InvalidEvidence("title")
    doc_number = get("doc_number").strip()
    if len(doc_number) > MAX_DOC_NUMBER:
        raise InvalidEvidence("doc_number")
    note = get("note").strip() if link else ""
    if len(note) > MAX_NOTE:
        raise InvalidEvidence("note")
    return EvidenceInput(
        title=title,
        levels=_level_list(getlist("levels"), allowed_levels),
        doc_number=doc_number,
        doc_date=_date(get("doc_date")),
        internal=get("internal").lower() in {"1", "on", "true", "yes"},
        url=_url(get("url")) if link else "",
        note=note,
    )


def evaluation_period(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day a document of this assessment year may carry without a warning."""
    return dt.date(year - EVALUATION_PERIOD_YEARS_BEFORE, 1, 1), dt.date(year, 12, 31)


def today_in_indonesia(now: dt.datetime | None = None) -> dt.date:
    """The latest calendar date anywhere in Indonesia right now."""
    return ((now or dt.datetime.now(dt.UTC)) + LATEST_INDONESIAN_OFFSET).date()


def date_warning(doc_date: dt.date | None, year: int, today: dt.date) -> str | None:
    """'future' or 'outside_period' for a document date that deserves a warning, else None."""
    if doc_date is None:
        return None
    if doc_date > today:
        return "future"
    start, end = evaluation_period(year)
    return None if start <= doc_date <= end else "outside_period"


def chosen_level(value: Decimal | None, levels: Collection[int]) -> int | None:
    """The rubric level whose criteria a value claims (its whole part), or None when nothing is chosen."""
    if value is None or int(value) not in levels:
        return None
    return int(value)


def evidence_expected(level: int | None, lowest: int, external: bool = False) -> bool:
    """Whether a claimed level needs supporting evidence before the asesor accepts it.

    The rubric's lowest level is the floor every instansi gets ("belum atau telah tersedia": nothing lower
    exists), so claiming it needs nothing; neither does a value read from another agency's index.
    """
    return level is not None and level > lowest and not external
