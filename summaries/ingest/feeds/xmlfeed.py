"""RSS 0.9x/1.0/2.0, RDF and Atom through feedparser, read into ParsedFeed."""

from __future__ import annotations

import io
import logging
import re
import time
import xml.sax
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from summaries.ingest.charsets import served_codec
from summaries.ingest.dates import rfc822_datetime
from summaries.ingest.feeds.entries import absolute, entry_id, is_absolute, paragraph_html, plain
from summaries.ingest.feeds.sniff import decode_head
from summaries.types import FeedEntry, FeedError, ParsedFeed

log = logging.getLogger(__name__)

_EMAIL_NAME_RE = re.compile(r"^[^\s@()<>]+@[^\s()<>]+\s*\((?P<name>[^()]+)\)$")
# The name runs to the first bracket (its trailing blanks are stripped after): possessive, so a
# long author field without an address is read once, not once per blank.
_NAME_EMAIL_RE = re.compile(r"^(?P<name>[^()<>]++)[(<][^\s@()<>]++@[^\s()<>]++[)>]$")
_ENTRY_OPEN_RE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(?:item|entry)[\s>/]")
_SPACE_RE = re.compile(r"\s+")
# A start or end tag (not a comment, declaration or processing instruction): its name, and
# whether it is an end tag or an empty one.
_HEAD_TAG_RE = re.compile(rb"<(/?)([A-Za-z_][\w.\-:]*+)(?:\s[^<>]*?)?(/?)>")
_ENTRY_CLOSE_RE = re.compile(rb"</(?:[A-Za-z_][\w.\-]*:)?(?:item|entry)\s*>")
# feedparser spends ~20-40 µs of CPU on each tag, raw or escaped ("&lt;p&gt;" in a description
# goes through its HTML sanitiser): a 5 MB description of tiny tags took half a minute. Real
# feeds hold a few hundred to some tens of thousands (50 entries of full HTML); past this many,
# only the entries that end before it are read (newest first in practice), ~4 s of CPU at most.
MAX_FEED_TAGS = 50_000
# A bare "&" (no entity reference follows) is counted as a tag too: XML has none, so a document
# holding one is read by feedparser's lenient parser, at ~3 µs of CPU each (2 MB of them: 5.7 s).
# A ">" outside a tag (raw or "&gt;", as text) counts as one too: in an entry's HTML feedparser
# hands each to its sanitiser as an entity, at ~2-5 µs (5 MB of "b>" after an element: 11.6 s;
# after an attribute whose quote is never closed, the same). One that ends a tag does not count.
_TAG_START_RE = re.compile(rb"<([A-Za-z_])?|(&lt;)|(>|&gt;)|(\]\]>)|&(?![#\w]{1,32};)")
# Each attribute of an element counts as a tag too: feedparser spends ~2-5 µs of CPU on each,
# in its XML and its lenient parser alike, and the bound of MAX_ATTRIBUTES on one element leaves
# the total unbounded (5 MB of elements of 128 attributes: 5 s of CPU; a tag whose quote is
# never closed, the lenient parser reads each word after it as an attribute: 5 MB, 10 s). One
# is a run of non-blanks after a blank, a quoted value in it taken whole (blanks and all) when
# its quote is closed, the quote alone when not: "a" and 'a="x y"' count one, 'a = "x"' three.
_ATTRIBUTE_TOKEN_RE = re.compile(rb"""[ \t\r\n]++(?:"[^"<]*+"|'[^'<]*+'|[^\s<>"']++|["'])++""")
# feedparser looks for an address in an RSS author (<author>, <dc:creator>, <itunes:author>...)
# with a pattern that is quadratic in a run of letters and digits: a 100k-character author took
# 70 s. Their text is cut to this many bytes before feedparser reads it: a little more than the
# label an author is shown as (MAX_LABEL characters), so a cut author is still shown cut ("…").
MAX_AUTHOR_BYTES = 320
# The pattern's cost is the square of each run of the characters an address is made of, so a
# feed of thousands of entries whose authors are 320 such characters each still took seconds
# (12,000 entries: 6.7 s of CPU). No name has a word this long, nor an address a part (RFC
# 5321: 64 for the part before the @): a longer run ends the author's text there, with "…".
MAX_AUTHOR_RUN = 64
_ADDRESS_RUN_RE = re.compile(rb"[A-Za-z0-9_.+\-]{%d}" % (MAX_AUTHOR_RUN + 1))
_AUTHOR_OPEN_RE = re.compile(
    rb"<(?:[A-Za-z_][\w.\-]*+:)?(?i:author|creator|publisher|managingEditor|webMaster)"
    rb"(?:\s[^<>]*+)?>(?:<!\[CDATA\[)?"
)
# feedparser reads an element's attributes through a lookup that scans them all, once per
# attribute: quadratic in one element's attributes (20,000 on one element took 3.5 s of CPU,
# 100,000 minutes). Real feeds put a dozen at most on an element (a root declares some twenty
# namespaces); a feed with an element of more than this many, namespace declarations included,
# is refused as malformed: 5 MB of elements of this many attributes each reads in 1.7 s.
MAX_ATTRIBUTES = 128
# An attribute as XML writes it, or as the lenient parser also reads it (a bare name, a value
# without quotes): that parser spends ~2.5 µs on each (a 5 MB tag of them: 6.6 s).
_ATTRIBUTE = rb"""\s++[^\s=<>"'/]++(?:\s*+=\s*+(?:"[^"<]*+"|'[^'<]*+'|[^\s<>"'=]++))?"""
# From a tag's start only: each tag's attributes are read once. Tags in CDATA are HTML text
# for the sanitiser, which reads their attributes in linear time: a CDATA section's start and
# end are matched too, to skip what is inside.
_ATTRIBUTE_RUN_RE = re.compile(
    rb"(<!\[CDATA\[)|(\]\]>)|<[A-Za-z_][^\s<>/]*+(?:%s){%d}" % (_ATTRIBUTE, MAX_ATTRIBUTES + 1)
)
# feedparser resolves each element's xml:base against the one it is in, and then every element's
# against that: its time is the number of elements times the length of the base in force, so a
# long xml:base (4 MB) over many elements, or thousands nested, took minutes (20,000 nested:
# 15 s). Real feeds write a few short ones (one on the feed, one per entry). When a document's
# xml:base values come to more than this many bytes, all are dropped: its relative links are then
# read against the feed's own address, as in a feed without them.
MAX_XML_BASE_BYTES = 50_000
_XML_BASE_RE = re.compile(rb"""(?<=\s)xml:base\s*+=\s*+(?:"[^"<]*+"|'[^'<]*+')""")
# An XML declaration naming a 16- or 32-bit encoding, written one byte per character (no BOM).
_WIDE_DECLARATION_RE = re.compile(
    rb"[ \t\r\n]*+<\?xml[^>]{0,200}?encoding\s*=\s*[\"']?(?i:utf|ucs)-?_?(?:16|32|2|4)"
)


def parse_xml_feed(raw: bytes, base_url: str | None, charset: str | None) -> ParsedFeed:
    """Read an RSS, RDF or Atom document; `charset` overrides its encoding declaration (one
    no document decodes with, such as "undefined" or "idna", is ignored: feedparser raised; so
    is one that can't be the bytes' own, such as UTF-16 for bytes without NULs)."""
    if served_codec(charset, raw) is None:
        charset = None
    if _declares_wide_encoding(raw):
        # "<?xml ... encoding='utf-16'?>" in one byte per character, without a BOM: the
        # declaration can't be true of the very bytes that spell it. Read them as UTF-8.
        charset = "utf-8" if charset is None or _is_wide(charset) else charset
    whole = len(raw)
    raw = _bounded(raw)
    cut = len(raw) < whole
    raw = _short_authors(raw)
    raw = _unclosed_comments_cut(raw)
    raw = _bounded_markup(raw)
    result = _feedparser(raw, base_url, charset)
    problem = None if cut and result.entries else _fatal_problem(result, raw)
    if problem:
        raise FeedError(problem)

    feed = result.feed
    self_link = _self_link(feed.get("links", ()))
    site = absolute(feed.get("link"), base_url or self_link)
    # Relative entry links are relative to the site (the feed's <link>) first, as a feed served
    # from feeds.example.net about example.com means example.com/post by "/post".
    base = site or base_url or self_link
    if base and base != base_url and _needs_rebase(result.entries, base_url, base):
        result = _feedparser(raw, base, charset)

    warning = _warning(result, raw) if result.get("bozo") else None
    if cut:
        warning = (
            f"feed too large: read its first {len(result.entries)} entries, "
            f"those ending before its {MAX_FEED_TAGS:,}th tag"
        )
    # feedparser takes an Atom <id> as the link when there is none, but an Atom id is a name,
    # not an address (unlike an RSS guid, which is a permalink unless it says otherwise).
    id_is_link = not str(result.get("version", "")).startswith("atom")
    entries = tuple(_xml_entry(e, base, id_is_link) for e in result.entries)
    return ParsedFeed(
        title=_text_of(feed.get("title_detail")) or plain(feed.get("title")),
        link=site,
        entries=entries,
        warning=warning,
    )


def _bounded_markup(raw: bytes) -> bytes:
    """`raw` refused when an element holds more than MAX_ATTRIBUTES attributes, and without its
    xml:base attributes when they come to more than MAX_XML_BASE_BYTES (see both)."""
    in_cdata = False
    for match in _ATTRIBUTE_RUN_RE.finditer(raw):
        if match.group(1) or match.group(2):
            in_cdata = bool(match.group(1))
        elif not in_cdata:
            raise FeedError(
                f"malformed feed: an element with more than {MAX_ATTRIBUTES} attributes"
            )
    if b"xml:base" in raw:
        bases = sum(len(m.group()) for m in _XML_BASE_RE.finditer(raw))
        if bases > MAX_XML_BASE_BYTES:
            log.info("dropped the xml:base attributes of a feed (%d bytes of them)", bases)
            return _XML_BASE_RE.sub(b"", raw)
    return raw


def _declares_wide_encoding(raw: bytes) -> bool:
    """Whether an 8-bit document's XML declaration names UTF-16 or UTF-32."""
    match = _WIDE_DECLARATION_RE.match(raw)
    return match is not None


def _is_wide(charset: str) -> bool:
    return charset.strip().lower().replace("-", "").replace("_", "").startswith(("utf16", "utf32"))


def _bounded(raw: bytes, limit: int = MAX_FEED_TAGS) -> bytes:
    """`raw` cut after the last entry that ends before its `limit`-th tag (raw or escaped, a bare
    "&", an attribute of an element or a ">" outside a tag).

    A document under the limit comes back whole. Past it, the cut document reads as a truncated
    one whose entries are all complete; one whose first entry alone holds too many tags is
    refused.
    """
    marks = sum(raw.count(c) for c in (b"<", b"&", b">", b" ", b"\t", b"\n", b"\r"))
    if marks <= limit or _nth_tag_end(raw, limit + 1) == len(raw):
        return raw  # every character a tag, an attribute or a text ">" can start with, then those
    end = _nth_tag_end(raw, limit)
    last = max(
        (m for m in _ENTRY_CLOSE_RE.finditer(raw, 0, end)), key=lambda m: m.end(), default=None
    )
    if last is None:
        raise FeedError(
            f"feed too large: its first entry holds more than {limit:,} tags and attributes"
        )
    return raw[: last.end()] + _closing_tags(raw[: last.end()])


def _closing_tags(raw: bytes) -> bytes:
    """The end tags of the elements that hold the first entry (`</channel></rss>`), so that a
    document cut after an entry is whole XML again: feedparser reads a broken document a second
    time with its lenient parser, which doubled the time a cut feed took. Found by a scan of the
    tags before the first entry; when that scan is wrong (a "<" inside CDATA, say), the cut
    document is merely broken, as it was before, and read leniently."""
    first = _ENTRY_OPEN_RE.search(raw)
    if first is None:
        return b""
    stack: list[bytes] = []
    for tag in _HEAD_TAG_RE.finditer(raw, 0, first.start()):
        closing, name, empty = tag.group(1, 2, 3)
        if closing:
            if stack and stack[-1] == name:  # any other end tag: the XML is broken anyway
                stack.pop()
        elif not empty:
            stack.append(name)
    return b"".join(b"</" + name + b">" for name in reversed(stack))


def _short_authors(raw: bytes, limit: int = MAX_AUTHOR_BYTES) -> bytes:
    """`raw` with the text of each author element cut to `limit` bytes (at a character's start
    in UTF-8), or where a run of more than MAX_AUTHOR_RUN address characters starts to go past
    it; a document without such an author comes back as it is."""
    pieces = []
    done = 0
    for match in _AUTHOR_OPEN_RE.finditer(raw):
        start = match.end()
        if start < done:
            continue
        cdata = match.group().endswith(b"[CDATA[")
        stop = raw.find(b"]]>" if cdata else b"<", start)
        stop = len(raw) if stop < 0 else stop
        run = _ADDRESS_RUN_RE.search(raw, start, min(stop, start + limit))
        if run is not None:
            # An entity for the "…", so that it reads the same in any encoding (CDATA holds
            # no entities: there the text just ends).
            pieces += [raw[done : run.start() + MAX_AUTHOR_RUN], b"" if cdata else b"&#8230;"]
            done = stop
            continue
        if stop - start <= limit:
            continue
        keep = start + limit
        while keep > start and raw[keep] & 0xC0 == 0x80:  # not inside a UTF-8 character
            keep -= 1
        pieces += [raw[done:keep]]
        done = stop
    return b"".join([*pieces, raw[done:]]) if pieces else raw


# feedparser's HTML sanitiser (sgmllib) looks for the end of each HTML comment an entry's text
# opens, to the end of that text: one opened and never closed costs a scan of the rest, so an
# entry of 49,900 escaped "<!--" took 7 s of CPU (16 s when read twice). A comment never closed
# hides the rest of its text (as in a browser, and as the sanitiser had it): that rest is cut
# before feedparser reads it. Each run of text (escaped markup between two tags, or a CDATA
# section) is looked at apart.
_TEXT_RUN_RE = re.compile(rb"<!\[CDATA\[(.*?)\]\]>|>([^<]++)", re.DOTALL)
_COMMENT_CLOSE_RE = re.compile(rb"--\s*+(?:>|&gt;)")


def _unclosed_comments_cut(raw: bytes) -> bytes:
    """`raw` with each run of text cut where it opens an HTML comment that no comment end
    follows ("&lt;!--" escaped, "<!--" in CDATA); unchanged when there is none."""
    if b"!--" not in raw:
        return raw
    pieces: list[bytes] = []
    done = 0
    for run in _TEXT_RUN_RE.finditer(raw):
        cdata = run.group(1) is not None
        start, end = run.span(1 if cdata else 2)
        last_close = start
        for close in _COMMENT_CLOSE_RE.finditer(raw, start, end):
            last_close = close.end()
        opened = raw.find(b"<!--" if cdata else b"&lt;!--", last_close, end)
        if opened >= 0:
            pieces.append(raw[done:opened])
            done = end
    return b"".join([*pieces, raw[done:]]) if pieces else raw


def _nth_tag_end(raw: bytes, n: int) -> int:
    """The offset of the `n`-th "<", "&lt;", bare "&", attribute of an element or ">" (or "&gt;")
    outside a tag in `raw`; its length when it holds fewer. At most `n` steps of Python (and the
    ends of tags), whatever `raw` holds."""
    count = 0
    in_tag = False  # after a "<" or "&lt;" whose ">" or "&gt;" has not come yet
    for match in _TAG_START_RE.finditer(raw):
        if match.group(4):  # a CDATA section's end
            in_tag = False
            continue
        if match.group(3):  # ">" or "&gt;": a tag's end, else text
            if in_tag:
                in_tag = False
                continue
        elif match.group(2) or raw[match.start()] == 0x3C:  # "<" or "&lt;"
            in_tag = True
        count += 1
        if count >= n:
            return match.start()
        if match.group(1) is None:
            continue
        # An element's start: its name, then its attributes, to a ">", "/" or "<".
        name = _NAME_RE.match(raw, match.end())
        pos = name.end() if name else match.end()
        while (token := _ATTRIBUTE_TOKEN_RE.match(raw, pos)) is not None:
            count += 1
            if count >= n:
                return token.start()
            pos = token.end()
    return len(raw)


_NAME_RE = re.compile(rb"[^\s<>/\"'=]*+")


def _feedparser(raw: bytes, base: str | None, charset: str | None) -> Any:
    # Always a Content-Type, as a server would send: without one feedparser warns "no
    # Content-type specified" and reads an undeclared encoding as Latin-1. The media type is
    # XML whatever the server said: sniffing found a feed, and RFC 3023's US-ASCII default for
    # text/xml would turn every accent into a warning.
    headers = {
        "content-type": f"application/xml; charset={charset}" if charset else "application/xml"
    }
    if base:
        headers["content-location"] = base
    try:
        # A stream, never bytes or str: feedparser opens a str or bytes naming a URL or a file.
        return feedparser.parse(io.BytesIO(raw), response_headers=headers)
    except Exception as exc:
        # feedparser has corners where bad input raises (a surrogate character reference raises
        # UnicodeEncodeError): that is a broken document, not a bug of ours.
        log.debug("feedparser raised on a document", exc_info=True)
        raise FeedError(f"malformed feed: {type(exc).__name__}: {_exception_text(exc)}") from None


def _fatal_problem(result: Any, raw: bytes) -> str | None:
    """Why a feedparser result is not a usable feed, or None when it is."""
    exc = result.get("bozo_exception") if result.get("bozo") else None
    if isinstance(exc, xml.sax.SAXParseException):
        message = exc.getMessage()
        # Expat raises these only at the end of input: the document stops early. Entries read
        # before a cut inside an entry are fine, but the cut one is not, nor is a feed with none.
        if _is_truncation(message) and (not result.entries or _ends_inside_entry(raw)):
            return f"malformed XML at line {_line(exc, raw)}: {message} (truncated document)"
    if result.entries:
        return None
    if exc is not None:
        if isinstance(exc, xml.sax.SAXParseException):
            return f"malformed XML at line {_line(exc, raw)}: {exc.getMessage()}"
        if isinstance(
            exc, feedparser.CharacterEncodingOverride | feedparser.CharacterEncodingUnknown
        ):
            return f"unreadable character encoding: {_exception_text(exc)}"
        return f"malformed feed: {_exception_text(exc)}"
    if not result.get("version"):
        return "not a feed: no RSS, RDF or Atom elements found"
    return None


def _is_truncation(message: str) -> bool:
    return message in ("no element found", "unclosed token") or "unclosed CDATA" in message


def _ends_inside_entry(raw: bytes) -> bool:
    """Whether the last <item> or <entry> opened in `raw` is never closed."""
    last_close = max(raw.rfind(b"</item>"), raw.rfind(b"</entry>"), raw.rfind(b":item>"))
    last_close = max(last_close, raw.rfind(b":entry>"))
    return _ENTRY_OPEN_RE.search(raw, max(last_close, 0)) is not None


def _line(exc: xml.sax.SAXParseException, raw: bytes) -> int:
    """The error's line in the document as given, not in feedparser's re-encoded copy."""
    head = decode_head(raw[:64]) or ""
    # feedparser puts an XML declaration and a newline before a document that lacks one.
    added = 0 if head.startswith("<?xml") else 1
    return max(1, (exc.getLineNumber() or 1) - added)


def _warning(result: Any, raw: bytes) -> str:
    exc = result.get("bozo_exception")
    if isinstance(exc, xml.sax.SAXParseException):
        where = f"malformed XML at line {_line(exc, raw)}: {exc.getMessage()}"
    else:
        where = _exception_text(exc)
    return f"{where}; read leniently"


def _exception_text(exc: object) -> str:
    text = _SPACE_RE.sub(" ", str(exc)).strip()
    return text[:200] or type(exc).__name__


def _needs_rebase(entries: Iterable[Any], first_base: str | None, base: str) -> bool:
    """Whether entry links were (or could have been) resolved against the wrong base."""
    first_origin = _origin(first_base) if first_base else None
    if first_origin == _origin(base):
        return False
    for entry in entries:
        link = entry.get("link")
        if not link:
            continue
        if not is_absolute(link):
            return True
        if first_origin and _origin(link) == first_origin:
            return True
    return False


def _xml_entry(entry: Any, base: str | None, id_is_link: bool) -> FeedEntry:
    title = _text_of(entry.get("title_detail")) or plain(entry.get("title"))
    raw_link = entry.get("link") if id_is_link else _link_element(entry)
    link = absolute(raw_link, base)
    published = (
        _struct_to_datetime(entry.get("published_parsed"))
        or rfc822_datetime(entry.get("published"))
        or _struct_to_datetime(entry.get("updated_parsed"))
        or rfc822_datetime(entry.get("updated"))
    )
    content_html = _content_html(entry.get("content"))
    summary = _text_of(entry.get("summary_detail")) or plain(entry.get("summary"))
    author = _author_name(entry.get("author")) or plain(
        (entry.get("author_detail") or {}).get("name")
    )
    return FeedEntry(
        id=entry_id(entry.get("id"), raw_link, title, published, summary),
        link=link,
        title=title,
        author=author,
        published=published,
        summary=summary,
        content_html=content_html,
    )


def _author_name(value: str | None) -> str | None:
    """The name in "editor@example.com (Name)", "Name (editor@example.com)" or "Name <e@x>"."""
    text = plain(value)
    if not text:
        return None
    # Done here rather than with feedparser's author_detail, which mangles non-ASCII names.
    match = _EMAIL_NAME_RE.match(text) or _NAME_EMAIL_RE.match(text)
    return match.group("name").strip() if match else text


def _link_element(entry: Any) -> str | None:
    """The entry's link from its <link> elements only: feedparser's pick, else an alternate."""
    hrefs = [link.get("href") for link in entry.get("links", ()) if link.get("href")]
    if entry.get("link") in hrefs:
        return str(entry["link"])
    for link in entry.get("links", ()):
        if link.get("href") and link.get("rel", "alternate") == "alternate":
            return str(link["href"])
    return None


def _content_html(contents: Any) -> str | None:
    """The fullest HTML content of an entry (content:encoded, atom:content)."""
    best: str | None = None
    for content in contents or ():
        value = content.get("value") or ""
        if not value.strip():
            continue
        kind = (content.get("type") or "").lower()
        if "html" not in kind:
            value = paragraph_html(value)
        if best is None or len(value) > len(best):
            best = value
    return best


def _self_link(links: Iterable[Mapping[str, Any]]) -> str | None:
    for link in links:
        href = link.get("href")
        if link.get("rel") == "self" and href and is_absolute(href):
            return str(href)
    return None


def _text_of(detail: Mapping[str, Any] | None) -> str | None:
    """Plain text of a feedparser text construct (title_detail, summary_detail)."""
    if not detail:
        return None
    return plain(detail.get("value"))


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    """A feedparser date (a struct_time already normalised to UTC) as an aware datetime."""
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, TypeError, OverflowError):
        return None


def _origin(link: str | None) -> tuple[str, str] | None:
    if not link:
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    return parts.scheme.lower(), parts.netloc.lower()
