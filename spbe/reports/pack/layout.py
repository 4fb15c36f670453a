"""Where things go in a pack: filesystem-safe, length-limited names and the folder of each indicator."""

from __future__ import annotations

import re
import unicodedata

from spbe.method.rubric import Indicator, Rubric

GROUP_LIMIT = 56  # characters of a domain or aspect name kept in its folder name (every spbe-2021 one fits)
INDICATOR_LIMIT = 64
FILE_LIMIT = 80  # a whole evidence file name, number and extension included
COVER = "00 Lembar indikator.html"
_UNSAFE = re.compile(r'[<>:"|?*\\/]')  # forbidden on Windows (the asesor's usual computer) or as separators
_DANGLING = " .,;:-–—(/"  # what a shortened name must not end with ("… Negara -")


def safe_name(text: str, limit: int) -> str:
    """A name any filesystem accepts (Unicode kept, NFC), shortened at a word boundary; callers prefix a code.

    Only a single word longer than the limit is cut inside itself; a shortened name never ends in a dangling
    separator. The full name stays in the pack's index and cover sheets.
    """
    name = unicodedata.normalize("NFC", text)
    name = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in name)
    name = " ".join(_UNSAFE.sub("-", name).split())
    if len(name) > limit:
        space = name[: limit + 1].rfind(" ")
        name = (name[:space].rstrip(_DANGLING) if space > 0 else "") or name[:limit]
    return name.rstrip(". ") or "tanpa nama"


def numbered_file(number: int, title: str, original: str) -> str:
    """'01 <title>.pdf': the evidence title as the name, the extension of the uploaded file."""
    stem, dot, extension = original.rpartition(".")
    suffix = f".{safe_name(extension, 10).lower()}" if dot and stem else ""
    prefix = f"{number:02d} "
    return prefix + safe_name(title, FILE_LIMIT - len(prefix) - len(suffix)) + suffix


def butir_file(portal_code: str, original: str, title: str) -> str:
    """'I17-L2-01 <original name>.pdf': the portal's upload slot first, then the uploaded file's name.

    A file uploaded without a usable name (no stem) takes the evidence title instead.
    """
    stem, dot, extension = original.rpartition(".")
    if not (dot and stem):
        stem, extension = original or title, ""
    suffix = f".{safe_name(extension, 10).lower()}" if extension else ""
    prefix = f"{portal_code} "
    return prefix + safe_name(stem, FILE_LIMIT - len(prefix) - len(suffix)) + suffix


def level_folder(rubric: Rubric, indicator: Indicator, level: int) -> str:
    """'L2 Membangun': the level's folder inside its indicator's, named like the L of a butir code."""
    return f"L{level} {safe_name(rubric.level_name(indicator, level), GROUP_LIMIT)}"


def unique(name: str, taken: set[str]) -> str:
    """The name, or 'name (2).pdf', 'name (3).pdf', … when taken; the name returned is added to `taken`."""
    stem, dot, extension = name.rpartition(".")
    if not dot or "/" in extension:
        stem, extension = name, ""
    found, n = name, 1
    while found.casefold() in taken:
        n += 1
        found = f"{stem} ({n}).{extension}" if extension else f"{stem} ({n})"
    taken.add(found.casefold())
    return found


def _code(letter: str, number: int, width: int) -> str:
    return f"{letter}{number:0{width}d}"


def indicator_folder(rubric: Rubric, indicator: Indicator) -> str:
    """'D1 Kebijakan Internal SPBE/A1 Kebijakan Internal …/I01 Tingkat Kematangan …' (no domain level without domains)."""
    meta = rubric.meta
    aspect = rubric.aspect_by_id[indicator.aspect]
    parts = []
    if aspect.domain:
        domain = rubric.domain_by_id[aspect.domain]
        parts.append(f"{_code('D', domain.number, len(str(len(meta.domains))))} "
                     f"{safe_name(domain.name, GROUP_LIMIT)}")
    parts.append(f"{_code('A', aspect.number, len(str(len(meta.aspects))))} {safe_name(aspect.name, GROUP_LIMIT)}")
    width = max(2, len(str(len(rubric.indicators))))
    parts.append(f"{_code('I', indicator.number, width)} {safe_name(indicator.name, INDICATOR_LIMIT)}")
    return "/".join(parts)


def parts_of(rubric: Rubric) -> dict[str, str]:
    """The pieces a pack can be limited to: the domains, or the aspects of a rubric without domains."""
    if rubric.meta.domains:
        return {d.id: d.name for d in rubric.meta.domains}
    return {a.id: a.name for a in rubric.meta.aspects}


def in_part(rubric: Rubric, indicator: Indicator, part: str | None) -> bool:
    """Whether an indicator belongs to the chosen piece (every indicator when none is chosen)."""
    if part is None:
        return True
    aspect = rubric.aspect_by_id[indicator.aspect]
    return part == (aspect.domain or aspect.id)
