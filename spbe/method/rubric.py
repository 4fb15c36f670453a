"""Rubric versions as checked data: load a rubric folder into frozen models and refuse anything inconsistent.

A rubric folder holds `rubric.yaml` (metadata, value range, level scales, predikat bands, domains,
aspects) and `indicators/<ID>.yaml`, one file per indicator. Pure Python: no web or ORM imports.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.util import source_hash
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from spbe.method.disk_cache import cache_root, pickled
from spbe.resources import rubric_dir

SCHEMA_VERSION = 1
DEFAULT_RUBRIC_ID = "spbe-2021"


class RubricError(ValueError):
    """A rubric folder that cannot be used; the message names the file, the field and the reason."""


class Rule:
    """Constraints on a field (pattern, min_length, gt…) that pydantic applies when a file is validated.

    The rubric's classes are plain dataclasses, so `spbe score` starts without importing pydantic; pydantic
    reads these annotations only when rubric files are validated (`load_rubric`).
    """

    def __init__(self, **constraints: Any) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field

        return handler.generate_schema(Annotated[source, Field(**self.constraints)])


class _Frozen:
    """Base of the rubric's frozen dataclasses: unknown fields in a file are refused."""

    __pydantic_config__ = {"extra": "forbid"}


frozen = dataclass(frozen=True, kw_only=True)
Id = Annotated[str, Rule(pattern=r"^[A-Z][0-9]{1,3}$")]
Text = Annotated[str, Rule(min_length=1)]
Weight = Annotated[Decimal, Rule(gt=0)]
# How sure a text is: seen in the regulation, in secondary sources, in disagreeing sources, our own deduction,
# or not known at all (the source gives filler or nothing; the text then says so plainly).
Confidence = Literal["verified", "secondary", "conflicting", "inferred", "unknown"]
# A butir code in the portal's form I{n}-L{l}-{NN}: indicator number without zero-padding, level, position.
ButirCode = Annotated[str, Rule(pattern=r"^I[1-9][0-9]*-L[1-9]-(0[1-9]|[1-9][0-9])$")]
# Parts of a level the source leaves unknown (filler or absent); their text says so plainly.
UnknownPart = Literal["criteria", "conditions", "butir"]


@frozen
class LevelName(_Frozen):
    """The name and meaning of one step of a level scale (e.g. 3 = Terstandarisasi)."""

    name: Text
    description: Text
    confidence: Confidence | None = None


@frozen
class Scale(_Frozen):
    """A level scale such as kapabilitas proses or kapabilitas fungsi teknis."""

    name: Text
    levels: dict[int, LevelName]


@frozen
class Band(_Frozen):
    """A predikat band [min, max); the highest band also includes its max."""

    name: Text
    min: Decimal
    max: Decimal


@frozen
class ValueRange(_Frozen):
    """The values an indicator may take: whole levels (decimals 0) or decimal values."""

    min: int
    max: int
    decimals: Annotated[int, Rule(ge=0, le=4)]


@frozen
class Domain(_Frozen):
    """A domain: a group of aspects with its share of the index."""

    id: Id
    number: int
    name: Text
    weight: Weight


@frozen
class Aspect(_Frozen):
    """An aspect: a group of indicators with its share of the index, inside a domain when the rubric has domains."""

    id: Id
    number: int
    name: Text
    weight: Weight
    domain: Id | None = None


@frozen
class Butir(_Frozen):
    """One evidence item of a level: stable code, portal code, and what the document must show."""

    code: ButirCode
    portal_code: ButirCode
    title: Text
    must_show: Text
    threshold: Text | None = None
    confidence: Confidence
    note: Text | None = None


@frozen
class IndexBand(_Frozen):
    """The external index range [min, max) of a level; the top level includes its max."""

    min: Decimal
    max: Decimal


@frozen
class LevelCriteria(_Frozen):
    """What one level of an indicator requires, and the evidence (butir or a plain list) it is judged on."""

    criteria: Text
    conditions: Text | None = None
    evidence: list[Text] = field(default_factory=list)
    butir: list[Butir] = field(default_factory=list)
    band: IndexBand | None = None
    unknown: list[UnknownPart] = field(default_factory=list)
    confidence: Confidence | None = None
    note: Text | None = None

    @property
    def checklist(self) -> list[str]:
        """The evidence expected for this level: 'portal code — title' per butir, else the plain list."""
        return [f"{b.portal_code} — {b.title}" for b in self.butir] or list(self.evidence)

    def __post_init__(self) -> None:
        if self.evidence and self.butir:
            raise ValueError("a level lists its butir or a plain evidence list, not both")
        if not (self.evidence or self.butir or "butir" in self.unknown):
            raise ValueError("a level needs its butir or an evidence list (or `unknown: [butir]`)")
        if ("criteria" in self.unknown) != (self.confidence == "unknown"):
            raise ValueError("criteria marked unknown go with confidence 'unknown', and only they do")
        if "conditions" in self.unknown and not self.conditions:
            raise ValueError("conditions marked unknown still say so in `conditions`")
        if self.butir and ("butir" in self.unknown) != any(b.confidence == "unknown" for b in self.butir):
            raise ValueError("`unknown: [butir]` goes with a butir of confidence 'unknown', and only then")
        for b in self.butir:
            if b.portal_code != b.code and not b.note:
                raise ValueError(f"butir {b.code}: portal_code {b.portal_code} differs; say why in `note`")


@frozen
class External(_Frozen):
    """An indicator valued from another agency's index: the source, its range and the conversion table.

    `points` are [source index, indicator value] pairs; values between points are linear. `fallback`
    marks a table the toolkit chose because no rule was found.
    """

    source: Text
    agency: Text
    input_min: Decimal
    input_max: Decimal
    points: Annotated[list[tuple[Decimal, Decimal]], Rule(min_length=2)]
    confidence: Confidence
    fallback: bool = False
    note: Text


@frozen
class Indicator(_Frozen):
    """One indicator: its official name, place in the structure, weight and per-level criteria."""

    id: Id
    number: int
    name: Text
    aliases: list[Text] = field(default_factory=list)
    aspect: Id
    weight: Weight
    scale: Text
    explanation: Text
    evidence_general: Text
    levels: dict[int, LevelCriteria]
    external: External | None = None


@frozen
class RubricMeta(_Frozen):
    """The contents of rubric.yaml."""

    id: Annotated[str, Rule(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Text
    short_title: Text
    regulations: Annotated[list[Text], Rule(min_length=1)]
    cycles: list[int]
    version: Text
    schema_version: int
    provisional: bool
    values: ValueRange
    index_name: Text
    scales: dict[str, Scale]
    bands: Annotated[list[Band], Rule(min_length=1)]
    domains: list[Domain]
    aspects: Annotated[list[Aspect], Rule(min_length=1)]


@frozen
class Rubric(_Frozen):
    """A whole, validated rubric version."""

    meta: RubricMeta
    indicators: tuple[Indicator, ...]

    @property
    def id(self) -> str:
        return self.meta.id

    @functools.cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @functools.cached_property
    def aspect_by_id(self) -> dict[str, Aspect]:
        return {a.id: a for a in self.meta.aspects}

    @functools.cached_property
    def external_ids(self) -> frozenset[str]:
        """Indicators valued from another agency's index: not self-assessed, kept fixed by the advisor."""
        return frozenset(i.id for i in self.indicators if i.external)

    @functools.cached_property
    def _butir_by(self) -> dict[str, dict[str, Butir]]:
        every = [b for ind in self.indicators for b in self.butir(ind.id)]
        return {"code": {b.code: b for b in every}, "portal_code": {b.portal_code: b for b in every}}

    @functools.cached_property
    def lists_butir(self) -> bool:
        """True when levels list butir (pemdi-2026); asked on every questionnaire request, so found once."""
        return bool(self._butir_by["code"])

    def butir(self, indicator_id: str) -> list[Butir]:
        """The butir of one indicator, level by level in the order the rubric lists them."""
        levels = self.indicator_by_id[indicator_id].levels
        return [b for n in sorted(levels) for b in levels[n].butir]

    def butir_by_code(self, code: str, portal: bool = False) -> Butir:
        """The butir with this code ('I1-L1-01' or 'I01-L1-01'); with portal=True, by its portal code."""
        key = normalise_butir_code(code)
        found = self._butir_by["portal_code" if portal else "code"].get(key)
        if found is None:
            raise KeyError(f"rubric {self.id} has no butir with {'portal code' if portal else 'code'} {key}")
        return found

    @functools.cached_property
    def domain_by_id(self) -> dict[str, Domain]:
        return {d.id: d for d in self.meta.domains}

    @functools.cached_property
    def _members(self) -> dict[str, tuple[Indicator, ...]]:
        groups: dict[str, list[Indicator]] = {g: [] for g in [*self.aspect_by_id, *self.domain_by_id]}
        for ind in self.indicators:
            groups[ind.aspect].append(ind)
            domain = self.aspect_by_id[ind.aspect].domain
            if domain:
                groups[domain].append(ind)
        return {g: tuple(members) for g, members in groups.items()}

    def indicators_of_aspect(self, aspect_id: str) -> tuple[Indicator, ...]:
        return self._members[aspect_id]

    def indicators_of_domain(self, domain_id: str) -> tuple[Indicator, ...]:
        return self._members[domain_id]

    def aspects_of_domain(self, domain_id: str) -> list[Aspect]:
        return [a for a in self.meta.aspects if a.domain == domain_id]

    def level_name(self, indicator: Indicator, level: int) -> str:
        """Name of a whole level on the indicator's scale (e.g. 'Terstandarisasi')."""
        return self.meta.scales[indicator.scale].levels[level].name

    def predikat(self, published: Decimal) -> str:
        """Predikat of a published (rounded) value from the rubric's bands."""
        bands = self.meta.bands
        for band in bands:
            if band.min <= published < band.max:
                return band.name
        if published == bands[-1].max:
            return bands[-1].name
        raise ValueError(f"{published} is outside the scale of rubric {self.id}")

    def __post_init__(self) -> None:
        problems = list(_problems(self.meta, self.indicators))
        if problems:
            raise ValueError("; ".join(problems))


_CODE_FORMS = re.compile(r"I0*([1-9][0-9]*)-L0*([1-9])-0*([1-9][0-9]?)", re.IGNORECASE)


def normalise_butir_code(code: str) -> str:
    """A butir code in the portal's form: 'I01-L1-01', 'i1-l1-1' and 'I1-L1-01' all give 'I1-L1-01'."""
    found = _CODE_FORMS.fullmatch(code.strip())
    if found is None:
        raise ValueError(f"{code!r} is not a butir code such as I1-L1-01")
    n, level, position = (int(g) for g in found.groups())
    return f"I{n}-L{level}-{position:02d}"


def _problems(meta: RubricMeta, indicators: tuple[Indicator, ...]) -> Iterator[str]:
    """Yield every structural inconsistency, so one run shows all of them."""
    if meta.schema_version != SCHEMA_VERSION:
        yield f"schema_version {meta.schema_version} is not supported (expected {SCHEMA_VERSION})"
    levels = set(range(meta.values.min, meta.values.max + 1))
    for key, scale in meta.scales.items():
        if set(scale.levels) != levels:
            yield f"scales.{key}.levels must be exactly {sorted(levels)}, got {sorted(scale.levels)}"
    yield from _duplicates("domains", [d.id for d in meta.domains])
    yield from _duplicates("aspects", [a.id for a in meta.aspects])
    yield from _duplicates("indicators", [i.id for i in indicators])
    domain_ids = {d.id for d in meta.domains}
    for a in meta.aspects:
        if meta.domains and a.domain not in domain_ids:
            yield f"aspect {a.id}: domain {a.domain!r} does not exist"
        if not meta.domains and a.domain is not None:
            yield f"aspect {a.id}: domain {a.domain!r} given but the rubric has no domains"
    aspect_ids = {a.id for a in meta.aspects}
    for ind in indicators:
        if ind.aspect not in aspect_ids:
            yield f"indicator {ind.id}: aspect {ind.aspect!r} does not exist"
        if ind.scale not in meta.scales:
            yield f"indicator {ind.id}: scale {ind.scale!r} does not exist"
        if set(ind.levels) != levels:
            yield f"indicator {ind.id}: levels must be exactly {sorted(levels)}, got {sorted(ind.levels)}"
        if ind.external:
            yield from _external_problems(meta, ind.id, ind.external)
    uses_butir = any(lv.butir for ind in indicators for lv in ind.levels.values())
    yield from _butir_problems(indicators, uses_butir)
    yield from _level_band_problems(meta, indicators, uses_butir)
    for a in meta.aspects:
        total = sum((i.weight for i in indicators if i.aspect == a.id), Decimal(0))
        if total != a.weight:
            yield f"aspect {a.id}: indicator weights add up to {total}, not to the aspect weight {a.weight}"
    for d in meta.domains:
        total = sum((a.weight for a in meta.aspects if a.domain == d.id), Decimal(0))
        if total != d.weight:
            yield f"domain {d.id}: aspect weights add up to {total}, not to the domain weight {d.weight}"
    top = meta.domains or meta.aspects
    top_total = sum((x.weight for x in top), Decimal(0))
    if top_total != 100:
        yield f"{'domain' if meta.domains else 'aspect'} weights add up to {top_total}, not to 100"
    yield from _band_problems(meta)


def _external_problems(meta: RubricMeta, ind_id: str, ext: External) -> Iterator[str]:
    where = f"indicator {ind_id}: external"
    if meta.values.decimals == 0:
        yield f"{where}: a converted index needs a rubric with decimal values (values.decimals > 0)"
    if ext.input_min >= ext.input_max:
        yield f"{where}: input_min {ext.input_min} must be below input_max {ext.input_max}"
    xs = [x for x, _ in ext.points]
    if xs[0] != ext.input_min or xs[-1] != ext.input_max:
        yield f"{where}: points must run from input_min {ext.input_min} to input_max {ext.input_max}"
    if any(a >= b for a, b in itertools.pairwise(xs)):
        yield f"{where}: point sources must increase strictly, got {', '.join(map(str, xs))}"
    ys = [y for _, y in ext.points]
    if any(not meta.values.min <= y <= meta.values.max for y in ys):
        yield f"{where}: point values must lie within {meta.values.min}–{meta.values.max}"
    if any(a > b for a, b in itertools.pairwise(ys)):
        yield f"{where}: point values must not decrease"


def _butir_problems(indicators: tuple[Indicator, ...], uses_butir: bool) -> Iterator[str]:
    """Butir codes unique and in their place; in a rubric with butir each self-assessed level has some."""
    seen: dict[tuple[str, str], str] = {}
    for ind in indicators:
        for n, lv in sorted(ind.levels.items()):
            where = f"indicators/{ind.id}.yaml: field levels.{n}"
            if uses_butir and not ind.external and not lv.butir and "butir" not in lv.unknown:
                yield f"{where}.butir: a self-assessed level needs at least one butir (or `unknown: [butir]`)"
            for k, b in enumerate(lv.butir):
                for name in ("code", "portal_code"):
                    code, place = getattr(b, name), f"{where}.butir.{k}.{name}"
                    if not code.startswith(f"I{ind.number}-L{n}-"):
                        yield f"{place}: {code} does not belong to indicator {ind.number} level {n}"
                    first = seen.setdefault((name, code), place)
                    if first != place:
                        yield f"{place}: {code} is used more than once (first at {first})"


def _level_band_problems(
    meta: RubricMeta, indicators: tuple[Indicator, ...], uses_butir: bool
) -> Iterator[str]:
    """An external indicator's level bands tile its input range and convert to the predikat band of that rank.

    In a rubric with butir every external indicator keeps its bands; a self-assessed one has none.
    """
    for ind in indicators:
        where = f"indicators/{ind.id}.yaml: field levels"
        bands = {n: lv.band for n, lv in sorted(ind.levels.items()) if lv.band}
        if not ind.external:
            for n in bands:
                yield f"{where}.{n}.band: only an indicator valued from an external index has bands"
            continue
        if not bands and not uses_butir:
            continue
        missing = [n for n in sorted(ind.levels) if n not in bands]
        if missing:
            yield f"{where}.{missing[0]}.band: an external-index indicator gives the band of every level"
            continue
        ext, ranked = ind.external, list(bands.items())
        if ranked[0][1].min != ext.input_min or ranked[-1][1].max != ext.input_max:
            yield f"{where}: the bands must run from input_min {ext.input_min} to input_max {ext.input_max}"
        for (n, low), (_, high) in itertools.pairwise(ranked):
            if low.max != high.min:
                yield f"{where}.{n}.band: ends at {low.max}, but the next level starts at {high.min}"
        if len(meta.bands) != len(ranked):
            continue
        for (n, band), predikat in zip(ranked, meta.bands, strict=True):
            converted = (_interpolate(ext.points, band.min), _interpolate(ext.points, band.max))
            if converted != (predikat.min, predikat.max):
                yield (f"{where}.{n}.band: {band.min}–{band.max} converts to {converted[0]}–{converted[1]}, "
                       f"not to the predikat band {predikat.name} ({predikat.min}–{predikat.max})")


def _interpolate(points: list[tuple[Decimal, Decimal]], x: Decimal) -> Decimal:
    """The conversion table's value at x (linear between points), for checking level bands."""
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x0 <= x <= x1:
            return y0 + (x - x0) * (y1 - y0) / (x1 - x0)
    return Decimal("NaN")


def _duplicates(what: str, ids: list[str]) -> Iterator[str]:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            yield f"{what}: id {i} is used more than once"
        seen.add(i)


def _band_problems(meta: RubricMeta) -> Iterator[str]:
    bands = meta.bands
    if bands[0].min != meta.values.min:
        yield f"bands: the first band starts at {bands[0].min}, not at the scale minimum {meta.values.min}"
    if bands[-1].max != meta.values.max:
        yield f"bands: the last band ends at {bands[-1].max}, not at the scale maximum {meta.values.max}"
    for band in bands:
        if band.min >= band.max:
            yield f"bands: {band.name} is empty ({band.min} to {band.max})"
    for low, high in zip(bands, bands[1:], strict=False):
        if low.max < high.min:
            yield f"bands: gap between {low.name} (ends {low.max}) and {high.name} (starts {high.min})"
        if low.max > high.min:
            yield f"bands: {low.name} (ends {low.max}) overlaps {high.name} (starts {high.min})"


M = TypeVar("M")


@functools.cache
def decimal_loader() -> type:
    """YAML loader that reads every float as an exact Decimal (1.3 stays 1.3); PyYAML imported only here.

    libyaml's parser in C when PyYAML was built with it (the wheels are): ten times faster than the pure-Python
    one on the rubric's 48 files, same result (tests/test_rubric_yaml.py).
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = type("DecimalLoader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))
    return loader


def read_yaml(path: Path) -> object:
    """Read a YAML data file with exact decimals; raise RubricError naming the file."""
    import yaml

    try:
        with path.open(encoding="utf-8") as f:
            return yaml.load(f, Loader=decimal_loader())
    except OSError as e:
        raise RubricError(f"{path}: cannot be read ({e.strerror})") from e
    except yaml.YAMLError as e:
        raise RubricError(f"{path}: not valid YAML ({e})") from e


@functools.cache
def _adapter(model: type) -> Any:
    """pydantic's validator of a model or dataclass, built once per type (and pydantic imported only here)."""
    from pydantic import TypeAdapter

    return TypeAdapter(model)


def validate_file(model: type[M], data: object, path: Path) -> M:
    """Validate a file's data into a model; raise RubricError naming the file and the first bad field."""
    from pydantic import ValidationError

    try:
        return _adapter(model).validate_python(data)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(file)"
        # A dataclass says "Unexpected keyword argument" where a file has a field the schema does not know.
        message = "Extra inputs are not permitted" if err["type"] == "unexpected_keyword_argument" else err["msg"]
        raise RubricError(f"{path}: field {field}: {message}") from e


def load_rubric(folder: Path | str) -> Rubric:
    """Load and validate one rubric folder; raise RubricError naming the file, field and reason."""
    folder = Path(folder)
    meta_path = folder / "rubric.yaml"
    meta = validate_file(RubricMeta, read_yaml(meta_path), meta_path)
    files = sorted((folder / "indicators").glob("*.yaml"))
    if not files:
        raise RubricError(f"{folder / 'indicators'}: no indicator files")
    indicators = []
    for path in files:
        ind = validate_file(Indicator, read_yaml(path), path)
        if path.stem != ind.id:
            raise RubricError(f"{path}: field id: {ind.id!r} does not match the file name")
        indicators.append(ind)
    indicators.sort(key=lambda i: i.number)
    try:
        return Rubric(meta=meta, indicators=tuple(indicators))
    except ValueError as e:
        raise RubricError(f"{folder}: {e}") from e


def cache_dir() -> Path:
    """Where validated rubrics are kept between runs: $XDG_CACHE_HOME/spbe/rubric (~/.cache/spbe/rubric)."""
    return cache_root() / "rubric"


def _content_key(folder: Path) -> str:
    """A hash of the rubric's files and of this module (the shape of the pickled classes).

    The 64-bit SipHash Python keys its own checked `.pyc` files with: unlike hashlib it loads no OpenSSL,
    which cost `spbe score` more than hashing the files.
    """
    files = [folder / "rubric.yaml", *sorted((folder / "indicators").glob("*.yaml"))]
    parts = [Path(__file__).read_bytes()]
    for path in files:
        data = path.read_bytes()
        parts += [f"\0{path.relative_to(folder)}\0{len(data)}\0".encode(), data]
    return source_hash(b"".join(parts)).hex()


def load_rubric_cached(folder: Path) -> Rubric:
    """`load_rubric` through a cache keyed by the files' content: a hit skips YAML parsing and validation.

    Only a rubric that passed validation is stored; a cache that cannot be read or written is passed by.
    """
    try:
        path = cache_dir() / f"{_content_key(folder)}.pickle"
    except (OSError, RuntimeError):  # a file gone (load_rubric says which), or no home folder to cache in
        return load_rubric(folder)
    return pickled(path, Rubric, lambda: load_rubric(folder))


def rubric_root() -> Path:
    """The folder holding the rubric versions: $SPBE_RUBRIC_DIR or the rubric/ shipped with spbe."""
    return _root_of(os.environ.get("SPBE_RUBRIC_DIR"))


@functools.cache
def _root_of(configured: str | None) -> Path:
    """The rubric root for one value of $SPBE_RUBRIC_DIR, resolved once (a page asks for it several times)."""
    return Path(configured or rubric_dir())


def available_rubrics(root: Path | None = None) -> list[str]:
    """Ids of the rubric folders under the root, sorted."""
    root = root or rubric_root()
    return sorted(p.name for p in root.iterdir() if (p / "rubric.yaml").is_file())


@functools.cache
def _cached(folder: str, stamp: float) -> Rubric:
    return load_rubric_cached(Path(folder))


RECHECK_SECONDS = 1.0  # how stale a rubric being edited may look; a request otherwise stats 48+ files
_checked: dict[tuple[Path, str], tuple[float, Rubric]] = {}  # (root, id) -> (time of the check, rubric)
# One thread loads a rubric while the others wait for it: twenty requests reaching a fresh server at once
# used to parse and validate the same 48 files twenty times over, each taking twenty times as long.
_loading = threading.RLock()


def get_rubric(rubric_id: str = DEFAULT_RUBRIC_ID, root: Path | None = None) -> Rubric:
    """Load a rubric version by id (cached until its files change; a change is seen within RECHECK_SECONDS)."""
    root = root or rubric_root()
    now = time.monotonic()
    recent = _checked.get((root, rubric_id))  # no path built or resolved while the check is recent
    if recent is not None and now - recent[0] < RECHECK_SECONDS:
        return recent[1]
    folder = root / rubric_id
    if not (folder / "rubric.yaml").is_file():
        known = ", ".join(available_rubrics(root)) or "none"
        raise RubricError(f"unknown rubric {rubric_id!r} (available: {known})")
    stamp = max(p.stat().st_mtime for p in [folder / "rubric.yaml", *folder.glob("indicators/*.yaml")])
    with _loading:
        rubric = _cached(str(folder), stamp)
    _checked[(root, rubric_id)] = (now, rubric)
    return rubric
