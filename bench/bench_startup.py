"""Benchmark: start-up cost of `spbe score` and the fixed cost of `spbe export`, as ratios in one run.

`spbe score` is timed against `python -c pass` (the interpreter alone): aim ≤ 4×. `spbe export` of the demo's
2022 assessment (a pack with no evidence files: only covers, summary PDF, workbook and manifests) is timed
on this tree and, with --baseline, on another source tree of spbe (for example the merge base unpacked with
`git archive <commit> | tar -x -C <dir>`), run from the same virtualenv with that tree first on PYTHONPATH:
aim ≤ 0.5× the baseline's. Runs are interleaved (pass, score, export, baseline…) and medians compared, so a
busy machine slows both sides alike. Wall time is what a user waits; CPU time (user + system, children
included) is steadier on a shared machine, and shows what `spbe export` does in parallel rather than less.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
SCORE_AIM = 4.0
EXPORT_AIM = 0.5


def cpu_seconds() -> float:
    """User and system CPU time of the finished child processes so far (their children included)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time of one run of a command that must succeed.

    Run from the data folder: `python -m` puts the working directory first on sys.path, before PYTHONPATH.
    """
    start, cpu = time.perf_counter(), cpu_seconds()
    subprocess.run(command, env=env, cwd=env["SPBE_DATA_DIR"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, cpu_seconds() - cpu


def spbe(tree: Path, data_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The command prefix and environment running `spbe` from a source tree.

    Bytecode is written and then read (the warm-up run writes it), as in an installation, where pip compiles
    every module: with PYTHONDONTWRITEBYTECODE set, each run would compile spbe's sources again.
    """
    env = {**os.environ, "SPBE_DATA_DIR": str(data_dir), "PYTHONPATH": str(tree)}
    env.pop("SPBE_RUBRIC_DIR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return [sys.executable, "-m", "spbe"], env


def verdict(measured: float, aim: float) -> str:
    """`measured/aim` and whether the aim (an upper bound) is met."""
    return f"{measured:.2f}/{aim:g} {'met' if measured <= aim else 'NOT met'}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (median taken)")
    parser.add_argument(
        "--baseline", type=Path, help="another spbe source tree to compare `spbe export` with"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prefix, env = spbe(TREE, data)
        data.mkdir()
        for step in (["db", "upgrade"], ["demo"]):
            subprocess.run([*prefix, *step], env=env, cwd=data, check=True, stdout=subprocess.DEVNULL)
        levels = TREE / "spbe" / "ops" / "demo_data" / "kota-pasuruan-2022.csv"
        pack = str(Path(tmp) / "pack.zip")
        trees = {"this tree": TREE, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
        commands = {"python -c pass": ([sys.executable, "-c", "pass"], env)}
        for name, tree in trees.items():
            prefix, tree_env = spbe(tree, data)
            commands[f"spbe score ({name})"] = ([*prefix, "score", str(levels)], tree_env)
            commands[f"spbe export ({name})"] = (
                [*prefix, "export", "kota-pasuruan", "2022", "--out", pack],
                tree_env,
            )
        for command, command_env in commands.values():  # warm the file cache and .pyc files
            timed(command, command_env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, command_env) in commands.items():
                times[name].append(timed(command, command_env))
    wall = {name: statistics.median(w for w, _ in t) for name, t in times.items()}
    cpu = {name: statistics.median(c for _, c in t) for name, t in times.items()}
    for name in commands:
        print(
            f"{name:<28} median wall {wall[name] * 1000:7.0f} ms, CPU {cpu[name] * 1000:7.0f} ms "
            f"over {args.runs} runs"
        )
    for kind, medians in (("wall", wall), ("CPU", cpu)):
        bare = medians["python -c pass"]
        for name in trees:
            ratio = medians[f"spbe score ({name})"] / bare
            print(f"{kind}: spbe score / python -c pass ({name}): {verdict(ratio, SCORE_AIM)}")
        if args.baseline:
            ratio = medians["spbe export (this tree)"] / medians["spbe export (baseline)"]
            print(f"{kind}: spbe export, this tree / baseline: {verdict(ratio, EXPORT_AIM)}")


if __name__ == "__main__":
    main()
