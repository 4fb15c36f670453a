"""How the JSON API reports errors: {"detail": one clear message}, never FastAPI's list of pydantic errors."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from spbe.method.input_limits import InputTooLarge, load_json
from spbe.web.api_models import ErrorOut
from spbe.web.i18n import language_of, translate

# Pydantic error types -> the reason shown (web/i18n/*/api.yaml); other *_type, *_parsing: type errors.
REASONS = {"missing": "missing", "json_invalid": "json", "extra_forbidden": "extra",
           "string_too_long": "too_long", "string_pattern_mismatch": "text",
           "greater_than_equal": "range", "less_than_equal": "range"}


def invalid_message(errors: Sequence[Any], lang: str) -> str:
    """One sentence naming each bad field (at most five) and what is wrong with it."""
    problems = []
    for err in errors[:5]:
        kind = err["type"]
        field = ".".join(str(p) for p in err["loc"][1:]) if kind != "json_invalid" else ""
        if kind == "value_error":
            reason = str(err["ctx"]["error"])
        elif kind in REASONS:
            reason = translate(f"api.invalid.{REASONS[kind]}", lang, **err.get("ctx", {}))
        else:
            wrong_type = kind.endswith(("_type", "_parsing"))
            reason = translate("api.invalid.type" if wrong_type else "api.invalid.other", lang)
        problems.append(f"{field or translate('api.invalid.body', lang)}: {reason}")
    return translate("error.api.invalid", lang, problems="; ".join(problems))


MAX_BODY = 256 * 1024  # an answer's longest explanation is 20,000 characters: far larger bodies are refused


class BodyTooLarge(Exception):
    """A request body over MAX_BODY, refused while it streams in (413)."""


class LimitedJsonRequest(Request):
    """A request whose body is read up to MAX_BODY and whose JSON is parsed within the input limits."""

    async def body(self) -> bytes:
        """The body, refused (BodyTooLarge) as soon as it passes MAX_BODY while streaming in."""
        if not hasattr(self, "_body"):
            chunks, size = [], 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > MAX_BODY:
                    raise BodyTooLarge()
                chunks.append(chunk)
            self._body = b"".join(chunks)
        return self._body

    async def json(self) -> Any:
        """The body as JSON within the depth and number limits (InputTooLarge otherwise)."""
        if not hasattr(self, "_json"):
            self._json = load_json(await self.body())
        return self._json


class ApiRoute(APIRoute):
    """A route answering an unreadable or invalid request with 422 and one message in the user's language."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handle(LimitedJsonRequest(request.scope, request.receive))
            except RequestValidationError as exc:
                errors = exc.errors()
            except StarletteHTTPException as exc:
                if exc.status_code != 400:  # FastAPI's 400 (Starlette's class): a body it cannot decode
                    raise
                if isinstance(exc.__cause__, BodyTooLarge):
                    detail = translate("error.api.too_large", language_of(request), kb=MAX_BODY // 1024)
                    return JSONResponse({"detail": detail}, status_code=413)
                errors = [{"type": "json_invalid", "loc": ("body",)}]
                if isinstance(exc.__cause__, InputTooLarge):  # named, so the client knows what to change
                    cause = exc.__cause__
                    errors = [{"type": "value_error", "loc": ("body", "JSON"), "ctx": {"error": cause}}]
            return JSONResponse({"detail": invalid_message(errors, language_of(request))}, status_code=422)

        return route


def error(description: str, model: type[ErrorOut] = ErrorOut) -> dict[str, Any]:
    """An error response for the OpenAPI documentation."""
    return {"model": model, "description": description}
