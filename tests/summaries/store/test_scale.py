"""The store at scale: bulk loads, quotes by person and topic through the full-text index, and
the query plans of an answer's queries on a generated corpus (ANALYZEd, no timings)."""

from __future__ import annotations

import dataclasses
import random
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import numpy as np
import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from psycopg import sql

from summaries.answers import search
from summaries.store import NewArticle, Store, StoredQuote, Tenant
from summaries.store.engine import alembic_config
from summaries.store.quotes import topic_score
from summaries.store.synthetic import quoted_article, unit_vectors

MODEL = "test-model"
DIM = 8
# Made-up words, some inflected alike ("talk", "talks", "talking"), so that the light stems of
# the topic match meet the tokenisers of the databases.
STEMS = [
    "talk", "border", "budget", "harbour", "tariff", "vaccine", "drought", "railway", "treaty",
    "subsid", "pension", "wildfire", "election", "ceasefire", "protest", "bridge", "reactor",
    "customs", "lithium", "glacier", "orchard", "ferry", "quarry", "satellite",
]  # fmt: skip
ENDINGS = ["", "s", "ing", "ed", "ies"]
FILLER = "the a of on in after before with and city council market weekly new".split()
RARE = 3000


def _rare(n: int) -> str:
    """One of RARE made-up words ("zubakor"), each in a few generated sentences."""
    syllables = ["zu", "ba", "ko", "ri", "ne", "mo", "ta", "li", "xe", "do"]
    return "".join(syllables[int(d)] for d in f"{n:04d}") + "r"


PEOPLE = [
    f"{first} {last}"
    for first in ("Ana", "Ben", "Chloe", "Dmitri")
    for last in ("Novak", "Okafor", "Sato", "Rossi", "Haddad")
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(6, 12))]
    words.append(_rare(rng.randrange(RARE)))  # a word a few sentences in thousands hold
    for _ in range(rng.randint(1, 3)):
        words.insert(rng.randrange(len(words)), rng.choice(STEMS) + rng.choice(ENDINGS))
    return " ".join(words).capitalize() + "."


def corpus(n: int, seed: int = 3, start: int = 0) -> list[NewArticle]:
    """`n` generated articles of 8 sentences, two quoted, with random unit vectors."""
    rng = random.Random(seed)
    vectors = unit_vectors(n * 10, DIM, seed)
    now = datetime(2026, 11, 30, tzinfo=UTC)
    out: list[NewArticle] = []
    for a in range(n):
        sentences: list[str] = []
        quoted: dict[int, tuple[str, str]] = {}
        for k in range(8):
            sentences.append(_sentence(rng))
            if k in (3, 5):  # said "of the <topic word>": in the quote's context, not its words
                who = rng.choice(PEOPLE)
                quoted[k] = (who, f" of the {rng.choice(STEMS)}{rng.choice(ENDINGS)}")
        out.append(
            quoted_article(
                sentences,
                quoted,
                sentence_vectors=vectors[a * 10 + 2 : a * 10 + 10],
                quote_vectors=vectors[a * 10 : a * 10 + 2],
                embedding_model=MODEL,
                url=f"https://news.example/{start + a}",
                title=f"Report {start + a}",
                site="Daily Ledger",
                published=now - timedelta(hours=(start + a) % 500),
            )
        )
    return out


def test_generated_articles_hold_their_quotes_and_sentences_where_their_spans_say() -> None:
    for article in corpus(20, seed=1):
        assert len(article.quotes) == 2 == len(article.quote_vectors)  # type: ignore[arg-type]
        assert len(article.sentence_spans) == 8 == len(article.sentence_vectors)  # type: ignore[arg-type]
        for said in article.quotes:
            ((start, end),) = said.spans
            assert article.text[start:end] == said.text
            assert said.context in article.text
            assert said.speaker in PEOPLE
        sentences = [article.text[start:end] for start, end in article.sentence_spans]
        assert " ".join(sentences) == article.text
    one = np.ones((3, DIM), dtype=np.float32)
    article = quoted_article(
        ["The port reopened.", "Ships queued at dawn.", "Fees rose."],
        {1: ("Ana Novak", " on Monday")},
        sentence_vectors=one,
        quote_vectors=one[:1],
        embedding_model=MODEL,
        url="https://news.example/port",
        title="Port",
        site="Daily Ledger",
        published=datetime(2026, 11, 30, tzinfo=UTC),
        paragraph=2,
    )
    assert (
        article.text
        == "The port reopened. “Ships queued at dawn,” Ana Novak said on Monday.\n\nFees rose."
    )
    assert [article.text[a:b] for a, b in article.sentence_spans][2] == "Fees rose."
    assert article.quotes[0].text == "Ships queued at dawn,"
    vectors = unit_vectors(50, DIM, seed=2)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-6)
    assert np.array_equal(vectors, unit_vectors(50, DIM, seed=2))


def _texts(quotes: list[StoredQuote]) -> list[tuple[int, str]]:
    return [(q.id, q.quote.text) for q in quotes]


@contextmanager
def _twin(url: str, tmp_path: Any) -> Iterator[str]:
    """Another empty database on the backend of `url`."""
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path}/twin.db"
        return
    base, _, _ = url.partition("?")
    schema = f"twin_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield f"{base}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def test_a_bulk_load_stores_what_saving_one_by_one_does(tmp_path: Any, store_url: str) -> None:
    articles = corpus(60)
    with (
        _twin(store_url, tmp_path) as twin,
        Store(store_url) as bulk,
        Store(twin) as one,
    ):
        ids = bulk.load_articles(articles[:40]) + bulk.load_articles(articles[40:])
        for article in articles:
            one.save_article(article)
        assert len(ids) == 60 == bulk.count_articles()
        assert [a.title for a in bulk.articles_by_ids(ids)] == [a.title for a in articles]
        for word in ("talk", "border", "harbours", "ceasefire"):
            for any_word in (False, True):
                words = [word, "council"]
                assert _sentence_texts(bulk, words, any_word) == _sentence_texts(
                    one, words, any_word
                )
                assert _quote_texts(bulk, words, any_word) == _quote_texts(one, words, any_word)
            assert [q.quote.text for q in bulk.quotes_by_person("Novak", about=word)] == [
                q.quote.text for q in one.quotes_by_person("Novak", about=word)
            ]
        first = bulk.quotes_for_article(ids[0])[0]
        vector = bulk.item_vectors("quote", [first.id], MODEL)[first.id]
        assert bulk.nearest("quote", vector, model=MODEL, limit=1)[0][0] == first.id
        # The per-row triggers are back: an article saved after the load is found by its words.
        later = corpus(1, seed=9, start=500)[0]
        text = later.text + " Zanzibarian."
        saved = bulk.save_article(
            NewArticle(text=text, url=later.url, sentence_spans=((0, len(text)),))
        )
        assert bulk.search_sentences(["zanzibarian"], any_word=False)
        assert saved.created


def _sentence_texts(store: Store, words: list[str], any_word: bool) -> list[str]:
    found = store.search_sentences(words, any_word=any_word, limit=20)
    return [s.text for s in store.sentences_by_ids(found)]


def _quote_texts(store: Store, words: list[str], any_word: bool) -> list[str]:
    found = store.search_quote_ids(words, any_word=any_word, limit=20)
    return [q.quote.text for q in store.quotes_by_ids(found)]


def test_a_bulk_load_refuses_feed_entries_and_keeps_tenants(store: Store) -> None:
    article = corpus(1)[0]
    with pytest.raises(ValueError):
        store.load_articles([NewArticle(text=article.text, feed_url="https://f.example/rss")])
    tenant = Tenant("slack", "T1")
    (article_id,) = store.load_articles([NewArticle(text=article.text, tenant=tenant)])
    assert store.article_tenants(article_id) == [tenant]


def _old_quotes_by_person(store: Store, name: str, about: str, limit: int) -> list[StoredQuote]:
    """quotes_by_person with a topic as it was: the person's quotes, newest first, scored here
    (it scored only the newest limit × 20: fewer than the person has here, at small limits)."""
    found = store.quotes_by_person(name, limit=100_000)
    scored = [(topic_score(about, q.quote), q) for q in found]
    scored = [(score, q) for score, q in scored if score > 0]
    scored.sort(key=lambda pair: -pair[0])
    return [q for _, q in scored][:limit]


def test_quotes_by_person_about_a_topic_answer_as_the_scan_did(store: Store) -> None:
    store.load_articles(corpus(150))
    rng = random.Random(5)
    names = ["Novak", "Ana Novak", "Ben Okafor", "Sato", "Chloe Rossi", "Nobody Here"]
    asked = 0
    for name in names:
        for _ in range(12):
            topic = " ".join(
                rng.choice(STEMS) + rng.choice(ENDINGS) for _ in range(rng.randint(1, 2))
            )
            topic = rng.choice([topic, f"the {topic}", f"{topic} and the city"])
            limit = rng.choice([3, 50])
            new = store.quotes_by_person(name, about=topic, limit=limit)
            assert _texts(new) == _texts(_old_quotes_by_person(store, name, topic, limit))
            asked += bool(new)
    assert asked > 30  # most questions found something: the comparison compared answers
    assert store.quotes_by_person("Novak", about="the of and") == []


def test_a_keys_speakers_are_read_one_index_probe_at_a_time_as_distinct_did(
    store: Store,
) -> None:
    from summaries.store.quotes import _NAMES_OF_KEY

    articles = corpus(60)
    # Names the generator never makes: one key with several spellings, and a speakerless quote.
    extra = [("Novak", "Dr. Ana Novak"), ("Novak", "novak"), ("Novak", "Ana Novak-Ruiz")]
    for i, (_, who) in enumerate(extra):
        article = articles[i]
        first = dataclasses.replace(article.quotes[0], speaker=who, speaker_mention=who)
        articles[i] = dataclasses.replace(article, quotes=(first, *article.quotes[1:]))
    store.load_articles(articles)
    with store.engine.connect() as conn:
        keys = list(conn.execute(sa.text("SELECT DISTINCT speaker_key FROM quotes")).scalars())
        assert len(keys) > 5
        for key in [*keys, "nobody"]:
            plain = conn.execute(
                sa.text(
                    "SELECT DISTINCT canonical_speaker FROM quotes "
                    "WHERE speaker_key = :key AND canonical_speaker IS NOT NULL"
                ),
                {"key": key},
            ).scalars()
            probed = list(conn.execute(_NAMES_OF_KEY, {"key": key}).scalars())
            assert sorted(probed) == sorted(plain), key
            assert len(probed) == len(set(probed))


def test_a_persons_newest_quotes_come_as_sorting_all_of_them_did(store: Store) -> None:
    articles = corpus(150)
    # Some articles undated: their date is when they were stored, as everywhere.
    articles = [
        a if i % 7 else dataclasses.replace(a, published=None) for i, a in enumerate(articles)
    ]
    tenant = Tenant("slack", "T1")
    articles = [
        a if i % 3 else dataclasses.replace(a, tenant=tenant) for i, a in enumerate(articles)
    ]
    store.load_articles(articles[:100])
    for article in articles[100:]:
        store.save_article(article)
    with store.engine.connect() as conn:
        everything = conn.execute(
            sa.text(
                "SELECT q.id, q.canonical_speaker, q.article_id, q.position, "
                "coalesce(a.published, a.created_at) AS day FROM quotes q "
                "JOIN articles a ON a.id = q.article_id"
            )
        ).all()
        reached = set(conn.execute(sa.text("SELECT article_id FROM article_tenants")).scalars())
    for name in ["Novak", "Ana Novak", "Rossi", "Chloe Rossi", "Nobody Here"]:
        for limit in (1, 3, 50, 1000):
            for who in (None, tenant):
                mine = [
                    r
                    for r in everything
                    if r.canonical_speaker.endswith(name.split()[-1])
                    and (" " not in name or r.canonical_speaker == name)
                    and (who is None or r.article_id in reached)
                ]
                mine.sort(key=lambda r: (str(r.day), r.article_id, -r.position), reverse=True)
                found = store.quotes_by_person(name, limit=limit, tenant=who)
                assert [q.id for q in found] == [r.id for r in mine[:limit]], (name, limit)


# -- query plans ----------------------------------------------------------------------------


@contextmanager
def _statements(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The SELECTs the store sends while inside, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def note(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")) and not many:
            seen.append((statement, params))

    sa.event.listen(store.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", note)


def _hot_queries(store: Store) -> list[tuple[str, Any]]:
    """What answering runs: full text, quotes by person, vector top-up, rows by id."""
    tenant = Tenant("slack", "T1")
    last = store.count_articles()
    with store.engine.connect() as conn:
        newest = conn.execute(sa.text("SELECT max(id) FROM embeddings")).scalar_one()
    with _statements(store) as seen:
        for any_word in (False, True):
            # A who-said phrase: a rare word among common ones; a topic of two rare words.
            words = [_rare(17), "treaty", "council"] if not any_word else [_rare(17), _rare(2041)]
            store.search_sentences(words, any_word=any_word, limit=60)
            store.search_quote_ids(words, any_word=any_word, limit=60)
            store.search_sentences(words, any_word=any_word, limit=60, tenant=tenant)
        # A phrase of common words: the rarer ones asked, the common ones checked here.
        for tenant_or_none in (None, tenant):
            words = [_rare(17), "the", "of", "treaty"]
            store.search_sentences(words, any_word=False, limit=20, tenant=tenant_or_none)
            store.search_quote_ids(words, any_word=False, limit=60, tenant=tenant_or_none)
        store.quotes_by_person("Ana Novak", limit=50)
        store.quotes_by_person("Novak", limit=50)
        store.quotes_by_person("Ana Novak", about="glaciers", limit=50)
        store.quotes_by_person("Novak", about="ferry treaty", limit=50, tenant=tenant)
        store.quotes_by_ids([5, 17, 300])
        store.sentences_by_ids([5, 17, 300])
        store.quotes_for_article(last - 3)
        store.get_article(last - 3)
        store.item_vectors("quote", [5, 17, 300], MODEL)
        store._vector_rows("sentence", MODEL, newest - 50, 20_000)
    return seen


@pytest.fixture(scope="module")
def planned_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("plans")
    with Store(f"sqlite:///{folder}/plans.db", vector_index=False) as store:
        for start in range(0, 3000, 500):
            store.load_articles(corpus(500, seed=start, start=start))
        store.analyze()
        yield store


def test_common_words_are_checked_on_what_the_rarer_words_find(
    planned_sqlite: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = planned_sqlite
    phrases = [
        [_rare(17), "the", "of"],
        ["treaty", "the", "with"],
        ["council", "a", "after", "on"],
        ["the", "of", "and"],
    ]
    for words in phrases:
        for table in ("sentences", "quotes"):
            with store.engine.connect() as conn:
                every = set(
                    conn.execute(
                        sa.text(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :q"),
                        {"q": " ".join(f'"{w}"' for w in words)},
                    ).scalars()
                )
            found = store._fts_ids(table, words, False, 100_000, None)
            assert set(found) == every, (table, words)
            # Fewer matches ranked than asked for: the full query decides, still every word.
            monkeypatch.setattr("summaries.store.search.RANKED", 50)
            few = store._fts_ids(table, words, False, 60, None)
            monkeypatch.undo()
            assert set(few) <= every
            assert len(few) == min(60, len(every)), (table, words)


def test_sqlite_answers_read_through_indexes(planned_sqlite: Store) -> None:
    tables = {"articles", "quotes", "sentences", "embeddings", "article_tenants"}
    queries = _hot_queries(planned_sqlite)
    newest = 0
    assert len(queries) >= 15
    with planned_sqlite.engine.connect() as conn:
        for statement, params in queries:
            plan = [
                str(row[-1])
                for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            ]
            for step in plan:
                scanned = re.match(r"SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?$", step)
                assert not (scanned and scanned.group(1) in tables), (statement, plan)
            if "ORDER BY quotes.article_date DESC" in statement:
                # A person's newest quotes in index order: only one article's quotes sorted.
                assert "USE TEMP B-TREE FOR ORDER BY" not in plan, (statement, plan)
                assert any("_newest (speaker_key=?" in step for step in plan), plan
                newest += 1
        assert newest == 2  # a key's quotes, one name's quotes


@pytest.mark.postgres
def test_postgres_answers_read_through_indexes(postgres_schema_url: str) -> None:
    with Store(postgres_schema_url, vector_index=False) as store:
        for start in range(0, 3000, 500):
            store.load_articles(corpus(500, seed=start, start=start))
        store.analyze()
        queries = _hot_queries(store)
        chosen: list[str] = []
        with store.engine.connect() as conn:
            for statement, params in queries:
                rows = conn.exec_driver_sql(f"EXPLAIN {statement}", params).all()
                chosen.append("\n".join(str(row[0]) for row in rows))
            # At a few thousand rows a scan of a table can be the planner's cheapest way; with
            # scans priced out, each query must still have an index to read through.
            conn.exec_driver_sql("SET enable_seqscan = off")
            for statement, params in queries:
                rows = conn.exec_driver_sql(f"EXPLAIN {statement}", params).all()
                plan = "\n".join(str(row[0]) for row in rows)
                for table in ("articles", "quotes", "sentences", "embeddings"):
                    assert f"Seq Scan on {table} " not in plan + " ", (statement, plan)
    # As planned on the corpus: full text through the GIN indexes of the stored tsv columns,
    # a person's quotes through the speaker key, vectors through an index on embeddings.
    everything = "\n".join(chosen)
    for index in (
        "ix_sentences_tsv",
        "ix_quotes_tsv",
        "ix_quotes_speaker_newest",
        "ix_quotes_speaker_key_newest",
    ):
        assert re.search(rf"Index (Only )?Scan (Backward )?(on|using) {index}\b", everything), index
    # A key's names: one probe of the index per name, not its every quote read.
    assert "Index Only Scan using ix_quotes_speaker_newest on quotes" in everything
    assert re.search(r"Index Scan using \w+ on embeddings", everything)


def test_quote_dates_migrate_down_and_up_keeping_the_quote_search(store: Store) -> None:
    store.load_articles(corpus(20))
    before = _texts(store.quotes_by_person("Novak", limit=50))
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0011_quote_topics")
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    assert _texts(store.quotes_by_person("Novak", limit=50)) == before
    later = corpus(1, seed=9, start=500)[0]
    store.save_article(later)  # the full-text triggers still index new quotes
    assert store.search_quote_ids(search.terms(later.quotes[0].text), any_word=False)
