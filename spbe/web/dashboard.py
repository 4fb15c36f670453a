"""The dashboard of one assessment: index, predikat, domain and aspect values, completeness and SVG charts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response

from spbe.method.rubric import Rubric, get_rubric
from spbe.method.scoring import Score, score
from spbe.reports import charts
from spbe.store import queries
from spbe.store.models import Assessment, Instansi
from spbe.web.deps import DbDep, UserDep, assessment_for, unit_of_work
from spbe.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)  # pages, not API: /api/openapi.json documents /api only
AssessmentId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CHARTS: dict[str, Callable[[Rubric, Score], bytes]] = {
    "aspects": charts.aspects_svg, "domains": charts.domains_svg}


def _scored(db: DbDep, assessment: Assessment) -> tuple[Rubric, Score, str]:
    """The assessment's rubric and score, and a digest of the score that changes whenever a chart would."""
    rubric = get_rubric(assessment.rubric_id)
    result = score(rubric, queries.assessment_values(db, assessment))
    facts = json.dumps([rubric.id, rubric.meta.version, result.as_json()], sort_keys=True)
    return rubric, result, hashlib.sha256(facts.encode()).hexdigest()[:16]


def weakest(rubric: Rubric, result: Score, count: int = 3) -> list[tuple[Any, Any]]:
    """The aspects to work on first: lowest (lower end of the range while open), heaviest first on ties."""
    ranked = sorted(rubric.meta.aspects,
                    key=lambda a: (result.aspects[a.id].published_range[0], -a.weight, a.number))
    return [(a, result.aspects[a.id]) for a in ranked[:count]]


@router.get("/assessments/{assessment_id}/dashboard")
@unit_of_work
def dashboard(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    """The whole page, or only its "summary" block for an htmx request (to refresh figures in place)."""
    assessment, _ = assessment_for(db, user, assessment_id)
    rubric, result, digest = _scored(db, assessment)
    low, high = result.overall.published_range
    context: dict[str, Any] = {
        "assessment": assessment,
        "instansi": db.get(Instansi, assessment.instansi_id),
        "rubric": rubric,
        "score": result,
        "target": charts.target(rubric),
        "predikat_range": (rubric.predikat(low), rubric.predikat(high)),
        "domains": [(d, result.domains[d.id]) for d in rubric.meta.domains],
        "aspects": [(a, result.aspects[a.id]) for a in rubric.meta.aspects],
        "chart_version": digest,
        "weakest": weakest(rubric, result),
    }
    return render(request, "dashboard/page.html", context, block="summary" if is_htmx(request) else None)


@router.get("/assessments/{assessment_id}/charts/{name}.svg")
@unit_of_work
def chart(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, name: str) -> Response:
    """A chart as SVG ("aspects" radar or "domains" bars); revalidated by ETag, redrawn only on change.

    The dashboard links it with `?v=<digest of the score>`: under that address it never changes, so the
    browser may keep it without asking again (a repeat visit fetches no chart at all).
    """
    assessment, _ = assessment_for(db, user, assessment_id)
    draw = CHARTS.get(name)
    if draw is None:
        raise HTTPException(status_code=404, detail="error.not_found")
    rubric, result, digest = _scored(db, assessment)
    current = request.query_params.get("v") == digest
    headers = {"ETag": f'"{name}-{digest}"',
               "Cache-Control": "private, max-age=31536000, immutable" if current else "private, no-cache"}
    if request.headers.get("If-None-Match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return Response(draw(rubric, result), media_type="image/svg+xml", headers=headers)
