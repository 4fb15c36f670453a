"""Commands on the database: `spbe db upgrade`, `spbe demo`, `spbe import`, `spbe serve`."""

from __future__ import annotations

import argparse
from pathlib import Path

from spbe.cli.common import fail
from spbe.method.rubric import DEFAULT_RUBRIC_ID


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Migrate the configured database to the newest schema."""
    import sqlalchemy as sa

    from spbe.config import get_settings
    from spbe.store.db import upgrade

    url = get_settings().database_url
    upgrade(url)
    print(f"Basis data mutakhir: {sa.make_url(url).render_as_string(hide_password=True)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Seed the demo instansi and accounts (idempotent)."""
    from spbe.config import get_settings
    from spbe.ops.demo import DEMO_USERS, seed_demo, seed_demo_pemdi
    from spbe.store.db import make_engine, session_scope

    with session_scope(make_engine(get_settings().database_url)) as db:
        instansi = seed_demo(db)
        seed_demo_pemdi(db, instansi)
        print(f"Demo siap: {instansi.name} ({instansi.code}), penilaian SPBE 2021 dan 2022, dan Indeks Pemdi "
              "2026 dengan contoh status butir dan catatan asesor (data demo, bukan data resmi).")
    for role, name in DEMO_USERS.items():
        print(f"  akun {role.value:<12} nama pengguna {name!r}, kata sandi {name!r}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a past year's levels file into a new assessment of an instansi; exit 2 naming every bad row."""
    from sqlmodel import select

    from spbe.config import get_settings
    from spbe.method.levels_file import LevelsFileError, read_file
    from spbe.services.assessments import Refused
    from spbe.services.imports import import_year
    from spbe.store.db import make_engine, session_scope
    from spbe.store.models import Instansi, Role
    from spbe.web.i18n import translate

    path = Path(args.file)
    try:
        data, _ = read_file(path)
    except LevelsFileError as e:
        return fail(str(e))
    try:
        with session_scope(make_engine(get_settings().database_url)) as db:
            instansi = db.exec(select(Instansi).where(Instansi.code == args.instansi)).first()
            if instansi is None:
                return fail(f"instansi {args.instansi!r} tidak ditemukan")
            assessment, count = import_year(db, instansi, Role.KOORDINATOR, args.year, args.rubric, data,
                                            path.name, official=args.official)
            name, year = instansi.name, assessment.year
    except Refused as refusal:
        return fail(translate(refusal.key, "id", **refusal.params))
    official = " (juga sebagai nilai akhir resmi)" if args.official else ""
    print(f"Diimpor: {name} {year} ({args.rubric}), {count} indikator{official}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web application with uvicorn."""
    import uvicorn

    from spbe.config import get_settings
    from spbe.ops.cleanup import remove_stale_temp

    stale = remove_stale_temp(get_settings().evidence_dir)
    if stale:
        print(f"Dibersihkan: {len(stale)} berkas unggahan sementara yang terbengkalai.")
    print(f"Membuka http://{args.host}:{args.port}/ (hentikan dengan Ctrl+C)")
    uvicorn.run("spbe.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers)
    return 0


COMMANDS = ("db", "demo", "import", "serve")  # the commands `register` adds


def register(sub: argparse._SubParsersAction) -> None:
    """Add these commands to the `spbe` parser."""
    db = sub.add_parser("db", help="basis data").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="migrasikan basis data ke skema terbaru").set_defaults(func=cmd_db_upgrade)

    sub.add_parser("demo", help="isi instansi demo Kota Pasuruan dan akun demo").set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="impor berkas level tahun lalu (CSV/XLSX) ke penilaian baru instansi")
    p.add_argument("instansi", help="kode instansi, mis. kota-pasuruan")
    p.add_argument("year", help="tahun penilaian yang dibuat, mis. 2021")
    p.add_argument("file", help="berkas nilai seperti untuk 'spbe score'; satu baris salah: batal semua")
    p.add_argument("--rubric", default=DEFAULT_RUBRIC_ID, help="versi rubrik (bawaan: %(default)s)")
    p.add_argument("--official", action="store_true", help="simpan juga sebagai nilai akhir resmi")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("serve", help="jalankan aplikasi web")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=cmd_serve)
