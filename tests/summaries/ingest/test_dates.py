"""Dates as sources write them, read as aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from summaries.ingest.dates import rfc822_datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 05 Mar 2024 18:30:00 -0500", datetime(2024, 3, 5, 23, 30, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 18:30:00", datetime(2024, 3, 5, 18, 30, tzinfo=UTC)),
        ("mer, 16 nov 2022 00:38:15 +0100", datetime(2022, 11, 15, 23, 38, 15, tzinfo=UTC)),
        ("Mo, 4. Mär. 2024 09:15 +0100", datetime(2024, 3, 4, 8, 15, tzinfo=UTC)),
        ("ven. 12 janv. 2024 10:00:00 +0000", datetime(2024, 1, 12, 10, 0, tzinfo=UTC)),
        ("12 Foo 2024 10:00", None),
        ("the day after tomorrow", None),
        ("", None),
        (None, None),
        ("Tue, 05 Mar 2024 18:30:00 GMT" + " " * 100, None),  # too long to be a date
    ],
)
def test_rfc822_datetime_reads_english_and_localised_month_names(
    value: str | None, expected: datetime | None
) -> None:
    assert rfc822_datetime(value) == expected
