"""One assessment as one member sees it, loaded once per request; shared response helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar, overload

import sqlalchemy as sa
from fastapi import HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from spbe.method.external import values_with_external
from spbe.method.formatting import decimal_text
from spbe.method.rubric import Aspect, Domain, Indicator, Rubric
from spbe.method.scoring import Score, score
from spbe.services import answers as answer_service
from spbe.services import assessments, official
from spbe.services import butir as butir_service
from spbe.services.permissions import Action, can
from spbe.store.models import Answer, Assessment, AssessmentStatus, Instansi, Membership, Role, User
from spbe.web import dates
from spbe.web.i18n import language_of, translate
from spbe.web.templating import is_htmx

AssessmentId = Annotated[int, Path(ge=1, le=assessments.MAX_ID)]


def go_to(request: Request, url: str) -> Response:
    """Send the browser to a page: HX-Redirect for htmx, 303 otherwise."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def message(request: Request, refusal: assessments.Refused) -> str:
    """A refusal in the user's language."""
    return translate(refusal.key, language_of(request), **refusal.params)


clock = dates.clock  # '10:42', or with the date '15 Mar 2023 10:42' (WIB); pages get it in their language


T = TypeVar("T")


class lazy(Generic[T]):
    """functools.cached_property without the lock that Python 3.11 holds around each first computation.

    That lock belongs to the property, not the instance: one request's Workspace loading its answers made
    every other request wait for that query. A Workspace serves one request in one thread: no lock needed.
    """

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> lazy[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | lazy[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


# What the questionnaire shows of an answer, read as plain rows: building ORM objects for every answer
# of an assessment cost more than the query.
ANSWER_FIELDS = (
    Answer.id,
    Answer.indicator_id,
    Answer.value,
    Answer.explanation,
    Answer.target_value,
    Answer.responsible_unit,
    Answer.assignee_id,
    Answer.carried_over,
    Answer.version,
    Answer.source_value,
)
AnswerRow = sa.Row[tuple[int, str, Decimal | None, str, Decimal | None, str, int | None, bool, int, Decimal | None]]

# The two queries every questionnaire request runs, built once: building a statement (coercing each column
# and clause) took longer than SQLAlchemy's compiled-statement cache then saved. Values come as parameters.
LOAD = (
    select(Assessment, Membership.role, Instansi)
    .join(Membership, col(Membership.instansi_id) == Assessment.instansi_id)
    .join(Instansi, col(Instansi.id) == Assessment.instansi_id)
    .where(Assessment.id == sa.bindparam("assessment_id"), Membership.user_id == sa.bindparam("user_id"))
)
ANSWERS = select(*ANSWER_FIELDS).where(Answer.assessment_id == sa.bindparam("assessment_id"))


@dataclass
class Workspace:
    """One assessment seen by one member: rubric, answers, score and what the member may do."""

    db: Session
    assessment: Assessment
    role: Role
    user: User
    rubric: Rubric

    @classmethod
    def load(cls, db: Session, user: User, assessment_id: int) -> Workspace:
        """The assessment with the member's role and its instansi in one query; 404 when missing or not theirs.

        The same rule as deps.assessment_for with Action.VIEW, which every role has.
        """
        found = db.exec(LOAD, params={"assessment_id": assessment_id, "user_id": user.id}).first()
        if found is None:
            raise HTTPException(status_code=404, detail="error.not_found")
        assessment, role, instansi = found
        ws = cls(db, assessment, Role(role), user, assessments.rubric_of(assessment))
        ws.instansi = instansi  # fills the lazy property: no second query
        return ws

    @lazy
    def answers(self) -> dict[str, AnswerRow]:
        rows = self.db.exec(ANSWERS, params={"assessment_id": self.assessment.id})
        return {row.indicator_id: row for row in rows}

    @lazy
    def instansi(self) -> Instansi | None:
        return self.db.get(Instansi, self.assessment.instansi_id)

    @lazy
    def score(self) -> Score:
        """From the answers: the progress and the pending note read them too, so one query serves all."""
        values = {i: a.value for i, a in self.answers.items() if a.value is not None}
        return score(self.rubric, values_with_external(self.rubric, values, {}))

    @lazy
    def assignees(self) -> list[User]:
        return answer_service.assignees(self.db, self.assessment.instansi_id)

    @lazy
    def has_butir(self) -> bool:
        """True for an instrument whose levels list butir (pemdi-2026): the cards show them."""
        return butir_service.has_butir(self.rubric)

    @lazy
    def member_names(self) -> dict[int, str]:
        """Display names of the members an indicator can be assigned to, by id."""
        return {u.id: u.full_name or u.username for u in self.assignees if u.id is not None}

    def preload(self) -> Workspace:
        """Run the queries a questionnaire template needs now, so that rendering it queries nothing."""
        carried = any(a.carried_over for a in self.answers.values())
        for name in ("member_names", *(("carried_note",) if carried else ())):
            getattr(self, name)
        return self

    @property
    def decimal(self) -> bool:
        """True for rubrics whose values are decimals (typed in) rather than whole levels (chosen)."""
        return self.rubric.meta.values.decimals > 0

    def exact(self, value: Decimal | int, lang: str, least: int = 2) -> str:
        """A value with `least` to 4 decimals as needed, in the language's style (3,75; 1,1667; 68,75)."""
        places = -Decimal(value).normalize().as_tuple().exponent
        return decimal_text(Decimal(value), max(least, min(4, int(places))), lang)

    @lazy
    def pending(self) -> list[str]:
        """External indicators still waiting for their source index (they count as the lowest value)."""
        return [i for i in sorted(self.rubric.external_ids) if getattr(self.answers.get(i), "value", None) is None]

    @lazy
    def carried_note(self) -> str:
        """The i18n key marking carried-over answers: from last year, or suggested across rubrics by a bridge."""
        previous = official.previous(self.db, self.assessment)
        bridged = previous is not None and previous.rubric_id != self.assessment.rubric_id
        return "q.suggested" if bridged else "q.carried_over"

    @property
    def is_draft(self) -> bool:
        return self.assessment.status == AssessmentStatus.DRAFT

    @property
    def manages(self) -> bool:
        return can(self.role, Action.MANAGE_ASSESSMENT)

    @property
    def comments(self) -> bool:
        return can(self.role, Action.COMMENT)

    def editable(self, indicator: Indicator) -> bool:
        return answer_service.may_edit(self.assessment, self.role, self.user, self.answers.get(indicator.id))

    def assignee_name(self, answer: AnswerRow | Answer | None) -> str:
        """The assigned member's display name, or '' when nobody is assigned."""
        if answer is None or answer.assignee_id is None:
            return ""
        name = self.member_names.get(answer.assignee_id)
        if name is None:  # no longer a member who can be assigned: looked up on its own
            found = self.db.get(User, answer.assignee_id)
            name = (found.full_name or found.username) if found else ""
        return name

    def readonly_reason(self, indicator: Indicator) -> str | None:
        """Why the member cannot change this indicator (an i18n key), or None when they can."""
        if not self.is_draft:
            return "q.readonly.submitted"
        if self.editable(indicator):
            return None
        return "q.readonly.not_assigned" if self.role is Role.KONTRIBUTOR else "q.readonly.role"

    @lazy
    def unconfirmed(self) -> dict[str, int]:
        """Aspect id -> how many of its answers are still carried over, not yet confirmed ('' : in all)."""
        counts: dict[str, int] = {}
        for row in self.answers.values():
            found = self.rubric.indicator_by_id.get(row.indicator_id)
            if row.carried_over and found is not None:
                counts[found.aspect] = counts.get(found.aspect, 0) + 1
                counts[""] = counts.get("", 0) + 1
        return counts

    @lazy
    def mine(self) -> dict[str, list[AnswerRow]]:
        """Aspect id -> the member's assigned answers in it, in rubric order ('' : all): "Indikator saya"."""
        found: dict[str, list[AnswerRow]] = {"": []}
        for ind in self.rubric.indicators:
            row = self.answers.get(ind.id)
            if row is not None and row.assignee_id == self.user.id:
                found.setdefault(ind.aspect, []).append(row)
                found[""].append(row)
        return found

    def nav_groups(self) -> list[tuple[Domain | None, list[Aspect]]]:
        """Aspects grouped by domain for the navigation (one unnamed group when the rubric has no domains)."""
        if not self.rubric.meta.domains:
            return [(None, list(self.rubric.meta.aspects))]
        return [(d, self.rubric.aspects_of_domain(d.id)) for d in self.rubric.meta.domains]

    def aspect(self, aspect_id: str | None, lang: str) -> Aspect:
        """The aspect asked for (default: the first), or 404 with a message."""
        if aspect_id is None:
            return self.rubric.meta.aspects[0]
        found = self.rubric.aspect_by_id.get(aspect_id)
        if found is None:
            raise HTTPException(
                status_code=404, detail=translate("q.error.aspect", lang, aspect=aspect_id[:16])
            )
        return found
