"""Keeping an installation whole: `spbe cleanup`, `spbe backup`, `spbe restore`."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from spbe.cli.common import fail
from spbe.method.formatting import decimal_text


def cmd_cleanup(args: argparse.Namespace) -> int:
    """Remove abandoned upload temp files, report (or delete) unreferenced evidence; exit 1 if any is lost."""
    from spbe.config import get_settings
    from spbe.ops.cleanup import cleanup
    from spbe.store.db import make_engine

    if args.older_than < 0:
        return fail("--older-than tidak boleh negatif")
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
    from spbe.config import get_settings
    from spbe.ops.backup import write_backup
    from spbe.ops.backup_format import BackupError
    from spbe.store.db import make_engine

    settings, out = get_settings(), Path(args.out)
    engine = make_engine(settings.database_url)
    try:
        written = write_backup(engine, settings.evidence_dir, out)
    except BackupError as e:
        return fail(str(e))
    except OSError as e:
        return fail(f"tidak dapat menulis {out}: {e.strerror}")
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
    from spbe.config import get_settings
    from spbe.ops.backup_format import BackupError
    from spbe.ops.restore import restore

    settings = get_settings()
    try:
        manifest = restore(Path(args.archive), settings.database_url, settings.evidence_dir)
    except BackupError as e:
        return fail(str(e))
    rows = sum(int(t["rows"]) for t in manifest["tables"])
    print(f"Dipulihkan dari {args.archive}: {len(manifest['tables'])} tabel, {rows} baris, "
          f"{len(manifest['files'])} berkas bukti (SHA-256 cocok).")
    return 0


COMMANDS = ("cleanup", "backup", "restore")  # the commands `register` adds


def register(sub: argparse._SubParsersAction) -> None:
    """Add these commands to the `spbe` parser."""
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
