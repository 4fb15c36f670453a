"""Number formatting for people: Indonesian decimals use a comma (2,66), English a point (2.66)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def decimal_text(value: Decimal | None, places: int = 2, lang: str = "id") -> str:
    """Format a value rounded half-up to `places` decimals in the language's style; '–' when missing."""
    if value is None:
        return "–"
    quantum = Decimal(1).scaleb(-places)
    text = format(value.quantize(quantum, rounding=ROUND_HALF_UP), "f")
    return text.replace(".", ",") if lang == "id" else text
