"""`newsbrief` commands as processes of their own, for tests of several processes together,
and an event loop in a thread for the fake servers they talk to."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Mapping
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")
# Chat, queue and worker settings a developer's environment may hold: a test says its own.
UNSET = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "DISCORD_TOKEN",
    "DISCORD_SHARD_COUNT",
    "DISCORD_SHARD_IDS",
    "NEWSBRIEF_BROKER_URL",
    "NEWSBRIEF_ARTICLE_WORKERS",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Newsbrief:
    """`python -m bot <args>` in its own process group, its output in `log`."""

    def __init__(self, args: list[str], env: Mapping[str, str], log: Path, cwd: Path) -> None:
        self.log = log
        full = {k: v for k, v in os.environ.items() if k not in UNSET}
        full.update({"PYTHONPATH": str(REPO), **env})
        with open(log, "wb") as sink:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", *args],
                cwd=cwd,
                env=full,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, words: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.text():
            assert self.proc.poll() is None, f"it exited:\n{self.text()[-3000:]}"
            assert time.monotonic() < deadline, f"no {words!r} in:\n{self.text()[-3000:]}"
            time.sleep(0.1)

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it has not stopped within 20 s; its exit code."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        """SIGKILL, as a machine that loses power would stop it."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


class LoopThread:
    """An event loop running in a daemon thread: `run` a coroutine on it from the test."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Awaitable[T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)  # type: ignore[arg-type]

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


def shared_database(request: Any, tmp_path: Path) -> str:
    """PostgreSQL, as processes on several machines share it, when it answers; else SQLite."""
    from tests.conftest import postgres_url

    if postgres_url() is not None:
        return str(request.getfixturevalue("postgres_schema_url"))
    return f"sqlite:///{tmp_path / 'shared.db'}"
