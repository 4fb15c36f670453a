"""The audit trail of an assessment: the history page, filtered by indicator or person, and its htmx list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from spbe.method.formatting import decimal_text
from spbe.services import audit
from spbe.services.assessments import rubric_of, whole_number
from spbe.store.models import AuditEvent, User
from spbe.web.deps import DbDep, UserDep, assessment_for, unit_of_work
from spbe.web.i18n import language_of, translate
from spbe.web.templating import is_htmx, render
from spbe.web.workspace import AssessmentId, clock

router = APIRouter(prefix="/assessments/{assessment_id}", include_in_schema=False)
DECIMALS = {"answer.value", "answer.target_value", "answer.source_value", "official.value"}
TRANSLATED = {"assessment.submit": "q.status.", "assessment.reopen": "q.status.", "member.role": "q.role.",
              "member.add": "q.role.", "user.deactivate": "admin.state.", "user.activate": "admin.state."}


@dataclass(frozen=True)
class Entry:
    """One event as people read it: when, who, what changed, from what to what, and any note."""

    event: AuditEvent
    when: str
    who: str
    what: str
    old: str | None
    new: str | None
    note: str


def _name(user: User | None) -> str:
    return (user.full_name or user.username) if user else ""


def _value(action: str, text: str | None, names: dict[int, str], lang: str) -> str | None:
    """A recorded value for people: decimals with a comma in Indonesian, people by name, statuses translated."""
    if text is None:
        return None
    if action in DECIMALS and text.strip():
        value = Decimal(text)
        return decimal_text(value, max(0, -int(value.as_tuple().exponent)), lang)  # as exact as recorded
    if action == "answer.assignee":
        return names.get(int(text), f"#{text}")
    if action in TRANSLATED:
        return translate(TRANSLATED[action] + text, lang)
    return text


def entries(db: Session, rows: list[tuple[AuditEvent, User | None]], lang: str) -> list[Entry]:
    """Events with their authors as Entry lines in the user's language."""
    ids = {int(v) for e, _ in rows if e.action == "answer.assignee" for v in (e.old_value, e.new_value) if v}
    names = {u.id: _name(u) for u in db.exec(select(User).where(col(User.id).in_(ids)))} if ids else {}
    return [
        Entry(
            event=e,
            when=clock(e.at, date=True),
            who=_name(author) or translate("audit.cli", lang),
            what=translate(f"audit.action.{e.action}", lang),
            old=_value(e.action, e.old_value, names, lang),
            new=_value(e.action, e.new_value, names, lang),
            note=translate(f"audit.note.{e.action}", lang, note=e.note) if e.note else "",
        )
        for e, author in rows
    ]


def _filter(raw: str, request: Request, key: str) -> int | None:
    """A posted id filter: empty for none, else a whole number (422 otherwise)."""
    if not raw.strip():
        return None
    number = whole_number(raw)
    if number is None:
        raise HTTPException(status_code=422, detail=translate(key, language_of(request), value=raw[:20]))
    return number


@router.get("/history")
@unit_of_work
def history(
    request: Request,
    db: DbDep,
    user: UserDep,
    assessment_id: AssessmentId,
    indicator: str = "",
    person: str = "",
    before: str = "",
) -> Response:
    """Members see who changed what: the whole page, or only the list for htmx (the questionnaire's Riwayat)."""
    assessment, _ = assessment_for(db, user, assessment_id)
    rubric = rubric_of(assessment)
    if indicator and indicator not in rubric.indicator_by_id:
        lang = language_of(request)
        detail = translate("q.error.indicator", lang, indicator=indicator[:16], rubric=rubric.id)
        raise HTTPException(status_code=404, detail=detail)
    person_id = _filter(person, request, "audit.error.filter")
    rows, more = audit.history(
        db,
        assessment,
        indicator_id=indicator or None,
        user_id=person_id,
        before=_filter(before, request, "audit.error.filter"),
    )
    ctx = {
        "a": assessment,
        "rubric": rubric,
        "entries": entries(db, rows, language_of(request)),
        "older": rows[-1][0].id if more else None,
        "indicator": indicator,
        "person": person_id,
        "authors": audit.authors(db, assessment),
    }
    block = "entries" if is_htmx(request) else None
    return render(request, "assessments/history.html", ctx, block=block)
