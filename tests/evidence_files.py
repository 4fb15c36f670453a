"""Small real files for upload tests: PDF and images from matplotlib/Pillow, office files zipped by hand."""

from __future__ import annotations

import io
import zipfile

from matplotlib.figure import Figure
from openpyxl import Workbook
from PIL import Image

_CT = "application/vnd.openxmlformats-officedocument"
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def pdf(text: str = "Bukti dukung") -> bytes:
    figure = Figure(figsize=(2, 1))
    figure.text(0.1, 0.5, text)
    out = io.BytesIO()
    figure.savefig(out, format="pdf")
    return out.getvalue()


def image(fmt: str = "PNG", color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(out, format=fmt)
    return out.getvalue()


def _zip(members: dict[str, str], stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            compression = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            archive.writestr(name, text, compress_type=compression)
    return out.getvalue()


def docx(
    text: str = "Peraturan Wali Kota", main_type: str = f"{_CT}.wordprocessingml.document.main+xml"
) -> bytes:
    """A minimal Word document (what Word needs to open it: content types, package relationships, body)."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>'
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
    )
    return _zip({"[Content_Types].xml": content_types, "_rels/.rels": _RELS, "word/document.xml": body})


def xlsx(rows: list[list[object]] | None = None) -> bytes:
    """A workbook whose first sheet holds `rows` (by default one cell of text)."""
    workbook = Workbook()
    for row in rows if rows is not None else [["Rekap layanan"]]:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odt() -> bytes:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.text"/></manifest:manifest>'
    )
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": manifest,
            "content.xml": "<office:document-content/>",
        },
        stored_first="mimetype",
    )


def plain_zip() -> bytes:
    return _zip({"readme.txt": "bukan dokumen kantor"})


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + bytes(64)
    + b"This program cannot be run in DOS mode"
)
ELF = b"\x7fELF\x02\x01\x01" + bytes(57)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SCRIPT = b"#!/bin/sh\nrm -rf ~\n"
