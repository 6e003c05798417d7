"""Telling a feed from a page: what the start of a document is (RSS, Atom, JSON Feed, HTML...)."""

from __future__ import annotations

import re

from summaries.ingest.binary import binary_kind

# How much of a document the sniffer looks at: enough for a long prolog, cheap on any input.
_SNIFF_BYTES = 64 * 1024

_FEED_CONTENT_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
)
_FEED_ROOTS = {"rss", "rdf", "feed", "channel"}  # "channel": Netscape RSS 0.9x without <rss>
_NAME_RE = re.compile(r"<([A-Za-z_][\w.\-]*)(?::([A-Za-z_][\w.\-]*))?")


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Whether `data` looks like an RSS, RDF, Atom or JSON feed rather than an HTML page.

    Looks only at the start of the document; the Content-Type decides only when that start is
    inconclusive, since servers label feeds text/html or text/xml as often as not.
    """
    kind, _ = classify(data)
    if kind in ("xml-feed", "json-feed"):
        return True
    if kind == "unknown":
        mime = content_type.split(";", 1)[0].strip().lower()
        return mime in _FEED_CONTENT_TYPES
    return False


def classify(data: bytes) -> tuple[str, str]:
    """Classify the start of a document: (kind, root element name).

    Kinds: empty, binary, text, html, json-feed, json, xml-feed, other-xml, unknown.
    """
    head = decode_head(data[:_SNIFF_BYTES])
    if head is None or binary_kind(data) is not None:
        return "binary", ""
    text = head.lstrip()
    if not text:
        return "empty", ""
    if text[0] in "{[":
        if "jsonfeed.org/version/" in text:
            return "json-feed", ""
        return "json", ""
    if "<" not in text:
        return ("text" if len(data) <= _SNIFF_BYTES else "unknown"), ""
    pos = 0
    doctype_html = False
    while True:
        pos = _skip_space(text, pos)
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
        elif text[pos : pos + 9].upper() == "<!DOCTYPE":
            end = _doctype_end(text, pos)
            doctype_html = text[pos + 9 : pos + 15].strip().lower().startswith("html")
        else:
            break
        if end < 0:  # the prolog runs past what we looked at
            return ("empty" if len(data) <= _SNIFF_BYTES else "unknown"), ""
        pos = text.find(">", end) + 1
    if pos >= len(text):
        return ("empty" if len(data) <= _SNIFF_BYTES else "unknown"), ""
    match = _NAME_RE.match(text, pos)
    if not match:
        if doctype_html or text[:2048].lower().find("<html") >= 0:
            return "html", ""
        return "unknown", ""
    name = (match.group(2) or match.group(1)).lower()
    if name in _FEED_ROOTS:
        return "xml-feed", name
    if name in ("html", "head", "body") or doctype_html:
        return "html", name
    return "other-xml", match.group(0)[1:]


def decode_head(head: bytes) -> str | None:
    """Decode enough of the start of a document to find its root; None when it is binary."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace")
    stripped = head.lstrip(b" \t\r\n")
    if stripped[:2] == b"<\x00" or stripped[:2] == b"{\x00":
        return stripped.decode("utf-16-le", errors="replace")
    if stripped[:2] == b"\x00<" or stripped[:2] == b"\x00{":
        return stripped.decode("utf-16-be", errors="replace")
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 13))
    if b"\x00" in sample or controls > len(sample) // 20:
        return None
    # Latin-1 never fails and keeps ASCII markup where it is, whatever the real encoding.
    return head.decode("latin-1")


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _doctype_end(text: str, pos: int) -> int:
    """Index of the ">" that closes a DOCTYPE, past any internal subset."""
    bracket = text.find("[", pos)
    close = text.find(">", pos)
    if 0 <= bracket < close:
        end = text.find("]", bracket)
        return -1 if end < 0 else text.find(">", end)
    return close
