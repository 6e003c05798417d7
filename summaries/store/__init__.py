"""Feeds and articles in SQL: SQLite by default, PostgreSQL from a ``postgresql://`` URL.

The same story is stored once: `Store.save_article` recognises it by canonical URL, by content
hash, or by the (feed, entry id) it came from, and the schema's unique constraints make that hold
even when two processes save the same story at once.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import string
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import numpy as np
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from summaries.answers import search
from summaries.ingest.urls import canonical_url
from summaries.types import Quote
from summaries.understand.people import name_key, same_person

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Texts shorter than this are too generic ("Read more.") to prove two articles are one story.
MIN_HASHED_WORDS = 8
# Any fixed 64-bit number: every newsbrief process serialises its schema upgrades on it.
_MIGRATION_LOCK_KEY = 0x6E657773_62726966
_SAVE_ATTEMPTS = 5


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend; naive datetimes are refused."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware one")
        utc = value.astimezone(UTC)
        # SQLite keeps text; naive UTC in one format keeps it comparable and sortable.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# The current schema; the migrations in migrations/versions build it, and a test checks they agree.
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_checked", UtcDateTime),
    sa.Column("last_success", UtcDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text),
    sa.Column("canonical_url", sa.Text, unique=True),
    sa.Column("content_hash", sa.String(64), unique=True),
    sa.Column("title", sa.Text),
    sa.Column("byline", sa.Text),
    sa.Column("published", UtcDateTime, index=True),
    sa.Column("site", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("summary", sa.Text),
    sa.Column("summary_method", sa.Text),
    sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="SET NULL")),
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
)

feed_entries = sa.Table(
    "feed_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    sa.Column("entry_id", sa.Text, nullable=False),
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("feed_id", "entry_id"),
)

quotes = sa.Table(
    "quotes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("speaker", sa.Text),
    sa.Column("canonical_speaker", sa.Text, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("spans", sa.JSON),  # character offsets into the article text
    sa.Column("cue", sa.Text),
    sa.Column("indirect", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("speaker_title", sa.Text),
    sa.Column("speaker_key", sa.Text, index=True),  # people.name_key of the canonical speaker
    sa.Column("context", sa.Text),
    sa.Column("in_title", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),  # order in article
)

embeddings = sa.Table(
    "embeddings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("kind", sa.String(32), nullable=False),  # "article", "sentence", "quote"
    sa.Column("item_index", sa.Integer, nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("dim", sa.Integer, nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),  # float32, native little-endian
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("article_id", "kind", "item_index", "model"),
)


# The sentences of each article, for passage search (full text here, meaning in `embeddings`
# with kind "sentence" and item_index = position).
sentences = sa.Table(
    "sentences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("position", sa.Integer, nullable=False),  # order in the article
    sa.Column("start", sa.Integer, nullable=False),  # character offsets into the article text
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.UniqueConstraint("article_id", "position"),
)


def _channel_columns() -> list[sa.Column[str]]:
    return [
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(128), nullable=False),
    ]


# What a channel (of a workspace, on a platform) follows: see summaries.answers.subscriptions.
channel_feeds = sa.Table(
    "channel_feeds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    *_channel_columns(),
    sa.Column(
        "feed_id",
        sa.Integer,
        sa.ForeignKey("feeds.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("created_by", sa.String(128)),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("platform", "workspace", "channel", "feed_id", name="uq_channel_feeds"),
)

channel_filters = sa.Table(
    "channel_filters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    *_channel_columns(),
    sa.Column("pattern", sa.Text, nullable=False),  # a keyword, or /regex/
    sa.Column("mode", sa.String(8), nullable=False),  # "keep" or "mute"
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint(
        "platform", "workspace", "channel", "pattern", "mode", name="uq_channel_filters"
    ),
)

channel_schedules = sa.Table(
    "channel_schedules",
    metadata,
    sa.Column("platform", sa.String(32), primary_key=True),
    sa.Column("workspace", sa.String(128), primary_key=True),
    sa.Column("channel", sa.String(128), primary_key=True),
    sa.Column("time", sa.String(5), nullable=False),  # "HH:MM", local to `timezone`
    sa.Column("timezone", sa.String(64), nullable=False),  # IANA name
    sa.Column("weekdays", sa.String(32), nullable=False),  # "mon,tue,wed,thu,fri"
    sa.Column("quiet", sa.Boolean, nullable=False),  # post nothing on a day without news
    sa.Column("updated_at", UtcDateTime, nullable=False),
)


# Feed polling state, one row per polled feed: see bot.scheduler.
feed_polls = sa.Table(
    "feed_polls",
    metadata,
    sa.Column(
        "feed_id",
        sa.Integer,
        sa.ForeignKey("feeds.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("interval_s", sa.Integer, nullable=False),  # current polling interval
    sa.Column("next_poll_at", UtcDateTime, nullable=False, index=True),
    sa.Column("last_polled_at", UtcDateTime),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),  # in a row
    sa.Column("failing_since", UtcDateTime),  # first failure of the current run of failures
    sa.Column("notified_at", UtcDateTime),  # channels were told the feed is failing
    # When the first poll finished: entries seen before are the back catalogue, not news.
    sa.Column("baseline_at", UtcDateTime),
)

# One row per channel and local date: the digest ledger that makes posting idempotent.
digest_runs = sa.Table(
    "digest_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    *_channel_columns(),
    sa.Column("local_date", sa.String(10), nullable=False),  # "YYYY-MM-DD" in the schedule's zone
    sa.Column("status", sa.String(16), nullable=False),  # pending|posting|posted|skipped|failed
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("window_start", UtcDateTime, nullable=False),  # articles first seen in
    sa.Column("window_end", UtcDateTime, nullable=False),  # [start, end) make the digest
    sa.Column("owner", sa.String(64)),  # the process that holds the claim
    sa.Column("next_attempt_at", UtcDateTime),  # when a failed post may be retried
    sa.Column("error", sa.Text),
    sa.Column("stories", sa.Integer),
    sa.Column("posted_at", UtcDateTime),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("platform", "workspace", "channel", "local_date", name="uq_digest_runs"),
)


# What PostgreSQL's full-text index on quotes covers (migration 0003).
_QUOTE_DOCUMENT = "text || ' ' || coalesce(canonical_speaker, '')"


def include_schema_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's filter: full-text search objects are raw SQL of the migrations, not metadata."""
    return not (
        name
        and (
            name.startswith(("quotes_fts", "sentences_fts"))
            or name in ("ix_quotes_fts", "ix_sentences_fts")
        )
    )


def content_hash(text: str) -> str:
    """SHA-256 hex of the text's words, so re-wrapped, re-cased or re-punctuated copies match.

    Unicode is NFKC-normalised and case-folded, then only runs of letters and digits are kept,
    joined by single spaces: whitespace, punctuation and quote styles do not count.
    """
    return hashlib.sha256(" ".join(_words(text)).encode("utf-8")).hexdigest()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold())


def _dedupe_hash(text: str) -> str | None:
    return content_hash(text) if len(_words(text)) >= MIN_HASHED_WORDS else None


def _canonical_or_none(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    try:
        return canonical_url(url)
    except ValueError:
        log.warning("unusable URL %r: stored without a canonical form", url)
        return None


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class NewArticle:
    """An article to save. `feed_url` and `entry_id` (used only together) name its feed item."""

    text: str
    url: str | None = None
    title: str | None = None
    byline: str | None = None
    published: datetime | None = None  # timezone-aware
    site: str | None = None
    feed_url: str | None = None
    entry_id: str | None = None
    summary: str | None = None
    summary_method: str | None = None
    quotes: tuple[Quote, ...] = ()
    quote_vectors: np.ndarray | None = None  # one row per quote, from `embedding_model`
    embedding_model: str | None = None
    sentence_spans: tuple[tuple[int, int], ...] = ()  # character offsets into `text`
    sentence_vectors: np.ndarray | None = None  # one row per sentence, from `embedding_model`


@dataclass(frozen=True)
class StoredQuote:
    """A stored quote with what chat needs to cite it: its article's title, link and date."""

    id: int
    article_id: int
    text: str
    speaker: str | None  # canonical: "Antony Blinken"
    speaker_title: str | None
    speaker_mention: str | None
    cue: str | None
    spans: tuple[tuple[int, int], ...]
    context: str | None
    indirect: bool
    in_title: bool
    article_title: str | None
    article_url: str | None
    published: datetime  # the article's publication date, else when it was stored
    site: str | None


@dataclass(frozen=True)
class StoredSentence:
    """A stored sentence of an article, with what it takes to cite it."""

    id: int
    article_id: int
    position: int
    start: int
    end: int
    text: str
    article_title: str | None
    article_url: str | None
    published: datetime  # the article's publication date, else when it was stored
    site: str | None


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored. `content_hash` is None for texts too short to dedupe on."""

    id: int
    url: str | None
    canonical_url: str | None
    content_hash: str | None
    title: str | None
    byline: str | None
    published: datetime | None
    site: str | None
    text: str
    summary: str | None
    summary_method: str | None
    feed_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class StoredFeed:
    """A subscribed feed and what its last fetch left behind (validators, time, error)."""

    id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    last_checked: datetime | None
    last_success: datetime | None
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True)
class SaveResult:
    """The outcome of a save: the stored article, and why nothing new was stored if so."""

    article: StoredArticle
    created: bool
    duplicate_reason: str | None  # "same feed entry", "same URL" or "same text"


def _article(row: sa.Row[Any]) -> StoredArticle:
    return StoredArticle(**{name: row._mapping[name] for name in _ARTICLE_FIELDS})


def _feed(row: sa.Row[Any]) -> StoredFeed:
    return StoredFeed(**{name: row._mapping[name] for name in _FEED_FIELDS})


_ARTICLE_FIELDS = tuple(StoredArticle.__dataclass_fields__)
_FEED_FIELDS = tuple(StoredFeed.__dataclass_fields__)


def engine_for(url: str) -> Engine:
    """An engine for a store URL: ``sqlite:///file``, ``sqlite://`` (memory), ``postgresql://``.

    ``postgresql://`` (and ``postgres://``) use psycopg 3. The parent directory of a SQLite file
    is created. SQLite connections get foreign keys, WAL, a busy timeout, and real transactions.
    """
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)

    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if in_memory:
        # One shared connection, or each thread would see its own empty database.
        engine = sa.create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (pysqlite skips DDL).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            _enable_wal(cursor)
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front: a deferred BEGIN that later writes can fail
        # with "database is locked" instead of waiting its turn.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _enable_wal(cursor: Any, attempts: int = 300) -> None:
    """Switch a SQLite file to WAL; the switch needs a moment alone with the file.

    SQLite answers "database is locked" at once, without its busy timeout, when another
    connection is mid-transaction (as when two processes open a new database together).
    The mode is stored in the file, so once any connection has switched it, it stays.
    """
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to `revision` in one transaction, one process at a time."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if engine.dialect.name == "postgresql":
                # Released at commit; a second process waits here, then finds nothing to do.
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
            command.upgrade(alembic_config(conn), revision)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for newsbrief's migrations, built in code; env.py uses `connection`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


class Store:
    """Feeds and articles in one database; safe to share between threads and processes."""

    def __init__(self, url: str) -> None:
        """Open (creating if needed) the database at `url` and upgrade it to the latest schema."""
        self.engine = engine_for(url)
        self._is_sqlite = self.engine.dialect.name == "sqlite"
        # A shared in-memory connection must not run two transactions at once.
        self._lock: threading.Lock | None = (
            threading.Lock() if isinstance(self.engine.pool, StaticPool) else None
        )
        with self._serialised():
            migrate(self.engine)
        # (kind, model) -> item ids, their unit vectors, and the last embeddings row read.
        self._vectors: dict[tuple[str, str], tuple[list[int], np.ndarray, int]] = {}
        self._vectors_lock = threading.Lock()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _serialised(self) -> Iterator[None]:
        if self._lock is None:
            yield
        else:
            with self._lock:
                yield

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads (serialised on a shared in-memory database)."""
        with self._serialised(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection inside one write transaction, committed on exit, rolled back on error."""
        with self._serialised(), self.engine.connect() as conn:
            if self._is_sqlite:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    # Feeds

    def upsert_feed(self, url: str, title: str | None = None) -> StoredFeed:
        """The feed at `url`, added if new; a given `title` replaces the stored one."""
        for attempt in range(_SAVE_ATTEMPTS):
            try:
                with self.writing() as conn:
                    feed_id = self._feed_id(conn, url, create=True)
                    if title is not None:
                        conn.execute(
                            feeds.update().where(feeds.c.id == feed_id).values(title=title)
                        )
                    row = conn.execute(feeds.select().where(feeds.c.id == feed_id)).one()
                    return _feed(row)
            except IntegrityError:
                if attempt == _SAVE_ATTEMPTS - 1:
                    raise
                log.debug("feed %s added concurrently; retrying", url)
        raise AssertionError("unreachable")

    def get_feed(self, url: str) -> StoredFeed | None:
        """The feed stored under exactly this URL, or None."""
        with self.reading() as conn:
            row = conn.execute(feeds.select().where(feeds.c.url == url)).first()
        return _feed(row) if row else None

    def list_feeds(self) -> list[StoredFeed]:
        """Every feed, oldest first."""
        with self.reading() as conn:
            rows = conn.execute(feeds.select().order_by(feeds.c.id)).all()
        return [_feed(row) for row in rows]

    def record_feed_fetch(
        self,
        feed_id: int,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
    ) -> None:
        """Note a fetch of a feed: now is `last_checked`; a success also stores its validators.

        Without `error` the fetch succeeded: `last_success` becomes now, `etag` and
        `last_modified` replace the stored ones (None clears) and `last_error` is cleared. With
        `error` only `last_checked` and `last_error` change. Raises KeyError for an unknown feed.
        """
        now = _now()
        values: dict[str, Any] = {"last_checked": now}
        if error is None:
            values.update(last_success=now, etag=etag, last_modified=last_modified, last_error=None)
        else:
            values["last_error"] = error
        with self.writing() as conn:
            result = conn.execute(feeds.update().where(feeds.c.id == feed_id).values(**values))
            if result.rowcount == 0:
                raise KeyError(f"no feed with id {feed_id}")

    # Articles

    def find_duplicate(
        self,
        *,
        url: str | None = None,
        text: str | None = None,
        feed_url: str | None = None,
        entry_id: str | None = None,
    ) -> tuple[StoredArticle, str] | None:
        """The stored article that is the same story, and why; checks entry, then URL, then text.

        Same rules as `save_article`; reads only, so a feed not stored yet matches nothing.
        """
        with self.reading() as conn:
            return self._find_duplicate(
                conn,
                canonical=_canonical_or_none(url),
                text_hash=_dedupe_hash(text) if text is not None else None,
                feed_id=self._feed_id(conn, feed_url) if feed_url else None,
                entry_id=entry_id,
            )

    def save_article(self, new: NewArticle) -> SaveResult:
        """Store `new` unless the same story is stored already, in one transaction.

        A duplicate (same feed entry, same canonical URL, or same text: see `content_hash`;
        texts under MIN_HASHED_WORDS words are not compared) leaves the stored article unchanged
        and is returned with `created=False`; if it came through a new feed entry, that entry
        is recorded as pointing at the stored article. A concurrent save of the same story
        loses the race quietly and returns the winner's row. Raises ValueError for a naive
        `published` datetime.
        """
        if new.published is not None and new.published.utcoffset() is None:
            raise ValueError(f"naive published datetime {new.published!r}: pass an aware one")
        canonical = _canonical_or_none(new.url)
        text_hash = _dedupe_hash(new.text)
        for attempt in range(_SAVE_ATTEMPTS):
            try:
                with self.writing() as conn:
                    return self._save(conn, new, canonical, text_hash)
            except IntegrityError:
                # Another writer committed the same story (or feed) between our check and our
                # insert; the transaction rolled back, and the next attempt finds its row.
                if attempt == _SAVE_ATTEMPTS - 1:
                    raise
                log.debug("concurrent save of %s; retrying", new.url or new.title)
        raise AssertionError("unreachable")

    def get_article(self, article_id: int) -> StoredArticle | None:
        """The article with this id, or None."""
        with self.reading() as conn:
            row = conn.execute(articles.select().where(articles.c.id == article_id)).first()
        return _article(row) if row else None

    def latest_articles(
        self, limit: int = 10, *, since: datetime | None = None
    ) -> list[StoredArticle]:
        """Up to `limit` articles, newest first by published date (else time stored).

        `since` keeps only articles whose date (published, else stored) is at or after it.
        """
        when = sa.func.coalesce(articles.c.published, articles.c.created_at)
        query = articles.select().order_by(when.desc(), articles.c.id.desc()).limit(limit)
        if since is not None:
            query = query.where(when >= since)
        with self.reading() as conn:
            rows = conn.execute(query).all()
        return [_article(row) for row in rows]

    def set_summary(self, article_id: int, summary: str, method: str) -> None:
        """Replace an article's summary; raises KeyError for an unknown article."""
        with self.writing() as conn:
            result = conn.execute(
                articles.update()
                .where(articles.c.id == article_id)
                .values(summary=summary, summary_method=method)
            )
            if result.rowcount == 0:
                raise KeyError(f"no article with id {article_id}")

    # Quotes

    def replace_quotes(
        self,
        article_id: int,
        found: Sequence[Quote],
        *,
        vectors: np.ndarray | None = None,
        model: str | None = None,
    ) -> None:
        """Set an article's quotes (and their embeddings), replacing any it had."""
        with self.writing() as conn:
            exists = conn.execute(
                sa.select(articles.c.id).where(articles.c.id == article_id)
            ).first()
            if exists is None:
                raise KeyError(f"no article with id {article_id}")
            conn.execute(quotes.delete().where(quotes.c.article_id == article_id))
            conn.execute(
                embeddings.delete().where(
                    (embeddings.c.article_id == article_id) & (embeddings.c.kind == "quote")
                )
            )
            if found:
                self._insert_quotes(conn, article_id, found, vectors, model)

    def quotes_for_article(self, article_id: int) -> list[StoredQuote]:
        """The quotes of one article, in article order."""
        query = _quote_select().where(quotes.c.article_id == article_id)
        with self.reading() as conn:
            rows = conn.execute(query.order_by(quotes.c.position)).all()
        return [_stored_quote(row) for row in rows]

    def quotes_by_person(
        self, name: str, *, about: str | None = None, limit: int = 20
    ) -> list[StoredQuote]:
        """What a person was quoted saying, newest first; "Blinken", "Antony Blinken" and
        "Secretary Blinken" find the same person. With `about`, only quotes whose words or
        context mention the topic, best match first, then newest."""
        if not any(c.isupper() for c in name):
            name = string.capwords(name)  # people type "blinken"; names are told by capitals
        key = name_key(name)
        if not key:
            return []
        query = _quote_select().where(quotes.c.speaker_key == key).order_by(*_newest_first())
        with self.reading() as conn:
            rows = conn.execute(query.limit(max(limit, 1) * 20)).all()
        found = [_stored_quote(r) for r in rows]
        found = [q for q in found if q.speaker and same_person(name, q.speaker)]
        if about:
            scored = [
                (search.topic_overlap(about, f"{q.text} {q.context or ''}"), q) for q in found
            ]
            scored = [(score, q) for score, q in scored if score > 0]
            scored.sort(key=lambda pair: -pair[0])  # stable: newest first among equals
            found = [q for _, q in scored]
        return found[:limit]

    def search_quotes(self, phrase: str, *, limit: int = 10) -> list[StoredQuote]:
        """Quotes containing the words of `phrase` (all of them; else as many as possible),
        best match first. Any text is safe: only its words reach the query."""
        words = search.terms(phrase)
        if not words or limit < 1:
            return []
        for any_word in (False, True):
            ids = self._fts_quote_ids(words, any_word=any_word, limit=limit)
            if ids:
                break
        else:
            return []
        return self.quotes_by_ids(ids)

    def _fts_quote_ids(self, words: list[str], *, any_word: bool, limit: int) -> list[int]:
        return self._fts_ids("quotes", _QUOTE_DOCUMENT, words, any_word=any_word, limit=limit)

    def _fts_ids(
        self, table: str, document: str, words: list[str], *, any_word: bool, limit: int
    ) -> list[int]:
        """Ids of rows of `table` whose indexed text holds all (or any) of `words`, best first.

        `document` is the SQL expression PostgreSQL's index covers; SQLite uses `<table>_fts`.
        Both are constants of this module: only `words` (letters and digits) come from users.
        """
        if self._is_sqlite:
            sql = (
                f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :q "
                f"ORDER BY bm25({table}_fts) LIMIT :n"
            )
            query = search.fts5_query(words, any_word=any_word)
        else:
            sql = (
                f"SELECT id FROM {table}, to_tsquery('english', :q) AS query "
                f"WHERE to_tsvector('english', {document}) @@ query "
                f"ORDER BY ts_rank(to_tsvector('english', {document}), query) DESC, id DESC "
                "LIMIT :n"
            )
            query = search.tsquery(words, any_word=any_word)
        with self.reading() as conn:
            rows = conn.execute(sa.text(sql), {"q": query, "n": limit}).all()
        return [int(row[0]) for row in rows]

    def quote_vectors(self, model: str) -> tuple[list[int], np.ndarray]:
        """Every stored quote embedding made by `model`: quote ids and a (n, dim) matrix."""
        return self.vectors("quote", model)

    def vectors(self, kind: str, model: str) -> tuple[list[int], np.ndarray]:
        """Every stored embedding of `kind` ("quote" or "sentence") made by `model`: the item
        ids (quote or sentence ids) and a (n, dim) matrix, row i for ids[i].

        Kept in memory and topped up with rows stored since the last call, so a question
        costs one small query, not a read of every vector.
        """
        table = quotes if kind == "quote" else sentences
        with self._vectors_lock:
            ids, matrix, last = self._vectors.get((kind, model), ([], np.zeros((0, 0)), 0))
            query = (
                sa.select(table.c.id, embeddings.c.id.label("eid"), embeddings.c.vector)
                .join(
                    embeddings,
                    (embeddings.c.article_id == table.c.article_id)
                    & (embeddings.c.item_index == table.c.position)
                    & (embeddings.c.kind == kind),
                )
                .where(embeddings.c.model == model, embeddings.c.id > last)
                .order_by(embeddings.c.id)
            )
            with self.reading() as conn:
                rows = conn.execute(query).all()
            if rows:
                fresh = np.stack([np.frombuffer(row.vector, dtype="<f4") for row in rows])
                matrix = fresh if not ids else np.concatenate([matrix, fresh])
                ids = ids + [int(row.id) for row in rows]
                last = max(int(row.eid) for row in rows)
                self._vectors[(kind, model)] = (ids, matrix, last)
        if not ids:
            return [], np.zeros((0, 0), dtype=np.float32)
        return ids, matrix

    def nearest(
        self, kind: str, vector: np.ndarray, *, model: str, limit: int = 10, min_score: float = 0.0
    ) -> list[tuple[int, float]]:
        """Ids of the `kind` items closest in meaning to `vector` (cosine), best first."""
        ids, matrix = self.vectors(kind, model)
        if not ids or limit < 1:
            return []
        scores = matrix @ np.asarray(vector, dtype=np.float32)
        k = min(limit, len(ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(ids[i], float(scores[i])) for i in top if scores[i] >= min_score]

    def similar_quotes(
        self, vector: np.ndarray, *, model: str, limit: int = 10, min_score: float = 0.0
    ) -> list[tuple[StoredQuote, float]]:
        """Quotes closest in meaning to `vector` (cosine; vectors are unit length), best first."""
        found = self.nearest("quote", vector, model=model, limit=limit, min_score=min_score)
        by_id = {q.id: q for q in self.quotes_by_ids([i for i, _ in found])}
        return [(by_id[i], score) for i, score in found if i in by_id]

    def quotes_by_ids(self, ids: Sequence[int]) -> list[StoredQuote]:
        """The quotes with these ids, in the order given (unknown ids are left out)."""
        if not ids:
            return []
        with self.reading() as conn:
            rows = conn.execute(_quote_select().where(quotes.c.id.in_(list(ids)))).all()
        by_id = {row.id: _stored_quote(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    # Sentences

    def search_sentences(self, words: list[str], *, any_word: bool, limit: int = 50) -> list[int]:
        """Ids of sentences holding all (or any) of `words` (from `search.terms`), best first."""
        if not words or limit < 1:
            return []
        return self._fts_ids("sentences", "text", words, any_word=any_word, limit=limit)

    def search_quote_ids(self, words: list[str], *, any_word: bool, limit: int = 50) -> list[int]:
        """Ids of quotes holding all (or any) of `words` (from `search.terms`), best first."""
        if not words or limit < 1:
            return []
        return self._fts_quote_ids(words, any_word=any_word, limit=limit)

    def sentences_by_ids(self, ids: Sequence[int]) -> list[StoredSentence]:
        """The sentences with these ids, in the order given (unknown ids are left out)."""
        if not ids:
            return []
        query = _cited_select(sentences).where(sentences.c.id.in_(list(ids)))
        with self.reading() as conn:
            rows = conn.execute(query).all()
        by_id = {row.id: _stored_sentence(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def sources(self) -> list[str]:
        """The distinct site names of stored articles."""
        with self.reading() as conn:
            rows = conn.execute(
                sa.select(articles.c.site).where(articles.c.site.is_not(None)).distinct()
            ).all()
        return [str(row[0]) for row in rows if row[0]]

    def count_articles(self) -> int:
        """How many articles are stored."""
        with self.reading() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()

    # Helpers; each runs inside the caller's connection or transaction.

    def _feed_id(self, conn: Connection, url: str, *, create: bool = False) -> int | None:
        found = conn.execute(sa.select(feeds.c.id).where(feeds.c.url == url)).scalar()
        if found is not None or not create:
            return found
        return conn.execute(
            feeds.insert().values(url=url, created_at=_now()).returning(feeds.c.id)
        ).scalar_one()

    def _find_duplicate(
        self,
        conn: Connection,
        *,
        canonical: str | None,
        text_hash: str | None,
        feed_id: int | None,
        entry_id: str | None,
    ) -> tuple[StoredArticle, str] | None:
        checks: list[tuple[str, sa.ColumnElement[bool]]] = []
        if feed_id is not None and entry_id:
            entry_article = (
                sa.select(feed_entries.c.article_id)
                .where(feed_entries.c.feed_id == feed_id, feed_entries.c.entry_id == entry_id)
                .scalar_subquery()
            )
            checks.append(("same feed entry", articles.c.id == entry_article))
        if canonical is not None:
            checks.append(("same URL", articles.c.canonical_url == canonical))
        if text_hash is not None:
            checks.append(("same text", articles.c.content_hash == text_hash))
        for reason, condition in checks:
            row = conn.execute(articles.select().where(condition)).first()
            if row is not None:
                return _article(row), reason
        return None

    def _save(
        self, conn: Connection, new: NewArticle, canonical: str | None, text_hash: str | None
    ) -> SaveResult:
        feed_id = self._feed_id(conn, new.feed_url, create=True) if new.feed_url else None
        found = self._find_duplicate(
            conn,
            canonical=canonical,
            text_hash=text_hash,
            feed_id=feed_id,
            entry_id=new.entry_id,
        )
        if found is not None:
            existing, reason = found
            if feed_id is not None and new.entry_id:
                self._link_entry(conn, feed_id, new.entry_id, existing.id)
            return SaveResult(existing, created=False, duplicate_reason=reason)

        row = conn.execute(
            articles.insert()
            .values(
                url=new.url,
                canonical_url=canonical,
                content_hash=text_hash,
                title=new.title,
                byline=new.byline,
                published=new.published,
                site=new.site,
                text=new.text,
                summary=new.summary,
                summary_method=new.summary_method,
                feed_id=feed_id,
                created_at=_now(),
            )
            .returning(*articles.c)
        ).one()
        stored = _article(row)
        if feed_id is not None and new.entry_id:
            self._link_entry(conn, feed_id, new.entry_id, stored.id)
        if new.quotes:
            self._insert_quotes(conn, stored.id, new.quotes, new.quote_vectors, new.embedding_model)
        if new.sentence_spans:
            self._insert_sentences(conn, stored.id, new)
        return SaveResult(stored, created=True, duplicate_reason=None)

    def _insert_sentences(self, conn: Connection, article_id: int, new: NewArticle) -> None:
        spans, vectors, model = new.sentence_spans, new.sentence_vectors, new.embedding_model
        if vectors is not None and (model is None or len(vectors) != len(spans)):
            raise ValueError("sentence_vectors need an embedding_model and one row per sentence")
        conn.execute(
            sentences.insert(),
            [
                {
                    "article_id": article_id,
                    "position": i,
                    "start": a,
                    "end": b,
                    "text": new.text[a:b],
                }
                for i, (a, b) in enumerate(spans)
            ],
        )
        if vectors is not None and model is not None:
            now = _now()
            conn.execute(
                embeddings.insert(),
                [
                    {
                        "article_id": article_id,
                        "kind": "sentence",
                        "item_index": i,
                        "model": model,
                        "dim": int(vector.shape[0]),
                        "vector": np.asarray(vector, dtype="<f4").tobytes(),
                        "created_at": now,
                    }
                    for i, vector in enumerate(vectors)
                ],
            )

    def _insert_quotes(
        self,
        conn: Connection,
        article_id: int,
        found: Sequence[Quote],
        vectors: np.ndarray | None,
        model: str | None,
    ) -> None:
        if vectors is not None and (model is None or len(vectors) != len(found)):
            raise ValueError("quote_vectors need an embedding_model and one row per quote")
        now = _now()
        conn.execute(
            quotes.insert(),
            [
                {
                    "article_id": article_id,
                    "position": i,
                    "text": q.text,
                    "speaker": q.speaker_mention,
                    "canonical_speaker": q.speaker,
                    "speaker_title": q.speaker_title,
                    "speaker_key": name_key(q.speaker) if q.speaker else None,
                    "spans": [list(span) for span in q.spans],
                    "cue": q.cue,
                    "context": q.context,
                    "indirect": q.indirect,
                    "in_title": q.in_title,
                    "created_at": now,
                }
                for i, q in enumerate(found)
            ],
        )
        if vectors is not None and model is not None:
            conn.execute(
                embeddings.insert(),
                [
                    {
                        "article_id": article_id,
                        "kind": "quote",
                        "item_index": i,
                        "model": model,
                        "dim": int(vector.shape[0]),
                        "vector": np.asarray(vector, dtype="<f4").tobytes(),
                        "created_at": now,
                    }
                    for i, vector in enumerate(vectors)
                ],
            )

    def _link_entry(self, conn: Connection, feed_id: int, entry_id: str, article_id: int) -> None:
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        conn.execute(
            insert(feed_entries)
            .values(feed_id=feed_id, entry_id=entry_id, article_id=article_id, created_at=_now())
            .on_conflict_do_nothing(index_elements=["feed_id", "entry_id"])
        )


def _cited_select(table: sa.Table) -> sa.Select[Any]:
    """Rows of `table` (quotes, sentences) with what citing them takes from their article."""
    return sa.select(
        table,
        articles.c.title.label("article_title"),
        articles.c.url.label("article_url"),
        sa.func.coalesce(articles.c.published, articles.c.created_at).label("article_when"),
        articles.c.site.label("article_site"),
    ).join(articles, articles.c.id == table.c.article_id)


def _quote_select() -> sa.Select[Any]:
    return _cited_select(quotes)


def _article_when(row: Any) -> datetime:
    when: datetime = row.article_when
    if when.tzinfo is None:  # coalesce() loses the column type's tz handling on SQLite
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _newest_first() -> tuple[Any, ...]:
    when = sa.func.coalesce(articles.c.published, articles.c.created_at)
    return (when.desc(), quotes.c.article_id.desc(), quotes.c.position)


def _stored_sentence(row: Any) -> StoredSentence:
    return StoredSentence(
        id=row.id,
        article_id=row.article_id,
        position=row.position,
        start=row.start,
        end=row.end,
        text=row.text,
        article_title=row.article_title,
        article_url=row.article_url,
        published=_article_when(row),
        site=row.article_site,
    )


def _stored_quote(row: Any) -> StoredQuote:
    return StoredQuote(
        id=row.id,
        article_id=row.article_id,
        text=row.text,
        speaker=row.canonical_speaker,
        speaker_title=row.speaker_title,
        speaker_mention=row.speaker,
        cue=row.cue,
        spans=tuple((int(a), int(b)) for a, b in (row.spans or [])),
        context=row.context,
        indirect=bool(row.indirect),
        in_title=bool(row.in_title),
        article_title=row.article_title,
        article_url=row.article_url,
        published=_article_when(row),
        site=row.article_site,
    )
