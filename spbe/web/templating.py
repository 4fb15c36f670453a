"""Jinja2 templates with htmx fragments: a page renders whole, or one named block for an htmx request."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from spbe.method.formatting import decimal_text
from spbe.method.rubric import Rubric, get_rubric
from spbe.resources import web_dir
from spbe.store.models import Assessment
from spbe.web import csrf, dates
from spbe.web.compare_rows import compare_groups, compare_rows
from spbe.web.i18n import language_of, translate
from spbe.web.indicator_text import indicator_text

RECHECK_SECONDS = 1.0


class _Loader(FileSystemLoader):
    """Templates from disk, checked for changes at most once a second rather than on every include.

    Jinja asks a template whether it is up to date each time it is used; the questionnaire includes
    three templates per indicator, and every check is a stat().
    """

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        checked = time.monotonic()

        def recently_checked() -> bool:
            nonlocal checked
            now = time.monotonic()
            if now - checked < RECHECK_SECONDS:
                return True
            checked = now
            return uptodate()

        return source, filename, recently_checked


@pass_context
def include_block(context: Context, name: str, block: str, variables: dict[str, Any]) -> Markup:
    """One block of another template rendered in place, with this page's context plus `variables`.

    The questionnaire shows each indicator's evidence panel (evidence/panel.html's `panel` block) this way,
    inside the page, instead of the browser fetching every panel again after loading it.
    """
    template = context.environment.get_template(name)
    render_block = template.blocks[block]
    block_context = template.new_context({**context.get_all(), **variables})
    return Markup(context.environment.concat(render_block(block_context)))


templates = Jinja2Blocks(directory=str(web_dir() / "templates"))
templates.env.loader = _Loader(str(web_dir() / "templates"))
templates.env.globals["indicator_text"] = indicator_text
templates.env.globals["compare_rows"] = compare_rows
templates.env.globals["compare_groups"] = compare_groups
templates.env.globals["include_block"] = include_block


def is_htmx(request: Request) -> bool:
    """True for requests sent by htmx (they want a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def page_assessment(context: dict[str, Any]) -> Assessment | None:
    """The assessment a page shows (a context value that is or holds one), for base.html's header."""
    for value in context.values():
        found = value if isinstance(value, Assessment) else getattr(value, "assessment", None)
        if isinstance(found, Assessment):
            return found
    return None


def page_rubric(context: dict[str, Any]) -> Rubric | None:
    """The rubric of the assessment a page shows, for base.html's provisional banner."""
    found = page_assessment(context)
    return get_rubric(found.rubric_id) if found is not None else None


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *,
    block: str | None = None, status_code: int = 200, headers: dict[str, str] | None = None,
) -> Response:
    """Render a template: the whole page, or only `block` when given (htmx fragment)."""
    lang = language_of(request)

    def t(key: str, **params: object) -> str:
        if not any(isinstance(v, Markup) for v in params.values()):
            return translate(key, lang, **params)
        # markup among the values (a gain with its exact value on hover): escape the plain ones, keep it
        safe = {k: Markup.escape(v) if isinstance(v, str) else v for k, v in params.items()}
        return Markup(translate(key, lang, **safe))

    def num(value: Decimal | None, places: int = 2) -> str:
        return decimal_text(value, places, lang)

    def assessment_title(a: Assessment) -> str:
        return t("q.title", index=get_rubric(a.rubric_id).meta.short_title, year=a.year)

    ctx = {"lang": lang, "t": t, "num": num, "assessment_title": assessment_title,
           "user": getattr(request.state, "user", None),
           "csrf_token": lambda: csrf.masked(request), "csrf_field": lambda: csrf.field(request),
           **(context or {}),
           "clock": lambda moment, date=False: dates.clock(moment, date, lang),  # one style, in the language
           "date_text": lambda day: dates.date_text(day, lang)}
    if not block:
        ctx["page_assessment"] = page_assessment(ctx)
        ctx["page_rubric"] = page_rubric(ctx)
    kwargs: dict[str, Any] = {"status_code": status_code, "headers": headers}
    if block:
        kwargs["block_name"] = block
    return templates.TemplateResponse(request, name, ctx, **kwargs)
