"""Time in one convention: timezone-aware UTC datetimes in code, ISO 8601 in text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from summaries.types import NewsbriefError


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """`value` in UTC; a naive datetime is taken to be UTC already (SQLite and many sources
    give UTC back without a zone)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_or_none(value: datetime) -> datetime | None:
    """`value` in UTC, or None when UTC can't hold it: a date a source wrote near the ends of
    the calendar (`9999-12-31T23:00-05:00`, `0001-01-01T00:00+05:00`) falls outside the years
    1-9999 once moved to UTC. Every date read from outside goes through here, not `as_utc`."""
    try:
        return as_utc(value)
    except (OverflowError, ValueError):
        return None


# How far ahead of now a source's date may be and still be believed: clocks and time zones
# are wrong by hours, not by a day. Past it, a date is a typo or a way to stay on top.
FUTURE_SLACK = timedelta(days=1)


def believable(value: datetime | None, now: datetime | None = None) -> datetime | None:
    """`value`, or None when it lies more than FUTURE_SLACK ahead of `now`: an article dated
    2099 would stay the newest story, the first quote, of every list ordered by date."""
    if value is None or as_utc(value) <= (now or utcnow()) + FUTURE_SLACK:
        return value
    return None


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
    utc = utc_or_none(value)
    if utc is None:
        raise NewsbriefError(f"date out of range: {raw!r}")
    return utc
