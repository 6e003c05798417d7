"""`newsbrief` in the test's own process: its exit code and its output lines."""

from __future__ import annotations

import io
import sys

from bot.cli import main


def run_cli(argv: list[str], stdin: str | None = None) -> tuple[int, list[str]]:
    """Run `newsbrief argv` reading `stdin` (when given) as standard input."""
    out = io.StringIO()
    if stdin is None:
        return main(argv, out=out), out.getvalue().splitlines()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(argv, out=out)
    finally:
        sys.stdin = old
    return code, out.getvalue().splitlines()
