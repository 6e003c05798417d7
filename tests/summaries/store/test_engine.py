"""Opening databases: concurrent opens, SQLite files, and upgrades that keep the data."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from summaries.answers.answer import Answerer
from summaries.ingest.jobs import passage_spans
from summaries.store import NewArticle, Store, content_hash
from summaries.store.engine import alembic_config, engine_for, migrate
from summaries.store.schema import sentences

STORY = (
    "The city council voted on Tuesday to build a new bridge across the river, "
    "ending a decade of arguments about traffic and cost."
)


def test_concurrent_opens_of_a_new_database_both_succeed(shared_store_url: str) -> None:
    workers = 4
    barrier = threading.Barrier(workers)
    errors: list[Exception] = []

    def open_store() -> None:
        barrier.wait()
        try:
            with Store(shared_store_url) as opened:
                opened.count_articles()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_upgrade_from_first_revision_keeps_data(shared_store_url: str) -> None:
    engine = engine_for(shared_store_url)
    try:
        migrate(engine, "0001")
        with engine.begin() as conn:
            assert not sa.inspect(conn).has_table("quotes")
            now = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
            feed_id = conn.execute(
                sa.text("INSERT INTO feeds (url, created_at) VALUES (:u, :c) RETURNING id"),
                {"u": "https://news.example/feed.xml", "c": now.replace(tzinfo=None)},
            ).scalar_one()
            conn.execute(
                sa.text(
                    "INSERT INTO articles"
                    " (url, canonical_url, content_hash, text, feed_id, created_at)"
                    " VALUES (:u, :cu, :h, :t, :f, :c)"
                ),
                {
                    "u": "https://news.example/bridge",
                    "cu": "https://news.example/bridge",
                    "h": content_hash(STORY),
                    "t": STORY,
                    "f": feed_id,
                    "c": now.replace(tzinfo=None),
                },
            )
    finally:
        engine.dispose()

    with Store(shared_store_url) as store:
        assert store.count_articles() == 1
        [article] = store.latest_articles()
        assert article.text == STORY
        assert article.feed_id == feed_id
        assert article.created_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
        dup = store.save_article(NewArticle(text=STORY, url="http://news.example/bridge"))
        assert not dup.created
        with store.engine.connect() as conn:
            assert sa.inspect(conn).has_table("quotes")
            assert sa.inspect(conn).has_table("embeddings")
            head = ScriptDirectory.from_config(alembic_config()).get_current_head()
            assert MigrationContext.configure(conn).get_current_revision() == head


def test_sqlite_file_store_creates_its_directory_and_persists(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "news.db"
    with Store(f"sqlite:///{path}") as store:
        store.save_article(NewArticle(text=STORY, url="https://news.example/bridge"))
    assert path.exists()
    with Store(f"sqlite:///{path}") as reopened:
        assert reopened.count_articles() == 1
        assert reopened.find_duplicate(text=STORY) is not None


def test_upgrade_from_0002_keeps_quotes_and_makes_them_searchable(shared_store_url: str) -> None:
    engine = engine_for(shared_store_url)
    try:
        migrate(engine, "0002")
        with engine.begin() as conn:
            now = datetime(2024, 1, 2, tzinfo=UTC).replace(tzinfo=None)
            article_id = conn.execute(
                sa.text(
                    "INSERT INTO articles (url, canonical_url, content_hash, text, created_at)"
                    " VALUES (:u, :u, :h, :t, :c) RETURNING id"
                ),
                {"u": "https://news.example/q", "h": content_hash(STORY), "t": STORY, "c": now},
            ).scalar_one()
            conn.execute(
                sa.text(
                    "INSERT INTO quotes (article_id, speaker, canonical_speaker, text, indirect,"
                    " created_at) VALUES (:a, 'he', 'Ann Reed', :t, :i, :c)"
                ),
                {"a": article_id, "t": "The bridge will reopen in spring.", "i": False, "c": now},
            )
    finally:
        engine.dispose()
    with Store(shared_store_url) as store:
        (quote,) = store.quotes_for_article(article_id)
        assert quote.quote.text == "The bridge will reopen in spring."
        assert quote.quote.speaker == "Ann Reed" and quote.quote.speaker_mention == "he"
        assert [q.id for q in store.search_quotes("bridge reopen")] == [quote.id]


CARROW = (
    "Engineers closed the old stone bridge at Carrow to lorries on Monday after finding cracks "
    "in two of its arches.\n\nCars and bicycles can still cross, but heavy traffic must take a "
    "diversion of eleven miles through the valley. Shop owners said so."
)


def test_upgrade_from_0005_builds_the_sentences_of_older_articles_so_ask_finds_them(
    shared_store_url: str,
) -> None:
    engine = engine_for(shared_store_url)
    try:
        migrate(engine, "0005")  # before sentences existed
        with engine.begin() as conn:
            now = datetime(2024, 1, 2, tzinfo=UTC).replace(tzinfo=None)
            ids = [
                conn.execute(
                    sa.text(
                        "INSERT INTO articles (url, canonical_url, content_hash, title, text,"
                        " created_at) VALUES (:u, :u, :h, :title, :t, :c) RETURNING id"
                    ),
                    {"u": url, "h": content_hash(text), "title": title, "t": text, "c": now},
                ).scalar_one()
                for url, title, text in (
                    ("https://news.example/carrow", "Carrow bridge shut", CARROW),
                    ("https://news.example/bridge", "Bridge vote", STORY),
                    ("https://news.example/brief", "Brief", "Too short."),
                )
            ]
    finally:
        engine.dispose()

    with Store(shared_store_url) as store:
        carrow, bridge, brief = (store.get_article(i) for i in ids)
        assert carrow and bridge and brief
        with store.engine.connect() as conn:
            for article in (carrow, bridge, brief):
                spans = conn.execute(
                    sa.select(sentences.c.start, sentences.c.end)
                    .where(sentences.c.article_id == article.id)
                    .order_by(sentences.c.position)
                ).all()
                assert [tuple(s) for s in spans] == passage_spans(article.text)  # as ingest does
        assert passage_spans(CARROW) and not passage_spans(brief.text)
        found = store.sentences_by_ids(store.search_sentences(["diversion"], any_word=False))
        assert [s.text for s in found] == [
            "Cars and bicycles can still cross, but heavy traffic must take a diversion of eleven "
            "miles through the valley."
        ]
        answer = Answerer(store).answer("what about the diversion through the valley?")
        assert answer.found
        assert [c.article.url for c in answer.citations] == ["https://news.example/carrow"]


def test_text_with_a_nul_is_stored_on_every_backend(store: Store) -> None:
    """PostgreSQL can't hold a NUL in text (psycopg's DataError, an internal error for whatever
    stored it); the store drops it there, and finds the row by the same words."""
    feed = store.upsert_feed("https://news.example/feed", title="Harbour\x00 News")
    story = "The harbour\x00 council met on Tuesday and voted for the new bridge. " * 3
    saved = store.save_article(
        NewArticle(text=story, url="https://news.example/a\x00b", title="Bridge\x00 vote")
    )
    assert feed.title in ("Harbour News", "Harbour\x00 News")
    stored = store.get_article(saved.article.id)
    assert stored is not None and stored.title in ("Bridge vote", "Bridge\x00 vote")
    assert store.get_feed("https://news.example/feed") is not None
