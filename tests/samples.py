"""Sample inputs shared by the tests: the seed article the project started from, and a tiny
embedder."""

from pathlib import Path

import numpy as np

from summaries.store import Store, Tenant

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "bot" / "samples" / "armenia-azerbaijan-blinken.txt"
SEED_URL = "https://news.example/armenia-azerbaijan"


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
