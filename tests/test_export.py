"""`spbe export` and `spbe verify-pack`: the pack opens, matches its manifest, and reads back with the right figures."""

from __future__ import annotations

import zipfile

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from spbe.method.levels_file import read_levels
from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_DATA
from spbe.reports.pack.layout import COVER
from tests import evidence_files
from tests.export_env import env, template  # noqa: F401 (fixtures)
from tests.export_helpers import (
    add_link,
    attach,
    manifest,
    new_assessment,
    pdf_text,
    rewrite,
    set_value,
    sha256,
)


def test_the_pack_opens_and_its_manifest_matches_every_file(env):
    pdf = evidence_files.pdf("Perwal Arsitektur")
    attach(env.engine, env.evidence_dir, env.a2022, "I01", pdf, "perwal.pdf", title="Perwal Arsitektur SPBE")
    add_link(env.engine, env.a2022, "I01", "https://sipd.pasuruankota.go.id", title="SIPD", note="akun: demo")
    pack, stdout = env.export()
    assert pack.testzip() is None and "Paket bukti ditulis" in stdout
    entries = manifest(pack)
    names = {i.filename for i in pack.infolist()}
    assert names == {e["path"] for e in entries} | {"manifest.csv", "manifest.json"}
    for entry in entries:
        data = pack.read(entry["path"])
        assert (len(data), sha256(data), entry["status"]) == (entry["size"], entry["sha256"], "ok")
    folder = "D1 Kebijakan Internal SPBE/A1 Kebijakan Internal Tata Kelola SPBE/I01 Tingkat Kematangan Kebijakan " \
             "Internal Arsitektur SPBE Instansi"
    assert pack.read(f"{folder}/01 Perwal Arsitektur SPBE.pdf") == pdf
    evidence = next(e for e in entries if e["path"].endswith(".pdf") and e["indicator"])
    assert evidence["indicator"] == "I01" and evidence["sha256"] == sha256(pdf)
    cover = pack.read(f"{folder}/00 Lembar indikator.html").decode()
    assert 'href="01%20Perwal%20Arsitektur%20SPBE.pdf"' in cover and "https://sipd.pasuruankota.go.id" in cover
    assert "akun: demo" in cover and "Terstandarisasi" in cover and "(diklaim)" in cover
    index = pack.read("index.html").decode()
    assert 'href="ringkasan.pdf"' in index and not any(tag in index for tag in ("<script", "<link", "src="))
    assert f'href="{folder.replace(" ", "%20")}/00%20Lembar%20indikator.html"' in index
    csv_rows = pack.read("manifest.csv").decode("utf-8-sig").splitlines()
    assert csv_rows[0] == "path,size,sha256,indicator,status" and len(csv_rows) == len(entries) + 1


def test_verify_pack_passes_on_a_good_pack_and_names_each_mismatch(env):
    attach(env.engine, env.evidence_dir, env.a2022, "I03", evidence_files.pdf(), "data.pdf", title="SK Data")
    env.export()
    good = env.tmp / "pack.zip"
    code, out, _ = env.run("verify-pack", str(good))
    assert code == 0 and "OK: " in out
    member = next(n for n in zipfile.ZipFile(good).namelist() if n.endswith("01 SK Data.pdf"))
    tampered = env.tmp / "tampered.zip"
    rewrite(good, tampered, replace={member: evidence_files.pdf("dipalsukan"), "index.html": b"<p>lain</p>"},
            extra={"sisipan.exe": b"MZ"})
    code, out, err = env.run("verify-pack", str(tampered))
    assert code == 1 and "3 ketidakcocokan" in err
    assert f"TIDAK COCOK {member}: ukuran" in out or f"TIDAK COCOK {member}: SHA-256" in out
    assert "TIDAK COCOK index.html" in out and "TIDAK COCOK sisipan.exe: tidak tercantum di manifest" in out
    same_size = env.tmp / "same-size.zip"
    rewrite(good, same_size, replace={"index.html": bytes(len(zipfile.ZipFile(good).read("index.html")))})
    assert env.run("verify-pack", str(same_size))[1] == "TIDAK COCOK index.html: SHA-256 tidak cocok\n"
    dropped = env.tmp / "dropped.zip"
    rewrite(good, dropped, drop="penilaian.xlsx")
    code, out, _ = env.run("verify-pack", str(dropped))
    assert code == 1 and "TIDAK COCOK penilaian.xlsx: tidak ada di paket" in out


def test_verify_pack_refuses_what_is_not_a_pack(env):
    not_zip = env.tmp / "x.zip"
    not_zip.write_text("bukan zip")
    code, _, err = env.run("verify-pack", str(not_zip))
    assert code == 2 and "bukan berkas ZIP" in err
    plain = env.tmp / "plain.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("a.txt", "a")
    code, _, err = env.run("verify-pack", str(plain))
    assert code == 2 and "tanpa manifest" in err
    deep = env.tmp / "deep.zip"
    with zipfile.ZipFile(deep, "w") as archive:
        archive.writestr("manifest.json", "[" * 100_000 + "]" * 100_000)
        archive.writestr("manifest.csv", "path,size,sha256,indicator,status\r\n")
    code, _, err = env.run("verify-pack", str(deep))
    assert code == 2 and "bersarang" in err and "Traceback" not in err


def test_the_summary_pdf_holds_the_index_predikat_domains_and_last_year(env):
    pack, _ = env.export()
    text = pdf_text(pack)
    assert "Indeks SPBE: 2,66" in text and "Predikat: Baik" in text
    assert "D3 Manajemen SPBE 16,5 % 1,27 11/11" in text
    assert "Kota Pasuruan — tahun 2022" in text
    # year on year: both years complete, the change of the published figures
    assert "Indeks SPBE 1,83 2,66 +0,83" in text and "D1 Kebijakan Internal SPBE 1,60 3,00 +1,40" in text
    assert "Celah data dukung" in text and "SEMENTARA" not in text


def test_the_summary_is_in_helvetica_unless_a_text_needs_a_unicode_font(env):
    pack, _ = env.export()
    plain = pack.read("ringkasan.pdf")
    assert b"/Helvetica" in plain and b"/FontFile2" not in plain  # no font file embedded
    with env.engine.begin() as db:
        db.execute(sa.text("UPDATE instansi SET name = 'Kota Pasuruan ≥ №1' WHERE code = 'kota-pasuruan'"))
    pack, _ = env.export(name="unicode.zip")
    embedded = pack.read("ringkasan.pdf")
    assert b"/FontFile2" in embedded and b"DejaVu" in embedded
    assert "Kota Pasuruan ≥ №1 — tahun 2022" in pdf_text(pack) and "Indeks SPBE: 2,66" in pdf_text(pack)


def test_the_workbook_reads_back_with_levels_last_year_and_deltas(env):
    set_value(env.engine, env.a2022, "I02", "3", "=HYPERLINK(\"http://x\")")  # text, never a formula
    pack, _ = env.export()
    sheet = load_workbook(zipfile.Path(pack, "penilaian.xlsx").open("rb"))["Penilaian"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("Domain", "Aspek", "Indikator", "Nama indikator", "Nilai 2022", "Nama tingkat",
                           "Nilai 2021", "Selisih")
    rubric = get_rubric("spbe-2021")
    now = read_levels(DEMO_DATA / "kota-pasuruan-2022.csv", rubric)
    before = read_levels(DEMO_DATA / "kota-pasuruan-2021.csv", rubric)
    assert len(rows) == 48
    for row in rows[1:]:
        ind = row[2]
        assert row[4] == now[ind]
        assert row[6] == before.get(ind)
        assert row[7] == (now[ind] - before[ind] if ind in before else None)
    i03 = next(r for r in rows if r[2] == "I03")
    assert i03[:8] == ("D1", "A1", "I03", rubric.indicator_by_id["I03"].name, 4, "Terintegrasi dan Terukur", 1, 3)
    assert next(r for r in rows if r[2] == "I02")[10] == "=HYPERLINK(\"http://x\")"
    # no evidence at all: every claim above level 1 is a gap; level 1 is the floor and needs none
    assert all(r[12] == ("ya" if now[r[2]] > 1 else None) for r in rows[1:])


def test_unicode_and_duplicate_names_are_kept_apart(env):
    title = "Perwal №5/2022 — Ñandú 日本語"
    for text in ("satu", "dua"):
        attach(env.engine, env.evidence_dir, env.a2022, "I05", evidence_files.pdf(text), "perwal.pdf", title=title)
    attach(env.engine, env.evidence_dir, env.a2022, "I05", evidence_files.docx(), "Ñandú.docx", title=title)
    pack, _ = env.export()
    names = sorted(n.rsplit("/", 1)[1] for n in pack.namelist() if "/I05 " in n)
    assert names == ["00 Lembar indikator.html", "01 Perwal №5-2022 — Ñandú 日本語.pdf",
                     "02 Perwal №5-2022 — Ñandú 日本語.pdf", "03 Perwal №5-2022 — Ñandú 日本語.docx"]
    out = env.tmp / "unzipped"
    pack.extractall(out)
    assert len([p for p in out.rglob("*Ñandú*") if p.is_file()]) == 3
    assert all(info.flag_bits & 0x800 for info in pack.infolist() if not info.filename.isascii())  # UTF-8 names


def test_an_empty_assessment_exports_with_ranges_and_every_cover(env):
    new_assessment(env.engine, 2023)
    pack, _ = env.export(year="2023")
    text = pdf_text(pack)
    assert "Indeks SPBE: 1,00–5,00" in text and "0 dari 47 indikator terisi" in text
    assert len([n for n in pack.namelist() if n.endswith("00 Lembar indikator.html")]) == 47
    rows = list(load_workbook(zipfile.Path(pack, "penilaian.xlsx").open("rb"))["Penilaian"].iter_rows(values_only=True))
    assert len(rows) == 48 and rows[0][6] == "Nilai 2022"  # last year is the demo's 2022
    assert all(r[4] is None and r[6] is not None and r[7] is None for r in rows[1:])
    assert "Tidak ada celah" in text


def test_internal_evidence_stays_out(env):
    attach(env.engine, env.evidence_dir, env.a2022, "I04", evidence_files.pdf("rahasia"), "r.pdf",
           title="Catatan internal", internal=True)
    attach(env.engine, env.evidence_dir, env.a2022, "I04", evidence_files.pdf("publik"), "p.pdf", title="SK publik")
    pack, _ = env.export()
    paths = " ".join(pack.namelist())
    assert "SK publik" in paths and "Catatan internal" not in paths
    assert "Catatan internal" not in pack.read("manifest.json").decode()
    assert "1 bukti bertanda internal tidak dimasukkan" in pack.read("index.html").decode()


def test_one_domain_exports_only_its_indicators(env):
    pack, _ = env.export("--domain", "D3", name="d3.zip")
    folders = {n.split("/")[0] for n in pack.namelist() if "/" in n}
    assert folders == {"D3 Manajemen SPBE"}
    rows = list(load_workbook(zipfile.Path(pack, "penilaian.xlsx").open("rb"))["Penilaian"].iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == [i.id for i in get_rubric("spbe-2021").indicators_of_domain("D3")]
    assert "Paket ini hanya memuat domain D3" in pdf_text(pack)
    assert (env.tmp / "d3.zip").exists() and env.run("verify-pack", str(env.tmp / "d3.zip"))[0] == 0


@pytest.mark.parametrize(("argv", "message"), [
    (("kota-antah", "2022"), "instansi 'kota-antah' tidak ditemukan"),
    (("kota-pasuruan", "2030"), "Kota Pasuruan belum punya penilaian tahun 2030"),
    (("kota-pasuruan", "dua ribu"), "tahun 'dua ribu' tidak sah"),
    (("kota-pasuruan", "2022", "--domain", "D9"), "domain 'D9' tidak ada dalam rubrik spbe-2021 (pilihan: D1, D2"),
])
def test_bad_instansi_year_or_domain_exit_2_with_a_message(env, argv, message):
    code, _, err = env.run("export", *argv, "--out", str(env.tmp / "x.zip"))
    assert code == 2 and message in err and not (env.tmp / "x.zip").exists()


def test_a_missing_evidence_file_is_reported_not_skipped(env):
    gone = attach(env.engine, env.evidence_dir, env.a2022, "I01", evidence_files.pdf("hilang"), "a.pdf",
                  title="SK yang hilang")
    attach(env.engine, env.evidence_dir, env.a2022, "I01", evidence_files.pdf("ada"), "b.pdf", title="SK yang ada")
    gone.unlink()
    out = env.tmp / "pack.zip"
    code, _, err = env.run("export", "kota-pasuruan", "2022", "--out", str(out))
    assert code == 1 and "01 SK yang hilang.pdf" in err and "peringatan" in err
    pack = zipfile.ZipFile(out)
    missing = [e for e in manifest(pack) if e["status"] == "missing"]
    assert [e["path"].rsplit("/", 1)[1] for e in missing] == ["01 SK yang hilang.pdf"]
    assert missing[0]["path"] not in pack.namelist() and "SK yang hilang" in pack.read("HILANG.txt").decode("utf-8-sig")
    assert any(n.endswith("02 SK yang ada.pdf") for n in pack.namelist())
    assert "Berkas bukti hilang" in pdf_text(pack)
    code, out_text, err = env.run("verify-pack", str(out))
    assert code == 1 and "HILANG: " in out_text and "01 SK yang hilang.pdf: hilang saat ekspor" in out_text
    assert "Paket tidak lengkap: 1 berkas bukti hilang" in err and "--allow-missing" in err
    code, out_text, _ = env.run("verify-pack", "--allow-missing", str(out))
    assert code == 0 and "1 berkas hilang saat ekspor diterima" in out_text


def test_an_indicator_valued_from_another_agencys_index_needs_no_evidence_in_the_pack(env):
    a2026 = new_assessment(env.engine, 2026, "pemdi-2026")
    set_value(env.engine, a2026, "I05", "3.75", "Indeks SDI 68,75")
    set_value(env.engine, a2026, "I01", "2")
    pack, _ = env.export(year="2026")
    index = BeautifulSoup(zipfile.Path(pack, "index.html").read_text(), "html.parser")
    assert "belum ada bukti" not in index.select_one("tr#I05").get_text()
    assert "Tingkat 2 diklaim, tetapi belum ada data dukung" in index.select_one("tr#I01").get_text()


def test_a_pemdi_assessment_exports_grouped_by_aspect_with_decimal_values(env):
    a2026 = new_assessment(env.engine, 2026, "pemdi-2026")
    set_value(env.engine, a2026, "I01", "1.1667", "Rencana aksi disusun")
    attach(env.engine, env.evidence_dir, a2026, "I01", evidence_files.pdf(), "ra.pdf", title="Rencana aksi",
           levels=(1,))
    pack, _ = env.export(year="2026")
    assert {n.split("/")[0] for n in pack.namelist() if "/" in n} == {
        f"A{a.number} {a.name}" for a in get_rubric("pemdi-2026").meta.aspects}
    text = pdf_text(pack)
    assert "SEMENTARA" in text and "Indeks Pemdi:" in text and "5 dari 20 indikator terisi" in text
    assert "Menunggu indeks sumber (tidak dinilai mandiri, dihitung 1,00): I05, I06, I07, I18." in text
    index = BeautifulSoup(zipfile.Path(pack, "index.html").read_text(), "html.parser")
    assert " ".join(index.select_one("tr#I05").get_text(" ").split()).startswith(
        "I05 Tingkat Kematangan Tata Kelola Data – (menunggu indeks sumber, dihitung 1,00)")
    cover = next(n for n in pack.namelist() if "/I05 " in n and n.endswith(COVER))
    words = " ".join(BeautifulSoup(pack.read(cover), "html.parser").get_text(" ").split())
    assert "Indeks sumber Indeks Satu Data Indonesia (SDI) (Kementerian PPN/Bappenas): menunggu indeks sumber, " \
        "dihitung 1,00 — tidak dinilai mandiri" in words
    rows = list(load_workbook(zipfile.Path(pack, "penilaian.xlsx").open("rb"))["Penilaian"].iter_rows(values_only=True))
    first = get_rubric("pemdi-2026").indicator_by_id["I01"]
    assert rows[1][:6] == (None, "A1", "I01", first.name, 1.1667, "Merintis")
    assert rows[1][12] is None and rows[2][12] is None  # level 1 is supported by the upload; I02 claims nothing
    pack_a1, _ = env.export("--domain", "A1", year="2026", name="a1.zip")
    assert {n.split("/")[0] for n in pack_a1.namelist() if "/" in n} == {"A1 Tata Kelola dan Manajemen"}
    code, _, err = env.run("export", "kota-pasuruan", "2026", "--out", str(env.tmp / "x.zip"), "--domain", "D1")
    assert code == 2 and "aspek 'D1' tidak ada dalam rubrik pemdi-2026" in err
