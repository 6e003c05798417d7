"""Canonical URLs: one key per story, whatever tracking junk or scheme a link arrived with."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

# Query parameters that only say where a click came from; compared in lower case.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "igshid",
        "igsh",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "ocid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "vero_id",
        "wt.mc_id",
        "s_cid",
        "spm",
        "smid",
        "smtyp",
        "at_medium",
        "at_campaign",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def is_tracking_param(name: str) -> bool:
    """True when a query parameter name only tracks the click, not the content."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The dedupe key of a web URL; equal keys mean the same page.

    The key is for comparing, not for fetching (keep the original URL for that):
    - http and https give the same key (the scheme is written as ``https``);
    - the host is lower-cased, a leading ``www.`` and a trailing dot are dropped, and so are
      user info and the default port;
    - the fragment is dropped;
    - the path gets its dot segments resolved and percent-escapes normalised (unreserved
      characters decoded, the rest upper-case), an empty path becomes ``/`` and a trailing
      ``/`` is dropped from any other path (news sites serve ``/a/`` and ``/a`` alike);
    - tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``ref``... see
      `is_tracking_param`) are removed and the remaining ones sorted, blanks kept.

    A URL with another scheme (``mailto:``, ``urn:``...) is returned trimmed with its scheme
    lower-cased. Raises ValueError for an empty URL or an http(s) URL without a host.
    """
    stripped = url.strip()
    if not stripped:
        raise ValueError("empty URL")
    if stripped.startswith("//"):
        stripped = "https:" + stripped
    parts = urlsplit(stripped)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        if not scheme:
            raise ValueError(f"URL has no scheme: {url!r}")
        return scheme + stripped[len(parts.scheme) :]

    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    if host.startswith("www."):
        host = host[4:]
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"URL has a bad port: {url!r}") from exc
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"

    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(name)
    ]
    query.sort()
    return urlunsplit(("https", netloc, _canonical_path(parts.path), urlencode(query), ""))


def _canonical_path(path: str) -> str:
    path = _PERCENT.sub(_normalise_escape, path)
    # Characters a browser would escape anyway; escaping them here makes both spellings equal.
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    if not path or path == "/":
        return "/"
    resolved = posixpath.normpath(path)
    if resolved.startswith("//"):  # normpath keeps a leading double slash
        resolved = "/" + resolved.lstrip("/")
    if resolved == ".":
        return "/"
    return resolved.rstrip("/") or "/"


def _normalise_escape(match: re.Match[str]) -> str:
    char = chr(int(match.group()[1:], 16))
    return char if char in _UNRESERVED else match.group().upper()


def without_userinfo(url: str) -> str:
    """`url` without the user name and password before its host (`https://ann:pw@host/x` ->
    `https://host/x`); any other URL as it is. The address an article is stored and shown
    under: a link is shared with everyone who reads the story, a password in it is not."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def userinfo(url: str) -> str | None:
    """The user name and password a URL carries before its host ("ann:pw"), if any."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return None
    return netloc.rpartition("@")[0] or None
