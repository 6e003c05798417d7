"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1 by hand."""

from __future__ import annotations

import email.utils
import hashlib
import html
import io
import json
import logging
import re
import time
import xml.sax
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html  # type: ignore[import-untyped, unused-ignore]
from lxml import etree  # type: ignore[import-untyped, unused-ignore]
from lxml_html_clean import Cleaner

from summaries.types import FeedEntry, FeedError, ParsedFeed

log = logging.getLogger(__name__)

__all__ = ["looks_like_feed", "parse"]

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
_JSONFEED_VERSION = "https://jsonfeed.org/version/"
_EMAIL_NAME_RE = re.compile(r"^[^\s@()<>]+@[^\s()<>]+\s*\((?P<name>[^()]+)\)$")
_NAME_EMAIL_RE = re.compile(r"^(?P<name>[^()<>]+?)\s*[(<][^\s@()<>]+@[^\s()<>]+[)>]$")
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
_ENTRY_OPEN_RE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(?:item|entry)[\s>/]")

# Tag-like text left in a "plain" field; `[^<>]` keeps the scan linear on a run of unclosed "<".
_TAG_RE = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
_ENTITY_RE = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE_RE = re.compile(r"\s+")
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "head")
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_SAFE_SCHEMES = ("http", "https")
# lxml.html's fragment parser asserts on some inputs (a whole page with a doctype) and refuses
# strings with characters XML cannot hold.
_LXML_ERRORS = (etree.LxmlError, ValueError, AssertionError)

_cleaner = Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=True,
    inline_style=True,
    embedded=True,
    forms=True,
    frames=True,
    meta=True,
    page_structure=True,
    processing_instructions=True,
    remove_unknown_tags=False,
    safe_attrs_only=True,
)


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Whether `data` looks like an RSS, RDF, Atom or JSON feed rather than an HTML page.

    Looks only at the start of the document; the Content-Type decides only when that start is
    inconclusive, since servers label feeds text/html or text/xml as often as not.
    """
    kind, _ = _sniff(data)
    if kind in ("xml-feed", "json-feed"):
        return True
    if kind == "unknown":
        mime = content_type.split(";", 1)[0].strip().lower()
        return mime in _FEED_CONTENT_TYPES
    return False


def parse(data: bytes | str, *, url: str | None = None) -> ParsedFeed:
    """Parse a feed document; `url` is where it came from, the base for relative links.

    Raises FeedError naming the problem when the document is not a usable feed. A sloppy
    feed that is still readable is returned with `warning` set.
    """
    if isinstance(data, str):
        raw = data.encode("utf-8")
        # A str is already decoded: tell feedparser so it ignores any encoding declaration.
        charset: str | None = "utf-8"
    else:
        raw = bytes(data)
        charset = None
    base_url = url if url and _is_absolute(url) else None

    kind, detail = _sniff(raw)
    if kind == "empty":
        raise FeedError("empty document")
    if kind == "binary":
        raise FeedError("not a feed: binary data")
    if kind == "html":
        raise FeedError("not a feed: looks like an HTML page")
    if kind in ("json-feed", "json"):
        return _parse_json_feed(raw, base_url)
    if kind == "text":
        raise FeedError("not a feed: plain text without markup")
    if kind == "other-xml":
        raise FeedError(f"not a feed: root element <{detail}> is not RSS, RDF or Atom")
    return _parse_xml_feed(raw, base_url, charset)


# --- sniffing ---------------------------------------------------------------------------------


def _sniff(data: bytes) -> tuple[str, str]:
    """Classify the start of a document: (kind, root element name).

    Kinds: empty, binary, text, html, json-feed, json, xml-feed, other-xml, unknown.
    """
    head = _decode_head(data[:_SNIFF_BYTES])
    if head is None:
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


def _decode_head(head: bytes) -> str | None:
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


# --- RSS / RDF / Atom -------------------------------------------------------------------------


def _parse_xml_feed(raw: bytes, base_url: str | None, charset: str | None) -> ParsedFeed:
    result = _feedparser(raw, base_url, charset)
    problem = _fatal_problem(result, raw)
    if problem:
        raise FeedError(problem)

    feed = result.feed
    self_link = _self_link(feed.get("links", ()))
    site = _absolute(feed.get("link"), base_url or self_link)
    # Relative entry links are relative to the site (the feed's <link>) first, as a feed served
    # from feeds.example.net about example.com means example.com/post by "/post".
    base = site or base_url or self_link
    if base and base != base_url and _needs_rebase(result.entries, base_url, base):
        result = _feedparser(raw, base, charset)

    warning = _warning(result, raw) if result.get("bozo") else None
    # feedparser takes an Atom <id> as the link when there is none, but an Atom id is a name,
    # not an address (unlike an RSS guid, which is a permalink unless it says otherwise).
    id_is_link = not str(result.get("version", "")).startswith("atom")
    entries = tuple(_xml_entry(e, base, id_is_link) for e in result.entries)
    return ParsedFeed(
        title=_text_of(feed.get("title_detail")) or _plain(feed.get("title")),
        link=site,
        entries=entries,
        warning=warning,
    )


def _feedparser(raw: bytes, base: str | None, charset: str | None) -> Any:
    headers: dict[str, str] = {}
    if base:
        headers["content-location"] = base
    if charset:
        headers["content-type"] = f"application/xml; charset={charset}"
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
    head = _decode_head(raw[:64]) or ""
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
        if not _is_absolute(link):
            return True
        if first_origin and _origin(link) == first_origin:
            return True
    return False


def _xml_entry(entry: Any, base: str | None, id_is_link: bool) -> FeedEntry:
    title = _text_of(entry.get("title_detail")) or _plain(entry.get("title"))
    raw_link = entry.get("link") if id_is_link else _link_element(entry)
    link = _absolute(raw_link, base)
    published = (
        _struct_to_datetime(entry.get("published_parsed"))
        or _loose_datetime(entry.get("published"))
        or _struct_to_datetime(entry.get("updated_parsed"))
        or _loose_datetime(entry.get("updated"))
    )
    content_html = _content_html(entry.get("content"))
    summary = _text_of(entry.get("summary_detail")) or _plain(entry.get("summary"))
    author = _author_name(entry.get("author")) or _plain(
        (entry.get("author_detail") or {}).get("name")
    )
    return FeedEntry(
        id=_entry_id(entry.get("id"), raw_link, title, published, summary),
        link=link,
        title=title,
        author=author,
        published=published,
        summary=summary,
        content_html=content_html,
    )


def _author_name(value: str | None) -> str | None:
    """The name in "editor@example.com (Name)", "Name (editor@example.com)" or "Name <e@x>"."""
    text = _plain(value)
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
            value = "<p>" + html.escape(value) + "</p>"
        if best is None or len(value) > len(best):
            best = value
    return best


def _self_link(links: Iterable[Mapping[str, Any]]) -> str | None:
    for link in links:
        href = link.get("href")
        if link.get("rel") == "self" and href and _is_absolute(href):
            return str(href)
    return None


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    """A feedparser date (a struct_time already normalised to UTC) as an aware datetime."""
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, TypeError, OverflowError):
        return None


def _loose_datetime(value: str | None) -> datetime | None:
    """An RFC 822 date feedparser missed, such as one with Italian or German month names."""
    if not value or len(value) > 100:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        parsed = _localised_rfc822(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


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
    except ValueError:
        return None
    return (naive - offset).replace(tzinfo=UTC)


# --- JSON Feed --------------------------------------------------------------------------------


def _parse_json_feed(raw: bytes, base_url: str | None) -> ParsedFeed:
    try:
        doc = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise FeedError(f"malformed JSON: not UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise FeedError(f"malformed JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise FeedError("malformed JSON: nested too deeply") from None
    if not isinstance(doc, dict):
        raise FeedError("not a feed: JSON document is not an object")
    version = doc.get("version")
    if not isinstance(version, str) or not version.startswith(_JSONFEED_VERSION):
        raise FeedError("not a feed: JSON without a jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed has no items list")

    site = _absolute(_str(doc.get("home_page_url")), base_url)
    feed_url = _absolute(_str(doc.get("feed_url")), base_url)
    base = site or base_url or feed_url
    feed_author = _json_author(doc)
    entries = tuple(
        _json_entry(item, base, feed_author) for item in items if isinstance(item, dict)
    )
    skipped = len(items) - len(entries)
    return ParsedFeed(
        title=_plain(_str(doc.get("title"))),
        link=site,
        entries=entries,
        warning=f"{skipped} items are not JSON objects; skipped" if skipped else None,
    )


def _json_entry(item: dict[str, Any], base: str | None, feed_author: str | None) -> FeedEntry:
    title = _plain(_str(item.get("title")))
    raw_link = _str(item.get("url")) or _str(item.get("external_url"))
    published = _iso_datetime(_str(item.get("date_published"))) or _iso_datetime(
        _str(item.get("date_modified"))
    )
    content_html = _clean_html(_str(item.get("content_html")), base)
    summary = _plain(_str(item.get("summary")))
    if summary is None and content_html is None:
        summary = _plain(_str(item.get("content_text")))
    if content_html is None and _str(item.get("content_text")):
        content_html = "<p>" + html.escape(_str(item.get("content_text")) or "") + "</p>"
    raw_id = item.get("id")
    return FeedEntry(
        id=_entry_id(
            str(raw_id) if isinstance(raw_id, str | int) and str(raw_id) else None,
            raw_link,
            title,
            published,
            summary,
        ),
        link=_absolute(raw_link, base),
        title=title,
        author=_json_author(item) or feed_author,
        published=published,
        summary=summary,
        content_html=content_html,
    )


def _json_author(obj: dict[str, Any]) -> str | None:
    """The names of JSON Feed 1.1 `authors`, else of the 1.0 `author`."""
    people = obj.get("authors")
    if not isinstance(people, list):
        people = [obj.get("author")]
    names = [_plain(_str(p.get("name"))) for p in people if isinstance(p, dict)]
    joined = ", ".join(n for n in names if n)
    return joined or None


def _iso_datetime(value: str | None) -> datetime | None:
    """An RFC 3339 date as aware UTC; a date without a zone is taken as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return _loose_datetime(value)  # feeds in the wild put RFC 822 dates here too
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _clean_html(fragment: str | None, base: str | None) -> str | None:
    """Sanitised HTML with links made absolute, as feedparser does for XML feeds."""
    if not fragment or not fragment.strip():
        return None
    try:
        root = lxml.html.fragment_fromstring(_CONTROL_RE.sub("", fragment), create_parent="div")
        if base:
            root.make_links_absolute(base, resolve_base_href=False)
        cleaned = _cleaner.clean_html(root)
    except _LXML_ERRORS:
        return html.escape(_html_to_text(fragment))
    parts = [html.escape(cleaned.text or "", quote=False)]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in cleaned]
    return "".join(parts).strip() or None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


# --- text and links ---------------------------------------------------------------------------


def _text_of(detail: Mapping[str, Any] | None) -> str | None:
    """Plain text of a feedparser text construct (title_detail, summary_detail)."""
    if not detail:
        return None
    return _plain(detail.get("value"))


def _plain(value: str | None) -> str | None:
    """Plain text of a field that may hold HTML: no tags, scripts or entities; spaces collapsed."""
    if not value:
        return None
    text = value
    # Twice, for feeds that escape their markup twice; then drop whatever still looks like a tag.
    for _ in range(2):
        if not (_TAG_RE.search(text) or _ENTITY_RE.search(text)):
            break
        text = _html_to_text(text)
    text = _TAG_RE.sub(" ", text)
    text = _SPACE_RE.sub(" ", text).strip()
    return text or None


def _html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, without script or style contents."""
    cleaned = _CONTROL_RE.sub("", fragment)
    try:
        root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    except _LXML_ERRORS:
        return html.unescape(_TAG_RE.sub(" ", cleaned))
    pieces: list[str] = []
    # An explicit stack rather than recursion: feeds can nest tags deeper than Python's limit.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not closing and tag and tag not in _DROP_TAGS:
            pieces.append(" " if tag in _BLOCK_TAGS else "")
            pieces.append(element.text or "")
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
            continue
        # Closing an element, or skipping a dropped one, a comment or a processing instruction.
        if closing and tag in _BLOCK_TAGS:
            pieces.append(" ")
        if element is not root:
            pieces.append(element.tail or "")
    return "".join(pieces)


def _entry_id(
    raw_id: str | None,
    raw_link: str | None,
    title: str | None,
    published: datetime | None,
    summary: str | None,
) -> str:
    for candidate in (raw_id, raw_link):
        if candidate and candidate.strip():
            return candidate.strip()
    basis = f"{title or ''}\n{published.isoformat() if published else ''}"
    if not title and not published:
        basis += f"\n{summary or ''}"
    return "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _absolute(link: str | None, base: str | None) -> str | None:
    """`link` made absolute against `base`; None unless it ends up an http(s) URL."""
    if not link or not link.strip():
        return None
    link = link.strip()
    if not _is_absolute(link) and base:
        try:
            link = urljoin(base, link)
        except ValueError:  # e.g. "http://[bad" is an invalid IPv6 host
            return None
    return link if _is_absolute(link) else None


def _is_absolute(link: str) -> bool:
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return parts.scheme.lower() in _SAFE_SCHEMES and bool(parts.netloc)


def _origin(link: str | None) -> tuple[str, str] | None:
    if not link:
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    return parts.scheme.lower(), parts.netloc.lower()


_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)


def discover(html: str, *, base_url: str | None = None) -> list[str]:
    """Feed URLs a web page advertises with <link rel="alternate" type="...rss+xml">, absolute,
    in page order (RSS and Atom before plain XML or JSON types)."""
    from html.parser import HTMLParser
    from urllib.parse import urljoin

    found: list[tuple[int, str]] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag != "link":
                return
            a = {k.lower(): (v or "") for k, v in attrs}
            rel = a.get("rel", "").lower().split()
            kind = a.get("type", "").lower().split(";")[0].strip()
            if "alternate" in rel and kind in _FEED_TYPES and a.get("href"):
                href = urljoin(base_url or "", a["href"].strip())
                if href.startswith(("http://", "https://")):
                    found.append((_FEED_TYPES.index(kind), href))

    parser = Links()
    try:
        parser.feed(html[:2_000_000])
        parser.close()
    except Exception:  # a broken page has no usable links; never a crash
        log.debug("feed discovery failed", exc_info=True)
    ordered = [href for _, href in sorted(found, key=lambda pair: pair[0])]
    return list(dict.fromkeys(ordered))
