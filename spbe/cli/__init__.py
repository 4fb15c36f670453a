"""The `spbe` command line: one module per group of commands, each adding its parsers through `register`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from spbe.cli import database, maintenance, packs, pemdi, reports, scoring, users

GROUPS = (scoring, database, users, packs, reports, maintenance, pemdi)
# Commands that leave no database, log or other resource open: `run` ends them without tearing the
# interpreter down (freeing every module's objects one by one took `spbe score` ~7 ms, a tenth of its run).
QUICK_EXIT = frozenset(scoring.COMMANDS)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `spbe` parser: with a known command only its group's commands (faster start), else every group's."""
    parser = argparse.ArgumentParser(prog="spbe", description="Toolkit penilaian mandiri SPBE / Pemdi.")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in [g for g in GROUPS if command in g.COMMANDS] or GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code: 0 done, 1 done with warnings or failures, 2 bad input."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()
    return code


def run() -> None:
    """The `spbe` program (and `python -m spbe`): `main`, then exit; at once after a pure command."""
    code = main()
    if sys.argv[1:2] and sys.argv[1] in QUICK_EXIT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise SystemExit(code)


def _reader_gone() -> int:
    """The reader of our output stopped (`spbe advise … | head -1`): it has what it wanted, so leave quietly.

    Standard output is pointed at the null device, so the interpreter's last flush cannot fail again.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 0
