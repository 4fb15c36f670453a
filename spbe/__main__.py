"""Allow `python -m spbe`."""

from spbe.cli import run

run()
