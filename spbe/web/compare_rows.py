"""The comparison's indicator rows, rendered once per rubric, indicator, pair of levels and language.

A row shows the indicator's number and name, its level in both years, the delta and the trend: all of it
follows from the rubric and the two levels, none from the assessment or the member. Most of the comparison
page's rendering was these 47 rows, cell by cell; a row is now rendered once from the macro in
compare/_rows.html and reused as Markup. A rubric reloaded from changed files, or the macro's template
reloaded, is a new object and so a new cache entry.
"""

from __future__ import annotations

from decimal import Decimal

from jinja2 import Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from spbe.method.rubric import Rubric
from spbe.method.yoy import IndicatorDelta
from spbe.web.i18n import translate
from spbe.web.results_format import level_and_delta

TEMPLATE = "compare/_rows.html"
MAX_ENTRIES = 8192  # indicators × pairs of levels × languages; a reloaded rubric or template adds a set

# (id(template), id(rubric), indicator id, before, after, language) -> (template, rubric, row); the template
# and the rubric are kept so that their ids cannot be reused by other objects while the entry exists.
_Key = tuple[int, int, str, Decimal | None, Decimal | None, str]
_cache: dict[_Key, tuple[Template, Rubric, Markup]] = {}


def _render(template: Template, row: IndicatorDelta, lang: str) -> Markup:
    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    macros = template.make_module({"t": t, "lang": lang, **level_and_delta(lang)})
    return Markup(macros.indicator_row(row))


def row_of(template: Template, rubric: Rubric, row: IndicatorDelta, lang: str) -> Markup:
    """One indicator's row, rendered on first use."""
    key = (id(template), id(rubric), row.indicator.id, row.before, row.after, lang)
    found = _cache.get(key)
    if found is None:
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        found = _cache[key] = (template, rubric, _render(template, row, lang))
    return found[2]


@pass_context
def compare_row(context: Context, rubric: Rubric, row: IndicatorDelta) -> Markup:
    """Template global: `compare_row(y.rubric, r)` in the language being rendered."""
    return row_of(context.environment.get_template(TEMPLATE), rubric, row, context["lang"])
