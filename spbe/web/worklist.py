"""Daftar perbaikan (work list): every butir still to do, by OPD and assignee, with filters and XLSX."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from spbe.method.butir import Status
from spbe.services import butir as service
from spbe.services.assessments import rubric_of
from spbe.store.models import Assessment, Instansi, Role, User
from spbe.web.deps import DbDep, UserDep, assessment_for, unit_of_work
from spbe.web.i18n import language_of, translate
from spbe.web.templating import render
from spbe.web.workspace import AssessmentId

router = APIRouter(prefix="/assessments/{assessment_id}", include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; empty strings mean everything."""

    status: str = ""
    unit: str = ""
    assignee: str = ""  # a user id, 'none', or 'me'
    indicator: str = ""

    @classmethod
    def of(cls, request: Request) -> Filters:
        """The filters in the query string, each cut to a sane length."""
        q = request.query_params
        return cls(*(q.get(k, "")[:200] for k in ("status", "unit", "assignee", "indicator")))

    def keep(self, item: service.WorkItem, user: User) -> bool:
        """True when an item passes every filter."""
        wanted = {"": item.assignee_id, "none": None, "me": user.id}.get(self.assignee, self.assignee)
        return (
            (not self.status or item.status.value == self.status)
            and (not self.unit or item.unit == self.unit)
            and str(item.assignee_id) == str(wanted)
            and (not self.indicator or item.indicator_id == self.indicator)
        )

    def query(self) -> str:
        """The filters as a query string for the XLSX link."""
        return urlencode([(k, v) for k, v in vars(self).items() if v])


def mine_first(request: Request, role: Role) -> Filters:
    """A kontributor opening the list without filters sees their own items."""
    filters = Filters.of(request)
    if role is Role.KONTRIBUTOR and not request.query_params:
        return Filters(assignee="me")
    return filters


def items_for(db: DbDep, assessment: Assessment, user: User, filters: Filters) -> list[service.WorkItem]:
    """The assessment's work list with the filters applied."""
    return [i for i in service.work_list(db, assessment, rubric_of(assessment)) if filters.keep(i, user)]


@router.get("/perbaikan")
@unit_of_work
def page(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    """The work list page: groups by OPD and assignee, each butir with its status, note and due date."""
    assessment, role = assessment_for(db, user, assessment_id)
    every = service.work_list(db, assessment, rubric_of(assessment))
    filters = mine_first(request, role)
    shown = [i for i in every if filters.keep(i, user)]
    groups = [(key, list(rows)) for key, rows in itertools.groupby(shown, key=lambda i: (i.unit, i.assignee))]
    ctx = {
        "a": assessment,
        "instansi": db.get(Instansi, assessment.instansi_id),
        "groups": groups,
        "count": len(shown),
        "total": len(every),
        "filters": filters,
        "filter_fields": [(k, v) for k, v in vars(filters).items() if v],
        "units": sorted({i.unit for i in every if i.unit}),
        "assignees": sorted(
            {(i.assignee_id, i.assignee) for i in every if i.assignee_id}, key=lambda p: p[1]
        ),
        "indicators": sorted({i.indicator_id for i in every}),
        "statuses": [s.value for s in Status],
        "pemdi": service.has_butir(rubric_of(assessment)),
        "manages": service.may_judge(role),
        "levels": service.summaries(rubric_of(assessment), service.states_of(db, assessment)),
        "estimated": service.estimated_score(db, assessment, rubric_of(assessment)),
        **_simulation(request, db, assessment, every),
    }
    return render(request, "butir/worklist.html", ctx)


def _simulation(
    request: Request, db: DbDep, assessment: Assessment, every: list[service.WorkItem]
) -> dict[str, object]:
    """The butir ticked to simulate as diterima (`sim`), and the levels and estimated index they give."""
    open_codes = {i.code for i in every}
    chosen = [c for c in request.query_params.getlist("sim")[:300] if c in open_codes]
    if not chosen:
        return {"simulated": [], "sim_levels": {}, "sim_estimated": None}
    rubric = rubric_of(assessment)
    states = service.states_of(db, assessment)
    return {
        "simulated": chosen,
        "sim_levels": service.summaries(rubric, states, accepted=chosen),
        "sim_estimated": service.estimated_score(db, assessment, rubric, accepted=chosen),
    }


@router.get("/perbaikan.xlsx")
@unit_of_work
def download(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    """The same list (same filters) as an XLSX workbook."""
    from spbe.reports.worklist_xlsx import workbook  # openpyxl loads on the first download

    assessment, role = assessment_for(db, user, assessment_id)
    instansi = db.get(Instansi, assessment.instansi_id)
    lang = language_of(request)

    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    items = items_for(db, assessment, user, mine_first(request, role))
    title = t("wl.title_of", instansi=instansi.name if instansi else "", year=assessment.year)
    code = re.sub(r"[^A-Za-z0-9-]", "", instansi.code if instansi else "")
    name = f"perbaikan-{code}-{assessment.year}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(workbook(title, items, t), media_type=XLSX, headers=headers)
