"""The pack's `butir.csv`: every butir of the packed indicators with its status, the asesor's note and the
files in the pack that serve it, so each file maps to its upload slot on the evaluation portal."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlmodel import Session

from spbe.method.butir import parse_code
from spbe.method.rubric import Rubric
from spbe.services import butir as butir_service
from spbe.store.models import Assessment

BUTIR_CSV = "butir.csv"
HEADER = ("butir", "indikator", "tingkat", "judul", "status", "alasan", "catatan_asesor", "berkas", "tautan")


@dataclass(frozen=True)
class ButirLine:
    """One butir as the pack lists it."""

    portal_code: str
    indicator_id: str
    level: int
    title: str
    status: str
    reason: str
    note: str
    files: tuple[str, ...]  # paths inside the pack
    links: tuple[str, ...]  # titles of link evidence


def collect_butir(
    db: Session, assessment: Assessment, rubric: Rubric, paths: dict[int, str], indicator_ids: list[str]
) -> tuple[ButirLine, ...]:
    """The butir of these indicators (none without butir); `paths` maps evidence ids to pack paths."""
    if not butir_service.has_butir(rubric):
        return ()
    states = butir_service.states_of(db, assessment)
    summaries = butir_service.summaries(rubric, states, indicator_ids)
    links = butir_service.evidence_links(db, assessment)
    lines = []
    for indicator_id in indicator_ids:
        for b in rubric.butir(indicator_id):
            state, served = states.get(b.code), [e for e in links.get(b.code, []) if not e.internal]
            lines.append(
                ButirLine(
                    b.portal_code,
                    indicator_id,
                    parse_code(b.code).level,
                    b.title,
                    summaries[indicator_id].statuses[b.code].value,
                    state.reason if state else "",
                    state.asesor_note if state else "",
                    tuple(paths[e.id] for e in served if e.id in paths),
                    tuple(e.title for e in served if e.kind == "url"),
                )
            )
    return tuple(lines)


def butir_csv(lines: tuple[ButirLine, ...]) -> bytes:
    """The list as CSV (UTF-8 with BOM for spreadsheet programs); several files or links joined by ' | '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for x in lines:
        writer.writerow(
            [
                x.portal_code,
                x.indicator_id,
                x.level,
                x.title,
                x.status,
                x.reason,
                x.note,
                " | ".join(x.files),
                " | ".join(x.links),
            ]
        )
    return out.getvalue().encode("utf-8-sig")
