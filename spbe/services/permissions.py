"""Who may do what in an instansi's workspace: one table, used by every page and API route."""

from __future__ import annotations

from enum import StrEnum

from spbe.store.models import Answer, Role


class Action(StrEnum):
    """Things a member can try to do."""

    VIEW = "view"  # read assessments, answers, evidence, scores
    EDIT_ANSWER = "edit_answer"  # change a level, explanation, target or evidence of an indicator
    MANAGE_ASSESSMENT = "manage_assessment"  # create, carry over, assign, submit
    COMMENT = "comment"
    MANAGE_USERS = "manage_users"  # instansi settings and members
    PLAN = "plan"  # what-if scenarios and the advisor's efforts; never the answers themselves


ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset(Role),
    Action.EDIT_ANSWER: frozenset({Role.KOORDINATOR, Role.KONTRIBUTOR}),
    Action.MANAGE_ASSESSMENT: frozenset({Role.KOORDINATOR}),
    Action.COMMENT: frozenset({Role.KOORDINATOR, Role.KONTRIBUTOR, Role.PENINJAU}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.PLAN: frozenset({Role.KOORDINATOR, Role.KONTRIBUTOR}),
}


def can(role: Role | str | None, action: Action, *, user_id: int | None = None, answer: Answer | None = None) -> bool:
    """True when a member with this role may do the action; a kontributor edits only answers assigned to them."""
    if role is None or Role(role) not in ALLOWED[action]:
        return False
    if action is Action.EDIT_ANSWER and Role(role) is Role.KONTRIBUTOR:
        return answer is not None and user_id is not None and answer.assignee_id == user_id
    return True
