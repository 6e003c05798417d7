"""A real HTTP server on 127.0.0.1 serving canned routes, for tests of fetching and ingest."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    hold: threading.Event | None = None  # the answer waits until this is set (at most 60 s)


@dataclass
class Site:
    """Routes by path; `hits` counts requests per path, `log` has (monotonic time, path) of
    each, `peers` the client's (address, port) of each request per path; set `routes` before
    or during a test."""

    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    log: list[tuple[float, str]] = field(default_factory=list)
    peers: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def serve() -> Iterator[Site]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            site.log.append((time.monotonic(), self.path))
            site.peers.setdefault(self.path, []).append(self.client_address[:2])
            route = site.routes.get(self.path)
            if route is None:
                route = Route(b"not found", status=404, content_type="text/plain")
            if route.hold is not None:
                route.hold.wait(60)
            etag = route.headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll lets shutdown() return at once rather than after up to half a second.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
