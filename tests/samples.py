"""Sample inputs shared by the tests: the seed article the project started from, an article of
our own where some are mentioned and not quoted, a tiny embedder, and the pipeline that stores
texts as the bot would."""

import asyncio
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from summaries.ingest.fetch import Fetcher
from summaries.ingest.jobs import QuoteFinder
from summaries.ingest.pipeline import Pipeline
from summaries.store import Store, Tenant
from summaries.types import Quote
from summaries.understand.embed import Embedder
from summaries.understand.summarize import LeadSummarizer

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "bot" / "samples" / "armenia-azerbaijan-blinken.txt"
SEED_URL = "https://news.example/armenia-azerbaijan"
# Our own article: a market, a report and a treasurer are mentioned, only a minister is quoted.
MARKETS = (
    "Shares climb after the central bank trims rates\n\n"
    "The central bank of Norland cut its main interest rate by a quarter point on Wednesday, "
    "its first rate cut in two years.\n\n"
    "The stock market rose sharply after the rate cut, with bank shares leading the gains.\n\n"
    "A new report shows the economy added forty thousand jobs last month.\n\n"
    "\u201cThis gives families some breathing room before winter,\u201d Finance Minister "
    "Lena Ortiz said.\n\n"
    "Treasurer Mia Holt will present the budget to parliament next week."
)
MARKETS_URL = "https://ledger.example/rate-cut"
# A quote of our own, as the extractor gives it, for stories saved with their quotes.
BRIDGE_QUOTE = Quote(
    text="This bridge will change how the whole city moves",
    spans=((0, 10),),
    speaker="Ann Reed",
    speaker_title="Mayor",
    cue="said",
)


def last_day() -> tuple[datetime, datetime]:
    """A digest's window over the last day, ending a moment from now: what a test saves now is
    in it."""
    now = datetime.now(UTC)
    return now - timedelta(days=1), now + timedelta(seconds=5)


def lead_pipeline(
    store: Store, quote_finder: QuoteFinder | None = None, embedder: Embedder | None = None
) -> Pipeline:
    """A pipeline into `store` with the lead summariser and a fetcher that may reach loopback
    servers; the caller closes it and its fetcher."""
    return Pipeline(
        store,
        LeadSummarizer(),
        Fetcher(allow_private=True, timeout=5),
        quote_finder=quote_finder,
        embedder=embedder,
    )


def ingest_texts(
    store: Store,
    texts: Iterable[tuple[str, str, datetime | None]],
    quote_finder: QuoteFinder | None,
    embedder: Embedder | None = None,
) -> None:
    """Store each (text, url, published) in turn as the bot would: its lead summary, the quotes
    `quote_finder` finds and, with `embedder`, its vectors."""
    pipeline = lead_pipeline(store, quote_finder, embedder)

    async def run() -> None:
        try:
            for text, url, published in texts:
                await pipeline.ingest_text(text, url=url, published=published)
        finally:
            await pipeline.fetcher.aclose()

    try:
        asyncio.run(run())
    finally:
        pipeline.close()


def reach_everything(store: Store, tenant: Tenant) -> None:
    """Every stored article (the seed) reaches `tenant`, as if one of its channels brought it."""
    for article in store.latest_articles(1000):
        store.reach_article(article.id, tenant=tenant)


class TinyEmbedder:
    """A deterministic bag-of-words embedder: enough to test retrieval by meaning."""

    name = "tiny-test-embedder"
    dim = 8
    vocab = ("peace", "war", "ready", "talks", "budget", "unicorn", "calm", "fight")

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for j, word in enumerate(self.vocab):
                rows[i, j] = text.lower().count(word)
            norm = np.linalg.norm(rows[i])
            rows[i] = rows[i] / norm if norm else rows[i]
        return rows
