"""Dates and times as people read them, one style everywhere through Babel: 15 Mar 2023, 10:42 (WIB)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
DATE = "d MMM y"  # 15 Mar 2023 (Indonesian and English month abbreviations from the locale)
TIME = "HH:mm"  # 10:42, in Indonesian as in English


def date_text(day: dt.date | dt.datetime | None, lang: str = "id") -> str:
    """A calendar date ('15 Mar 2023'); a timestamp is read in WIB first; '–' for none."""
    if day is None:
        return "–"
    if isinstance(day, dt.datetime):
        day = day.astimezone(WIB).date()
    return format_date(day, DATE, locale=lang)


def clock(moment: dt.datetime, date: bool = False, lang: str = "id") -> str:
    """A moment as read in Indonesia (WIB): '10:42', or with the date '15 Mar 2023 10:42'."""
    local = moment.astimezone(WIB)
    time = format_time(local.timetz(), TIME, locale=lang)
    return f"{date_text(local.date(), lang)} {time}" if date else time
