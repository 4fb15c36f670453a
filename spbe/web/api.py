"""The JSON API under /api: rubrics, assessments, answers, evidence, scores, butir; the pages' permissions.

Sign in with POST /login and send the session cookie; PUT also sends the X-CSRF-Token header (spbe.web.csrf).
Errors: {"detail": "<message>"} (spbe.web.api_errors).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyCookie
from sqlmodel import Session, col, select

from spbe.method.butir import parse_code
from spbe.method.rubric import Rubric, RubricError, available_rubrics, get_rubric
from spbe.method.scoring import ValueProblem, resolve_indicator, score
from spbe.services import answers as answer_service
from spbe.services import butir as butir_service
from spbe.services.assessments import Refused
from spbe.services.permissions import Action, can
from spbe.store import queries
from spbe.store.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Evidence,
    Instansi,
    Membership,
    Role,
    StoredFile,
    User,
)
from spbe.web.api_errors import ApiRoute, error
from spbe.web.api_models import (
    AnswerOut,
    AnswerUpdate,
    AssessmentOut,
    ButirListOut,
    ButirOut,
    ButirUpdate,
    ConflictOut,
    EvidenceOut,
    RubricDetail,
    RubricSummary,
    ScoreOut,
    StoredFileOut,
)
from spbe.web.dashboard import AssessmentId
from spbe.web.deps import DbDep, UserDep, assessment_for, require_user, unit_of_work
from spbe.web.i18n import language_of, translate
from spbe.web.workspace import clock

session_cookie = APIKeyCookie(
    name="spbe_session", auto_error=False, scheme_name="session",
    description="The session cookie set by POST /login (form fields username, password; header X-CSRF-Token "
                "from GET /api/csrf). PUT also sends X-CSRF-Token, as answered by POST /login or GET /api/csrf.")
router = APIRouter(
    prefix="/api", tags=["api"], route_class=ApiRoute,
    dependencies=[Security(session_cookie), Depends(require_user)],
    responses={401: error("Belum masuk (not signed in)"), 422: error("Isian tidak valid (invalid input)")},
)
NOT_FOUND = {404: error("Tidak ditemukan atau bukan penilaian Anda (not found or not yours)")}
Indicator = Annotated[str, Path(max_length=16, description="Indicator id: I47, i47 or 47")]
RubricId = Annotated[str, Path(max_length=64)]
ButirCode = Annotated[str, Path(max_length=20, description="Butir code: I17-L2-01 or I17-L02-01")]
BUTIR_NOT_FOUND = {404: error("Tidak ditemukan, bukan penilaian Anda, atau butir/instrumen tanpa butir "
                              "(not found, not yours, unknown butir or an instrument without butir)")}


def loadable_rubrics() -> dict[str, Rubric]:
    """The rubric versions that load; a folder that is broken or still being written is not offered."""
    found = {}
    for rubric_id in available_rubrics():
        try:
            found[rubric_id] = get_rubric(rubric_id)
        except RubricError:
            continue
    return found


@router.get("/rubrics", summary="Daftar rubrik (rubric versions)")
def rubrics() -> list[RubricSummary]:
    return [RubricSummary(id=r.id, title=r.meta.title, short_title=r.meta.short_title, version=r.meta.version,
                          provisional=r.meta.provisional, cycles=r.meta.cycles, values=r.meta.values,
                          indicators=len(r.indicators)) for r in loadable_rubrics().values()]


@router.get("/rubrics/{rubric_id}", summary="Struktur dan indikator rubrik (structure and indicators)",
            responses={404: error("Rubrik tidak dikenal (unknown rubric)")})
def rubric_detail(request: Request, rubric_id: RubricId) -> RubricDetail:
    found = loadable_rubrics().get(rubric_id)
    if found is None:
        message = translate("error.api.unknown_rubric", language_of(request), rubric=rubric_id)
        raise HTTPException(404, message)
    return RubricDetail(id=found.id, meta=found.meta, indicators=list(found.indicators))


@router.get("/assessments", summary="Penilaian saya (the assessments I am a member of)")
@unit_of_work
def assessments(db: DbDep, user: UserDep) -> list[AssessmentOut]:
    rows = db.exec(
        select(Assessment, Instansi, Membership.role).select_from(Assessment).join(Instansi).join(
            Membership, col(Membership.instansi_id) == col(Assessment.instansi_id)
        ).where(Membership.user_id == user.id).order_by(col(Instansi.name), col(Assessment.year).desc())
    )
    return [_assessment_out(a, i, Role(r)) for a, i, r in rows]


@router.get("/assessments/{assessment_id}", summary="Satu penilaian (one assessment)", responses=NOT_FOUND)
@unit_of_work
def assessment(db: DbDep, user: UserDep, assessment_id: AssessmentId) -> AssessmentOut:
    found, role = assessment_for(db, user, assessment_id)
    instansi = db.get(Instansi, found.instansi_id)
    assert instansi is not None  # a foreign key
    return _assessment_out(found, instansi, role)


@router.get("/assessments/{assessment_id}/answers", summary="Jawaban semua indikator (answers)",
            responses=NOT_FOUND)
@unit_of_work
def answers(db: DbDep, user: UserDep, assessment_id: AssessmentId) -> list[AnswerOut]:
    """One answer per indicator of the rubric, in its order; never-saved ones have version 0."""
    found, role = assessment_for(db, user, assessment_id)
    rows = {a.indicator_id: a for a in db.exec(select(Answer).where(Answer.assessment_id == found.id))}
    indicators = get_rubric(found.rubric_id).indicators
    return [_answer_out(found, role, user, i.id, rows.get(i.id)) for i in indicators]


@router.put(
    "/assessments/{assessment_id}/answers/{indicator}", response_model=AnswerOut,
    summary="Ubah jawaban satu indikator (change one answer)",
    responses={**NOT_FOUND, 403: error("Peran Anda tidak boleh mengubah indikator ini (not allowed)"),
               409: error("Sudah diserahkan atau versi sudah berubah (submitted, or stale version)",
                          ConflictOut)},
)
@unit_of_work
def put_answer(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, indicator: Indicator,
               change: AnswerUpdate) -> AnswerOut | JSONResponse:
    """Set level or source index, explanation, target or unit; with `version`, never overwrite a newer save.

    Saved through the questionnaire's rules (spbe.services.answers), so each change is in the audit trail.
    """
    lang = language_of(request)
    found, role = assessment_for(db, user, assessment_id, Action.EDIT_ANSWER)
    rubric = get_rubric(found.rubric_id)
    indicator_id = _indicator(rubric, indicator, lang)
    answer = _answer(db, found, indicator_id)
    if not can(role, Action.EDIT_ANSWER, user_id=user.id, answer=answer):
        raise HTTPException(403, "error.forbidden")
    if found.status != AssessmentStatus.DRAFT:
        raise HTTPException(409, "error.api.submitted")
    current = answer.version if answer else 0
    if change.version is not None and change.version != current:
        return _conflict(db, found, role, user, indicator_id, lang, sent=change.version)
    try:
        answer_service.save(db, found, rubric, role, user, indicator_id, _posted(change), str(current))
    except answer_service.Stale:
        return _conflict(db, found, role, user, indicator_id, lang, sent=current)
    except Refused as refusal:
        raise HTTPException(refusal.status, _refusal_text(refusal, lang)) from None
    return _answer_out(found, role, user, indicator_id, _answer(db, found, indicator_id))


@router.get("/assessments/{assessment_id}/evidence", summary="Metadata data dukung (evidence metadata)",
            responses=NOT_FOUND)
@unit_of_work
def evidence(db: DbDep, user: UserDep, assessment_id: AssessmentId) -> list[EvidenceOut]:
    found, _ = assessment_for(db, user, assessment_id)
    rows = db.exec(select(Evidence, StoredFile).outerjoin(StoredFile).where(
        Evidence.assessment_id == found.id).order_by(col(Evidence.id)))
    return [EvidenceOut(**ev.model_dump(exclude={"levels"}), levels=ev.level_list,
                        file=StoredFileOut.model_validate(f, from_attributes=True) if f else None)
            for ev, f in rows]


@router.get("/assessments/{assessment_id}/score", summary="Skor: indeks, predikat, domain, aspek (score)",
            responses=NOT_FOUND, response_model_exclude_unset=True)
@unit_of_work
def assessment_score(db: DbDep, user: UserDep, assessment_id: AssessmentId) -> ScoreOut:
    """The same JSON as `spbe score --json`; `range` only for groups with unanswered indicators."""
    found, _ = assessment_for(db, user, assessment_id)
    result = score(get_rubric(found.rubric_id), queries.assessment_values(db, found))
    return ScoreOut.model_validate(result.as_json())


@router.get("/assessments/{assessment_id}/butir", summary="Butir dan statusnya (butir with their statuses)",
            responses=BUTIR_NOT_FOUND)
@unit_of_work
def butir_list(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId) -> ButirListOut:
    """Every butir of the rubric with its status (cascade applied): the JSON of `spbe butir show --json`."""
    found, _ = assessment_for(db, user, assessment_id)
    rubric = _butir_rubric(found, language_of(request))
    return ButirListOut.model_validate(butir_service.show(db, found, rubric))


@router.get("/assessments/{assessment_id}/butir/{code}", summary="Satu butir (one butir)",
            responses=BUTIR_NOT_FOUND)
@unit_of_work
def butir_one(
    request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, code: ButirCode
) -> ButirOut:
    lang = language_of(request)
    found, _ = assessment_for(db, user, assessment_id)
    rubric = _butir_rubric(found, lang)
    try:
        stable = butir_service.butir_of(rubric, code)[1]
    except Refused as refusal:
        raise HTTPException(refusal.status, _refusal_text(refusal, lang)) from None
    return _butir_out(db, found, rubric, stable)


@router.put(
    "/assessments/{assessment_id}/butir/{code}", response_model=ButirOut,
    summary="Ubah status satu butir (change one butir's status)",
    responses={**BUTIR_NOT_FOUND, 403: error("Peran Anda tidak boleh memberi status ini (not allowed)"),
               409: error("Sudah diserahkan: menyiapkan butir menunggu dibuka kembali (submitted)")},
)
@unit_of_work
def put_butir(request: Request, db: DbDep, user: UserDep, assessment_id: AssessmentId, code: ButirCode,
              change: ButirUpdate) -> ButirOut:
    """Move a butir to a status, by the pages' rules (spbe.services.butir); each change is in the audit trail.

    Disiapkan needs evidence serving the butir (attach it on the questionnaire card); otomatis ditolak is
    computed, never sent.
    """
    lang = language_of(request)
    found, role = assessment_for(db, user, assessment_id)
    rubric = _butir_rubric(found, lang)
    if change.note is not None and not butir_service.may_judge(role):
        raise HTTPException(403, translate("butir.error.judge", lang))
    try:
        state = butir_service.set_status(db, found, rubric, role, user, code, change.status, change.reason,
                                         change.note)
    except Refused as refusal:
        raise HTTPException(refusal.status, _refusal_text(refusal, lang)) from None
    return _butir_out(db, found, rubric, state.code)


def _butir_rubric(assessment: Assessment, lang: str) -> Rubric:
    """The assessment's rubric, if its levels have butir (Indeks Pemdi); 404 for an SPBE year."""
    rubric = get_rubric(assessment.rubric_id)
    if not butir_service.has_butir(rubric):
        raise HTTPException(404, translate("butir.error.not_pemdi", lang))
    return rubric


def _butir_out(db: Session, assessment: Assessment, rubric: Rubric, code: str) -> ButirOut:
    """One butir (stable code) as the API shows it; a butir never touched is belum."""
    item = rubric.butir_by_code(code)
    states = butir_service.states_of(db, assessment)
    state = states.get(code)
    indicator_id = butir_service.butir_of(rubric, code)[0]
    summary = butir_service.summaries(rubric, states, [indicator_id])[indicator_id]
    evidence = butir_service.evidence_links(db, assessment).get(code, [])
    return ButirOut(
        code=item.portal_code, indicator_id=indicator_id, level=parse_code(code).level, title=item.title,
        status=summary.statuses[code], reason=state.reason if state else "",
        note=state.asesor_note if state else "",
        due_date=state.due_date if state else None, evidence_ids=[e.id for e in evidence if e.id is not None],
        level_reached=summary.level_reached, level_prepared=summary.level_prepared,
    )


def _assessment_out(assessment: Assessment, instansi: Instansi, role: Role) -> AssessmentOut:
    return AssessmentOut(**assessment.model_dump(), instansi_code=instansi.code, instansi_name=instansi.name,
                         role=role)


def _answer(db: Session, assessment: Assessment, indicator_id: str) -> Answer | None:
    query = select(Answer).where(Answer.assessment_id == assessment.id, Answer.indicator_id == indicator_id)
    return db.exec(query.execution_options(populate_existing=True)).first()


def _answer_out(assessment: Assessment, role: Role, user: User, indicator_id: str,
                answer: Answer | None) -> AnswerOut:
    draft = assessment.status == AssessmentStatus.DRAFT
    editable = draft and can(role, Action.EDIT_ANSWER, user_id=user.id, answer=answer)
    if answer is None:
        return AnswerOut(indicator_id=indicator_id, value=None, explanation="", target_value=None,
                         responsible_unit="", assignee_id=None, carried_over=False, version=0,
                         updated_at=None, updated_by_id=None, editable=editable)
    return AnswerOut(**answer.model_dump(), editable=editable)


def _indicator(rubric: Rubric, key: str, lang: str) -> str:
    try:
        return resolve_indicator(rubric, key)
    except ValueProblem:
        raise HTTPException(404, translate("error.api.unknown_indicator", lang, indicator=key,
                                           rubric=rubric.id)) from None


def _posted(change: AnswerUpdate) -> dict[str, str]:
    """The fields the request sets, as the questionnaire posts them: a level as written, null as empty."""
    given = change.model_fields_set - {"version"}
    return {k: "" if (v := getattr(change, k)) is None else str(v) for k in given}


def _refusal_text(refusal: Refused, lang: str) -> str:
    """A refused change in the user's language; a bad level names its field ("value: level 7 di luar …")."""
    if "field" not in refusal.params:
        return translate(refusal.key, lang, **refusal.params)
    problem = f"{refusal.params['field']}: {refusal.params['detail']}"
    return translate("error.api.invalid", lang, problems=problem)


def _conflict(db: Session, assessment: Assessment, role: Role, user: User, indicator_id: str, lang: str,
              sent: int) -> JSONResponse:
    """409 with the version on the server and who saved it when, so the client can show it and merge."""
    current = _answer_out(assessment, role, user, indicator_id, _answer(db, assessment, indicator_id))
    author = db.get(User, current.updated_by_id) if current.updated_by_id else None
    saved_by = (author.full_name or author.username) if author else None
    when = clock(current.updated_at, date=True) if current.updated_at else "–"
    message = translate("error.api.stale_version", lang, indicator=indicator_id, current=current.version,
                        sent=sent, saved_by=saved_by or "–", when=when)
    out = ConflictOut(detail=message, current=current, saved_by=saved_by)
    return JSONResponse(out.model_dump(mode="json"), status_code=409)
