"""Numbers for people through Babel's CLDR data: Indonesian 2,66 and 1.234,5; English 2.66 and 1,234.5."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern


def decimal_text(value: Decimal | None, places: int = 2, lang: str = "id", *, trim: bool = False,
                 grouping: bool = True) -> str:
    """A value rounded half-up to `places` decimals in the language's style; '–' when missing.

    `trim` drops trailing zeros (2,5 rather than 2,5000); without `grouping` there is no thousands separator,
    for text a person may type back into a form (the forms read '1.500' as 1,5).
    """
    return "–" if value is None else _text(value, places, lang, trim, grouping)


@functools.lru_cache(maxsize=4096)
def _text(value: Decimal, places: int, lang: str, trim: bool, grouping: bool) -> str:
    """decimal_text's work, remembered: a page shows the same few levels and scores many times over.

    Equal values share an entry (Decimal('2.5') and Decimal('2.50')), and give the same text once rounded.
    """
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    rounded = abs(rounded) if rounded == 0 else rounded  # no '-0,00'
    pattern, locale = _pattern(places, trim, grouping, lang)
    return pattern.apply(rounded, locale, group_separator=grouping)


@functools.cache
def _pattern(places: int, trim: bool, grouping: bool, lang: str) -> tuple[NumberPattern, Locale]:
    """Babel's pattern and locale for a style, made once (number symbols load on first use, not at import)."""
    from babel.numbers import parse_pattern

    from spbe.method.number_locale import NumberLocale

    decimals = "." + ("#" if trim else "0") * places if places else ""
    return parse_pattern(("#,##0" if grouping else "0") + decimals), NumberLocale(lang)
