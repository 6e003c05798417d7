"""Failures at the edge, as a user meets them: one line on stderr, a non-zero exit, no trace
(`--debug` shows it). Each runs `newsbrief` as a process, the way a user does."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 120


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def newsbrief(
    *argv: str, env: dict[str, str] | None = None, cwd: Path
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "NEWSBRIEF_SUMMARIZER": "lead", **(env or {})}
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        if name not in (env or {}):
            environ.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        env=environ,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("newsbrief: ")
    return lines[0]


def test_an_unreachable_database_is_one_line_and_debug_shows_the_trace(tmp_path: Path) -> None:
    url = f"postgresql://postgres:hunter2@127.0.0.1:{closed_port()}/x"
    done = newsbrief("--db", url, "digest", cwd=tmp_path)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert "can't open the database" in line and "refused" in line.lower()
    assert "hunter2" not in line  # the password is not printed
    traced = newsbrief("digest", "--db", url, "--debug", cwd=tmp_path)  # options after it too
    assert traced.returncode == 1
    assert "Traceback" in traced.stderr
    assert traced.stderr.splitlines()[-1] == line


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://x/y", "SQLite or PostgreSQL, not mysql"),
        ("not a url", "is not a database URL"),
        # SQLAlchemy raised ValueError ("unexpected error") on a bad host:port, and a URL it
        # can't read was printed whole, password and all
        ("postgresql://ann:hunter2@[::1/news", "postgresql://… is not a database URL"),
    ],
)
def test_a_database_newsbrief_does_not_speak_is_one_line(
    tmp_path: Path, url: str, says: str
) -> None:
    done = newsbrief("digest", env={"NEWSBRIEF_DATABASE_URL": url}, cwd=tmp_path)
    assert done.returncode == 1
    assert says in one_line(done.stderr)
    assert "hunter2" not in done.stderr


def test_a_bad_setting_is_one_line_naming_it(tmp_path: Path) -> None:
    done = newsbrief("digest", env={"NEWSBRIEF_HTTP_PORT": "three"}, cwd=tmp_path)
    assert done.returncode == 2
    assert "NEWSBRIEF_HTTP_PORT" in one_line(done.stderr)


@pytest.mark.parametrize("platform", ["slack-socket-mode", "discord"])
def test_run_with_a_platform_unreachable_is_one_line_once_it_gives_up(
    tmp_path: Path, platform: str
) -> None:
    nowhere = f"http://127.0.0.1:{closed_port()}"
    env = {
        "NEWSBRIEF_DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "NEWSBRIEF_START_TIMEOUT": "0",  # try once
        "NEWSBRIEF_LOG_LEVEL": "WARNING",  # the failure only, not the start-up log
        "NEWSBRIEF_HTTP_PORT": "0",
    }
    if platform == "discord":
        env |= {"DISCORD_TOKEN": "t", "DISCORD_API_URL": nowhere + "/api/v10"}
    else:
        env |= {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_APP_TOKEN": "xapp-1",
            "SLACK_API_URL": nowhere + "/api/",
        }
    done = newsbrief("run", env=env, cwd=tmp_path)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert "can't" in line and nowhere in line


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    page = tmp_path / "big.txt"
    page.write_text(
        "\n\n".join(
            f"Paragraph {n} of a long council report on harbour works." for n in range(9000)
        )
    )
    env = {**os.environ, "NEWSBRIEF_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "extract", str(page)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `| head -2` does once it has its lines
    stderr = proc.stderr.read().decode()
    code = proc.wait(timeout=TIMEOUT)
    assert code == 141  # what a shell reports for SIGPIPE
    assert stderr == ""


def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "NEWSBRIEF_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "PYTHONUNBUFFERED": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().startswith("Newsbrief console")  # it is waiting for input
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert one_line(stderr) == "newsbrief: interrupted"


def test_newsbrief_alone_prints_help_and_version_is_known(tmp_path: Path) -> None:
    done = newsbrief(cwd=tmp_path)
    assert done.returncode == 0
    assert "COMMAND" in done.stdout and "ingest" in done.stdout
    assert "newsbrief.db" in done.stdout  # where the data goes by default
    version = newsbrief("--version", cwd=tmp_path)
    assert version.returncode == 0
    assert version.stdout.startswith("newsbrief ")
