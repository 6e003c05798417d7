"""The one time convention: aware UTC in code, ISO 8601 in text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from summaries.times import as_utc, iso, parse_iso
from summaries.types import NewsbriefError


def test_as_utc_takes_naive_times_as_utc_and_converts_aware_ones() -> None:
    assert as_utc(datetime(2024, 3, 5, 18, 30)) == datetime(2024, 3, 5, 18, 30, tzinfo=UTC)
    eastern = timezone(timedelta(hours=-5))
    converted = as_utc(datetime(2024, 3, 5, 18, 30, tzinfo=eastern))
    assert converted == datetime(2024, 3, 5, 23, 30, tzinfo=UTC)
    assert converted.tzinfo is UTC


def test_iso_writes_utc_with_its_offset_and_keeps_none() -> None:
    paris = timezone(timedelta(hours=2))
    assert iso(datetime(2024, 5, 1, 14, 0, tzinfo=paris)) == "2024-05-01T12:00:00+00:00"
    assert iso(datetime(2024, 5, 1, 12, 0)) == "2024-05-01T12:00:00+00:00"
    assert iso(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-01T12:00:00Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01T14:00:00+02:00", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        (" 2024-05-01 12:00 ", datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ],
)
def test_parse_iso_reads_dates_as_utc(raw: str, expected: datetime) -> None:
    parsed = parse_iso(raw)
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_parse_iso_refuses_what_is_not_a_date_with_the_text() -> None:
    with pytest.raises(NewsbriefError, match="yesterday-ish"):
        parse_iso("yesterday-ish")
