"""Reply -> Slack Block Kit: escaping, links, limits and splitting."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.replies import Reply, StoryItem, digest_reply, language_note
from bot.slack_render import MAX_BLOCKS, MAX_HEADER, MAX_SECTION, escape, fit, link, render
from summaries.types import ArticleRef, Citation
from tests.bot.digest_sample import HEADLINES, LEAD_IMAGE, twenty_long_stories, twenty_stories

WHEN = datetime(2024, 3, 5, 14, 30, tzinfo=UTC)
HOSTILE = "Tom & Jerry <!channel> <@U123> <https://evil.example|click> @everyone @here"


def texts(messages: list[dict[str, Any]]) -> list[str]:
    """Every text string in the messages: fallbacks and the texts of all blocks."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(messages)
    return out


def quote(
    text: str = "We will build it",
    *,
    title: str = "Bridge approved",
    url: str = "https://news.example/bridge",
    **kw: Any,
) -> Citation:
    article = ArticleRef(1, title, url, "Example News", WHEN)
    defaults: dict[str, Any] = {"speaker": "Ana Ruiz", "speaker_title": "mayor", "cue": "said"}
    return Citation(text=text, article=article, **{**defaults, **kw})


BRIDGE = StoryItem(
    title="Bridge approved",
    url="https://news.example/bridge",
    source="Example News",
    published=WHEN,
    summary="The council approved the bridge.",
)


def test_escape_makes_markup_and_broadcasts_inert() -> None:
    out = escape(HOSTILE)
    assert "<" not in out and ">" not in out
    assert out.startswith("Tom &amp; Jerry &lt;!channel&gt; &lt;@U123&gt;")
    assert "@everyone" not in out and "@here" not in out
    assert "@\u200beveryone" in out


def test_hostile_text_everywhere_is_escaped_and_pings_nobody() -> None:
    reply = Reply(
        text=HOSTILE,
        kind="stories",
        stories=(
            StoryItem(
                title=HOSTILE,
                url="https://news.example/a?x=1&y=2",
                source=HOSTILE,
                published=WHEN,
                summary=HOSTILE,
                quote=quote(HOSTILE, speaker=HOSTILE),
            ),
        ),
        quotes=(quote(HOSTILE, title=HOSTILE),),
        lines=(HOSTILE,),
        footer=HOSTILE,
    )
    messages = render(reply)
    dump = json.dumps(messages, ensure_ascii=False)
    for bad in ("<!", "<@", "<https://evil", "@everyone", "@here", "link_names"):
        assert bad not in dump
    for text in texts(messages):
        assert "Tom & Jerry" not in text  # every & is written &amp;
    assert "<https://news.example/a?x=1&amp;y=2|" in dump
    assert messages[0]["text"].startswith("Tom &amp; Jerry &lt;!channel&gt;")


SPOOF = "Pay\u202e fdp.exe\u202c \u2066now\u2069 hid\u200bden \ufeff@\u200beveryone\x07"
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\ufeff\x07"


def test_bidi_controls_and_invisible_characters_never_reach_slack() -> None:
    reply = Reply(
        text=SPOOF,
        kind="stories",
        stories=(StoryItem(SPOOF, "https://news.example/a", SPOOF, WHEN, SPOOF, quote(SPOOF)),),
        quotes=(quote(SPOOF, title=SPOOF, speaker=SPOOF),),
        lines=(SPOOF,),
        footer=SPOOF,
    )
    for text in texts(render(reply)):
        assert not set(text) & set(INVISIBLE), text
        assert "\u200b" not in text.replace("@\u200b", "")  # only the ZWSP that stops a ping
    assert escape(SPOOF) == "Pay fdp.exe now hidden @\u200beveryone "


def test_mrkdwn_is_verbatim_so_slack_parses_no_names_itself() -> None:
    reply = Reply(text="Latest:", kind="stories", stories=(StoryItem("T", None, None, None, "S"),))
    for message in render(reply):
        for block in message["blocks"]:
            objects = [block["text"]] if "text" in block else block.get("elements", [])
            for obj in objects:
                if obj["type"] == "mrkdwn":
                    assert obj["verbatim"] is True


def test_story_shows_headline_link_source_time_summary_and_key_quote() -> None:
    story = replace(BRIDGE, quote=quote())
    (message,) = render(Reply(text="Latest stories:", kind="stories", stories=(story,)))
    header, section, context, said = message["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "Latest stories:"}}
    assert section["text"]["text"] == (
        "*<https://news.example/bridge|Bridge approved>*\nThe council approved the bridge."
    )
    assert context["type"] == "context"
    assert context["elements"][0]["text"] == "Example News · 2024-03-05 14:30 UTC"
    assert "“We will build it”" in said["text"]["text"]
    assert "*Ana Ruiz*, mayor" in said["text"]["text"]


def test_quote_list_shows_speaker_exact_words_article_link_and_date() -> None:
    words = "There is no bridge too far, & never was"
    (message,) = render(Reply(text="Ana Ruiz said it:", kind="quotes", quotes=(quote(words),)))
    _, said, where = message["blocks"]
    assert f"“{escape(words)}”" in said["text"]["text"]
    assert "*Ana Ruiz*" in said["text"]["text"]
    cite = where["elements"][0]["text"]
    assert "<https://news.example/bridge|Bridge approved>" in cite
    assert "2024-03-05" in cite
    assert "Example News" in cite


def test_a_passage_is_shown_as_the_articles_words_and_an_unnamed_quote_as_unattributed() -> None:
    sentence = quote("The stock market rose sharply.", speaker=None, speaker_title=None, cue=None)
    unnamed = replace(sentence, text="We rose", quote_id=7)  # a stored quote, speaker unknown
    lead = "I found no direct quote from the market. These passages mention the market:"
    (message,) = render(Reply(text=lead, kind="quotes", quotes=(sentence, unnamed)))
    blocks = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    said = [text for text in blocks if text.startswith(">")]
    assert said[0] == ">The stock market rose sharply.\n— _from the article_"
    assert "“" not in said[0] and "unattributed" not in said[0]
    assert said[1] == ">“We rose”\n— _unattributed_"


def test_multiline_quote_stays_inside_the_block_quote() -> None:
    (message,) = render(Reply(text="Said:", kind="quotes", quotes=(quote("one\ntwo"),)))
    lines = message["blocks"][1]["text"]["text"].splitlines()
    assert lines[:2] == [">“one", ">two”"]


def test_links_only_for_web_urls_and_urls_cannot_break_out() -> None:
    assert link("javascript:alert(1)", "t") == "t"
    assert link(None, "t") == "t"
    assert link("https://x.example/a|b>c<d e", "t") == "<https://x.example/a%7Cb%3Ec%3Cd%20e|t>"


def test_plain_reply_uses_a_section_not_a_header() -> None:
    (message,) = render(Reply(text="Done: feed added."))
    assert [b["type"] for b in message["blocks"]] == ["section"]
    assert message["text"] == "Done: feed added."


def test_header_never_exceeds_its_limit() -> None:
    long_lead = "Stories " * 40
    (message,) = render(Reply(text=long_lead, kind="stories"))
    first = message["blocks"][0]
    assert first["type"] == "section"
    assert long_lead.strip() in first["text"]["text"]
    short = render(Reply(text="x" * MAX_HEADER, kind="stories"))[0]["blocks"][0]
    assert short["type"] == "header"


def test_many_stories_are_split_over_messages_within_50_blocks_in_order() -> None:
    stories = tuple(
        StoryItem(f"Story {i}", f"https://news.example/{i}", "Src", WHEN, "Summary.", quote())
        for i in range(40)
    )
    messages = render(Reply(text="Digest", kind="digest", stories=stories, footer="end"))
    assert len(messages) >= 3
    assert all(len(m["blocks"]) <= MAX_BLOCKS for m in messages)
    shown = json.dumps(messages)
    for i in range(40):  # nothing dropped
        assert f"https://news.example/{i}|Story {i}>" in shown
    order = [shown.index(f"news.example/{i}|") for i in range(40)]
    assert order == sorted(order)
    assert messages[0]["text"] == "Digest"
    assert messages[1]["text"] == f"Digest (2/{len(messages)})"
    assert messages[-1]["blocks"][-1]["type"] == "context"  # the footer comes last


def test_long_lines_are_grouped_into_sections_under_3000_characters() -> None:
    lines = tuple(f"line {i} " + "w" * 200 for i in range(100))
    messages = render(Reply(text="Feeds", lines=lines))
    sections = [b for m in messages for b in m["blocks"] if b["type"] == "section"]
    assert all(len(s["text"]["text"]) <= MAX_SECTION for s in sections)
    shown = "\n".join(s["text"]["text"] for s in sections)
    assert all(f"• line {i} " in shown for i in range(100))


def test_over_long_single_field_is_cut_with_an_ellipsis() -> None:
    story = StoryItem("T" * 5000, "https://n.example/", None, None, "&" * 5000)
    messages = render(Reply(text="x" * 9000, kind="stories", stories=(story,)))
    for text in texts(messages):
        assert len(text) <= MAX_SECTION
    body = messages[0]["blocks"][1]["text"]["text"]
    assert body.endswith("…")
    assert "&amp;&amp;" in body and "&amp&" not in body
    assert messages[0]["text"].endswith("…")


def test_fit_never_cuts_an_entity_in_half() -> None:
    for limit in range(2, 30):
        out = fit("a&<>b" * 10, limit)
        assert len(out) <= limit
        assert out.endswith("…")
        assert out[:-1].replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").count("&") == 0


def test_a_quote_found_by_the_words_around_it_shows_that_sentence_apart() -> None:
    around = "Ruiz likened the toll to a “tax on breathing” in a speech <about> commuters."
    item = quote("tax on breathing", context=around)
    (message,) = render(
        Reply(text="No one is quoted saying exactly that…", kind="quotes", quotes=(item,))
    )
    said, context = message["blocks"][1:3]
    assert "“tax on breathing”" in said["text"]["text"] and "speech" not in said["text"]["text"]
    assert context["type"] == "context"
    assert context["elements"][0]["text"] == f"_In the article:_ {escape(around)}"


# -- pictures and a long digest -----------------------------------------------------------------

PICTURE = "https://img.news.example/bridge.jpg"


def test_a_storys_picture_is_the_image_accessory_of_its_section() -> None:
    story = replace(BRIDGE, image=PICTURE)
    (message,) = render(Reply(text="Latest stories:", kind="stories", stories=(story,)))
    section = message["blocks"][1]
    assert section["type"] == "section" and "Bridge approved" in section["text"]["text"]
    assert section["accessory"] == {
        "type": "image",
        "image_url": PICTURE,
        "alt_text": "Bridge approved",
    }


def test_a_story_without_a_usable_picture_has_no_accessory() -> None:
    for image in (None, "javascript:alert(1)", "https://img.news.example/a b.jpg"):
        story = StoryItem("Bridge approved", None, None, WHEN, "Approved.", image=image)
        (message,) = render(Reply(text="Latest stories:", kind="stories", stories=(story,)))
        assert all("accessory" not in block for block in message["blocks"])


def test_a_story_in_a_language_not_read_says_its_summary_is_the_opening() -> None:
    story = StoryItem(
        "Le port rouvre", None, None, WHEN, "Le conseil a voté.", note=language_note("fr")
    )
    (message,) = render(Reply(text="Latest stories:", kind="stories", stories=(story,)))
    assert "_(French — summary is the article's opening)_" in message["blocks"][1]["text"]["text"]


def test_a_twenty_story_digest_has_the_lead_with_its_picture_then_headed_compact_sections() -> None:
    messages = render(digest_reply(twenty_stories()))
    blocks = [b for m in messages for b in m["blocks"]]
    for m in messages:
        assert len(m["blocks"]) <= MAX_BLOCKS
    for text in texts(messages):
        assert len(text) <= MAX_SECTION
    lead = blocks[1]
    assert HEADLINES[0] in lead["text"]["text"]
    assert lead["accessory"]["image_url"] == LEAD_IMAGE
    assert any("Mara Quist" in t for t in texts(messages))  # the lead's key quote
    headers = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    assert headers[1:] == ["Rail strike", "Harbour", "Council election", "Repairs", "Also today"]
    compact = [b for b in blocks[2:] if b["type"] == "section" and "gazette.example/" in str(b)]
    assert len(compact) >= 19 and all("accessory" not in b for b in compact)
    assert "8 more stories — `/brief today` to see them." in texts(messages)[-1]


def test_a_digest_of_long_stories_stays_within_slacks_limits() -> None:
    messages = render(digest_reply(twenty_long_stories()))
    for m in messages:
        assert len(m["blocks"]) <= MAX_BLOCKS
        assert len(json.dumps(m)) < 50 * MAX_SECTION
        for block in m["blocks"]:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= MAX_HEADER
    assert all(len(t) <= MAX_SECTION for t in texts(messages))


def test_a_quote_from_a_story_without_a_site_still_cites_where_it_came_from() -> None:
    def cited(url: str | None) -> list[str]:
        article = ArticleRef(1, "Bridge approved", url, None, WHEN)
        said = Citation(text="We will build it", article=article, speaker="Ana Ruiz")
        return texts(render(Reply(text="Ana Ruiz said it:", kind="quotes", quotes=(said,))))

    # The link's host (without "www."), or "pasted text" for words given without a link.
    assert any("news.example" in t for t in cited("https://www.news.example/bridge"))
    assert any(" · pasted text" in t for t in cited(None))
