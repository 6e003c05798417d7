"""Tests for summaries.ingest.feeds, on small feeds written for these tests."""

from __future__ import annotations

import contextlib
import json
import random
import time
from datetime import UTC, datetime

import pytest

from summaries.ingest import feeds
from summaries.types import FeedError

RSS_091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="0.91">
<channel>
<title>Caf\xe9 Weekly</title>
<link>http://cafe.example.org/</link>
<description>Coffee news</description>
<language>fr</language>
<item>
<title>Cr\xe8me br\xfbl\xe9e returns</title>
<link>http://cafe.example.org/news/1.html</link>
<description>The dessert is back &amp; better.</description>
</item>
</channel>
</rss>
"""

RSS_10 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://lab.example.net/">
    <title>Lab notes</title>
    <link>https://lab.example.net/</link>
    <description>Preprints</description>
    <items><rdf:Seq><rdf:li rdf:resource="https://lab.example.net/p/42"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://lab.example.net/p/42">
    <title>Fungal genomes, revisited</title>
    <link>https://lab.example.net/p/42</link>
    <description>We sequence &lt;i&gt;things&lt;/i&gt;.</description>
    <dc:creator>Ada Example</dc:creator>
    <dc:date>2023-12-18T09:30:00+09:00</dc:date>
  </item>
</rdf:RDF>
"""

RSS_20 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>The   Daily
     Example</title>
  <link>https://news.example.com/</link>
  <description>All the news that fits</description>
  <item>
    <title>Council approves &lt;b&gt;new&lt;/b&gt; budget &amp;amp; plan</title>
    <link>/2024/03/budget</link>
    <guid isPermaLink="false">tag:news.example.com,2024:budget</guid>
    <pubDate>Tue, 05 Mar 2024 18:30:00 -0500</pubDate>
    <dc:creator>Sam Reporter</dc:creator>
    <description>&lt;p&gt;The council &lt;em&gt;voted&lt;/em&gt; 7&#8211;2.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>The council voted 7&ndash;2 on <a href="/council">Tuesday</a>.</p>
<script>alert("pwned")</script><p>More.</p>]]></content:encoded>
  </item>
  <item>
    <title>Second story</title>
    <link>https://news.example.com/2024/03/second</link>
    <pubDate>Wed, 06 Mar 2024 08:00:00 GMT</pubDate>
    <author>desk@news.example.com (News Desk)</author>
    <description>Plain summary.</description>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/">
  <title type="html">Ideas &amp;amp; Notes</title>
  <link href="https://blog.example.org/"/>
  <link rel="self" href="https://blog.example.org/feed.atom"/>
  <id>urn:uuid:feed-1</id>
  <updated>2024-01-02T10:00:00Z</updated>
  <entry xml:base="/posts/2024/">
    <title>On &lt;em&gt;relative&lt;/em&gt; links</title>
    <link rel="alternate" type="text/html" href="relative-links.html"/>
    <id>urn:uuid:entry-1</id>
    <published>2024-01-01T23:30:00-02:00</published>
    <updated>2024-01-02T10:00:00Z</updated>
    <author><name>Kim Writer</name><email>kim@blog.example.org</email></author>
    <summary>A short &lt;b&gt;summary&lt;/b&gt;.</summary>
    <content type="html">&lt;p&gt;See &lt;img src="pic.png"&gt; here.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Only updated</title>
    <id>urn:uuid:entry-2</id>
    <updated>2024-01-03T12:00:00+01:00</updated>
  </entry>
</feed>
"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Micro &amp; Blog",
    "home_page_url": "https://micro.example.com/",
    "feed_url": "https://micro.example.com/feed.json",
    "authors": [{"name": "Feed Owner"}],
    "items": [
        {
            "id": "2",
            "url": "/2024/05/hello",
            "title": "Hello <script>alert(1)</script>world",
            "content_html": '<p>Hi <a href="/about">there</a></p><script>evil()</script>',
            "summary": "A greeting",
            "date_published": "2024-05-01T12:00:00+02:00",
            "authors": [{"name": "Ann Poster"}, {"name": "Bo Helper"}],
        },
        {
            "id": "1",
            "url": "https://micro.example.com/2024/04/first",
            "content_text": "Just text, no title.",
            "date_published": "not a date",
        },
    ],
}


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


def test_parse_reads_json_feed_11() -> None:
    feed = feeds.parse(json.dumps(JSON_FEED).encode())

    assert feed.title == "Micro & Blog"
    assert feed.link == "https://micro.example.com/"
    first, second = feed.entries
    assert first.id == "2"
    assert first.link == "https://micro.example.com/2024/05/hello"
    assert first.title == "Hello world"
    assert first.summary == "A greeting"
    assert first.author == "Ann Poster, Bo Helper"
    assert first.published == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert first.content_html is not None
    assert 'href="https://micro.example.com/about"' in first.content_html
    assert "script" not in first.content_html
    assert second.title is None
    assert second.summary == "Just text, no title."
    assert second.author == "Feed Owner"
    assert second.published is None


def test_parse_reads_json_feed_10_single_author_and_rfc822_date() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Old style",
        "items": [
            {
                "id": "x",
                "content_html": "<p>Body</p>",
                "author": {"name": "Solo"},
                "date_published": "Fri, 31 May 2019 12:17:58 -0700",
            }
        ],
    }

    (entry,) = feeds.parse(json.dumps(doc)).entries

    assert entry.author == "Solo"
    assert entry.published == datetime(2019, 5, 31, 19, 17, 58, tzinfo=UTC)
    assert entry.summary is None
    assert entry.content_html == "<p>Body</p>"


def test_parse_refuses_json_feed_without_items() -> None:
    doc = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x"})

    with pytest.raises(FeedError, match="JSON Feed has no items list"):
        feeds.parse(doc)


def test_parse_refuses_json_that_is_not_a_json_feed() -> None:
    with pytest.raises(FeedError, match="not a feed"):
        feeds.parse(b'{"items": []}')


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


def test_parse_refuses_html_page() -> None:
    page = b"""<!DOCTYPE html>
<html><head><title>Welcome</title></head><body><p>Hello</p></body></html>"""

    with pytest.raises(FeedError, match="not a feed: looks like an HTML page"):
        feeds.parse(page)


@pytest.mark.parametrize("doc", [b"", b"   \n\t ", "", b"\xef\xbb\xbf  ", b"<!-- nothing -->"])
def test_parse_refuses_empty_document(doc: bytes | str) -> None:
    with pytest.raises(FeedError, match="empty document"):
        feeds.parse(doc)


def test_parse_refuses_binary_garbage() -> None:
    garbage = random.Random(7).randbytes(20_000)

    with pytest.raises(FeedError, match="not a feed"):
        feeds.parse(garbage)


def test_parse_refuses_xml_that_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match=r"root element <svg> is not RSS, RDF or Atom"):
        feeds.parse(b"<?xml version='1.0'?><svg><rect/></svg>")


def test_parse_refuses_plain_text() -> None:
    with pytest.raises(FeedError, match="not a feed"):
        feeds.parse(b"just some words, no markup at all")


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


def test_parse_strips_script_injection_from_plain_text_fields() -> None:
    doc = b"""<rss version="2.0"><channel>
    <title>&lt;script&gt;alert('feed')&lt;/script&gt;Safe feed</title>
    <item>
      <title>&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;Headline</title>
      <description>&lt;img src=x onerror="alert(2)"&gt;Body &lt;script&gt;steal()&lt;/script&gt;
      text</description>
      <author>&lt;b onmouseover="x()"&gt;Eve&lt;/b&gt;</author>
    </item></channel></rss>"""

    feed = feeds.parse(doc)

    entry = feed.entries[0]
    for text in (feed.title, entry.title, entry.summary, entry.author):
        assert text is not None
        assert "<" not in text and ">" not in text
        assert "script" not in text.lower()
    assert feed.title == "Safe feed"
    assert entry.summary == "Body text"
    assert entry.author == "Eve"


def test_parse_gives_entries_without_id_or_link_a_stable_hash_id() -> None:
    doc = b"""<rss version="2.0"><channel><title>T</title>
    <item><title>No id</title><pubDate>Wed, 06 Mar 2024 08:00:00 GMT</pubDate></item>
    <item><title>Other</title></item></channel></rss>"""

    first = feeds.parse(doc).entries
    again = feeds.parse(doc).entries

    assert first[0].id == again[0].id
    assert first[0].id != first[1].id
    assert first[0].id.startswith("sha256:")


def test_parse_keeps_str_input_as_decoded_text_despite_declared_encoding() -> None:
    doc = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        "<rss version='2.0'><channel><title>Zürich – Grüße</title></channel></rss>"
    )

    assert feeds.parse(doc).title == "Zürich – Grüße"


def test_parse_does_not_treat_input_as_a_file_name() -> None:
    with pytest.raises(FeedError):
        feeds.parse(b"/etc/passwd")


def test_parse_reads_utf16_feed() -> None:
    doc = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Wide</title>'
    doc += "<item><title>Ünïcode</title></item></channel></rss>"

    feed = feeds.parse(doc.encode("utf-16"))

    assert feed.title == "Wide"
    assert feed.entries[0].title == "Ünïcode"


def test_parse_is_not_quadratic_on_pathological_input() -> None:
    hostile = [
        b"<rss version='2.0'><channel><title>" + b"<" * 300_000,
        b"<rss version='2.0'><channel><item><title>" + b"&lt;" * 200_000 + b"</title></item>",
        b"<rss><channel><item><title>" + b"<b>" * 50_000 + b"</title></item></channel></rss>",
    ]
    for doc in hostile:
        start = time.monotonic()
        with contextlib.suppress(FeedError):
            feeds.parse(doc)
        assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        (RSS_20, "", True),
        (RSS_10, "text/xml", True),
        (ATOM, "text/html", True),  # servers often mislabel feeds
        (json.dumps(JSON_FEED).encode(), "application/json", True),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "application/rss+xml", False),
        (b"<html><head></head></html>", "", False),
        (b'{"not": "a feed"}', "application/json", False),
        (b"", "application/rss+xml", False),
        (b"\x00\x01\x02\x03binary", "", False),
        (b"<?xml version='1.0'?><!-- " + b"x" * 70_000, "application/atom+xml", True),
        (b"<?xml version='1.0'?><!-- " + b"x" * 70_000, "text/html", False),
    ],
)
def test_looks_like_feed_tells_feeds_from_pages(
    data: bytes, content_type: str, expected: bool
) -> None:
    assert feeds.looks_like_feed(data, content_type) is expected
