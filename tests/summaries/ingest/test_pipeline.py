"""Ingest end to end: a loopback web server, the real fetcher, extractor, store and a summariser."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from summaries.ingest.fetch import Fetcher
from summaries.ingest.pacing import HostPacer
from summaries.ingest.pipeline import IngestReport, Pipeline
from summaries.store import Channel, Store, Tenant
from summaries.understand.quotes import QuoteExtractor
from summaries.understand.summarize import LeadSummarizer
from tests.loopback import Route, Site
from tests.summaries.ingest.stories import STORIES, page, rss, run_ingest


def test_feed_ingest_fetches_each_entry_page_and_stores_summaries(
    site: Site, file_store: Store
) -> None:
    site.routes["/feed.xml"] = Route(
        rss(
            site,
            [
                ("g1", "/harbour", "Tue, 03 Nov 2026 09:00:00 +0100"),
                ("g2", "/library", "Wed, 04 Nov 2026 10:00:00 GMT"),
            ],
        ),
        content_type="application/rss+xml",
    )
    (report,) = run_ingest(file_store, site.url("/feed.xml"))
    assert [o.status for o in report.outcomes] == ["stored", "stored"]
    assert site.hits["/harbour"] == 1 and site.hits["/library"] == 1
    articles = file_store.latest_articles(10)
    assert {a.title for a in articles} == {
        "Harbour gates approved",
        "Library reopens after repairs",
    }
    harbour = next(a for a in articles if a.title == "Harbour gates approved")
    assert harbour.summary and harbour.summary.startswith("The town council of Westmere")
    assert harbour.published is not None and harbour.published.utcoffset().total_seconds() == 0
    assert harbour.published.hour == 8  # 09:00 +0100 in UTC
    assert file_store.get_feed(site.url("/feed.xml")) is not None


def test_feed_seen_again_stores_nothing_twice(site: Site, file_store: Store) -> None:
    site.routes["/feed.xml"] = Route(
        rss(site, [("g1", "/harbour", "Tue, 03 Nov 2026 09:00:00 GMT")]),
        content_type="application/rss+xml",
    )
    run_ingest(file_store, site.url("/feed.xml"))
    # The feed now changes the item's guid and date but keeps its link, and adds a new item.
    site.routes["/feed.xml"] = Route(
        rss(
            site,
            [
                ("changed-id", "/harbour", "Thu, 05 Nov 2026 12:00:00 GMT"),
                ("g3", "/bridge", "Thu, 05 Nov 2026 13:00:00 GMT"),
            ],
        ),
        content_type="application/rss+xml",
    )
    (report,) = run_ingest(file_store, site.url("/feed.xml"))
    assert sorted(o.status for o in report.outcomes) == ["skipped", "stored"]
    assert file_store.count_articles() == 2
    assert site.hits["/harbour"] == 1  # a known link is not fetched again


def _numbered_feed(numbers: list[int]) -> bytes:
    """A feed of link-less items carrying their own text, item n dated November n."""
    words = " ".join(STORIES["harbour"][1])
    items = "".join(
        f"<item><title>Story {n}</title><guid>s{n}</guid>"
        f"<pubDate>{n:02d} Nov 2026 09:00:00 GMT</pubDate>"
        f"<description>Story number {n}. {words}</description></item>"
        for n in numbers
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Big</title>"
        f"<link>https://big.example/</link><description>d</description>{items}</channel></rss>"
    ).encode()


def test_a_long_feed_gives_only_its_newest_entries_and_says_the_rest_are_not_read(
    site: Site, file_store: Store
) -> None:
    site.routes["/big.xml"] = Route(_numbered_feed([4, 9, 1, 7, 2, 8, 3, 10, 5, 6]))
    (report,) = run_ingest(file_store, site.url("/big.xml"), max_feed_entries=3)
    assert [o.title for o in report.outcomes] == ["Story 9", "Story 8", "Story 10"]  # feed order
    assert [o.status for o in report.outcomes] == ["stored"] * 3
    assert report.note == "read the newest 3 of 10 entries; the 7 older ones are not read"
    # the next fetch takes the newest again: a new one is read, the old ones stay unread
    site.routes["/big.xml"] = Route(_numbered_feed([11, *range(1, 11)]))
    (again,) = run_ingest(file_store, site.url("/big.xml"), max_feed_entries=3)
    assert [(o.title, o.status) for o in again.outcomes] == [
        ("Story 11", "stored"),
        ("Story 9", "skipped"),
        ("Story 10", "skipped"),
    ]
    assert file_store.count_articles() == 4


@pytest.mark.parametrize(
    ("content_type", "encoding"),
    [
        ("text/xml", "utf-8"),  # no charset, no XML declaration: UTF-8, not Latin-1 or ASCII
        ("application/rss+xml; charset=iso-8859-1", "iso-8859-1"),  # the header names it
        ("application/octet-stream", "utf-8"),
    ],
)
def test_a_feed_is_read_with_its_http_charset_and_no_content_type_warning(
    site: Site, file_store: Store, content_type: str, encoding: str
) -> None:
    words = " ".join(STORIES["library"][1])
    doc = (
        "<rss version='2.0'><channel><title>Zürich Grüße</title>"
        f"<item><title>Café für alle</title><guid>c</guid><description>{words}</description>"
        "</item></channel></rss>"
    )
    site.routes["/feed.xml"] = Route(doc.encode(encoding), content_type=content_type)
    (report,) = run_ingest(file_store, site.url("/feed.xml"))
    assert report.note is None
    assert [(o.title, o.status) for o in report.outcomes] == [("Café für alle", "stored")]
    feed = file_store.get_feed(site.url("/feed.xml"))
    assert feed is not None and feed.title == "Zürich Grüße"


def test_entry_pages_from_one_host_are_fetched_at_the_polite_pace(
    site: Site, file_store: Store
) -> None:
    links = "".join(
        f"<item><title>Page {n}</title><link>{site.url(f'/p{n}')}</link><guid>p{n}</guid></item>"
        for n in range(6)
    )
    site.routes["/feed.xml"] = Route(
        f"<rss version='2.0'><channel><title>T</title>{links}</channel></rss>".encode(),
        content_type="application/rss+xml",
    )
    for n in range(6):
        site.routes[f"/p{n}"] = Route(page("harbour"))
    (report,) = run_ingest(file_store, site.url("/feed.xml"), pacer=HostPacer(2, window=0.5))
    assert len(report.outcomes) == 6
    starts = [t for t, path in site.log if path.startswith("/p")]
    assert len(starts) == 6
    # at most 2 page fetches start in any half second (the server logs arrivals, which a loaded
    # machine can delay by a little after the pacer lets a fetch go: unpaced, all six arrive
    # within a few milliseconds)
    assert all(later - earlier >= 0.3 for earlier, later in zip(starts, starts[2:], strict=False))
    assert starts[-1] - starts[0] >= 0.9


def test_an_entry_whose_page_repeats_a_stored_text_is_not_fetched_on_the_next_poll(
    site: Site, file_store: Store
) -> None:
    site.routes["/harbour-copy"] = Route(page("harbour"))  # the same story at another URL
    site.routes["/feed.xml"] = Route(
        rss(site, [("g1", "/harbour", "Tue, 03 Nov 2026 09:00:00 GMT")]),
        content_type="application/rss+xml",
    )
    run_ingest(file_store, site.url("/feed.xml"))
    both = rss(
        site,
        [
            ("g1", "/harbour", "Tue, 03 Nov 2026 09:00:00 GMT"),
            ("g2", "/harbour", "Tue, 03 Nov 2026 10:00:00 GMT"),
        ],
    )
    head, _, tail = both.rpartition(b"/harbour</link>")  # the second entry links the copy
    site.routes["/feed.xml"] = Route(
        head + b"/harbour-copy</link>" + tail, content_type="application/rss+xml"
    )
    (second,) = run_ingest(file_store, site.url("/feed.xml"))
    assert [o.reason for o in second.outcomes] == ["same feed entry", "same text"]
    (third,) = run_ingest(file_store, site.url("/feed.xml"))
    assert [o.reason for o in third.outcomes] == ["same feed entry", "same feed entry"]
    assert site.hits["/harbour-copy"] == 1 and site.hits["/harbour"] == 1
    assert file_store.count_articles() == 1


def test_every_way_in_reaches_the_tenant_that_asked_stored_already_or_not(
    site: Site, file_store: Store
) -> None:
    ta, tb = Tenant("slack", "TA"), Tenant("slack", "TB")
    (first,) = run_ingest(file_store, site.url("/harbour"), tenant=ta)
    (again,) = run_ingest(file_store, site.url("/harbour?utm_source=x"), tenant=tb)
    (text,) = run_ingest(file_store, " ".join(STORIES["bridge"][1]), tenant=tb)
    assert [r.outcomes[0].status for r in (first, again, text)] == ["stored", "skipped", "stored"]
    assert site.hits["/harbour"] == 1  # a known link is not fetched again for another tenant
    harbour, bridge = first.outcomes[0].article_id, text.outcomes[0].article_id
    assert harbour is not None and bridge is not None
    assert file_store.article_tenants(harbour) == [ta, tb]
    assert file_store.article_tenants(bridge) == [tb]
    (operators,) = run_ingest(file_store, site.url("/library"))
    assert file_store.article_tenants(operators.outcomes[0].article_id or 0) == []


def test_a_feed_listing_a_stored_article_links_it_and_reaches_its_followers(
    site: Site, file_store: Store
) -> None:
    feed_url = site.url("/feed.xml")
    site.routes["/feed.xml"] = Route(
        rss(site, [("g1", "/harbour", "Tue, 03 Nov 2026 09:00:00 GMT")]),
        content_type="application/rss+xml",
        headers={"ETag": '"v1"'},
    )
    (pasted,) = run_ingest(file_store, site.url("/harbour"), tenant=Tenant("slack", "TA"))
    file_store.follow_feed(Channel("discord", "GB", "C1"), feed_url)
    (poll,) = run_ingest(file_store, feed_url)  # as the poller does: no tenant of its own
    assert [o.status for o in poll.outcomes] == ["skipped"] and site.hits["/harbour"] == 1
    article = pasted.outcomes[0].article_id
    assert article is not None
    assert file_store.article_tenants(article) == [Tenant("discord", "GB"), Tenant("slack", "TA")]
    found = file_store.find_duplicate(feed_url=feed_url, entry_id="g1")
    assert found is not None and found[0].id == article

    # A new follower's request reads the feed in full, though a poll would get 304.
    assert run_ingest(file_store, feed_url)[0].outcomes == ()
    (full,) = run_ingest(file_store, feed_url, tenant=Tenant("slack", "TC"))
    assert [o.status for o in full.outcomes] == ["skipped"]
    assert Tenant("slack", "TC") in file_store.article_tenants(article)


def test_feed_answering_not_modified_is_reported_and_stores_nothing(
    site: Site, file_store: Store
) -> None:
    site.routes["/feed.xml"] = Route(
        rss(site, [("g1", "/harbour", "Tue, 03 Nov 2026 09:00:00 GMT")]),
        content_type="application/rss+xml",
        headers={"ETag": '"v1"'},
    )
    run_ingest(file_store, site.url("/feed.xml"))
    (report,) = run_ingest(file_store, site.url("/feed.xml"))
    assert report.outcomes == ()
    assert report.note is not None and "not modified" in report.note
    feed = file_store.get_feed(site.url("/feed.xml"))
    assert feed is not None and feed.etag == '"v1"'


def test_entry_whose_page_fails_falls_back_to_feed_content_or_fails_clearly(
    site: Site, file_store: Store
) -> None:
    long_text = " ".join(STORIES["bridge"][1])
    site.routes["/feed.xml"] = Route(
        (
            "<?xml version='1.0'?><rss version='2.0' "
            "xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel><title>T</title>"
            f"<link>{site.base}/</link><description>d</description>"
            f"<item><title>Bridge</title><link>{site.url('/gone-1')}</link><guid>a</guid>"
            f"<content:encoded><![CDATA[<p>{long_text}</p>]]></content:encoded></item>"
            f"<item><title>Nothing here</title><link>{site.url('/gone-2')}</link><guid>b</guid>"
            "<description>Too short.</description></item>"
            "</channel></rss>"
        ).encode(),
        content_type="application/rss+xml",
    )
    (report,) = run_ingest(file_store, site.url("/feed.xml"))
    by_ref = {o.ref: o for o in report.outcomes}
    assert by_ref[site.url("/gone-1")].status == "stored"
    failed = by_ref[site.url("/gone-2")]
    assert failed.status == "failed" and failed.reason and "404" in failed.reason
    assert file_store.count_articles() == 1


def test_article_url_with_tracking_parameters_is_a_duplicate(site: Site, file_store: Store) -> None:
    first, again = run_ingest(
        file_store,
        site.url("/library"),
        site.url("/library?utm_source=newsletter&utm_medium=email"),
    )
    assert first.stored and first.stored[0].title == "Library reopens after repairs"
    assert again.skipped and again.skipped[0].article_id == first.stored[0].article_id
    assert file_store.count_articles() == 1


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        (Route(b"", status=404), "404"),
        (Route(bytes(range(256)) * 40, content_type="application/octet-stream"), ""),
        (Route(b"<html><body></body></html>"), ""),
        (Route(b"<html><body><p>Log in to continue.</p></body></html>"), ""),
    ],
    ids=["404", "binary", "empty-page", "no-article"],
)
def test_bad_pages_fail_with_a_reason_and_store_nothing(
    site: Site, file_store: Store, route: Route, expected: str
) -> None:
    site.routes["/bad"] = route
    (report,) = run_ingest(file_store, site.url("/bad"))
    (outcome,) = report.outcomes
    assert outcome.status == "failed"
    assert outcome.reason and expected in outcome.reason
    assert "Traceback" not in outcome.reason
    assert file_store.count_articles() == 0


def test_a_throttled_fetch_carries_the_servers_wait(site: Site, file_store: Store) -> None:
    site.routes["/busy"] = Route(b"slow down", status=429, headers={"Retry-After": "120"})
    site.routes["/down"] = Route(b"oops", status=500)
    busy, down = run_ingest(file_store, site.url("/busy"), site.url("/down"))
    (throttled,) = busy.outcomes
    assert throttled.status == "failed" and throttled.retry_after == 120
    (failed,) = down.outcomes
    assert failed.status == "failed" and failed.retry_after is None


def test_private_address_is_refused_without_the_setting(site: Site, file_store: Store) -> None:
    (report,) = run_ingest(file_store, site.url("/harbour"), allow_private=False)
    (outcome,) = report.outcomes
    assert outcome.status == "failed" and outcome.reason
    assert "refused" in outcome.reason.lower() or "private" in outcome.reason.lower()
    assert site.hits.get("/harbour") is None
    assert file_store.count_articles() == 0


def test_local_files_and_text_are_ingested(tmp_path: Path, file_store: Store) -> None:
    html = tmp_path / "story.html"
    html.write_bytes(page("bridge"))
    text_file = tmp_path / "notes.txt"
    title, paragraphs = STORIES["harbour"]
    text_file.write_text(title + "\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    pasted = "\n\n".join(STORIES["library"][1])
    reports = run_ingest(
        file_store, str(html), str(text_file), pasted, str(tmp_path / "missing.html")
    )
    assert [r.outcomes[0].status for r in reports] == ["stored", "stored", "stored", "failed"]
    assert reports[1].outcomes[0].title == "Harbour gates approved"
    assert "no such file" in (reports[3].outcomes[0].reason or "")
    # The same text pasted again, with different spacing, is the same story.
    (again,) = run_ingest(file_store, pasted.replace("\n\n", "\n\n\n").upper())
    assert again.outcomes[0].status == "skipped"
    assert file_store.count_articles() == 3


def test_local_feed_file_is_read_as_a_feed(tmp_path: Path, file_store: Store, site: Site) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss(site, [("g1", "/bridge", "Tue, 03 Nov 2026 09:00:00 GMT")]))
    (report,) = run_ingest(file_store, str(feed))
    assert [o.status for o in report.outcomes] == ["stored"]
    assert report.outcomes[0].title == "Old bridge closed to lorries"


def test_broken_feed_fails_with_the_problem_named(site: Site, file_store: Store) -> None:
    site.routes["/feed.xml"] = Route(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>Half a fee",
        content_type="application/rss+xml",
    )
    (report,) = run_ingest(file_store, site.url("/feed.xml"))
    (outcome,) = report.outcomes
    assert outcome.status == "failed" and outcome.reason
    assert file_store.count_articles() == 0


def test_a_whole_feed_failing_is_the_reports_failure_and_the_feeds_last_error(
    site: Site, file_store: Store
) -> None:
    del site.routes["/library"]  # its entry fails alone
    site.routes["/feed.xml"] = Route(
        rss(site, [("g1", "/harbour", ""), ("g2", "/library", "")]),
        content_type="application/rss+xml",
    )
    (partly,) = run_ingest(file_store, site.url("/feed.xml"))
    site.routes["/feed.xml"] = Route(
        b"<rss><channel><title>Half", content_type="application/rss+xml"
    )
    (broken,) = run_ingest(file_store, site.url("/feed.xml"))

    assert partly.failed and partly.failure is None  # an entry failing alone is not the feed's
    assert broken.failure is not None and broken.failure is broken.outcomes[0]
    feed = file_store.get_feed(site.url("/feed.xml"))
    assert feed is not None and feed.last_error == broken.failure.reason


def test_ingest_stores_the_articles_quotes_with_it(
    tmp_path: Path, file_store: Store, quote_extractor: QuoteExtractor
) -> None:
    text = (
        "Harbour gates approved\n\n"
        + "\n\n".join(STORIES["harbour"][1])
        + '\n\n"We waited ten years for this," Mayor Ann Reed told the council.'
    )

    async def go() -> IngestReport:
        fetcher = Fetcher(timeout=5)
        pipeline = Pipeline(file_store, LeadSummarizer(), fetcher, quote_finder=quote_extractor)
        try:
            return IngestReport("text", (await pipeline.ingest_text(text),))
        finally:
            await fetcher.aclose()
            pipeline.close()

    (outcome,) = asyncio.run(go()).outcomes
    assert outcome.status == "stored" and outcome.article_id is not None
    (quote,) = file_store.quotes_for_article(outcome.article_id)
    assert quote.quote.text == "We waited ten years for this,"
    assert quote.quote.speaker == "Ann Reed"
    assert file_store.quotes_by_person("Reed")[0].article.title == "Harbour gates approved"
