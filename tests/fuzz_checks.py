"""What a fuzzed request must get: a 4xx with an Indonesian message, nothing written; or a valid success.

Fuzzed requests carry the session's CSRF token, so a refusal must come from the app, never the CSRF check.
"""

from __future__ import annotations

import functools
import html
import re

import httpx
import sqlalchemy as sa
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from spbe.web.i18n import catalog
from tests.db_snapshot import table_rows

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values people and scripts really send: numbers in every spelling, huge ones, markup, control characters.
ODD = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "3",
    "5",
    "6",
    "1.5",
    "2,5",
    "1e400",
    "-0",
    "NaN",
    "nan",
    "Infinity",
    "١",
    "３",
    "²",
    "9" * 400,
    "a\x00b",
    "\x1b[31m",
    "\r\n",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "🙂",
    "true",
    "null",
    "[]",
    "x" * 30_000,
    "https://",
    "javascript:alert(1)",
    "http://a",
    "2022-02-30",
]


def odd_or_any(odd: list[str], max_size: int, bits: int) -> st.SearchStrategy[str]:
    """One of the odd values, or any short text, whole number (up to 2**bits) or float, as text."""
    return st.one_of(
        st.sampled_from(odd),
        st.text(max_size=max_size),
        st.integers(min_value=-(2**bits), max_value=2**bits).map(str),
        st.floats().map(str),
    )


VALUES = odd_or_any(ODD, max_size=30, bits=80)


@functools.cache
def _fragments() -> tuple[str, ...]:
    """Fixed pieces (6+ characters) of the Indonesian messages for errors, conflicts and refusals."""
    texts = [v for k, v in catalog("id").items() if re.search("error|conflict|refused|failed", k)]
    return tuple({p.strip() for t in texts for p in re.split(r"\{[^}]*\}", t) if len(p.strip()) >= 6})


def visible_text(response: httpx.Response) -> str:
    """The response's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def has_indonesian_message(response: httpx.Response) -> bool:
    text = visible_text(response)
    return any(fragment in text for fragment in _fragments())


def check_answer(
    response: httpx.Response, engine: sa.Engine, before: dict[str, list[tuple[object, ...]]]
) -> bool:
    """Assert the response is a refusal that wrote nothing, or a success; True for a success."""
    event(f"HTTP {response.status_code}")
    assert response.status_code < 500, response.text[:2000]
    if response.status_code < 400:
        return True
    # The token was sent as a browser sends it: the app itself must have judged the request.
    assert catalog("id")["error.csrf"] not in visible_text(response), "refused by the CSRF check"
    assert has_indonesian_message(response), (response.status_code, visible_text(response)[:2000])
    assert table_rows(engine) == before, "a refused request changed the database"
    return False
