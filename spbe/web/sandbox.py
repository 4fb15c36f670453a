"""One assessment's what-if sandbox as one member sees it, loaded once per request: values, last year, efforts."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from spbe.method.advice import Step, filled
from spbe.method.butir import IndicatorButir, Status, parse_code
from spbe.method.rubric import Rubric
from spbe.method.scoring import plain
from spbe.method.whatif import Change, Column, Row, changes, column, rows, with_butir
from spbe.services import butir as butir_service
from spbe.services import efforts as effort_service
from spbe.services import scenarios
from spbe.services.assessments import rubric_of
from spbe.services.permissions import Action, can
from spbe.store import queries
from spbe.store.models import Assessment, ButirState, Instansi, Role, Scenario, User
from spbe.web.deps import assessment_for


@dataclass(frozen=True)
class ScenarioView:
    """A scenario's complete values, its score beside the assessment's and last year's, and its changes."""

    scenario: Scenario
    levels: dict[str, Decimal]
    column: Column
    rows: list[Row]
    changes: list[Change]
    ticked: frozenset[str] = frozenset()  # stable codes of the butir taken as diterima
    simulated: dict[str, IndicatorButir] = dataclasses.field(default_factory=dict)  # ticked indicators only

    @property
    def floors(self) -> dict[str, int]:
        """Indicator id -> the level its ticked butir reach (the cascade rule), a floor for its value."""
        return {i: s.level_reached for i, s in self.simulated.items()}

    @property
    def total_effort(self) -> Decimal:
        return sum((c.effort for c in self.changes), Decimal(0))

    @property
    def total_lift(self) -> Decimal:
        return sum((c.lift for c in self.changes), Decimal(0))

    @property
    def chart_version(self) -> str:
        """A digest that changes whenever the waterfall would: the scenario's index and its changes."""
        facts = [plain(self.column.score.overall.low),
                 *([c.indicator.id, plain(c.before), plain(c.after)] for c in self.changes)]
        return hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:16]


@dataclass
class Sandbox:
    """The assessment, the member's role and rubric, and what every sandbox page needs from the database."""

    db: Session
    assessment: Assessment
    role: Role
    rubric: Rubric

    @classmethod
    def load(cls, db: Session, user: User, assessment_id: int) -> Sandbox:
        """The sandbox of an assessment the user is a member for (404 otherwise)."""
        assessment, role = assessment_for(db, user, assessment_id)
        return cls(db, assessment, role, rubric_of(assessment))

    @property
    def may_plan(self) -> bool:
        return can(self.role, Action.PLAN)

    @functools.cached_property
    def instansi(self) -> Instansi | None:
        return self.db.get(Instansi, self.assessment.instansi_id)

    @functools.cached_property
    def values(self) -> dict[str, Decimal]:
        """The assessment's answered values."""
        return queries.assessment_values(self.db, self.assessment)

    @functools.cached_property
    def baseline(self) -> dict[str, Decimal]:
        """Every indicator's value in the assessment, unanswered ones at the lowest level."""
        return filled(self.rubric, self.values)

    @functools.cached_property
    def current(self) -> Column:
        return column(self.rubric, self.values, self.assessment.year)

    @functools.cached_property
    def last(self) -> Column | None:
        """Last year's assessment of the same instansi and rubric, if there is one."""
        found = scenarios.last_year(self.db, self.assessment)
        return column(self.rubric, queries.assessment_values(self.db, found), found.year) if found else None

    @functools.cached_property
    def states(self) -> dict[str, ButirState]:
        """The assessment's stored butir states (never changed by the sandbox)."""
        return butir_service.states_of(self.db, self.assessment)

    @functools.cached_property
    def butir(self) -> dict[str, IndicatorButir]:
        """Each indicator's butir with their shown statuses (empty for instruments without butir)."""
        if not butir_service.has_butir(self.rubric):
            return {}
        return butir_service.summaries(self.rubric, self.states)

    def step_butir(self, indicator_id: str, start: Decimal, to: int) -> list[tuple[str, str, Status]]:
        """The butir a step from `start` up to level `to` needs: stable code, portal code and status.

        Those of the levels climbed, and (berjenjang) any of the levels below not yet diterima.
        """
        summary = self.butir.get(indicator_id)
        if summary is None:
            return []
        needed = range(int(start) + 1, to + 1)
        return [
            (code, self.rubric.butir_by_code(code).portal_code, status)
            for code, status in summary.statuses.items()
            if parse_code(code).level in needed
            or (parse_code(code).level <= int(start) and status is not Status.DITERIMA)
        ]

    def steps_butir(self, steps: Sequence[Step]) -> list[list[tuple[str, str, Status]]]:
        """Each plan step's butir, each listed once: at the first step of its indicator that needs it."""
        listed: set[str] = set()
        found = []
        for step in steps:
            needed = [b for b in self.step_butir(step.indikator, step.start, step.to) if b[0] not in listed]
            listed.update(b[0] for b in needed)
            found.append(needed)
        return found

    def butir_list(self, indicator_id: str) -> list[tuple[int, list[tuple[str, str, str, Status]]]]:
        """An indicator's butir by level: (level, [(stable code, portal code, title, shown status)])."""
        summary = self.butir[indicator_id]
        by_level: dict[int, list[tuple[str, str, str, Status]]] = {}
        for code, status in summary.statuses.items():
            found = self.rubric.butir_by_code(code)
            entry = (code, found.portal_code, found.title, status)
            by_level.setdefault(parse_code(code).level, []).append(entry)
        return sorted(by_level.items())

    @functools.cached_property
    def efforts(self) -> dict[tuple[str, int], Decimal]:
        return effort_service.efforts(self.db, self.assessment)

    def view(self, scenario: Scenario) -> ScenarioView:
        """The scenario's figures: the assessment's values, its overrides, its ticked butir's levels."""
        ticked = scenarios.ticked(self.db, scenario) if self.butir else frozenset()
        simulated = scenarios.simulated(self.rubric, self.states, ticked) if ticked else {}
        reached = {i: s.level_reached for i, s in simulated.items()}
        overrides = scenarios.overrides(self.db, scenario)
        levels = with_butir({**self.baseline, **overrides}, reached)
        lifted = {i: levels[i] for i in reached}
        mine = column(self.rubric, {**self.values, **overrides, **lifted}, None)
        return ScenarioView(scenario, levels, mine, rows(mine, self.current, self.last),
                            changes(self.rubric, self.baseline, levels, self.efforts), ticked, simulated)
