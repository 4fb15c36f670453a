"""Hostile levels files, small on disk and huge once opened, as a probe sent them (issue 13).

Each is a real .xlsx (a workbook openpyxl wrote, with one part replaced by a streamed, deflated giant) or a
.json; `scale` shrinks the giants for quick tests (1.0: the sizes the probe used). Shared by the memory
benchmark (bench/bench_import_bombs.py) and the tests.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator

from openpyxl import Workbook

MIB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s">'
              b"<v>1</v></c></row>")
SHEET_TAIL = b"</sheetData></worksheet>"
STRINGS_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><si><t>indikator</t></si><si><t>level</t></si>')


def _plain_workbook() -> bytes:
    """A small, valid levels workbook whose parts the bombs replace."""
    book = Workbook()
    sheet = book.active
    sheet.append(["indikator", "level"])
    sheet.append(["I01", 3])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _repeat(piece: bytes, times: int) -> Iterator[bytes]:
    """`piece` `times` times over, in chunks of about a MiB (never the whole in memory)."""
    per_chunk = max(1, MIB // len(piece))
    chunk = piece * per_chunk
    for _ in range(times // per_chunk):
        yield chunk
    yield piece * (times % per_chunk)


def xlsx_with(parts: dict[str, Callable[[], Iterable[bytes]]]) -> bytes:
    """The plain workbook with the named parts replaced by (or added as) the streamed contents."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_plain_workbook())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        names = [i.filename for i in source.infolist()]
        for name in names + [n for n in parts if n not in names]:
            if name not in parts:
                target.writestr(source.getinfo(name), source.read(name))
                continue
            with target.open(name, "w") as member:  # sizes under 2 GiB: plain 32-bit headers
                for chunk in parts[name]():
                    member.write(chunk)
    return out.getvalue()


def huge_inline_cell(scale: float = 1.0) -> bytes:
    """One inline-string cell of 700 MB (about 700 KB on disk)."""
    size = int(700 * MIB * scale)
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    end = b"</t></is></c></row>"
    return xlsx_with({SHEET: lambda: [SHEET_HEAD, cell, *_repeat(b"A", size), end, SHEET_TAIL]})


def many_rows(scale: float = 1.0) -> bytes:
    """Three million rows of one cell each."""
    rows = int(3_000_000 * scale)
    row = b'<row><c t="n"><v>3</v></c></row>'
    return xlsx_with({SHEET: lambda: [SHEET_HEAD, *_repeat(row, rows), SHEET_TAIL]})


def many_shared_strings(scale: float = 1.0) -> bytes:
    """Five million shared strings."""
    count = int(5_000_000 * scale)
    return xlsx_with({STRINGS: lambda: [STRINGS_HEAD, *_repeat(b"<si><t>x</t></si>", count), b"</sst>"]})


def huge_shared_string(scale: float = 1.0) -> bytes:
    """One shared string of 700 MB, used by a cell of the sheet."""
    size = int(700 * MIB * scale)
    return xlsx_with({STRINGS: lambda: [STRINGS_HEAD, b"<si><t>", *_repeat(b"3", size), b"</t></si></sst>"]})


def understated(scale: float = 1.0) -> bytes:
    """A giant sheet whose headers state it is 100 bytes once inflated: the CRC check must catch the lie."""
    data = bytearray(huge_inline_cell(scale))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local, position = archive.getinfo(SHEET).header_offset, archive.start_dir
    struct.pack_into("<I", data, local + 22, 100)  # the local header's uncompressed size
    while data[position:position + 4] == b"PK\x01\x02":  # the central directory's entries
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46:position + 46 + name_length] == SHEET.encode():
            struct.pack_into("<I", data, position + 24, 100)
        position += 46 + name_length + extra_length + comment_length
    return bytes(data)


def deep_xml(scale: float = 1.0) -> bytes:
    """340,000 unclosed tags: under a MiB inflated, yet a tree 340,000 deep for a parser that builds one."""
    count = int(340_000 * min(scale * 50, 1.0))  # within the size limit at any scale: nesting is the bomb
    return xlsx_with({SHEET: lambda: [SHEET_HEAD[:-len(b"</row>")], *_repeat(b"<x>", count)]})


def wide_row(scale: float = 1.0) -> bytes:
    """One row of 200,000 empty cells: a library builds a row whole before handing out its cells."""
    count = int(200_000 * min(scale * 50, 1.0))
    return xlsx_with({SHEET: lambda: [SHEET_HEAD, b"<row>", *_repeat(b"<c/>", count), b"</row>", SHEET_TAIL]})


def deep_json(depth: int = 500_000) -> bytes:
    """Brackets nested `depth` deep."""
    return b"[" * depth + b"]" * depth


def long_number(digits: int = 5000) -> bytes:
    """A levels object whose one value has `digits` nines."""
    return b'{"I01": ' + b"9" * digits + b"}"


XLSX_BOMBS: dict[str, Callable[[float], bytes]] = {
    "inline cell of 700 MB": huge_inline_cell,
    "3 million rows": many_rows,
    "5 million shared strings": many_shared_strings,
    "shared string of 700 MB": huge_shared_string,
    "sheet size understated": understated,
    "340,000 nested XML tags": deep_xml,
    "row of 200,000 cells": wide_row,
}
JSON_BOMBS: dict[str, Callable[[], bytes]] = {
    "500,000 nested brackets": deep_json,
    "number of 5,000 digits": long_number,
}
