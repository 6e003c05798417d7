"""Hostile sources end to end: a loopback web server, the real fetcher, extractor, store and a
lead summariser. Each bad source fails with its reason and stores nothing; a bad entry never
takes the good entries of its feed down with it."""

from __future__ import annotations

import asyncio
import json
import random
import string
from pathlib import Path

import pytest

from summaries.ingest.fetch import Fetcher
from summaries.ingest.pipeline import IngestReport, Pipeline
from summaries.store import Store
from summaries.types import ParsedFeed
from summaries.understand.quotes import QuoteExtractor
from summaries.understand.summarize import LeadSummarizer
from tests.loopback import Route, Site, serve
from tests.samples import ingest_texts
from tests.summaries.ingest.stories import STORIES, page, rss, run_ingest

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 40
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8


def outcomes(report: IngestReport) -> list[tuple[str, str | None]]:
    return [(o.status, o.reason) for o in report.outcomes]


def test_an_entry_dated_past_the_calendar_is_stored_undated_with_the_rest(
    site: Site, file_store: Store
) -> None:
    items = "".join(
        f"<item><title>{STORIES[key][0]}</title><link>{site.url('/' + key)}</link>"
        f"<pubDate>{date}</pubDate></item>"
        for key, date in [
            ("harbour", "Fri, 31 Dec 9999 23:59:59 -0500"),
            ("library", "Wed, 01 May 2024 10:00:00 GMT"),
        ]
    )
    site.routes["/feed.xml"] = Route(
        f"<rss version='2.0'><channel><title>Gazette</title>{items}</channel></rss>".encode(),
        content_type="application/rss+xml",
    )

    (report,) = run_ingest(file_store, site.url("/feed.xml"))

    assert [o.status for o in report.outcomes] == ["stored", "stored"]
    dates = {a.title: a.published for a in file_store.latest_articles(10)}
    assert dates[STORIES["harbour"][0]] is None
    assert dates[STORIES["library"][0]] is not None


def test_json_feeds_with_huge_numbers_or_lone_surrogates_are_stored(
    site: Site, file_store: Store
) -> None:
    huge = "9" * 5000
    site.routes["/numbers.json"] = Route(
        (
            '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": '
            f'{huge}, "url": "{site.url("/bridge")}", "rank": {huge}}}]}}'
        ).encode(),
        content_type="application/feed+json",
    )
    text = " ".join(STORIES["library"][1])
    site.routes["/halves.json"] = Route(
        (
            '{"version": "https://jsonfeed.org/version/1.1", "title": "Half \\ud800",'
            '"items": [{"id": "h1", "title": "Library \\udfff reopens",'
            f'"content_text": {json.dumps(text)[:-1]} \\ud800"}}]}}'
        ).encode(),
        content_type="application/feed+json",
    )

    numbers, halves = run_ingest(file_store, site.url("/numbers.json"), site.url("/halves.json"))

    assert [o.status for o in numbers.outcomes] == ["stored"]
    assert [o.status for o in halves.outcomes] == ["stored"]
    assert halves.outcomes[0].title == "Library \ufffd reopens"
    feed = file_store.get_feed(site.url("/halves.json"))
    assert feed is not None and feed.title == "Half \ufffd"


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (PDF, "application/pdf", "a PDF document"),
        (PDF, "text/html; charset=utf-8", "a PDF document"),
        (PNG, "image/png", "a PNG image"),
        (JPEG, "", "a JPEG image"),
        (bytes((i * 97 + 13) % 256 for i in range(20_000)), "text/html", "binary data"),
    ],
)
def test_a_page_that_is_a_pdf_or_a_picture_fails_by_name_and_stores_nothing(
    site: Site, file_store: Store, body: bytes, content_type: str, kind: str
) -> None:
    site.routes["/file"] = Route(body, content_type=content_type)

    (report,) = run_ingest(file_store, site.url("/file"))

    assert outcomes(report) == [
        ("failed", f"no article text found on the page: it is {kind}, not HTML")
    ]
    assert file_store.latest_articles(10) == []


def test_a_page_with_hostile_dates_and_json_ld_is_stored_undated(
    site: Site, file_store: Store
) -> None:
    title, paragraphs = STORIES["bridge"]
    head = (
        "<meta property='article:published_time' content='9999-12-31T23:59:59-05:00'>"
        "<script type='application/ld+json'>"
        '{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00+05:00", "n": '
        + "9" * 5000
        + "}</script><script type='application/ld+json'>"
        + "[" * 50_000
        + "]" * 50_000
        + "</script>"
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    site.routes["/story"] = Route(
        f"<html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>".encode()
    )

    (report,) = run_ingest(file_store, site.url("/story"))

    assert [o.status for o in report.outcomes] == ["stored"]
    (article,) = file_store.latest_articles(10)
    assert article.published is None


def test_a_feed_cannot_make_the_bot_fetch_internal_or_non_web_addresses(
    site: Site, file_store: Store, tmp_path: Path
) -> None:
    """Entry links to loopback, the cloud metadata address, files and scripts: none is
    fetched, each entry fails with its reason, the feed itself is read."""
    links = [
        site.url("/harbour"),
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/admin",
        "http://2130706433/",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ]
    items = "".join(
        f"<item><title>Entry {n}</title><link>{link}</link></item>" for n, link in enumerate(links)
    )
    feed = tmp_path / "feed.xml"
    feed.write_text(f"<rss version='2.0'><channel><title>G</title>{items}</channel></rss>")

    (report,) = run_ingest(file_store, str(feed), allow_private=False)

    reasons = [o.reason or "" for o in report.outcomes]
    assert [o.status for o in report.outcomes] == ["failed"] * len(links)
    assert "loopback address (127.0.0.1)" in reasons[0]
    assert "link-local address (169.254.169.254)" in reasons[1]
    assert "loopback address (::1)" in reasons[2]
    assert "loopback address (127.0.0.1)" in reasons[3]
    assert reasons[4:] == ["entry has no article text"] * 2
    assert site.hits == {}
    assert file_store.latest_articles(10) == []


def test_files_that_are_pictures_folders_or_devices_fail_by_name(
    file_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("photo.png").write_bytes(PNG)
    Path("report.pdf").write_bytes(PDF)
    Path("notes").mkdir()

    reports = run_ingest(
        file_store, "photo.png", "report.pdf", "notes", "/dev/null", "missing.html"
    )

    assert [outcomes(r) for r in reports] == [
        [("failed", "not a text, HTML or feed file: it is a PNG image")],
        [("failed", "not a text, HTML or feed file: it is a PDF document")],
        [("failed", "notes is a folder, not a file")],
        [("failed", "/dev/null is not a regular file (a device, a pipe or a socket)")],
        [("failed", "no such file: missing.html")],
    ]
    assert file_store.latest_articles(10) == []


def test_text_of_invisible_or_no_characters_is_refused_and_lone_surrogates_replaced(
    file_store: Store,
) -> None:
    invisible, signs, halves = run_ingest(
        file_store,
        "\u202e\u200b\ufeff\u2060 \u00ad",
        "… — ! \ud800 ?",
        "The harbour gates \ud800 opened on Tuesday after years of \udfff debate.",
    )

    assert outcomes(invisible) == [("failed", "the text is empty")]
    assert outcomes(signs) == [("failed", "the text has no words in it (no letter or digit)")]
    assert [o.status for o in halves.outcomes] == ["stored"]
    (article,) = file_store.latest_articles(10)
    assert article.text == (
        "The harbour gates \ufffd opened on Tuesday after years of \ufffd debate."
    )


def test_a_page_whose_body_never_ends_fails_at_the_size_cap(site: Site, file_store: Store) -> None:
    site.routes["/big"] = Route(page("harbour") + b"<p>filler</p>" * 600_000)  # 7.8 MB

    (report,) = run_ingest(file_store, site.url("/big"))

    assert outcomes(report) == [
        ("failed", f"could not fetch {site.url('/big')}: response larger than 5 MB")
    ]


def test_a_page_cannot_claim_another_sites_address_and_shadow_its_story(
    site: Site, file_store: Store
) -> None:
    """A page naming another site's story as its canonical URL is stored under its own: the
    real story, asked for later, is fetched and stored, not answered with the impostor."""
    title, paragraphs = STORIES["library"]
    with serve() as other:  # another site: "localhost", not "127.0.0.1"
        other.base = other.base.replace("127.0.0.1", "localhost")
        other.routes["/real"] = Route(page("bridge"))
        real = other.url("/real")
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        site.routes["/impostor"] = Route(
            f"<html><head><title>{title}</title><link rel='canonical' href='{real}'></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>".encode()
        )
        site.routes["/own"] = Route(
            page("harbour").replace(
                b"<head>", f"<head><link rel='canonical' href='{site.url('/harbour')}'>".encode()
            )
        )

        impostor, genuine, own = run_ingest(
            file_store, site.url("/impostor"), real, site.url("/own")
        )

        assert [o.status for o in (*impostor.outcomes, *genuine.outcomes)] == ["stored"] * 2
        assert impostor.outcomes[0].url == site.url("/impostor")
        assert genuine.outcomes[0].url == real
        assert genuine.outcomes[0].title == STORIES["bridge"][0]
        assert other.hits == {"/real": 1}
        # a canonical URL on the page's own site is still the article's URL
        assert own.outcomes[0].url == site.url("/harbour")


def test_a_date_far_in_the_future_is_not_believed(site: Site, file_store: Store) -> None:
    """A feed dating its entries 2099 would keep them the newest stories and quotes of every
    list for decades: such a date is dropped (the page's own date, if believable, is used)."""
    items = "".join(
        f"<item><title>{STORIES[key][0]}</title><link>{site.url('/' + key)}</link>"
        f"<pubDate>{date}</pubDate></item>"
        for key, date in [
            ("harbour", "Thu, 01 Jan 2099 10:00:00 GMT"),
            ("library", "Wed, 01 May 2024 10:00:00 GMT"),
        ]
    )
    site.routes["/feed.xml"] = Route(
        f"<rss version='2.0'><channel><title>Gazette</title>{items}</channel></rss>".encode(),
        content_type="application/rss+xml",
    )

    (report,) = run_ingest(file_store, site.url("/feed.xml"), max_feed_entries=1)

    # the one entry read is the believable newest, not the one dated 2099
    assert [o.title for o in report.outcomes] == [STORIES["library"][0]]
    assert report.note is not None and "older ones are not read" in report.note
    run_ingest(file_store, site.url("/feed.xml"))
    stored = {a.title: a.published for a in file_store.latest_articles(10)}
    assert stored[STORIES["harbour"][0]] is None
    assert stored[STORIES["library"][0]] is not None


def test_a_page_with_a_title_of_a_megabyte_is_stored_with_a_short_one(
    site: Site, file_store: Store
) -> None:
    title = "Harbour " * 130_000
    site.routes["/long-title"] = Route(
        page("harbour").replace(b"<title>", f"<title>{title}".encode())
    )
    long_host = "https://" + "a" * 300 + ".example/story"

    long_title, bad_host = run_ingest(file_store, site.url("/long-title"), long_host)

    assert [o.status for o in long_title.outcomes] == ["stored"]
    (article,) = file_store.latest_articles(10)
    assert article.title is not None and len(article.title) <= 300
    assert outcomes(bad_host) == [
        ("failed", f"could not fetch {long_host}: invalid host name '{'a' * 100}'")
    ]


@pytest.mark.parametrize(
    "validators",
    [
        {"ETag": 'W/"caf\u00e9"'},  # sent as the Latin-1 byte, which HTTP allows
        {"Last-Modified": "Tue, 03 Nov 2026 09:00:00 GMT\u00e9"},
        {"ETag": '"' + "v" * 20_000 + '"'},  # past what servers take back in a request header
    ],
)
def test_a_feed_whose_validators_cannot_be_sent_back_is_still_read_on_later_polls(
    site: Site, file_store: Store, validators: dict[str, str]
) -> None:
    """An ETag or Last-Modified is sent back on the next poll: one that can't be (a byte past
    ASCII made every later poll 'unexpected error while fetching') is dropped, so later polls
    are plain fetches and new entries still arrive."""
    url = site.url("/feed.xml")
    first = [("g1", "/harbour", "Tue, 03 Nov 2026 09:00:00 GMT")]
    feed_type = "application/rss+xml"
    site.routes["/feed.xml"] = Route(rss(site, first), content_type=feed_type, headers=validators)
    run_ingest(file_store, url)
    second = [*first, ("g2", "/library", "Wed, 04 Nov 2026 10:00:00 GMT")]
    site.routes["/feed.xml"] = Route(rss(site, second), content_type=feed_type, headers=validators)

    (report,) = run_ingest(file_store, url)  # a poll: no one asked, the validators are sent

    assert sorted(o.status for o in report.outcomes) == ["skipped", "stored"]
    feed = file_store.get_feed(url)
    assert feed is not None and feed.last_error is None
    assert (feed.etag, feed.last_modified) == (None, None)
    assert {a.title for a in file_store.latest_articles(10)} == {
        STORIES["harbour"][0],
        STORIES["library"][0],
    }


@pytest.mark.parametrize("charset", ["undefined", "idna", "punycode"])
def test_a_charset_no_document_decodes_with_is_ignored_for_feeds_and_pages(
    site: Site, file_store: Store, charset: str
) -> None:
    """Python has codecs by these names that raise rather than replace what they can't read:
    named in a Content-Type they made a feed 'malformed' and following a page an internal
    error. The document is read as if no charset were named."""
    feed_type = f"application/rss+xml; charset={charset}"
    items = [("g1", "/harbour", "Tue, 03 Nov 2026 09:00:00 GMT")]
    site.routes["/feed.xml"] = Route(rss(site, items), content_type=feed_type)
    site.routes["/home"] = Route(
        b"<html><head><link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
        b"</head><body>Home</body></html>",
        content_type=f"text/html; charset={charset}",
    )

    (report,) = run_ingest(file_store, site.url("/feed.xml"))
    feed_url, parsed = find_feed(site.url("/home"))

    assert outcomes(report) == [("stored", None)]
    assert (feed_url, parsed.title) == (site.url("/feed.xml"), "Westmere Gazette")


def find_feed(url: str) -> tuple[str, ParsedFeed]:
    async def go() -> tuple[str, ParsedFeed]:
        with Store("sqlite://") as store:
            fetcher = Fetcher(allow_private=True, timeout=5)
            pipeline = Pipeline(store, LeadSummarizer(), fetcher)
            try:
                return await pipeline.find_feed(url)
            finally:
                await fetcher.aclose()
                pipeline.close()

    return asyncio.run(go())


def test_pages_and_atom_feeds_with_external_entities_never_store_a_local_file(
    site: Site, file_store: Store, tmp_path: Path
) -> None:
    """What is stored is sent to chat: a page or a feed naming a local file as an entity, or
    XIncluding it, must never bring its contents along (the RSS parser's own test is in
    test_hostile_feeds)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("the harbour master's password is kelp-42")
    entities = (
        f'<!DOCTYPE html [<!ENTITY a SYSTEM "{secret.as_uri()}"><!ENTITY b SYSTEM "{secret}">]>'
    )
    xinclude = (
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret.as_uri()}" '
        'parse="text"/>'
    )
    site.routes["/leaky"] = Route(
        b'<?xml version="1.0"?>'
        + entities.encode()
        + page("harbour")
        .replace(b"<title>", b"<title>&a;")
        .replace(b"</article>", f"<p>Leak: &a; &b;</p>{xinclude}</article>".encode())
    )
    atom_entities = entities.replace("DOCTYPE html", "DOCTYPE feed")
    title, paragraphs = STORIES["library"]
    content = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in paragraphs)
    site.routes["/atom.xml"] = Route(
        (
            f"<?xml version='1.0'?>{atom_entities}<feed xmlns='http://www.w3.org/2005/Atom'>"
            "<title>Gazette &a;</title><id>urn:x</id><updated>2024-05-01T10:00:00Z</updated>"
            f"<entry><title>{title} &a;</title><id>urn:x:1</id>"
            "<updated>2024-05-01T10:00:00Z</updated><author><name>&b;</name></author>"
            f"<content type='html'>{content} &amp;a; &a;</content></entry></feed>"
        ).encode(),
        content_type="application/atom+xml",
    )

    leaky, atom = run_ingest(file_store, site.url("/leaky"), site.url("/atom.xml"))

    assert [o.status for o in (*leaky.outcomes, *atom.outcomes)] == ["stored", "stored"]
    stored = file_store.latest_articles(10)
    assert len(stored) == 2
    for article in stored:
        assert "kelp-42" not in repr(article)
        assert all("kelp-42" not in repr(q) for q in file_store.quotes_for_article(article.id))


LATIN_PAGE = (
    "<html><head><title>Müller opens the café</title></head><body><article>"
    "<p>Jürgen Müller opened the harbour café on Tuesday after a long summer of building "
    "work, and the first customers paid in euros for crème brûlée and coffee.</p>"
    "<p>The town council said the café would stay open through the winter, when the ferry "
    "runs only twice a day and the quay is quiet.</p></article></body></html>"
)


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252"])
def test_a_page_whose_charset_only_the_server_names_is_read_in_it(
    site: Site, file_store: Store, declared: str
) -> None:
    """Many servers name a page's charset in the Content-Type alone: the page was read as
    UTF-8 and every accent became a replacement character."""
    site.routes["/cafe"] = Route(
        LATIN_PAGE.encode("cp1252"), content_type=f"text/html; charset={declared}"
    )
    (report,) = run_ingest(file_store, site.url("/cafe"))
    assert outcomes(report) == [("stored", None)]
    (article,) = file_store.latest_articles(1)
    assert article.title == "Müller opens the café"
    stored = file_store.get_article(article.id)
    assert stored is not None and "crème brûlée" in stored.text and "\ufffd" not in stored.text


def test_a_utf8_page_a_server_calls_latin_1_by_default_stays_utf8(
    site: Site, file_store: Store
) -> None:
    site.routes["/cafe"] = Route(
        LATIN_PAGE.encode("utf-8"), content_type="text/html; charset=ISO-8859-1"
    )
    (report,) = run_ingest(file_store, site.url("/cafe"))
    assert outcomes(report) == [("stored", None)]
    (article,) = file_store.latest_articles(1)
    assert article.title == "Müller opens the café"  # not "MÃ¼ller opens the cafÃ©"


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=utf-16",  # no NUL in the bytes: no 16-bit text
        "text/html; charset=UTF-16LE",
        "text/html; charset=utf-32",
        "text/html; charset=cp037",  # EBCDIC: ASCII markup is not in it
        "text/html; charset=utf-7",
        'text/html; charset="utf-8"',  # these held already
        "text/html; charset=utf8mb4",
        "text/html; charset=x-user-defined",
    ],
)
def test_a_page_or_feed_a_server_gives_a_charset_it_cannot_be_in_is_read(
    site: Site, file_store: Store, content_type: str
) -> None:
    """A misconfigured server's UTF-16 for an 8-bit page turned every two letters into one CJK
    character (the page stored as such), and its feed was refused as malformed XML."""
    site.routes["/cafe"] = Route(LATIN_PAGE.encode("utf-8"), content_type=content_type)
    items = [("g1", "/harbour", "Tue, 03 Nov 2026 09:00:00 GMT")]
    feed_type = content_type.replace("text/html", "application/rss+xml")
    site.routes["/feed.xml"] = Route(rss(site, items), content_type=feed_type)

    cafe, feed = run_ingest(file_store, site.url("/cafe"), site.url("/feed.xml"))

    assert outcomes(cafe) == outcomes(feed) == [("stored", None)]
    titles = {a.title for a in file_store.latest_articles(10)}
    assert titles == {"Müller opens the café", STORIES["harbour"][0]}


def test_a_utf16_page_without_a_bom_or_with_one_the_header_contradicts_is_read(
    site: Site, file_store: Store
) -> None:
    """Both held already: a true UTF-16 page is read in the server's UTF-16 (its bytes hold
    NULs), and a BOM wins over the server's charset (as in browsers)."""
    site.routes["/wide"] = Route(
        LATIN_PAGE.encode("utf-16-le"), content_type="text/html; charset=utf-16le"
    )
    other = LATIN_PAGE.replace("café</title>", "café again</title>").replace("Tues", "Wednes")
    bom = b"\xef\xbb\xbf" + other.encode()
    site.routes["/bom"] = Route(bom, content_type="text/html; charset=windows-1252")
    wide, marked = run_ingest(file_store, site.url("/wide"), site.url("/bom"))
    assert outcomes(wide) == outcomes(marked) == [("stored", None)]
    titles = {a.title for a in file_store.latest_articles(10)}
    assert titles == {"Müller opens the café", "Müller opens the café again"}


def test_an_article_with_a_quotation_of_a_megabyte_is_stored_on_every_backend(
    store_url: str, quote_extractor: QuoteExtractor
) -> None:
    """A quote mark left open over a page made one quotation of it: PostgreSQL can't index a
    text's words past 1 MB (ProgramLimitExceeded) and the whole article was lost there. Such a
    quotation is no quote and is not kept; the article and its other quotes are."""
    rnd = random.Random(5)
    words = " ".join(
        "".join(rnd.choice(string.ascii_lowercase) for _ in range(9)) for _ in range(110_000)
    )
    text = (
        "Harbour works go on\n\n"
        "\u201cThe gates will hold,\u201d said Ann Reed, the harbour master.\n\n"
        f"\u201c{words},\u201d said Tom Vale."
    )
    with Store(store_url) as store:
        ingest_texts(store, [(text, "https://news.example/gates", None)], quote_extractor)
        (article,) = store.latest_articles(5)
        said = [q.quote for q in store.quotes_for_article(article.id)]
    assert [(q.speaker, q.text) for q in said] == [("Ann Reed", "The gates will hold,")]


def test_a_link_with_a_password_is_stored_and_shown_without_it(
    site: Site, file_store: Store
) -> None:
    """A page fetched from a link with user info (`http://ann:secret@host/story`, fetched as
    given) was stored under it, and its site name read from it ('ann:secret@127.0.0.1:…'),
    shown with every citation of the story. A canonical URL with user info likewise."""
    secret = site.url("/harbour").replace("http://", "http://ann:secret@")
    claimed = site.url("/library").replace("http://", "http://bo:hunter2@")
    site.routes["/claims"] = Route(
        page("library").replace(
            b"</head>", f"<link rel='canonical' href='{claimed}'></head>".encode()
        )
    )
    fetched, canonical = run_ingest(file_store, secret, site.url("/claims"))
    assert [o.status for o in fetched.outcomes + canonical.outcomes] == ["stored", "stored"]
    stored = {a.title: a for a in file_store.latest_articles(10)}
    harbour, library = stored[STORIES["harbour"][0]], stored[STORIES["library"][0]]
    assert harbour.url == site.url("/harbour")
    assert library.url == site.url("/library")
    for article in (harbour, library):
        bad = [f for f, v in vars(article).items() if "secret" in str(v) or "hunter2" in str(v)]
        assert not bad, [(f, str(getattr(article, f))[:200]) for f in bad]
