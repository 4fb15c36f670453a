"""Assessment rules shared by the pages and the API: list, create, carry over, submit and reopen (audited)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from spbe.method.butir import Status
from spbe.method.external import values_with_external
from spbe.method.rubric import DEFAULT_RUBRIC_ID, Rubric, available_rubrics, get_rubric
from spbe.method.scoring import Score, ValueProblem, check_value, score
from spbe.services import audit
from spbe.services.permissions import Action, can
from spbe.store.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    ButirEvidence,
    ButirState,
    Evidence,
    Instansi,
    InstansiKind,
    Membership,
    Role,
    User,
    utcnow,
)

FIRST_YEAR = 2018  # the first national SPBE evaluation
MAX_ID = 2**31 - 1  # the largest key an INTEGER column holds on both databases
MAX_REASON = 1_000
INSTANSI_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
CARRIED_NOTE = re.compile(r"Catatan asesor \d{4}: ")  # how a note carried over from an earlier year starts


class Refused(Exception):
    """An action refused for a reason the user must read; `key` names the message in web/i18n."""

    status = 400

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


class Invalid(Refused):
    """Bad input: nothing was changed."""

    status = 422


class Forbidden(Refused):
    """The member's role does not allow this."""

    status = 403


class Missing(Refused):
    """The thing named in the request does not exist (or is not the member's)."""

    status = 404


class Conflict(Refused):
    """The request clashes with the current state (already exists, submitted, changed meanwhile)."""

    status = 409


@dataclass(frozen=True)
class Overview:
    """One line of the assessment list: the assessment, its rubric and its current score."""

    assessment: Assessment
    rubric: Rubric
    score: Score
    unconfirmed: int = 0  # answers carried over from last year that nobody has confirmed yet


def rubric_of(assessment: Assessment) -> Rubric:
    """The rubric version an assessment is bound to."""
    return get_rubric(assessment.rubric_id)


def answers_of(db: Session, assessment: Assessment) -> dict[str, Answer]:
    """Indicator id -> answer row of an assessment (indicators never touched have no row)."""
    rows = db.exec(select(Answer).where(Answer.assessment_id == assessment.id))
    return {a.indicator_id: a for a in rows}


def score_of(rubric: Rubric, answers: dict[str, Answer]) -> Score:
    """Score the answered indicators of an assessment (external ones still pending count as the lowest value)."""
    values = {i: a.value for i, a in answers.items() if a.value is not None}
    return score(rubric, values_with_external(rubric, values, {}))


def overviews(db: Session, instansi_id: int) -> list[Overview]:
    """The instansi's assessments, newest year first, each with its score."""
    query = (
        select(Assessment).where(Assessment.instansi_id == instansi_id).order_by(col(Assessment.year).desc())
    )
    result = []
    for assessment in db.exec(query):
        rubric = rubric_of(assessment)
        answers = answers_of(db, assessment)
        unconfirmed = sum(1 for a in answers.values() if a.carried_over)
        result.append(Overview(assessment, rubric, score_of(rubric, answers), unconfirmed))
    return result


def memberships(db: Session, user: User) -> list[tuple[Instansi, Role]]:
    """The instansi a user belongs to, with their role in each, by name."""
    rows = db.exec(select(Instansi, Membership.role).join(Membership).where(Membership.user_id == user.id))
    return sorted(((i, Role(r)) for i, r in rows), key=lambda pair: pair[0].name)


def add_instansi(db: Session, code: str, name: str, kind: str | None = None) -> Instansi:
    """A new instansi (command line); its kind read from the name ('Kota …', 'Kabupaten …') unless given."""
    if not INSTANSI_CODE.fullmatch(code):
        raise Invalid("inst.error.code", code=code[:100])
    if not name.strip() or len(name) > 200:
        raise Invalid("inst.error.name")
    if db.exec(select(Instansi.id).where(Instansi.code == code)).first() is not None:
        raise Conflict("inst.error.exists", code=code)
    chosen = kind or _kind_from_name(name)
    if chosen not in {k.value for k in InstansiKind}:
        raise Invalid("inst.error.kind", kind=chosen[:30])
    instansi = Instansi(code=code, name=name.strip(), kind=chosen)
    db.add(instansi)
    db.flush()
    audit.record(db, None, "instansi.create", instansi, new=code, note=instansi.name)
    db.flush()
    return instansi


def _kind_from_name(name: str) -> str:
    """The kind an instansi's name implies; a lembaga when the name says nothing."""
    first = name.strip().split(" ")[0].lower().rstrip(".")
    words = {"kota": "kota", "kabupaten": "kabupaten", "kab": "kabupaten", "provinsi": "provinsi",
             "prov": "provinsi", "kementerian": "kementerian"}
    return words.get(first, InstansiKind.LEMBAGA_LAINNYA.value)


def whole_number(raw: str) -> int | None:
    """A posted plain number (ASCII digits) small enough for a database key, else None."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 10) or int(text) > MAX_ID:
        return None
    return int(text)


def parse_year(raw: str) -> int:
    """A year typed into the form, within the years SPBE has been (or is about to be) evaluated."""
    last = utcnow().year + 1
    year = whole_number(raw)
    if year is None or not FIRST_YEAR <= year <= last:
        raise Invalid("q.error.year", year=raw.strip()[:20], first=FIRST_YEAR, last=last)
    return year


def rubric_for_year(year: int) -> str:
    """The instrument new assessments of a year use by default: the newest whose first cycle is not after it.

    From 2026 on that is `pemdi-2026` (PermenPANRB 8/2026); earlier years keep `spbe-2021`.
    """
    starts = [(min(r.meta.cycles), r.id) for r in map(get_rubric, available_rubrics()) if r.meta.cycles]
    fitting = [pair for pair in starts if pair[0] <= year]
    return max(fitting)[1] if fitting else DEFAULT_RUBRIC_ID


def _rubric(rubric_id: str) -> Rubric:
    """One of the installed rubric versions (an id is never used as a path before it is found among them)."""
    if rubric_id not in available_rubrics():
        raise Invalid("q.error.rubric", rubric=rubric_id[:64])
    return get_rubric(rubric_id)


def create(
    db: Session,
    instansi: Instansi,
    role: Role,
    year_raw: str,
    rubric_id: str,
    from_previous: bool,
    *,
    user: User | None,
) -> Assessment:
    """A new draft for a year, empty or carried over from the latest earlier one; one per instansi a year."""
    if not can(role, Action.MANAGE_ASSESSMENT):
        raise Forbidden("error.forbidden")
    year, rubric = parse_year(year_raw), _rubric(rubric_id)
    taken = select(Assessment.id).where(Assessment.instansi_id == instansi.id, Assessment.year == year)
    if db.exec(taken).first() is not None:
        raise Conflict("q.error.year_exists", year=year)
    source = _previous(db, instansi, year) if from_previous else None
    if from_previous and source is None:
        raise Invalid("q.error.no_previous", year=year)
    if source is not None and source.rubric_id != rubric.id:
        raise Invalid("q.error.previous_rubric", year=source.year, rubric=source.rubric_id)
    assessment = Assessment(
        instansi_id=instansi.id, year=year, rubric_id=rubric.id, rubric_version=rubric.meta.version
    )
    db.add(assessment)
    try:
        db.flush()
    except IntegrityError:  # created by someone else between the check and the insert
        db.rollback()
        raise Conflict("q.error.year_exists", year=year) from None
    if source is not None:
        carry_over(db, source, assessment, rubric)
    note = str(source.year) if source else ""
    audit.record(db, user, "assessment.create", assessment, new=rubric.id, note=note)
    db.flush()
    return assessment


def _previous(db: Session, instansi: Instansi, year: int) -> Assessment | None:
    query = select(Assessment).where(Assessment.instansi_id == instansi.id, Assessment.year < year)
    return db.exec(query.order_by(col(Assessment.year).desc())).first()


def carry_over(db: Session, source: Assessment, target: Assessment, rubric: Rubric) -> None:
    """Copy levels, explanations, targets, units and evidence rows (same stored files) as carried over.

    Butir links go with their evidence (see `_carry_butir`).
    """
    for old in answers_of(db, source).values():
        if old.indicator_id not in rubric.indicator_by_id:
            continue
        db.add(
            Answer(
                assessment_id=target.id,
                indicator_id=old.indicator_id,
                value=_still_valid(rubric, old.value),
                explanation=old.explanation,
                target_value=_still_valid(rubric, old.target_value),
                source_value=old.source_value,
                responsible_unit=old.responsible_unit,
                carried_over=True,
            )
        )
    copies: dict[int, Evidence] = {}
    for ev in db.exec(select(Evidence).where(Evidence.assessment_id == source.id)):
        if ev.indicator_id in rubric.indicator_by_id:
            fields = ev.model_dump(exclude={"id", "assessment_id", "carried_over", "created_at"})
            copies[ev.id] = Evidence(**fields, assessment_id=target.id, carried_over=True)
            db.add(copies[ev.id])
    db.flush()
    _carry_butir(db, source, target, rubric, {old: new.id for old, new in copies.items() if new.id})


def carried_note(year: int, note: str) -> str:
    """Last year's asesor note as the new year shows it ('Catatan asesor 2026: …'); an older one as it was."""
    if not note or CARRIED_NOTE.match(note):
        return note
    return f"Catatan asesor {year}: {note}"


def _carry_butir(
    db: Session, source: Assessment, target: Assessment, rubric: Rubric, copies: dict[int, int]
) -> None:
    """Last year's butir links, onto the evidence copies; the verdicts stay with last year.

    A butir starts the new year disiapkan when evidence serves it, else belum; last year's asesor note is
    kept, labelled with its year. Butir with neither get no row (they are belum).
    """
    codes = {b.code for ind in rubric.indicators for b in rubric.butir(ind.id)}
    if not codes:
        return
    linked: dict[int, list[int]] = {}
    query = (
        select(ButirEvidence.butir_state_id, ButirEvidence.evidence_id)
        .join(ButirState, col(ButirState.id) == ButirEvidence.butir_state_id)
        .where(ButirState.assessment_id == source.id)
        .order_by(col(ButirEvidence.evidence_id))
    )
    for state_id, evidence_id in db.exec(query):
        if evidence_id in copies:
            linked.setdefault(state_id, []).append(copies[evidence_id])
    old_states = db.exec(
        select(ButirState).where(ButirState.assessment_id == source.id).order_by(col(ButirState.id))
    ).all()
    for old in old_states:
        evidence, note = linked.get(old.id, []), carried_note(source.year, old.asesor_note)
        if old.code not in codes or not (evidence or note):
            continue
        status = Status.DISIAPKAN if evidence else Status.BELUM
        state = ButirState(
            assessment_id=target.id, indicator_id=old.indicator_id, code=old.code, status=status.value,
            asesor_note=note,
        )
        db.add(state)
        db.flush()
        db.add_all(ButirEvidence(butir_state_id=state.id, evidence_id=e) for e in evidence)
    db.flush()


def _still_valid(rubric: Rubric, value: object) -> object:
    """A carried-over value if the new rubric accepts it, else None (to be answered again)."""
    try:
        return None if value is None else check_value(rubric, value)
    except ValueProblem:
        return None


def submit(db: Session, assessment: Assessment, role: Role, user: User) -> None:
    """Submit (and so lock) a complete draft; submitting again changes nothing."""
    if not can(role, Action.MANAGE_ASSESSMENT):
        raise Forbidden("error.forbidden")
    if assessment.status == AssessmentStatus.SUBMITTED:
        return
    current = score_of(rubric_of(assessment), answers_of(db, assessment))
    if not current.complete:
        raise Conflict("q.error.incomplete", answered=current.answered, total=current.overall.total)
    _set_status(db, assessment, user, AssessmentStatus.SUBMITTED, "assessment.submit")


def reopen(db: Session, assessment: Assessment, role: Role, user: User, reason_raw: str) -> None:
    """Unlock a submitted assessment for changes (koordinator only, with a reason); a draft stays as it is."""
    if not can(role, Action.MANAGE_ASSESSMENT):
        raise Forbidden("error.forbidden")
    if assessment.status == AssessmentStatus.DRAFT:
        return
    reason = " ".join(reason_raw.split())
    if not reason:
        raise Invalid("q.error.reason")
    if len(reason) > MAX_REASON or any(ord(ch) < 32 for ch in reason):
        raise Invalid("q.error.reason_bad", limit=MAX_REASON)
    _set_status(db, assessment, user, AssessmentStatus.DRAFT, "assessment.reopen", note=reason)


def _set_status(
    db: Session, assessment: Assessment, user: User, status: AssessmentStatus, action: str, note: str = ""
) -> None:
    """Move the assessment to a status and record it (old -> new, with the note) in the audit trail."""
    audit.record(db, user, action, assessment, old=assessment.status, new=status.value, note=note)
    assessment.status = status.value
    assessment.updated_at = utcnow()
    db.add(assessment)
    db.flush()


def default_year(items: list[Overview]) -> int:
    """The year a new assessment most likely is for: after the latest one, else this year."""
    return max((o.assessment.year for o in items), default=utcnow().year - 1) + 1
