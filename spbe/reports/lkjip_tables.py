"""The LKJIP report as plain tables (Tabel 3.2–3.5): the page and the XLSX download show the same numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from spbe.method.lkjip import KpiLine, Realisasi, Report

Cell = Decimal | Realisasi | str | None
Translate = Callable[..., str]


@dataclass(frozen=True)
class Table:
    """A numbered, titled table: column keys with headers, one row of cells (by column key) per KPI scope."""

    id: str
    number: str  # as in the LKJIP: "3.2"
    title: str
    columns: list[tuple[str, str]]
    rows: list[tuple[str, dict[str, Cell]]]


def _source(line: KpiLine, t: Translate) -> str | None:
    if line.realisasi is None:
        return None
    return t("lk.source.official" if line.realisasi.official else "lk.source.self")


def tables(report: Report, t: Translate) -> list[Table]:
    """Tabel 3.2 capaian, 3.3 earlier years, 3.4 kemajuan, 3.5 standar nasional; headers in t's language."""
    y, lines = report.year, report.lines
    capaian = Table(
        "capaian",
        "3.2",
        t("lk.table.capaian", year=y),
        [
            ("name", t("lk.col.kpi")),
            ("target", t("lk.col.target")),
            ("realisasi", t("lk.col.realisasi")),
            ("capaian", t("lk.col.capaian")),
            ("kategori", t("lk.col.kategori")),
            ("source", t("lk.col.source")),
        ],
        [
            (
                k.scope,
                {
                    "name": k.name,
                    "target": k.plan.target,
                    "realisasi": k.realisasi,
                    "capaian": k.capaian,
                    "kategori": k.kategori,
                    "source": _source(k, t),
                },
            )
            for k in lines
        ],
    )
    earlier = [(str(e), t("lk.col.realisasi_year", year=e)) for e in report.earlier_years]
    history = Table(
        "history",
        "3.3",
        t("lk.table.history", year=y),
        [
            ("name", t("lk.col.kpi")),
            *earlier,
            ("target", t("lk.col.target_year", year=y)),
            ("realisasi", t("lk.col.realisasi_year", year=y)),
            ("capaian", t("lk.col.capaian")),
        ],
        [
            (
                k.scope,
                {
                    "name": k.name,
                    **{str(e): r for e, r in k.history},
                    "target": k.plan.target,
                    "realisasi": k.realisasi,
                    "capaian": k.capaian,
                },
            )
            for k in lines
        ],
    )
    kemajuan = Table(
        "kemajuan",
        "3.4",
        t("lk.table.kemajuan"),
        [
            ("name", t("lk.col.kpi")),
            ("realisasi", t("lk.col.realisasi_year", year=y)),
            ("end_target", t("lk.col.end_target")),
            ("end_year", t("lk.col.end_year")),
            ("kemajuan", t("lk.col.kemajuan")),
        ],
        [
            (
                k.scope,
                {
                    "name": k.name,
                    "realisasi": k.realisasi,
                    "end_target": k.plan.end_target,
                    "end_year": str(k.plan.end_year) if k.plan.end_year else None,
                    "kemajuan": k.kemajuan,
                },
            )
            for k in lines
        ],
    )
    peer_year = report.peer_year or y
    standar = Table(
        "standar",
        "3.5",
        t("lk.table.standar"),
        [
            ("name", t("lk.col.kpi")),
            ("realisasi", t("lk.col.realisasi_year", year=y)),
            ("national", t("lk.col.national", year=peer_year)),
            ("national_capaian", t("lk.col.capaian")),
            ("peer", t("lk.col.peer", kind=t(f"peer.kind.{report.peer_group}"), year=peer_year)),
            ("peer_capaian", t("lk.col.capaian")),
        ],
        [
            (
                k.scope,
                {
                    "name": k.name,
                    "realisasi": k.realisasi,
                    "national": k.national,
                    "national_capaian": k.national_capaian,
                    "peer": k.peer,
                    "peer_capaian": k.peer_capaian,
                },
            )
            for k in lines
        ],
    )
    return [capaian, history, kemajuan, standar]
