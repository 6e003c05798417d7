"""The loopback scenario server, shared by the tests of fetch and of the guard."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.summaries.ingest.fetch_server import Server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
