"""Import a past year's levels file into a new assessment, all or nothing; shared by the web and the CLI."""

from __future__ import annotations

from sqlmodel import Session

from spbe import assessment_service, official_service
from spbe.models import Answer, Assessment, Instansi, Role, User
from spbe.rubric import available_rubrics, get_rubric


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
    assessment_service.parse_year(year)
    if rubric_id not in available_rubrics():
        raise assessment_service.Invalid("q.error.rubric", rubric=rubric_id[:64])
    values = official_service.read_file(get_rubric(rubric_id), data, filename)
    assessment = assessment_service.create(
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
