"""Interface texts in Bahasa Indonesia (default) and English, from web/i18n/<lang>/*.yaml (one file per feature).

A text that depends on a number is a mapping of CLDR plural categories (`one`, `other`), chosen by Babel's
plural rules for the language and the `count` parameter: "1 indicator", "3 indicators".
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from babel import Locale
from starlette.requests import Request

from spbe.resources import web_dir

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
CATALOG_DIR = web_dir() / "i18n"


Text = str | dict[str, str]  # a plain text, or one per plural category


@functools.cache
def catalog(lang: str) -> dict[str, Text]:
    """All texts of one language, keyed by a dotted name such as 'login.title'."""
    texts: dict[str, Text] = {}
    for path in sorted(Path(CATALOG_DIR / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as f:
            for k, v in (yaml.safe_load(f) or {}).items():
                texts[str(k)] = {str(c): str(t) for c, t in v.items()} if isinstance(v, dict) else str(v)
    return texts


def _plural(text: Text, lang: str, count: object) -> str:
    """The form of a text for a number, by the language's plural rules (Babel, CLDR)."""
    if isinstance(text, str):
        return text
    form = Locale.parse(lang).plural_form(count if isinstance(count, int | float) else 0)
    return text.get(form) or text["other"]


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for a key in a language (falling back to Indonesian), with {placeholders} filled in."""
    found = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    text = _plural(found, lang, params.get("count"))
    return text.format(**params) if params else text


def language_of(request: Request) -> str:
    """The user's chosen language: the 'lang' cookie, else Indonesian."""
    lang = request.cookies.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
