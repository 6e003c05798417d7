"""Full-text search of quotes and sentences: SQLite FTS5, or PostgreSQL's text search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from summaries.answers import search
from summaries.store.quotes import Quotes, cited_article, cited_select
from summaries.store.records import NewArticle, StoredQuote, StoredSentence, Tenant
from summaries.store.schema import embeddings, sentences
from summaries.store.tenants import REACHED_SQL, reached_params
from summaries.store.vectors import item_embeddings
from summaries.times import utcnow

RANKED = 2000  # full-text matches ranked per query, at most


def fts5_query(words: list[str], *, any_word: bool = False) -> str:
    """An SQLite FTS5 MATCH expression: every word (or any word) as a quoted string."""
    quoted = [f'"{w}"' for w in words]
    return (" OR " if any_word else " ").join(quoted)


def tsquery(words: list[str], *, any_word: bool = False) -> str:
    """A PostgreSQL to_tsquery expression over plain words (they hold only \\w characters)."""
    return (" | " if any_word else " & ").join(words)


class Search(Quotes):
    """Quotes and sentences found by their words; the sentences themselves."""

    def search_quotes(
        self, phrase: str, *, limit: int = 10, tenant: Tenant | None = None
    ) -> list[StoredQuote]:
        """Quotes containing the words of `phrase` (all of them; else as many as possible),
        best match first; with `tenant`, only in its library. Any text is safe: only its words
        reach the query."""
        words = search.terms(phrase)
        if not words or limit < 1:
            return []
        for any_word in (False, True):
            ids = self.search_quote_ids(words, any_word=any_word, limit=limit, tenant=tenant)
            if ids:
                break
        else:
            return []
        return self.quotes_by_ids(ids)

    def search_quote_ids(
        self, words: list[str], *, any_word: bool, limit: int = 50, tenant: Tenant | None = None
    ) -> list[int]:
        """Ids of quotes holding all (or any) of `words` (from `search.terms`), best first; with
        `tenant`, only in the articles of its library."""
        return self._fts_ids("quotes", words, any_word, limit, tenant)

    def search_sentences(
        self, words: list[str], *, any_word: bool, limit: int = 50, tenant: Tenant | None = None
    ) -> list[int]:
        """Ids of sentences holding all (or any) of `words` (from `search.terms`), best first;
        with `tenant`, only in the articles of its library."""
        return self._fts_ids("sentences", words, any_word, limit, tenant)

    def sentences_by_ids(self, ids: Sequence[int]) -> list[StoredSentence]:
        """The sentences with these ids, in the order given (unknown ids are left out)."""
        return self._by_ids(cited_select(sentences), sentences, ids, _stored_sentence)

    def _fts_ids(
        self,
        table: str,
        words: list[str],
        any_word: bool,
        limit: int,
        tenant: Tenant | None,
        *,
        every_word_asked: bool = False,
    ) -> list[int]:
        """Ids of rows of `table` whose indexed text holds all (or any) of `words`, best first;
        with `tenant`, only rows of the articles in its library.

        PostgreSQL searches the table's stored `tsv` column (GIN-indexed, migration 0010);
        SQLite its `<table>_fts`. At most `RANKED` matches are ranked: on SQLite the newest,
        on PostgreSQL the first the index yields. Only `words` (letters and digits) come from
        users.

        When all words are asked for, SQLite searches by the words not common ("the", "of":
        `search.COMMON_WORDS`, left out of queries by PostgreSQL's 'english' configuration too)
        and checks the common ones on the matches (`_fts_ids_holding`): each word of an FTS5
        query costs a read of every row that holds it (bm25 counts them), and "the" is in
        most of a million sentences. `every_word_asked` asks for every word in one query.
        """
        if not words or limit < 1:
            return []
        if self._is_sqlite and not any_word and not every_word_asked:
            asked = search.searched_words(words)
            if asked != words:
                return self._fts_ids_holding(table, asked, words, limit, tenant)
        params: dict[str, object] = {"n": limit}
        join = mine = ""
        if tenant is not None:
            mine = f"AND {table}.article_id IN ({REACHED_SQL}) "
            params.update(reached_params(tenant))
        if self._is_sqlite:
            if tenant is not None:
                join = f"JOIN {table} ON {table}.id = {table}_fts.rowid "
            # The newest RANKED matches, ranked: a common word matches a good part of 100,000
            # articles, and bm25 of every match costs more than the whole rest of an answer.
            sql = (
                f"SELECT id FROM (SELECT {table}_fts.rowid AS id, {table}_fts.rank AS rank "
                f"FROM {table}_fts {join}WHERE {table}_fts MATCH :q {mine}"
                f"ORDER BY {table}_fts.rowid DESC LIMIT :pool) "
                "ORDER BY rank, id LIMIT :n"
            )
            params["q"] = fts5_query(words, any_word=any_word)
        else:
            # As on SQLite, RANKED matches are ranked, here those the index yields first.
            sql = (
                f"SELECT id FROM (SELECT {table}.id, {table}.tsv FROM {table} "
                f"WHERE {table}.tsv @@ to_tsquery('english', :q) {mine}LIMIT :pool) AS hits, "
                "to_tsquery('english', :q) AS query "
                "ORDER BY ts_rank(hits.tsv, query) DESC, hits.id DESC LIMIT :n"
            )
            params["q"] = tsquery(words, any_word=any_word)
        params["pool"] = max(limit, RANKED)
        with self.reading() as conn:
            rows = conn.execute(sa.text(sql), params).all()
        return [int(row[0]) for row in rows]

    def _fts_ids_holding(
        self, table: str, asked: list[str], words: list[str], limit: int, tenant: Tenant | None
    ) -> list[int]:
        """SQLite: ids of rows of `table` holding every one of `words`, best first, found by
        the rarer words `asked` (the newest RANKED matches, ranked by bm25 on those words),
        the others checked here on each match's text. When the RANKED matches held fewer
        than `limit` rows with every word and there were more matches, the full query
        decides (`_fts_ids` with every word)."""
        pool = max(limit, RANKED)
        params: dict[str, object] = {"q": fts5_query(asked), "pool": pool}
        join = mine = ""
        if tenant is not None:
            join = f"JOIN {table} ON {table}.id = {table}_fts.rowid "
            mine = f"AND {table}.article_id IN ({REACHED_SQL}) "
            params.update(reached_params(tenant))
        speaker = f" || ' ' || coalesce({table}_fts.speaker, '')" if table == "quotes" else ""
        sql = (
            f"SELECT id, texts FROM (SELECT {table}_fts.rowid AS id, {table}_fts.rank AS rank, "
            f"{table}_fts.text{speaker} AS texts "
            f"FROM {table}_fts {join}WHERE {table}_fts MATCH :q {mine}"
            f"ORDER BY {table}_fts.rowid DESC LIMIT :pool) "
            "ORDER BY rank, id"
        )
        common = [w for w in words if w not in asked]
        with self.reading() as conn:
            rows = conn.execute(sa.text(sql), params).all()
        found: list[int] = []
        for row in rows:  # best first: the first `limit` that hold every word
            if search.holds_words(row[1] or "", common):
                found.append(int(row[0]))
                if len(found) == limit:
                    return found
        if len(rows) == pool:
            return self._fts_ids(table, words, False, limit, tenant, every_word_asked=True)
        return found


# SQLite's full-text indexes are kept by a trigger per inserted row; a bulk load fills them
# with one statement per index instead (Articles.load_articles), as these triggers would have.
FTS_FILLS = {
    "sentences_fts_insert": (
        "sentences",
        "INSERT INTO sentences_fts(rowid, text) SELECT id, text FROM sentences WHERE id > :after",
    ),
    "quotes_fts_insert": (
        "quotes",
        "INSERT INTO quotes_fts(rowid, text, speaker) "
        "SELECT id, text, coalesce(canonical_speaker, '') FROM quotes WHERE id > :after",
    ),
    "quote_topics_fts_insert": (
        "quotes",
        "INSERT INTO quote_topics_fts(rowid, speaker_key, text, context) "
        "SELECT id, coalesce(speaker_key, ''), text, coalesce(context, '') FROM quotes "
        "WHERE id > :after",
    ),
}


def insert_sentences(conn: Connection, article_id: int, new: NewArticle) -> None:
    """Insert an article's sentences (`new.sentence_spans`), and their embeddings when given."""
    vector_rows = item_embeddings(
        article_id,
        "sentence",
        len(new.sentence_spans),
        new.sentence_vectors,
        new.embedding_model,
        utcnow(),
    )
    conn.execute(sentences.insert(), sentence_rows(article_id, new))
    if vector_rows:
        conn.execute(embeddings.insert(), vector_rows)


def sentence_rows(article_id: int, new: NewArticle) -> list[dict[str, Any]]:
    """The `sentences` rows of an article's sentences (`new.sentence_spans`), in order."""
    return [
        {"article_id": article_id, "position": i, "start": a, "end": b, "text": new.text[a:b]}
        for i, (a, b) in enumerate(new.sentence_spans)
    ]


def _stored_sentence(row: Any) -> StoredSentence:
    return StoredSentence(
        id=row.id,
        article=cited_article(row),
        position=row.position,
        start=row.start,
        end=row.end,
        text=row.text,
    )
