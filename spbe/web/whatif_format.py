"""Number helpers for the sandbox templates: levels, efforts, lifts and deltas in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from starlette.requests import Request

from spbe.method.formatting import decimal_text
from spbe.method.whatif import level_down, level_up
from spbe.web.i18n import language_of


def _sign(value: Decimal) -> str:
    return "+" if value > 0 else "−" if value < 0 else "±"


def helpers(request: Request) -> dict[str, Callable[..., object]]:
    """fine(2.5) -> '2,5' (exact up to 4 decimals), signed(0.03) -> '+0,03', gain(0.0325) -> '+0,0325'."""
    lang = language_of(request)

    def fine(value: Decimal | int, places: int = 4) -> str:
        return decimal_text(Decimal(value), places, lang, trim=True, grouping=False)  # also a form's value

    def signed(value: Decimal) -> str:
        return _sign(value) + decimal_text(abs(value), 2, lang)

    def gain(value: Decimal) -> str:
        return _sign(value) + fine(abs(value))

    return {"fine": fine, "signed": signed, "gain": gain, "level_up": level_up, "level_down": level_down}
