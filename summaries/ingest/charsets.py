"""Which charset names may decode a document: the name a server or a page gives is outside
input, and Python's codec registry holds far more than text encodings."""

from __future__ import annotations

import codecs


def text_codec(name: str | None) -> str | None:
    """The codec for a charset label, or None for one no document can be decoded with:
    unknown names, Python's non-text codecs ("rot13", "base64", "hex"), host-name codecs
    ("idna" and "punycode", which have no "replace"), and "undefined" (which refuses every
    byte); decoding with any of those raised instead of replacing what it can't read."""
    if not name or not name.isascii():
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'"))
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None
    codec = info.name
    if not getattr(info, "_is_text_encoding", True) or codec in {"idna", "punycode"}:
        return None
    try:
        b"<p>\xff".decode(codec, errors="replace")
    except (UnicodeError, LookupError, TypeError):  # a codec that can't replace what it can't read
        return None
    return codec
