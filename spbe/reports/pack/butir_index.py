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
from spbe.store.models import Assessment, Evidence

BUTIR_CSV = "butir.csv"
REASONS = {"tidak_tepat": "bukti tidak tepat", "belum_diunggah": "belum diunggah"}
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

    @property
    def status_text(self) -> str:
        """The status as the asesor writes it: 'revisi (bukti tidak tepat)', 'otomatis ditolak'."""
        text = self.status.replace("_", " ")
        if self.status != "revisi" or not self.reason:
            return text
        return f"{text} ({REASONS.get(self.reason, self.reason)})"

    @property
    def empty(self) -> bool:
        """Nothing in the pack serves this butir (no file, no link)."""
        return not (self.files or self.links)


def collect_butir(
    db: Session,
    assessment: Assessment,
    rubric: Rubric,
    links: dict[str, list[Evidence]],
    where: dict[tuple[int, str], str],
    indicator_ids: list[str],
) -> tuple[tuple[ButirLine, ...], dict[str, tuple[int, int]]]:
    """The butir of these indicators and each one's (level reached, level prepared); none without butir.

    `links`: stable code -> the evidence serving it; `where`: (evidence id, portal code) -> the path in the
    pack of the copy serving that butir.
    """
    if not butir_service.has_butir(rubric):
        return (), {}
    states = butir_service.states_of(db, assessment)
    summaries = butir_service.summaries(rubric, states, indicator_ids)
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
                    tuple(where[e.id, b.portal_code] for e in served if (e.id, b.portal_code) in where),
                    tuple(e.title for e in served if e.kind == "url"),
                )
            )
    levels = {i: (s.level_reached, s.level_prepared) for i, s in summaries.items()}
    return tuple(lines), levels


def empty_by_level(lines: tuple[ButirLine, ...]) -> dict[tuple[str, int], list[str]]:
    """(indicator, level) -> the portal codes of its butir nothing in the pack serves (every level listed)."""
    found: dict[tuple[str, int], list[str]] = {}
    for x in lines:
        found.setdefault((x.indicator_id, x.level), [])
        if x.empty:
            found[x.indicator_id, x.level].append(x.portal_code)
    return found


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
