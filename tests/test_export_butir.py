"""The evidence pack of a Pemdi assessment, laid out by butir: level folders, files named by their butir code
(the portal's upload slot), every butir in index.html, butir.csv, the manifest and the workbook."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from sqlmodel import select

from spbe.method.rubric import get_rubric
from spbe.reports.pack import content as pack_content
from spbe.reports.pack.layout import FILE_LIMIT, butir_file, unique
from spbe.services import butir as butir_service
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Evidence, Role, User
from tests import evidence_files
from tests.export_helpers import add_link, attach, manifest, new_assessment
from tests.test_export import env, template  # noqa: F401 (fixtures: the demo database the CLI uses)

I17 = "A6 Keterpaduan Layanan Digital Pemerintah/I17 Portal Layanan Digital Pemerintah"
PORTAL = evidence_files.pdf("portal")


def _link(engine, assessment_id: int, title: str, *codes: str) -> None:
    """Let the evidence item with this title serve these butir (as the koordinator attaching it)."""
    with session_scope(engine) as db:
        koordinator = db.exec(select(User).where(User.username == "demo-koordinator")).one()
        assessment, rubric = db.get(Assessment, assessment_id), get_rubric("pemdi-2026")
        item = db.exec(
            select(Evidence).where(Evidence.assessment_id == assessment_id, Evidence.title == title)
        ).one()
        for code in codes:
            butir_service.attach(db, assessment, rubric, Role.KOORDINATOR, koordinator, code, item.id)


def _verdict(engine, assessment_id: int, code: str, status: str, note: str = "") -> None:
    with session_scope(engine) as db:
        koordinator = db.exec(select(User).where(User.username == "demo-koordinator")).one()
        assessment, rubric = db.get(Assessment, assessment_id), get_rubric("pemdi-2026")
        butir_service.set_status(
            db, assessment, rubric, Role.KOORDINATOR, koordinator, code, status, "", note
        )


@pytest.fixture
def pemdi(env):  # noqa: F811
    """A Pemdi 2026 assessment: a file serving two butir on two levels, one serving none, an internal memo, a
    link, and an asesor's revisi with a note."""
    a2026 = new_assessment(env.engine, 2026, "pemdi-2026")
    attach(
        env.engine,
        env.evidence_dir,
        a2026,
        "I17",
        PORTAL,
        "Portal Layanan.PDF",
        title="Portal",
        levels=(1, 2),
    )
    attach(
        env.engine, env.evidence_dir, a2026, "I17", evidence_files.pdf("lain"), "lain.pdf", title="Lampiran"
    )
    attach(
        env.engine,
        env.evidence_dir,
        a2026,
        "I17",
        evidence_files.pdf("internal"),
        "memo.pdf",
        title="Memo internal",
        internal=True,
    )
    add_link(env.engine, a2026, "I17", "https://layanan.example.go.id", title="Aplikasi layanan")
    _link(env.engine, a2026, "Portal", "I17-L1-01", "I17-L2-01")
    _link(env.engine, a2026, "Memo internal", "I17-L1-01")
    _link(env.engine, a2026, "Aplikasi layanan", "I17-L1-02")
    _verdict(env.engine, a2026, "I17-L1-02", "revisi", "Tautan tidak dapat dibuka.\nSertakan akun demo.")
    return a2026


def test_each_file_sits_in_its_level_folder_named_by_the_butir_it_serves(env, pemdi):  # noqa: F811
    pack, _ = env.export(year="2026")
    names = set(pack.namelist())
    assert f"{I17}/L1 Merintis/I17-L1-01 Portal Layanan.pdf" in names  # a copy per butir served
    assert f"{I17}/L2 Membangun/I17-L2-01 Portal Layanan.pdf" in names
    assert pack.read(f"{I17}/L2 Membangun/I17-L2-01 Portal Layanan.pdf") == PORTAL
    assert f"{I17}/01 Lampiran.pdf" in names  # serves no butir: numbered in the indicator's folder
    assert not any("memo" in n.lower() or "Memo" in n for n in names)  # internal evidence stays out
    rows = {r["butir"]: r for r in csv.DictReader(io.StringIO(pack.read("butir.csv").decode("utf-8-sig")))}
    assert rows["I17-L1-01"]["berkas"] == f"{I17}/L1 Merintis/I17-L1-01 Portal Layanan.pdf"
    assert rows["I17-L2-01"]["berkas"] == f"{I17}/L2 Membangun/I17-L2-01 Portal Layanan.pdf"
    assert rows["I17-L1-02"]["tautan"] == "Aplikasi layanan" and rows["I17-L1-02"]["status"] == "revisi"
    assert rows["I17-L1-01"]["status"] == "disiapkan" and rows["I17-L3-01"]["status"] == "belum"
    assert "Memo" not in pack.read("butir.csv").decode("utf-8-sig") and len(rows) == 232


def test_the_manifest_names_the_butir_of_each_file_and_verify_pack_passes(env, pemdi):  # noqa: F811
    pack, _ = env.export(year="2026")
    butir = {e["path"]: e["butir"] for e in manifest(pack)}
    assert butir[f"{I17}/L1 Merintis/I17-L1-01 Portal Layanan.pdf"] == "I17-L1-01"
    assert butir[f"{I17}/L2 Membangun/I17-L2-01 Portal Layanan.pdf"] == "I17-L2-01"
    assert butir[f"{I17}/01 Lampiran.pdf"] == "" and butir["index.html"] == ""
    header = pack.read("manifest.csv").decode("utf-8-sig").splitlines()[0]
    assert header == "path,size,sha256,indicator,status,butir"
    code, out, _ = env.run("verify-pack", str(env.tmp / "pack.zip"))
    assert code == 0 and "OK: " in out


def test_the_index_lists_every_butir_with_status_note_files_and_the_empty_ones_per_level(env, pemdi):  # noqa: F811
    pack, _ = env.export(year="2026")
    page = BeautifulSoup(pack.read("index.html").decode(), "html.parser")
    rows = page.select("table.butir tr[data-status]")
    assert len(rows) == 232
    revisi = page.find(id="I17-L1-02")
    cells = [td.get_text(" ", strip=True) for td in revisi.select("td")]
    assert (
        cells[2] == "revisi (bukti tidak tepat)"
        and cells[3] == "Tautan tidak dapat dibuka.\nSertakan akun demo."
    )
    assert cells[4] == "tautan: Aplikasi layanan"
    served = page.find(id="I17-L2-01").select_one("a")["href"]
    assert served == f"{I17}/L2 Membangun/I17-L2-01 Portal Layanan.pdf".replace(" ", "%20")
    assert served.replace("%20", " ") in pack.namelist()
    level = {f"L{n}": page.find(id=f"I17-L{n}").get_text(" ", strip=True) for n in (1, 2, 3)}
    level = {k: " ".join(v.split()) for k, v in level.items()}
    assert level["L1"] == "L1 Merintis: setiap butir punya bukti di paket"
    assert level["L2"] == "L2 Membangun: 1 butir tanpa bukti di paket: I17-L2-02"
    assert level["L3"].endswith("4 butir tanpa bukti di paket: I17-L3-01, I17-L3-02, I17-L3-03, I17-L3-04")
    group = page.find(id="butir-I17").get_text(" ", strip=True)
    assert group.endswith(
        "tingkat tercapai: belum mencapai tingkat 1 · tingkat disiapkan: 0"
    )  # L1-02 is revisi


def test_the_workbook_lists_a_row_per_copy_with_its_butir(env, pemdi):  # noqa: F811
    pack, _ = env.export(year="2026")
    sheet = load_workbook(zipfile.Path(pack, "penilaian.xlsx").open("rb"))["Daftar bukti"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[5:8] == ["Tingkat", "Butir", "Jenis"]
    at = {h: n for n, h in enumerate(header)}
    mine = [r for r in rows[1:] if r[at["Indikator"]] == "I17"]
    by_butir = {r[at["Butir"]]: r for r in mine}
    assert by_butir["I17-L2-01"][at["Berkas / alamat"]] == f"{I17}/L2 Membangun/I17-L2-01 Portal Layanan.pdf"
    assert by_butir["I17-L2-01"][at["Folder"]] == f"{I17}/L2 Membangun"
    assert by_butir["I17-L1-02"][at["Jenis"]] == "tautan" and by_butir[None][at["Judul bukti"]] == "Lampiran"
    assert len(mine) == 4  # two copies, the loose file, the link


def test_a_large_file_serving_several_butir_is_packed_once_and_named_under_each(env, pemdi, monkeypatch):  # noqa: F811
    monkeypatch.setattr(pack_content, "COPY_LIMIT", len(PORTAL) - 1)
    pack, _ = env.export(year="2026")
    portal = [n for n in pack.namelist() if n.endswith("Portal Layanan.pdf")]
    assert portal == [f"{I17}/L1 Merintis/I17-L1-01 Portal Layanan.pdf"]
    assert {e["path"]: e["butir"] for e in manifest(pack)}[portal[0]] == "I17-L1-01 I17-L2-01"
    rows = {r["butir"]: r for r in csv.DictReader(io.StringIO(pack.read("butir.csv").decode("utf-8-sig")))}
    assert rows["I17-L2-01"]["berkas"] == portal[0]


def test_an_spbe_pack_has_no_butir_list_nor_butir_column(env):  # noqa: F811
    pack, _ = env.export()
    assert "butir.csv" not in pack.namelist()
    assert (
        pack.read("manifest.csv").decode("utf-8-sig").splitlines()[0] == "path,size,sha256,indicator,status"
    )
    assert "butir" not in manifest(pack)[0]
    sheet = load_workbook(zipfile.Path(pack, "penilaian.xlsx").open("rb"))["Daftar bukti"]
    assert "Butir" not in next(sheet.iter_rows(values_only=True))


def test_butir_file_names_keep_the_code_the_extension_and_never_collide():
    assert butir_file("I17-L2-01", "Laporan Evaluasi.PDF", "Laporan") == "I17-L2-01 Laporan Evaluasi.pdf"
    assert butir_file("I3-L1-01", "", "Peta kompetensi: SDM") == "I3-L1-01 Peta kompetensi- SDM"
    long = butir_file("I17-L2-01", "x " * 100 + ".pdf", "")
    assert long.startswith("I17-L2-01 x") and long.endswith(".pdf") and len(long) <= FILE_LIMIT
    taken: set[str] = set()
    names = [unique("L2 Membangun/I17-L2-01 sk.pdf", taken) for _ in range(3)]
    assert names == [
        "L2 Membangun/I17-L2-01 sk.pdf",
        "L2 Membangun/I17-L2-01 sk (2).pdf",
        "L2 Membangun/I17-L2-01 sk (3).pdf",
    ]
    assert unique("L2 Membangun/I17-L2-01 SK.PDF", taken) == "L2 Membangun/I17-L2-01 SK (4).PDF"  # Windows


def test_a_file_missing_from_storage_is_listed_missing_under_each_butir_it_serves(env, pemdi):  # noqa: F811
    gone = attach(
        env.engine, env.evidence_dir, pemdi, "I17", evidence_files.pdf("hilang"), "dasbor.pdf", title="Dasbor"
    )
    _link(env.engine, pemdi, "Dasbor", "I17-L2-02", "I17-L3-01")
    gone.unlink()
    out = env.tmp / "pack.zip"
    code, _, err = env.run("export", "kota-pasuruan", "2026", "--out", str(out))
    assert code == 1 and "L2 Membangun/I17-L2-02 dasbor.pdf" in err
    missing = {e["path"]: e["butir"] for e in manifest(zipfile.ZipFile(out)) if e["status"] == "missing"}
    assert missing == {
        f"{I17}/L2 Membangun/I17-L2-02 dasbor.pdf": "I17-L2-02",
        f"{I17}/L3 Berkembang/I17-L3-01 dasbor.pdf": "I17-L3-01",
    }
    code, text, _ = env.run("verify-pack", "--allow-missing", str(out))
    assert code == 0 and "2 berkas hilang saat ekspor diterima" in text
