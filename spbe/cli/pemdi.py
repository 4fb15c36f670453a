"""Commands to script a Pemdi cycle: `spbe instansi add`, `spbe assessment add`, `spbe butir import|show`."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from spbe.cli.common import fail

if TYPE_CHECKING:
    from sqlmodel import Session

    from spbe.store.models import Assessment


@contextmanager
def _database() -> Iterator[Session]:
    """A session on the configured database, committed when the block ends without an exception."""
    from spbe.config import get_settings
    from spbe.store.db import make_engine, session_scope

    engine = make_engine(get_settings().database_url)
    try:
        with session_scope(engine) as db:
            yield db
    finally:
        engine.dispose()


def _refusals(run: Callable[[], int]) -> int:
    """Run a command body; a refusal of the services is printed in Bahasa Indonesia with exit 2."""
    from spbe.services.assessments import Refused
    from spbe.web.i18n import translate

    try:
        return run()
    except Refused as refusal:
        return fail(translate(refusal.key, "id", **refusal.params))


def _assessment(db: Session, code: str, year: str) -> Assessment:
    """The assessment of an instansi (by code) for a year; Missing when either does not exist."""
    from sqlmodel import select

    from spbe.services.assessments import Missing, parse_year
    from spbe.store import queries
    from spbe.store.models import Instansi

    instansi = db.exec(select(Instansi).where(Instansi.code == code)).first()
    if instansi is None:
        raise Missing("cli.error.instansi", code=code[:100])
    found = queries.get_assessment(db, instansi, parse_year(year))
    if found is None:
        raise Missing("cli.error.assessment", code=code[:100], year=year[:10])
    return found


def cmd_instansi_add(args: argparse.Namespace) -> int:
    """Create an instansi (its kind read from the name unless --kind is given)."""
    from spbe.services.assessments import add_instansi

    def run() -> int:
        with _database() as db:
            instansi = add_instansi(db, args.code, args.name, args.kind)
            print(f"Instansi {instansi.code} ({instansi.name}, {instansi.kind}) dibuat.")
        return 0

    return _refusals(run)


def cmd_assessment_add(args: argparse.Namespace) -> int:
    """Create an empty assessment of an instansi for a year (pemdi-2026 from 2026 on unless --rubric)."""
    from sqlmodel import select

    from spbe.services.assessments import Missing, create, parse_year, rubric_for_year
    from spbe.store.models import Instansi, Role

    def run() -> int:
        rubric_id = args.rubric or rubric_for_year(parse_year(args.year))
        with _database() as db:
            found = db.exec(select(Instansi).where(Instansi.code == args.instansi)).first()
            if found is None:
                raise Missing("cli.error.instansi", code=args.instansi[:100])
            assessment = create(db, found, Role.KOORDINATOR, args.year, rubric_id, False, user=None)
            print(f"Penilaian {args.instansi} {assessment.year} dibuat dengan rubrik {rubric_id}.")
        return 0

    return _refusals(run)


def cmd_butir_import(args: argparse.Namespace) -> int:
    """Import the asesor's verdicts (CSV/XLSX `butir,status,catatan`); exit 2 naming every bad row."""
    from spbe.services.assessments import rubric_of
    from spbe.services.butir import import_verdicts
    from spbe.store.models import Role

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as e:
        return fail(f"{path}: berkas tidak dapat dibaca ({e.strerror})")

    def run() -> int:
        with _database() as db:
            assessment = _assessment(db, args.instansi, args.year)
            rubric = rubric_of(assessment)
            change = import_verdicts(db, assessment, rubric, Role.KOORDINATOR, None, data, path.name)
        print(f"Diimpor: {change.butir} butir berubah, {change.values} nilai indikator resmi.")
        return 0

    return _refusals(run)


def cmd_butir_show(args: argparse.Namespace) -> int:
    """Print every butir's status and the levels per indicator, as one JSON object or a table."""
    from spbe.services.assessments import rubric_of
    from spbe.services.butir import show

    def run() -> int:
        with _database() as db:
            assessment = _assessment(db, args.instansi, args.year)
            shown = show(db, assessment, rubric_of(assessment))
        if args.json:
            import json

            print(json.dumps(shown, ensure_ascii=False))
            return 0
        print(f"Rubrik: {shown['rubric']}")
        for indicator_id, item in shown["indicators"].items():
            reached = item["level_reached"] or "belum mencapai tingkat 1"
            print(f"{indicator_id}: tingkat tercapai {reached}, disiapkan {item['level_prepared']}")
            for code, status in item["butir"].items():
                print(f"  {code:<10} {status}")
        return 0

    return _refusals(run)


COMMANDS = ("instansi", "assessment", "butir")  # the commands `register` adds


def register(sub: argparse._SubParsersAction) -> None:
    """Add these commands to the `spbe` parser."""
    group = sub.add_parser("instansi", help="kelola instansi").add_subparsers(dest="action", required=True)
    p = group.add_parser("add", help="tambah instansi")
    p.add_argument("code", help="kode instansi, mis. kab-aceh-tengah")
    p.add_argument("--name", required=True, help="nama instansi, mis. 'Kabupaten Aceh Tengah'")
    kinds = ["kementerian", "lpnk", "lembaga_lainnya", "provinsi", "kabupaten", "kota"]
    p.add_argument("--kind", choices=kinds, help="jenis instansi (bawaan: dari nama)")
    p.set_defaults(func=cmd_instansi_add)

    group = sub.add_parser("assessment", help="kelola penilaian").add_subparsers(dest="action", required=True)
    p = group.add_parser("add", help="buat penilaian kosong untuk satu tahun")
    p.add_argument("instansi", help="kode instansi")
    p.add_argument("year", help="tahun penilaian, mis. 2026")
    p.add_argument("--rubric", help="versi rubrik (bawaan: pemdi-2026 mulai 2026, spbe-2021 sebelumnya)")
    p.set_defaults(func=cmd_assessment_add)

    group = sub.add_parser("butir", help="butir bukti Pemdi").add_subparsers(dest="action", required=True)
    p = group.add_parser(
        "import", help="impor putusan asesor (CSV/XLSX butir,status,catatan); satu baris salah: batal semua"
    )
    p.add_argument("instansi", help="kode instansi")
    p.add_argument("year", help="tahun penilaian")
    p.add_argument("file", help="berkas .csv atau .xlsx")
    p.set_defaults(func=cmd_butir_import)
    p = group.add_parser("show", help="status setiap butir dan tingkat yang dicapai per indikator")
    p.add_argument("instansi", help="kode instansi")
    p.add_argument("year", help="tahun penilaian")
    p.add_argument("--json", action="store_true", help="cetak satu objek JSON")
    p.set_defaults(func=cmd_butir_show)
