"""The evidence pack of a Pemdi assessment lists every butir with the pack files serving it (butir.csv)."""

from __future__ import annotations

import csv
import io

from sqlmodel import select

from spbe.method.rubric import get_rubric
from spbe.services import butir as butir_service
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Evidence, Role, User
from tests import evidence_files
from tests.export_helpers import attach, new_assessment
from tests.test_export import env, template  # noqa: F401 (fixtures: the demo database the CLI uses)


def test_each_file_in_the_pack_is_listed_under_the_butir_it_serves(env):  # noqa: F811
    a2026 = new_assessment(env.engine, 2026, "pemdi-2026")
    attach(
        env.engine,
        env.evidence_dir,
        a2026,
        "I17",
        evidence_files.pdf(),
        "portal.pdf",
        title="Portal",
        levels=(1,),
    )
    attach(
        env.engine,
        env.evidence_dir,
        a2026,
        "I17",
        evidence_files.pdf("internal"),
        "memo.pdf",
        title="Memo internal",
        levels=(1,),
        internal=True,
    )
    with session_scope(env.engine) as db:
        koordinator = db.exec(select(User).where(User.username == "demo-koordinator")).one()
        assessment, rubric = db.get(Assessment, a2026), get_rubric("pemdi-2026")
        for item in db.exec(select(Evidence).where(Evidence.assessment_id == a2026)):
            for code in ("I17-L1-01", "I17-L1-02"):
                butir_service.attach(db, assessment, rubric, Role.KOORDINATOR, koordinator, code, item.id)
    pack, _ = env.export(year="2026")
    rows = {r["butir"]: r for r in csv.DictReader(io.StringIO(pack.read("butir.csv").decode("utf-8-sig")))}
    portal = next(n for n in pack.namelist() if n.endswith("Portal.pdf"))
    assert (
        rows["I17-L1-01"]["berkas"] == portal and rows["I17-L1-02"]["berkas"] == portal
    )  # one file, two butir
    assert rows["I17-L1-01"]["status"] == "disiapkan" and rows["I17-L2-01"]["status"] == "belum"
    assert "Memo" not in pack.read("butir.csv").decode("utf-8-sig")  # internal evidence stays out
    assert len(rows) == 232


def test_an_spbe_pack_has_no_butir_list(env):  # noqa: F811
    pack, _ = env.export()
    assert "butir.csv" not in pack.namelist()
