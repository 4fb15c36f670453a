"""The SPBE figures of a performance report (LKJIP Tabel 3.2–3.5) for an instansi's KPIs and one year.

Realisasi is the published value of the KPI's scope: from KemenPANRB's official levels when every indicator
of the scope has one, else from the self-assessment when it is complete; capaian, kategori and kemajuan come
from spbe.method.performance. Pure: no web or ORM imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from spbe.method import performance
from spbe.method.peer_averages import INDEX, NATIONAL, PeerAverages
from spbe.method.rubric import Rubric
from spbe.method.scoring import GroupScore, Score, score

SCOPES = (INDEX, "D2", "D4")  # the overall index, Tata Kelola and Layanan


@dataclass(frozen=True)
class YearValues:
    """One assessment year: its rubric, self-assessed values and official values (id -> value)."""

    rubric: Rubric
    self_values: Mapping[str, Decimal]
    official_values: Mapping[str, Decimal]


@dataclass(frozen=True)
class Realisasi:
    """A published figure and whether it is official (KemenPANRB) or self-assessed."""

    value: Decimal
    official: bool


@dataclass(frozen=True)
class Plan:
    """A KPI's target for the report year and its Renstra end target (None where not set)."""

    target: Decimal | None = None
    end_target: Decimal | None = None
    end_year: int | None = None


@dataclass(frozen=True)
class KpiLine:
    """One KPI's row in every table of the report."""

    scope: str
    name: str
    plan: Plan
    realisasi: Realisasi | None
    history: list[tuple[int, Realisasi | None]]  # earlier years, oldest first
    national: Decimal | None
    peer: Decimal | None

    @property
    def capaian(self) -> Decimal | None:
        return _ratio(performance.capaian, self.realisasi, self.plan.target)

    @property
    def kategori(self) -> str | None:
        return None if self.capaian is None else performance.kategori(self.capaian)

    @property
    def kemajuan(self) -> Decimal | None:
        return _ratio(performance.kemajuan, self.realisasi, self.plan.end_target)

    @property
    def national_capaian(self) -> Decimal | None:
        return _ratio(performance.capaian, self.realisasi, self.national)

    @property
    def peer_capaian(self) -> Decimal | None:
        return _ratio(performance.capaian, self.realisasi, self.peer)


@dataclass(frozen=True)
class Report:
    """The report of one year: a line per KPI, the earlier years compared and the peer table used."""

    year: int
    lines: list[KpiLine]
    earlier_years: list[int]
    peer_year: int | None
    peer_group: str


def _ratio(
    fn: Callable[[Decimal, Decimal], Decimal], realisasi: Realisasi | None, base: Decimal | None
) -> Decimal | None:
    """fn(realisasi, base) when both are known (capaian, kemajuan: a percentage), else None."""
    if realisasi is None or base is None or base <= 0:
        return None
    return fn(realisasi.value, base)


def group_of(result: Score, scope: str) -> GroupScore | None:
    """The index or a domain of a score (None when the rubric has no such domain)."""
    return result.overall if scope == INDEX else result.domains.get(scope)


def realisasi(year: YearValues, scope: str) -> Realisasi | None:
    """The official figure when the scope is complete officially, else the complete self-assessed one."""
    for values, official in ((year.official_values, True), (year.self_values, False)):
        group = group_of(score(year.rubric, values), scope)
        if group is not None and group.published is not None:
            return Realisasi(group.published, official)
    return None


def kpi_name(rubric: Rubric, scope: str) -> str:
    """'Indeks SPBE' for the index, 'Indeks Tata Kelola SPBE' for domain D2."""
    if scope == INDEX:
        return rubric.meta.index_name
    domain = rubric.domain_by_id.get(scope)
    return f"Indeks {domain.name}" if domain else scope


def report(
    year: int,
    years: Mapping[int, YearValues],
    plans: Mapping[str, Plan],
    rubric: Rubric,
    peers: PeerAverages | None,
    peer_group: str,
) -> Report:
    """The report for `year` (its rubric names the KPIs) from every year's values, the plans, the peers."""
    current = years.get(year)
    earlier = sorted(y for y in years if y < year)
    lines = []
    for scope in SCOPES:
        lines.append(
            KpiLine(
                scope=scope,
                name=kpi_name(rubric, scope),
                plan=plans.get(scope, Plan()),
                realisasi=realisasi(current, scope) if current else None,
                history=[(y, realisasi(years[y], scope)) for y in earlier],
                national=peers.value(NATIONAL, scope) if peers else None,
                peer=peers.value(peer_group, scope) if peers else None,
            )
        )
    return Report(year, lines, earlier, peers.year if peers else None, peer_group)
