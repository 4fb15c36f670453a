"""Start a Pemdi draft from an SPBE assessment: evidence attached to the mapped indicators, values suggested."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlmodel import Session, col, select

from spbe.method.bridge import Bridge, load_bridge, suggest_values
from spbe.method.rubric import get_rubric, rubric_root
from spbe.services import assessments as assessment_service
from spbe.services import audit
from spbe.services.assessments import Invalid
from spbe.store import queries
from spbe.store.models import Answer, Assessment, Evidence, Instansi, Role, User

BRIDGE_ID = "spbe-2021-to-pemdi-2026"


def bridge() -> Bridge:
    """The SPBE → Pemdi mapping (unofficial), checked against both rubrics; reloaded when its file changes."""
    path = rubric_root() / "bridges" / f"{BRIDGE_ID}.yaml"
    return _cached(str(path), path.stat().st_mtime)


@functools.cache
def _cached(path: str, stamp: float) -> Bridge:
    """The bridge file loaded once per modification time (`stamp` is only part of the cache key)."""
    return load_bridge(path)


def target_year() -> int:
    """The first cycle of the new rubric: the year of the draft."""
    return get_rubric(bridge().to_rubric).meta.cycles[0]


def offer(assessments: Iterable[Assessment]) -> Assessment | None:
    """The assessment a new-rubric draft would start from (see `latest`), unless that draft's year is taken."""
    found = list(assessments)
    return None if any(a.year == target_year() for a in found) else latest(found)


def latest(assessments: Iterable[Assessment]) -> Assessment | None:
    """The latest old-rubric assessment before the new rubric's first cycle."""
    old, year = bridge().from_rubric, target_year()
    return max((a for a in assessments if a.rubric_id == old and a.year < year), key=lambda a: a.year, default=None)


def start(db: Session, instansi: Instansi, role: Role, user: User) -> Assessment:
    """The new-rubric draft: suggested values and moved evidence marked carried over (perlu ditinjau)."""
    mapping = bridge()
    source = latest(db.exec(select(Assessment).where(Assessment.instansi_id == instansi.id)))
    if source is None:
        raise Invalid("bridge.error.none")
    year = str(target_year())
    draft = assessment_service.create(db, instansi, role, year, mapping.to_rubric, False, user=user)
    old, new = get_rubric(mapping.from_rubric), get_rubric(mapping.to_rubric)
    for ind_id, hint in suggest_values(mapping, old, new, queries.assessment_values(db, source)).items():
        if hint.value is not None:
            text = f"Saran dari SPBE {source.year} ({', '.join(hint.from_indicators)}): {hint.note}"
            db.add(Answer(assessment_id=draft.id, indicator_id=ind_id, value=hint.value, explanation=text,
                          carried_over=True, updated_by_id=user.id))
    _attach_evidence(db, mapping, source, draft)
    audit.record(db, user, "assessment.bridge", draft, new=f"{mapping.id} {mapping.version}", note=str(source.year))
    db.flush()
    return draft


def _attach_evidence(db: Session, mapping: Bridge, source: Assessment, draft: Assessment) -> None:
    """A new evidence row per mapped indicator for each item of its main predecessors (same stored file)."""
    items = list(db.exec(select(Evidence).where(Evidence.assessment_id == source.id).order_by(col(Evidence.id))))
    for ind_id, link in mapping.links.items():
        seen: set[tuple[int | None, str]] = set()
        for ev in (e for e in items if e.indicator_id in link.main):
            if (ev.file_id, ev.url) in seen:
                continue
            seen.add((ev.file_id, ev.url))
            fields = ev.model_dump(exclude={"id", "assessment_id", "indicator_id", "levels", "note",
                                            "carried_over", "created_at"})
            note = f"Dari penilaian SPBE {source.year}, indikator {ev.indicator_id}."
            db.add(Evidence(**fields, assessment_id=draft.id, indicator_id=ind_id, carried_over=True,
                            note=f"{note} {ev.note}".strip()))
