"""Template helpers for the comparison pages: exact levels and signed deltas in the user's language."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal

from markupsafe import Markup
from starlette.requests import Request

from spbe.method.formatting import decimal_text
from spbe.web.i18n import language_of

EXACT_PLACES = 10  # the most decimals shown on hover (a third has no end)


def sign(value: Decimal) -> str:
    return "+" if value > 0 else "−" if value < 0 else "±"


@functools.lru_cache(maxsize=4096)  # a page shows the same few deltas many times over
def signed_rounded(value: Decimal, lang: str, places: int = 2) -> Markup:
    """'+0,03' with the exact '+0,0325' on hover (an abbr's title) when rounding hides digits."""
    shown = sign(value) + decimal_text(abs(value), places, lang)
    digits = min(EXACT_PLACES, max(0, -int(value.normalize().as_tuple().exponent)))
    if digits <= places:
        return Markup.escape(shown)
    exact = sign(value) + decimal_text(abs(value), digits, lang, trim=True)
    return Markup('<abbr class="exact" title="{}">{}</abbr>').format(exact, shown)


def helpers(request: Request) -> dict[str, Callable[..., str]]:
    """level and delta in the request's language (see level_and_delta)."""
    return level_and_delta(language_of(request))


def level_and_delta(lang: str) -> dict[str, Callable[..., str]]:
    """level(1.1667) -> '1,1667'; delta(1) -> '+1', delta(-0.7625, 2) -> '−0,76' (exact on hover), None -> '–'."""

    def level(value: Decimal | None) -> str:
        return decimal_text(value, 4, lang, trim=True, grouping=False)  # exact: values have at most 4 decimals

    def delta(value: Decimal | None, places: int | None = None) -> str:
        if value is None:
            return "–"
        exact = places is None
        return sign(value) + level(abs(value)) if exact else signed_rounded(value, lang, places)

    return {"level": level, "delta": delta}
