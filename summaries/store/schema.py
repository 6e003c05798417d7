"""The database schema: every table, and the UTC datetime type their timestamps use."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from summaries.store.records import Channel
from summaries.times import as_utc
from summaries.types import NewsbriefError


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
        # SQLite gives UTC back naive; so do expressions (max(), coalesce()) on any backend.
        return None if value is None else as_utc(value)


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
    sa.Column("image", sa.Text),  # the lead image's URL (summaries.ingest.extract.image_url)
    sa.Column("language", sa.String(16)),  # ISO 639-1; NULL: unknown, read as English
)


def article_date() -> sa.ColumnElement[datetime]:
    """An article's date in queries: published, else when it was stored."""
    return sa.func.coalesce(articles.c.published, articles.c.created_at)


def _article_id(*, index: bool = True, primary_key: bool = False) -> sa.Column[int]:
    """The column of a row that belongs to an article, and goes when the article goes."""
    return sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=index,
        primary_key=primary_key,
    )


feed_entries = sa.Table(
    "feed_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    sa.Column("entry_id", sa.Text, nullable=False),
    _article_id(),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("feed_id", "entry_id"),
)

quotes = sa.Table(
    "quotes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _article_id(),
    sa.Column("speaker", sa.Text),
    sa.Column("canonical_speaker", sa.Text, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("spans", sa.JSON),  # character offsets into the article text
    sa.Column("cue", sa.Text),
    sa.Column("indirect", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("speaker_title", sa.Text),
    sa.Column("speaker_key", sa.Text),  # people.name_key of the canonical speaker
    sa.Column("context", sa.Text),
    sa.Column("in_title", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),  # order in article
    # The article's date (published, else stored), as `article_date()`: articles keep theirs.
    sa.Column("article_date", UtcDateTime),
    # The people behind one name key, read without the rows; a key's quotes, and each of its
    # people's, newest first in index order (quotes_by_person).
    sa.Index(
        "ix_quotes_speaker_newest", "speaker_key", "canonical_speaker", "article_date", "article_id"
    ),
    sa.Index("ix_quotes_speaker_key_newest", "speaker_key", "article_date", "article_id"),
)

embeddings = sa.Table(
    "embeddings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _article_id(),
    sa.Column("kind", sa.String(32), nullable=False),  # "article", "sentence", "quote"
    sa.Column("item_index", sa.Integer, nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("dim", sa.Integer, nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),  # float32, native little-endian
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("article_id", "kind", "item_index", "model"),
    sa.Index("ix_embeddings_kind_model_id", "kind", "model", "id"),  # the vector index's top-up
)


# The sentences of each article, for passage search (full text here, meaning in `embeddings`
# with kind "sentence" and item_index = position).
sentences = sa.Table(
    "sentences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _article_id(index=False),
    sa.Column("position", sa.Integer, nullable=False),  # order in the article
    sa.Column("start", sa.Integer, nullable=False),  # character offsets into the article text
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.UniqueConstraint("article_id", "position"),
)


# Which tenants (workspaces, guilds) an article reached: through a channel's feed, a link
# someone there pasted, their own ingest. Chat reads only its tenant's articles; an article
# with no row is the operator's alone (the CLI, the console). See tenants.py.
article_tenants = sa.Table(
    "article_tenants",
    metadata,
    sa.Column("platform", sa.String(32), primary_key=True),
    sa.Column("workspace", sa.String(160), primary_key=True),
    _article_id(primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
)


def _channel_columns() -> list[sa.Column[str]]:
    return [
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(128), nullable=False),
    ]


def in_channel(table: sa.Table, where: Channel) -> sa.ColumnElement[bool]:
    """The rows of one channel, in a table with the channel columns."""
    return sa.and_(
        table.c.platform == where.platform,
        table.c.workspace == where.workspace,
        table.c.channel == where.channel,
    )


# The longest platform, workspace and channel ids a channel's rows hold (their columns' sizes).
CHANNEL_ID_LIMITS: dict[str, int] = {
    c.name: c.type.length
    for c in _channel_columns()
    if isinstance(c.type, sa.String) and c.type.length
}


class ChannelIdTooLong(NewsbriefError):
    """A channel named by an id longer than the store keeps."""


def channel_values(where: Channel) -> dict[str, str]:
    """The channel columns of a new row of `where`; ChannelIdTooLong for an id past its column's
    size (PostgreSQL refused the row with an internal error, SQLite stored it whole)."""
    values = {"platform": where.platform, "workspace": where.workspace, "channel": where.channel}
    for name, value in values.items():
        if len(value) > CHANNEL_ID_LIMITS[name]:
            raise ChannelIdTooLong(
                f"a {name} id of {len(value):,} characters is too long "
                f"(at most {CHANNEL_ID_LIMITS[name]})"
            )
    return values


def row_channel(row: Any) -> Channel:
    """The channel a row with the channel columns belongs to."""
    return Channel(str(row.platform), str(row.workspace), str(row.channel))


# What a channel (of a workspace, on a platform) follows: see channels.py.
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


# Feed polling state, one row per polled feed: see polls.py.
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


def include_schema_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's filter: full-text search objects are raw SQL of the migrations, not metadata
    (PostgreSQL's generated `tsv` and `topic_tsv` columns among them)."""
    return not (
        name
        and (
            name.startswith(("quotes_fts", "sentences_fts", "quote_topics_fts"))
            or name in ("ix_quotes_fts", "ix_sentences_fts", "ix_quotes_tsv", "ix_sentences_tsv")
            or (type_ == "column" and name in ("tsv", "topic_tsv"))
        )
    )
