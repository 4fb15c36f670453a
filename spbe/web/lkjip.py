"""The performance-report (LKJIP) figures of an instansi for a year: page, KPI targets form and XLSX."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from spbe.reports.lkjip_tables import Translate, tables
from spbe.reports.lkjip_xlsx import workbook
from spbe.services import kpi
from spbe.services.assessments import FIRST_YEAR, Refused
from spbe.services.official import may_enter
from spbe.services.permissions import Action, can
from spbe.store.models import User
from spbe.web.deps import DbDep, UserDep, unit_of_work
from spbe.web.i18n import language_of, translate
from spbe.web.instansi_access import instansi_for, posted
from spbe.web.templating import is_htmx, render
from spbe.web.workspace import message

router = APIRouter(prefix="/instansi/{code}", include_in_schema=False)
Year = Annotated[int | None, Query(ge=FIRST_YEAR, le=kpi.LAST_YEAR)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _translator(request: Request) -> Translate:
    """translate() in the user's language."""
    lang = language_of(request)
    return lambda key, **params: translate(key, lang, **params)


def _page(
    request: Request,
    db: Session,
    user: User,
    code: str,
    year: int | None,
    *,
    status: int = 200,
    error: str | None = None,
    problems: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    saved: bool = False,
) -> Response:
    instansi, role = instansi_for(db, user, code)
    result = kpi.report_for(db, instansi, year)
    ctx = {
        "instansi": instansi,
        "report": result,
        "tables": tables(result, _translator(request)),
        "manages": can(role, Action.MANAGE_ASSESSMENT),
        "error": error,
        "problems": problems or {},
        "form": form,
        "saved": saved,
    }
    block = "lkjip" if is_htmx(request) else None
    return render(request, "compare/lkjip.html", ctx, block=block, status_code=status)


@router.get("/lkjip")
@unit_of_work
def lkjip(request: Request, db: DbDep, user: UserDep, code: str, year: Year = None) -> Response:
    """Tabel 3.2–3.5 for the KPIs (htmx: the `lkjip` block)."""
    return _page(request, db, user, code, year)


@router.post("/lkjip/targets")
@unit_of_work
def save_targets(
    request: Request,
    db: DbDep,
    user: UserDep,
    code: str,
    fields: Annotated[dict[str, str], Depends(posted)],
    year: Year = None,
) -> Response:
    """Store the year's target and Renstra end target of every KPI (koordinator); one bad field saves none."""
    instansi, role = instansi_for(db, user, code)
    current = kpi.report_for(db, instansi, year).year
    try:
        may_enter(role)
        kpi.save(db, instansi, role, current, kpi.parse_form(fields))
    except Refused as refusal:
        db.rollback()
        return _page(
            request,
            db,
            user,
            code,
            current,
            status=refusal.status,
            error=message(request, refusal),
            problems=getattr(refusal, "problems", None),
            form=fields,
        )
    return _page(request, db, user, code, current, saved=True)


@router.get("/lkjip.xlsx")
@unit_of_work
def lkjip_xlsx(request: Request, db: DbDep, user: UserDep, code: str, year: Year = None) -> Response:
    """The same tables as a workbook, one sheet per table."""
    instansi, _ = instansi_for(db, user, code)
    result = kpi.report_for(db, instansi, year)
    t = _translator(request)
    title = t("lk.title", instansi=instansi.name, year=result.year)
    name = f"lkjip-{re.sub(r'[^A-Za-z0-9-]', '', instansi.code)}-{result.year}.xlsx"
    return Response(
        workbook(title, tables(result, t), t),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
