"""Tags of too many attributes: stripped of them before any parser sees them."""

from __future__ import annotations

import time

from summaries.ingest import feeds
from summaries.ingest.extract import extract_html
from summaries.ingest.markup import MAX_ATTRIBUTES, MAX_DEPTH, shallow, tame_tags

STORY = (
    "<p>The harbour gates opened on Tuesday after three years of building, and the first "
    "boats came through at noon while a crowd watched from the old quay in the rain.</p>"
    "<p>The council said the gates would keep winter storms out of the town centre, which "
    "flooded twice last year, and that the works came in under their budget.</p>"
)


def many(n: int) -> str:
    return " ".join(f"a{i}='x'" for i in range(n))


def test_a_tag_of_too_many_attributes_loses_them_and_nothing_else_changes() -> None:
    markup = f"<div class='story'><p {many(MAX_ATTRIBUTES + 1)}>Gates</p><img {many(300)}/></div>"

    assert tame_tags(markup) == "<div class='story'><p>Gates</p><img/></div>"
    long_but_few = f"<path d='{'M0 0 L1 1 ' * 500}'/><a href='/x' {many(MAX_ATTRIBUTES - 1)}>x</a>"
    assert tame_tags(long_but_few) == long_but_few


def test_taming_tags_just_long_enough_to_be_looked_at_is_linear() -> None:
    # 10 MB of tags of about 1,000 characters, each named by 41 letters: the name's lengths
    # were tried one by one, each scanning the tag again (3.6 s of CPU; now ~0.1 s).
    tag = "<" + "a" * 41 + "=" * 960 + ">"
    markup = tag * 10_000

    started = time.process_time()
    tamed = tame_tags(markup)

    assert time.process_time() - started < 1.0
    assert "=" not in tamed and tamed.count("<a") == tamed.count(">") == 10_000


def test_a_page_with_a_tag_of_200000_attributes_is_read_in_bounded_time() -> None:
    """libxml2 compares each attribute with those before it: this took minutes to parse."""
    page = f"<html><body><article><p {many(200_000)}>Gates open.</p>{STORY}</article></body></html>"

    started = time.monotonic()
    article = extract_html(page, url="https://harbour.example/gates")

    assert time.monotonic() - started < 10.0
    assert "harbour gates opened on Tuesday" in article.text


def test_feed_html_with_a_tag_of_200000_attributes_is_read_in_bounded_time() -> None:
    tag = f"<p {many(200_000)}>Gates open.</p>"
    doc = (
        '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", '
        f'"url": "https://harbour.example/1", "content_html": "{tag}", "summary": "{tag}"}}]}}'
    ).encode()

    started = time.monotonic()
    feed = feeds.parse(doc)

    assert time.monotonic() - started < 10.0
    assert feed.entries[0].summary == "Gates open."
    assert feed.entries[0].content_html == "<p>Gates open.</p>"


def nested(depth: int, inner: str) -> str:
    return (
        "<html><head><title>Harbour gates open</title>"
        "<script>var wrap = '<div><div><div>';</script></head><body>"
        + "<div class='w'>" * depth
        + f"<article>{inner}</article>"
        + "</div>" * depth
        + "</body></html>"
    )


def test_a_story_nested_past_the_parsers_depth_limit_keeps_its_text_and_paragraphs() -> None:
    shallow_page = extract_html(nested(10, STORY).encode())
    for depth in (300, 3000):  # libxml2 drops whatever lies more than 255 elements deep
        page = extract_html(nested(depth, STORY).encode())
        assert page.text == shallow_page.text, depth
        assert page.text.count("\n") == shallow_page.text.count("\n") >= 1  # two paragraphs


def test_only_elements_past_the_depth_limit_lose_their_tags() -> None:
    page = nested(MAX_DEPTH - 5, STORY)
    assert shallow(page) is page  # nothing that deep: the very same string
    deep = (
        "<div>" * (MAX_DEPTH + 2)
        + "<p>A</p><p>B<br/>C<img src='x'></p>"
        + "</div>" * (MAX_DEPTH + 2)
    )
    out = shallow(deep)
    assert out.startswith("<div>" * MAX_DEPTH + "A<br>B")  # the two past the limit went
    assert "<p>" not in out and "<img" not in out and "C" in out
    assert out.count("</div>") == MAX_DEPTH  # their closing tags went with them
    # Tags inside a script are its text, not elements.
    scripted = "<div>" * (MAX_DEPTH - 1) + "<script>" + "<div>" * 50 + "</script><p>D</p>"
    assert shallow(scripted) is scripted
