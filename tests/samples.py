"""Sample inputs shared by the tests: the seed article the project started from."""

from pathlib import Path

from summaries.store import Store, Tenant

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "bot" / "samples" / "armenia-azerbaijan-blinken.txt"
SEED_URL = "https://news.example/armenia-azerbaijan"


def reach_everything(store: Store, tenant: Tenant) -> None:
    """Every stored article (the seed) reaches `tenant`, as if one of its channels brought it."""
    for article in store.latest_articles(1000):
        store.reach_article(article.id, tenant=tenant)
