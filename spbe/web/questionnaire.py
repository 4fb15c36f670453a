"""The questionnaire: one aspect's indicators with autosaved answers, live scores, confirmation, comments.

Its routes are the busiest of the app, so each does its whole unit of work in one worker-thread call
(deps.signed_in) and loads the assessment, the member's role and the instansi in one query (Workspace.load).
A page renders every card's evidence panel in place (two queries for all of them), so the browser fetches
nothing after it; a save that changes a level sends that one panel back with its answer (out of band).
A save on top of someone else's newer one is refused with their version shown (assessments/_conflict.html).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session

from spbe.method.rubric import Indicator, Rubric
from spbe.services import answers as answer_service
from spbe.services.assessments import Refused
from spbe.store.db import commit_before_rendering
from spbe.store.models import User
from spbe.web import butir, evidence
from spbe.web.deps import DbDep, signed_in
from spbe.web.i18n import language_of, translate
from spbe.web.instansi_access import posted
from spbe.web.templating import is_htmx, render
from spbe.web.workspace import AssessmentId, Workspace, go_to, message

router = APIRouter(prefix="/assessments/{assessment_id}", include_in_schema=False)
TEMPLATE = "assessments/questionnaire.html"


async def posted_fields(request: Request) -> dict[str, str]:
    """The answer fields present in the posted form, empty ones included (an empty value clears a field)."""
    form = await posted(request)
    return {k: form[k] for k in (*answer_service.FIELDS, "version") if k in form}


def page(
    request: Request,
    db: DbDep,
    user: User,
    assessment_id: int,
    aspect_id: str | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The questionnaire of one aspect: the whole page, or the `questionnaire` block for htmx navigation.

    With the "Indikator saya" filter only the member's assigned indicators are shown (default aspect: the
    first holding one of them).
    """
    ws = Workspace.load(db, user, assessment_id)
    mine = only_mine(request)
    if mine and aspect_id is None:
        aspect_id = next((a.id for a in ws.rubric.meta.aspects if ws.mine.get(a.id)), None)
    aspect = ws.aspect(aspect_id, language_of(request))
    indicators = ws.rubric.indicators_of_aspect(aspect.id)
    if mine:
        assigned = {row.indicator_id for row in ws.mine.get(aspect.id, ())}
        indicators = tuple(i for i in indicators if i.id in assigned)
    ctx = {
        "mine": mine,
        "ws": ws.preload(),  # answers first (the score, shown first, comes from them), no query in templates
        "a": ws.assessment,
        "answers": ws.answers,
        "aspect": aspect,
        "indicators": indicators,
        "error": error,
        "comments": answer_service.comments(db, ws.assessment, [i.id for i in indicators]),
        "panels": _panels(request, ws, indicators),
        "butir_panels": _butir_panels(ws, indicators),
    }
    restoring = request.headers.get("HX-History-Restore-Request") == "true"
    block = "questionnaire" if is_htmx(request) and not restoring else None
    return render(request, TEMPLATE, ctx, block=block, status_code=status)


def only_mine(request: Request) -> bool:
    """The "Indikator saya" filter: `?mine=1` on a page; for an htmx action, on the page it was sent from."""
    if request.method == "GET":
        return request.query_params.get("mine") == "1"
    sent_from = urlsplit(request.headers.get("HX-Current-URL", ""))
    return parse_qs(sent_from.query).get("mine") == ["1"]


def _panels(request: Request, ws: Workspace, indicators: tuple[Indicator, ...]) -> dict[str, dict[str, Any]]:
    """The evidence panels of the cards rendered, by indicator id."""
    return evidence.panels(request, ws.db, ws.assessment, ws.role, ws.user, indicators, ws.answers)


def _butir_panels(ws: Workspace, indicators: tuple[Indicator, ...]) -> dict[str, dict[str, Any]]:
    """The butir panels of the cards rendered (Pemdi), by indicator id: rendered in place, not fetched."""
    return butir.panels(ws.db, ws.assessment, ws.role, ws.user, indicators) if ws.has_butir else {}


def _indicator(request: Request, rubric: Rubric, indicator_id: str) -> Indicator:
    found = rubric.indicator_by_id.get(indicator_id)
    if found is None:
        detail = translate(
            "q.error.indicator", language_of(request), indicator=indicator_id[:16], rubric=rubric.id
        )
        raise HTTPException(status_code=404, detail=detail)
    return found


def _card(
    request: Request,
    ws: Workspace,
    ind: Indicator,
    *,
    error: str | None = None,
    comment_error: str | None = None,
    status: int = 200,
    block: str = "indicator",
) -> Response:
    """One indicator card (or its comments) re-rendered after an action."""
    ctx = {
        "ws": ws.preload(),
        "a": ws.assessment,
        "answers": ws.answers,
        "ind": ind,
        "error": error,
        "comment_error": comment_error,
        "comments": answer_service.comments(ws.db, ws.assessment, [ind.id]),
        "panels": _panels(request, ws, (ind,)) if block == "indicator" else {},
        "butir_panels": _butir_panels(ws, (ind,)) if block == "indicator" else {},
    }
    return render(request, TEMPLATE, ctx, block=block, status_code=status)


def _conflict(request: Request, ws: Workspace, ind: Indicator) -> Response:
    """409 showing the saved version that a stale save would have overwritten, and who saved it when."""
    theirs = answer_service.answer_of(ws.db, ws.assessment, ind.id)
    author = ws.db.get(User, theirs.updated_by_id) if theirs and theirs.updated_by_id else None
    ctx = {
        "ws": ws,
        "a": ws.assessment,
        "ind": ind,
        "theirs": theirs,
        "name": (author.full_name or author.username) if author else "",
    }
    # The other person may have changed the evidence too: the card's evidence panel reloads on this event.
    refresh = {"HX-Trigger": "evidence-stale, level-changed"}  # their evidence and butir may differ too
    return render(request, "assessments/_conflict.html", ctx, status_code=409, headers=refresh)


@router.get("")
async def show(request: Request, assessment_id: AssessmentId, aspect: str | None = None) -> Response:
    return await signed_in(request, page, assessment_id, aspect)


@router.get("/indicators/{indicator_id}")
async def card(request: Request, assessment_id: AssessmentId, indicator_id: str) -> Response:
    """One indicator card as saved now (htmx: after a conflict); otherwise its place in the questionnaire."""
    return await signed_in(request, _current_card, assessment_id, indicator_id)


def _current_card(
    request: Request, db: Session, user: User, assessment_id: int, indicator_id: str
) -> Response:
    ws = Workspace.load(db, user, assessment_id)
    ind = _indicator(request, ws.rubric, indicator_id)
    if not is_htmx(request):
        return go_to(request, f"/assessments/{ws.assessment.id}?aspect={ind.aspect}#ind-{ind.id}")
    return _card(request, ws, ind)


@router.post("/indicators/{indicator_id}")
async def save(
    request: Request,
    assessment_id: AssessmentId,
    indicator_id: str,
    fields: Annotated[dict[str, str], Depends(posted_fields)],
) -> Response:
    """Autosave: store the posted fields; answer with the saved state plus out-of-band score and progress."""
    return await signed_in(request, _save, assessment_id, indicator_id, fields)


def _save(
    request: Request, db: Session, user: User, assessment_id: int, indicator_id: str, fields: dict[str, str]
) -> Response:
    ws = Workspace.load(db, user, assessment_id)
    assessment, role = ws.assessment, ws.role
    version = fields.pop("version", None)
    try:
        ind = _indicator(request, ws.rubric, indicator_id)
        answer, changed = answer_service.save(db, assessment, ws.rubric, role, user, ind.id, fields, version)
    except answer_service.Stale:
        db.rollback()
        return _conflict(request, ws, ind)
    except HTTPException as e:
        return render(
            request,
            TEMPLATE,
            {"ind_id": indicator_id, "error": e.detail, "status": e.status_code},
            block="save_failed",
            status_code=e.status_code,
        )
    except Refused as refusal:
        db.rollback()
        ctx = {"ind_id": indicator_id, "error": message(request, refusal), "status": refusal.status}
        return render(request, TEMPLATE, ctx, block="save_failed", status_code=refusal.status)
    commit_before_rendering(db)
    # A new level changes what the evidence panel checks: it comes back with the answer, no second request.
    panel = {}
    if "value" in changed:
        panel = evidence.panels(request, db, assessment, role, user, (ind,), {ind.id: answer})
    ctx = {
        "ws": ws,
        "a": assessment,
        "ind": ind,
        "answer": answer,
        "aspect": ws.rubric.aspect_by_id[ind.aspect],
        "mine": only_mine(request),
        "panel": panel.get(ind.id),
    }
    response = render(request, TEMPLATE, ctx, block="saved")
    if "value" in changed and ws.has_butir:  # the butir panel compares the claim with what the butir support
        response.headers["HX-Trigger"] = "level-changed"
    return response


@router.post("/indicators/{indicator_id}/confirm")
async def confirm(request: Request, assessment_id: AssessmentId, indicator_id: str) -> Response:
    """Confirm a carried-over indicator: its answer and evidence are no longer marked."""
    return await signed_in(request, _confirm, assessment_id, indicator_id)


def _confirm(request: Request, db: Session, user: User, assessment_id: int, indicator_id: str) -> Response:
    ws = Workspace.load(db, user, assessment_id)
    assessment = ws.assessment
    ind = _indicator(request, ws.rubric, indicator_id)
    try:
        answer_service.confirm(db, assessment, ws.rubric, ws.role, user, ind.id)
    except Refused as refusal:
        db.rollback()
        return _card(request, ws, ind, error=message(request, refusal), status=refusal.status)
    if not is_htmx(request):
        return go_to(request, f"/assessments/{assessment.id}?aspect={ind.aspect}#ind-{ind.id}")
    return _card(request, ws, ind)


@router.post("/aspects/{aspect_id}/confirm")
async def confirm_aspect(request: Request, assessment_id: AssessmentId, aspect_id: str) -> Response:
    """Konfirmasi semua: confirm the aspect's carried-over indicators the member may edit; show it again."""
    return await signed_in(request, _confirm_aspect, assessment_id, aspect_id)


def _confirm_aspect(
    request: Request, db: Session, user: User, assessment_id: int, aspect_id: str
) -> Response:
    ws = Workspace.load(db, user, assessment_id)
    aspect = ws.aspect(aspect_id, language_of(request))
    try:
        answer_service.confirm_aspect(db, ws.assessment, ws.rubric, ws.role, user, aspect.id)
    except Refused as refusal:
        db.rollback()
        return page(request, db, user, assessment_id, aspect.id, error=message(request, refusal),
                    status=refusal.status)
    commit_before_rendering(db)
    if not is_htmx(request):
        return go_to(request, f"/assessments/{assessment_id}?aspect={aspect.id}")
    return page(request, db, user, assessment_id, aspect.id)


@router.post("/indicators/{indicator_id}/comments")
async def comment(
    request: Request, assessment_id: AssessmentId, indicator_id: str, body: Annotated[str, Form()] = ""
) -> Response:
    """Add a comment (peninjau, koordinator, kontributor); answers with the indicator's comment list."""
    return await signed_in(request, _comment, assessment_id, indicator_id, body)


def _comment(
    request: Request, db: Session, user: User, assessment_id: int, indicator_id: str, body: str
) -> Response:
    ws = Workspace.load(db, user, assessment_id)
    assessment = ws.assessment
    ind = _indicator(request, ws.rubric, indicator_id)
    try:
        answer_service.add_comment(db, assessment, ws.rubric, ws.role, user, ind.id, body)
    except Refused as refusal:
        db.rollback()
        if not is_htmx(request):
            return page(
                request,
                db,
                user,
                assessment.id,
                ind.aspect,
                error=message(request, refusal),
                status=refusal.status,
            )
        return _card(
            request, ws, ind, comment_error=message(request, refusal), status=refusal.status, block="comments"
        )
    if not is_htmx(request):
        return go_to(request, f"/assessments/{assessment.id}?aspect={ind.aspect}#ind-{ind.id}")
    return _card(request, ws, ind, block="comments")
