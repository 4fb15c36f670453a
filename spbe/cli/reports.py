"""Reports to edit: `spbe report INSTANSI YEAR --out laporan.docx` writes an assessment's Word report."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from spbe.cli.common import fail


def cmd_report(args: argparse.Namespace) -> int:
    """Write the editable report (DOCX, Bahasa Indonesia) of an instansi's assessment of a year."""
    from sqlmodel import select

    from spbe.config import get_settings
    from spbe.reports.docx_report import report_docx
    from spbe.services.report_data import gather
    from spbe.store import queries
    from spbe.store.db import make_engine, session_scope
    from spbe.store.models import Instansi
    from spbe.web.i18n import translate

    if not (args.year.isascii() and args.year.isdigit() and len(args.year) == 4):
        return fail(f"tahun {args.year!r} tidak sah (tulis empat angka, mis. 2022)")
    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        return fail(f"{args.out}: nama berkas laporan harus berakhiran .docx")
    with session_scope(make_engine(get_settings().database_url)) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == args.instansi)).first()
        if instansi is None:
            return fail(f"instansi {args.instansi!r} tidak ditemukan")
        assessment = queries.get_assessment(db, instansi, int(args.year))
        if assessment is None:
            return fail(f"{instansi.name} belum punya penilaian tahun {args.year}")
        data = gather(db, assessment)
        body = report_docx(data, lambda key, **params: translate(key, "id", **params))
        title = f"{data.instansi.name} {assessment.year}, {data.rubric.meta.index_name}"
    partial = out.with_name(out.name + ".part")
    try:
        partial.write_bytes(body)
        os.replace(partial, out)  # never a half-written report under the asked name
    except OSError as e:
        partial.unlink(missing_ok=True)
        return fail(f"tidak dapat menulis {args.out}: {e.strerror}")
    print(f"Laporan ditulis: {args.out} ({title})")
    return 0


COMMANDS = ("report",)  # the commands `register` adds


def register(sub: argparse._SubParsersAction) -> None:
    """Add these commands to the `spbe` parser."""
    p = sub.add_parser("report", help="tulis laporan penilaian yang dapat diedit (DOCX, Bahasa Indonesia)")
    p.add_argument("instansi", help="kode instansi, mis. kota-pasuruan")
    p.add_argument("year", help="tahun penilaian, mis. 2022")
    p.add_argument("--out", required=True, help="berkas DOCX yang ditulis, mis. laporan.docx")
    p.set_defaults(func=cmd_report)
