"""Full-text search of quotes and sentences: SQLite FTS5, or PostgreSQL's text search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from summaries.answers import search
from summaries.store.quotes import Quotes, cited_article, cited_select
from summaries.store.records import NewArticle, StoredQuote, StoredSentence
from summaries.store.schema import embeddings, sentences
from summaries.store.vectors import item_embeddings
from summaries.times import utcnow

# What PostgreSQL's full-text index on quotes covers (migration 0003).
_QUOTE_DOCUMENT = "text || ' ' || coalesce(canonical_speaker, '')"


def fts5_query(words: list[str], *, any_word: bool = False) -> str:
    """An SQLite FTS5 MATCH expression: every word (or any word) as a quoted string."""
    quoted = [f'"{w}"' for w in words]
    return (" OR " if any_word else " ").join(quoted)


def tsquery(words: list[str], *, any_word: bool = False) -> str:
    """A PostgreSQL to_tsquery expression over plain words (they hold only \\w characters)."""
    return (" | " if any_word else " & ").join(words)


class Search(Quotes):
    """Quotes and sentences found by their words; the sentences themselves."""

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

    def search_quote_ids(self, words: list[str], *, any_word: bool, limit: int = 50) -> list[int]:
        """Ids of quotes holding all (or any) of `words` (from `search.terms`), best first."""
        if not words or limit < 1:
            return []
        return self._fts_quote_ids(words, any_word=any_word, limit=limit)

    def search_sentences(self, words: list[str], *, any_word: bool, limit: int = 50) -> list[int]:
        """Ids of sentences holding all (or any) of `words` (from `search.terms`), best first."""
        if not words or limit < 1:
            return []
        return self._fts_ids("sentences", "text", words, any_word=any_word, limit=limit)

    def sentences_by_ids(self, ids: Sequence[int]) -> list[StoredSentence]:
        """The sentences with these ids, in the order given (unknown ids are left out)."""
        return self._by_ids(cited_select(sentences), sentences, ids, _stored_sentence)

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
            query = fts5_query(words, any_word=any_word)
        else:
            sql = (
                f"SELECT id FROM {table}, to_tsquery('english', :q) AS query "
                f"WHERE to_tsvector('english', {document}) @@ query "
                f"ORDER BY ts_rank(to_tsvector('english', {document}), query) DESC, id DESC "
                "LIMIT :n"
            )
            query = tsquery(words, any_word=any_word)
        with self.reading() as conn:
            rows = conn.execute(sa.text(sql), {"q": query, "n": limit}).all()
        return [int(row[0]) for row in rows]


def insert_sentences(conn: Connection, article_id: int, new: NewArticle) -> None:
    """Insert an article's sentences (`new.sentence_spans`), and their embeddings when given."""
    spans = new.sentence_spans
    vector_rows = item_embeddings(
        article_id, "sentence", len(spans), new.sentence_vectors, new.embedding_model, utcnow()
    )
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
    if vector_rows:
        conn.execute(embeddings.insert(), vector_rows)


def _stored_sentence(row: Any) -> StoredSentence:
    return StoredSentence(
        id=row.id,
        article=cited_article(row),
        position=row.position,
        start=row.start,
        end=row.end,
        text=row.text,
    )
