"""Instansi pages by code for members only; posted forms, and levels-file uploads read within a size limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import HTTPException, Request
from sqlmodel import Session, select
from starlette.datastructures import UploadFile

from spbe.services.assessments import Invalid
from spbe.store.models import Instansi, Role, User
from spbe.web.deps import role_in

MAX_LEVELS_FILE = 1024 * 1024  # a levels file of 47 rows is a few kilobytes; an XLSX some more
MAX_BODY = MAX_LEVELS_FILE + 64 * 1024  # the file, the form's few fields and the multipart framing


def instansi_for(db: Session, user: User, code: str) -> tuple[Instansi, Role]:
    """The instansi with this code and the user's role in it; 404 when missing or not theirs."""
    instansi = db.exec(select(Instansi).where(Instansi.code == code[:100])).first()
    role = role_in(db, user, instansi.id) if instansi else None
    if instansi is None or role is None:
        raise HTTPException(status_code=404, detail="error.not_found")
    return instansi, role


async def text_fields(request: Request) -> list[tuple[str, str]]:
    """The text fields of a posted form in order; file parts sent in their place are closed and dropped."""
    form = await request.form()
    await form.close()
    return [(k, v) for k, v in form.multi_items() if isinstance(v, str)]


async def posted(request: Request) -> dict[str, str]:
    """The text fields of a posted form (the last of a repeated one)."""
    return dict(await text_fields(request))


@dataclass
class LevelsUpload:
    """The text fields of an upload form and its file part (None when it had none)."""

    fields: dict[str, str]
    file: UploadFile | None

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


async def levels_upload(request: Request) -> AsyncIterator[LevelsUpload]:
    """Parse an upload form, refusing (413) before reading a body larger than a levels file needs."""
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_BODY:
        raise HTTPException(status_code=413, detail="error.upload_too_large")
    form = await request.form(max_files=1, max_fields=16)
    try:
        files = [v for v in form.values() if isinstance(v, UploadFile)]
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        yield LevelsUpload(fields, files[0] if files else None)
    finally:
        await form.close()


def read_upload(upload: UploadFile | None) -> tuple[bytes, str]:
    """The bytes and file name of an uploaded levels file; Invalid when missing or too large."""
    if upload is None or not upload.filename:
        raise Invalid("imp.error.no_file")
    data = upload.file.read(MAX_LEVELS_FILE + 1)
    if len(data) > MAX_LEVELS_FILE:
        raise Invalid("imp.error.too_large", limit=MAX_LEVELS_FILE // 1024)
    return data, upload.filename
