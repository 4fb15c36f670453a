"""Gzip for what compresses well (HTML, CSS, JS, SVG, JSON), through Starlette's maintained middleware.

Evidence downloads and packs (PDF, office files, images, ZIP) are already compressed: they pass through as
they are, keeping their Content-Length. The CSRF token in compressed pages is masked per response (csrf.py).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

MINIMUM_SIZE = 1024  # smaller bodies gain less than the gzip header and the CPU cost
LEVEL = 1  # the A7 page: 128 KB to 17 KB in 0.5 ms (level 6: 10 KB in 1.4 ms); CPU per page is what counts
ALREADY_COMPRESSED = (
    "application/pdf",
    "application/octet-stream",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/x-zip-compressed",
)  # with Starlette's list (ZIP, PNG, JPEG, GIF, WebP, …); SVG is text and is compressed


def compress(app: FastAPI) -> None:
    """Gzip text responses for clients that accept it (outermost, so security headers stay on every reply)."""
    app.add_middleware(GZipMiddleware, minimum_size=MINIMUM_SIZE, compresslevel=LEVEL,
                       exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, *ALREADY_COMPRESSED))
