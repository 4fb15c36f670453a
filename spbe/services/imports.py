"""Import a past year's levels file into a new assessment, all or nothing; shared by the web and the CLI."""

from __future__ import annotations

from sqlmodel import Session

from spbe.method.rubric import available_rubrics, get_rubric
from spbe.services import assessments
from spbe.services import official as official_service
from spbe.store.models import Answer, Assessment, Instansi, Role, User


def import_year(
    db: Session,
    instansi: Instansi,
    role: Role,
    year: str,
    rubric_id: str,
    data: bytes,
    filename: str,
    official: bool = False,
    user: User | None = None,
) -> tuple[Assessment, int]:
    """The new assessment and its number of levels; the file is checked first; Refused: nothing written."""
    official_service.may_enter(role)
    assessments.parse_year(year)
    if rubric_id not in available_rubrics():
        raise assessments.Invalid("q.error.rubric", rubric=rubric_id[:64])
    values = official_service.read_file(get_rubric(rubric_id), data, filename)
    assessment = assessments.create(
        db, instansi, role, year, rubric_id, from_previous=False, user=user
    )
    db.add_all(
        Answer(
            assessment_id=assessment.id,
            indicator_id=key,
            value=value,
            official_value=value if official else None,
        )
        for key, value in values.items()
    )
    db.flush()
    return assessment, len(values)
