"""Number helpers for the sandbox templates: levels, efforts, lifts and deltas in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from markupsafe import Markup
from starlette.requests import Request

from spbe.method.formatting import decimal_text
from spbe.method.whatif import level_down, level_up
from spbe.web.i18n import language_of
from spbe.web.results_format import sign, signed_rounded


def helpers(request: Request) -> dict[str, Callable[..., object]]:
    """fine(2.5) -> '2,5' (exact, to 4 decimals); gain(0.0325) -> '+0,03' (exact on hover); change(1) -> '+1'."""
    lang = language_of(request)

    def fine(value: Decimal | int, places: int = 4) -> str:
        return decimal_text(Decimal(value), places, lang, trim=True, grouping=False)  # also a form's value

    def gain(value: Decimal) -> Markup:
        return signed_rounded(value, lang)

    def change(value: Decimal) -> str:
        return sign(value) + fine(abs(value))

    return {"fine": fine, "gain": gain, "change": change, "level_up": level_up, "level_down": level_down}
