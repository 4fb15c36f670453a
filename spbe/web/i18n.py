"""Interface texts in Bahasa Indonesia (default) and English, from web/i18n/<lang>/*.yaml (one file per feature)."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from starlette.requests import Request

from spbe.resources import web_dir

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
CATALOG_DIR = web_dir() / "i18n"


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """All texts of one language, keyed by a dotted name such as 'login.title'."""
    texts: dict[str, str] = {}
    for path in sorted(Path(CATALOG_DIR / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as f:
            texts.update({str(k): str(v) for k, v in (yaml.safe_load(f) or {}).items()})
    return texts


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for a key in a language (falling back to Indonesian), with {placeholders} filled in."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**params) if params else text


def language_of(request: Request) -> str:
    """The user's chosen language: the 'lang' cookie, else Indonesian."""
    lang = request.cookies.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
