"""Build a national-scale spbe database on PostgreSQL, to check that costs stay flat as the data grows.

Default scale (issue 17): 550 instansi, each with 8 assessments (SPBE 2019-2025 on rubric spbe-2021, Pemdi
2026), 30 members (1 koordinator, 25 kontributor, 4 peninjau), every indicator answered, ~200 evidence rows
per instansi-year and ~2,000 for the 20 largest: about 1.2 million evidence rows. The evidence rows share a
few stored files (`--files`), written under --evidence-dir when given. The demo instansi and accounts
(`spbe demo`) are seeded first, so the same pages can be compared with a demo-only database.

Rows go in with COPY, ids read back per table; the schema comes from the app's own migrations. Every size is
an argument, so a smaller machine can build a smaller copy:

    .venv/bin/python bench/national_db.py --database spbe_national            # the full scale
    .venv/bin/python bench/national_db.py --database spbe_small --instansi 50 --large 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import psycopg
import sqlalchemy as sa

from spbe.method.rubric import get_rubric
from spbe.ops.demo import seed_demo
from spbe.services.passwords import hash_password
from spbe.store.db import make_engine, session_scope, upgrade
from spbe.store.evidence_files import storage_name
from spbe.store.models import InstansiKind, Role

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SPBE_YEARS = range(2019, 2026)
PEMDI_YEAR = 2026
KINDS = [k.value for k in InstansiKind]
ROLES = [Role.KOORDINATOR.value] + [Role.KONTRIBUTOR.value] * 25 + [Role.PENINJAU.value] * 4
NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)


def create_database(admin_url: str, name: str) -> str:
    """Drop and create the database `name`; its SQLAlchemy URL."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def copy_rows(conn: psycopg.Connection, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """COPY rows into a table; how many."""
    count = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def ids(conn: psycopg.Connection, query: str) -> dict:
    """A mapping from the first column(s) of a query to its last column (an id)."""
    found = {}
    for *key, value in conn.execute(query):
        found[key[0] if len(key) == 1 else tuple(key)] = value
    return found


def stored_files(conn: psycopg.Connection, count: int, evidence_dir: Path | None) -> list[int]:
    """A few small PDFs, stored once (on disk too when a folder is given), shared by all evidence rows."""
    rows = []
    for n in range(count):
        content = b"%PDF-1.4\n% spbe national benchmark file " + str(n).encode() + b"\n%%EOF\n"
        sha = hashlib.sha256(content).hexdigest()
        if evidence_dir is not None:
            path = evidence_dir / storage_name(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        rows.append((sha, len(content), "application/pdf", storage_name(sha), NOW))
    copy_rows(conn, "stored_files", ("sha256", "size", "content_type", "storage_name", "created_at"), rows)
    return list(
        ids(conn, "SELECT sha256, id FROM stored_files WHERE content_type = 'application/pdf'").values()
    )


def build(url: str, args: argparse.Namespace) -> dict[str, int]:
    """Fill a migrated database at the chosen scale; row counts per table."""
    rng = random.Random(17)
    spbe, pemdi = get_rubric("spbe-2021"), get_rubric("pemdi-2026")
    password = hash_password("national-benchmark")
    counts: dict[str, int] = {}
    conninfo = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        codes = [f"nasional-{n:04d}" for n in range(args.instansi)]
        counts["instansi"] = copy_rows(
            conn,
            "instansi",
            ("code", "name", "kind", "created_at"),
            (
                (code, f"Instansi Nasional {n:04d}", KINDS[n % len(KINDS)], NOW)
                for n, code in enumerate(codes)
            ),
        )
        instansi = ids(conn, "SELECT code, id FROM instansi WHERE code LIKE 'nasional-%'")
        counts["users"] = copy_rows(
            conn,
            "users",
            ("username", "full_name", "password_hash", "is_active", "created_at"),
            (
                (f"{code}-{m:02d}", f"Pegawai {m:02d} {code}", password, True, NOW)
                for code in codes
                for m in range(args.users)
            ),
        )
        users = ids(conn, "SELECT username, id FROM users WHERE username LIKE 'nasional-%'")
        counts["memberships"] = copy_rows(
            conn,
            "memberships",
            ("user_id", "instansi_id", "role"),
            (
                (users[f"{code}-{m:02d}"], instansi[code], ROLES[m % len(ROLES)])
                for code in codes
                for m in range(args.users)
            ),
        )
        years = [(y, spbe) for y in SPBE_YEARS] + [(PEMDI_YEAR, pemdi)]
        counts["assessments"] = copy_rows(
            conn,
            "assessments",
            ("instansi_id", "year", "rubric_id", "rubric_version", "status", "created_at", "updated_at"),
            (
                (instansi[code], y, r.id, r.meta.version, "submitted" if y < 2025 else "draft", NOW, NOW)
                for code in codes
                for y, r in years
            ),
        )
        assessments = ids(
            conn,
            "SELECT a.instansi_id, a.year, a.id FROM assessments a "
            "JOIN instansi i ON i.id = a.instansi_id WHERE i.code LIKE 'nasional-%'",
        )

        def answers() -> Iterator[tuple]:
            for code in codes:
                members = [users[f"{code}-{m:02d}"] for m in range(1, min(args.users, 26))]
                for y, r in years:
                    for ind in r.indicators:
                        value = rng.randint(1, 5)
                        yield (
                            assessments[instansi[code], y],
                            ind.id,
                            value,
                            "Penjelasan kondisi instansi.",
                            min(value + 1, 5),
                            "",
                            rng.choice(members) if members else None,
                            False,
                            1,
                            NOW,
                        )

        counts["answers"] = copy_rows(
            conn,
            "answers",
            (
                "assessment_id",
                "indicator_id",
                "value",
                "explanation",
                "target_value",
                "responsible_unit",
                "assignee_id",
                "carried_over",
                "version",
                "updated_at",
            ),
            answers(),
        )
        files = stored_files(conn, args.files, args.evidence_dir)
        large = set(codes[: args.large])

        def evidence() -> Iterator[tuple]:
            for code in codes:
                per_year = args.large_evidence if code in large else args.evidence
                creator = users[f"{code}-00"]
                for y, r in years:
                    inds = r.indicators
                    for n in range(per_year):
                        ind = inds[n % len(inds)]
                        file_id = files[n % len(files)] if files and n % 3 else None
                        yield (
                            assessments[instansi[code], y],
                            ind.id,
                            "file" if file_id else "url",
                            f"Bukti {n} {ind.id} {y}",
                            f"{n}/SPBE/{y}",
                            dt.date(y, 1 + n % 12, 1 + n % 28),
                            file_id,
                            f"bukti-{n}.pdf" if file_id else "",
                            "" if file_id else f"https://contoh.go.id/bukti/{n}",
                            "",
                            str(1 + n % 5),
                            False,
                            False,
                            NOW,
                            creator,
                        )

        counts["evidence"] = copy_rows(
            conn,
            "evidence",
            (
                "assessment_id",
                "indicator_id",
                "kind",
                "title",
                "doc_number",
                "doc_date",
                "file_id",
                "original_filename",
                "url",
                "note",
                "levels",
                "internal",
                "carried_over",
                "created_at",
                "created_by_id",
            ),
            evidence(),
        )
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--admin-url", default=ADMIN_URL, help="a PostgreSQL URL allowed to create databases")
    parser.add_argument("--database", default="spbe_national", help="the database to (re)create")
    parser.add_argument("--instansi", type=int, default=550)
    parser.add_argument("--users", type=int, default=30, help="members per instansi")
    parser.add_argument("--evidence", type=int, default=200, help="evidence rows per instansi-year")
    parser.add_argument("--large", type=int, default=20, help="instansi with --large-evidence rows a year")
    parser.add_argument("--large-evidence", type=int, default=2000)
    parser.add_argument("--files", type=int, default=5, help="stored files the evidence rows share")
    parser.add_argument("--evidence-dir", type=Path, help="write the shared files here (for exports)")
    args = parser.parse_args()
    began = time.perf_counter()
    url = create_database(args.admin_url, args.database)
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as db:
        seed_demo(db)
    engine.dispose()
    counts = build(url, args)
    print(", ".join(f"{n:,} {table}" for table, n in counts.items()))
    print(f"built {args.database} in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
