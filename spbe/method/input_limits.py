"""Limits on what a user's file may make the app build: JSON depth and number size, ZIP members' sizes.

A small file can describe a huge thing (a 700 MB spreadsheet cell in 715 KB, half a million nested
brackets, a number of 5,000 digits), so each is refused before memory is spent on it, with a message in
Bahasa Indonesia. The ZIP limits are read from the archive's directory: Python's zipfile never inflates a
member beyond the size the directory states (a member that would is damaged: its CRC fails).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import zipfile

MAX_JSON_DEPTH = 32  # a levels file is one object; a backup row is flat; the API's bodies are two deep
MAX_XML_DEPTH = 64  # a worksheet nests six deep; 350,000 unclosed tags fit in one MiB
MAX_XML_ELEMENTS = 250_000  # all XML parts of a spreadsheet together (10,000 rows of two cells: 70,000)
MAX_XML_CHILDREN = 20_000  # of one element: rows of a sheet, cells of a row (a library builds a row whole)
XML_CHUNK = 64 * 1024
MAX_NUMBER_CHARS = 40  # digits, sign, point and exponent of one JSON number (a level has one or two)
# A string (skipped whole; an unterminated one runs to the end, so the scan stays linear) or a bracket.
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.?)*+(?:"|$)|[\[\]{}]', re.DOTALL)


class XmlDamaged(ValueError):
    """An XML part of an archive that is not well-formed; the message is the parser's."""


class InputTooLarge(ValueError):
    """Input over one of the limits; the message (Bahasa Indonesia) names the limit, not the input."""


def check_json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than `limit`, scanning brackets outside strings, before it is parsed."""
    depth = 0
    for token in _STRUCTURE.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > limit:
                raise InputTooLarge(f"JSON bersarang lebih dari {limit} tingkat")
        elif mark in "]}":
            depth -= 1


def _integer(text: str) -> int:
    """A JSON integer, refused beyond MAX_NUMBER_CHARS before int() spends time on it."""
    if len(text) > MAX_NUMBER_CHARS:
        raise InputTooLarge(f"angka JSON lebih dari {MAX_NUMBER_CHARS} karakter")
    return int(text)


def _decimal(text: str) -> Decimal:
    """A JSON number with a point or exponent as an exact Decimal, refused beyond MAX_NUMBER_CHARS."""
    if len(text) > MAX_NUMBER_CHARS:
        raise InputTooLarge(f"angka JSON lebih dari {MAX_NUMBER_CHARS} karakter")
    return Decimal(text)


def _float(text: str) -> float:
    """A JSON number with a point or exponent as a float, refused beyond MAX_NUMBER_CHARS."""
    if len(text) > MAX_NUMBER_CHARS:
        raise InputTooLarge(f"angka JSON lebih dari {MAX_NUMBER_CHARS} karakter")
    return float(text)


def load_json(text: str | bytes, *, decimals: bool = False, depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads within the limits: InputTooLarge for deep nesting or long numbers, ValueError if malformed.

    With `decimals`, numbers with a point or exponent are read as Decimal (never rounded by a float).
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    check_json_depth(text, depth)
    import json  # here: `spbe score` of a CSV file does not load it

    return json.loads(text, parse_int=_integer, parse_float=_decimal if decimals else _float)


def _count(n: int) -> str:
    """A number with Indonesian thousands separators: 1.048.576."""
    return f"{n:,}".replace(",", ".")


def check_zip(archive: zipfile.ZipFile, max_member: int, max_total: int, max_members: int = 1000) -> None:
    """Refuse an archive whose members, as its directory states them, inflate beyond the limits."""
    members = archive.infolist()
    if len(members) > max_members:
        raise InputTooLarge(f"arsip berisi lebih dari {_count(max_members)} berkas")
    for info in members:
        if info.file_size > max_member:
            raise InputTooLarge(f"bagian {info.filename[:80]!r} arsip berukuran {_count(info.file_size)} "
                                f"byte setelah dibuka, lebih dari batas {_count(max_member)} byte")
    total = sum(info.file_size for info in members)
    if total > max_total:
        raise InputTooLarge(f"isi arsip berukuran {_count(total)} byte setelah dibuka, lebih dari batas "
                            f"{_count(max_total)} byte")


def check_xml_parts(archive: zipfile.ZipFile, max_depth: int = MAX_XML_DEPTH,
                    max_elements: int = MAX_XML_ELEMENTS, max_children: int = MAX_XML_CHILDREN) -> None:
    """Stream every XML part through expat (no tree is built), refusing deep nesting, too many elements or
    children of one element, and any DOCTYPE (entities), before a library builds anything from them.

    Call after check_zip, which bounds what each part inflates to.
    """
    from xml.parsers import expat  # imported here: `spbe score` reads no XML

    elements = 0
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        name = repr(info.filename[:80])
        children = [0]  # per open element, how many children it has had so far
        parser = expat.ParserCreate()

        def start(_tag: str, _attributes: dict[str, str]) -> None:
            """Count an opening tag against the depth, children and element limits."""
            nonlocal elements
            elements += 1
            children[-1] += 1
            children.append(0)
            if len(children) > max_depth + 1:
                raise InputTooLarge(f"XML {name} bersarang lebih dari {max_depth} tingkat")
            if children[-2] > max_children:
                raise InputTooLarge(f"satu elemen XML {name} berisi lebih dari {_count(max_children)} elemen")
            if elements > max_elements:
                raise InputTooLarge(f"bagian XML arsip berisi lebih dari {_count(max_elements)} elemen")

        def end(_tag: str) -> None:
            """Close the innermost element."""
            children.pop()

        def doctype(*_: object) -> None:
            """Refuse a DOCTYPE: spreadsheets have none, and entities can expand without bound."""
            raise InputTooLarge(f"XML {name} memuat DOCTYPE (tidak diizinkan)")

        parser.StartElementHandler, parser.EndElementHandler = start, end
        parser.StartDoctypeDeclHandler = doctype
        try:
            with archive.open(info) as member:
                while chunk := member.read(XML_CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as e:
            raise XmlDamaged(f"{info.filename[:80]}: {e}") from None
