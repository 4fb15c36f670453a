"""Butir of an assessment: prepare them, mark them uploaded, record and import the asesor's verdicts.

Kontributor prepare the butir of the indicators assigned to them (attach evidence, mark disiapkan); the
koordinator does that for any indicator, marks butir uploaded and records verdicts, also after the
assessment is submitted (the verdicts arrive afterwards). Every change is one audit event in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from spbe.method.butir import CHOSEN, REJECTED, IndicatorButir, Reason, Status, parse_code, summarise
from spbe.method.external import values_with_external
from spbe.method.rubric import Rubric
from spbe.method.scoring import Score, score
from spbe.method.verdicts_file import VerdictsFileError, indicator_ids, instrument, parse_verdicts
from spbe.services import audit
from spbe.services import official as official_service
from spbe.services.assessments import Conflict, Forbidden, Invalid, Missing, answers_of
from spbe.services.permissions import ALLOWED, Action, can
from spbe.store.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    ButirEvidence,
    ButirState,
    Evidence,
    Role,
    User,
    utcnow,
)

MAX_NOTE = 5_000
PREPARING = (Status.BELUM, Status.DISIAPKAN)  # what a kontributor may set
JUDGING = (Status.DIUNGGAH, Status.DITERIMA, Status.REVISI)  # what only the koordinator may set


@dataclass(frozen=True)
class Change:
    """What the import changed: butir whose state moved, and official values set."""

    butir: int
    values: int


def butir_of(rubric: Rubric, code: str) -> tuple[str, str, int]:
    """(indicator id, stable code, level) of a butir of this rubric, or Missing naming the code."""
    try:
        found = rubric.butir_by_code(code)
    except (KeyError, ValueError):
        raise Missing("butir.error.unknown", code=code[:20], rubric=rubric.id) from None
    parts = parse_code(found.code)
    return indicator_ids(rubric)[parts.indicator], found.code, parts.level


def has_butir(rubric: Rubric) -> bool:
    """True for an instrument whose levels list butir (pemdi-2026); SPBE years have none."""
    return rubric.lists_butir


def codes_by_level(rubric: Rubric, indicator_id: str) -> dict[int, list[str]]:
    """Level -> the stable codes of an indicator's butir, in the rubric's order."""
    levels = rubric.indicator_by_id[indicator_id].levels
    return {n: [b.code for b in levels[n].butir] for n in sorted(levels)}


def states_of(db: Session, assessment: Assessment) -> dict[str, ButirState]:
    """Stable code -> stored state of the assessment's butir (butir never touched have none)."""
    rows = db.exec(select(ButirState).where(ButirState.assessment_id == assessment.id))
    return {s.code: s for s in rows}


def summaries(
    rubric: Rubric,
    states: dict[str, ButirState],
    indicator_ids: Iterable[str] | None = None,
    accepted: Iterable[str] = (),
) -> dict[str, IndicatorButir]:
    """Indicator id -> its butir, cascade applied, with the levels reached and prepared (all or some).

    `accepted`: stable codes to treat as diterima (a simulation; nothing is stored).
    """
    stored = {code: Status(s.status) for code, s in states.items()}
    stored.update((code, Status.DITERIMA) for code in accepted)
    ids = [ind.id for ind in rubric.indicators] if indicator_ids is None else list(indicator_ids)
    return {i: summarise(i, codes_by_level(rubric, i), stored) for i in ids}


def evidence_links(db: Session, assessment: Assessment) -> dict[str, list[Evidence]]:
    """Stable code -> the evidence items serving that butir, oldest first."""
    query = (
        select(ButirState.code, Evidence)
        .join(ButirEvidence, col(ButirEvidence.butir_state_id) == ButirState.id)
        .join(Evidence, col(Evidence.id) == ButirEvidence.evidence_id)
        .where(ButirState.assessment_id == assessment.id)
        .order_by(col(Evidence.id))
    )
    links: dict[str, list[Evidence]] = {}
    for code, evidence in db.exec(query):
        links.setdefault(code, []).append(evidence)
    return links


def may_prepare(assessment: Assessment, role: Role | str | None, user: User, answer: Answer | None) -> bool:
    """True when the member may prepare this indicator's butir now (draft; koordinator or its assignee)."""
    return assessment.status == AssessmentStatus.DRAFT and can(
        role, Action.EDIT_ANSWER, user_id=user.id, answer=answer
    )


def may_judge(role: Role | str | None) -> bool:
    """True when the member may mark butir uploaded, record verdicts and due dates (the koordinator)."""
    return can(role, Action.MANAGE_ASSESSMENT)


def _check_prepare(db: Session, assessment: Assessment, role: Role, user: User, indicator_id: str) -> None:
    if Role(role) not in ALLOWED[Action.EDIT_ANSWER]:
        raise Forbidden("error.forbidden")
    if assessment.status != AssessmentStatus.DRAFT:
        raise Conflict("q.error.submitted")
    if not may_prepare(assessment, role, user, answers_of(db, assessment).get(indicator_id)):
        raise Forbidden("q.error.not_assigned")


def _found(db: Session, assessment: Assessment, code: str) -> ButirState | None:
    """The butir's stored state, if it has one."""
    query = select(ButirState).where(ButirState.assessment_id == assessment.id, ButirState.code == code)
    return db.exec(query).first()


def _state(db: Session, assessment: Assessment, indicator_id: str, code: str) -> ButirState:
    """The butir's stored state, created as `belum` when missing; Conflict when someone created it meanwhile.

    (No savepoint: SQLite's driver would commit it. The caller's transaction is rolled back on Conflict.)
    """
    found = _found(db, assessment, code)
    if found is not None:
        return found
    state = ButirState(assessment_id=assessment.id, indicator_id=indicator_id, code=code)
    db.add(state)
    try:
        db.flush()
    except IntegrityError:
        raise Conflict("q.error.changed") from None
    return state


def _label(status: str, reason: str) -> str:
    """A status as the trail shows it: 'revisi (tidak_tepat)'."""
    return f"{status} ({reason})" if reason else status


def _move(
    db: Session,
    assessment: Assessment,
    user: User | None,
    state: ButirState,
    status: Status,
    reason: Reason | None,
    note: str | None = None,
    why: str = "",
) -> bool:
    """Set a state's status, reason and (unless None) asesor note, audited; False when nothing changed."""
    reason_text = reason.value if reason else ""
    changed = False
    if (state.status, state.reason) != (status.value, reason_text):
        audit.record(
            db,
            user,
            "butir.status",
            assessment,
            indicator_id=state.indicator_id,
            old=_label(state.status, state.reason),
            new=_label(status.value, reason_text),
            note=" ".join(filter(None, [state.code, why])),
        )
        state.status, state.reason, changed = status.value, reason_text, True
    if note is not None and note != state.asesor_note:
        audit.record(
            db,
            user,
            "butir.note",
            assessment,
            indicator_id=state.indicator_id,
            old=state.asesor_note or None,
            new=note or None,
            note=state.code,
        )
        state.asesor_note, changed = note, True
    if changed:
        state.updated_at, state.updated_by_id = utcnow(), user.id if user else None
        db.add(state)
        db.flush()
    return changed


def clean_note(raw: str) -> str:
    """An asesor's note as typed: line ends unified, trimmed; refused if too long or with control bytes."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_NOTE:
        raise Invalid("q.error.too_long", limit=MAX_NOTE)
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise Invalid("q.error.control")
    return text


def set_status(
    db: Session,
    assessment: Assessment,
    rubric: Rubric,
    role: Role,
    user: User,
    code: str,
    status_raw: str,
    reason_raw: str = "",
    note_raw: str | None = None,
) -> ButirState:
    """Move one butir to a chosen status; a kontributor only to belum or disiapkan, on their indicators."""
    indicator_id, stable, _ = butir_of(rubric, code)
    try:
        status = Status(status_raw)
    except ValueError:
        raise Invalid("butir.error.status", status=status_raw[:30]) from None
    if status not in CHOSEN:
        raise Invalid("butir.error.computed")
    if status in JUDGING:
        if not may_judge(role):
            raise Forbidden("butir.error.judge")
    else:
        _check_prepare(db, assessment, role, user, indicator_id)
    reason = None
    if status is Status.REVISI:
        try:
            reason = Reason(reason_raw or Reason.TIDAK_TEPAT.value)
        except ValueError:
            raise Invalid("butir.error.reason", reason=reason_raw[:30]) from None
    state = _state(db, assessment, indicator_id, stable)
    judged = Status(state.status) not in (*PREPARING, Status.REVISI)
    if status in PREPARING and not may_judge(role) and judged:
        raise Forbidden("butir.error.judged")
    if status is Status.DISIAPKAN and not _linked(db, state):
        raise Invalid("butir.error.no_evidence", code=stable)
    note = clean_note(note_raw) if note_raw is not None and may_judge(role) else None
    _move(db, assessment, user, state, status, reason, note)
    return state


def _linked(db: Session, state: ButirState) -> list[int]:
    """Ids of the evidence items linked to a butir."""
    query = select(ButirEvidence.evidence_id).where(ButirEvidence.butir_state_id == state.id)
    return list(db.exec(query))


def attach(
    db: Session, assessment: Assessment, rubric: Rubric, role: Role, user: User, code: str, evidence_id: int
) -> ButirState:
    """Let an evidence item of the same indicator serve a butir; a butir still `belum` becomes disiapkan."""
    indicator_id, stable, _ = butir_of(rubric, code)
    _check_prepare(db, assessment, role, user, indicator_id)
    evidence = db.get(Evidence, evidence_id)
    if evidence is None or evidence.assessment_id != assessment.id or evidence.indicator_id != indicator_id:
        raise Missing("butir.error.evidence", code=stable)
    state = _state(db, assessment, indicator_id, stable)
    if evidence_id in _linked(db, state):
        return state
    db.add(ButirEvidence(butir_state_id=state.id, evidence_id=evidence_id))
    audit.record(
        db, user, "butir.evidence", assessment, indicator_id=indicator_id, new=evidence.title, note=stable
    )
    db.flush()
    if state.status == Status.BELUM:
        _move(db, assessment, user, state, Status.DISIAPKAN, None, why="bukti dilampirkan")
    return state


def detach(
    db: Session, assessment: Assessment, rubric: Rubric, role: Role, user: User, code: str, evidence_id: int
) -> ButirState:
    """Stop an evidence item serving a butir; a disiapkan butir left without evidence goes back to belum."""
    indicator_id, stable, _ = butir_of(rubric, code)
    _check_prepare(db, assessment, role, user, indicator_id)
    state = _found(db, assessment, stable)
    link = db.get(ButirEvidence, (state.id, evidence_id)) if state is not None else None
    if state is None or link is None:
        raise Missing("butir.error.evidence", code=stable)
    evidence = db.get(Evidence, evidence_id)
    db.delete(link)
    audit.record(
        db,
        user,
        "butir.evidence",
        assessment,
        indicator_id=indicator_id,
        old=evidence.title if evidence else str(evidence_id),
        note=stable,
    )
    db.flush()
    if state.status == Status.DISIAPKAN and not _linked(db, state):
        _move(db, assessment, user, state, Status.BELUM, None, why="bukti dilepas")
    return state


def set_due(
    db: Session, assessment: Assessment, rubric: Rubric, role: Role, user: User, code: str, raw: str
) -> ButirState:
    """Set (empty: clear) the date a butir should be fixed or ready by (koordinator)."""
    if not may_judge(role):
        raise Forbidden("butir.error.judge")
    indicator_id, stable, _ = butir_of(rubric, code)
    try:
        due = dt.date.fromisoformat(raw.strip()) if raw.strip() else None
    except ValueError:
        raise Invalid("butir.error.date", date=raw[:20]) from None
    state = _state(db, assessment, indicator_id, stable)
    if state.due_date != due:
        audit.record(
            db,
            user,
            "butir.due",
            assessment,
            indicator_id=indicator_id,
            old=state.due_date,
            new=due,
            note=stable,
        )
        state.due_date, state.updated_at, state.updated_by_id = due, utcnow(), user.id
        db.add(state)
        db.flush()
    return state


def import_verdicts(
    db: Session,
    assessment: Assessment,
    rubric: Rubric,
    role: Role,
    user: User | None,
    data: bytes,
    filename: str,
) -> Change:
    """Apply an asesor's verdicts file (and its official values); every row is checked before anything is."""
    if not may_judge(role):
        raise Forbidden("butir.error.judge")
    if not has_butir(rubric):
        raise Invalid("butir.error.not_pemdi")
    try:
        checked = parse_verdicts(data, filename, instrument(rubric))
    except VerdictsFileError as e:
        raise Invalid("imp.error.file", detail=str(e)) from None
    why = f"impor {filename[:80]}"
    by_portal = {b.portal_code: b.code for ind in rubric.indicators for b in rubric.butir(ind.id)}
    moved = 0
    for portal_code, verdict in checked.verdicts.items():
        indicator_id, stable, _ = butir_of(rubric, by_portal[portal_code])
        state = _state(db, assessment, indicator_id, stable)
        moved += _move(db, assessment, user, state, verdict.status, verdict.reason, verdict.note, why)
    values = official_service.save(db, assessment, role, user, checked.values) if checked.values else 0
    return Change(moved, values)


def show(db: Session, assessment: Assessment, rubric: Rubric) -> dict[str, object]:
    """The `spbe butir show --json` object: per indicator its levels and each butir's status (portal code)."""
    if not has_butir(rubric):
        raise Invalid("butir.error.not_pemdi")
    portal = {b.code: b.portal_code for ind in rubric.indicators for b in rubric.butir(ind.id)}
    indicators = {
        indicator_id: {
            "level_reached": item.level_reached,
            "level_prepared": item.level_prepared,
            "butir": {portal[code]: status.value for code, status in item.statuses.items()},
        }
        for indicator_id, item in summaries(rubric, states_of(db, assessment)).items()
    }
    return {"rubric": rubric.id, "indicators": indicators}


@dataclass(frozen=True)
class WorkItem:
    """One butir still to do: sent back (revisi, otomatis ditolak), or not accepted up to the target level."""

    indicator_id: str
    indicator_name: str
    portal_code: str
    code: str
    level: int
    title: str
    status: Status
    reason: str
    note: str
    due: dt.date | None
    unit: str  # the OPD/unit responsible for the indicator
    assignee_id: int | None
    assignee: str  # display name, '' when nobody is assigned


def _target(answer: Answer | None, reached: int, top: int) -> int:
    """The level a team works toward: the indicator's target (whole part), else the next level up."""
    if answer is not None and answer.target_value is not None:
        return min(int(answer.target_value), top)
    return min(reached + 1, top)


def work_list(db: Session, assessment: Assessment, rubric: Rubric) -> list[WorkItem]:
    """Every butir in revisi or not yet diterima up to each indicator's target level, by OPD and assignee."""
    states = states_of(db, assessment)
    answers = answers_of(db, assessment)
    names = {u.id: u.full_name or u.username for u in db.exec(select(User))}
    top = rubric.meta.values.max
    items = []
    for indicator_id, summary in summaries(rubric, states).items():
        ind, answer = rubric.indicator_by_id[indicator_id], answers.get(indicator_id)
        target = _target(answer, summary.level_reached, top)
        for butir in rubric.butir(indicator_id):
            level, status = parse_code(butir.code).level, summary.statuses[butir.code]
            if status is Status.DITERIMA or (status not in REJECTED and level > target):
                continue
            state = states.get(butir.code)
            assignee_id = answer.assignee_id if answer else None
            items.append(
                WorkItem(
                    indicator_id,
                    ind.name,
                    butir.portal_code,
                    butir.code,
                    level,
                    butir.title,
                    status,
                    state.reason if state else "",
                    state.asesor_note if state else "",
                    state.due_date if state else None,
                    answer.responsible_unit if answer else "",
                    assignee_id,
                    names.get(assignee_id, "") if assignee_id else "",
                )
            )
    return sorted(items, key=lambda i: (i.unit == "", i.unit.lower(), i.assignee == "", i.assignee.lower()))


def estimated_score(
    db: Session, assessment: Assessment, rubric: Rubric, accepted: Iterable[str] = ()
) -> Score:
    """The index the butir verdicts would give under the partial-credit estimate (never the official one).

    Self-assessed indicators take their estimate from the butir; external ones keep their converted value
    (the lowest while pending), as the asesor takes them from the other agency's index. `accepted`: butir
    to simulate as diterima.
    """
    found = summaries(rubric, states_of(db, assessment), accepted=accepted)
    estimates = {i: s.estimate for i, s in found.items()}
    values = {i: v for i, v in estimates.items() if i not in rubric.external_ids}
    answers = answers_of(db, assessment)
    for indicator_id in rubric.external_ids:
        answer = answers.get(indicator_id)
        if answer is not None and answer.value is not None:
            values[indicator_id] = answer.value
    return score(rubric, values_with_external(rubric, values, {}))
