"""Main text and metadata of a news page (through trafilatura), or of pasted plain text."""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from copy import deepcopy
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import trafilatura

# lxml ships no type hints; unused-ignore keeps this quiet once stubs are installed.
from lxml import etree  # type: ignore[import-untyped, unused-ignore]
from lxml.html import HtmlElement  # type: ignore[import-untyped, unused-ignore]
from tld import get_fld
from trafilatura.settings import Document

from summaries.ingest import jsondata
from summaries.ingest.binary import binary_kind
from summaries.ingest.charsets import ascii_compatible, served_codec, text_codec
from summaries.ingest.guard import Refusal, check_host
from summaries.ingest.markup import bounded_html
from summaries.ingest.urls import userinfo, without_userinfo
from summaries.times import utc_or_none
from summaries.types import ExtractedArticle, ExtractError
from summaries.understand import language
from summaries.understand.text import shorten, strip_invisible

log = logging.getLogger(__name__)

# Fewer words than this is a login wall, a cookie notice or an index page, not an article.
MIN_WORDS = 40

NO_TEXT = "no article text found on the page"

_DATE_PARAMS = {
    "original_date": True,  # the publication date, not the last update
    "extensive_search": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}

# Calls to action ("write a letter", "sign up") that sit inside article containers.
_PRUNE_XPATH = [
    "//*[contains(@class, '-cta') or contains(@class, 'cta-') or contains(@class, 'cta_')]",
    "//*[contains(@class, 'newsletter') or contains(@id, 'newsletter')]",
    # Sidebars and link lists nested inside the article container.
    "//*[self::div or self::section or self::aside or self::ul][contains(@class, 'related')"
    " or contains(@id, 'related')]",
]

# Login widgets put these where trafilatura looks for a byline.
_NOT_AUTHORS = {"Username", "User name", "Log in", "Login", "Sign in", "Anonymous", "Admin"}

# Elements of trafilatura's output tree that start a new paragraph.
_BLOCKS = frozenset({"p", "head", "item", "quote", "row", "code", "list", "table", "div"})
_CELLS = frozenset({"cell"})

_PUBLISHED_KEYS = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "dc.date.issued",
        "dcterms.issued",
        "parsely-pub-date",
        "sailthru.date",
    }
)
_HAS_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_WS = re.compile(r"\s+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_MARKERS = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|br|meta|title)[\s/>]",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n[ \t\f\v\r]*\n")
_FINAL_PUNCTUATION = tuple(".!?:;,…\"'”’»)]")

# Pasted text: a first paragraph this short, on one line, is a headline candidate.
_TITLE_MAX_WORDS = 20
_CREDIT = re.compile(
    r"(?:additional\s+)?(?:reporting|writing|editing|compiled|research)"
    r"(?:\s+and\s+\w+)?\s+by\s+[A-Z]",
    re.IGNORECASE,
)
_CREDIT_MAX_CHARS = 300

# The lead image: meta tags naming it, best first (Open Graph, then Twitter's card, then
# schema.org's itemprop); then <link rel="image_src">, JSON-LD's "image", trafilatura's pick.
_IMAGE_KEYS = (
    "og:image",
    "og:image:secure_url",
    "og:image:url",
    "twitter:image",
    "twitter:image:src",
    "image",
    "thumbnailurl",
)
# Longer image URLs are refused: Discord takes URLs up to 2048 characters.
MAX_IMAGE_URL = 2048


def extract_html(
    html: str | bytes, *, url: str | None = None, charset: str | None = None
) -> ExtractedArticle:
    """Extract the main text and metadata of a news page; raise ExtractError if it has none.

    Nothing is downloaded: `url` only seeds the article URL when the page names no canonical one.
    `charset` is the one the server named for the page's bytes (its Content-Type), if any.
    """
    if isinstance(html, bytes) and (kind := binary_kind(html)) is not None:
        raise ExtractError(f"{NO_TEXT}: it is {kind}, not HTML")
    text = bounded_html(_decode(html, charset) if isinstance(html, bytes) else html)
    url = without_userinfo(url) if url else url  # nor in the site name read from it
    if not text.strip():
        raise ExtractError(f"{NO_TEXT}: the page is empty")
    try:
        tree = trafilatura.load_html(text)
    except Exception:  # lxml refuses some garbage outright
        log.debug("unparseable page %s", url or "", exc_info=True)
        tree = None
    if tree is None:
        raise ExtractError(f"{NO_TEXT}: it is not HTML")
    _unquote_titles(tree)
    body = _run_trafilatura(deepcopy(tree))
    if body is None:
        raise ExtractError(NO_TEXT)
    meta = _run_metadata(tree, url)
    paragraphs = _paragraphs(body)
    title = _without_credit(_headline(tree, _clean(meta.title)), meta.author, meta.sitename)
    if paragraphs and title and _norm_key(paragraphs[0]) == _norm_key(title):
        paragraphs = paragraphs[1:]  # the headline repeated as the first heading
    if sum(len(p.split()) for p in paragraphs) < MIN_WORDS:
        raise ExtractError(NO_TEXT)
    paragraphs.extend(_missing_credit_lines(tree, paragraphs))
    article_url = _claimed_url(meta.url, url)
    site = _clean(meta.sitename)
    if article_url and site and (credentials := userinfo(article_url)):
        site = site.replace(credentials + "@", "")  # trafilatura names a site by its URL's netloc
    article_url = without_userinfo(article_url) if article_url else article_url
    return ExtractedArticle(
        title=title,
        byline=_byline(meta.author),
        published=_published(tree) or _parse_date(meta.date),
        site=site,
        url=article_url,
        paragraphs=tuple(paragraphs),
        image=lead_image(tree, url or article_url, fallback=meta.image),
        language=language.detect("\n\n".join(paragraphs), title),
    )


def _claimed_url(canonical: str | None, fetched: str | None) -> str | None:
    """The article's URL: the canonical one the page names, when it is on the same site as
    the page was fetched from; else the fetched one. A page may not claim another site's
    address: stored under it, it would stand for that site's story, and a later request for
    the real one would be answered with it, unfetched (for every workspace)."""
    if not canonical or fetched is None or _same_site(canonical, fetched):
        return canonical or fetched
    log.info("ignored a canonical URL on another site (%s) for %s", canonical[:200], fetched)
    return fetched


def _same_site(a: str, b: str) -> bool:
    """Whether two URLs are on one registrable domain (`amp.bbc.co.uk` and `www.bbc.co.uk`,
    by the public suffix list); hosts the list doesn't know compare by their last two labels."""
    return _site(a) == _site(b) is not None


def _site(url: str) -> str | None:
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if not host:
        return None
    domain = get_fld(host, fix_protocol=True, fail_silently=True)
    if isinstance(domain, str):
        return domain
    if ":" in host or host.replace(".", "").isdigit():  # an IP address: itself
        return host
    return ".".join(host.split(".")[-2:])


def from_text(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: datetime | None = None,
) -> ExtractedArticle:
    """Make an article of plain text: paragraphs split on blank lines, else on single newlines.

    When `title` is None and the first paragraph is a single short line with no final
    punctuation, it is taken as the title: that is what a pasted "headline, blank line, body"
    looks like. A first line ending in a full stop stays part of the body, and so does one of
    more than 10 words in a text without blank lines (a lead cut by a line break).
    """
    chunks = _split_chunks(strip_invisible(text))
    if not chunks:
        raise ExtractError("the text is empty")
    if not any(char.isalnum() for chunk in chunks for char in chunk):
        raise ExtractError("the text has no words in it (no letter or digit)")
    # In text with one line per paragraph, a long unpunctuated first line is as likely the
    # lead cut by a line break as a headline: only a short one is taken for the title there.
    spaced = bool(_BLANK_LINE.search(text.replace("\r\n", "\n").replace("\r", "\n").strip()))
    limit = _TITLE_MAX_WORDS if spaced else _TITLE_MAX_WORDS // 2
    if title is None and len(chunks) > 1 and _looks_like_headline(chunks[0], limit):
        title, chunks = chunks[0], chunks[1:]
    paragraphs = [_WS.sub(" ", chunk).strip() for chunk in chunks]
    return ExtractedArticle(
        title=_clean(title),
        byline=None,
        published=utc_or_none(published) if published is not None else None,
        site=None,
        url=without_userinfo(url) if url else url,
        paragraphs=tuple(paragraphs),
        language=language.detect("\n\n".join(paragraphs), title),
    )


def lead_image(
    tree: HtmlElement, page_url: str | None, *, fallback: str | None = None
) -> str | None:
    """The URL of a page's lead image (og:image, twitter:image, ...), or None.

    Relative URLs are resolved against `page_url`. Only a usable one is kept (see
    `image_url`): the first candidate that passes wins. Nothing is fetched.
    """
    for raw in _image_candidates(tree, fallback):
        found = image_url(raw, page_url)
        if found is not None:
            return found
    return None


def image_url(raw: str, base: str | None = None) -> str | None:
    """`raw` (resolved against `base`) as an image URL fit to show, or None.

    Kept: http(s) URLs of at most MAX_IMAGE_URL characters, with a host that is neither a
    local name nor a loopback, private, link-local or otherwise non-public IP literal (the
    SSRF guard's rules, applied without resolving), and no credentials or whitespace in them.
    Refused: data:, javascript: and every other scheme. Chat platforms fetch the image
    themselves; this keeps an article from pointing them (or a reader) into our network.
    """
    raw = strip_invisible(raw).strip()
    if not raw or len(raw) > MAX_IMAGE_URL:
        return None
    try:
        resolved = urljoin(base, raw) if base else raw
        parts = urlsplit(resolved)
        host = parts.hostname
        has_credentials = parts.username is not None or parts.password is not None
        _ = parts.port  # raises ValueError for a junk port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host or has_credentials:
        return None
    if len(resolved) > MAX_IMAGE_URL or any(c.isspace() for c in resolved):
        return None
    try:
        check_host(host)
    except Refusal:
        return None
    return resolved


def _meta(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    """Each <meta> with content, in page order: its key (property, name or itemprop, case
    folded) and its content."""
    for el in tree.iterfind(".//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").casefold()
        yield key, el.get("content", "")


def _json_ld(tree: HtmlElement) -> Iterator[object]:
    """The page's JSON-LD documents, in page order; one that does not parse is passed over."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = jsondata.loads(script.text or "")
        except ValueError:
            continue
        yield data


def _image_candidates(tree: HtmlElement, fallback: str | None) -> Iterator[str]:
    found: dict[str, list[str]] = {}
    for key, content in _meta(tree):
        if key in _IMAGE_KEYS:
            found.setdefault(key, []).append(content)
    for key in _IMAGE_KEYS:
        yield from found.get(key, ())
    for el in tree.iterfind(".//link[@href]"):
        if (el.get("rel") or "").casefold() == "image_src":
            yield el.get("href", "")
    for data in _json_ld(tree):
        yield from _json_images(data)
    if fallback:
        yield fallback


def _json_images(data: object, depth: int = 0) -> Iterator[str]:
    """URLs under "image" in a JSON-LD document: a string, an ImageObject's "url", or a list."""
    if depth > 8:  # hostile nesting
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_images(item, depth + 1)
    elif isinstance(data, dict):
        image = data.get("image")
        if isinstance(image, str):
            yield image
        elif isinstance(image, dict) and isinstance(image.get("url"), str):
            yield image["url"]
        elif isinstance(image, list):
            for item in image:
                if isinstance(item, str):
                    yield item
                elif isinstance(item, dict) and isinstance(item.get("url"), str):
                    yield item["url"]
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _json_images(data[key], depth + 1)


def looks_like_html(data: bytes | str) -> bool:
    """Whether a document is HTML (rather than plain text or a feed), judged by its first 4 KB."""
    head = data[:4096]
    if isinstance(head, bytes):
        head = head.decode("utf-8", errors="replace")
    head = head.lstrip("\ufeff \t\r\n")
    if not head.startswith("<"):
        # Plain text that merely mentions a tag stays text; an HTML page with junk before
        # the markup (a stray byte, a comment-less preamble) is still caught by <html>.
        return bool(re.search(r"<!doctype\s+html|<html[\s>]", head, re.IGNORECASE))
    return bool(_HTML_MARKERS.search(head))


# Quote marks around italics: a title of a work (`<em>"Parasite"</em>`, `"<i>Cold Harbour</i>"`).
_OPEN_MARKS = "\"“‘'«"
_CLOSE_MARKS = "\"”’'»"
_TITLE_TAGS = ("i", "em", "cite")
_TITLE_MAX_WORDS_IN_ITALICS = 12


def _unquote_titles(tree: HtmlElement) -> None:
    """Drop the quote marks around short italic text: italics in quote marks name a film, a
    book or a show, and nobody says them. The words stay; only the marks that would make the
    quotation finder take them for speech go. Speech in italics ends in punctuation inside
    the marks (`<em>"We will win."</em>`) or runs longer: it keeps its marks."""
    for el in tree.iter(*_TITLE_TAGS):
        words = "".join(el.itertext()).strip()
        if not words or len(words.split()) > _TITLE_MAX_WORDS_IN_ITALICS:
            continue
        inner = words.strip(_OPEN_MARKS + _CLOSE_MARKS).rstrip()
        if not inner or inner[-1] in ".,;:!?":
            continue
        if words[0] in _OPEN_MARKS and words[-1] in _CLOSE_MARKS:
            _strip_inner_marks(el)
            continue
        prev, parent = el.getprevious(), el.getparent()
        if parent is None:
            continue
        before = (prev.tail if prev is not None else parent.text) or ""
        tail = el.tail or ""
        if before.endswith(tuple(_OPEN_MARKS)) and tail.startswith(tuple(_CLOSE_MARKS)):
            if prev is not None:
                prev.tail = before[:-1]
            else:
                parent.text = before[:-1]
            el.tail = tail[1:]


def _strip_inner_marks(el: HtmlElement) -> None:
    """Remove the first opening and the last closing quote mark of an element's text."""
    nodes: list[tuple[etree._Element, str]] = [(el, "text")]
    for child in el.iterdescendants():
        nodes += [(child, "text"), (child, "tail")]
    nodes = [(n, a) for n, a in nodes if (getattr(n, a) or "").strip()]
    first, attr = nodes[0]
    value = getattr(first, attr).lstrip()
    setattr(first, attr, value[1:])
    last, attr = nodes[-1]
    value = (getattr(last, attr) or "").rstrip()
    if value and value[-1] in _CLOSE_MARKS:
        setattr(last, attr, value[:-1])


def _run_trafilatura(tree: HtmlElement) -> etree._Element | None:
    """Extract the main-text tree for precision; if that finds too little, again for recall."""
    # Precision mode drops any <span> whose class is "link", and with it the names that
    # news sites link inline ("pulling for <span class=link><a>Warren</a></span>"). Spans
    # carry no structure, so unwrapping them first loses nothing.
    etree.strip_tags(tree, "span")
    for precision in (True, False):
        try:
            doc = trafilatura.bare_extraction(
                tree,
                include_comments=False,
                include_tables=True,
                prune_xpath=_PRUNE_XPATH,
                favor_precision=precision,
                favor_recall=not precision,
            )
        except Exception:  # trafilatura's parsers raise all sorts on hostile input
            log.warning("trafilatura failed", exc_info=True)
            return None
        body = doc.body if isinstance(doc, Document) else None
        if body is not None and _word_count(body) >= MIN_WORDS:
            return body
        log.debug("too little text in %s mode", "precision" if precision else "recall")
    return None


def _run_metadata(tree: HtmlElement, url: str | None) -> Document:
    """Title, author, date, site and canonical URL from meta tags, JSON-LD and the markup."""
    try:
        return trafilatura.extract_metadata(
            tree,
            default_url=url,
            date_config=dict(_DATE_PARAMS),
            author_blacklist=_NOT_AUTHORS,
        )
    except Exception:  # metadata is a bonus: never lose the text over it
        log.warning("metadata extraction failed on %s", url or "a page", exc_info=True)
        return Document()


def _missing_credit_lines(tree: HtmlElement, paragraphs: list[str]) -> list[str]:
    """Wire-service credit lines ("Reporting by ...; Editing by ...") that extraction dropped.

    They close the article and name who reported it, but sit in attribution boxes that
    precision mode prunes as boilerplate.
    """
    have = {_norm_key(p) for p in paragraphs}
    found: list[str] = []
    for el in tree.iter("p"):
        line = _WS.sub(" ", " ".join(el.itertext())).strip()
        if len(line) <= _CREDIT_MAX_CHARS and _CREDIT.match(line) and _norm_key(line) not in have:
            have.add(_norm_key(line))
            found.append(line)
    return found


def _word_count(body: etree._Element) -> int:
    return len(" ".join(body.itertext()).split())


def _paragraphs(body: etree._Element | None) -> list[str]:
    """Flatten trafilatura's output tree into paragraphs: one per block, line break or row."""
    if body is None:
        return []
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _BLOCKS or tag == "lb":
            parts.append("\n")
        elif tag in _CELLS:
            parts.append(" ")
        if el.text and tag != "lb":
            parts.append(el.text)
        for child in el:
            walk(child)
        if tag in _BLOCKS:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(body)
    out = []
    for line in "".join(parts).split("\n"):
        cleaned = _WS.sub(" ", line).strip()
        if cleaned:
            out.append(cleaned)
    return out


def _decode(data: bytes, charset: str | None = None) -> str:
    """Decode with the BOM, the server's charset, the meta charset, else UTF-8, as browsers do;
    undecodable bytes are replaced.

    A server naming Latin-1, Windows-1252 or ASCII for bytes that are valid UTF-8 is taken to
    be a server default, not the page's: text in those charsets is hardly ever valid UTF-8.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").lstrip("\ufeff")
    served = served_codec(charset, data) if charset else None
    if served is not None:
        if served in _SERVER_DEFAULTS:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        return data.decode(served, errors="replace")
    match = _CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii", errors="ignore")
        declared = _page_codec(name)
        if declared is None:
            log.debug("charset %r is no page encoding, decoding as UTF-8", name)
        else:
            return data.decode(declared, errors="replace")
    return data.decode("utf-8", errors="replace")


# What servers name when nobody set a charset (codecs.lookup's names).
_SERVER_DEFAULTS = frozenset({"iso8859-1", "cp1252", "ascii"})


def _page_codec(name: str) -> str | None:
    """The codec of a charset a page names in ASCII bytes, or None for one no page can be in:
    one no document can be decoded with (charsets.text_codec), and one that does not read ASCII
    as ASCII (UTF-16/32, EBCDIC, UTF-7: a page that names it in ASCII bytes is not in it)."""
    codec = text_codec(name)
    if codec is None or not ascii_compatible(codec):
        return None
    return codec


def _published(tree: HtmlElement) -> datetime | None:
    """The publication time from meta tags or JSON-LD, when they give one with a time of day.

    htmldate often settles for the date in the URL (midnight); these fields carry the time.
    """
    for key, content in _meta(tree):
        if key in _PUBLISHED_KEYS:
            found = _parse_timestamp(content)
            if found:
                return found
    for data in _json_ld(tree):
        for value in _json_values(data, "datePublished"):
            found = _parse_timestamp(value)
            if found:
                return found
    return None


def _json_values(data: object, key: str) -> Iterator[str]:
    """Every string under `key` in a JSON-LD document, @graph and nested objects included, in
    document order. A stack, not recursion: JSON nests deeper than Python's recursion limit."""
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):  # a value found, kept in its place (JSON has no tuples)
            yield node[0]
        elif isinstance(node, dict):
            found = [(v,) if k == key and isinstance(v, str) else v for k, v in node.items()]
            stack.extend(reversed(found))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def _parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 timestamp with a time of day, as UTC; a bare date gives None."""
    value = value.strip()
    return _parse_date(value) if _HAS_TIME.match(value) else None


def _parse_date(value: str | None) -> datetime | None:
    """Parse an ISO 8601 date or timestamp (htmldate's output too) as UTC; no zone means UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value).replace(microsecond=0)
    except ValueError:
        log.debug("unparseable date %r", value)
        return None
    return utc_or_none(parsed)


def _split_chunks(text: str) -> list[str]:
    """Paragraphs of plain text, not yet whitespace-normalised."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    chunks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else _lines(text)
    return [chunk.strip() for chunk in chunks if chunk.strip()]


def _lines(text: str) -> list[str]:
    """Lines as paragraphs, a line that goes on from the one before (it starts in lowercase,
    or that one ends with a comma or a dash) joined to it: a sentence cut by a line break.

    Text split one sentence a line by a tokenizer often carries a quotation's closing mark
    over to the start of the next line (`…baby girl.` / `" It's pretty…`), an opening mark
    to the end of the line before (`…the 18th. '` / `It was…`), or leaves a mark on a line of
    its own: such a mark goes back to the line before when it closes a quotation left open
    there (`_Marks`); one that closes nothing opens the line after it."""
    out: list[str] = []
    marks = _Marks()
    pending = ""  # a lone opening mark waiting for its line
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped in _QUOTE_MARKS:
            if out and marks.closes(out[-1], stripped):
                out[-1] = out[-1].rstrip() + stripped
                marks.add(stripped)
            else:
                pending = stripped
            continue
        if pending and stripped:
            if stripped[0] not in _QUOTE_MARKS:
                line = stripped = pending + stripped
            pending = ""
        carried = _MARK_ENDING_LINE.search(stripped)
        if carried:  # "…the 18th. '" / "It was…": the mark opens the next line's quotation
            line = stripped = stripped[: carried.start()]
        moved = _MARK_OPENING_LINE.match(stripped)
        if moved and out and marks.closes(out[-1], moved.group(1)):
            out[-1] = out[-1].rstrip() + moved.group(1)
            marks.add(moved.group(1))
            line = stripped = stripped[moved.end() :]
        marks.add(stripped)
        tail = out[-1].rstrip()[-1:] if out else ""
        if tail and stripped and (stripped[0].islower() or tail in ",;(-–—&/"):
            out[-1] = f"{out[-1].rstrip()} {stripped}"
        else:
            out.append(line)
        if carried:
            pending = carried.group(1)
    return out


_QUOTE_MARKS = frozenset({'"', "'", "”", "’", "“", "‘"})
# A quote mark, then a space, then words: maybe the close of the line before's quotation.
_MARK_OPENING_LINE = re.compile(r"""(["'”’])\s+(?=\S)""")
# A sentence's end, a space, then a quote mark ending the line: a closing mark follows the
# words it closes without a space, so this one opens the next line's quotation.
_MARK_ENDING_LINE = re.compile(r"""(?<=[.!?…])\s+(["'“‘])$""")
_DOUBLE_MARKS = re.compile(r'["“”]')
# A single mark that opens a quotation (at the start, after a space or a bracket), and one
# that closes it (after a word or punctuation, before a space, punctuation or the end).
_SINGLE_OPENING = re.compile(r"(?:^|(?<=[\s(\[:]))['‘](?=\w)")
_SINGLE_CLOSING = re.compile(r"(?<=[\w.,!?…])['’](?=[\s.,;:!?)]|$)")


class _Marks:
    """The quote marks of the lines read so far: whether a quotation is still open."""

    def __init__(self) -> None:
        self.double = 0
        self.single = 0  # openings less closings

    def add(self, line: str) -> None:
        self.double += len(_DOUBLE_MARKS.findall(line))
        self.single += len(_SINGLE_OPENING.findall(line)) - len(_SINGLE_CLOSING.findall(line))
        self.single = max(self.single, 0)

    def closes(self, previous: str, mark: str) -> bool:
        """Whether `mark`, found at the start of a line, closes a quotation still open after
        `previous` (the line before), which must end a sentence for it to close there."""
        end = previous.rstrip()
        if mark in "“‘" or not end or end[-1] not in ".!?…\"'”’":
            return False
        if mark in ('"', "”"):
            return self.double % 2 == 1
        return self.single > 0


def _looks_like_headline(chunk: str, max_words: int = _TITLE_MAX_WORDS) -> bool:
    return (
        "\n" not in chunk
        and len(chunk.split()) <= max_words
        and not chunk.endswith(_FINAL_PUNCTUATION)
    )


def _clean(value: str | None) -> str | None:
    """A title, byline or site name to show: one line, nothing invisible."""
    if value is None:
        return None
    cleaned = _WS.sub(" ", strip_invisible(value)).strip()
    return shorten(cleaned) or None


_TITLE_KEYS = ("og:title", "twitter:title")


def _headline(tree: HtmlElement, found: str | None) -> str | None:
    """The page's headline: the metadata's, unless two other places agree on another that
    shares none of its words (a CMS placeholder in JSON-LD, "headline": "escenic", under an
    og:title and an <h1> that name the story: the words of one are all in another). One of
    each place is read: og:title, twitter:title, the head's <title>, the first <h1>."""
    if found is None:
        return None
    seen: dict[str, str] = {}
    for key, content in _meta(tree):
        if key in _TITLE_KEYS and key not in seen and (cleaned := _clean(content)):
            seen[key] = cleaned
    for tag, path in (("title", ".//head/title"), ("h1", ".//h1")):
        el = tree.find(path)
        if el is not None and (cleaned := _clean(el.text_content())):
            seen[tag] = cleaned
    others = list(seen.values())
    keys = [set(_norm_key(other).split()) for other in others]
    if any(set(_norm_key(found).split()) & words for words in keys):
        return found
    for i, words in enumerate(keys):
        agreed = [j for j, other in enumerate(keys) if j != i and other >= words]
        if len(words) >= 3 and agreed:
            return others[i]
    return found


# What is left of a date written after a byline once its digits are gone ("CBS News February
# 24, 2020, 7:57 AM" is read as "CBS News February"): month names, "updated", "published".
# After a comma, a bar or a dash every such word goes; after a space only those that are no
# one's surname ("Theresa May", "Ann March" keep theirs).
_DATE_WORD = (
    r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.|january|february|september|"
    r"october|november|december|updated|published|posted"
)
_SURNAME_MONTH = (
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|march|april|may|june|july|august"
)
_DATE_TAIL = re.compile(
    rf"(?:(?:\s*[,;|·•]|\s+[–—-])\s*(?:(?:{_DATE_WORD}|{_SURNAME_MONTH}|on|at)\b\.?[\s,]*)+"
    rf"|(?:\s+(?:{_DATE_WORD})(?!\w))+)\s*$",
    re.IGNORECASE,
)


def _byline(author: str | None) -> str | None:
    """The byline without the remains of a date after it; as it was when nothing else is left."""
    byline = _clean(author)
    if not byline:
        return byline
    byline = _DATE_TAIL.sub("", byline).strip() or byline
    # The same name from two places of the page ("Jo Roe; JO ROE"): once.
    parts: dict[str, str] = {}
    for part in byline.split(";"):
        if part.strip():
            parts.setdefault(_norm_key(part), part.strip())
    return "; ".join(parts.values()) or byline


_CREDIT_SEPARATOR = re.compile(r"\s+[|\-–—·:]\s+")


def _without_credit(title: str | None, *credits: str | None) -> str | None:
    """`title` without a last part that only repeats the byline or the site's name, as some
    sites' og:title does ("Whales beach again | Jo Roe"): the headline is shown beside its
    source and byline, and read for its words and claims (a quote's speaker)."""
    if not title:
        return title
    names = {
        key for credit in credits if credit and (key := re.sub(r"^by\s+", "", _norm_key(credit)))
    }
    last = max(_CREDIT_SEPARATOR.finditer(title), key=lambda m: m.start(), default=None)
    if last is None or last.start() == 0:
        return title
    if re.sub(r"^by\s+", "", _norm_key(title[last.end() :])) in names:
        return title[: last.start()].strip()
    return title


def _norm_key(value: str) -> str:
    return " ".join(re.findall(r"\w+", value.casefold()))
