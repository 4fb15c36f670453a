"""Answer rules: who may edit an indicator, checked changes with optimistic locking, confirming, comments."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select, update

from spbe.method.external import convert_external, source_value
from spbe.method.rubric import Indicator, Rubric
from spbe.method.scoring import ValueProblem, check_value
from spbe.services import audit
from spbe.services.assessments import Conflict, Forbidden, Invalid, Missing, whole_number
from spbe.services.permissions import ALLOWED, Action, can
from spbe.store.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Comment,
    Evidence,
    Membership,
    Role,
    User,
    utcnow,
)

FIELDS = ("value", "explanation", "target_value", "responsible_unit", "assignee_id", "source_value")
ASSIGNABLE = (Role.KOORDINATOR.value, Role.KONTRIBUTOR.value)
MAX_EXPLANATION = 20_000
MAX_UNIT = 255
MAX_COMMENT = 5_000


class Stale(Conflict):
    """Someone saved the indicator after the version a change was based on: nothing was written."""

    def __init__(self) -> None:
        super().__init__("q.error.changed")


def indicator(rubric: Rubric, indicator_id: str) -> Indicator:
    """The rubric's indicator with this id, or Missing."""
    found = rubric.indicator_by_id.get(indicator_id)
    if found is None:
        raise Missing("q.error.indicator", indicator=indicator_id[:16], rubric=rubric.id)
    return found


# Built once (autosave runs it on every save); the values are bound per call.
ANSWER_OF = select(Answer).where(
    Answer.assessment_id == sa.bindparam("assessment_id"), Answer.indicator_id == sa.bindparam("indicator_id")
)

# Every questionnaire page lists the assignable members and the comments of its indicators.
ASSIGNEES = (
    select(User)
    .join(Membership)
    .where(
        Membership.instansi_id == sa.bindparam("instansi_id"),
        col(Membership.role).in_(ASSIGNABLE),
        col(User.is_active),
    )
)
COMMENTS = (
    select(Comment, User)
    .join(User)
    .where(
        Comment.assessment_id == sa.bindparam("assessment_id"),
        col(Comment.indicator_id).in_(sa.bindparam("ids", expanding=True)),
    )
    .order_by(col(Comment.created_at), col(Comment.id))
)


def answer_of(db: Session, assessment: Assessment, indicator_id: str) -> Answer | None:
    """The answer row of one indicator, if it was ever saved."""
    return db.exec(ANSWER_OF, params={"assessment_id": assessment.id, "indicator_id": indicator_id}).first()


def may_edit(assessment: Assessment, role: Role, user: User, answer: Answer | None) -> bool:
    """True when the member may change this indicator now (draft, and their role or assignment allows it)."""
    return assessment.status == AssessmentStatus.DRAFT and can(
        role, Action.EDIT_ANSWER, user_id=user.id, answer=answer
    )


def assignees(db: Session, instansi_id: int) -> list[User]:
    """Members an indicator can be assigned to (koordinator and kontributor), by name."""
    found = db.exec(ASSIGNEES, params={"instansi_id": instansi_id})
    return sorted(found, key=lambda u: (u.full_name or u.username).lower())


def _check_editable(assessment: Assessment, role: Role, user: User, answer: Answer | None) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise Conflict("q.error.submitted")
    if not may_edit(assessment, role, user, answer):
        raise Forbidden("q.error.not_assigned")


def _text(raw: str, limit: int) -> str:
    """Posted text with Windows line ends unified; refused when too long or holding control characters."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limit:
        raise Invalid("q.error.too_long", limit=limit)
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise Invalid("q.error.control")
    return text


def _level(rubric: Rubric, raw: str, key: str, field: str) -> Decimal | None:
    if not raw.strip():
        return None
    try:
        return check_value(rubric, raw)
    except ValueProblem as e:
        raise Invalid(key, detail=str(e), field=field) from None


def _checked(
    db: Session, assessment: Assessment, rubric: Rubric, raw: Mapping[str, str]
) -> dict[str, object]:
    """The posted fields as values to store; Invalid names the first bad one."""
    out: dict[str, object] = {}
    if "value" in raw:
        out["value"] = _level(rubric, raw["value"], "q.error.level", "value")
    if "target_value" in raw:
        out["target_value"] = _level(rubric, raw["target_value"], "q.error.target", "target_value")
    if "explanation" in raw:
        out["explanation"] = _text(raw["explanation"], MAX_EXPLANATION)
    if "responsible_unit" in raw:
        out["responsible_unit"] = " ".join(_text(raw["responsible_unit"], MAX_UNIT).split())
    if "assignee_id" in raw:
        out["assignee_id"] = _assignee(db, assessment, raw["assignee_id"])
    return out


def _external(rubric: Rubric, ind: Indicator, raw: Mapping[str, str]) -> dict[str, object]:
    """An external indicator's posted source index and the value converted from it (empty: both pending)."""
    if ind.external is None:
        if "source_value" in raw:
            raise Invalid("q.error.not_external", indicator=ind.id)
        return {}
    if raw.get("value", "").strip():
        raise Invalid("q.error.external", indicator=ind.id, source=ind.external.source)
    text = raw.get("source_value", "").strip()
    if not text:
        return {"source_value": None, "value": None} if "source_value" in raw else {}
    try:
        found = source_value(ind, text)
        if found != round(found, 4):
            raise ValueProblem(f"indeks {text} terlalu banyak angka desimal (paling banyak 4)")
    except ValueProblem as e:
        raise Invalid("q.error.source", detail=str(e)) from None
    return {"source_value": found, "value": convert_external(ind, found, rubric.meta.values.decimals)}


def _assignee(db: Session, assessment: Assessment, raw: str) -> int | None:
    if not raw.strip():
        return None
    user_id = whole_number(raw)
    if user_id not in {u.id for u in assignees(db, assessment.instansi_id)}:
        raise Invalid("q.error.assignee")
    return user_id


def _version(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    version = whole_number(raw)
    if version is None:
        raise Invalid("q.error.version")
    return version


def save(
    db: Session,
    assessment: Assessment,
    rubric: Rubric,
    role: Role,
    user: User,
    indicator_id: str,
    raw: Mapping[str, str],
    version_raw: str | None,
) -> tuple[Answer | None, frozenset[str]]:
    """Apply posted fields to an indicator's answer, naming the changed ones; a repeated post changes nothing.

    A change on top of a save newer than `version` (or than the answer as read here) is refused (Stale),
    never overwritten. Each changed field is recorded in the audit trail with its old and new value.
    """
    ind = indicator(rubric, indicator_id)
    answer = answer_of(db, assessment, indicator_id)
    _check_editable(assessment, role, user, answer)
    if "assignee_id" in raw and not can(role, Action.MANAGE_ASSESSMENT):
        raise Forbidden("q.error.assign")
    own = {k: v for k, v in raw.items() if k != "value"} if ind.external else raw  # its value is converted
    changes = {**_external(rubric, ind, raw), **_checked(db, assessment, rubric, own)}
    version = _version(version_raw)
    current = answer or Answer(assessment_id=assessment.id, indicator_id=indicator_id)
    changed = frozenset(k for k, v in changes.items() if getattr(current, k) != v)
    if not changed:
        return answer, changed
    if version is not None and version != (answer.version if answer else 0):
        raise Stale()
    before = {k: getattr(current, k) for k in FIELDS if k in changed}
    now = utcnow()
    if answer is None:
        answer = Answer(
            assessment_id=assessment.id, indicator_id=indicator_id, updated_by_id=user.id, **changes
        )
        db.add(answer)
        _flush_or_conflict(db)
    else:
        # The write is conditional: a save committed since the read is never overwritten (nor misrecorded).
        written = {**changes, "updated_at": now, "updated_by_id": user.id}
        stmt = (
            update(Answer)
            .where(col(Answer.id) == answer.id, col(Answer.version) == answer.version)
            .values(**written, version=Answer.version + 1)
            .returning(col(Answer.version))
            .execution_options(synchronize_session=False)
        )
        new_version = db.exec(stmt).scalar()
        if new_version is None:
            db.rollback()
            raise Stale()
        for key, value in {**written, "version": new_version}.items():  # what was written: no re-read
            set_committed_value(answer, key, value)
    for key, old in before.items():
        action, new = audit.ANSWER_ACTIONS[key], changes[key]
        audit.record(db, user, action, assessment, indicator_id=indicator_id, old=old, new=new)
    stmt = update(Assessment).where(col(Assessment.id) == assessment.id).values(updated_at=now)
    db.exec(stmt.execution_options(synchronize_session=False))
    set_committed_value(assessment, "updated_at", now)
    return answer, changed


def _flush_or_conflict(db: Session) -> None:
    try:
        db.flush()
    except IntegrityError:  # another save created the row first
        db.rollback()
        raise Stale() from None


def confirm(
    db: Session, assessment: Assessment, rubric: Rubric, role: Role, user: User, indicator_id: str
) -> Answer | None:
    """Clear the carried-over mark of an indicator's answer and evidence: someone checked them (audited)."""
    indicator(rubric, indicator_id)
    answer = answer_of(db, assessment, indicator_id)
    _check_editable(assessment, role, user, answer)
    marked: list[Answer | Evidence] = [answer] if answer is not None and answer.carried_over else []
    evidence = select(Evidence).where(
        Evidence.assessment_id == assessment.id,
        Evidence.indicator_id == indicator_id,
        col(Evidence.carried_over),
    )
    marked += db.exec(evidence).all()
    for row in marked:
        row.carried_over = False
        db.add(row)
    if marked:
        audit.record(db, user, "answer.confirm", assessment, indicator_id=indicator_id)
    db.flush()
    return answer


def confirm_aspect(
    db: Session, assessment: Assessment, rubric: Rubric, role: Role, user: User, aspect_id: str
) -> int:
    """Confirm every carried-over indicator of an aspect that the member may edit (each audited); how many."""
    if rubric.aspect_by_id.get(aspect_id) is None:
        raise Invalid("q.error.aspect", aspect=aspect_id[:16])
    if assessment.status != AssessmentStatus.DRAFT:
        raise Conflict("q.error.submitted")
    if Role(role) not in ALLOWED[Action.EDIT_ANSWER]:
        raise Forbidden("q.error.not_assigned")
    ids = [i.id for i in rubric.indicators_of_aspect(aspect_id)]
    answers = {a.indicator_id: a for a in db.exec(select(Answer).where(
        Answer.assessment_id == assessment.id, col(Answer.indicator_id).in_(ids)))}
    marked_evidence = set(db.exec(select(Evidence.indicator_id).where(
        Evidence.assessment_id == assessment.id, col(Evidence.indicator_id).in_(ids),
        col(Evidence.carried_over))))
    confirmed = 0
    for indicator_id in ids:
        answer = answers.get(indicator_id)
        carried = (answer is not None and answer.carried_over) or indicator_id in marked_evidence
        if carried and may_edit(assessment, role, user, answer):
            confirm(db, assessment, rubric, role, user, indicator_id)
            confirmed += 1
    return confirmed


def comments(
    db: Session, assessment: Assessment, indicator_ids: list[str]
) -> dict[str, list[tuple[Comment, User]]]:
    """Indicator id -> its comments with their authors, oldest first."""
    found: dict[str, list[tuple[Comment, User]]] = {i: [] for i in indicator_ids}
    for comment, author in db.exec(COMMENTS, params={"assessment_id": assessment.id, "ids": indicator_ids}):
        found[comment.indicator_id].append((comment, author))
    return found


def add_comment(
    db: Session, assessment: Assessment, rubric: Rubric, role: Role, user: User, indicator_id: str, body: str
) -> None:
    """Add a member's comment; posting the same text again right after is ignored (a double submit)."""
    indicator(rubric, indicator_id)
    if not can(role, Action.COMMENT):
        raise Forbidden("error.forbidden")
    text = _text(body, MAX_COMMENT)
    if not text:
        raise Invalid("q.error.comment_empty")
    last = db.exec(
        select(Comment)
        .where(
            Comment.assessment_id == assessment.id,
            Comment.indicator_id == indicator_id,
            Comment.user_id == user.id,
        )
        .order_by(col(Comment.id).desc())
    ).first()
    if last is None or last.body != text:
        db.add(Comment(assessment_id=assessment.id, indicator_id=indicator_id, user_id=user.id, body=text))
        db.flush()
