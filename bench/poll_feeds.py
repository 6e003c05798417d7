"""Poll 500 followed feeds served from loopback, most answering 304: wall and CPU time.

    python bench/poll_feeds.py [--feeds 500] [--changed 0.05] [--concurrency 20] [--db URL]

A separate process serves the feeds (so its CPU is not counted), honouring If-None-Match. The
first round fetches every feed (200, a few items each); the timed round finds `--changed` of
them with a new item and the rest answering 304. No eval data is needed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.polling import PollPolicy  # noqa: E402
from bot.scheduler import Scheduler  # noqa: E402
from summaries.answers.subscriptions import Channel, Subscriptions  # noqa: E402
from summaries.ingest.fetch import Fetcher  # noqa: E402
from summaries.ingest.pipeline import Pipeline  # noqa: E402
from summaries.store import Store  # noqa: E402
from summaries.understand.summarize import LeadSummarizer  # noqa: E402

SERVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

version = {}  # path -> items in the feed; a changed feed gets one more (new ETag)
WORDS = " ".join(f"word{i}" for i in range(60))

def body(path, items):
    entries = "".join(
        f"<item><title>{path} item {n}</title><guid>{path}-{n}</guid>"
        f"<description>Item {n} of {path}: {WORDS}</description></item>"
        for n in range(items)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{path}</title>'
            f"{entries}</channel></rss>").encode()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):  # /bump/<path>: add an item to that feed
        path = self.path[len("/bump"):]
        version[path] = version.get(path, 2) + 1
        self.send_response(204); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self):
        items = version.setdefault(self.path, 2)
        etag = f'"{items}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304); self.send_header("ETag", etag)
            self.send_header("Content-Length", "0"); self.end_headers(); return
        data = body(self.path, items)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""


async def one_round(scheduler: Scheduler, label: str) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    results = await scheduler.poll_due()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    not_modified = sum(r.not_modified for r in results)
    stored = sum(r.stored for r in results)
    errors = [r.error for r in results if r.error]
    print(
        f"{label}: {len(results)} feeds in {wall:.1f} s wall, {cpu:.1f} s CPU; "
        f"{not_modified} answered 304, {stored} articles stored, {len(errors)} errors"
    )
    if errors:
        print(f"  first error: {errors[0]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--changed", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        with tempfile.TemporaryDirectory() as tmp:
            url = args.db or f"sqlite:///{tmp}/poll.db"
            with Store(url) as store:
                asyncio.run(run(store, base, args))
    finally:
        server.kill()
        server.wait()
    return 0


async def run(store: Store, base: str, args: argparse.Namespace) -> None:
    subs = Subscriptions(store)
    paths = [f"/feed/{i}" for i in range(args.feeds)]
    for i, path in enumerate(paths):
        subs.follow(Channel("slack", "T1", f"C{i % 50}"), base + path)
    pipeline = Pipeline(store, LeadSummarizer(), Fetcher(allow_private=True, timeout=10))
    policy = PollPolicy(concurrency=args.concurrency, jitter=0.0)
    scheduler = Scheduler(store, {}, pipeline=pipeline, poll=policy)
    try:
        await one_round(scheduler, "first poll (every feed new, 200)")
        changed = paths[: int(len(paths) * args.changed)]
        for path in changed:
            await asyncio.to_thread(_bump, base + "/bump" + path)
        due = datetime.now(UTC) - timedelta(seconds=1)  # everything due again now
        for poll in store.feed_polls():
            store.update_feed_poll(poll.feed_id, lambda p: replace(p, next_poll_at=due))
        await one_round(scheduler, f"second poll ({len(changed)} changed, the rest 304)")
        intervals = sorted(Counter(p.interval_s for p in store.feed_polls()).items())
        print("intervals now (s: feeds): " + ", ".join(f"{i}: {n}" for i, n in intervals))
    finally:
        await pipeline.fetcher.aclose()
        pipeline.close()


def _bump(url: str) -> None:
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=5).read()


if __name__ == "__main__":
    sys.exit(main())
