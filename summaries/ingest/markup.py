"""Markup made safe to parse: lxml (libxml2) checks each attribute of a tag against the ones
before it, so a tag of tens of thousands of attributes costs time quadratic in them: one of
200,000 in a 3 MB page held the parser for minutes."""

from __future__ import annotations

import re

# Attributes of one tag past which it loses them all: real tags have a handful, an inline SVG
# path or a data- blob one long one; 256 cost the parser well under a millisecond.
MAX_ATTRIBUTES = 256
# Only tags at least this long are looked at: shorter ones can't hold MAX_ATTRIBUTES. The
# length is checked ahead, then the name and the rest are taken possessively: nothing is
# scanned twice from one "<" (a backtracking name rescanned the tag for each of its 40
# lengths: 1.8 s of CPU for 5 MB of 1000-character tags).
_LONG_TAG = re.compile(r"<(?=[^<>]{1001,}+>)([A-Za-z][A-Za-z0-9:-]{0,40}+)([^<>]*+)>")


def tame_tags(markup: str) -> str:
    """`markup` with every tag of more than MAX_ATTRIBUTES attributes stripped of them
    (`<p a0=x a1=x …>` becomes `<p>`); its text and every other tag are left as they are.
    Linear in the length of `markup`."""
    if "=" not in markup:
        return markup

    def tame(match: re.Match[str]) -> str:
        inside = match.group(2)
        if inside.count("=") <= MAX_ATTRIBUTES:
            return match.group(0)
        closing = "/" if inside.rstrip().endswith("/") else ""
        return f"<{match.group(1)}{closing}>"

    return _LONG_TAG.sub(tame, markup)
