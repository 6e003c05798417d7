"""Finding the feeds a page advertises with <link rel="alternate">."""

from __future__ import annotations

from summaries.ingest import feeds

PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/site.css">
<link rel="alternate" type="application/json" href="/feed.json">
<link rel="alternate" type="application/rss+xml; charset=utf-8" href=" /rss.xml ">
<LINK REL="Alternate" TYPE="application/atom+xml" HREF="https://other.example/atom">
<link rel="alternate" type="text/html" href="/fr/">
<link rel="alternate" type="application/rss+xml" href="ftp://files.example/rss">
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="alternate" type="application/rss+xml">
</head><body><p>Hello</p></body></html>"""


def test_discover_finds_feed_links_absolute_with_rss_and_atom_first() -> None:
    found = feeds.discover(PAGE, base_url="https://news.example/section/")

    assert found == [
        "https://news.example/rss.xml",
        "https://other.example/atom",
        "https://news.example/feed.json",
    ]


def test_discover_finds_nothing_without_a_usable_feed_link() -> None:
    assert feeds.discover("<html><body><a href='/rss.xml'>RSS</a></body></html>") == []
    assert feeds.discover("<link rel=alternate type=application/rss+xml href=<<<") == []
