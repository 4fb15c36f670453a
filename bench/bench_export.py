"""Benchmark: `spbe export` of 1 GiB of evidence in 200 files: peak memory, and throughput against `zip -0 -r`.

Random (incompressible) evidence is written to a temp folder, stored the way uploads are and attached to the
demo's 2022 assessment; the same files are hard-linked into a plain tree for `zip -0 -r`. Each command runs
twice, alternating, and the faster run counts; peak memory is the export process's max RSS (wait4).
Needs Info-ZIP's `zip` (Debian: apt-get install -y zip). Aim: peak memory < 200 MB, ratio >= 0.7.
Smaller runs: --mib 64 --files 20.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import select

from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_CODE, seed_demo
from spbe.store.db import make_engine, session_scope, upgrade
from spbe.store.evidence_files import storage_name
from spbe.store.models import Evidence, EvidenceKind, Instansi, StoredFile
from spbe.store.queries import get_assessment

PIECE = 8 * 1024 * 1024


def random_file(path: Path, size: int, rng: random.Random) -> str:
    """Write `size` random bytes to a file; its SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as f:
        left = size
        while left:
            chunk = rng.randbytes(min(PIECE, left))
            digest.update(chunk)
            f.write(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def make_evidence(url: str, evidence_dir: Path, tree: Path, total: int, count: int) -> int:
    """Store `count` random files adding up to `total` bytes as 2022 evidence, hard-linked under `tree`."""
    rng = random.Random(2022)
    rubric = get_rubric("spbe-2021")
    engine = make_engine(url)
    staging = evidence_dir / "tmp"
    staging.mkdir(parents=True)
    with session_scope(engine) as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one()
        assessment = get_assessment(db, instansi, 2022)
        for n in range(count):
            size = total // count + (total % count if n == 0 else 0)
            indicator = rubric.indicators[n % len(rubric.indicators)]
            sha = random_file(staging / "part", size, rng)
            target = evidence_dir / storage_name(sha)
            target.parent.mkdir(exist_ok=True)
            os.replace(staging / "part", target)
            (tree / indicator.id).mkdir(parents=True, exist_ok=True)
            os.link(target, tree / indicator.id / f"bukti-{n:03d}.pdf")
            stored = StoredFile(sha256=sha, size=size, content_type="application/pdf", storage_name=storage_name(sha))
            db.add(stored)
            db.flush()
            item = Evidence(assessment_id=assessment.id, indicator_id=indicator.id, kind=EvidenceKind.FILE.value,
                            title=f"Bukti dukung {n:03d}", file_id=stored.id, original_filename=f"bukti-{n:03d}.pdf")
            item.level_list = [3]
            db.add(item)
    engine.dispose()
    return total


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in bytes of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{argv[0]} … failed with exit code {process.returncode}")
    return elapsed, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=1024, help="total evidence size in MiB (default 1024)")
    parser.add_argument("--files", type=int, default=200, help="number of evidence files (default 200)")
    parser.add_argument("--runs", type=int, default=2, help="runs of each command; the fastest counts")
    args = parser.parse_args()
    if shutil.which("zip") is None:
        raise SystemExit("bench_export: Info-ZIP `zip` is missing (Debian: apt-get install -y zip)")
    with tempfile.TemporaryDirectory(prefix="spbe-bench-export-") as tmp:
        root = Path(tmp)
        url = f"sqlite:///{root / 'spbe.db'}"
        upgrade(url)
        engine = make_engine(url)
        with session_scope(engine) as db:
            seed_demo(db)
        engine.dispose()
        start = time.perf_counter()
        total = make_evidence(url, root / "evidence", root / "tree", args.mib * 2**20, args.files)
        print(f"evidence: {args.files} files, {total / 2**20:.0f} MiB written in {time.perf_counter() - start:.1f} s")
        env = {**os.environ, "SPBE_DATABASE_URL": url, "SPBE_EVIDENCE_DIR": str(root / "evidence")}
        export = [sys.executable, "-m", "spbe", "export", DEMO_CODE, "2022", "--out", str(root / "pack.zip")]
        baseline = ["zip", "-q", "-0", "-r", str(root / "plain.zip"), "tree"]
        zip_times, export_times, peaks = [], [], []
        for _ in range(args.runs):
            for out in ("plain.zip", "pack.zip"):
                (root / out).unlink(missing_ok=True)
            zip_times.append(timed(baseline, env, root)[0])
            seconds, peak = timed(export, env, root)
            export_times.append(seconds)
            peaks.append(peak)
        zip_s, export_s, peak = min(zip_times), min(export_times), max(peaks)
        pack_mib = (root / "pack.zip").stat().st_size / 2**20
        print(f"zip -0 -r:   {zip_s:6.2f} s  {total / 2**20 / zip_s:7.1f} MiB/s")
        print(f"spbe export: {export_s:6.2f} s  {total / 2**20 / export_s:7.1f} MiB/s  (pack {pack_mib:.0f} MiB)")
        print(f"throughput ratio (export / zip): {zip_s / export_s:.2f}   aim >= 0.7")
        print(f"peak memory of spbe export: {peak / 2**20:.0f} MiB   aim < 200 MB ({200e6 / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
