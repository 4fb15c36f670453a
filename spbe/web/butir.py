"""Butir pages: the butir on each questionnaire card, status changes, evidence links, verdict import.

The panel is loaded by htmx into the card (or shown as a page of its own with plain forms); every change
answers with the panel again, or for plain forms goes back to the card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from spbe.method.butir import Status, claim_above_support
from spbe.method.rubric import Butir, Indicator, Rubric
from spbe.services import butir as service
from spbe.services.assessments import Refused, rubric_of, whole_number
from spbe.store.models import Answer, Assessment, ButirState, Evidence, Instansi, Role, User
from spbe.web.deps import DbDep, UserDep, assessment_for, unit_of_work
from spbe.web.instansi_access import LevelsUpload, levels_upload, posted, read_upload
from spbe.web.templating import is_htmx, render
from spbe.web.workspace import AssessmentId, go_to, message

router = APIRouter(prefix="/assessments/{assessment_id}", include_in_schema=False)
PANEL = "butir/panel.html"


@dataclass(frozen=True)
class Row:
    """One butir as the panel lists it."""

    butir: Butir
    status: Status  # shown (cascade applied)
    state: ButirState | None
    links: list[Evidence]


def _indicator(rubric: Rubric, indicator_id: str) -> Indicator:
    found = rubric.indicator_by_id.get(indicator_id)
    if found is None or not rubric.butir(found.id):
        raise HTTPException(status_code=404, detail="error.not_found")
    return found


def panel_context(
    db: Session, assessment: Assessment, role: Role, user: User, ind: Indicator
) -> dict[str, Any]:
    """What the butir panel of one indicator shows: levels, claim check, estimate, butir by level."""
    return panels(db, assessment, role, user, (ind,))[ind.id]


def panels(
    db: Session, assessment: Assessment, role: Role, user: User, indicators: Sequence[Indicator]
) -> dict[str, dict[str, Any]]:
    """The butir panels of several indicators (a Pemdi questionnaire page renders them in place), by id,
    from four queries in all: states, evidence links, answers and evidence items."""
    rubric = rubric_of(assessment)
    ids = [ind.id for ind in indicators]
    states = {
        s.code: s
        for s in db.exec(
            select(ButirState).where(
                ButirState.assessment_id == assessment.id, col(ButirState.indicator_id).in_(ids)
            )
        )
    }
    summaries = service.summaries(rubric, states, ids)
    links = service.evidence_links(db, assessment)
    answers = {
        a.indicator_id: a
        for a in db.exec(
            select(Answer).where(Answer.assessment_id == assessment.id, col(Answer.indicator_id).in_(ids))
        )
    }
    every = db.exec(
        select(Evidence)
        .where(Evidence.assessment_id == assessment.id, col(Evidence.indicator_id).in_(ids))
        .order_by(col(Evidence.id))
    ).all()
    found = {}
    for ind in indicators:
        summary, answer = summaries[ind.id], answers.get(ind.id)
        levels = {
            n: [Row(b, summary.statuses[b.code], states.get(b.code), links.get(b.code, [])) for b in lv.butir]
            for n, lv in sorted(ind.levels.items())
        }
        claimed = answer.value if answer else None
        found[ind.id] = {
            "a": assessment,
            "ind": ind,
            "rubric": rubric,
            "summary": summary,
            "levels": levels,
            "items": [e for e in every if e.indicator_id == ind.id],
            "claimed": claimed,
            "official": answer.official_value if answer else None,
            "claim_above": claim_above_support(claimed, summary.level_prepared, rubric.meta.values.min),
            "may_prepare": service.may_prepare(assessment, role, user, answer),
            "may_judge": service.may_judge(role),
            "base": f"/assessments/{assessment.id}/butir",
            "error": None,
        }
    return found


def _panel(
    request: Request,
    db: Session,
    user: User,
    assessment_id: int,
    indicator_id: str,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The panel (htmx: its block) or the page holding it."""
    assessment, role = assessment_for(db, user, assessment_id)
    ind = _indicator(rubric_of(assessment), indicator_id)
    ctx = panel_context(db, assessment, role, user, ind)
    ctx.update(error=error, instansi=db.get(Instansi, assessment.instansi_id), fragment=is_htmx(request))
    block = "panel" if is_htmx(request) else None
    return render(request, PANEL, ctx, block=block, status_code=status)


@router.get("/indicators/{indicator_id}/butir")
@unit_of_work
def panel(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, indicator_id: str
) -> Response:
    """The butir of one indicator with their statuses, evidence and the levels they give."""
    return _panel(request, db, user, assessment_id, indicator_id)


def _after(request: Request, db: Session, user: User, assessment_id: int, code: str, change: Any) -> Response:
    """Run a change of one butir; answer with its indicator's panel, or back to the card for plain forms."""
    assessment, role = assessment_for(db, user, assessment_id)
    rubric = rubric_of(assessment)
    try:
        indicator_id = service.butir_of(rubric, code)[0]
    except Refused as refusal:
        raise HTTPException(status_code=404, detail=message(request, refusal)) from None
    try:
        change(assessment, rubric, role)
    except Refused as refusal:
        db.rollback()
        return _panel(
            request,
            db,
            user,
            assessment_id,
            indicator_id,
            error=message(request, refusal),
            status=refusal.status,
        )
    if not is_htmx(request):
        aspect = rubric.indicator_by_id[indicator_id].aspect
        return go_to(request, f"/assessments/{assessment_id}?aspect={aspect}#ind-{indicator_id}")
    return _panel(request, db, user, assessment_id, indicator_id)


FormDep = Annotated[dict[str, str], Depends(posted)]


@router.post("/butir/{code}/status")
@unit_of_work
def set_status(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, code: str, form: FormDep
) -> Response:
    """Move a butir to a status (kontributor: belum/disiapkan; koordinator also diunggah and verdicts)."""
    note = form.get("note") if "note" in form else None
    return _after(
        request,
        db,
        user,
        assessment_id,
        code,
        lambda a, r, role: service.set_status(
            db, a, r, role, user, code, form.get("status", ""), form.get("reason", ""), note
        ),
    )


def _evidence_id(form: dict[str, str]) -> int:
    """The posted evidence id (ASCII digits within a database key), else 0, which matches no item."""
    return whole_number(form.get("evidence_id", "")) or 0


@router.post("/butir/{code}/attach")
@unit_of_work
def attach(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, code: str, form: FormDep
) -> Response:
    """Let an evidence item of the indicator serve this butir."""
    return _after(
        request,
        db,
        user,
        assessment_id,
        code,
        lambda a, r, role: service.attach(db, a, r, role, user, code, _evidence_id(form)),
    )


@router.post("/butir/{code}/detach")
@unit_of_work
def detach(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, code: str, form: FormDep
) -> Response:
    """Stop an evidence item serving this butir."""
    return _after(
        request,
        db,
        user,
        assessment_id,
        code,
        lambda a, r, role: service.detach(db, a, r, role, user, code, _evidence_id(form)),
    )


@router.post("/butir/{code}/due")
@unit_of_work
def due(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, code: str, form: FormDep
) -> Response:
    """Set or clear the date a butir should be ready by (koordinator)."""
    return _after(
        request,
        db,
        user,
        assessment_id,
        code,
        lambda a, r, role: service.set_due(db, a, r, role, user, code, form.get("due", "")),
    )


def _import_page(
    request: Request,
    db: Session,
    user: User,
    assessment_id: int,
    *,
    error: str | None = None,
    done: service.Change | None = None,
    status: int = 200,
) -> Response:
    assessment, role = assessment_for(db, user, assessment_id)
    ctx = {
        "a": assessment,
        "instansi": db.get(Instansi, assessment.instansi_id),
        "manages": service.may_judge(role),
        "error": error,
        "done": done,
        "pemdi": service.has_butir(rubric_of(assessment)),
    }
    return render(request, "butir/import.html", ctx, status_code=status)


@router.get("/butir/import")
@unit_of_work
def import_form(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    """The page to upload the asesor's verdicts (koordinator)."""
    return _import_page(request, db, user, assessment_id)


@router.post("/butir/import")
@unit_of_work
def import_file(
    request: Request,
    db: DbDep,
    user: UserDep,
    assessment_id: AssessmentId,
    upload: Annotated[LevelsUpload, Depends(levels_upload)],
) -> Response:
    """Apply a verdicts file (CSV/XLSX butir,status,catatan); one bad row imports nothing, each is named."""
    assessment, role = assessment_for(db, user, assessment_id)
    try:
        data, filename = read_upload(upload.file)
        done = service.import_verdicts(db, assessment, rubric_of(assessment), role, user, data, filename)
    except Refused as refusal:
        db.rollback()
        return _import_page(
            request, db, user, assessment_id, error=message(request, refusal), status=refusal.status
        )
    return _import_page(request, db, user, assessment_id, done=done)
