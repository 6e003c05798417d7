"""newsbrief's database, SQLite by default, PostgreSQL from a ``postgresql://`` URL.

This package is the only one that speaks SQL. `Store` is its facade: one object whose methods
answer the rest of the code's questions (`store.save_article(...)`, `store.claim_digest(...)`),
made of one mixin per concern:

- schema.py: the tables; engine.py: engines, migrations, transactions (`Database`)
- records.py: every record the store takes or returns
- articles.py: feeds, articles and dedupe; quotes.py; search.py: full text, sentences
- vectors.py: embeddings; channels.py: channels' feeds, filters, schedules, digest windows
- ledger.py: the digest ledger; polls.py: feed polling state
- tenants.py: which tenants (workspaces) each article reached, and reads confined to one
- synthetic.py: generated articles, for the store at scale (bench/ask_latency.py, tests)
"""

from __future__ import annotations

from summaries.store.articles import MIN_HASHED_WORDS, content_hash
from summaries.store.channels import Channels
from summaries.store.engine import DatabaseError, shown
from summaries.store.ledger import Ledger
from summaries.store.polls import Polls
from summaries.store.records import (
    WEEKDAYS,
    Channel,
    ChannelFilter,
    DigestArticle,
    DigestPolicy,
    DigestRun,
    DigestStatus,
    FeedPoll,
    Mode,
    NewArticle,
    SaveResult,
    Schedule,
    SentenceItem,
    StoredArticle,
    StoredFeed,
    StoredQuote,
    StoredSentence,
    Tenant,
    format_weekdays,
)
from summaries.store.search import Search

__all__ = [
    "MIN_HASHED_WORDS",
    "WEEKDAYS",
    "Channel",
    "ChannelFilter",
    "DatabaseError",
    "DigestArticle",
    "DigestPolicy",
    "DigestRun",
    "DigestStatus",
    "FeedPoll",
    "Mode",
    "NewArticle",
    "SaveResult",
    "Schedule",
    "SentenceItem",
    "Store",
    "StoredArticle",
    "StoredFeed",
    "StoredQuote",
    "StoredSentence",
    "Tenant",
    "content_hash",
    "format_weekdays",
    "shown",
]


class Store(Channels, Search, Ledger, Polls):
    """Feeds, articles, quotes, channels and the scheduler's state in one database; safe to share
    between threads and processes."""
