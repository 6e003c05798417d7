"""RSS 0.9x/1.0/2.0, RDF and Atom through feeds.parse, on small feeds written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from summaries.ingest import feeds
from summaries.ingest.feeds.xmlfeed import MAX_FEED_TAGS
from summaries.types import FeedError
from tests.summaries.ingest.feeds.samples import ATOM, RSS_091, RSS_10, RSS_20


def test_parse_reads_rss_091_in_its_declared_encoding() -> None:
    feed = feeds.parse(RSS_091)

    assert feed.title == "Café Weekly"
    assert feed.link == "http://cafe.example.org/"
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.title == "Crème brûlée returns"
    assert entry.link == "http://cafe.example.org/news/1.html"
    assert entry.id == "http://cafe.example.org/news/1.html"  # no guid: the link stands in
    assert entry.summary == "The dessert is back & better."
    assert entry.published is None
    assert feed.warning is None


def test_parse_reads_rss_10_rdf_with_dublin_core_date_and_creator() -> None:
    feed = feeds.parse(RSS_10)

    assert feed.title == "Lab notes"
    (entry,) = feed.entries
    assert entry.title == "Fungal genomes, revisited"
    assert entry.link == "https://lab.example.net/p/42"
    assert entry.author == "Ada Example"
    assert entry.summary == "We sequence things."
    assert entry.published == datetime(2023, 12, 18, 0, 30, tzinfo=UTC)


def test_parse_reads_rss_20_guid_content_and_resolves_relative_links() -> None:
    feed = feeds.parse(RSS_20, url="https://feeds.example.net/daily.xml")

    assert feed.title == "The Daily Example"
    assert feed.link == "https://news.example.com/"
    first, second = feed.entries
    assert first.id == "tag:news.example.com,2024:budget"
    # Relative to the site the feed is about, not to the feed host it was fetched from.
    assert first.link == "https://news.example.com/2024/03/budget"
    assert first.title == "Council approves new budget & plan"
    assert first.summary == "The council voted 7–2."
    assert first.author == "Sam Reporter"
    assert first.published == datetime(2024, 3, 5, 23, 30, tzinfo=UTC)
    assert first.content_html is not None
    assert 'href="https://news.example.com/council"' in first.content_html
    assert "<script" not in first.content_html
    assert "More." in first.content_html
    assert second.author == "News Desk"
    assert second.content_html is None
    assert second.id == "https://news.example.com/2024/03/second"


def test_parse_resolves_relative_links_against_url_when_feed_has_no_link() -> None:
    doc = b"""<rss version="2.0"><channel><title>T</title>
    <item><title>A</title><link>a.html</link></item></channel></rss>"""

    feed = feeds.parse(doc, url="https://example.com/news/feed.xml")

    assert feed.entries[0].link == "https://example.com/news/a.html"


def test_parse_resolves_atom_links_against_nested_xml_base() -> None:
    feed = feeds.parse(ATOM)

    assert feed.title == "Ideas & Notes"
    first, second = feed.entries
    assert first.link == "https://blog.example.org/posts/2024/relative-links.html"
    assert first.id == "urn:uuid:entry-1"
    assert first.title == "On relative links"
    assert first.author == "Kim Writer"
    assert first.summary == "A short summary."
    assert first.content_html is not None
    assert 'src="https://blog.example.org/posts/2024/pic.png"' in first.content_html
    assert first.published == datetime(2024, 1, 2, 1, 30, tzinfo=UTC)
    # No <published>: the updated date stands in. No <link>: an Atom id is not an address.
    assert second.published == datetime(2024, 1, 3, 11, 0, tzinfo=UTC)
    assert second.link is None
    assert second.id == "urn:uuid:entry-2"


def test_parse_reads_feed_with_unescaped_ampersand_and_warns() -> None:
    doc = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Tom & Jerry News</title>
    <item><title>Cats & mice</title><link>https://example.com/a?x=1&y=2</link></item>
    </channel></rss>"""

    feed = feeds.parse(doc)

    assert feed.warning is not None
    assert "line" in feed.warning
    assert feed.title == "Tom & Jerry News"
    assert [e.title for e in feed.entries] == ["Cats & mice"]
    assert feed.entries[0].link == "https://example.com/a?x=1&y=2"


def test_parse_refuses_feed_truncated_inside_an_item() -> None:
    doc = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title>
    <item><title>Whole</title><link>https://example.com/1</link></item>
    <item><title>Half</title><link>https://exa"""

    with pytest.raises(FeedError, match=r"malformed XML at line 3: .*truncated"):
        feeds.parse(doc)


def test_parse_reads_feed_cut_after_its_last_item_and_warns() -> None:
    doc = b"""<rss version="2.0"><channel><title>Almost</title>
    <item><title>Whole</title><link>https://example.com/1</link></item>
    </channel></rs"""

    feed = feeds.parse(doc)

    assert [e.title for e in feed.entries] == ["Whole"]
    assert feed.warning is not None


def test_parse_refuses_mismatched_tags_with_line_number() -> None:
    doc = b"<rss version='2.0'>\n<channel>\n<title>x</titel>\n</channel>\n</rss>"

    with pytest.raises(FeedError, match=r"malformed XML at line 3: mismatched tag"):
        feeds.parse(doc)


def test_parse_converts_dates_in_various_zones_to_utc() -> None:
    dates = [
        ("Tue, 05 Mar 2024 18:30:00 -0500", datetime(2024, 3, 5, 23, 30, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 18:30:00 +0530", datetime(2024, 3, 5, 13, 0, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 18:30:00 PST", datetime(2024, 3, 6, 2, 30, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 18:30:00 GMT", datetime(2024, 3, 5, 18, 30, tzinfo=UTC)),
        ("2024-03-05T18:30:00+09:00", datetime(2024, 3, 5, 9, 30, tzinfo=UTC)),
        ("mer, 16 nov 2022 00:38:15 +0100", datetime(2022, 11, 15, 23, 38, 15, tzinfo=UTC)),
        ("the day after tomorrow", None),
    ]
    items = "".join(
        f"<item><title>{i}</title><pubDate>{d}</pubDate></item>" for i, (d, _) in enumerate(dates)
    )
    doc = f"<rss version='2.0'><channel><title>Dates</title>{items}</channel></rss>"

    feed = feeds.parse(doc)

    got = [e.published for e in feed.entries]
    assert got == [want for _, want in dates]
    assert all(d is None or d.tzinfo is UTC for d in got)


def test_parse_keeps_str_input_as_decoded_text_despite_declared_encoding() -> None:
    doc = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        "<rss version='2.0'><channel><title>Zürich – Grüße</title></channel></rss>"
    )

    assert feeds.parse(doc).title == "Zürich – Grüße"


def _rss_of(items: list[str]) -> bytes:
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
    return (head + "".join(items) + "</channel></rss>").encode()


def _item(n: int, body: str) -> str:
    return f"<item><title>Story {n}</title><link>https://example.org/{n}</link>{body}</item>"


def test_parse_reads_only_the_entries_ending_before_the_tag_limit() -> None:
    # Each entry's description holds 1,000 escaped tags: past the limit, whole entries only.
    per_item = "<description>" + "&lt;p&gt;w&lt;/p&gt;" * 500 + "</description>"
    count = MAX_FEED_TAGS // 1000 + 20
    parsed = feeds.parse(_rss_of([_item(n, per_item) for n in range(count)]))
    assert 0 < len(parsed.entries) < count
    assert [e.title for e in parsed.entries] == [f"Story {n}" for n in range(len(parsed.entries))]
    assert all(e.summary and e.summary.startswith("w w") for e in parsed.entries)
    assert parsed.warning and parsed.warning.startswith("feed too large")


def test_parse_refuses_a_feed_whose_first_entry_alone_is_past_the_tag_limit() -> None:
    huge = "<description>" + "<b>x</b>" * MAX_FEED_TAGS + "</description>"
    with pytest.raises(FeedError, match="feed too large"):
        feeds.parse(_rss_of([_item(0, huge), _item(1, "")]))


def test_parse_reads_a_feed_under_the_tag_limit_whole() -> None:
    body = "<description>" + "&lt;p&gt;w&lt;/p&gt;" * 50 + "</description>"
    parsed = feeds.parse(_rss_of([_item(n, body) for n in range(300)]))
    assert len(parsed.entries) == 300 and parsed.warning is None
