"""Numbers through Babel: exact half-up rounding, the language's separators, read back to the same value."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st
from babel import Locale

from spbe.method import number_locale
from spbe.method.formatting import decimal_text
from spbe.method.number_locale import NumberLocale

SEPARATORS = {"id": (".", ","), "en": (",", ".")}  # (thousands, decimal)


def read_back(text: str, lang: str) -> Decimal:
    """The number a reader of that language sees in a text."""
    thousands, point = SEPARATORS[lang]
    return Decimal(text.replace(thousands, "").replace(point, "."))


def test_indonesian_and_english_separators_and_half_up_rounding():
    assert decimal_text(Decimal("2.655")) == "2,66"
    assert decimal_text(Decimal("2.655"), 2, "en") == "2.66"
    assert decimal_text(Decimal("1234567.5"), 1) == "1.234.567,5"
    assert decimal_text(Decimal("1234567.5"), 1, "en") == "1,234,567.5"
    assert decimal_text(Decimal("2.5"), 4, "id", trim=True) == "2,5"
    assert decimal_text(Decimal("1500"), 4, "id", trim=True, grouping=False) == "1500"
    assert (decimal_text(Decimal("-0.001")), decimal_text(None)) == ("0,00", "–")


@given(value=st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False),
       places=st.integers(min_value=0, max_value=4), trim=st.booleans(), grouping=st.booleans())
def test_both_languages_read_back_to_the_same_rounded_value(value, places, trim, grouping):
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    for lang in SEPARATORS:
        text = decimal_text(value, places, lang, trim=trim, grouping=grouping)
        assert read_back(text, lang) == rounded, (lang, text)
        decimals = text.partition(SEPARATORS[lang][1])[2]
        assert len(decimals) == places or (trim and len(decimals) <= places), text
        assert grouping or SEPARATORS[lang][0] not in text


def test_number_symbols_are_babels_own_from_cldr_the_cache_or_a_damaged_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    babels = Locale.parse("id").number_symbols["latn"]
    number_locale._symbols.cache_clear()
    first = NumberLocale("id").number_symbols  # from CLDR, then stored
    (stored,) = (tmp_path / "spbe" / "babel").glob("*-id.pickle")
    number_locale._symbols.cache_clear()
    second = NumberLocale("id").number_symbols  # from the cache file
    stored.write_bytes(b"damaged")
    number_locale._symbols.cache_clear()
    third = NumberLocale("id").number_symbols
    number_locale._symbols.cache_clear()
    assert first == second == third
    assert first["latn"] == dict(babels)
    assert NumberLocale("en").number_symbols["latn"]["decimal"] == "."
