"""The pack's HTML pages: index.html to browse it offline and one cover sheet per indicator.

Self-contained pages (inline style, no scripts, no external assets) with relative links, so they open from
the unzipped folder on any computer. Written in Bahasa Indonesia, the asesor's language.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape
from jinja2.bccache import Bucket

from spbe.method.disk_cache import cache_root
from spbe.method.formatting import decimal_text
from spbe.reports.pack.butir_index import empty_by_level
from spbe.reports.pack.content import COPY_LIMIT, IndicatorContent, PackContent
from spbe.reports.pack.layout import COVER
from spbe.reports.pack.warning_text import date_text, indicator_warnings, item_warning
from spbe.resources import web_dir


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's on-disk cache of compiled templates, checked against each template's source, so that every
    `spbe export` does not compile the pack's templates again (~35 ms of CPU per run)."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a cache folder we may not write: compile again next time
            pass


def _compiled_templates() -> FileSystemBytecodeCache | None:
    """The cache under $XDG_CACHE_HOME/spbe/jinja, or none where that folder cannot be made."""
    try:
        folder = cache_root() / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # no home folder, or one we may not write
        return None
    return _CompiledTemplates(str(folder))


_ENV = Environment(
    loader=FileSystemLoader(web_dir() / "templates" / "export"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    bytecode_cache=_compiled_templates(),
)
_ENV.filters["num"] = decimal_text
_ENV.filters["href"] = lambda path: quote(path, safe="/")


def value_text(value: Decimal | None) -> str:
    """An indicator value as written in Indonesian: 3, 1,1667; '–' when not given."""
    return decimal_text(value, 4, trim=True)


def _render(name: str, content: PackContent, **context: object) -> bytes:
    def level_name(ind: IndicatorContent, level: int | None) -> str:
        return content.rubric.level_name(ind.indicator, level) if level is not None else ""

    template = _ENV.get_template(name)
    lowest = decimal_text(Decimal(content.rubric.meta.values.min))  # what a pending external indicator counts as
    return template.render(
        c=content, cover=COVER, value_text=value_text, level_name=level_name, lowest=lowest,
        level_name_of=content.rubric.level_name,
        date_text=date_text,
        warnings=lambda ind: indicator_warnings(content, ind),
        item_warning=lambda ind, item: item_warning(content, ind, item),
        **context,
    ).encode()


def index_html(content: PackContent) -> bytes:
    """The pack's start page: figures, each indicator with its level and cover sheet, (Pemdi) every butir."""
    return _render(
        "pack_index.html",
        content,
        folders={i.indicator.id: i.folder for i in content.indicators},
        empty=empty_by_level(content.butir),
        copy_limit_mb=COPY_LIMIT // 2**20,
    )


def cover_html(content: PackContent, ind: IndicatorContent) -> bytes:
    """One indicator's cover sheet: claimed level, explanation, target, unit and what supports which level."""
    root = "../" * (ind.folder.count("/") + 1)
    return _render("pack_cover.html", content, ind=ind, root=root)
