"""Year over year against the previous assessment, with peer averages and a chart; the calibration view."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session

from spbe.method.calibration import calibrate
from spbe.method.peer_averages import NATIONAL, PeerAverages, peer_averages
from spbe.method.rubric import Rubric
from spbe.method.yoy import Comparison, Trend, compare, only
from spbe.reports.compare_chart import compare_svg
from spbe.services import official as official_service
from spbe.services.assessments import rubric_of
from spbe.services.permissions import Action, can
from spbe.store import queries
from spbe.store.models import Assessment, Instansi, User
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.i18n import language_of, translate
from spbe.web.results_format import helpers
from spbe.web.templating import is_htmx, render
from spbe.web.workspace import LOAD, AssessmentId

router = APIRouter(prefix="/assessments/{assessment_id}", include_in_schema=False)
FILTERS = ("all", *Trend)


@dataclass
class Years:
    """An assessment, the instansi's previous one, and whether their indicators can be compared."""

    db: Session
    assessment: Assessment
    instansi: Instansi
    rubric: Rubric
    previous: Assessment | None
    manages: bool

    @classmethod
    def load(cls, db: Session, user: User, assessment_id: int) -> Years:
        """The assessment with the member's role and its instansi in one query (as the questionnaire's)."""
        found = db.exec(LOAD, params={"assessment_id": assessment_id, "user_id": user.id}).first()
        if found is None:
            raise HTTPException(status_code=404, detail="error.not_found")
        assessment, role, instansi = found
        previous = official_service.previous(db, assessment)
        return cls(
            db, assessment, instansi, rubric_of(assessment), previous, can(role, Action.MANAGE_ASSESSMENT)
        )

    @property
    def comparable(self) -> bool:
        return self.previous is not None and self.previous.rubric_id == self.assessment.rubric_id

    def comparison(self) -> Comparison:
        assert self.previous is not None
        return compare(self.rubric, *queries.pair_values(self.db, self.previous, self.assessment))

    def peers(self) -> PeerAverages | None:
        return peer_averages(self.rubric, self.assessment.year)

    def chart(self, comparison: Comparison, peers: PeerAverages | None, lang: str) -> Chart:
        """What the comparison chart is drawn from, and a digest of it (its version)."""
        assert self.previous is not None
        labels = (
            str(self.previous.year),
            str(self.assessment.year),
            translate("cmp.national", lang),
            translate("cmp.peer", lang, kind=translate(f"peer.kind.{self.instansi.kind}", lang)),
            translate("cmp.incomplete", lang),
        )
        ids = [g.id for g in comparison.groups]
        averages = (list(_peer_values(peers, NATIONAL, ids).values()),
                    list(_peer_values(peers, self.instansi.kind, ids).values()))
        top = self.rubric.meta.values.max
        facts = repr((self.rubric.id, self.rubric.meta.version, comparison.groups, averages, top, labels))
        return Chart(comparison, averages, top, labels, hashlib.sha256(facts.encode()).hexdigest()[:16])


@dataclass(frozen=True)
class Chart:
    """The comparison chart's figures and labels, and the digest that versions its address."""

    comparison: Comparison
    averages: tuple[list[Decimal | None], list[Decimal | None]]
    top: int
    labels: tuple[str, str, str, str, str]
    digest: str


def _fragment(request: Request, block: str) -> str | None:
    """The block for an htmx request (a history restore needs the whole page)."""
    restoring = request.headers.get("HX-History-Restore-Request") == "true"
    return block if is_htmx(request) and not restoring else None


def _peer_values(peers: PeerAverages | None, group: str, ids: list[str]) -> dict[str, Decimal | None]:
    return {i: peers.value(group, i) if peers else None for i in ids}


@router.get("/compare")
@unit_of_work
def compare_page(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, show: str = "all"
) -> Response:
    """Every indicator, aspect and domain in both years; `show` keeps one trend (htmx: the rows only)."""
    if show not in FILTERS:
        raise HTTPException(status_code=422, detail="error.bad_request")
    years = Years.load(db, user, assessment_id)
    wanted = None if show == "all" else Trend(show)
    ctx: dict[str, object] = {
        "y": years,
        "a": years.assessment,
        "instansi": years.instansi,
        "show": show,
        "filters": FILTERS,
        **helpers(request),
    }
    if years.comparable:
        result, peers = years.comparison(), years.peers()
        ids = [g.id for g in result.groups]
        ctx.update(
            counts=result.counts(),
            groups=only(result.groups, wanted),
            rows=only(result.indicators, wanted),
            peers=peers,
            national=_peer_values(peers, NATIONAL, ids),
            peer=_peer_values(peers, years.instansi.kind, ids),
            chart_version=years.chart(result, peers, language_of(request)).digest,
        )
    return render(request, "compare/page.html", ctx, block=_fragment(request, "rows"))


@router.get("/compare/chart.svg")
@unit_of_work
def compare_chart(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    """Index, domains and aspects in both years as bars, the instansi type's averages as marks."""
    years = Years.load(db, user, assessment_id)
    if not years.comparable:
        raise HTTPException(status_code=404, detail="error.not_found")
    assert years.previous is not None
    chart = years.chart(years.comparison(), years.peers(), language_of(request))
    # The page links the chart with `?v=<digest>`: under that address it never changes, so a repeat visit
    # fetches no chart at all; any other address is revalidated by ETag (304 while the figures stay).
    current = request.query_params.get("v") == chart.digest
    headers = {"ETag": f'"compare-{chart.digest}"',
               "Cache-Control": "private, max-age=31536000, immutable" if current else "private, no-cache"}
    if request.headers.get("If-None-Match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    svg = compare_svg(chart.comparison.groups, chart.averages, chart.top, chart.labels)
    return Response(svg, media_type="image/svg+xml", headers=headers)


@router.get("/calibration")
@unit_of_work
def calibration_page(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    """Last year's self-assessed levels against the official ones, with this year's repeated over-claims."""
    years = Years.load(db, user, assessment_id)
    ctx: dict[str, object] = {
        "y": years,
        "a": years.assessment,
        "instansi": years.instansi,
        **helpers(request),
    }
    if years.comparable:
        assert years.previous is not None
        ctx["result"] = calibrate(
            years.rubric,
            queries.assessment_values(db, years.previous),
            official_service.official_values(db, years.previous),
            queries.assessment_values(db, years.assessment),
        )
    return render(request, "compare/calibration.html", ctx)
