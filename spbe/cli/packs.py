"""Evidence packs for the asesor: `spbe export` writes one, `spbe verify-pack` checks one."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from spbe.cli.common import fail
from spbe.method.formatting import decimal_text


def cmd_export(args: argparse.Namespace) -> int:
    """Write an assessment's evidence pack; exit 1 (after writing it) when evidence files are missing on disk."""
    from sqlmodel import select

    from spbe.config import get_settings
    from spbe.reports.pack.assemble import build, write
    from spbe.reports.pack.content import UnknownPart, collect
    from spbe.store import queries
    from spbe.store.db import make_engine, session_scope
    from spbe.store.models import Instansi

    if not (args.year.isascii() and args.year.isdigit() and len(args.year) == 4):
        return fail(f"tahun {args.year!r} tidak sah (tulis empat angka, mis. 2022)")
    settings = get_settings()
    with session_scope(make_engine(settings.database_url)) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == args.instansi)).first()
        if instansi is None:
            return fail(f"instansi {args.instansi!r} tidak ditemukan")
        assessment = queries.get_assessment(db, instansi, int(args.year))
        if assessment is None:
            return fail(f"{instansi.name} belum punya penilaian tahun {args.year}")
        try:
            content = collect(db, assessment, settings.evidence_dir, args.domain, settings.rubric_dir)
            pack = build(content)
        except UnknownPart as e:
            return fail(str(e))
    try:
        size = write(pack, Path(args.out))
    except OSError as e:
        return fail(f"tidak dapat menulis {args.out}: {e.strerror}")
    files = sum(e.status != "missing" for e in pack.entries) + 2  # and the two manifests
    print(f"Paket bukti ditulis: {args.out} ({files} berkas, {decimal_text(Decimal(size) / 2**20, 1)} MiB)")
    for ind, item in pack.content.missing:
        print(f"spbe: peringatan: isi berkas bukti hilang dari penyimpanan, tidak masuk paket: "
              f"{ind.folder}/{item.name} (dicatat di HILANG.txt dan manifest)", file=sys.stderr)
    return 1 if pack.content.missing else 0


def cmd_verify_pack(args: argparse.Namespace) -> int:
    """Check every file of a pack against its manifest; exit 1 naming each mismatch or file missing at export.

    A pack whose export could not include some evidence (HILANG.txt, manifest status 'missing') is not
    complete: it passes only with --allow-missing, when the koordinator knowingly hands it in as it is.
    """
    from spbe.reports.pack.manifest import PackError, verify

    try:
        problems, missing, checked = verify(Path(args.pack))
    except PackError as e:
        return fail(str(e))
    label = "peringatan" if args.allow_missing else "HILANG"
    for path in missing:
        print(f"{label}: {path}: hilang saat ekspor (tercatat di manifest dan HILANG.txt, tidak ada di paket)")
    for problem in problems:
        print(f"TIDAK COCOK {problem}")
    if problems:
        print(f"{len(problems)} ketidakcocokan dengan manifest.", file=sys.stderr)
        return 1
    if missing and not args.allow_missing:
        print(f"Paket tidak lengkap: {len(missing)} berkas bukti hilang saat ekspor. Unggah ulang lalu ekspor "
              "lagi, atau terima dengan --allow-missing.", file=sys.stderr)
        return 1
    print(f"OK: {checked} berkas cocok dengan manifest (ukuran dan SHA-256)"
          + (f"; {len(missing)} berkas hilang saat ekspor diterima (--allow-missing)." if missing else "."))
    return 0


COMMANDS = ("export", "verify-pack")  # the commands `register` adds


def register(sub: argparse._SubParsersAction) -> None:
    """Add these commands to the `spbe` parser."""
    p = sub.add_parser("export", help="tulis paket data dukung (ZIP) sebuah penilaian untuk asesor")
    p.add_argument("instansi", help="kode instansi, mis. kota-pasuruan")
    p.add_argument("year", help="tahun penilaian, mis. 2022")
    p.add_argument("--out", required=True, help="berkas ZIP yang ditulis, mis. paket.zip")
    p.add_argument("--domain", help="hanya satu domain, mis. D1 (aspek, mis. A1, untuk rubrik tanpa domain)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify-pack", help="periksa setiap berkas paket bukti terhadap manifest-nya")
    p.add_argument("pack", help="berkas ZIP paket bukti")
    p.add_argument("--allow-missing", action="store_true",
                   help="terima paket yang mencatat berkas hilang saat ekspor (HILANG.txt); tanpa ini keluar 1")
    p.set_defaults(func=cmd_verify_pack)
