"""The pack carries the evidence panel's warnings everywhere, flags only real gaps, and lists every item."""

from __future__ import annotations

import datetime as dt
import zipfile
from urllib.parse import unquote

from bs4 import BeautifulSoup
from openpyxl import load_workbook

from spbe.method.levels_file import read_levels
from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_DATA
from spbe.reports.pack.layout import COVER
from tests import evidence_files
from tests.export_env import env, template  # noqa: F401 (fixtures)
from tests.export_helpers import add_link, attach, pdf_text

PERIOD = "di luar periode evaluasi 01-01-2021 s.d. 31-12-2022"
LEVELS_2022 = read_levels(DEMO_DATA / "kota-pasuruan-2022.csv", get_rubric("spbe-2021"))


def words(data: bytes | str) -> str:
    return " ".join(BeautifulSoup(data, "html.parser").get_text(" ").split())


def cover_page(pack: zipfile.ZipFile, indicator: str) -> BeautifulSoup:
    name = next(n for n in pack.namelist() if f"/{indicator} " in n and n.endswith(COVER))
    return BeautifulSoup(pack.read(name), "html.parser")


def cover(pack: zipfile.ZipFile, indicator: str) -> str:
    return words(str(cover_page(pack, indicator)))


def cover_warnings(pack: zipfile.ZipFile, indicator: str) -> str:
    found = cover_page(pack, indicator).select_one("ul.warnings")
    return words(str(found)) if found else ""


def working_list(pack: zipfile.ZipFile):
    return load_workbook(zipfile.Path(pack, "penilaian.xlsx").open("rb"))["Daftar bukti"]


def test_document_date_warnings_reach_the_index_covers_pdf_and_workbook(env):
    attach(env.engine, env.evidence_dir, env.a2022, "I01", evidence_files.pdf("lama"), "lama.pdf",
           title="Perwal lama", doc_number="12/2019", doc_date=dt.date(2019, 5, 1))
    add_link(env.engine, env.a2022, "I02", "https://sipd.example.go.id", title="SIPD", doc_date=dt.date(2099, 1, 1))
    attach(env.engine, env.evidence_dir, env.a2022, "I03", evidence_files.pdf("baru"), "baru.pdf",
           title="SK baru", doc_date=dt.date(2022, 3, 1))  # inside the period: no warning
    pack, _ = env.export()
    index = BeautifulSoup(pack.read("index.html"), "html.parser")
    assert f"«Perwal lama» (01-05-2019): tanggal dokumen {PERIOD}" in words(str(index.select_one("tr#I01")))
    assert "«SIPD» (01-01-2099): tanggal dokumen di masa depan" in words(str(index.select_one("tr#I02")))
    assert "tanggal dokumen" not in words(str(index.select_one("tr#I03")))
    assert "2 dokumen bertanggal di luar periode evaluasi" in words(str(index))
    assert f"«Perwal lama» (01-05-2019): tanggal dokumen {PERIOD}" in cover_warnings(pack, "I01")
    assert f"tanggal dokumen {PERIOD}" in cover(pack, "I01").split("Berkas bukti", 1)[1]  # the file's row
    assert "«SIPD» (01-01-2099): tanggal dokumen di masa depan" in cover_warnings(pack, "I02")
    assert "tanggal dokumen" not in cover_warnings(pack, "I03")
    text = pdf_text(pack)
    assert "Peringatan tanggal dokumen" in text and "I01 Perwal lama 01-05-2019 tanggal dokumen di luar" in text
    assert "I02 SIPD 01-01-2099 tanggal dokumen di masa depan" in text and "SK baru" not in text
    rows = {r[7]: r for r in working_list(pack).iter_rows(min_row=2, values_only=True) if r[7]}
    assert rows["Perwal lama"][10:14] == ("12/2019", dt.datetime(2019, 5, 1), "3", f"tanggal dokumen {PERIOD}")
    assert rows["SIPD"][13] == "tanggal dokumen di masa depan" and rows["SK baru"][13] is None


def test_only_claims_that_need_evidence_are_gaps(env):
    # I01 (level 3) is supported; I11 sits at level 1, the floor, which needs no evidence.
    attach(env.engine, env.evidence_dir, env.a2022, "I01", evidence_files.pdf(), "p.pdf", title="Perwal")
    pack, _ = env.export()
    expected = sorted(i for i, v in LEVELS_2022.items() if v > 1 and i != "I01")
    index = BeautifulSoup(pack.read("index.html"), "html.parser")
    flagged = sorted(tr["id"] for tr in index.select("tr[id]") if "belum ada data dukung" in tr.get_text())
    assert flagged == expected and LEVELS_2022["I11"] == 1 and "I11" not in flagged
    assert "Tingkat terendah: tidak wajib didukung bukti." in cover(pack, "I11")
    assert "Tingkat 3 diklaim, tetapi belum ada data dukung" in cover(pack, "I04")
    values = load_workbook(zipfile.Path(pack, "penilaian.xlsx").open("rb"))["Penilaian"]
    assert sorted(r[2] for r in values.iter_rows(min_row=2, values_only=True) if r[12] == "ya") == expected
    text = pdf_text(pack)
    assert "I11 Tingkat Kematangan" not in text.split("Celah data dukung", 1)[1].split("Peringatan tanggal")[0]


def test_the_working_list_has_a_row_per_file_and_link_with_paths_as_hyperlinks(env):
    attach(env.engine, env.evidence_dir, env.a2022, "I38", evidence_files.pdf("a"), "a.pdf", title="SK BMD")
    gone = attach(env.engine, env.evidence_dir, env.a2022, "I38", evidence_files.pdf("b"), "b.pdf", title="Hilang")
    add_link(env.engine, env.a2022, "I38", "https://simbada.example.go.id/masuk", title="SIMBADA",
             note="akun dummy asesor: asesor / rahasia123", levels=(4,))
    gone.unlink()
    out = env.tmp / "pack.zip"
    assert env.run("export", "kota-pasuruan", "2022", "--out", str(out))[0] == 1  # a file is missing
    pack = zipfile.ZipFile(out)
    sheet = working_list(pack)
    assert sheet.freeze_panes == "E2" and sheet.auto_filter.ref == f"A1:P{sheet.max_row}"
    assert sheet.column_dimensions["D"].width == 44 and sheet.column_dimensions["I"].width == 44
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Domain", "Aspek", "Indikator", "Nama indikator", "Nilai 2022", "Tingkat"]
    assert header[6:] == ["Jenis", "Judul bukti", "Berkas / alamat", "Folder", "Nomor dokumen", "Tanggal dokumen",
                          "Mendukung tingkat", "Peringatan", "Catatan tautan", "Celah bukti"]
    i38 = [row for row in sheet.iter_rows(min_row=2) if row[2].value == "I38"]
    assert [r[7].value for r in i38] == ["SK BMD", "Hilang", "SIMBADA"]
    assert sheet.max_row == 1 + 46 + 3  # one row for each other indicator, three for I38
    names = set(pack.namelist())
    found, missing, link = i38
    assert unquote(found[8].hyperlink.target) == found[8].value and found[8].value in names
    assert found[9].value == found[8].value.rsplit("/", 1)[0] and unquote(found[9].hyperlink.target) == found[9].value
    assert found[9].value.endswith("/I38 Tingkat Kematangan Layanan Pengelolaan Barang Milik Negara")
    assert missing[8].hyperlink is None and "berkas hilang" in missing[13].value
    assert link[8].hyperlink.target == "https://simbada.example.go.id/masuk" and link[6].value == "tautan"
    assert link[14].value == "akun dummy asesor: asesor / rahasia123" and link[12].value == "4"
    assert all(r[15].value is None for r in i38)  # level 4 claimed, the link supports it: no gap
    index = words(pack.read("index.html"))
    assert "I38 Tingkat Kematangan Layanan Pengelolaan Barang Milik Negara / Daerah" in index  # the full name
    assert "folder: I38 Tingkat Kematangan Layanan Pengelolaan Barang Milik Negara" in index
