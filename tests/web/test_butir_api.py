"""The butir JSON API: every butir with its status, one butir's change by the pages' rules, audited."""

from __future__ import annotations

from sqlmodel import select

from spbe.method.rubric import get_rubric
from spbe.store.db import session_scope
from spbe.store.models import Assessment, AuditEvent, ButirState, User
from tests.web.pemdi_helpers import create_pemdi
from tests.web.test_butir_pages import add_link, assign

PEMDI = get_rubric("pemdi-2026")
UNSAFE = "/api/assessments/{a}/butir/{code}"


def test_the_list_is_the_json_of_butir_show_with_every_butir_of_the_rubric(client_of_anyone, web_app):
    pemdi = create_pemdi(client_of_anyone("koordinator"), web_app)
    shown = client_of_anyone("peninjau").get(f"/api/assessments/{pemdi}/butir")
    assert shown.status_code == 200
    body = shown.json()
    assert body["rubric"] == "pemdi-2026" and list(body["indicators"]) == [i.id for i in PEMDI.indicators]
    statuses = [s for ind in body["indicators"].values() for s in ind["butir"].values()]
    assert len(statuses) == 232 and set(statuses) == {"belum"}
    assert body["indicators"]["I17"] == {
        "level_reached": 0,
        "level_prepared": 0,
        "butir": {b.portal_code: "belum" for b in PEMDI.butir("I17")},
    }
    one = client_of_anyone("peninjau").get(f"/api/assessments/{pemdi}/butir/I17-L02-01").json()
    assert (one["code"], one["level"], one["status"], one["evidence_ids"]) == ("I17-L2-01", 2, "belum", [])


def test_the_koordinator_records_a_verdict_with_its_note_and_it_is_audited(client_of_anyone, web_app):
    koordinator = client_of_anyone("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    change = {"status": "revisi", "reason": "belum_diunggah", "note": "Unggah SK yang sudah ditandatangani."}
    saved = koordinator.put(UNSAFE.format(a=pemdi, code="I3-L1-01"), json=change)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["status"], body["reason"], body["note"]) == ("revisi", "belum_diunggah", change["note"])
    assert (body["level_reached"], body["indicator_id"], body["title"]) == (
        0,
        "I03",
        PEMDI.butir("I03")[0].title,
    )
    uploaded = koordinator.put(UNSAFE.format(a=pemdi, code="I3-L2-01"), json={"status": "diunggah"}).json()
    assert uploaded["status"] == "otomatis_ditolak"  # the cascade: level 1 is in revisi
    listed = koordinator.get(f"/api/assessments/{pemdi}/butir").json()["indicators"]["I03"]["butir"]
    assert (listed["I3-L1-01"], listed["I3-L2-01"]) == ("revisi", "otomatis_ditolak")
    with session_scope(web_app.state.engine) as db:
        user_id = db.exec(select(User.id).where(User.username == "demo-koordinator")).one()
        events = db.exec(select(AuditEvent).where(AuditEvent.assessment_id == pemdi)).all()
        trail = [(e.action, e.new_value, e.user_id) for e in events if e.action.startswith("butir.")]
    assert ("butir.status", "revisi (belum_diunggah)", user_id) in trail
    assert ("butir.note", change["note"], user_id) in trail and ("butir.status", "diunggah", user_id) in trail


def test_a_kontributor_prepares_their_indicators_butir_and_nothing_more(client_of_anyone, web_app):
    koordinator, kontributor = client_of_anyone("koordinator"), client_of_anyone("kontributor")
    pemdi = create_pemdi(koordinator, web_app)
    assign(web_app, pemdi, "I17", "demo-kontributor")
    url = UNSAFE.format(a=pemdi, code="I17-L1-01")
    empty = kontributor.put(url, json={"status": "disiapkan"})
    assert empty.status_code == 422
    assert (
        empty.json()["detail"] == "Lampirkan dulu bukti untuk butir I17-L1-01 sebelum menandainya disiapkan."
    )
    item = add_link(web_app, pemdi, "I17", "Portal layanan")
    attached = kontributor.post(
        f"/assessments/{pemdi}/butir/I17-L1-01/attach", data={"evidence_id": str(item)}
    )
    assert attached.status_code in (200, 303)
    assert kontributor.put(url, json={"status": "belum"}).json()["status"] == "belum"
    prepared = kontributor.put(url, json={"status": "disiapkan"}).json()
    assert (prepared["status"], prepared["evidence_ids"], prepared["level_prepared"]) == (
        "disiapkan",
        [item],
        0,
    )
    judged = kontributor.put(url, json={"status": "diterima"})
    assert judged.status_code == 403 and judged.json()["detail"].startswith("Hanya koordinator")
    noted = kontributor.put(url, json={"status": "disiapkan", "note": "sudah"})
    assert noted.status_code == 403 and noted.json()["detail"].startswith("Hanya koordinator")
    assert (
        kontributor.put(UNSAFE.format(a=pemdi, code="I3-L1-01"), json={"status": "belum"}).status_code == 403
    )
    assert client_of_anyone("peninjau").put(url, json={"status": "belum"}).status_code == 403
    with session_scope(web_app.state.engine) as db:
        assert db.exec(select(ButirState.status).where(ButirState.code == "I17-L1-01")).one() == "disiapkan"


def test_bad_codes_statuses_and_reasons_are_refused_in_indonesian(client_of_anyone, web_app):
    koordinator = client_of_anyone("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    unknown = koordinator.put(UNSAFE.format(a=pemdi, code="I17-L9-01"), json={"status": "diterima"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "Butir “I17-L9-01” tidak ada pada rubrik pemdi-2026."
    assert koordinator.get(f"/api/assessments/{pemdi}/butir/I47-L1-01").status_code == 404
    url = UNSAFE.format(a=pemdi, code="I17-L1-01")
    status = koordinator.put(url, json={"status": "lulus"})
    assert status.status_code == 422 and status.json()["detail"] == "Status butir “lulus” tidak dikenal."
    computed = koordinator.put(url, json={"status": "otomatis_ditolak"})
    assert computed.status_code == 422 and "dihitung dari penilaian berjenjang" in computed.json()["detail"]
    reason = koordinator.put(url, json={"status": "revisi", "reason": "salah"})
    assert reason.status_code == 422 and "Alasan revisi “salah” tidak dikenal" in reason.json()["detail"]
    extra = koordinator.put(url, json={"status": "diterima", "due": "2027-01-01"})
    assert extra.status_code == 422
    with session_scope(web_app.state.engine) as db:
        assert db.exec(select(ButirState)).all() == []  # nothing written by any refused change


def test_spbe_years_outsiders_and_requests_without_the_csrf_token_get_nothing(client_of_anyone, web_app):
    koordinator = client_of_anyone("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    spbe = koordinator.get("/api/assessments/2/butir")
    assert spbe.status_code == 404 and spbe.json()["detail"] == "Penilaian ini memakai instrumen tanpa butir."
    assert client_of_anyone("outsider").get(f"/api/assessments/{pemdi}/butir").status_code == 404
    assert client_of_anyone("anonymous").get(f"/api/assessments/{pemdi}/butir").status_code == 401
    forged = koordinator.put(
        UNSAFE.format(a=pemdi, code="I17-L1-01"),
        json={"status": "diterima"},
        headers={"X-CSRF-Token": "palsu"},
    )
    assert forged.status_code == 403
    with session_scope(web_app.state.engine) as db:
        assert db.exec(select(ButirState)).all() == []


def test_after_submitting_the_koordinator_records_verdicts_and_preparing_waits(client_of_anyone, web_app):
    koordinator, kontributor = client_of_anyone("koordinator"), client_of_anyone("kontributor")
    pemdi = create_pemdi(koordinator, web_app)
    assign(web_app, pemdi, "I17", "demo-kontributor")
    with session_scope(web_app.state.engine) as db:
        db.get(Assessment, pemdi).status = "submitted"
    url = UNSAFE.format(a=pemdi, code="I17-L1-01")
    waits = kontributor.put(url, json={"status": "belum"})
    assert (
        waits.status_code == 409
        and waits.json()["detail"] == "Penilaian ini sudah dikirim; perubahan tidak disimpan."
    )
    assert koordinator.put(url, json={"status": "diterima"}).json()["status"] == "diterima"
