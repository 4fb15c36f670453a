"""CSRF protection: a random token per signed session, required on every request that may change something.

Pages carry it in a hidden form field `csrf_token` (first in the form) and htmx sends it as the header
`X-CSRF-Token`; API clients read it from GET /api/csrf and send the header. A multipart body is never read
whole for the check: only its first bytes, where the field stands, and they are handed on to the app.

Responses are compressed, so the token is never sent as it is stored: each response carries it XORed with
a fresh random pad (the pad sent along), so no two responses show the same bytes and a BREACH-style attack,
guessing it byte by byte from the compressed size, has nothing stable to find. The check unmasks.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from collections.abc import Callable, MutableMapping
from typing import Any

from fastapi import APIRouter, Request
from markupsafe import Markup
from pydantic import BaseModel
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import Field, FormParser, parse_options_header
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FIELD = "csrf_token"  # the form field, and the session key
HEADER = "X-CSRF-Token"
PEEK = 64 * 1024  # bytes of a form body searched for the field
FORM_TYPES = (b"application/x-www-form-urlencoded", b"multipart/form-data")


def token(session: MutableMapping[str, Any]) -> str:
    """The session's token, made on first use."""
    found = session.get(FIELD)
    if not isinstance(found, str):
        found = session[FIELD] = secrets.token_urlsafe(32)
    return found


def renew(session: MutableMapping[str, Any]) -> str:
    """A new token for the session (at sign-in: a token known before it is worthless after)."""
    session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def mask(stored: str) -> str:
    """The token as a response shows it: a fresh random pad, then the token XOR the pad, URL-safe base64.

    Without base64's "=" padding: a form body carries it as it is, with no character to percent-encode.
    """
    raw = stored.encode()
    pad = secrets.token_bytes(len(raw))
    return base64.urlsafe_b64encode(pad + _xor(pad, raw)).decode().rstrip("=")  # no "=": nothing to escape


def unmask(sent: str) -> bytes | None:
    """The token inside a masked value, or None for anything that is not one."""
    try:
        data = base64.urlsafe_b64decode(sent.encode("ascii") + b"=" * (-len(sent) % 4))
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return None
    half = len(data) // 2
    if not data or len(data) % 2:
        return None
    return _xor(data[:half], data[half:])


def masked(request: Request) -> str:
    """This response's masked token: one pad per response, shared by its forms and its htmx header."""
    found = getattr(request.state, "csrf_masked", None)
    if found is None:
        found = request.state.csrf_masked = mask(token(request.session))
    return found


def field(request: Request) -> Markup:
    """The hidden input every plain form starts with, built once per response."""
    found = getattr(request.state, "csrf_field", None)
    if found is None:
        found = request.state.csrf_field = Markup('<input type="hidden" name="{}" value="{}">').format(
            FIELD, masked(request))
    return found


def _matches(expected: object, sent: str | None) -> bool:
    """Unmask and compare in constant time; a session without a token, or nothing sent, never matches."""
    if not isinstance(expected, str) or not sent:
        return False
    found = unmask(sent)
    return found is not None and hmac.compare_digest(expected.encode(), found)


def _form_token(kind: bytes, boundary: bytes | None, body: bytes, complete: bool) -> str | None:
    """The csrf_token field among the first PEEK bytes of a urlencoded or multipart form body."""
    fields: dict[bytes, bytes] = {}

    def on_field(found: Field) -> None:
        fields.setdefault(found.field_name or b"", found.value or b"")

    try:
        parser = FormParser(kind.decode(), on_field, None, boundary=boundary)
        parser.write(body[:PEEK])
        if complete and len(body) <= PEEK:
            parser.finalize()
    except FormParserError:
        return None
    value = fields.get(FIELD.encode())
    return value.decode("utf-8", "replace") if value is not None else None


async def _peek(receive: Receive) -> tuple[bytes, bool, Receive]:
    """Read the body's first PEEK bytes; the returned receive replays them before the rest."""
    messages: list[Message] = []
    body, complete = b"", False
    while len(body) < PEEK and not complete:
        message = await receive()
        messages.append(message)
        body += message.get("body", b"")
        complete = message["type"] != "http.request" or not message.get("more_body", False)

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return body, complete, replay


class CSRFMiddleware:
    """Pass a state-changing request on only when it carries the session's token; else answer `refuse`."""

    def __init__(self, app: ASGIApp, refuse: Callable[[Request], Response]) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        sent = request.headers.get(HEADER)
        kind, params = parse_options_header(request.headers.get("content-type"))
        if sent is None and kind in FORM_TYPES:
            body, complete, receive = await _peek(receive)
            sent = _form_token(kind, params.get(b"boundary"), body, complete)
        if _matches(request.session.get(FIELD), sent):
            await self.app(scope, receive, send)
        else:
            await self.refuse(request)(scope, receive, send)


class CsrfOut(BaseModel):
    """The token to send as the X-CSRF-Token header with PUT, POST and DELETE."""

    csrf_token: str


router = APIRouter(prefix="/api", tags=["api"])


@router.get("/csrf", summary="Token CSRF sesi ini (this session's CSRF token)")
def csrf_token(request: Request, response: Response) -> CsrfOut:
    """Signed in or not; signing in (POST /login with this token) renews it, also answered in X-CSRF-Token."""
    response.headers["Cache-Control"] = "no-store"
    return CsrfOut(csrf_token=masked(request))
