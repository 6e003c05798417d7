"""Feed parsing against real and broken feeds: `python bench/feeds_eval.py`.

Reads $NEWSBRIEF_EVAL_DIR/feeds/index.jsonl (default ../shared/eval from the repo root). Real
feeds with an expected parse (feed-rs's serde.json) must match in entry count, titles and links;
ill-formed feeds must be either read or refused with a message, never crash. Exits 1 on any
mismatch or crash.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # runnable as `python bench/feeds_eval.py` from a plain checkout

from summaries.ingest.feeds import parse  # noqa: E402
from summaries.types import FeedError, ParsedFeed  # noqa: E402

EVAL_DIR = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", REPO.parent / "shared" / "eval"))
_SPACE_RE = re.compile(r"\s+")
_TAG_RE = re.compile(r"<[^<>]*>")


def main() -> int:
    index = EVAL_DIR / "feeds" / "index.jsonl"
    rows = [json.loads(line) for line in index.read_text().splitlines() if line.strip()]
    real = [r for r in rows if r.get("expected_parse")]
    other = [r for r in rows if not r.get("expected_parse")]

    ok = mismatched = crashed = 0
    print(f"== real feeds with an expected parse ({len(real)})")
    for row in real:
        try:
            problems = _compare(row)
        except Exception:
            crashed += 1
            print(f"CRASH    {row['id']}\n{traceback.format_exc()}")
            continue
        if problems:
            mismatched += 1
            print(f"MISMATCH {row['id']}")
            for problem in problems:
                print(f"    {problem}")
        else:
            ok += 1
            print(f"OK       {row['id']}")

    print(f"\n== ill-formed and conformance feeds ({len(other)})")
    parsed = refused = 0
    for row in other:
        data = (EVAL_DIR / row["file"]).read_bytes()
        expect = row.get("expect") or row.get("note") or ""
        try:
            feed = parse(data)
        except FeedError as exc:
            refused += 1
            print(f"REFUSED  {row['id']}: {exc}  [expect: {expect}]")
        except Exception:
            crashed += 1
            print(f"CRASH    {row['id']}\n{traceback.format_exc()}")
        else:
            parsed += 1
            first = feed.entries[0] if feed.entries else None
            print(
                f"PARSED   {row['id']}: {len(feed.entries)} entries, title={feed.title!r}, "
                f"first entry title={first.title if first else None!r} "
                f"link={first.link if first else None!r} "
                f"summary={(first.summary or '')[:60] if first else None!r}, "
                f"warning={feed.warning!r}  [expect: {expect}]"
            )

    print(
        f"\nreal feeds: {ok}/{len(real)} OK, {mismatched} mismatched; "
        f"ill-formed/conformance: {parsed} parsed, {refused} refused; crashes: {crashed}"
    )
    return 1 if mismatched or crashed else 0


def _compare(row: dict[str, Any]) -> list[str]:
    data = (EVAL_DIR / row["file"]).read_bytes()
    expected = json.loads((EVAL_DIR / row["expected_parse"]).read_text())
    try:
        feed = parse(data)
    except FeedError as exc:
        return [f"refused: {exc}"]
    problems: list[str] = []
    want_entries = expected.get("entries") or []
    if len(feed.entries) != len(want_entries):
        problems.append(f"entry count {len(feed.entries)} != expected {len(want_entries)}")
    base = _expected_base(expected, feed)
    for i, (got, want) in enumerate(zip(feed.entries, want_entries, strict=False)):
        want_title = _expected_title(want.get("title"))
        if (got.title or None) != want_title:
            problems.append(f"entry {i} title {got.title!r} != expected {want_title!r}")
        want_link = _expected_link(want.get("links") or [], base)
        if _normal_url(got.link) != _normal_url(want_link):
            problems.append(f"entry {i} link {got.link!r} != expected {want_link!r}")
    return problems


def _expected_title(title: dict[str, Any] | None) -> str | None:
    """feed-rs's title as plain text.

    feed-rs keeps an HTML-typed title as the HTML source, where newsbrief wants plain text:
    for text/html titles drop tags and decode entities before comparing. Both sides collapse
    whitespace, which feed-rs keeps as found in the document.
    """
    if not title or title.get("content") is None:
        return None
    text = str(title["content"])
    if "html" in (title.get("content_type") or ""):
        text = html.unescape(_TAG_RE.sub(" ", text))
    text = _SPACE_RE.sub(" ", text).strip()
    return text or None


def _expected_link(links: list[dict[str, Any]], base: str | None) -> str | None:
    """The entry's alternate (or first) link, made absolute.

    feed-rs leaves a relative link relative when it has no base URL, where newsbrief resolves it
    against the feed's link (or the feed's self link, standing in for the URL it was fetched
    from): resolve the expected link the same way.
    """
    chosen = next((link for link in links if link.get("rel") in (None, "alternate")), None)
    if chosen is None:
        return None
    href = str(chosen["href"]).strip()
    return urljoin(base, href) if base else href


def _normal_url(url: str | None) -> str | None:
    """A URL as feed-rs's `url` crate writes it: scheme and host lower-cased, "/" for no path.

    Both spellings name the same resource; newsbrief keeps links as the feed wrote them.
    """
    if not url:
        return None
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, parts.fragment)
    )


def _expected_base(expected: dict[str, Any], feed: ParsedFeed) -> str | None:
    if feed.link:
        return feed.link
    for link in expected.get("links") or []:
        if link.get("rel") == "self" and str(link.get("href", "")).startswith("http"):
            return str(link["href"])
    return None


if __name__ == "__main__":
    sys.exit(main())
