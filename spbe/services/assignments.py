"""Work by person: who holds which indicators, how far each person and OPD has come; assigning in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from spbe.method.rubric import Indicator, Rubric
from spbe.services import answers as answer_service
from spbe.services.assessments import Invalid
from spbe.store.models import Answer, Assessment, Evidence, Role, User

MAX_AT_ONCE = 100  # more indicators than any rubric has


@dataclass
class Progress:
    """A person's or an OPD's indicators: how many are assigned, answered, backed by evidence, confirmed."""

    name: str
    indicators: list[str] = field(default_factory=list)
    answered: int = 0
    with_evidence: int = 0
    confirmed: int = 0

    @property
    def assigned(self) -> int:
        return len(self.indicators)


@dataclass(frozen=True)
class Overview:
    """The assessment's assignment overview: per person (unassigned last) and per responsible OPD/unit."""

    people: list[Progress]
    units: list[Progress]
    unassigned: Progress


def _evidence_counts(db: Session, assessment: Assessment) -> dict[str, int]:
    rows = db.exec(select(Evidence.indicator_id, func.count()).where(Evidence.assessment_id == assessment.id)
                   .group_by(Evidence.indicator_id))
    return dict(rows.all())


def _count(progress: Progress, indicator_id: str, answer: Answer | None, evidence: dict[str, int]) -> None:
    progress.indicators.append(indicator_id)
    progress.answered += answer is not None and answer.value is not None and not answer.carried_over
    progress.with_evidence += evidence.get(indicator_id, 0) > 0
    progress.confirmed += answer is not None and not answer.carried_over


def _by_name(progress: Progress) -> str:
    return progress.name.casefold()


def overview(db: Session, assessment: Assessment, rubric: Rubric) -> Overview:
    """Every indicator counted under its assignee and under its responsible unit (when one is named)."""
    rows = db.exec(select(Answer).where(Answer.assessment_id == assessment.id))
    answers = {a.indicator_id: a for a in rows}
    evidence = _evidence_counts(db, assessment)
    ids = {a.assignee_id for a in answers.values() if a.assignee_id is not None}
    names = {u.id: u.full_name or u.username for u in db.exec(select(User).where(col(User.id).in_(ids)))}
    people: dict[int, Progress] = {}
    units: dict[str, Progress] = {}
    unassigned = Progress("")
    for ind in rubric.indicators:
        answer = answers.get(ind.id)
        who = answer.assignee_id if answer else None
        holder = unassigned if who is None else people.setdefault(who, Progress(names.get(who, f"#{who}")))
        _count(holder, ind.id, answer, evidence)
        unit = answer.responsible_unit.strip() if answer else ""
        if unit:
            _count(units.setdefault(unit.casefold(), Progress(unit)), ind.id, answer, evidence)
    return Overview(sorted(people.values(), key=_by_name), sorted(units.values(), key=_by_name), unassigned)


def mine(db: Session, assessment: Assessment, rubric: Rubric, user: User) -> list[tuple[Indicator, Answer]]:
    """The indicators assigned to this user, in rubric order, with their answers."""
    rows = db.exec(select(Answer).where(Answer.assessment_id == assessment.id, Answer.assignee_id == user.id))
    found = {a.indicator_id: a for a in rows}
    return [(ind, found[ind.id]) for ind in rubric.indicators if ind.id in found]


def assign(
    db: Session, assessment: Assessment, rubric: Rubric, role: Role, user: User,
    indicator_ids: Iterable[str], assignee: str,
) -> int:
    """Give several indicators to one member (or to nobody with ''), each change audited; how many changed.

    All or nothing: an unknown indicator, an unknown member or a refused change writes nothing.
    """
    chosen = list(dict.fromkeys(i.strip() for i in indicator_ids if i.strip()))
    if not chosen or len(chosen) > MAX_AT_ONCE:
        raise Invalid("assign.error.none")
    changed = 0
    for indicator_id in chosen:
        _, fields = answer_service.save(db, assessment, rubric, role, user, indicator_id,
                                        {"assignee_id": assignee}, None)
        changed += bool(fields)
    return changed
