"""The loopback scenario server, shared by the tests of fetch and of the guard."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.summaries.ingest.fetch_server import Server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server()
    # A short poll lets shutdown() return at once rather than after up to half a second.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
