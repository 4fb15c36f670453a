"""The web application: FastAPI with server-rendered pages (Jinja2 + htmx) and a JSON API under /api."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

import anyio.to_thread
import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from spbe.config import Settings, get_settings
from spbe.resources import web_dir
from spbe.store.db import make_engine
from spbe.web import (
    admin,
    api,
    assessments,
    auth,
    butir,
    dashboard,
    evidence,
    export,
    report_download,
    results,
    whatif,
    worklist,
)
from spbe.web.api_errors import invalid_message
from spbe.web.compression import compress
from spbe.web.deps import LoginRequired
from spbe.web.i18n import language_of, translate
from spbe.web.security import protect
from spbe.web.templating import is_htmx, render

FRAMEWORK_ERRORS = {404: "error.not_found"}  # other framework refusals (bad body, method) are bad requests
RETRY_AFTER = 5  # seconds a client is asked to wait when no database connection was free


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


async def _login_required(request: Request, exc: LoginRequired) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": translate("error.login_required", language_of(request))}, status_code=401)
    target = "/login?next=" + quote(request.url.path)
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _error_page(
    request: Request, message: str, status: int, headers: dict[str, str] | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    block = "content" if is_htmx(request) else None
    return render(request, "error.html", {"message": message, "status": status},
                  block=block, status_code=status, headers=headers)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """The app's refusals (message keys or translated texts) and the framework's, which are in English."""
    detail, lang = str(exc.detail), language_of(request)
    if detail.startswith("error."):
        message = translate(detail, lang)
    elif isinstance(exc, HTTPException) and exc.status_code != 400:  # the app never raises 400 itself
        message = detail
    else:  # Starlette's routing and body parsing, FastAPI's "error parsing the body"
        message = translate(FRAMEWORK_ERRORS.get(exc.status_code, "error.bad_request"), lang)
    return _error_page(request, message, exc.status_code, exc.headers)


async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """A form field of the wrong kind (a file for a text): 422 naming it, in the user's language."""
    return _error_page(request, invalid_message(exc.errors(), language_of(request)), 422)


async def _busy(request: Request, exc: sa.exc.TimeoutError) -> Response:
    """No database connection came free within the pool's timeout: 503 at once, nothing was changed."""
    message = translate("error.busy", language_of(request), seconds=RETRY_AFTER)
    return _error_page(request, message, 503, {"Retry-After": str(RETRY_AFTER)})


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """As many worker threads as pooled connections: a thread's unit of work never waits for a connection."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.settings.db_pool_size
    yield
    app.state.engine.dispose()


def _healthz() -> dict[str, bool]:
    """Liveness probe for load balancers; also the bare-endpoint baseline of the web benchmark."""
    return {"ok": True}


def _favicon() -> Response:
    """Browsers that ask for /favicon.ico before reading the page's icon link get the SVG icon."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for one configuration (tests pass their own settings and database)."""
    settings = settings or get_settings()
    app = FastAPI(title="spbe", summary="SPBE self-assessment toolkit", version="0.1.0",
                  docs_url=None, openapi_url="/api/openapi.json", redoc_url=None, lifespan=_lifespan)
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url, settings.db_pool_size)
    protect(app, settings)  # session cookie, CSRF checks, security headers, /api/csrf and /api/docs
    compress(app)  # gzip for HTML, CSS, JS, SVG and JSON
    app.add_exception_handler(LoginRequired, _login_required)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(sa.exc.TimeoutError, _busy)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=web_dir() / "static"), name="static")
    app.add_api_route("/healthz", _healthz, include_in_schema=False, methods=["GET", "HEAD"])
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)
    app.include_router(auth.router)
    app.include_router(dashboard.router)
    app.include_router(api.router)
    app.include_router(evidence.router)
    app.include_router(butir.router)
    app.include_router(worklist.router)
    app.include_router(export.router)
    app.include_router(report_download.router)
    app.include_router(assessments.router)
    app.include_router(results.router)
    app.include_router(whatif.router)
    app.include_router(admin.router)
    return app
