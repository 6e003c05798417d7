"""Tests for summaries.ingest.extract on small hand-written pages and pasted text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from summaries.ingest.extract import extract_html, from_text, looks_like_html
from summaries.ingest.markup import MAX_TAGS, bounded_html
from summaries.types import ExtractError

PARAGRAPHS = [
    "The harbour council of Eastport voted on Tuesday to rebuild the old north pier, "
    "ending a dispute that had split the fishing town for more than a decade.",
    "Mayor Ellen Varga said the new pier would be finished within two years and paid for "
    "mostly by a regional grant, with the remainder coming from mooring fees.",
    "Fishermen who had campaigned for the repairs welcomed the decision, although several "
    "said they feared the work would close the harbour during the busy summer season.",
    "The council will publish detailed plans next month and hold three public meetings "
    "before construction begins, according to a statement released after the vote.",
]

BOILERPLATE = [
    "Subscribe to our newsletter",
    "Great article, thanks for sharing",
    "Share on Facebook",
    "Copyright 2024 Eastport Gazette",
    "Weather Sports Obituaries",
    "Ten best beaches near Eastport",
]


def news_page(head: str = "", *, body_text: list[str] | None = None) -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in (body_text or PARAGRAPHS))
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Council votes to rebuild north pier | Eastport Gazette</title>
{head}
</head><body>
<header><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/news">News</a></li>
  <li><a href="/weather">Weather Sports Obituaries</a></li>
</ul></nav></header>
<main><article>
  <h1>Council votes to rebuild north pier</h1>
  <div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
  {paragraphs}
</article>
<aside class="related"><h2>Related</h2><ul>
  <li><a href="/a">Ten best beaches near Eastport</a></li>
  <li><a href="/b">Ferry timetable changes announced</a></li>
</ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
  <div class="comment"><p>Great article, thanks for sharing this news with us all.</p></div>
</section>
<div class="newsletter-signup"><p>Subscribe to our newsletter for daily updates.</p></div>
</main>
<footer><p>Copyright 2024 Eastport Gazette. All rights reserved.</p></footer>
</body></html>"""


META_HEAD = """
<meta name="author" content="Jane Okafor">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<meta property="og:site_name" content="Eastport Gazette">
<meta property="og:title" content="Council votes to rebuild north pier">
<link rel="canonical" href="https://gazette.example/news/north-pier">
"""


def test_extract_html_keeps_article_paragraphs_and_drops_boilerplate() -> None:
    article = extract_html(news_page(META_HEAD))

    assert article.paragraphs == tuple(PARAGRAPHS)
    for junk in BOILERPLATE:
        assert junk not in article.text


def test_extract_html_reads_metadata_from_meta_tags() -> None:
    article = extract_html(news_page(META_HEAD), url="https://gazette.example/?utm=feed")

    assert article.title == "Council votes to rebuild north pier"
    assert article.byline == "Jane Okafor"
    assert article.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert article.site == "Eastport Gazette"
    assert article.url == "https://gazette.example/news/north-pier"


def test_titles_bylines_and_sites_lose_bidi_and_invisible_characters() -> None:
    head = (
        '<meta name="author" content="Jane\u202e Okafor\u200b">'
        '<meta property="og:site_name" content="\u2067Eastport\u2069 Gazette">'
        '<meta property="og:title" content="Council votes \u202etxt.exe\u202c to rebuild">'
    )
    article = extract_html(news_page(head))

    assert article.title == "Council votes txt.exe to rebuild"
    assert article.byline == "Jane Okafor"
    assert article.site == "Eastport Gazette"
    pasted = from_text("Pier\u202e gnp.exe\u200b\n\nThe council voted on the north pier.")
    assert pasted.title == "Pier gnp.exe"
    given = from_text("The council voted.", title="\u2066Pier\u2069 vote\x07")
    assert given.title == "Pier vote"


def test_extract_html_uses_given_url_when_page_has_no_canonical() -> None:
    article = extract_html(news_page(), url="https://gazette.example/news/pier")

    assert article.url == "https://gazette.example/news/pier"


def test_extract_html_converts_json_ld_date_to_utc() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "Eastport Gazette"},
            {
                "@type": "NewsArticle",
                "headline": "Council votes to rebuild north pier",
                "datePublished": "2024-03-05T09:30:00+02:00",
                "author": {"@type": "Person", "name": "Jane Okafor"},
            },
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'

    article = extract_html(news_page(head))

    assert article.published == datetime(2024, 3, 5, 7, 30, tzinfo=UTC)
    assert article.published.utcoffset() == timedelta(0)
    assert article.byline == "Jane Okafor"


def test_extract_html_accepts_bytes_and_normalises_whitespace() -> None:
    messy = ["  The   harbour\n council\tvoted   today. " + PARAGRAPHS[0], *PARAGRAPHS[1:]]

    article = extract_html(news_page(body_text=messy).encode("utf-8"))

    assert article.paragraphs[0] == "The harbour council voted today. " + PARAGRAPHS[0]
    assert all(p == " ".join(p.split()) and p for p in article.paragraphs)


def test_extract_html_decodes_with_the_meta_charset() -> None:
    accented = [
        "Le café du port a rouvert jeudi après une année de travaux, à la grande joie "
        "des pêcheurs qui s'y retrouvent chaque matin avant l'aube pour parler du temps.",
        *PARAGRAPHS[1:],
    ]
    page = news_page(body_text=accented).replace(
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    )

    article = extract_html(page.encode("iso-8859-1"))

    assert "Le café du port a rouvert jeudi après une année" in article.paragraphs[0]
    assert "pêcheurs" in article.paragraphs[0]


@pytest.mark.parametrize(
    "charset", ["rot13", "base64", "hex", "zlib", "idna", "punycode", "utf-32", "utf-16", "x-nope"]
)
def test_a_page_naming_a_charset_no_page_is_in_is_read_as_utf8(charset: str) -> None:
    # Python's non-text codecs failed with LookupError, "idna" with UnicodeError: an
    # unexpected error instead of the page, whose bytes are plain UTF-8.
    page = news_page().replace('<meta charset="utf-8">', f'<meta charset="{charset}">')

    article = extract_html(page.encode("utf-8"))

    assert "Ellen Varga said the new pier" in article.text


def test_extract_html_replaces_undecodable_bytes_instead_of_failing() -> None:
    page = news_page().encode("utf-8").replace(b"Mayor Ellen", b"Mayor \xff\xfe Ellen")

    article = extract_html(page)

    assert "Ellen Varga said the new pier" in article.text


@pytest.mark.parametrize("page", ["", "   \n ", b"", "<html><head></head><body></body></html>"])
def test_extract_html_rejects_empty_pages(page: str | bytes) -> None:
    with pytest.raises(ExtractError, match="no article text found on the page"):
        extract_html(page)


def test_extract_html_rejects_binary_garbage() -> None:
    garbage = bytes((i * 97 + 13) % 256 for i in range(20_000))

    with pytest.raises(ExtractError, match="no article text found on the page"):
        extract_html(garbage)


def test_extract_html_rejects_a_login_page() -> None:
    page = """<!DOCTYPE html><html><head><title>Sign in | Eastport Gazette</title></head>
    <body><nav><a href="/">Home</a></nav><main>
    <h1>Sign in to continue reading</h1>
    <form><label>Email <input name="email"></label>
    <label>Password <input type="password" name="pw"></label>
    <button>Sign in</button></form>
    <p>Forgot your password? <a href="/reset">Reset it here</a>.</p>
    </main></body></html>"""

    with pytest.raises(ExtractError, match="no article text found on the page"):
        extract_html(page)


def test_extract_html_rejects_a_page_with_too_little_text() -> None:
    short = ["The council met on Tuesday and voted to rebuild the pier."]

    with pytest.raises(ExtractError, match="no article text found on the page"):
        extract_html(news_page(body_text=short))


def test_looks_like_html_tells_pages_from_text_and_feeds() -> None:
    assert looks_like_html(news_page())
    assert looks_like_html(b"\xef\xbb\xbf  <html><body><p>Hi</p></body></html>")
    assert looks_like_html("<p>A fragment of a page.</p>")
    assert not looks_like_html("Council votes to rebuild pier\n\nThe council voted today.")
    assert not looks_like_html("Use the <p> tag for paragraphs, the guide says.")
    assert not looks_like_html(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>')
    assert not looks_like_html(b"")


def test_from_text_takes_a_short_first_line_as_title() -> None:
    text = "Council votes to rebuild north pier\n\n" + "\n\n".join(PARAGRAPHS)

    article = from_text(text)

    assert article.title == "Council votes to rebuild north pier"
    assert article.paragraphs == tuple(PARAGRAPHS)


def test_from_text_keeps_first_line_as_body_when_title_is_given() -> None:
    text = "Council votes to rebuild north pier\n\n" + PARAGRAPHS[0]

    article = from_text(text, title="Pier vote", url="https://gazette.example/pier")

    assert article.title == "Pier vote"
    assert article.paragraphs == ("Council votes to rebuild north pier", PARAGRAPHS[0])
    assert article.url == "https://gazette.example/pier"


def test_from_text_keeps_an_unpunctuated_first_line_without_a_blank_line_in_the_body() -> None:
    text = "The council of Marlow voted on Tuesday to rebuild the old north pier of the town\n"
    text += "After storms. Work starts in May.\nThe pier has stood since 1890."

    article = from_text(text)

    assert article.title is None
    assert article.paragraphs[0].startswith("The council of Marlow voted")


def test_from_text_keeps_a_first_sentence_in_the_body() -> None:
    text = "The council voted today.\n\n" + PARAGRAPHS[0]

    article = from_text(text)

    assert article.title is None
    assert article.paragraphs == ("The council voted today.", PARAGRAPHS[0])


def test_from_text_joins_wrapped_lines_within_a_paragraph() -> None:
    text = "The council   voted\nto rebuild the pier.\n\n  Work starts\tin May.  \n"

    article = from_text(text)

    assert article.title is None
    assert article.paragraphs == ("The council voted to rebuild the pier.", "Work starts in May.")


def test_from_text_splits_on_single_newlines_when_there_are_no_blank_lines() -> None:
    article = from_text("Pier vote\nThe council voted today.\nWork starts in May.")

    assert article.title == "Pier vote"
    assert article.paragraphs == ("The council voted today.", "Work starts in May.")


def test_from_text_joins_a_line_cut_mid_sentence_when_there_are_no_blank_lines() -> None:
    article = from_text("The council voted today to rebuild\nthe north pier.\nWork starts in May.")

    assert article.paragraphs == (
        "The council voted today to rebuild the north pier.",
        "Work starts in May.",
    )


def test_from_text_gives_a_quote_mark_carried_to_the_next_line_back_to_its_sentence() -> None:
    text = (
        'The mayor said the pier "will be rebuilt by May.\n'
        '" Work on the north side starts next week.\n'
        '"It is long overdue.\n'
        '"\n'
        "The council met on Tuesday.\n"
        '"\n'
        'We waited ten years," a fisherman said.\n'
        "The pier will cost £2m. '\n"
        "It is overdue,' the mayor said."
    )

    article = from_text(text, title="Pier")

    assert article.paragraphs == (
        'The mayor said the pier "will be rebuilt by May."',
        "Work on the north side starts next week.",
        '"It is long overdue."',
        "The council met on Tuesday.",
        '"We waited ten years," a fisherman said.',
        "The pier will cost £2m.",
        "'It is overdue,' the mayor said.",
    )


def test_from_text_keeps_a_quote_mark_that_opens_its_line() -> None:
    text = 'The council met.\n" We will vote today," the mayor said.'

    assert from_text(text, title="Pier").paragraphs == (
        "The council met.",
        '" We will vote today," the mayor said.',
    )


def test_from_text_makes_published_utc() -> None:
    local = datetime(2024, 3, 5, 11, 30, tzinfo=timezone(timedelta(hours=2)))

    assert from_text("Body.", published=local).published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert from_text("Body.", published=datetime(2024, 3, 5, 9, 30)).published == datetime(
        2024, 3, 5, 9, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["", "  \n\n \t "])
def test_from_text_rejects_empty_text(text: str) -> None:
    with pytest.raises(ExtractError):
        from_text(text)


def test_extract_html_keeps_names_linked_inline() -> None:
    linked = [
        PARAGRAPHS[0],
        'Supporters included <span class="link"><a href="/p/varga">Ellen Varga</a></span> and '
        '<span class="link"><a href="/p/ode">Tomas Ode</a></span>, who chairs the harbour board '
        "and has argued for the repairs since the storm damaged the pier in 2013.",
        *PARAGRAPHS[2:],
    ]

    article = extract_html(news_page(body_text=linked))

    assert "Supporters included Ellen Varga and Tomas Ode, who chairs" in article.text


def test_extract_html_keeps_the_time_of_day_when_the_url_holds_the_date() -> None:
    head = """
    <link rel="canonical" href="https://gazette.example/2024/03/05/north-pier">
    <meta property="article:published_time" content="2024-03-05T22:30:00-05:00">
    """

    article = extract_html(news_page(head))

    assert article.published == datetime(2024, 3, 6, 3, 30, tzinfo=UTC)


def test_wire_credit_line_pruned_as_boilerplate_is_kept() -> None:
    body = " ".join(["The harbour board met on Tuesday to approve the new gates."] * 6)
    html = (
        f"<html><body><article><p>{body}</p></article>"
        "<div class='Attribution-box'><p>Additional reporting by Jane Roe; Editing by John Doe</p>"
        "</div><aside><p>Related coverage</p></aside></body></html>"
    )
    article = extract_html(html)
    assert article.paragraphs[-1] == "Additional reporting by Jane Roe; Editing by John Doe"
    assert "Related coverage" not in article.text


# -- the lead image and the language --------------------------------------------------------------

PAGE_URL = "https://gazette.example/news/2024/north-pier"


def test_the_og_image_is_kept_as_the_articles_image() -> None:
    head = '<meta property="og:image" content="https://img.gazette.example/pier.jpg">'
    article = extract_html(news_page(head), url=PAGE_URL)
    assert article.image == "https://img.gazette.example/pier.jpg"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("/images/pier.jpg", "https://gazette.example/images/pier.jpg"),
        ("pier.jpg", "https://gazette.example/news/2024/pier.jpg"),
        ("//cdn.gazette.example/pier.jpg", "https://cdn.gazette.example/pier.jpg"),
    ],
)
def test_a_relative_og_image_is_resolved_against_the_page_url(content: str, expected: str) -> None:
    head = f'<meta property="og:image" content="{content}">'
    assert extract_html(news_page(head), url=PAGE_URL).image == expected


@pytest.mark.parametrize(
    "content",
    [
        "http://10.0.0.5/pier.jpg",
        "http://192.168.1.20/pier.jpg",
        "http://127.0.0.1:8080/pier.jpg",
        "http://[::1]/pier.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://0x7f.1/pier.jpg",
        "http://localhost/pier.jpg",
        "http://user:secret@img.gazette.example/pier.jpg",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "ftp://img.gazette.example/pier.jpg",
        "https://img.gazette.example/" + "p" * 2100 + ".jpg",
    ],
)
def test_an_og_image_that_is_private_or_not_http_is_dropped(content: str) -> None:
    head = f'<meta property="og:image" content="{content}">'
    assert extract_html(news_page(head), url=PAGE_URL).image is None


def test_a_refused_og_image_gives_way_to_a_usable_twitter_image() -> None:
    head = (
        '<meta property="og:image" content="http://10.1.2.3/pier.jpg">'
        '<meta name="twitter:image" content="https://img.gazette.example/card.jpg">'
    )
    assert extract_html(news_page(head), url=PAGE_URL).image == (
        "https://img.gazette.example/card.jpg"
    )


def test_the_json_ld_image_is_used_when_no_meta_tag_names_one() -> None:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "image": {"@type": "ImageObject", "url": "https://img.gazette.example/ld.jpg"},
    }
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    assert extract_html(news_page(head), url=PAGE_URL).image == "https://img.gazette.example/ld.jpg"


def test_a_page_without_an_image_has_none_and_pasted_text_never_has_one() -> None:
    assert extract_html(news_page(), url=PAGE_URL).image is None
    assert from_text("\n\n".join(PARAGRAPHS)).image is None


def test_extraction_tells_an_english_page_from_a_french_one() -> None:
    assert extract_html(news_page(), url=PAGE_URL).language == "en"
    french = [
        "Le conseil portuaire d'Eastport a voté mardi la reconstruction de la vieille jetée "
        "nord, mettant fin à un différend qui divisait la ville depuis plus de dix ans.",
        "La maire a déclaré que la nouvelle jetée serait achevée d'ici deux ans et financée "
        "en grande partie par une subvention régionale, le reste venant des droits d'amarrage.",
    ]
    assert extract_html(news_page(body_text=french), url=PAGE_URL).language == "fr"


def test_bounded_html_cuts_before_the_tag_past_the_limit() -> None:
    assert bounded_html("<a>x</a>", max_tags=1) == "<a>x"
    assert bounded_html("<a>x</a>", max_tags=2) == "<a>x</a>"
    assert bounded_html("no tags at all", max_tags=0) == "no tags at all"


def test_a_page_of_countless_tiny_tags_after_its_article_keeps_the_article() -> None:
    page = news_page().replace("</body>", "<b>x</b>" * (MAX_TAGS * 2) + "</body>")
    article = extract_html(page)
    assert extract_html(news_page()).text == article.text


def test_quote_marks_around_italics_are_a_title_not_speech() -> None:
    body = [
        *PARAGRAPHS[:2],
        'The director Ola Berg, whose film <em>"Cold Harbour"</em> opened on Friday, said '
        'the crew had worked through the winter, and his next one, "<i>North Pier</i>", '
        "is already being cast in Eastport and the towns around it.",
        'Berg said in a short speech to the crew: <em>"We made it together."</em>',
        *PARAGRAPHS[2:],
    ]
    article = extract_html(news_page(META_HEAD, body_text=body))
    text = article.text
    assert "film Cold Harbour opened" in text
    assert "his next one, North Pier, is" in text
    assert '"We made it together."' in text  # speech in italics keeps its marks


def _story_page(head: str, h1: str) -> str:
    body = "".join(
        f"<p>{s}</p>"
        for s in (
            "A plumber who fitted a faulty boiler flue was jailed on Friday for two years "
            "after the fumes killed a young woman in her father's town house.",
            "The court heard the flue had been fitted twelve days before the death and that "
            "the plumber had no gas safety registration at the time.",
            "The judge said there was no malice but a grave failure of care by the plumber.",
        )
    )
    return f"<html><head>{head}</head><body><article><h1>{h1}</h1>{body}</article></body></html>"


def test_a_placeholder_headline_gives_way_to_the_one_the_page_shows() -> None:
    story = "Plumber jailed after boiler killed a young woman"
    ld = json.dumps(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "escenic"}
    )
    head = (
        f'<title>{story} | The Gazette</title><meta property="og:title" content="{story}">'
        f'<script type="application/ld+json">{ld}</script>'
    )
    assert extract_html(_story_page(head, story)).title == story
    # A metadata headline that shares words with what the page shows stays as it is.
    from lxml import html as lxml_html

    from summaries.ingest.extract import _headline

    tree = lxml_html.fromstring(_story_page(f'<meta property="og:title" content="{story}">', story))
    kept = "Plumber jailed over boiler death"
    assert _headline(tree, kept) == kept
    assert _headline(tree, "escenic") == story


def test_a_headline_ending_with_its_byline_or_site_loses_that_credit() -> None:
    def title_of(og_title: str, author: str = "Jane Okafor") -> str | None:
        head = (
            f'<meta name="author" content="{author}">'
            '<meta property="og:site_name" content="Eastport Gazette">'
            f'<meta property="og:title" content="{og_title}">'
        )
        return extract_html(news_page(head)).title

    assert title_of("Council votes to rebuild north pier | Jane Okafor") == (
        "Council votes to rebuild north pier"
    )
    assert title_of("Council votes to rebuild north pier – Eastport Gazette") == (
        "Council votes to rebuild north pier"
    )
    assert title_of("Pier vote: what next | Jane Okafor", author="By Jane Okafor") == (
        "Pier vote: what next"
    )
    # a last part that is someone else, or words of the headline, stays
    assert title_of("Council votes to rebuild north pier | Tom Reyes") == (
        "Council votes to rebuild north pier | Tom Reyes"
    )
    assert title_of("Jane Okafor") == "Jane Okafor"


def test_a_byline_loses_what_is_left_of_the_date_written_after_it() -> None:
    def byline_of(author: str) -> str | None:
        return extract_html(news_page(f'<meta name="author" content="{author}">')).byline

    assert byline_of("Eastport Gazette November") == "Eastport Gazette"
    assert byline_of("By Jane Okafor, Updated March") == "Jane Okafor"
    assert byline_of("Jane Okafor | Oct.") == "Jane Okafor"
    # a surname that is also a month stays a surname
    assert byline_of("Tom May") == "Tom May"
    assert byline_of("Jane Smith-May") == "Jane Smith-May"
    assert byline_of("April Reyes") == "April Reyes"
    # a name the page gives twice, once in capitals, is shown once
    assert byline_of("Jane Okafor; JANE OKAFOR; Tom Reyes") == "Jane Okafor; Tom Reyes"
