"""Web security in one place: the session cookie, CSRF checks and the headers every response carries."""

from __future__ import annotations

import html

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spbe.config import Settings
from spbe.web import csrf
from spbe.web.i18n import language_of, translate
from spbe.web.templating import is_htmx, render

# Only the app's own files: no inline script, style or handler anywhere (htmx's indicator style is off).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; "
       "frame-ancestors 'none'; form-action 'self'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def refusal(request: Request) -> Response:
    """403 for a missing or wrong CSRF token: JSON under /api, else the error page (or its block for htmx)."""
    message = translate("error.csrf", language_of(request))
    if request.url.path.startswith("/api"):
        return JSONResponse({"detail": message}, status_code=403)
    return render(request, "error.html", {"message": message, "status": 403},
                  block="content" if is_htmx(request) else None, status_code=403)


class SecurityHeaders:
    """Add the security headers to every response; a response's own CSP (downloads, API docs) is kept."""

    def __init__(self, app: ASGIApp, production: bool) -> None:
        self.app = app
        self.headers = {"Content-Security-Policy": CSP, **HEADERS}
        if production:  # served over HTTPS only (the session cookie is Secure there)
            self.headers["Strict-Transport-Security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>spbe API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head>
<body><main id="swagger-ui" data-openapi="{openapi}"></main>
<script src="/static/swagger/swagger-ui-bundle.js"></script><script src="/static/swagger/init.js"></script>
</body></html>"""
# Swagger UI (vendored, web/static/swagger) sets inline styles and uses data: icons; no script but ours.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")


def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI from the app's own files, so it works offline and under a CSP without inline script."""
    page = DOCS_PAGE.format(openapi=html.escape(request.app.openapi_url or ""))
    return HTMLResponse(page, headers={"Content-Security-Policy": DOCS_CSP})


def protect(app: FastAPI, settings: Settings) -> None:
    """CSRF checks inside the session (cookie HttpOnly, SameSite=Lax, Secure in production), headers out."""
    production = settings.env == "production"
    app.add_middleware(csrf.CSRFMiddleware, refuse=refusal)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key.get_secret_value(),
                       session_cookie="spbe_session", same_site="lax", https_only=production)
    app.add_middleware(SecurityHeaders, production=production)
    app.include_router(csrf.router)
    app.add_api_route("/api/docs", api_docs, include_in_schema=False)
