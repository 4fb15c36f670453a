"""The editable report (DOCX) of an assessment, for its members: a download beside the evidence pack."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response

from spbe.services.report_data import gather
from spbe.web.deps import DbDep, UserDep, assessment_for, unit_of_work
from spbe.web.i18n import translate
from spbe.web.workspace import AssessmentId

router = APIRouter(include_in_schema=False)  # a download, not API
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def indonesian(key: str, **params: object) -> str:
    """The report is in Bahasa Indonesia whatever the interface language."""
    return translate(key, "id", **params)


def report_name(code: str, year: int) -> str:
    """'laporan-spbe-kota-pasuruan-2022.docx' (only letters, digits and hyphens from the code)."""
    return f"laporan-spbe-{re.sub(r'[^A-Za-z0-9-]', '', code)}-{year}.docx"


@router.get("/assessments/{assessment_id}/report.docx")
@unit_of_work
def report_download(db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    """The report as a Word document (members only: 404 for others), built in a worker thread."""
    from spbe.reports.docx_report import report_docx  # python-docx and the charts load on the first report

    assessment, _ = assessment_for(db, user, assessment_id)
    data = gather(db, assessment)
    body = report_docx(data, indonesian)
    name = report_name(data.instansi.code, assessment.year)
    headers = {
        "Content-Disposition": f"attachment; filename=\"laporan.docx\"; "
                               f"filename*=UTF-8''{quote(name, safe='')}",
        "Cache-Control": "private, no-store",
    }
    return Response(body, media_type=DOCX, headers=headers)
