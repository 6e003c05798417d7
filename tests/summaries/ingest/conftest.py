"""The fixtures of the ingest tests: the loopback scenario server (the tests of fetch and of the
guard), a site serving the local stories, and a store on a SQLite file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from summaries.store import Store
from tests.loopback import Route, Site, serve
from tests.summaries.ingest.fetch_server import Server
from tests.summaries.ingest.stories import STORIES, page


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server()
    # A short poll lets shutdown() return at once rather than after up to half a second.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    """A loopback site serving each of the STORIES as a page at /<key>."""
    with serve() as s:
        for key in STORIES:
            s.routes[f"/{key}"] = Route(page(key))
        yield s


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[Store]:
    """An open Store on a new SQLite file: one backend, where `store` gives each in turn."""
    with Store(f"sqlite:///{tmp_path / 'news.db'}") as opened:
        yield opened
