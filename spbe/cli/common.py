"""What every command shares: the exit code for bad input and how a refusal is printed."""

from __future__ import annotations

import sys

EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    """Print `spbe: message` on stderr and return the exit code (2: bad input, nothing written)."""
    print(f"spbe: {message}", file=sys.stderr)
    return code
