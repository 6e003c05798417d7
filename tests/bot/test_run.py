"""`newsbrief run` as a process, started the way outside checks start it (Slack over HTTP)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from tests.bot.fake_slack import SECRET, FakeSlackAPI, signed_headers, slash_body
from tests.samples import SEED, SEED_URL

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_run_serves_slack_over_http_from_the_environment(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'run.db'}"
    env = {
        **os.environ,
        "NEWSBRIEF_DATABASE_URL": db,
        "NEWSBRIEF_SUMMARIZER": "lead",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "NEWSBRIEF_HTTP_PORT": str(_free_port()),
    }
    for name in ("SLACK_APP_TOKEN", "DISCORD_TOKEN"):
        env.pop(name, None)
    seed = json.dumps({"id": 1, "text": SEED.read_text(encoding="utf-8"), "url": SEED_URL})
    subprocess.run(
        # for the fake Slack's workspace: the operator's own ingests reach no workspace
        [sys.executable, "-m", "bot", "ingest", "--jsonl", "-", "--tenant", "slack:T1"],
        input=seed,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )

    async def scenario() -> None:
        fake = FakeSlackAPI()
        await fake.start()
        env["SLACK_API_URL"] = fake.url("/api/")
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{env['NEWSBRIEF_HTTP_PORT']}"
        try:
            async with aiohttp.ClientSession() as http:
                deadline = time.monotonic() + 60
                while True:  # until the server answers (models load lazily; start is quick)
                    assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                    try:
                        async with http.get(base + "/healthz") as health:
                            if health.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    assert time.monotonic() < deadline, "newsbrief run never answered"
                    await asyncio.sleep(0.2)
                body = slash_body("whosaid no military solution", fake.url("/response/1"))
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    **signed_headers(body),
                }
                started = time.monotonic()
                async with http.post(base + "/slack/events", data=body, headers=headers) as ack:
                    assert ack.status == 200
                assert time.monotonic() - started < 3.0
                # The first answer loads the models in the served process: allow for a busy machine.
                (answer,) = await fake.wait_for("response_url", timeout=60)
                assert "Antony Blinken" in answer.dump
                assert f"<{SEED_URL}|" in answer.dump
                bad = {**headers, "X-Slack-Signature": "v0=" + "0" * 64}
                async with http.post(base + "/slack/events", data=body, headers=bad) as refused:
                    assert refused.status == 401
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=20)
            finally:
                if proc.poll() is None:
                    proc.kill()
            await fake.stop()
        assert code == 0

    asyncio.run(scenario())
