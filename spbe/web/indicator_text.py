"""The rubric's own words on an indicator card, rendered once per rubric, indicator and language.

Most of an indicator card is rubric text: the criteria of every level with the level names, the
explanation, the evidence expected. None of it depends on the assessment, the answer or the member, so
it is rendered once from the macros in assessments/_indicator_text.html and reused as Markup; the card
template renders only the answer, the permissions and the comments per request. A rubric reloaded from
changed files, or the macros' template reloaded, is a new object and so a new cache entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from spbe.method.rubric import Indicator, Rubric
from spbe.web.i18n import translate

TEMPLATE = "assessments/_indicator_text.html"
MAX_ENTRIES = 2048  # rubrics × indicators × languages; a reloaded rubric or template adds a set


@dataclass(frozen=True)
class IndicatorText:
    """Pre-rendered, escaped pieces of one indicator's card."""

    heading: Markup
    about: Markup
    levels: tuple[tuple[int, Markup], ...]  # each level: its number, and its number, name and criteria
    static_levels: Markup  # decimal rubrics: every level as a row to read, nothing to choose
    targets: tuple[tuple[int, Markup], ...]  # the target choice: number and label ("3 · Terstandarisasi")


# (id(template), id(rubric), indicator id, language) -> (template, rubric, text); the template and the
# rubric are kept so that their ids cannot be reused by other objects while the entry exists.
_cache: dict[tuple[int, int, str, str], tuple[Template, Rubric, IndicatorText]] = {}


def _render(template: Template, rubric: Rubric, ind: Indicator, lang: str) -> IndicatorText:
    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    macros = template.make_module({"t": t, "rubric": rubric, "lang": lang})
    return IndicatorText(
        heading=Markup(macros.heading(ind)),
        about=Markup(macros.about(ind)),
        levels=tuple((n, Markup(macros.level(ind, n))) for n in ind.levels),
        static_levels=Markup(macros.static_levels(ind)),
        targets=tuple((n, Markup(macros.target(ind, n))) for n in ind.levels),
    )


def text_of(template: Template, rubric: Rubric, ind: Indicator, lang: str) -> IndicatorText:
    """The card text of one indicator, rendered on first use."""
    key = (id(template), id(rubric), ind.id, lang)
    found = _cache.get(key)
    if found is None:
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        found = _cache[key] = (template, rubric, _render(template, rubric, ind, lang))
    return found[2]


@pass_context
def indicator_text(context: Context, rubric: Rubric, ind: Indicator) -> IndicatorText:
    """Template global: `indicator_text(ws.rubric, ind)` in the language being rendered."""
    return text_of(context.environment.get_template(TEMPLATE), rubric, ind, context["lang"])
