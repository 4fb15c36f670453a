"""The `spbe` command line: score a levels file, check and show rubrics, manage the database."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from spbe.external import values_with_external
from spbe.formatting import decimal_text
from spbe.levels_file import LevelsFileError, read_external, read_levels
from spbe.rubric import DEFAULT_RUBRIC_ID, Rubric, RubricError, available_rubrics, get_rubric, load_rubric, rubric_root
from spbe.scoring import GroupScore, Score, ValueProblem, score

EXIT_BAD_INPUT = 2
EXTERNAL_HELP = ("CSV 'indikator,indeks': indeks sumber untuk indikator yang dinilai dari indeks instansi lain "
                 "(mis. I05,68.75 untuk Indeks SDI); yang belum diisi dihitung nilai terendah")


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"spbe: {message}", file=sys.stderr)
    return code


def _line(label: str, group: GroupScore, width: int, suffix: str = "") -> str:
    if group.complete:
        shown = decimal_text(group.value)
    else:
        low, high = group.published_range
        shown = f"{decimal_text(low)}–{decimal_text(high)} ({group.answered}/{group.total} terisi)"
    return f"{label:<{width}} {shown}{suffix}"


def render_table(rubric: Rubric, result: Score) -> str:
    """A readable score table in Bahasa Indonesia, decimals with a comma."""
    meta = rubric.meta
    out = [f"Rubrik: {meta.id} — {meta.title} (versi {meta.version})"]
    if meta.provisional:
        out.append("Catatan: rubrik ini masih SEMENTARA (provisional); kriterianya belum dicocokkan dengan "
                   "lampiran regulasinya.")
    out.append(f"Indikator terisi: {result.answered} dari {result.overall.total}")
    labels = [f"{meta.index_name}"]
    labels += [f"{d.id} {d.short_name}" for d in meta.domains]
    labels += [f"  {a.id} {a.name}" for a in meta.aspects]
    width = max(len(x) for x in labels) + 2
    predikat = f"   Predikat: {result.predikat}" if result.predikat else "   Predikat: belum dapat ditentukan"
    out += ["", _line(meta.index_name, result.overall, width, predikat)]
    for d in meta.domains:
        out.append(_line(f"{d.id} {d.short_name}", result.domains[d.id], width))
        out += [_line(f"  {a.id} {a.name}", result.aspects[a.id], width) for a in rubric.aspects_of_domain(d.id)]
    if not meta.domains:
        out += [_line(f"  {a.id} {a.name}", result.aspects[a.id], width) for a in meta.aspects]
    if not result.complete:
        low, high = result.overall.published_range
        out += ["", f"Penilaian belum lengkap: indeks masih dapat bernilai {decimal_text(low)} sampai "
                    f"{decimal_text(high)} (indikator kosong dihitung level {meta.values.min} s.d. {meta.values.max})."]
    return "\n".join(out)


def _read_values(args: argparse.Namespace, rubric: Rubric) -> tuple[dict[str, Decimal], list[str]]:
    """The levels file's values with external indicators filled from --external, and those still pending."""
    values = read_levels(args.levels, rubric)
    externals = read_external(args.external, rubric) if args.external else {}
    pending = sorted(rubric.external_ids - set(values) - set(externals))
    try:
        return values_with_external(rubric, values, externals), pending
    except ValueProblem as e:
        raise LevelsFileError(str(e)) from e


def cmd_score(args: argparse.Namespace) -> int:
    """Score a levels file and print a table or the JSON contract."""
    try:
        rubric = get_rubric(args.rubric)
        values, pending = _read_values(args, rubric)
    except (RubricError, LevelsFileError) as e:
        return _fail(str(e))
    result = score(rubric, values)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(render_table(rubric, result))
        if pending:
            lowest = decimal_text(Decimal(rubric.meta.values.min))
            print(f"\nIndeks eksternal belum diisi, dihitung {lowest}: {', '.join(pending)}.")
    return 0


def cmd_advise(args: argparse.Namespace) -> int:
    """Print the cheapest level upgrades reaching a target (or a yearly roadmap) as a table or JSON."""
    import datetime

    from spbe.advice import AdviceError, parse_target, plan, roadmap
    from spbe.advice_text import render_plan, render_roadmap
    from spbe.effort_file import EffortFileError, read_efforts
    from spbe.scoring import ValueProblem, resolve_indicator

    if (args.target is None) == (args.roadmap is None):
        return _fail("berikan tepat satu dari --target atau --roadmap")
    if args.start_year is not None and args.roadmap is None:
        return _fail("--start-year hanya berlaku bersama --roadmap")
    if args.max_step is not None and (not args.max_step.strip().isdigit() or int(args.max_step) < 1):
        return _fail(f"--max-step {args.max_step!r} harus bilangan bulat ≥ 1")
    if args.start_year is not None and not args.start_year.strip().isdigit():
        return _fail(f"--start-year {args.start_year!r} harus tahun, mis. 2025")
    try:
        rubric = get_rubric(args.rubric)
        locked = {resolve_indicator(rubric, k) for k in (args.lock or "").split(",") if k.strip()}
    except RubricError as e:
        return _fail(str(e))
    except ValueProblem as e:
        return _fail(f"--lock: {e}")
    options = {"max_step": int(args.max_step) if args.max_step else None, "locked": locked}
    try:
        options["efforts"] = read_efforts(args.effort, rubric) if args.effort else {}
        values, _ = _read_values(args, rubric)
        options["fixed"] = rubric.external_ids
        if args.target is not None:
            result = plan(rubric, values, parse_target(args.target), args.scope, **options)
        else:
            texts = args.roadmap.split(";" if ";" in args.roadmap else ",")
            start_year = int(args.start_year) if args.start_year else datetime.date.today().year
            years = roadmap(rubric, values, [parse_target(t) for t in texts], args.scope,
                            start_year=start_year, **options)
    except (LevelsFileError, EffortFileError, AdviceError) as e:
        return _fail(str(e))
    if args.json:
        data = result.as_json() if args.target is not None else {"years": [y.as_json() for y in years]}
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(render_plan(rubric, result) if args.target is not None else render_roadmap(rubric, years))
    return 0


def cmd_rubric_check(args: argparse.Namespace) -> int:
    """Validate one rubric folder, or every folder under the rubric root."""
    folders = [Path(args.dir)] if args.dir else [rubric_root() / r for r in available_rubrics()]
    status = 0
    for folder in folders:
        try:
            r = load_rubric(folder)
        except RubricError as e:
            print(f"GAGAL {e}", file=sys.stderr)
            status = 1
            continue
        print(f"OK {r.id} versi {r.meta.version}: {len(r.meta.domains)} domain, "
              f"{len(r.meta.aspects)} aspek, {len(r.indicators)} indikator")
    return status


def cmd_rubric_show(args: argparse.Namespace) -> int:
    """List a rubric's indicators with aspect, weight and scale."""
    try:
        r = get_rubric(args.id)
    except RubricError as e:
        return _fail(str(e))
    print(f"{r.meta.id} — {r.meta.title} (versi {r.meta.version})")
    for a in r.meta.aspects:
        where = f"{a.domain} / " if a.domain else ""
        print(f"\n{where}{a.id} {a.name} (bobot {decimal_text(a.weight)} %)")
        for i in r.indicators_of_aspect(a.id):
            source = f"  [indeks eksternal: {i.external.source}]" if i.external else ""
            print(f"  {i.id}  {decimal_text(i.weight)} %  {r.meta.scales[i.scale].name:<26} {i.name}{source}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Migrate the configured database to the newest schema."""
    from spbe.config import get_settings
    from spbe.db import upgrade

    import sqlalchemy as sa

    url = get_settings().database_url
    upgrade(url)
    print(f"Basis data mutakhir: {sa.make_url(url).render_as_string(hide_password=True)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Seed the demo instansi and accounts (idempotent)."""
    from spbe.config import get_settings
    from spbe.db import make_engine, session_scope
    from spbe.demo import DEMO_USERS, seed_demo

    with session_scope(make_engine(get_settings().database_url)) as db:
        instansi = seed_demo(db)
        print(f"Demo siap: {instansi.name} ({instansi.code}), penilaian 2021 dan 2022.")
    for role, name in DEMO_USERS.items():
        print(f"  akun {role.value:<12} nama pengguna {name!r}, kata sandi {name!r}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a past year's levels file into a new assessment of an instansi; exit 2 naming every bad row."""
    from sqlmodel import select

    from spbe.assessment_service import Refused
    from spbe.config import get_settings
    from spbe.db import make_engine, session_scope
    from spbe.import_service import import_year
    from spbe.models import Instansi, Role
    from spbe.web.i18n import translate

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as e:
        return _fail(f"{path}: berkas tidak dapat dibaca ({e.strerror})")
    try:
        with session_scope(make_engine(get_settings().database_url)) as db:
            instansi = db.exec(select(Instansi).where(Instansi.code == args.instansi)).first()
            if instansi is None:
                return _fail(f"instansi {args.instansi!r} tidak ditemukan")
            assessment, count = import_year(db, instansi, Role.KOORDINATOR, args.year, args.rubric, data,
                                            path.name, official=args.official)
            name, year = instansi.name, assessment.year
    except Refused as refusal:
        return _fail(translate(refusal.key, "id", **refusal.params))
    official = " (juga sebagai nilai akhir resmi)" if args.official else ""
    print(f"Diimpor: {name} {year} ({args.rubric}), {count} indikator{official}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web application with uvicorn."""
    import uvicorn

    from spbe.cleanup import remove_stale_temp
    from spbe.config import get_settings

    stale = remove_stale_temp(get_settings().evidence_dir)
    if stale:
        print(f"Dibersihkan: {len(stale)} berkas unggahan sementara yang terbengkalai.")
    print(f"Membuka http://{args.host}:{args.port}/ (hentikan dengan Ctrl+C)")
    uvicorn.run("spbe.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create a user (password from the prompt or SPBE_NEW_PASSWORD); set their role in an instansi."""
    import getpass
    import os

    from sqlmodel import select

    from spbe.config import get_settings
    from spbe.db import make_engine, session_scope
    from spbe.demo import ensure_user, set_role
    from spbe.models import Instansi, Role

    password = os.environ.get("SPBE_NEW_PASSWORD") or getpass.getpass("Kata sandi: ")
    if len(password) < 8:
        return _fail("kata sandi minimal 8 karakter")
    with session_scope(make_engine(get_settings().database_url)) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == args.instansi)).first()
        if instansi is None:
            return _fail(f"instansi {args.instansi!r} tidak ditemukan")
        user = ensure_user(db, args.username, password, full_name=args.name or "")
        set_role(db, user, instansi, Role(args.role))
    print(f"Pengguna {args.username!r} ({args.role}) di {args.instansi} siap.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write an assessment's evidence pack; exit 1 (after writing it) when evidence files are missing on disk."""
    from sqlmodel import select

    from spbe import store
    from spbe.config import get_settings
    from spbe.db import make_engine, session_scope
    from spbe.export.content import UnknownPart, collect
    from spbe.export.pack import build, write
    from spbe.models import Instansi

    if not (args.year.isascii() and args.year.isdigit() and len(args.year) == 4):
        return _fail(f"tahun {args.year!r} tidak sah (tulis empat angka, mis. 2022)")
    settings = get_settings()
    with session_scope(make_engine(settings.database_url)) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == args.instansi)).first()
        if instansi is None:
            return _fail(f"instansi {args.instansi!r} tidak ditemukan")
        assessment = store.get_assessment(db, instansi, int(args.year))
        if assessment is None:
            return _fail(f"{instansi.name} belum punya penilaian tahun {args.year}")
        try:
            pack = build(collect(db, assessment, settings.evidence_dir, args.domain, settings.rubric_dir))
        except UnknownPart as e:
            return _fail(str(e))
    try:
        size = write(pack, Path(args.out))
    except OSError as e:
        return _fail(f"tidak dapat menulis {args.out}: {e.strerror}")
    files = len(pack.entries) - len(pack.content.missing) + 2  # and the two manifests
    print(f"Paket bukti ditulis: {args.out} ({files} berkas, {decimal_text(Decimal(size) / 2**20, 1)} MiB)")
    for ind, item in pack.content.missing:
        print(f"spbe: peringatan: isi berkas bukti hilang dari penyimpanan, tidak masuk paket: "
              f"{ind.folder}/{item.name} (dicatat di HILANG.txt dan manifest)", file=sys.stderr)
    return 1 if pack.content.missing else 0


def cmd_verify_pack(args: argparse.Namespace) -> int:
    """Check every file of a pack against its manifest; exit 1 naming each mismatch."""
    from spbe.export.manifest import PackError, verify

    try:
        problems, missing, checked = verify(Path(args.pack))
    except PackError as e:
        return _fail(str(e))
    for path in missing:
        print(f"peringatan: {path}: hilang saat ekspor (tercatat di manifest, tidak ada di paket)")
    for problem in problems:
        print(f"TIDAK COCOK {problem}")
    if problems:
        print(f"{len(problems)} ketidakcocokan dengan manifest.", file=sys.stderr)
        return 1
    print(f"OK: {checked} berkas cocok dengan manifest (ukuran dan SHA-256).")
    return 0


def cmd_cleanup(args: argparse.Namespace) -> int:
    """Remove abandoned upload temp files, report (or delete) unreferenced evidence; exit 1 if any is lost."""
    from spbe.cleanup import cleanup
    from spbe.config import get_settings
    from spbe.db import make_engine

    if args.older_than < 0:
        return _fail("--older-than tidak boleh negatif")
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        report = cleanup(engine, settings.evidence_dir, args.older_than, remove=args.delete_unreferenced)
    finally:
        engine.dispose()
    print(f"Berkas unggahan sementara dihapus: {len(report.removed_temp)}")
    done = "dihapus" if report.removed_unreferenced else "ditemukan (hapus dengan --delete-unreferenced)"
    print(f"Berkas bukti tanpa baris di basis data {done}: {len(report.unreferenced)}")
    for name in report.unreferenced:
        print(f"  {name}")
    for name in report.missing:
        print(f"spbe: peringatan: berkas bukti hilang dari penyimpanan: {name}", file=sys.stderr)
    return 1 if report.missing else 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a portable backup (tables as NDJSON, evidence files, manifest); exit 1 if evidence is lost."""
    from spbe.backup import write_backup
    from spbe.backup_format import BackupError
    from spbe.config import get_settings
    from spbe.db import make_engine

    settings, out = get_settings(), Path(args.out)
    engine = make_engine(settings.database_url)
    try:
        written = write_backup(engine, settings.evidence_dir, out)
    except BackupError as e:
        return _fail(str(e))
    except OSError as e:
        return _fail(f"tidak dapat menulis {out}: {e.strerror}")
    finally:
        engine.dispose()
    size = decimal_text(Decimal(out.stat().st_size) / 2**20, 1)
    print(f"Cadangan ditulis: {out} ({len(written.rows)} tabel, {sum(written.rows.values())} baris, "
          f"{written.files} berkas bukti, {size} MiB)")
    for name in written.missing:
        print(f"spbe: peringatan: berkas bukti hilang atau rusak, tidak dicadangkan: {name}", file=sys.stderr)
    return 1 if written.missing else 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup into the configured database, which must be empty (it is migrated first)."""
    from spbe.backup_format import BackupError
    from spbe.config import get_settings
    from spbe.restore import restore

    settings = get_settings()
    try:
        manifest = restore(Path(args.archive), settings.database_url, settings.evidence_dir)
    except BackupError as e:
        return _fail(str(e))
    rows = sum(int(t["rows"]) for t in manifest["tables"])
    print(f"Dipulihkan dari {args.archive}: {len(manifest['tables'])} tabel, {rows} baris, "
          f"{len(manifest['files'])} berkas bukti (SHA-256 cocok).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spbe", description="Toolkit penilaian mandiri SPBE / Pemdi.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("score", help="hitung indeks dari berkas level (CSV, JSON atau XLSX)")
    p.add_argument("levels", help="berkas level: CSV 'indikator,level' (atau 'indikator,nilai' dengan desimal, "
                                  "mis. I13,1.1667), JSON {\"I07\": 3} atau XLSX")
    p.add_argument("--rubric", default=DEFAULT_RUBRIC_ID, help="versi rubrik (bawaan: %(default)s)")
    p.add_argument("--external", help=EXTERNAL_HELP)
    p.add_argument("--json", action="store_true", help="cetak satu objek JSON")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("advise", help="kenaikan level termurah untuk mencapai target indeks/domain/aspek")
    p.add_argument("levels", help="berkas level seperti untuk 'spbe score'; yang kosong dihitung level 1")
    p.add_argument("--target", help="target nilai terpublikasi, mis. 2.6")
    p.add_argument("--roadmap", help="target per tahun, mis. 2.6,2.7,2.8 (berantai dari tahun ke tahun)")
    p.add_argument("--start-year", help="tahun pertama --roadmap (bawaan: tahun ini)")
    p.add_argument("--scope", default="index", help="index, domain (D1..D4) atau aspek (A1..A8)")
    p.add_argument("--max-step", help="kenaikan level terbanyak per indikator (per tahun untuk --roadmap)")
    p.add_argument("--lock", help="indikator yang tidak boleh diubah, mis. I45,I46")
    p.add_argument("--effort", help="CSV 'indikator,level,effort': usaha naik ke level itu (bawaan 1)")
    p.add_argument("--external", help=EXTERNAL_HELP)
    p.add_argument("--rubric", default=DEFAULT_RUBRIC_ID, help="versi rubrik (bawaan: %(default)s)")
    p.add_argument("--json", action="store_true", help="cetak satu objek JSON")
    p.set_defaults(func=cmd_advise)

    rub = sub.add_parser("rubric", help="periksa atau tampilkan rubrik").add_subparsers(dest="action", required=True)
    p = rub.add_parser("check", help="validasi folder rubrik")
    p.add_argument("dir", nargs="?", help="folder rubrik (bawaan: semua versi)")
    p.set_defaults(func=cmd_rubric_check)
    p = rub.add_parser("show", help="daftar indikator sebuah rubrik")
    p.add_argument("id", nargs="?", default=DEFAULT_RUBRIC_ID)
    p.set_defaults(func=cmd_rubric_show)

    db = sub.add_parser("db", help="basis data").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="migrasikan basis data ke skema terbaru").set_defaults(func=cmd_db_upgrade)

    sub.add_parser("demo", help="isi instansi demo Kota Pasuruan dan akun demo").set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="impor berkas level tahun lalu (CSV/XLSX) ke penilaian baru instansi")
    p.add_argument("instansi", help="kode instansi, mis. kota-pasuruan")
    p.add_argument("year", help="tahun penilaian yang dibuat, mis. 2021")
    p.add_argument("file", help="berkas level seperti untuk 'spbe score'; satu baris salah: batal semua")
    p.add_argument("--rubric", default=DEFAULT_RUBRIC_ID, help="versi rubrik (bawaan: %(default)s)")
    p.add_argument("--official", action="store_true", help="simpan juga sebagai nilai akhir resmi")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("serve", help="jalankan aplikasi web")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("export", help="tulis paket bukti dukung (ZIP) sebuah penilaian untuk asesor")
    p.add_argument("instansi", help="kode instansi, mis. kota-pasuruan")
    p.add_argument("year", help="tahun penilaian, mis. 2022")
    p.add_argument("--out", required=True, help="berkas ZIP yang ditulis, mis. paket.zip")
    p.add_argument("--domain", help="hanya satu domain, mis. D1 (aspek, mis. A1, untuk rubrik tanpa domain)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify-pack", help="periksa setiap berkas paket bukti terhadap manifest-nya")
    p.add_argument("pack", help="berkas ZIP paket bukti")
    p.set_defaults(func=cmd_verify_pack)

    p = sub.add_parser("cleanup", help="hapus unggahan sementara yang terbengkalai, periksa berkas bukti")
    p.add_argument("--older-than", type=float, default=60, metavar="MENIT",
                   help="hapus unggahan sementara yang tak berubah selama MENIT menit (bawaan: %(default)s)")
    p.add_argument("--delete-unreferenced", action="store_true",
                   help="hapus juga berkas bukti yang tidak dirujuk basis data (aman selama server berjalan)")
    p.set_defaults(func=cmd_cleanup)

    p = sub.add_parser("backup", help="tulis cadangan portabel: semua tabel, berkas bukti dan manifest (ZIP)")
    p.add_argument("out", help="berkas ZIP yang ditulis, mis. cadangan.zip")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="pulihkan cadangan ke basis data KOSONG (dimigrasikan lebih dulu)")
    p.add_argument("archive", help="berkas ZIP dari 'spbe backup'")
    p.set_defaults(func=cmd_restore)

    user = sub.add_parser("user", help="kelola pengguna").add_subparsers(dest="action", required=True)
    p = user.add_parser("add", help="tambah pengguna atau ubah perannya di sebuah instansi")
    p.add_argument("username")
    p.add_argument("--instansi", required=True, help="kode instansi, mis. kota-pasuruan")
    p.add_argument("--role", required=True, choices=["admin", "koordinator", "kontributor", "peninjau"])
    p.add_argument("--name", help="nama lengkap")
    p.set_defaults(func=cmd_user_add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
