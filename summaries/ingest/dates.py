"""Dates as sources write them, read as timezone-aware UTC datetimes."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta

from summaries.times import utc_or_none

_LOCAL_DATE_RE = re.compile(
    r"(\d{1,2})\.?\s+([^\W\d_]{3,10})\.?\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4})?"
)
# Month names by their first three (or, where French needs it, four) letters: English and the
# Italian, German, French, Spanish, Portuguese and Dutch ones; feedparser knows only English.
_MONTHS = {
    "jan": 1, "gen": 1, "ene": 1, "jän": 1, "janv": 1,
    "feb": 2, "fév": 2, "fev": 2,
    "mar": 3, "mär": 3, "mrz": 3, "mrt": 3,
    "apr": 4, "abr": 4, "avr": 4,
    "may": 5, "mag": 5, "mai": 5, "mei": 5,
    "jun": 6, "giu": 6, "juin": 6,
    "jul": 7, "lug": 7, "juil": 7,
    "aug": 8, "ago": 8, "aoû": 8,
    "sep": 9, "set": 9,
    "oct": 10, "ott": 10, "okt": 10, "out": 10,
    "nov": 11,
    "dec": 12, "dic": 12, "dez": 12, "déc": 12,
}  # fmt: skip


def rfc822_datetime(value: str | None) -> datetime | None:
    """An RFC 822 date, also one with Italian, German, French... month names; None if none."""
    if not value or len(value) > 100:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is None:
        parsed = _localised_rfc822(value)
    if parsed is None:
        return None
    return utc_or_none(parsed)


def _localised_rfc822(value: str) -> datetime | None:
    match = _LOCAL_DATE_RE.search(value)
    if not match:
        return None
    day, month_name, year, hour, minute, second, zone = match.groups()
    name = month_name.lower()
    month = _MONTHS.get(name[:4]) or _MONTHS.get(name[:3])
    if month is None:
        return None
    offset = timedelta(0)
    if zone and zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    try:
        naive = datetime(int(year), month, int(day), int(hour), int(minute), int(second or 0))
        return (naive - offset).replace(tzinfo=UTC)
    except (ValueError, OverflowError):  # no such day, or out of range once in UTC
        return None
