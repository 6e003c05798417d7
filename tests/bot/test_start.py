"""Start-up when a platform is not there yet: `newsbrief run` tries again, with backoff, and
serves once it comes up; `/healthz` says meanwhile what is not connected."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.app import Services, run_bot, start_platform
from bot.commands import Commands
from bot.discord_adapter import DiscordAdapter, DiscordStartError
from bot.errors import PlatformUnreachable
from bot.settings import Settings
from bot.slack_adapter import SlackAdapter
from summaries.ingest.fetch import Fetcher
from summaries.ingest.pipeline import Pipeline
from summaries.store import Store
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.summarize import LeadSummarizer
from tests.bot.fake_discord import TOKEN, FakeDiscord
from tests.bot.fake_slack import FakeSlackAPI

TEST_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(body: Callable[[], Awaitable[None]]) -> None:
    async def bounded() -> None:
        await asyncio.wait_for(body(), TEST_TIMEOUT)

    asyncio.run(bounded())


def discord_at(port: int) -> Settings:
    return Settings(
        discord_token=TOKEN,
        discord_api_url=f"http://127.0.0.1:{port}/api/v10",
        discord_gateway_url=f"ws://127.0.0.1:{port}/gateway",
    )


def commands(tmp_path: Path) -> Commands:
    store = Store(f"sqlite:///{tmp_path / 'start.db'}")
    return Commands(store, Pipeline(store, LeadSummarizer(), Fetcher(allow_private=True)))


def test_discord_started_before_its_server_is_up_connects_once_it_is(tmp_path: Path) -> None:
    port = free_port()

    async def body() -> None:
        fake = FakeDiscord()
        adapter = DiscordAdapter(discord_at(port), commands(tmp_path), ready_timeout=10)
        starting = asyncio.create_task(
            start_platform("discord", adapter, timeout=30, stop=asyncio.Event(), first_wait=0.2)
        )
        await asyncio.sleep(1.0)  # it has failed at least once by now
        assert not starting.done()
        await fake.start(port)
        try:
            assert await starting is True
            assert len(fake.identified) == 1
            assert await adapter.connected()
        finally:
            await adapter.stop()
            await fake.close()

    run(body)


def test_slack_socket_mode_started_before_slack_answers_connects_once_it_does(
    tmp_path: Path,
) -> None:
    port = free_port()

    async def body() -> None:
        fake = FakeSlackAPI()
        settings = Settings(
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-test",
            slack_api_url=f"http://127.0.0.1:{port}/api/",
        )
        adapter = SlackAdapter(settings, commands(tmp_path))
        starting = asyncio.create_task(
            start_platform("slack", adapter, timeout=30, stop=asyncio.Event(), first_wait=0.2)
        )
        await asyncio.sleep(1.0)
        assert not starting.done()
        await fake.start(port)
        try:
            assert await starting is True
            assert len(fake.sockets) == 1
            assert await adapter.connected()
        finally:
            await adapter.stop()
            await fake.stop()

    run(body)


def test_a_platform_that_stays_unreachable_is_given_up_with_the_reason(tmp_path: Path) -> None:
    async def body() -> None:
        adapter = DiscordAdapter(discord_at(free_port()), commands(tmp_path), ready_timeout=5)
        with pytest.raises(PlatformUnreachable, match=r"can't log in to Discord.*gave up after"):
            await start_platform(
                "discord", adapter, timeout=0.5, stop=asyncio.Event(), first_wait=0.1
            )

    run(body)


def test_a_refused_token_is_not_retried(tmp_path: Path) -> None:
    async def body() -> None:
        fake = FakeDiscord()
        await fake.start()
        settings = Settings(
            discord_token="wrong",
            discord_api_url=fake.api_url,
            discord_gateway_url=fake.gateway_url,
        )
        adapter = DiscordAdapter(settings, commands(tmp_path), ready_timeout=5)
        try:
            with pytest.raises(DiscordStartError) as raised:
                await start_platform("discord", adapter, timeout=30, stop=asyncio.Event())
            # raised through: only an unreachable platform is tried again
            assert not isinstance(raised.value, PlatformUnreachable)
            assert "DISCORD_TOKEN" in str(raised.value)
        finally:
            await fake.close()

    run(body)


async def healthz(port: int) -> tuple[int, dict[str, Any]]:
    """GET /healthz with a bare socket, as a container's health check would."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_run_serves_healthz_connecting_then_connected_when_discord_comes_up(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    port, http_port = free_port(), free_port()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'run.db'}",
        summarizer="lead",
        http_port=http_port,
        discord_token=TOKEN,
        discord_api_url=discord_at(port).discord_api_url,
        discord_gateway_url=discord_at(port).discord_gateway_url,
    )

    async def body() -> None:
        fake = FakeDiscord()
        stop = asyncio.Event()
        async with Services(settings, embedder=embedder) as s:
            running = asyncio.create_task(run_bot(s, stop=stop))
            try:
                for _ in range(100):  # the health server is up before any platform
                    try:
                        status, report = await healthz(http_port)
                        break
                    except OSError:
                        await asyncio.sleep(0.1)
                assert status == 503
                assert report["database"] == "ok"
                assert report["platforms"] == {"discord": "connecting"}
                await fake.start(port)
                for _ in range(300):
                    status, report = await healthz(http_port)
                    if status == 200:
                        break
                    await asyncio.sleep(0.1)
                assert (status, report["platforms"]) == (200, {"discord": "connected"})
                assert report["ok"] is True
            finally:
                stop.set()
                await asyncio.wait_for(running, 30)
                await fake.close()

    run(body)
