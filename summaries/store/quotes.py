"""Quotes: saved with their article, found by article, by person, by id and by meaning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from summaries.answers import search
from summaries.store.records import StoredQuote, Tenant
from summaries.store.schema import article_date, articles, embeddings, quotes
from summaries.store.tenants import visible
from summaries.store.vectors import Vectors, item_embeddings
from summaries.times import as_utc, utcnow
from summaries.types import ArticleRef, Quote
from summaries.understand.people import name_key, same_person, typed_name


class Quotes(Vectors):
    """Stored quotes, cited with their article's title, link and date."""

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
            when = conn.execute(
                sa.select(article_date()).where(articles.c.id == article_id)
            ).scalar()
            if when is None:
                raise KeyError(f"no article with id {article_id}")
            conn.execute(quotes.delete().where(quotes.c.article_id == article_id))
            conn.execute(
                embeddings.delete().where(
                    (embeddings.c.article_id == article_id) & (embeddings.c.kind == "quote")
                )
            )
            if found:
                insert_quotes(conn, article_id, when, found, vectors, model)

    def quotes_for_article(self, article_id: int) -> list[StoredQuote]:
        """The quotes of one article, in article order."""
        return self.quotes_for_articles([article_id]).get(article_id, [])

    def quotes_for_articles(self, article_ids: Sequence[int]) -> dict[int, list[StoredQuote]]:
        """The quotes of each of these articles, in article order, in one query (articles
        without quotes are left out)."""
        if not article_ids:
            return {}
        query = cited_select(quotes).where(quotes.c.article_id.in_(sorted(set(article_ids))))
        with self.reading() as conn:
            rows = conn.execute(query.order_by(quotes.c.article_id, quotes.c.position)).all()
        found: dict[int, list[StoredQuote]] = {}
        for row in rows:
            found.setdefault(row.article_id, []).append(_stored_quote(row))
        return found

    def quotes_by_person(
        self,
        name: str,
        *,
        about: str | None = None,
        limit: int = 20,
        tenant: Tenant | None = None,
    ) -> list[StoredQuote]:
        """What a person was quoted saying, newest first; "Blinken", "Antony Blinken" and
        "Secretary Blinken" find the same person. With `about`, only quotes whose words or
        context mention the topic, best match first, then newest. With `tenant`, only in the
        articles of its library.

        The person's names are read first (the distinct speakers of the name's key: an index
        read), so the database returns only that person's quotes: without `about`, each name's
        newest through an index (migration 0012), never all of them sorted; with `about`, only
        those that mention the topic (migration 0011: speaker key and topic words meet in one
        full-text index on SQLite, on the speaker key's index rows on PostgreSQL), scored
        here."""
        name = typed_name(name)
        key = name_key(name)
        if not key:
            return []
        with self.reading() as conn:
            names = list(conn.execute(_NAMES_OF_KEY, {"key": key}).scalars())
        speakers = sorted(s for s in names if same_person(name, s))
        if not speakers:
            return []
        if not about:
            # Every name of the key is the person's (the usual case): the key's quotes.
            whose = None if len(speakers) == len(names) else speakers
            return self.quotes_by_ids(self._newest_of(key, whose, max(limit, 1), tenant))[:limit]
        stems = sorted(search.topic_words(about))
        if not stems:
            return []
        query = (
            cited_select(quotes)
            .where(
                quotes.c.speaker_key == key,
                quotes.c.canonical_speaker.in_(speakers),
                visible(quotes.c.article_id, tenant),
                self._mentioning(key, stems),
            )
            .limit(max(limit, 1) * 20)
        )
        with self.reading() as conn:
            rows = conn.execute(query.order_by(*_newest_first())).all()
        found = [_stored_quote(r) for r in rows]
        scored = [(topic_score(about, q.quote), q) for q in found]
        scored = [(score, q) for score, q in scored if score > 0]
        scored.sort(key=lambda pair: -pair[0])  # stable: newest first among equals
        return [q for _, q in scored][:limit]

    def _newest_of(
        self, key: str, speakers: list[str] | None, limit: int, tenant: Tenant | None
    ) -> list[int]:
        """Ids of the newest `limit` quotes of name key `key` (of `speakers` of it only, unless
        None), newest first (`_newest_first`), read in index order: the key's quotes through
        the index on (speaker_key, article_date, article_id), else each speaker's through the
        one on (speaker_key, canonical_speaker, article_date, article_id), at most `limit`
        each, merged. No query sorts more than one article's quotes."""
        newest = (quotes.c.article_date.desc(), quotes.c.article_id.desc(), quotes.c.position)
        columns = (quotes.c.article_date, quotes.c.article_id, quotes.c.position, quotes.c.id)
        mine = [quotes.c.speaker_key == key, visible(quotes.c.article_id, tenant)]
        queries = [sa.select(*columns).where(*mine)]
        if speakers is not None:
            queries = [q.where(quotes.c.canonical_speaker == s) for s in speakers for q in queries]
        found: list[Any] = []
        with self.reading() as conn:
            for query in queries:
                found += conn.execute(query.order_by(*newest).limit(limit)).all()
        if len(queries) > 1:
            found.sort(key=lambda row: (-row[0].timestamp(), -row[1], row[2]))
        return [row[3] for row in found[:limit]]

    def _mentioning(self, key: str, stems: list[str]) -> sa.ColumnElement[bool] | sa.TextClause:
        """Quotes of speaker `key` whose words or context hold a word starting with one of
        `stems` (from `search.topic_words`): every quote whose topic overlap is above 0, and
        a few more (the caller scores them)."""
        if self._is_sqlite:
            words = " OR ".join(f"{_fts_string(stem)}*" for stem in stems)
            match = f"speaker_key : {_fts_string(key)} AND {{text context}} : ({words})"
            hits = sa.text(
                "SELECT rowid FROM quote_topics_fts WHERE quote_topics_fts MATCH :topic"
            ).bindparams(topic=match)
            return quotes.c.id.in_(hits.columns(sa.column("rowid", sa.Integer)))
        tsquery = " | ".join(f"{_ts_lexeme(stem)}:*" for stem in stems)
        return sa.text("quotes.topic_tsv @@ to_tsquery('simple', :topic)").bindparams(topic=tsquery)

    def similar_quotes(
        self,
        vector: np.ndarray,
        *,
        model: str,
        limit: int = 10,
        min_score: float = 0.0,
        tenant: Tenant | None = None,
    ) -> list[tuple[StoredQuote, float]]:
        """Quotes closest in meaning to `vector` (cosine; vectors are unit length), best first;
        with `tenant`, only in the articles of its library."""
        found = self.nearest(
            "quote", vector, model=model, limit=limit, min_score=min_score, tenant=tenant
        )
        by_id = {q.id: q for q in self.quotes_by_ids([i for i, _ in found])}
        return [(by_id[i], score) for i, score in found if i in by_id]

    def quotes_by_ids(self, ids: Sequence[int]) -> list[StoredQuote]:
        """The quotes with these ids, in the order given (unknown ids are left out)."""
        return self._by_ids(cited_select(quotes), quotes, ids, _stored_quote)


# The distinct speakers of one speaker key, one index probe per name (a loose index scan on
# (speaker_key, canonical_speaker), for SQLite and PostgreSQL alike): a plain DISTINCT read
# every quote of the key, ~10,000 rows and 26-94 ms for a common surname at 100k articles on
# PostgreSQL, against under a millisecond.
_NAMES_OF_KEY = sa.text(
    """
    WITH RECURSIVE names(name) AS (
        SELECT (SELECT canonical_speaker FROM quotes
                WHERE speaker_key = :key AND canonical_speaker IS NOT NULL
                ORDER BY canonical_speaker LIMIT 1)
        UNION ALL
        SELECT (SELECT canonical_speaker FROM quotes
                WHERE speaker_key = :key AND canonical_speaker > names.name
                ORDER BY canonical_speaker LIMIT 1)
        FROM names WHERE names.name IS NOT NULL
    )
    SELECT name FROM names WHERE name IS NOT NULL
    """
)


def insert_quotes(
    conn: Connection,
    article_id: int,
    when: datetime,
    found: Sequence[Quote],
    vectors: np.ndarray | None,
    model: str | None,
) -> None:
    """Insert an article's quotes, in order, and their embeddings when given; `when` is the
    article's date (published, else stored)."""
    now = utcnow()
    vector_rows = item_embeddings(article_id, "quote", len(found), vectors, model, now)
    conn.execute(quotes.insert(), quote_rows(article_id, found, now, when))
    if vector_rows:
        conn.execute(embeddings.insert(), vector_rows)


def quote_rows(
    article_id: int, found: Sequence[Quote], now: datetime, when: datetime
) -> list[dict[str, Any]]:
    """The `quotes` rows of an article's quotes, in order; `when` is the article's date
    (published, else stored), kept with each quote to read a person's newest by index."""
    return [
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
            "article_date": when,
        }
        for i, q in enumerate(found)
    ]


def cited_select(table: sa.Table) -> sa.Select[Any]:
    """Rows of `table` (quotes, sentences) with what citing them takes from their article."""
    return sa.select(
        table,
        articles.c.title.label("article_title"),
        articles.c.url.label("article_url"),
        article_date().label("article_when"),
        articles.c.published.is_not(None).label("article_dated"),
        articles.c.site.label("article_site"),
    ).join(articles, articles.c.id == table.c.article_id)


def cited_article(row: Any) -> ArticleRef:
    """The article of a `cited_select` row, to cite."""
    # The date comes through an expression (coalesce), which SQLite gives back naive.
    when = as_utc(row.article_when)
    return ArticleRef(
        row.article_id,
        row.article_title,
        row.article_url,
        row.article_site,
        when,
        dated=bool(row.article_dated),
    )


def _fts_string(text: str) -> str:
    """`text` as an FTS5 string (its double quotes doubled): words, never query syntax."""
    return '"' + text.replace('"', '""') + '"'


def _ts_lexeme(text: str) -> str:
    """`text` as one quoted lexeme of a PostgreSQL tsquery: words, never query syntax."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _newest_first() -> tuple[Any, ...]:
    return (article_date().desc(), quotes.c.article_id.desc(), quotes.c.position)


def _stored_quote(row: Any) -> StoredQuote:
    """A row of `cited_select(quotes)` as a record."""
    quote = Quote(
        text=row.text,
        spans=tuple((int(a), int(b)) for a, b in (row.spans or [])),
        speaker=row.canonical_speaker,
        speaker_title=row.speaker_title,
        speaker_mention=row.speaker,
        cue=row.cue,
        context=row.context or "",
        indirect=bool(row.indirect),
        in_title=bool(row.in_title),
    )
    return StoredQuote(id=row.id, quote=quote, article=cited_article(row))


def topic_score(about: str, quote: Quote) -> float:
    """How well a quote answers "what did X say about `about`": the share of the topic's
    words its words and sentence mention, and half again the share its own words do, so the
    quote that names Russia comes before the one said in a sentence about it (0: neither)."""
    return search.topic_overlap(
        about, f"{quote.text} {quote.context}"
    ) + 0.5 * search.topic_overlap(about, quote.text)
