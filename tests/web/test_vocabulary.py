"""One vocabulary: the catalogs and the Indonesian pages use the words web/i18n/glossary.yaml chose, and a
domain is called by its rubric name on every page."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spbe.method.rubric import get_rubric
from spbe.web.i18n import CATALOG_DIR, LANGUAGES, catalog
from tests.browser.test_every_page_browser import ROLES, demo, pages  # noqa: F401 (demo: the fixture)
from tests.web.conftest import login

SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def avoided(lang: str) -> dict[str, str]:
    """The glossary's variants a language does not use, each with the term it uses instead."""
    chosen = yaml.safe_load((CATALOG_DIR / "glossary.yaml").read_text(encoding="utf-8"))[lang]
    return {variant: term for term, variants in chosen.items() for variant in variants}


def offending(text: str, lang: str) -> set[str]:
    """The avoided variants (whole words, any case) that a text contains."""
    return {v for v in avoided(lang) if re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text, re.IGNORECASE)}


def shown_text(html: str) -> str:
    """What a reader sees or hears of a page: its text and its titles, labels, placeholders and alt texts."""
    page = BeautifulSoup(html, "html.parser")
    for hidden in page(["script", "style", "template"]):
        hidden.decompose()
    attributes = [tag[a] for tag in page.find_all(True) for a in SHOWN_ATTRIBUTES if tag.has_attr(a)]
    return " ".join([page.get_text(" "), *map(str, attributes)])


def test_the_check_finds_a_variant_and_spares_other_words():
    assert offending("Target level 3", "id") == {"level", "target level"}
    assert offending("Simulasi What-If", "id") == {"what-if"}
    assert offending("Tingkat yang dipilih; level-changed; levels.csv; data dukung", "id") == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalog_text_uses_an_avoided_word(lang):
    found = {}
    for key, text in catalog(lang).items():
        for form in [text] if isinstance(text, str) else text.values():
            if words := offending(re.sub(r"\{\w+\}", "", form), lang):  # placeholders are not words
                found[key] = sorted(words)
    assert found == {}, f"use the glossary's term instead: {found}"


def test_a_domain_is_called_by_its_rubric_name():
    assert [d.name for d in get_rubric("spbe-2021").meta.domains] == [
        "Kebijakan Internal SPBE", "Tata Kelola SPBE", "Manajemen SPBE", "Layanan SPBE"]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_every_indonesian_page_uses_the_glossary_and_the_rubric_names(demo: FastAPI, role):  # noqa: F811
    client = login(TestClient(demo), role)
    found: dict[str, list[str]] = {}
    for path in pages(demo, role):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        text = shown_text(response.text)
        words = sorted(offending(text, "id")) + ["Kebijakan SPBE"] * ("Kebijakan SPBE" in text)
        if words:
            found[path] = words
    assert found == {}, f"avoided words on Indonesian pages: {found}"
