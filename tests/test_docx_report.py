"""`spbe report`: the editable Word report reads back with the right figures, headings, tables and images."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn
from sqlmodel import select

from spbe.method import advice
from spbe.method.levels_file import read_levels
from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_DATA
from spbe.store.db import session_scope
from spbe.store.models import Answer, Kpi, KpiTarget
from tests import evidence_files
from tests.export_env import env, template  # noqa: F401 (fixtures)
from tests.export_helpers import add_link, attach, new_assessment, set_value

HEADINGS = ["Daftar Isi", "1 Dasar Hukum dan Metode", "2 Hasil Penilaian", "3 Perbandingan",
            "4 Rincian per Indikator", "5 Rekomendasi", "6 Tabel LKJIP"]


def write_report(env, year: str = "2022"):
    out = env.tmp / f"laporan-{year}.docx"
    code, stdout, err = env.run("report", "kota-pasuruan", year, "--out", str(out))
    assert code == 0 and err == "" and f"Laporan ditulis: {out}" in stdout
    return docx.Document(str(out)), out


def text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def table_after(document, heading: str) -> list[list[str]]:
    """The rows of the first table after a heading."""
    found, tables_before = False, 0
    for block in document.element.body.iterchildren():
        words = "".join(t.text or "" for t in block.iter(qn("w:t"))).strip()
        if block.tag.endswith("}p") and words == heading:
            found = True
        elif block.tag.endswith("}tbl"):
            if found:
                return [[cell.text for cell in row.cells] for row in document.tables[tables_before].rows]
            tables_before += 1
    raise AssertionError(f"no table after {heading!r}")


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_the_2022_report_has_the_seeds_figures_in_word_headings_and_tables(env):
    document, out = write_report(env)
    assert headings(document, 1) == HEADINGS
    assert len(headings(document, 3)) == 47 and headings(document, 3)[0].startswith("I01 Tingkat Kematangan")
    assert "Indeks SPBE Kota Pasuruan tahun 2022: 2,66, predikat Baik." in text(document)
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == ["Laporan Penilaian Mandiri Indeks SPBE"]
    domains = table_after(document, "2.1 Nilai per domain")
    assert [row[2] for row in domains[1:]] == ["3,00", "2,00", "1,27", "3,43"]
    assert domains[3][0] == "D3 Manajemen SPBE" and domains[3][1] == "16,5 %" and domains[3][3] == "11/11"
    aspects = table_after(document, "2.2 Nilai per aspek")
    assert [row[2] for row in aspects[1:]] == ["3,00", "1,50", "1,75", "3,50", "1,38", "1,00", "3,50", "3,33"]
    assert len(document.inline_shapes) == 2  # the radar and the bars, as PNG
    images = [part for part in document.part.package.parts if part.partname.endswith(".png")]
    assert len(images) == 2 and all(part.blob.startswith(b"\x89PNG") for part in images)
    last_year = table_after(document, "3.1 Dengan tahun sebelumnya")
    assert last_year[0] == ["Komponen", "2021", "2022", "Selisih"]
    assert last_year[1] == ["Indeks SPBE", "1,83", "2,66", "+0,83"]
    assert 'w:instrText xml:space="preserve">TOC \\o "1-3" \\h \\z \\u' in document.element.xml


def test_each_indicator_has_its_level_last_year_explanation_and_evidence(env):
    set_value(env.engine, env.a2022, "I01", "3", "Perwal 12/2022 menetapkan arsitektur SPBE")
    attach(env.engine, env.evidence_dir, env.a2022, "I01", evidence_files.pdf(), "perwal.pdf",
           title="Perwal SPBE", doc_number="12/2022", doc_date=dt.date(2022, 3, 1))
    add_link(env.engine, env.a2022, "I01", "https://sipd.example.go.id", title="SIPD", levels=(3, 4))
    document, _ = write_report(env)
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index(headings(document, 3)[0])
    section = paragraphs[start:paragraphs.index(headings(document, 3)[1])]
    assert section[1:7] == ["Nilai: 3 — tingkat 3 Terstandarisasi", "Nilai 2021: 1", "Nilai akhir resmi: –",
                            "Target: –", "Unit penanggung jawab: –",
                            "Penjelasan: Perwal 12/2022 menetapkan arsitektur SPBE"]
    assert "Perwal SPBE: nomor 12/2022, 01-03-2022, berkas perwal.pdf, tingkat 3" in section
    assert "SIPD: tautan https://sipd.example.go.id, tingkat 3, 4" in section
    i47 = paragraphs[paragraphs.index(headings(document, 3)[-1]):]
    assert i47[1].startswith("Nilai: 4 — tingkat 4 ") and i47[2] == "Nilai 2021: 1"


def test_the_2021_report_is_complete_cukup(env):
    document, _ = write_report(env, "2021")
    assert "Indeks SPBE Kota Pasuruan tahun 2021: 1,83, predikat Cukup." in text(document)
    assert "Belum ada penilaian tahun sebelumnya dengan rubrik yang sama." in text(document)
    history = table_after(document, "Tabel 3.3 Perbandingan Capaian Kinerja Tahun 2021 dengan Tahun "
                                    "Sebelumnya")
    assert history[1] == ["Indeks SPBE", "–", "1,83 mandiri", "–"]  # no earlier year, no target yet


def test_recommendations_are_the_advisors_cheapest_plan_toward_the_target(env):
    document, _ = write_report(env)
    rubric = get_rubric("spbe-2021")
    levels = read_levels(DEMO_DATA / "kota-pasuruan-2022.csv", rubric)
    plan = advice.plan(rubric, levels, Decimal("3.50"))  # no KPI target: the next predikat, Sangat Baik
    assert "Sasaran: Indeks SPBE 3,50 (batas bawah predikat Sangat Baik)." in text(document)
    rows = table_after(document, "5 Rekomendasi")
    assert rows[0] == ["Indikator", "Nama", "Dari → Ke", "Tambahan", "Upaya"]
    assert [r[0] for r in rows[1:]] == [m.indikator for m in advice.moves(plan)]
    assert all(r[1] == rubric.indicator_by_id[r[0]].name for r in rows[1:])  # full names
    first = advice.moves(plan)[0]
    assert rows[1][2] == f"{first.start} → {first.to}"
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == len(rows) - 1 and numbered[0].startswith("Naikkan ")
    assert "Setelah rencana: 3,50, predikat Sangat Baik" in text(document)


def test_a_kpi_target_and_official_values_are_used_when_entered(env):
    with session_scope(env.engine) as db:
        kpi = Kpi(instansi_id=1, scope="index", end_year=2026, end_target=Decimal("2.9"))
        db.add(kpi)
        db.flush()
        db.add(KpiTarget(kpi_id=kpi.id, year=2023, target=Decimal("2.7")))
        db.add(KpiTarget(kpi_id=kpi.id, year=2022, target=Decimal("2.6")))
        for answer in db.exec(select(Answer).where(Answer.assessment_id == env.a2022)):
            answer.official_value = answer.value - 1 if answer.indicator_id == "I26" and answer.value > 1 \
                else answer.value
            db.add(answer)
    document, _ = write_report(env)
    assert "Sasaran: Indeks SPBE 2,70 (target indeks tahun 2023 di LKJIP)." in text(document)
    official = table_after(document, "3.2 Dengan nilai akhir resmi (KemenPANRB)")
    assert official[0] == ["Komponen", "Penilaian mandiri", "Nilai akhir resmi", "Selisih"]
    assert official[1][:2] == ["Indeks SPBE", "2,66"]
    capaian = table_after(document, "Tabel 3.2 Capaian Kinerja Tahun 2022")
    assert capaian[1] == ["Indeks SPBE", "2,60", official[1][2] + " resmi", capaian[1][3], capaian[1][4],
                          "KemenPANRB (nilai akhir)"]
    progress = table_after(document, "Tabel 3.4 Kemajuan Capaian terhadap Target Akhir Renstra")
    assert progress[1][2:4] == ["2,90", "2026"]


def test_a_pemdi_report_groups_by_aspect_and_marks_the_rubric_provisional(env):
    a2026 = new_assessment(env.engine, 2026, "pemdi-2026")
    set_value(env.engine, a2026, "I01", "1.1667", "Rencana aksi disusun")
    document, _ = write_report(env, "2026")
    words = text(document)
    assert "Laporan Penilaian Mandiri Indeks Pemdi" in words and "SEMENTARA" in words
    assert "PermenPANRB Nomor 8 Tahun 2026 tentang Evaluasi Kinerja Pemerintah Digital" in words
    assert "2.1 Nilai per aspek" in headings(document, 2)
    assert not any("per domain" in h for h in headings(document, 2))
    assert len(headings(document, 3)) == 20 and "Nilai: 1,1667 — tingkat 1 " in words
    assert "Dinilai dari Indeks Satu Data Indonesia (SDI)" in words
    assert "belum lengkap: 5 dari 20 indikator terisi" in words


@pytest.mark.parametrize(("argv", "message"), [
    (("kota-antah", "2022", "--out", "x.docx"), "instansi 'kota-antah' tidak ditemukan"),
    (("kota-pasuruan", "2030", "--out", "x.docx"), "Kota Pasuruan belum punya penilaian tahun 2030"),
    (("kota-pasuruan", "22", "--out", "x.docx"), "tahun '22' tidak sah"),
    (("kota-pasuruan", "2022", "--out", "x.pdf"), "harus berakhiran .docx"),
])
def test_bad_input_exits_2_with_a_message_and_writes_nothing(env, argv, message):
    instansi, year, flag, name = argv
    code, _, err = env.run("report", instansi, year, flag, str(env.tmp / name))
    assert code == 2 and message in err and not (env.tmp / name).exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_report_to_pdf(env):
    _, out = write_report(env)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(env.tmp), str(out)],
                   check=True, capture_output=True, timeout=300)
    pdf = out.with_suffix(".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
