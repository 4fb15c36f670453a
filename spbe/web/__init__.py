"""The web layer: FastAPI routes for the pages and the JSON API, templating, sign-in, CSRF and security headers."""
