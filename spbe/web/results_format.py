"""Template helpers for the comparison pages: exact levels and signed deltas in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from starlette.requests import Request

from spbe.method.formatting import decimal_text
from spbe.web.i18n import language_of


def helpers(request: Request) -> dict[str, Callable[..., str]]:
    """level(1.1667) -> '1,1667'; delta(1) -> '+1', delta(-0.76, 2) -> '−0,76'; None -> '–'."""
    lang = language_of(request)

    def level(value: Decimal | None) -> str:
        return decimal_text(value, 4, lang, trim=True, grouping=False)  # exact: values have at most 4 decimals

    def delta(value: Decimal | None, places: int | None = None) -> str:
        if value is None:
            return "–"
        sign = "+" if value > 0 else "−" if value < 0 else "±"
        return sign + (level(abs(value)) if places is None else decimal_text(abs(value), places, lang))

    return {"level": level, "delta": delta}
