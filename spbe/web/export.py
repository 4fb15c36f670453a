"""Evidence pack download: a page with the pack's parts and sizes, and the ZIP streamed with its length."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from spbe.reports.pack.assemble import build
from spbe.reports.pack.content import PackContent, UnknownPart, collect
from spbe.reports.pack.layout import in_part, parts_of
from spbe.store.models import Assessment
from spbe.web.deps import DbDep, UserDep, assessment_for, unit_of_work
from spbe.web.evidence import _size_text as size_text
from spbe.web.i18n import language_of, translate
from spbe.web.templating import render
from spbe.web.workspace import AssessmentId

router = APIRouter(include_in_schema=False)  # pages and downloads, not API
Part = Annotated[str | None, Query(max_length=8)]


def _content(request: Request, db: DbDep, assessment: Assessment, part: str | None = None) -> PackContent:
    settings = request.app.state.settings
    try:
        return collect(db, assessment, settings.evidence_dir, part or None, settings.rubric_dir)
    except UnknownPart:
        detail = translate("export.error.part", language_of(request), part=(part or "")[:8])
        raise HTTPException(status_code=404, detail=detail) from None


@router.get("/assessments/{assessment_id}/export")
@unit_of_work
def export_page(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> Response:
    """The choices (whole pack or one domain/aspect), each with its evidence count and size, and what is left out."""
    assessment, _ = assessment_for(db, user, assessment_id)
    content, lang = _content(request, db, assessment), language_of(request)
    choices = [(None, "", content.indicators)]
    choices += [(key, name, tuple(i for i in content.indicators if in_part(content.rubric, i.indicator, key)))
                for key, name in parts_of(content.rubric).items()]
    rows = [
        {"part": key, "name": name, "indicators": len(inds),
         "files": sum(len(f.places) for i in inds for f in i.files if not f.missing),  # copies per butir too
         "size": size_text(sum(f.stored.size * len(f.places) for i in inds for f in i.files if not f.missing),
                           lang)}
        for key, name, inds in choices
    ]
    context = {"assessment": assessment, "content": content, "rows": rows}
    return render(request, "export/page.html", context)


@router.get("/assessments/{assessment_id}/export/pack.zip")
@unit_of_work
def export_download(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, part: Part = None
) -> Response:
    """The pack as a ZIP stream of known length, read from disk as it is sent (any member may download)."""
    assessment, _ = assessment_for(db, user, assessment_id)
    pack = build(_content(request, db, assessment, part))
    name = pack.content.filename
    headers = {
        "Content-Length": str(pack.size),
        "Content-Disposition": f"attachment; filename=\"paket-bukti.zip\"; filename*=UTF-8''{quote(name, safe='')}",
        "Cache-Control": "private, no-store",
    }
    return StreamingResponse(pack.blocks(), media_type="application/zip", headers=headers)
