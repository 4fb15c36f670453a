"""The `spbe` command line: one module per group of commands, each adding its parsers through `register`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from spbe.cli import database, maintenance, packs, scoring, users

GROUPS = (scoring, database, users, packs, maintenance)


def build_parser() -> argparse.ArgumentParser:
    """The `spbe` parser with every group's commands."""
    parser = argparse.ArgumentParser(prog="spbe", description="Toolkit penilaian mandiri SPBE / Pemdi.")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code: 0 done, 1 done with warnings or failures, 2 bad input."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))
