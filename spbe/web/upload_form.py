"""Read a multipart upload form straight from the request stream, passing the file chunk by chunk to a Stager.

Starlette's form parser spools every file part whole to a temp file before the route runs, with no size limit;
this reader enforces the limits while the bytes arrive and writes nothing but the staged upload, which it
removes again if anything goes wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from spbe.store.evidence_files import Staged, Stager

MAX_FIELD = 16 * 1024  # bytes in one text field
MAX_PARTS = 32


class FormError(ValueError):
    """A form that cannot be read; `reason` is 'malformed' or 'too_large' (the whole body)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class UploadForm:
    """The text fields of a form and its one staged file (None when the form carried no file part)."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    filename: str = ""
    staged: Staged | None = None

    def get(self, name: str) -> str:
        return self.fields.get(name, [""])[0]

    def getlist(self, name: str) -> list[str]:
        return self.fields.get(name, [])

    def discard(self) -> None:
        """Remove the staged file unless it has been stored (safe to call more than once)."""
        if self.staged is not None:
            self.staged.discard()


class _Parts:
    """Parser callbacks: text parts collected (capped), the file part queued for the Stager."""

    def __init__(self, stager: Stager, file_field: str) -> None:
        self.stager = stager
        self.file_field = file_field
        self.form = UploadForm()
        self.pending: list[bytes] = []
        self.ended = False
        self._parts = 0
        self._header = b""
        self._value = b""
        self._disposition = b""
        self._name = ""
        self._is_file = False
        self.seen_file = False
        self._data = bytearray()

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
            "on_end": self.end,
        }

    def part_begin(self) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise FormError("malformed")
        self._disposition, self._data = b"", bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def header_end(self) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition = self._value
        self._header = self._value = b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise FormError("malformed")
        self._name = _text(options[b"name"])
        self._is_file = b"filename" in options
        if self._is_file:
            if self._name != self.file_field or self.seen_file:
                raise FormError("malformed")
            self.seen_file = True
            self.form.filename = _text(options[b"filename"])

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file:
            self.pending.append(data[start:end])
            return
        self._data += data[start:end]
        if len(self._data) > MAX_FIELD:
            raise FormError("malformed")

    def part_end(self) -> None:
        if not self._is_file:
            self.form.fields.setdefault(self._name, []).append(_text(bytes(self._data)))

    def end(self) -> None:
        self.ended = True


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FormError("malformed") from None


async def read_upload_form(
    request: Request,
    evidence_dir: Path,
    max_file: int,
    max_body: int,
    file_field: str = "file",
) -> UploadForm:
    """Parse a multipart/form-data body as it streams in; the file is staged (checked by content) or refused.

    Raises FormError, or UploadRejected from the store (too large, empty, disallowed type); either way
    nothing is left on disk.
    """
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not params.get(b"boundary"):
        raise FormError("malformed")
    with Stager(evidence_dir, max_file) as stager:
        parts = _Parts(stager, file_field)
        parser = MultipartParser(params[b"boundary"], parts.callbacks())  # type: ignore[arg-type]
        received = 0
        try:
            async for chunk in request.stream():
                received += len(chunk)
                if received > max_body:
                    raise FormError("too_large")
                parser.write(chunk)
                if parts.pending:
                    data, parts.pending = b"".join(parts.pending), []
                    await run_in_threadpool(stager.write, data)
            parser.finalize()
        except (MultipartParseError, ClientDisconnect):
            raise FormError("malformed") from None
        if not parts.ended:
            raise FormError("malformed")
        form = parts.form
        if parts.seen_file:
            form.staged = await run_in_threadpool(stager.finish)
        else:
            stager.discard()
        return form
