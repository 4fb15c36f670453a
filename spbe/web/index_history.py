"""The index history of an instansi: each year's index in the column of its rubric (SPBE beside Pemdi)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from spbe.method.rubric import Rubric
from spbe.reports.compare_chart import history_svg
from spbe.services.assessments import Overview, overviews
from spbe.store.models import Instansi, User
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.i18n import language_of, translate
from spbe.web.instansi_access import instansi_for
from spbe.web.templating import render

router = APIRouter(prefix="/instansi/{code}", include_in_schema=False)


def _history(db: Session, user: User, code: str) -> tuple[Instansi, list[Overview], list[Rubric]]:
    """The instansi, its assessments newest first, and their rubrics in the order first used."""
    instansi, _ = instansi_for(db, user, code)
    rows = overviews(db, instansi.id)
    return instansi, rows, list({o.rubric.id: o.rubric for o in reversed(rows)}.values())


@router.get("/history")
@unit_of_work
def history(request: Request, db: DbDep, user: UserDep, code: str) -> Response:
    """Years newest first; provisional rubrics and incomplete assessments are marked."""
    instansi, rows, columns = _history(db, user, code)
    return render(request, "compare/history.html", {"instansi": instansi, "rows": rows, "columns": columns})


@router.get("/history/chart.svg")
@unit_of_work
def history_chart(request: Request, db: DbDep, user: UserDep, code: str) -> Response:
    """One line per rubric over the years; an incomplete year drawn as its open range."""
    _, rows, columns = _history(db, user, code)
    lang = language_of(request)

    def label(r: Rubric) -> str:
        """The rubric's index name, marked when the rubric is provisional."""
        mark = f" ({translate('provisional.mark', lang)})" if r.meta.provisional else ""
        return r.meta.index_name + mark

    series = [(label(r), [(o.assessment.year, o.score) for o in reversed(rows) if o.rubric.id == r.id])
              for r in columns]
    top = max((r.meta.values.max for r in columns), default=5)
    svg = history_svg(series, top, translate("history.incomplete", lang))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, no-cache"})
