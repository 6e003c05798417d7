"""The declared schema: what the migrations build, and timestamps that are always aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.dialects import sqlite

from summaries.store import Channel, NewArticle, Store
from summaries.store.schema import (
    UtcDateTime,
    channel_filters,
    channel_values,
    in_channel,
    include_schema_object,
    metadata,
    row_channel,
)

STORY = (
    "The city council voted on Tuesday to build a new bridge across the river, "
    "ending a decade of arguments about traffic and cost."
)


def test_migrations_build_the_schema_the_code_declares(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_schema_object})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_datetimes_round_trip_as_aware_utc(store: Store) -> None:
    plus_two = timezone(timedelta(hours=2))
    published = datetime(2024, 3, 10, 14, 0, 0, 123456, tzinfo=plus_two)
    saved = store.save_article(NewArticle(text=STORY, published=published)).article
    stored = store.get_article(saved.id)
    assert stored is not None
    assert stored.published == published
    assert stored.published is not None
    assert stored.published.utcoffset() == timedelta(0)
    assert stored.published.hour == 12
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - stored.created_at) < timedelta(minutes=5)


def test_a_naive_datetime_is_refused_before_it_reaches_the_database() -> None:
    column_type = UtcDateTime()
    with pytest.raises(ValueError, match="naive"):
        column_type.process_bind_param(datetime(2024, 1, 1), sqlite.dialect())


def test_a_channels_rows_are_written_found_and_read_back_by_its_three_keys(store: Store) -> None:
    here, same_id_elsewhere = Channel("slack", "T1", "C1"), Channel("slack", "T2", "C1")
    now = datetime.now(UTC)
    with store.writing() as conn:
        for where in (here, same_id_elsewhere):
            conn.execute(
                channel_filters.insert().values(
                    **channel_values(where), pattern="bridge", mode="keep", created_at=now
                )
            )
    with store.reading() as conn:
        rows = conn.execute(channel_filters.select().where(in_channel(channel_filters, here)))
        found = [row_channel(row) for row in rows]
    assert found == [here]


def test_full_text_search_finds_rows_after_analyze(store: Store) -> None:
    saved = store.save_article(
        NewArticle(text=STORY, quotes=(), sentence_spans=((0, len(STORY)),))
    ).article
    store.analyze()
    found = store.search_sentences(["bridge", "river"], any_word=False)
    assert len(found) == 1
    assert store.sentences_by_ids(found)[0].article.id == saved.id
    assert store.search_sentences(["purple", "unicorn"], any_word=True) == []
