"""Time in one convention: timezone-aware UTC datetimes in code, ISO 8601 in text."""

from __future__ import annotations

from datetime import UTC, datetime

from summaries.types import NewsbriefError


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """`value` in UTC; a naive datetime is taken to be UTC already (SQLite and many sources
    give UTC back without a zone)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 text of `value` in UTC (`2024-05-01T12:00:00+00:00`); None stays None."""
    return as_utc(value).isoformat() if value is not None else None


def parse_iso(raw: str) -> datetime:
    """ISO 8601 text (a trailing Z allowed) as UTC; a time without zone is taken as UTC.
    Raises NewsbriefError, with the text, when it is not a date."""
    try:
        value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise NewsbriefError(f"not an ISO 8601 date: {raw!r}") from None
    return as_utc(value)
