"""Finding the feeds a web page advertises with <link rel="alternate">."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from urllib.parse import urljoin

log = logging.getLogger(__name__)

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
