"""JSON from outside (JSON Feeds, a page's JSON-LD), read so that no document can raise
anything but ValueError or cost more than its size."""

from __future__ import annotations

import json

# Python refuses to turn more digits than this into an int (CVE-2020-10735's limit is 4300).
_MAX_INT_DIGITS = 1000


def _int_or_digits(digits: str) -> int | str:
    """A JSON integer as an int, or as its digits when it is too long to be a number anyone
    means (an id, a timestamp): the document stays readable."""
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else digits


def loads(raw: bytes | str) -> object:
    """The JSON document in `raw`; raises ValueError (json.JSONDecodeError for bad syntax,
    UnicodeDecodeError for bytes that are not UTF-8) for every document it can't read,
    one nested too deeply for Python's parser included."""
    try:
        return json.loads(raw, parse_int=_int_or_digits)
    except RecursionError:
        raise ValueError("nested too deeply") from None
