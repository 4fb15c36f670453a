"""The comparison's table rows, each rendered once per language and the figures it shows.

An indicator's row shows its number and name, its level in both years, the delta and the trend: all of it
follows from the rubric and the two levels. A group's row (index, domain, aspect) follows from its two scores
and the two peer averages. None of it depends on the member, and most of the comparison page's rendering was
these rows, cell by cell; so each row is rendered once from the macros in compare/_rows.html and reused as
Markup. A rubric reloaded from changed files, or the macros' template reloaded, is a new object and so a new
cache entry.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal

from jinja2 import Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from spbe.method.formatting import decimal_text
from spbe.method.rubric import Rubric
from spbe.method.yoy import GroupDelta, IndicatorDelta
from spbe.web.i18n import translate
from spbe.web.results_format import level_and_delta

TEMPLATE = "compare/_rows.html"
MAX_ENTRIES = 8192  # rows × figures × languages; when full, the cache starts over

# (id(template), language, what the row shows) -> (template, anchor, row); the template and the anchor (the
# rubric, for an indicator row) are kept so that their ids cannot be reused while the entry exists.
_cache: dict[tuple[int, str, Hashable], tuple[Template, object, Markup]] = {}


def _macros(template: Template, lang: str) -> object:
    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    def num(value: Decimal | None, places: int = 2) -> str:
        return decimal_text(value, places, lang)

    return template.make_module({"t": t, "num": num, "lang": lang, **level_and_delta(lang)})


def _row(template: Template, lang: str, key: Hashable, anchor: object, macro: str, *args: object) -> Markup:
    """A row from the cache, or rendered with a macro and remembered."""
    full = (id(template), lang, key)
    found = _cache.get(full)
    if found is None:
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        found = _cache[full] = (template, anchor, Markup(getattr(_macros(template, lang), macro)(*args)))
    return found[2]


@pass_context
def compare_rows(context: Context, rubric: Rubric, rows: list[IndicatorDelta]) -> list[Markup]:
    """Template global: the indicator rows, `compare_rows(y.rubric, rows)`, in the page's language."""
    template, lang = context.environment.get_template(TEMPLATE), context["lang"]
    return [_row(template, lang, (id(rubric), r.indicator.id, r.before, r.after), rubric, "indicator_row", r)
            for r in rows]


@pass_context
def compare_groups(
    context: Context, groups: list[GroupDelta], national: Mapping[str, Decimal | None],
    peer: Mapping[str, Decimal | None],
) -> list[Markup]:
    """Template global: the index, domain and aspect rows with the peer averages, in the page's language."""
    template, lang = context.environment.get_template(TEMPLATE), context["lang"]
    return [_row(template, lang, (g, national[g.id], peer[g.id]), None, "group_row",
                 g, national[g.id], peer[g.id]) for g in groups]
