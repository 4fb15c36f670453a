"""Butir on the questionnaire cards of a Pemdi assessment: statuses, levels, evidence, verdicts, per role."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from sqlmodel import func, select

from spbe.store.db import session_scope
from spbe.store.models import Answer, AuditEvent, ButirState, Evidence, User
from tests.web.pemdi_helpers import HTMX, create_pemdi, demo_instansi_id, post

VERDICTS = Path(__file__).resolve().parents[1] / "data" / "aceh-tengah-2026-butir.csv"


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def panel(client, assessment: int, indicator: str):
    response = client.get(f"/assessments/{assessment}/indicators/{indicator}/butir", headers=HTMX)
    assert response.status_code == 200, response.text[:500]
    return parse(response.text)


def add_link(app, assessment: int, indicator: str, title: str) -> int:
    with session_scope(app.state.engine) as db:
        item = Evidence(
            assessment_id=assessment,
            indicator_id=indicator,
            kind="url",
            title=title,
            url="https://layanan.example.go.id",
        )
        db.add(item)
        db.flush()
        return item.id


def assign(app, assessment: int, indicator: str, username: str) -> None:
    with session_scope(app.state.engine) as db:
        user = db.exec(select(User).where(User.username == username)).one()
        db.add(Answer(assessment_id=assessment, indicator_id=indicator, assignee_id=user.id))


def test_a_pemdi_card_loads_its_butir_and_an_spbe_card_has_none(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    page = parse(koordinator.get(f"/assessments/{pemdi}?aspect=A6").text)
    inline = page.select_one('#ind-I17 .butir-panel[hx-get$="/indicators/I17/butir"]')
    assert "load" not in inline["hx-trigger"].split(", ")  # rendered with the page, not fetched after it
    fetched = panel(koordinator, pemdi, "I17").section
    for token in [*inline.select("input[name=csrf_token]"), *fetched.select("input[name=csrf_token]")]:
        token.decompose()  # masked afresh in every response
    assert str(inline.select_one("section#butir-I17")) == str(fetched)  # the same panel as fetched alone
    assert len(page.select(".butir-panel > section.butir")) == len(page.select("article.indicator")) > 1
    spbe = parse(koordinator.get("/assessments/2").text)
    assert spbe.select_one(".butir-panel") is None
    assert koordinator.get("/assessments/2/indicators/I01/butir").status_code == 404


def test_every_butir_of_the_indicator_is_listed_with_its_status_and_level_zero_at_first(
    client_as, web_app
) -> None:
    koordinator = client_as("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    html = panel(koordinator, pemdi, "I17")
    codes = [li["data-butir"] for li in html.select("[data-butir]")]
    assert codes[:3] == ["I17-L1-01", "I17-L1-02", "I17-L2-01"] and len(codes) == 13
    assert html.select_one("[data-col=reached]").get_text(strip=True) == "belum mencapai tingkat 1"
    assert "perkiraan" in html.select_one("[data-col=estimate]").get_text()
    assert "hipotesis kredit parsial" in html.select_one("[data-estimate-rule]").get_text()


def test_imported_verdicts_move_the_levels_and_show_the_asesors_note(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    response = koordinator.post(
        f"/assessments/{pemdi}/butir/import",
        files={"file": (VERDICTS.name, VERDICTS.read_bytes(), "text/csv")},
    )
    assert (
        response.status_code == 200
        and parse(response.text).select_one("[data-imported]")["data-imported"] == "37"
    )
    i17 = panel(koordinator, pemdi, "I17")
    assert i17.select_one("section.butir")["data-reached"] == "2"
    assert i17.select_one("[data-col=estimate]").get_text().startswith("2,50")
    i4 = panel(koordinator, pemdi, "I04")
    assert i4.select_one('[data-butir="I4-L2-02"]')["data-status"] == "otomatis_ditolak"
    note = i4.select_one('[data-butir="I4-L1-02"] .asesor-note').get_text(" ", strip=True)
    assert note.startswith("bukti tidak tepat") and "RKA" in note


def test_a_bad_verdicts_file_on_the_page_names_every_bad_row_and_saves_nothing(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    bad = b"butir,status,catatan\nI17-L1-01,diterima,\nI99-L1-01,diterima,\nI17-L1-01,revisi,\n"
    response = koordinator.post(
        f"/assessments/{pemdi}/butir/import", files={"file": ("a.csv", bad, "text/csv")}
    )
    assert response.status_code == 422
    text = parse(response.text).select_one("[role=alert]").get_text()
    assert "baris 3: I99-L1-01 adalah kode instrumen lain" in text and "baris 4: I17-L1-01 ganda" in text
    with session_scope(web_app.state.engine) as db:
        assert db.exec(select(func.count()).select_from(ButirState)).one() == 0


def test_a_kontributor_prepares_the_butir_of_their_indicator_only(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    assign(web_app, pemdi, "I17", "demo-kontributor")
    mine, other = add_link(web_app, pemdi, "I17", "Portal layanan"), add_link(web_app, pemdi, "I03", "Peta")
    kontributor = client_as("kontributor")
    html = panel(kontributor, pemdi, "I17")
    assert html.select_one('[data-butir="I17-L1-01"] form[action$="/attach"]') is not None
    assert html.select_one(".butir-judge") is None  # verdicts are the koordinator's
    response = kontributor.post(
        f"/assessments/{pemdi}/butir/I17-L1-01/attach", data={"evidence_id": str(mine)}, headers=HTMX
    )
    item = parse(response.text).select_one('[data-butir="I17-L1-01"]')
    assert (
        response.status_code == 200
        and item["data-status"] == "disiapkan"
        and "Portal layanan" in item.get_text()
    )
    refused = kontributor.post(
        f"/assessments/{pemdi}/butir/I3-L1-01/attach", data={"evidence_id": str(other)}, headers=HTMX
    )
    assert (
        refused.status_code == 403
        and "ditugaskan" in parse(refused.text).select_one("[role=alert]").get_text()
    )
    judged = kontributor.post(
        f"/assessments/{pemdi}/butir/I17-L1-01/status", data={"status": "diterima"}, headers=HTMX
    )
    assert judged.status_code == 403
    with session_scope(web_app.state.engine) as db:
        states = {s.code: s.status for s in db.exec(select(ButirState))}
        assert states == {"I17-L1-01": "disiapkan"}
        assert (
            db.exec(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("butir.%"))
            ).one()
            == 2
        )


def test_a_peninjau_reads_the_butir_without_any_form_and_cannot_post(client_as, web_app) -> None:
    pemdi = create_pemdi(client_as("koordinator"), web_app)
    peninjau = client_as("peninjau")
    html = panel(peninjau, pemdi, "I17")
    assert html.select("[data-butir]") and html.select("form") == []
    for path, data in (("status", {"status": "diterima"}), ("due", {"due": "2027-01-31"})):
        assert (
            peninjau.post(f"/assessments/{pemdi}/butir/I17-L1-01/{path}", data=data, headers=HTMX).status_code
            == 403
        )
    assert (
        peninjau.post(
            f"/assessments/{pemdi}/butir/import", files={"file": ("a.csv", VERDICTS.read_bytes(), "text/csv")}
        ).status_code
        == 403
    )


def test_a_claim_above_what_the_prepared_butir_support_is_flagged(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    assert post(koordinator, pemdi, "I17", value="3").status_code == 200
    flag = panel(koordinator, pemdi, "I17").select_one("[data-claim-above]")
    assert flag is not None and "3,00" in flag.get_text() and "tingkat 0" in flag.get_text()
    assert panel(koordinator, pemdi, "I17").select_one("[data-col=claimed]").get_text(strip=True) == "3,00"
    assert post(koordinator, pemdi, "I17", value="1").status_code == 200
    assert panel(koordinator, pemdi, "I17").select_one("[data-claim-above]") is None


def test_plain_forms_go_back_to_the_card(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    response = koordinator.post(
        f"/assessments/{pemdi}/butir/I17-L2-01/status",
        data={"status": "revisi", "reason": "belum_diunggah", "note": "Unggah rencana."},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].endswith("?aspect=A6#ind-I17")
    item = panel(koordinator, pemdi, "I17").select_one('[data-butir="I17-L2-01"]')
    assert item["data-status"] == "revisi" and "Unggah rencana." in item.get_text()
    assert (
        koordinator.post(
            f"/assessments/{pemdi}/butir/I17-L9-01/status", data={"status": "diterima"}, headers=HTMX
        ).status_code
        == 404
    )
    history = parse(koordinator.get(f"/assessments/{pemdi}/history?indicator=I17").text)
    changes = [li.get_text(" ", strip=True) for li in history.select('li[data-action^="butir."]')]
    assert any("Status butir : belum → revisi (belum_diunggah)" in c and "I17-L2-01" in c for c in changes)
    assert any("Catatan asesor pada butir" in c and "Unggah rencana." in c for c in changes)


def test_new_assessments_from_2026_default_to_pemdi_and_every_page_names_its_instrument(
    client_as, web_app
) -> None:
    koordinator = client_as("koordinator")
    instansi = demo_instansi_id(web_app)
    created = koordinator.post(
        "/assessments", data={"instansi_id": str(instansi), "year": "2026"}, follow_redirects=False
    )
    assert created.status_code == 303
    pemdi = created.headers["location"]
    header = parse(koordinator.get(pemdi).text).select_one("[data-instrument]")
    assert header.get_text(strip=True) == "Indeks Pemdi 2026"
    dashboard = parse(koordinator.get("/assessments/2/dashboard").text)
    assert dashboard.select_one("[data-instrument]").get_text(strip=True) == "Indeks SPBE 2022"
    assert "Dasbor Indeks SPBE 2022" in dashboard.select_one("h1").get_text()
    older = koordinator.post(
        "/assessments", data={"instansi_id": str(instansi), "year": "2025"}, follow_redirects=False
    )
    home = parse(koordinator.get("/").text)
    rubrics = {
        row["data-year"]: row.select("td")[1].get_text(" ", strip=True)
        for row in home.select("tr[data-year]")
    }
    assert older.status_code == 303 and rubrics["2026"].startswith("Indeks Pemdi pemdi-2026")
    assert rubrics["2025"].startswith("Indeks SPBE spbe-2021")
    assert "Pemerintah Digital" in home.select_one(".brand").get_text()


def imported(client, app) -> int:
    """A Pemdi assessment with the Aceh Tengah verdicts; I17 and I13 assigned to the demo kontributor."""
    pemdi = create_pemdi(client, app)
    for indicator in ("I17", "I13"):
        assign(app, pemdi, indicator, "demo-kontributor")
    with session_scope(app.state.engine) as db:
        answer = db.exec(
            select(Answer).where(Answer.assessment_id == pemdi, Answer.indicator_id == "I13")
        ).one()
        answer.responsible_unit, answer.target_value = "Diskominfo", 2
    response = client.post(
        f"/assessments/{pemdi}/butir/import",
        files={"file": (VERDICTS.name, VERDICTS.read_bytes(), "text/csv")},
    )
    assert response.status_code == 200
    return pemdi


def test_the_work_list_groups_what_is_left_by_opd_and_assignee_up_to_each_target(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = imported(koordinator, web_app)
    page = parse(koordinator.get(f"/assessments/{pemdi}/perbaikan").text)
    mine = page.select_one('[data-unit="Diskominfo"]')
    codes = [tr["data-butir"] for tr in mine.select("tr[data-butir]")]
    # I13 target 2: the revisi at L1 (02), the open L1-03, every L2 butir; the revisi at L3 too
    assert codes == ["I13-L1-02", "I13-L1-03", "I13-L2-01", "I13-L2-02", "I13-L2-03", "I13-L3-01"]
    assert "Demo Kontributor" in mine.select_one("h2").get_text()
    assert "RKA/DPA" in mine.select_one('[data-butir="I13-L1-02"]').get_text()
    i17 = [tr["data-butir"] for tr in page.select("tr[data-butir]") if tr["data-butir"].startswith("I17-")]
    assert i17 == ["I17-L3-01", "I17-L3-02", "I17-L3-03", "I17-L3-04"]  # no target: the next level
    # the partial-credit estimate of the Aceh Tengah verdicts: 1,23 (the asesor's interim index is 1,24)
    assert page.select_one("[data-estimated-index]")["data-estimated-index"] == "1.23"
    assert page.select_one('[data-indicator="I17"]')["data-reached"] == "2"
    filtered = parse(koordinator.get(f"/assessments/{pemdi}/perbaikan?status=otomatis_ditolak").text)
    assert [tr["data-butir"] for tr in filtered.select("tr[data-butir]")] == ["I4-L2-02", "I12-L2-01"]


def test_the_work_list_downloads_as_xlsx_with_the_same_filters(client_as, web_app) -> None:
    import io

    from openpyxl import load_workbook

    koordinator = client_as("koordinator")
    pemdi = imported(koordinator, web_app)
    response = koordinator.get(f"/assessments/{pemdi}/perbaikan.xlsx?unit=Diskominfo")
    assert response.status_code == 200 and response.headers["content-disposition"].endswith('2026.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("OPD", "Petugas", "Butir") and len(rows) == 2 + 6
    assert rows[2][2] == "I13-L1-02" and rows[2][6] == "revisi (bukti tidak tepat)"


def test_a_kontributor_sees_their_own_list_first_after_signing_in(client_as, web_app) -> None:
    pemdi = imported(client_as("koordinator"), web_app)
    kontributor = client_as("kontributor")
    home = parse(kontributor.get("/").text)
    work = home.select_one(f'[data-my-work="{pemdi}"]')
    assert work is not None and "10 butir" in work.select_one("h2").get_text()
    first = home.select_one("main section.instansi > *:not(header):not(.instansi-links)")
    assert first is work
    page = parse(kontributor.get(f"/assessments/{pemdi}/perbaikan").text)
    assert {g["data-assignee"] for g in page.select("[data-assignee]")} == {"Demo Kontributor"}
    assert parse(client_as("peninjau").get("/").text).select_one("[data-my-work]") is None


def test_each_advisor_step_lists_the_butir_it_needs_with_their_status(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = imported(koordinator, web_app)
    created = koordinator.post(f"/assessments/{pemdi}/whatif", data={"name": "Naik"}, follow_redirects=False)
    scenario = created.headers["location"]
    page = parse(
        koordinator.post(f"{scenario}/plan", data={"target": "1,5", "max_step": "1"}, headers=HTMX).text
    )
    steps = [tr["data-step"] for tr in page.select("tr[data-step]")]
    assert steps
    for indicator in steps:
        listed = page.select_one(f'tr[data-step-butir="{indicator}"]')
        codes = [c.get_text(strip=True) for c in listed.select("code")]
        number = int(indicator[1:])
        # 1 → 2 needs the L2 butir, and (berjenjang) the L1 butir not yet diterima
        assert any(c.startswith(f"I{number}-L2-") for c in codes)
        assert all(c.startswith((f"I{number}-L2-", f"I{number}-L1-")) for c in codes)
    chips = page.select('tr[data-step-butir="I01"] a')  # portal codes, as imported
    assert {a.code.get_text(): a.select_one(".badge").get_text() for a in chips} == {
        "I1-L2-01": "diterima",
        "I1-L2-02": "revisi",
        "I1-L2-03": "diterima",
        "I1-L2-04": "belum",
    }
    i04 = page.select_one('tr[data-step-butir="I04"]').get_text(" ", strip=True)
    assert "I4-L2-02 otomatis ditolak" in i04 and "I4-L1-02 revisi" in i04 and "I4-L1-01" not in i04
    assert "belum dikonfirmasi" in page.select_one("[data-level-rule]").get_text()


def test_the_loop_on_both_databases_import_work_list_fix_accept(client_as_any_db, web_app_any_db) -> None:
    koordinator = client_as_any_db("koordinator")
    pemdi = create_pemdi(koordinator, web_app_any_db)
    item = add_link(web_app_any_db, pemdi, "I17", "Portal layanan")
    verdicts = b"butir,status,catatan\nI17-L1-01,diterima,\nI17-L1-02,revisi,Lampirkan matriks integrasi.\n"
    assert (
        koordinator.post(
            f"/assessments/{pemdi}/butir/import", files={"file": ("a.csv", verdicts, "text/csv")}
        ).status_code
        == 200
    )
    listed = parse(koordinator.get(f"/assessments/{pemdi}/perbaikan").text)
    assert listed.select_one('tr[data-butir="I17-L1-02"]')["data-status"] == "revisi"
    koordinator.post(
        f"/assessments/{pemdi}/butir/I17-L1-02/attach", data={"evidence_id": str(item)}, headers=HTMX
    )
    fixed = koordinator.post(
        f"/assessments/{pemdi}/butir/I17-L1-02/status", data={"status": "disiapkan"}, headers=HTMX
    )
    assert parse(fixed.text).select_one('[data-butir="I17-L1-02"]')["data-status"] == "disiapkan"
    accepted = b"butir,status,catatan\nI17-L1-02,diterima,\n"
    koordinator.post(f"/assessments/{pemdi}/butir/import", files={"file": ("b.csv", accepted, "text/csv")})
    assert panel(koordinator, pemdi, "I17").select_one("section.butir")["data-reached"] == "1"
    after = parse(koordinator.get(f"/assessments/{pemdi}/perbaikan").text)
    assert after.select_one('tr[data-butir="I17-L1-02"]') is None


def test_an_external_indicator_shows_its_butir_but_no_estimate_from_them(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    html = panel(koordinator, create_pemdi(koordinator, web_app), "I05")
    assert [li["data-butir"] for li in html.select("[data-butir]")] == [f"I5-L{n}-01" for n in range(1, 6)]
    assert html.select_one("[data-col=estimate]") is None and "indeks instansi lain" in html.get_text()


def test_the_koordinator_marks_a_prepared_butir_uploaded_in_one_click(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = create_pemdi(koordinator, web_app)
    item = add_link(web_app, pemdi, "I17", "Portal layanan")
    html = parse(
        koordinator.post(
            f"/assessments/{pemdi}/butir/I17-L1-01/attach", data={"evidence_id": str(item)}, headers=HTMX
        ).text
    )
    button = html.select_one('[data-butir="I17-L1-01"] form input[name=status][value=diunggah]')
    assert button is not None
    done = parse(
        koordinator.post(
            f"/assessments/{pemdi}/butir/I17-L1-01/status", data={"status": "diunggah"}, headers=HTMX
        ).text
    )
    assert done.select_one('[data-butir="I17-L1-01"]')["data-status"] == "diunggah"
    assert done.select_one("section.butir")["data-prepared"] == "0"  # I17-L1-02 is still belum


def test_ticking_butir_simulates_them_accepted_without_saving_anything(client_as, web_app) -> None:
    koordinator = client_as("koordinator")
    pemdi = imported(koordinator, web_app)
    with session_scope(web_app.state.engine) as db:
        before = sorted((s.code, s.status) for s in db.exec(select(ButirState)))
    ticked = "&".join(f"sim=I17-L3-0{n}" for n in range(1, 5))
    page = parse(koordinator.get(f"/assessments/{pemdi}/perbaikan?{ticked}&sim=I99-L1-01").text)
    assert page.select_one("[data-simulated]")["data-simulated"] == "4"  # an unknown code is ignored
    # I17 (weight 4 %) climbs from 2 to 3: its estimate 2,50 → 3,50 lifts the index 1,2325 by 0,04
    assert page.select_one("[data-sim-index]")["data-sim-index"] == "1.27"
    assert page.select_one('[data-sim-indicator="I17"]').get_text(" ", strip=True) == "I17 2 → 3"
    assert [c["value"] for c in page.select("input[name=sim][checked]")] == [
        f"I17-L3-0{n}" for n in range(1, 5)
    ]
    with session_scope(web_app.state.engine) as db:
        assert sorted((s.code, s.status) for s in db.exec(select(ButirState))) == before
