"""Both interface languages have every text, and the catalogs load."""

from __future__ import annotations

from spbe.web.i18n import LANGUAGES, catalog, translate


def test_indonesian_and_english_have_the_same_keys():
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    assert keys["id"] == keys["en"], keys["id"] ^ keys["en"]


def test_placeholders_are_filled_and_english_falls_back_to_indonesian_for_nothing():
    assert translate("login.title", "id") == "Masuk"
    assert translate("login.title", "en") == "Log in"


def test_english_texts_that_count_follow_the_plural_rules_and_indonesian_has_one_form():
    assert translate("w.unanswered_count", "en", count=1) == "1 unanswered indicator counted as level 1"
    assert translate("w.unanswered_count", "en", count=3) == "3 unanswered indicators counted as level 1"
    assert translate("w.unanswered_count", "id", count=1).startswith("1 indikator belum terjawab")
    assert translate("q.external.pending_summary", "en", count=1, ids="I05", value="1.00").startswith(
        "1 indicator waiting for its source index")


def test_every_plural_text_has_the_other_form():
    for lang in LANGUAGES:
        for key, text in catalog(lang).items():
            assert isinstance(text, str) or "other" in text, (lang, key)
