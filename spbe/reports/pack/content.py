"""What goes into a pack, read from the database once: answers, last year's values, the evidence on disk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, col, select

from spbe.method.butir import parse_code
from spbe.method.evidence_rules import (
    chosen_level,
    date_warning,
    evaluation_period,
    evidence_expected,
    today_in_indonesia,
)
from spbe.method.rubric import Butir, Indicator, Rubric, get_rubric
from spbe.method.scoring import Score, score
from spbe.reports.pack.butir_index import ButirLine, collect_butir
from spbe.reports.pack.layout import (
    butir_file,
    in_part,
    indicator_folder,
    level_folder,
    numbered_file,
    parts_of,
    unique,
)
from spbe.services import assessments
from spbe.services import butir as butir_service
from spbe.store import queries
from spbe.store.evidence_files import path_of
from spbe.store.models import Answer, Assessment, Evidence, EvidenceKind, Instansi, StoredFile


class UnknownPart(ValueError):
    """A domain (or aspect, for rubrics without domains) the rubric does not have; the message is Indonesian."""


COPY_LIMIT = 10 * 1024 * 1024  # a file serving several butir is copied into each one's folder up to this size


@dataclass(frozen=True)
class Place:
    """Where (a copy of) a file sits in its indicator's folder, and the butir (portal codes) it serves."""

    name: str
    butir: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileItem:
    """An evidence file as it goes into the pack; `path` is None when its content is missing on disk.

    An SPBE file has one place (`01 <title>.pdf`); a Pemdi file serving butir has one per butir, in the
    butir's level folder (`L2 Membangun/I17-L2-01 <original name>.pdf`), or one place naming them all
    when it is larger than COPY_LIMIT.
    """

    evidence: Evidence
    stored: StoredFile
    places: tuple[Place, ...]
    path: Path | None

    @property
    def name(self) -> str:
        """Its (first) path inside the indicator's folder."""
        return self.places[0].name

    def name_at(self, level: int) -> str:
        """Its copy in a level's folder (`L2 …/`) if it has one, else its first place."""
        return next((p.name for p in self.places if p.name.startswith(f"L{level} ")), self.name)

    @property
    def butir(self) -> tuple[str, ...]:
        """The portal codes of every butir it serves."""
        return tuple(code for place in self.places for code in place.butir)

    @property
    def missing(self) -> bool:
        return self.path is None


@dataclass(frozen=True)
class IndicatorContent:
    """One indicator of the pack: its answer, last year's value and its (non-internal) evidence."""

    indicator: Indicator
    folder: str
    answer: Answer | None
    previous: Decimal | None
    files: tuple[FileItem, ...]
    links: tuple[Evidence, ...]
    dates: dict[int, str]  # evidence id -> 'outside_period' or 'future' (evidence_rules.date_warning)

    @property
    def value(self) -> Decimal | None:
        return self.answer.value if self.answer else None

    @property
    def level(self) -> int | None:
        """The level whose criteria the value claims."""
        return chosen_level(self.value, self.indicator.levels)

    @property
    def delta(self) -> Decimal | None:
        return None if self.value is None or self.previous is None else self.value - self.previous

    def supporting(self, level: int) -> list[str]:
        """The pack's items (file names, link titles) that support a level; missing files support nothing."""
        files = [f.name_at(level) for f in self.files if not f.missing and level in f.evidence.level_list]
        return files + [link.title for link in self.links if level in link.level_list]

    @property
    def expects_evidence(self) -> bool:
        """Whether the claimed level needs evidence (not the floor level, nor a value from another index)."""
        lowest = min(self.indicator.levels)
        return evidence_expected(self.level, lowest, self.indicator.external is not None)

    @property
    def expected(self) -> list[str]:
        """The evidence the rubric expects for the claimed level (the checklist of the web panel)."""
        return list(self.indicator.levels[self.level].evidence) if self.level is not None else []

    @property
    def gap(self) -> bool:
        """A claimed level that needs evidence has nothing in the pack supporting it."""
        return self.expects_evidence and self.level is not None and not self.supporting(self.level)

    @property
    def dated(self) -> list[Evidence]:
        """The pack's items whose document date deserves a warning, in pack order."""
        items = [f.evidence for f in self.files] + list(self.links)
        return [e for e in items if e.id in self.dates]


@dataclass(frozen=True)
class PackContent:
    """Everything a pack shows, gathered before the first byte is streamed."""

    instansi: Instansi
    assessment: Assessment
    rubric: Rubric
    score: Score
    previous: Assessment | None
    previous_score: Score | None
    part: str | None
    indicators: tuple[IndicatorContent, ...]
    internal_left_out: int
    today: dt.date  # the date the document-date warnings were judged against
    butir: tuple[ButirLine, ...] = ()  # Indeks Pemdi: every butir with its status and files (butir.csv)
    butir_levels: dict[str, tuple[int, int]] = field(default_factory=dict)  # indicator -> (reached, prepared)
    served: dict[int, tuple[str, ...]] = field(default_factory=dict)  # evidence id -> portal codes it serves

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """The evaluation period: documents dated within it get no warning."""
        return evaluation_period(self.assessment.year)

    @property
    def dated(self) -> list[tuple[IndicatorContent, Evidence]]:
        """Every item whose document date deserves a warning, with its indicator."""
        return [(ind, e) for ind in self.indicators for e in ind.dated]

    @property
    def missing(self) -> list[tuple[IndicatorContent, FileItem]]:
        return [(ind, f) for ind in self.indicators for f in ind.files if f.missing]

    @property
    def gaps(self) -> list[IndicatorContent]:
        return [ind for ind in self.indicators if ind.gap]

    @property
    def filename(self) -> str:
        suffix = f"-{self.part}" if self.part else ""
        return f"paket-bukti-{self.instansi.code}-{self.assessment.year}{suffix}.zip"


def _on_disk(evidence_dir: Path, stored: StoredFile) -> Path | None:
    """The file holding the content, or None when it is gone or no longer has the size it was stored with."""
    try:
        path = path_of(evidence_dir, stored)
        return path if path.is_file() and path.stat().st_size == stored.size else None
    except (ValueError, OSError):
        return None


def _previous(db: Session, assessment: Assessment) -> Assessment | None:
    """The latest earlier assessment of the same instansi on the same rubric."""
    return db.exec(
        select(Assessment)
        .where(Assessment.instansi_id == assessment.instansi_id, Assessment.rubric_id == assessment.rubric_id,
               col(Assessment.year) < assessment.year)
        .order_by(col(Assessment.year).desc())
    ).first()


def _served(rubric: Rubric, links: dict[str, list[Evidence]]) -> dict[int, list[Butir]]:
    """Evidence id -> the butir it serves, in the rubric's order."""
    served: dict[int, list[Butir]] = {}
    for ind in rubric.indicators:
        for b in rubric.butir(ind.id):
            for e in links.get(b.code, []):
                served.setdefault(e.id, []).append(b)
    return served


def _places(
    rubric: Rubric,
    ind: Indicator,
    uploads: list[Evidence],
    sizes: dict[int, int],
    served: dict[int, list[Butir]],
) -> list[tuple[Place, ...]]:
    """Each upload's places in its indicator's folder: under each butir it serves, else numbered on top."""
    taken: set[str] = set()
    found, loose = [], 0
    for e in uploads:
        butir = served.get(e.id, [])
        if not butir:
            loose += 1
            found.append((Place(numbered_file(loose, e.title, e.original_filename)),))
            continue
        paths = [
            f"{level_folder(rubric, ind, parse_code(b.code).level)}/"
            f"{butir_file(b.portal_code, e.original_filename, e.title)}"
            for b in butir
        ]
        if sizes[e.id] > COPY_LIMIT:
            found.append((Place(unique(paths[0], taken), tuple(b.portal_code for b in butir)),))
        else:
            copies = zip(paths, butir, strict=True)
            found.append(tuple(Place(unique(p, taken), (b.portal_code,)) for p, b in copies))
    return found


def collect(
    db: Session, assessment: Assessment, evidence_dir: Path, part: str | None = None,
    rubric_dir: Path | None = None,
) -> PackContent:
    """Read an assessment for its pack (one domain, or one aspect of a rubric without domains, when `part`)."""
    rubric = get_rubric(assessment.rubric_id, rubric_dir)
    choices = parts_of(rubric)
    if part is not None and part not in choices:
        kind = "domain" if rubric.meta.domains else "aspek"
        raise UnknownPart(f"{kind} {part!r} tidak ada dalam rubrik {rubric.id} (pilihan: {', '.join(choices)})")
    answers = assessments.answers_of(db, assessment)
    previous = _previous(db, assessment)
    last_year = queries.assessment_values(db, previous) if previous else {}
    rows = db.exec(
        select(Evidence).where(Evidence.assessment_id == assessment.id).order_by(col(Evidence.id))
    ).all()
    file_ids = [e.file_id for e in rows if e.file_id is not None]
    stored = {f.id: f for f in db.exec(select(StoredFile).where(col(StoredFile.id).in_(file_ids)))}
    today = today_in_indonesia()
    serving = butir_service.evidence_links(db, assessment) if butir_service.has_butir(rubric) else {}
    served = _served(rubric, serving)
    indicators: list[IndicatorContent] = []
    for ind in rubric.indicators:
        if not in_part(rubric, ind, part):
            continue
        items = [e for e in rows if e.indicator_id == ind.id and not e.internal]
        uploads = [e for e in items if e.kind == EvidenceKind.FILE and e.file_id in stored]
        sizes = {e.id: stored[e.file_id].size for e in uploads}
        files = tuple(
            FileItem(e, stored[e.file_id], places, _on_disk(evidence_dir, stored[e.file_id]))
            for e, places in zip(uploads, _places(rubric, ind, uploads, sizes, served), strict=True)
        )
        links = tuple(e for e in items if e.kind == EvidenceKind.URL)
        dates = {e.id: kind for e in items if (kind := date_warning(e.doc_date, assessment.year, today))}
        indicators.append(IndicatorContent(ind, indicator_folder(rubric, ind), answers.get(ind.id),
                                           last_year.get(ind.id), files, links, dates))
    chosen = {i.indicator.id for i in indicators}
    where = {(f.evidence.id, code): f"{i.folder}/{place.name}" for i in indicators for f in i.files
             if not f.missing for place in f.places for code in place.butir}
    packed = [i.indicator.id for i in indicators]
    butir, levels = collect_butir(db, assessment, rubric, serving, where, packed)
    return PackContent(
        instansi=db.get(Instansi, assessment.instansi_id),
        assessment=assessment,
        rubric=rubric,
        score=score(rubric, queries.assessment_values(db, assessment)),
        previous=previous,
        previous_score=score(rubric, last_year) if previous else None,
        part=part,
        indicators=tuple(indicators),
        internal_left_out=sum(1 for e in rows if e.internal and e.indicator_id in chosen),
        butir=butir,
        butir_levels=levels,
        served={e: tuple(b.portal_code for b in found) for e, found in served.items()},
        today=today,
    )
