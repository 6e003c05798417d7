"""Which charset names may decode a document: the name a server or a page gives is outside
input, and Python's codec registry holds far more than text encodings."""

from __future__ import annotations

import codecs
import functools


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


def served_codec(name: str | None, data: bytes) -> str | None:
    """The codec of a charset a server names for `data`, or None when no document decodes with
    it (text_codec) or it can't be the bytes' own: a 16- or 32-bit charset for bytes with no NUL
    in their first kilobyte (markup in those has one in every ASCII character), and a charset
    that does not read ASCII as ASCII (EBCDIC, UTF-7, HZ; no browser reads a page in one). A
    misconfigured server's UTF-16 for an ASCII page turned every two letters into one CJK
    character, and refused such a feed as malformed XML."""
    codec = text_codec(name)
    if codec is None:
        return None
    if is_wide(codec):
        return codec if b"\0" in data[:1024] else None
    return codec if ascii_compatible(codec) else None


def is_wide(codec: str) -> bool:
    """Whether a codec (codecs.lookup's name) is UTF-16 or UTF-32."""
    return codec.replace("_", "-").startswith(("utf-16", "utf-32"))


_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


@functools.lru_cache(maxsize=256)
def ascii_compatible(codec: str) -> bool:
    """Whether a codec reads printable ASCII bytes as those characters."""
    try:
        return _ASCII.decode(codec, errors="replace") == _ASCII.decode("ascii")
    except (UnicodeError, LookupError, TypeError):
        return False
