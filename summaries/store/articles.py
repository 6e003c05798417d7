"""Feeds and articles, each story stored once.

`Articles.save_article` recognises a story by canonical URL, by content hash, or by the (feed,
entry id) it came from, and the schema's unique constraints make that hold even when two
processes save the same story at once.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from summaries.ingest.urls import canonical_url
from summaries.store.engine import Database, DatabaseError, insert_new, row_record
from summaries.store.quotes import insert_quotes, quote_rows
from summaries.store.records import NewArticle, SaveResult, StoredArticle, StoredFeed, Tenant
from summaries.store.schema import (
    article_date,
    article_tenants,
    articles,
    embeddings,
    feed_entries,
    feeds,
    quotes,
    sentences,
)
from summaries.store.search import FTS_FILLS, insert_sentences, sentence_rows
from summaries.store.tenants import add_reach, reaching, tenants_of, visible
from summaries.store.vectors import item_embeddings
from summaries.times import utcnow

log = logging.getLogger(__name__)

# Texts shorter than this are too generic ("Read more.") to prove two articles are one story.
MIN_HASHED_WORDS = 8
_SAVE_ATTEMPTS = 5

T = TypeVar("T")


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


# The longest text kept whole in a unique index: PostgreSQL refuses an index entry of more
# than ~2,700 bytes (an article whose 10,000-character URL is its key failed to save with
# "index row requires 10040 bytes"). A longer canonical URL is keyed by its hash, which keeps
# equal URLs equal; a longer feed URL is refused (it must be fetched as written).
MAX_KEY = 2000


def _canonical_or_none(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    try:
        canonical = canonical_url(url)
    except ValueError:
        log.warning("unusable URL %r: stored without a canonical form", url[:200])
        return None
    if len(canonical) > MAX_KEY:
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8", "replace")).hexdigest()
    return canonical


class FeedURLTooLong(DatabaseError):
    """A feed URL longer than MAX_KEY characters: it can't be stored."""


class Articles(Database):
    """Feeds, their fetch state, and the articles they (or people) brought in."""

    # Feeds

    def upsert_feed(self, url: str, title: str | None = None) -> StoredFeed:
        """The feed at `url`, added if new; a given `title` replaces the stored one."""

        def upsert(conn: Connection) -> StoredFeed:
            feed_id = self._feed_id(conn, url, create=True)
            if title is not None:
                conn.execute(feeds.update().where(feeds.c.id == feed_id).values(title=title))
            return feed_record(conn.execute(feeds.select().where(feeds.c.id == feed_id)).one())

        return self._retrying(upsert, url)

    def get_feed(self, url: str) -> StoredFeed | None:
        """The feed stored under exactly this URL, or None."""
        with self.reading() as conn:
            row = conn.execute(feeds.select().where(feeds.c.url == url)).first()
        return feed_record(row) if row else None

    def list_feeds(self) -> list[StoredFeed]:
        """Every feed, oldest first."""
        with self.reading() as conn:
            rows = conn.execute(feeds.select().order_by(feeds.c.id)).all()
        return [feed_record(row) for row in rows]

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
        now = utcnow()
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

        Either way the article reaches `new.tenant` and every tenant with a channel following
        `new.feed_url` (see tenants.py).
        """
        if new.published is not None and new.published.utcoffset() is None:
            raise ValueError(f"naive published datetime {new.published!r}: pass an aware one")
        canonical = _canonical_or_none(new.url)
        text_hash = _dedupe_hash(new.text)
        return self._retrying(
            lambda conn: self._save(conn, new, canonical, text_hash), new.url or new.title
        )

    def load_articles(self, batch: Sequence[NewArticle]) -> list[int]:
        """Store a batch of new articles (with their quotes, sentences and embeddings) in one
        transaction of a few multi-row INSERTs, for bulk loads (an import, a generated corpus);
        returns their ids, in order.

        Nothing is checked against the stored articles: a story stored already (same canonical
        URL or text) raises IntegrityError and nothing of the batch is stored. Articles with a
        `feed_url` or `entry_id` are refused (ValueError): those go through `save_article`.
        Each article reaches its `tenant`. Run `analyze()` after a large load.
        """
        if any(new.feed_url or new.entry_id for new in batch):
            raise ValueError("articles from feeds are saved one by one (save_article)")
        for new in batch:
            if new.published is not None and new.published.utcoffset() is None:
                raise ValueError(f"naive published datetime {new.published!r}: pass an aware one")
        if not batch:
            return []
        now = utcnow()
        rows = [
            {
                "url": new.url,
                "canonical_url": _canonical_or_none(new.url),
                "content_hash": _dedupe_hash(new.text),
                "title": new.title,
                "byline": new.byline,
                "published": new.published,
                "site": new.site,
                "text": new.text,
                "summary": new.summary,
                "summary_method": new.summary_method,
                "feed_id": None,
                "created_at": now,
                "image": new.image,
                "language": new.language,
            }
            for new in batch
        ]
        with self.writing() as conn:
            paused = _pause_fts_triggers(conn) if self._is_sqlite else {}
            inserted = conn.execute(
                articles.insert().returning(articles.c.id, sort_by_parameter_order=True), rows
            )
            ids = [int(i) for i in inserted.scalars()]
            quote_batch: list[dict[str, Any]] = []
            sentence_batch: list[dict[str, Any]] = []
            vector_batch: list[dict[str, Any]] = []
            reach: list[dict[str, Any]] = []
            for article_id, new in zip(ids, batch, strict=True):
                quote_batch += quote_rows(article_id, new.quotes, now, new.published or now)
                sentence_batch += sentence_rows(article_id, new)
                model = new.embedding_model
                vector_batch += item_embeddings(
                    article_id, "quote", len(new.quotes), new.quote_vectors, model, now
                )
                vector_batch += item_embeddings(
                    article_id,
                    "sentence",
                    len(new.sentence_spans),
                    new.sentence_vectors,
                    model,
                    now,
                )
                if new.tenant is not None:
                    tenant = {"platform": new.tenant.platform, "workspace": new.tenant.workspace}
                    reach.append({**tenant, "article_id": article_id, "created_at": now})
            for table, table_rows in (
                (quotes, quote_batch),
                (sentences, sentence_batch),
                (embeddings, vector_batch),
                (article_tenants, reach),
            ):
                if table_rows:
                    conn.execute(table.insert(), table_rows)
            _resume_fts_triggers(conn, paused)
        return ids

    def reach_article(
        self,
        article_id: int,
        *,
        tenant: Tenant | None = None,
        feed_url: str | None = None,
        entry_id: str | None = None,
    ) -> None:
        """Record that a stored article came in again, as `save_article` does for a duplicate:
        it reaches `tenant` and every tenant with a channel following `feed_url`, and that
        feed's entry `entry_id` points at it. Reads alone when nothing is new, as when a poll
        lists known entries again."""
        if tenant is None and feed_url is None:
            return
        with self.reading() as conn:
            feed_id = self._feed_id(conn, feed_url) if feed_url else None
            missing = reaching(conn, tenant, feed_id) - set(tenants_of(conn, article_id))
            entry = (feed_id, entry_id) if feed_id is not None and entry_id else None
            if entry is not None and _entry_linked(conn, *entry):
                entry = None
        if missing or entry is not None:
            with self.writing() as conn:
                if entry is not None:
                    _link_entry(conn, *entry, article_id)
                add_reach(conn, article_id, missing)

    def get_article(self, article_id: int) -> StoredArticle | None:
        """The article with this id, or None."""
        with self.reading() as conn:
            row = conn.execute(articles.select().where(articles.c.id == article_id)).first()
        return article_record(row) if row else None

    def articles_by_ids(self, ids: Sequence[int]) -> list[StoredArticle]:
        """The articles with these ids, in the order given (unknown ids are left out)."""
        return self._by_ids(articles.select(), articles, ids, article_record)

    def latest_articles(
        self, limit: int = 10, *, since: datetime | None = None
    ) -> list[StoredArticle]:
        """Up to `limit` articles, newest first by published date (else time stored).

        `since` keeps only articles whose date (published, else stored) is at or after it.
        """
        with self.reading() as conn:
            rows = conn.execute(newest_articles(limit, since)).all()
        return [article_record(row) for row in rows]

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

    def sources(self) -> list[str]:
        """The distinct site names of stored articles."""
        with self.reading() as conn:
            rows = conn.execute(
                sa.select(articles.c.site).where(articles.c.site.is_not(None)).distinct()
            ).all()
        return [str(row[0]) for row in rows if row[0]]

    def article_languages(self, *, tenant: Tenant | None = None) -> dict[str, int]:
        """How many of `tenant`'s articles (None: all) are in each detected language, by ISO
        639-1 code; articles whose language is unknown are not counted."""
        query = (
            sa.select(articles.c.language, sa.func.count())
            .where(articles.c.language.is_not(None), visible(articles.c.id, tenant))
            .group_by(articles.c.language)
        )
        with self.reading() as conn:
            return {str(code): int(n) for code, n in conn.execute(query).all()}

    def count_articles(self) -> int:
        """How many articles are stored."""
        with self.reading() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()

    # Helpers; each runs inside the caller's connection or transaction.

    def _retrying(self, write: Callable[[Connection], T], what: str | None) -> T:
        """`write` in one transaction; again when another writer committed the same story (or
        feed) between our check and our insert: ours rolled back, and the next attempt finds
        its row."""
        for attempt in range(_SAVE_ATTEMPTS):
            try:
                with self.writing() as conn:
                    return write(conn)
            except IntegrityError:
                if attempt == _SAVE_ATTEMPTS - 1:
                    raise
                log.debug("concurrent save of %s; retrying", what)
        raise AssertionError("unreachable")

    def _feed_id(self, conn: Connection, url: str, *, create: bool = False) -> int | None:
        if len(url) > MAX_KEY:
            if not create:
                return None
            raise FeedURLTooLong(
                f"a feed URL of {len(url):,} characters is too long to keep (at most {MAX_KEY:,})"
            )
        found = conn.execute(sa.select(feeds.c.id).where(feeds.c.url == url)).scalar()
        if found is not None or not create:
            return found
        return conn.execute(
            feeds.insert().values(url=url, created_at=utcnow()).returning(feeds.c.id)
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
                return article_record(row), reason
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
        reached = reaching(conn, new.tenant, feed_id)
        if found is not None:
            existing, reason = found
            if feed_id is not None and new.entry_id:
                _link_entry(conn, feed_id, new.entry_id, existing.id)
            add_reach(conn, existing.id, reached)
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
                created_at=utcnow(),
                image=new.image,
                language=new.language,
            )
            .returning(*articles.c)
        ).one()
        stored = article_record(row)
        if feed_id is not None and new.entry_id:
            _link_entry(conn, feed_id, new.entry_id, stored.id)
        if new.quotes:
            insert_quotes(
                conn,
                stored.id,
                stored.published or stored.created_at,
                new.quotes,
                new.quote_vectors,
                new.embedding_model,
            )
        if new.sentence_spans:
            insert_sentences(conn, stored.id, new)
        add_reach(conn, stored.id, reached)
        return SaveResult(stored, created=True, duplicate_reason=None)


def _pause_fts_triggers(conn: Connection) -> dict[str, tuple[str, int]]:
    """Drop (inside the caller's transaction) the SQLite triggers that index each inserted
    row (search.FTS_FILLS); returns for each its SQL and the last row id it had indexed."""
    paused: dict[str, tuple[str, int]] = {}
    for name, (table, _) in FTS_FILLS.items():
        sql = conn.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
            {"name": name},
        ).scalar()
        if sql is None:
            continue
        last = conn.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        conn.execute(sa.text(f"DROP TRIGGER {name}"))
        paused[name] = (str(sql), int(last))
    return paused


def _resume_fts_triggers(conn: Connection, paused: dict[str, tuple[str, int]]) -> None:
    """Index the rows inserted since `_pause_fts_triggers`, then put its triggers back."""
    for name, (sql, last) in paused.items():
        conn.execute(sa.text(FTS_FILLS[name][1]), {"after": last})
        conn.execute(sa.text(sql))


def _entry_linked(conn: Connection, feed_id: int, entry_id: str) -> bool:
    query = sa.select(feed_entries.c.id).where(
        feed_entries.c.feed_id == feed_id, feed_entries.c.entry_id == entry_id
    )
    return conn.execute(query).first() is not None


def _link_entry(conn: Connection, feed_id: int, entry_id: str, article_id: int) -> None:
    conn.execute(
        insert_new(conn, feed_entries, ["feed_id", "entry_id"]).values(
            feed_id=feed_id, entry_id=entry_id, article_id=article_id, created_at=utcnow()
        )
    )


def newest_articles(limit: int, since: datetime | None = None) -> sa.Select[Any]:
    """Articles newest first by date (published, else stored), at most `limit`; with `since`,
    only those dated at or after it."""
    when = article_date()
    query = articles.select().order_by(when.desc(), articles.c.id.desc()).limit(limit)
    return query if since is None else query.where(when >= since)


def article_record(row: sa.Row[Any]) -> StoredArticle:
    """An `articles` row as a record."""
    return row_record(StoredArticle, row)


def feed_record(row: sa.Row[Any]) -> StoredFeed:
    """A `feeds` row as a record."""
    return row_record(StoredFeed, row)
