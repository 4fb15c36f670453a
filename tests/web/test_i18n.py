"""Both interface languages have every text, and the catalogs load."""

from __future__ import annotations

from spbe.web.i18n import LANGUAGES, catalog, translate


def test_indonesian_and_english_have_the_same_keys():
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    assert keys["id"] == keys["en"], keys["id"] ^ keys["en"]


def test_placeholders_are_filled_and_english_falls_back_to_indonesian_for_nothing():
    assert translate("login.title", "id") == "Masuk"
    assert translate("login.title", "en") == "Log in"
