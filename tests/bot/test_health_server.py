"""The small /healthz server against clients that send too much, too slowly or nonsense."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.health import HealthServer


async def status() -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True}


async def exchange(port: int, *chunks: bytes, pause: float = 0.0) -> tuple[bytes, float]:
    """Send `chunks` (`pause` seconds apart), then read until the server closes."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
            if pause:
                await asyncio.sleep(pause)
    except ConnectionError:
        pass
    try:
        answer = await asyncio.wait_for(reader.read(), 30)
    except ConnectionError:  # closed with our bytes unread: a reset, no answer
        answer = b""
    writer.close()
    return answer, time.monotonic() - started


def test_healthz_answers_and_hostile_requests_end_in_bounded_time() -> None:
    async def scenario() -> None:
        server = HealthServer(status, read_timeout=1.0)
        await server.start("127.0.0.1", 0)
        assert server.port is not None
        port = server.port
        try:
            ok, _ = await exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert ok.startswith(b"HTTP/1.1 200 OK") and ok.endswith(b'{"ok": true}')
            # header lines dripped under the deadline each, forever: cut at the deadline
            drip = [b"GET /healthz HTTP/1.1\r\n"] + [b"X-A: b\r\n"] * 50
            answer, took = await exchange(port, *drip, pause=0.2)
            assert answer == b"" and took < 3.0
            # a request line of megabytes, a body of 10 MB, bytes that are no HTTP at all
            huge, _ = await exchange(port, b"GET /" + b"a" * 3_000_000 + b" HTTP/1.1\r\n\r\n")
            assert huge == b""
            body, took = await exchange(
                port, b"POST /healthz HTTP/1.1\r\nContent-Length: 10000000\r\n\r\n" + b"x" * 10**7
            )
            assert took < 5.0  # answered 404, or reset with the body unread
            assert body == b"" or body.startswith(b"HTTP/1.1 404 Not Found")
            junk, _ = await exchange(port, bytes(range(256)) * 4 + b"\r\n\r\n")
            assert junk.startswith(b"HTTP/1.1 404 Not Found")
            again, _ = await exchange(port, b"GET /healthz HTTP/1.1\r\n\r\n")
            assert again.startswith(b"HTTP/1.1 200 OK")
        finally:
            await server.stop()

    asyncio.run(scenario())
