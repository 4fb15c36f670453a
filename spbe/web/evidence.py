"""Evidence per indicator: the panel (htmx fragment or page), adding files and links, delete, download."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from spbe.method.evidence_rules import (
    EvidenceInput,
    InvalidEvidence,
    chosen_level,
    date_warning,
    evaluation_period,
    evidence_expected,
    parse_input,
    today_in_indonesia,
)
from spbe.method.formatting import decimal_text
from spbe.method.rubric import Indicator, get_rubric
from spbe.services import audit
from spbe.services.permissions import Action, can
from spbe.store import evidence_files
from spbe.store.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Evidence,
    EvidenceKind,
    Role,
    StoredFile,
    User,
    level_list,
    utcnow,
)
from spbe.web.deps import DbDep, UserDep, assessment_for, signed_in, unit_of_work
from spbe.web.i18n import language_of, translate
from spbe.web.templating import is_htmx, render
from spbe.web.upload_form import FormError, UploadForm, read_upload_form
from spbe.web.workspace import AnswerRow

AnswerLike = Answer | AnswerRow  # an ORM answer, or the questionnaire's plain row of one
router = APIRouter(include_in_schema=False)  # HTML pages; /api/openapi.json documents /api only

MIB = 1024 * 1024
FORM_OVERHEAD = 256 * 1024  # room for the text fields and multipart framing around the file in one request
CHANGED_EVENT = "evidence-changed"  # htmx event sent after a change, for pages that show evidence counts
SHOWN = 5  # items a card lists at first (the newest); "N data dukung lainnya" loads the rest (issue 17)
FORMS = ("file", "url")

# HTTP status for each reason an upload or form is refused.
STATUS = {"too_large": 413, "type": 415, "empty": 422, "malformed": 400, "duplicate": 409}

# What a card needs of every item (checklist, date warnings, how many more), read as plain rows: building
# ORM objects for a large instansi's hundreds of items took ten times the query; only the listed ones are.
SUMMARY = (Evidence.id, Evidence.indicator_id, Evidence.title, Evidence.doc_number, Evidence.doc_date, Evidence.levels)
ItemSummary = sa.Row[tuple[int, str, str, str, dt.date | None, str]]


class Refused(Exception):
    """Input refused with a message key (evidence.error.<reason>) and an HTTP status; nothing is written."""

    def __init__(self, reason: str, status: int = 422, values: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason, self.status, self.values = reason, status, values or {}


@dataclass
class Scope:
    """One indicator of one assessment, as the signed-in member sees it."""

    assessment: Assessment
    indicator: Indicator
    answer: AnswerLike | None
    can_edit: bool
    user: User


def _scope(request: Request, db: Session, user: User, assessment_id: int, indicator_id: str) -> Scope:
    """Load the indicator for a member of the assessment's instansi: 404 for others or unknown indicators."""
    assessment, role = assessment_for(db, user, assessment_id)
    rubric = get_rubric(assessment.rubric_id, request.app.state.settings.rubric_dir)
    indicator = rubric.indicator_by_id.get(indicator_id)
    if indicator is None:
        raise HTTPException(status_code=404, detail="error.evidence.unknown_indicator")
    answer = db.exec(
        select(Answer).where(Answer.assessment_id == assessment.id, Answer.indicator_id == indicator.id)
    ).first()
    allowed = can(role, Action.EDIT_ANSWER, user_id=user.id, answer=answer)
    return Scope(assessment, indicator, answer, allowed, user)


def _editable(request: Request, db: Session, user: User, assessment_id: int, indicator_id: str) -> Scope:
    """The scope for a change: 403 unless the member may edit the indicator, 409 once it is submitted."""
    scope = _scope(request, db, user, assessment_id, indicator_id)
    if not scope.can_edit:
        raise HTTPException(status_code=403, detail="error.forbidden")
    if scope.assessment.status != AssessmentStatus.DRAFT:
        raise HTTPException(status_code=409, detail="error.evidence.locked")
    return scope


def _size_text(size: int, lang: str) -> str:
    """A file size for people: 512 B, 5,1 KB, 2,3 MB."""
    if size < 1024:
        return f"{size} B"
    if size < MIB:
        return f"{decimal_text(Decimal(size) / 1024, 1, lang)} KB"
    return f"{decimal_text(Decimal(size) / MIB, 1, lang)} MB"


def _panel(
    request: Request,
    db: Session,
    scope: Scope,
    *,
    status: int = 200,
    error: str | None = None,
    message: str | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    """Render the evidence panel: only its block for htmx, the whole page otherwise."""
    items = db.exec(
        select(Evidence)
        .where(Evidence.assessment_id == scope.assessment.id, Evidence.indicator_id == scope.indicator.id)
        .order_by(col(Evidence.id))
    ).all()
    context = panel_context(request, scope, items, _files(db, items), fragment=is_htmx(request),
                            everything=request.query_params.get("all") == "1")
    context.update(error=error, message=message, values=values or {})
    headers = {"HX-Trigger": CHANGED_EVENT} if message else None
    block = "panel" if context["fragment"] else None
    return render(request, "evidence/panel.html", context, block=block, status_code=status, headers=headers)


def _files(db: Session, items: Sequence[Evidence]) -> dict[int, StoredFile]:
    """The stored files behind the items, by id, in one query."""
    file_ids = sorted({e.file_id for e in items if e.file_id is not None})  # evidence often shares a file
    if not file_ids:
        return {}
    return {f.id: f for f in db.exec(select(StoredFile).where(col(StoredFile.id).in_(file_ids)))}


def panel_context(
    request: Request,
    scope: Scope,
    items: Sequence[Evidence | ItemSummary],
    files: dict[int, StoredFile],
    *,
    fragment: bool,
    everything: bool = False,
    shown: Sequence[Evidence] | None = None,
) -> dict[str, Any]:
    """What evidence/panel.html shows of one indicator's items: checklist, warnings, sizes, forms.

    In a card a long list shows its newest SHOWN items and a button for the rest (`everything` shows all).
    `items` may be summaries (SUMMARY) when `shown` gives the listed ones in full.
    """
    lang = language_of(request)
    level = chosen_level(scope.answer.value if scope.answer else None, scope.indicator.levels)
    supporting = [e for e in items if level in level_list(e.levels)]
    year, today = scope.assessment.year, today_in_indonesia()
    start, end = evaluation_period(year)
    lowest = min(scope.indicator.levels)  # the floor needs no evidence, nor does an index value
    unsupported = evidence_expected(level, lowest, scope.indicator.external is not None) and not supporting
    warnings = [("evidence.warn.no_support", {"level": level})] if unsupported else []
    item_warnings = {}
    for e in items:
        kind = date_warning(e.doc_date, year, today)
        if kind:
            item_warnings[e.id] = kind
            warnings.append(
                (f"evidence.warn.{kind}", {"title": e.title, "date": e.doc_date, "start": start, "end": end})
            )
    collapsed = fragment and not everything
    if shown is None:
        shown = items[-SHOWN:] if collapsed else items  # type: ignore[assignment]
    supporting_shown = supporting[-SHOWN:] if collapsed else supporting
    sizes = {f.id: _size_text(f.size, lang) for f in files.values()}
    return {
        "scope": scope,
        "indicator": scope.indicator,
        "items": shown,
        "hidden": len(items) - len(shown),
        "files": files,
        "sizes": sizes,
        "level": level,
        "expected": scope.indicator.levels[level].checklist if level else [],
        "supporting": supporting_shown,
        "supporting_hidden": len(supporting) - len(supporting_shown),
        "warnings": warnings,
        "item_warnings": item_warnings,
        "rubric_levels": sorted(scope.indicator.levels),
        "max_mb": request.app.state.settings.max_upload_mb,
        "base": f"/assessments/{scope.assessment.id}/indicators/{scope.indicator.id}/evidence",
        "error": None,
        "message": None,
        "values": {},
        "fragment": fragment,
    }


def panels(
    request: Request,
    db: Session,
    assessment: Assessment,
    role: Role,
    user: User,
    indicators: Sequence[Indicator],
    answers: Mapping[str, AnswerLike],
) -> dict[str, dict[str, Any]]:
    """The panels of several indicators (a questionnaire page, a saved card), from two queries in all.

    The page renders them in place, so the browser has nothing to fetch after it (issue 17).
    """
    ids = [ind.id for ind in indicators]
    summaries: dict[str, list[ItemSummary]] = {i: [] for i in ids}
    query = select(*SUMMARY).where(Evidence.assessment_id == assessment.id, col(Evidence.indicator_id).in_(ids))
    for row in db.exec(query.order_by(col(Evidence.id))):
        summaries[row.indicator_id].append(row)
    listed = [row.id for rows in summaries.values() for row in rows[-SHOWN:]]
    full = {e.id: e for e in db.exec(select(Evidence).where(col(Evidence.id).in_(listed)))} if listed else {}
    files = _files(db, list(full.values()))
    found: dict[str, dict[str, Any]] = {}
    for ind in indicators:
        answer = answers.get(ind.id)
        allowed = can(role, Action.EDIT_ANSWER, user_id=user.id, answer=answer)  # type: ignore[arg-type]
        shown = [full[row.id] for row in summaries[ind.id][-SHOWN:]]
        own_files = {e.file_id: files[e.file_id] for e in shown if e.file_id in files}
        scope = Scope(assessment, ind, answer, allowed, user)
        found[ind.id] = panel_context(request, scope, summaries[ind.id], own_files, fragment=True, shown=shown)
    return found


def _refusal(request: Request, db: Session, scope: Scope, refused: Refused) -> Response:
    """The panel again with a clear message for refused input, at the refusal's status."""
    settings = request.app.state.settings
    levels = sorted(scope.indicator.levels)
    text = translate(
        f"evidence.error.{refused.reason}",
        language_of(request),
        mb=settings.max_upload_mb,
        min=levels[0],
        max=levels[-1],
    )
    return _panel(request, db, scope, status=refused.status, error=text, values=refused.values)


def _changed(request: Request, db: Session, scope: Scope, message: str) -> Response:
    """After a change: the fresh panel for htmx, a redirect to the panel page for a plain form post."""
    if is_htmx(request):
        return _panel(request, db, scope, message=message)
    return RedirectResponse(
        f"/assessments/{scope.assessment.id}/indicators/{scope.indicator.id}/evidence", status_code=303
    )


def _lock(db: Session, assessment: Assessment) -> None:
    """Serialise evidence changes of one assessment: a row write holds the lock (PostgreSQL) or the write lock
    (SQLite) until commit, so a form posted twice at once cannot slip past the duplicate check."""
    assessment.updated_at = utcnow()
    db.add(assessment)
    db.flush()


def _new_item(scope: Scope, data: EvidenceInput, kind: EvidenceKind, **extra: Any) -> Evidence:
    """A new evidence row for the scope's indicator, created by the signed-in member."""
    item = Evidence(
        assessment_id=scope.assessment.id,
        indicator_id=scope.indicator.id,
        kind=kind.value,
        title=data.title,
        doc_number=data.doc_number,
        doc_date=data.doc_date,
        internal=data.internal,
        url=data.url,
        note=data.note,
        created_by_id=scope.user.id,
        **extra,
    )
    item.level_list = list(data.levels)
    return item


def _add(db: Session, scope: Scope, item: Evidence) -> None:
    """Store a new item with its audit event, in one transaction."""
    db.add(item)
    ind, note = item.indicator_id, item.original_filename or item.url
    audit.record(
        db, scope.user, "evidence.add", scope.assessment, indicator_id=ind, new=item.title, note=note
    )
    db.commit()


def _parse(
    scope: Scope, get: Callable[[str], str], getlist: Callable[[str], list[str]], *, link: bool
) -> EvidenceInput:
    """Check the submitted fields; a refusal carries what was typed so the form can show it again."""
    try:
        return parse_input(get, getlist, scope.indicator.levels, link=link)
    except InvalidEvidence as e:
        values = {name: get(name) for name in ("title", "doc_number", "doc_date", "url", "note", "internal")}
        values["levels"] = getlist("levels")
        raise Refused(e.field, 422, {"kind": "url" if link else "file", **values}) from None


def _save_file(request: Request, db: Session, scope: Scope, form: UploadForm) -> Response:
    """Check the fields, refuse a duplicate, store the content once and add the item (all or nothing)."""
    data = _parse(scope, form.get, form.getlist, link=False)
    if form.staged is None:
        raise Refused("empty", STATUS["empty"], {"kind": "file"})
    _lock(db, scope.assessment)
    duplicate = db.exec(
        select(Evidence.id)
        .join(StoredFile, col(StoredFile.id) == Evidence.file_id)
        .where(
            Evidence.assessment_id == scope.assessment.id,
            Evidence.indicator_id == scope.indicator.id,
            Evidence.title == data.title,
            StoredFile.sha256 == form.staged.sha256,
        )
    ).first()
    if duplicate is not None:
        raise Refused("duplicate", 409)
    stored = evidence_files.store(db, form.staged, request.app.state.settings.evidence_dir)
    name = evidence_files.clean_filename(form.filename, form.staged.type)
    _add(db, scope, _new_item(scope, data, EvidenceKind.FILE, file_id=stored.id, original_filename=name))
    return _changed(request, db, scope, "evidence.added")


@router.get("/assessments/{assessment_id}/indicators/{indicator_id}/evidence")
@unit_of_work
def evidence_panel(
    request: Request, assessment_id: int, indicator_id: str, db: DbDep, user: UserDep
) -> Response:
    return _panel(request, db, _scope(request, db, user, assessment_id, indicator_id))


@router.get("/assessments/{assessment_id}/indicators/{indicator_id}/evidence/form/{kind}")
@unit_of_work
def evidence_form(
    request: Request, assessment_id: int, indicator_id: str, kind: str, db: DbDep, user: UserDep
) -> Response:
    """One form to add evidence, fetched into a card when its "Unggah berkas" / "Tambah tautan" is opened."""
    if kind not in FORMS:
        raise HTTPException(status_code=404, detail="error.not_found")
    scope = _scope(request, db, user, assessment_id, indicator_id)
    if not scope.can_edit:
        raise HTTPException(status_code=403, detail="error.forbidden")
    context = panel_context(request, scope, [], {}, fragment=True)
    return render(request, "evidence/panel.html", context, block=f"{kind}_form")


@router.post("/assessments/{assessment_id}/indicators/{indicator_id}/evidence/file")
async def add_file(request: Request, assessment_id: int, indicator_id: str) -> Response:
    """Stream an uploaded file to disk (never whole in memory), refusing it early when it is too large.

    No database connection is held while the file arrives: the member's right to add is checked in one
    unit of work before the body is read, and again, with the save, in a second one after.
    """
    await signed_in(request, _editable, assessment_id, indicator_id)
    settings = request.app.state.settings
    max_file = settings.max_upload_mb * MIB
    declared = request.headers.get("content-length", "")
    form, refused = UploadForm(), None
    try:
        if declared.isdigit() and int(declared) > max_file + FORM_OVERHEAD:
            refused = Refused("too_large", 413, {"kind": "file"})
        else:
            try:
                limit = max_file + FORM_OVERHEAD
                form = await read_upload_form(request, settings.evidence_dir, max_file, limit)
            except (FormError, evidence_files.UploadRejected) as e:
                refused = Refused(e.reason, STATUS[e.reason], {"kind": "file"})
        return await signed_in(request, _store_upload, assessment_id, indicator_id, form, refused)
    finally:
        form.discard()


def _store_upload(
    request: Request, db: Session, user: User, assessment_id: int, indicator_id: str, form: UploadForm,
    refused: Refused | None,
) -> Response:
    """Save the received file, or show why it was refused, if the member may still add evidence here."""
    scope = _editable(request, db, user, assessment_id, indicator_id)
    try:
        if refused is not None:
            raise refused
        return _save_file(request, db, scope, form)
    except Refused as refusal:
        db.rollback()
        return _refusal(request, db, scope, refusal)


@router.post("/assessments/{assessment_id}/indicators/{indicator_id}/evidence/url")
@unit_of_work
def add_url(
    request: Request,
    assessment_id: int,
    indicator_id: str,
    db: DbDep,
    user: UserDep,
    title: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    levels: Annotated[list[str] | None, Form()] = None,
    internal: Annotated[str, Form()] = "",
) -> Response:
    """Add a link (with a note such as dummy credentials for an application)."""
    scope = _editable(request, db, user, assessment_id, indicator_id)
    fields = {"title": title, "url": url, "note": note, "internal": internal}
    try:
        data = _parse(scope, lambda name: fields.get(name, ""), lambda _name: levels or [], link=True)
        _lock(db, scope.assessment)
        duplicate = db.exec(
            select(Evidence.id).where(
                Evidence.assessment_id == scope.assessment.id,
                Evidence.indicator_id == scope.indicator.id,
                Evidence.title == data.title,
                Evidence.url == data.url,
            )
        ).first()
        if duplicate is not None:
            raise Refused("duplicate", 409)
    except Refused as refused:
        db.rollback()
        return _refusal(request, db, scope, refused)
    _add(db, scope, _new_item(scope, data, EvidenceKind.URL))
    return _changed(request, db, scope, "evidence.added")


@router.post("/evidence/{evidence_id}/delete")
@unit_of_work
def delete_evidence(request: Request, evidence_id: int, db: DbDep, user: UserDep) -> Response:
    """Remove an item (koordinator, or the kontributor assigned to its indicator); stored content is kept."""
    item = db.get(Evidence, evidence_id)
    if item is None:
        raise HTTPException(status_code=404, detail="error.not_found")
    scope = _editable(request, db, user, item.assessment_id, item.indicator_id)
    ind, note = item.indicator_id, item.original_filename or item.url
    audit.record(db, user, "evidence.delete", scope.assessment, indicator_id=ind, old=item.title, note=note)
    db.delete(item)
    db.commit()
    return _changed(request, db, scope, "evidence.deleted")


def _attachment(name: str) -> str:
    """A Content-Disposition for a download: an ASCII fallback name plus the exact name in RFC 5987 form."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = "".join("_" if ch in '"\\' else ch for ch in fallback).strip() or "berkas"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get("/evidence/{evidence_id}/download")
@unit_of_work
def download(request: Request, evidence_id: int, db: DbDep, user: UserDep) -> Response:
    """Send an evidence file to a member of its instansi, always as an attachment browsers must not sniff."""
    item = db.get(Evidence, evidence_id)
    if item is None or item.file_id is None:
        raise HTTPException(status_code=404, detail="error.not_found")
    assessment_for(db, user, item.assessment_id)
    stored = db.get(StoredFile, item.file_id)
    path = evidence_files.path_of(request.app.state.settings.evidence_dir, stored) if stored else None
    if stored is None or path is None or not path.is_file():
        raise HTTPException(status_code=404, detail="error.not_found")
    return FileResponse(
        path,
        media_type=stored.content_type,
        headers={
            "Content-Disposition": _attachment(item.original_filename),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-cache",
        },
    )
