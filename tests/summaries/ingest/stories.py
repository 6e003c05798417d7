"""Three local stories served as web pages and feeds, and ingest through the real pipeline: shared
by the end-to-end ingest tests."""

from __future__ import annotations

import asyncio
from typing import Any

from summaries.ingest.fetch import Fetcher
from summaries.ingest.pipeline import IngestReport, Pipeline
from summaries.store import Store, Tenant
from summaries.understand.summarize import LeadSummarizer
from tests.loopback import Site

STORIES = {
    "harbour": (
        "Harbour gates approved",
        [
            "The town council of Westmere approved new harbour gates on Tuesday after a long "
            "debate about cost and the risk of winter storms flooding the old quay.",
            "The gates will cost 12 million and take three years to build, the council said, "
            "with most of the money coming from the regional government.",
            "Fishermen welcomed the decision but asked for the works to pause during the "
            "herring season so that boats can still reach the market.",
        ],
    ),
    "library": (
        "Library reopens after repairs",
        [
            "The central library in Dunmore reopened on Saturday after eighteen months of "
            "repairs to its roof, which had leaked onto the reading room for years.",
            "Hundreds of readers queued before the doors opened, and the children's section "
            "ran out of library cards before noon according to the staff.",
            "The repairs cost less than planned because volunteers moved the book collection "
            "themselves instead of paying a removal company.",
        ],
    ),
    "bridge": (
        "Old bridge closed to lorries",
        [
            "Engineers closed the old stone bridge at Carrow to lorries on Monday after "
            "finding cracks in two of its arches during a routine inspection.",
            "Cars and bicycles can still cross, but heavy traffic must take a diversion of "
            "eleven miles through the valley until repairs are finished next year.",
            "Shop owners in the village said the diversion would cost them customers during "
            "the busiest months of the year.",
        ],
    ),
}


def page(key: str) -> bytes:
    title, paragraphs = STORIES[key]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title><meta property='og:title' content='{title}'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright Westmere Gazette</footer></body></html>"
    ).encode()


def rss(site: Site, items: list[tuple[str, str, str]]) -> bytes:
    """items: (guid, path, pubDate)."""
    parts = [
        f"<item><title>{STORIES[path.strip('/')][0]}</title><link>{site.url(path)}</link>"
        f"<guid isPermaLink='false'>{guid}</guid><pubDate>{date}</pubDate></item>"
        for guid, path, date in items
    ]
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Westmere Gazette</title><link>{site.base}/</link>"
        f"<description>Local news</description>{''.join(parts)}</channel></rss>"
    ).encode()


def run_ingest(
    store: Store,
    *sources: str,
    allow_private: bool = True,
    tenant: Tenant | None = None,
    **options: Any,
) -> list[IngestReport]:
    """Ingest `sources` in turn (for `tenant`); `options` are Pipeline's keyword arguments."""

    async def go() -> list[IngestReport]:
        fetcher = Fetcher(allow_private=allow_private, timeout=5)
        pipeline = Pipeline(store, LeadSummarizer(max_sentences=2), fetcher, **options)
        try:
            return [await pipeline.ingest(s, tenant=tenant) for s in sources]
        finally:
            await fetcher.aclose()
            pipeline.close()

    return asyncio.run(go())
