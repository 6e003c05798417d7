"""Reply -> Discord payloads: escaping, mention-proofing and Discord's limits."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from bot.discord_render import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_CHARS_PER_MESSAGE,
    EMBEDS_PER_MESSAGE,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    ZWSP,
    embed_size,
    escape,
    neutralise,
    quote_embed,
    render,
    split_text,
    story_embed,
    truncate,
)
from bot.replies import Reply, StoryItem, digest_reply, language_note
from summaries.types import ArticleRef, Citation
from tests.bot.digest_sample import HEADLINES, LEAD_IMAGE, twenty_long_stories, twenty_stories

WHEN = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
URL = "https://news.example/armenia-azerbaijan"


def quote(
    text: str = "There is no military solution.",
    *,
    title: str = "Peace talks",
    url: str = URL,
    **kw: object,
) -> Citation:
    values: dict[str, object] = {
        "text": text,
        "article": ArticleRef(1, title, url, "News Example", WHEN),
        "speaker": "Antony Blinken",
        "speaker_title": None,
        "cue": "said",
    }
    values.update(kw)
    return Citation(**values)  # type: ignore[arg-type]


def story(**kw: object) -> StoryItem:
    values: dict[str, object] = {
        "title": "Peace talks resume",
        "url": URL,
        "source": "News Example",
        "published": WHEN,
        "summary": "Both leaders said they are ready.",
        "quote": quote(),
    }
    values.update(kw)
    return StoryItem(**values)  # type: ignore[arg-type]


def unescaped(text: str) -> str:
    """What Discord shows for escaped text: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


def test_escape_backslashes_every_markdown_character() -> None:
    raw = r"*b* _i_ ~s~ `c` |sp| > q # h - l \ "
    escaped = escape(raw)
    assert unescaped(escaped) == raw
    for ch in "*_~`|>#-":
        assert re.search(rf"(?<!\\){re.escape(ch)}", escaped) is None


def test_escape_breaks_masked_links() -> None:
    escaped = escape("[click me](https://e.vil/x)")
    assert "[click me](" not in escaped
    assert unescaped(escaped) == "[click me](https://e.vil/x)"


def test_mentions_are_neutralised_with_a_zero_width_space() -> None:
    text = "@everyone @here <@123> <@!123> <@&456> <#789>"
    out = neutralise(text)
    for ping in ("@everyone", "@here", "<@123>", "<@!123>", "<@&456>", "<#789>"):
        assert ping not in out
    assert out.replace(ZWSP, "") == text
    assert "@" + ZWSP + "everyone" in escape(text)


def test_story_embed_links_headline_and_shows_source_time_and_key_quote() -> None:
    embed = story_embed(story(title="Talks *resume* @everyone"))
    assert embed["url"] == URL
    assert unescaped(embed["title"]) == "Talks *resume* @" + ZWSP + "everyone"
    assert embed["description"] == "Both leaders said they are ready."
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Source"] == "News Example"
    assert fields["Published"] == "2024-05-01 09:30 UTC"
    assert fields["Key quote — Antony Blinken"] == "“There is no military solution.”"
    assert embed["timestamp"] == "2024-05-01T09:30:00+00:00"


def test_quote_embed_names_speaker_and_keeps_the_exact_words() -> None:
    embed = quote_embed(quote(speaker_title="U.S. Secretary of State"))
    assert embed["author"]["name"] == "Antony Blinken (U.S. Secretary of State)"
    assert embed["description"] == "There is no military solution."
    assert embed["url"] == URL
    assert embed["footer"]["text"] == "Peace talks · 2024-05-01"


def test_a_passage_is_shown_as_the_articles_words_and_an_unnamed_quote_as_unattributed() -> None:
    sentence = quote("The stock market rose sharply.", speaker=None, cue=None)
    assert quote_embed(sentence)["author"]["name"] == "From the article"
    assert quote_embed(sentence)["description"] == "The stock market rose sharply."
    unnamed = quote("We rose", speaker=None, cue=None, quote_id=7)  # stored, speaker unknown
    assert quote_embed(unnamed)["author"]["name"] == "Unattributed"


def test_plain_text_fields_are_not_backslashed_but_cannot_ping() -> None:
    embed = quote_embed(quote(speaker="@everyone_bot", title="A *bold* @here title"))
    # Discord shows author names and footers without markdown: backslashes would be visible.
    assert "\\" not in embed["author"]["name"] + embed["footer"]["text"]
    assert "@everyone" not in embed["author"]["name"]
    assert "@here" not in embed["footer"]["text"]


def test_bidi_controls_and_invisible_characters_never_reach_discord() -> None:
    spoof = "Pay\u202e fdp.exe\u202c \u2066now\u2069 hid\u200bden \ufeff@\u200beveryone\x07"
    invisible = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\ufeff\x07")
    reply = Reply(
        text=spoof,
        kind="stories",
        stories=(story(title=spoof, source=spoof, summary=spoof, quote=quote(spoof)),),
        quotes=(quote(spoof, title=spoof, speaker=spoof, speaker_title=spoof),),
        lines=(spoof,),
        footer=spoof,
    )
    dump = json.dumps(render(reply), ensure_ascii=False)  # JSON writes \x07 as \\u0007
    assert not set(dump) & invisible and "\\u0007" not in dump
    assert ZWSP not in dump.replace("@" + ZWSP, "")  # only the ZWSP that stops a ping
    assert unescaped(escape(spoof)) == "Pay fdp.exe now hidden @" + ZWSP + "everyone "


def test_links_that_are_not_http_are_dropped() -> None:
    embed = quote_embed(quote(url="javascript:alert(1)"))
    assert "url" not in embed
    assert "url" not in story_embed(story(url="ftp://x/y"))


def test_whosaid_reply_renders_one_message_with_quote_embeds() -> None:
    reply = Reply(text="Antony Blinken said it:", kind="quotes", quotes=(quote(), quote()))
    (message,) = render(reply)
    assert message["content"] == "Antony Blinken said it:"
    assert len(message["embeds"]) == 2
    assert message["allowed_mentions"] == {"parse": []}


def test_lines_and_footer_go_into_the_content() -> None:
    reply = Reply(text="Feeds:", lines=("a_b", "c"), footer="Ask *me*")
    (message,) = render(reply)
    assert message["content"] == "Feeds:\n• a\\_b\n• c\n-# Ask \\*me\\*"
    assert message["embeds"] == []


def test_truncate_never_leaves_a_dangling_escape() -> None:
    text = escape("a" * 9 + "*" * 10)
    cut = truncate(text, 11)
    assert len(cut) <= 11 and cut.endswith("…")
    body = cut[:-1]
    trailing = len(body) - len(body.rstrip("\\"))
    assert trailing % 2 == 0


def test_split_text_respects_the_limit_and_keeps_every_word() -> None:
    words = [f"w{i}" for i in range(3000)]
    text = " ".join(words[:1500]) + "\n" + " ".join(words[1500:]) + "\n" + "z" * 4500
    pieces = split_text(text, CONTENT_LIMIT)
    assert all(0 < len(p) <= CONTENT_LIMIT for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())
    assert pieces[0].split() == words[: len(pieces[0].split())]  # cut between words


def test_split_text_does_not_cut_an_escape_in_two() -> None:
    text = escape("*" * 3000)  # 6000 characters of "\*"
    pieces = split_text(text, CONTENT_LIMIT)
    assert all(len(p) <= CONTENT_LIMIT and not p.startswith("*") for p in pieces)
    assert "".join(pieces) == text


def test_long_reply_is_split_into_messages_within_every_limit() -> None:
    long_quote = quote(text="word " * 2000)  # description over 4096
    quotes = tuple(long_quote for _ in range(23))
    stories = tuple(story(title="T" * 400, summary="s " * 3000) for _ in range(5))
    lines = tuple("line " + "x" * 300 for _ in range(30))
    messages = render(Reply(text="Lots", stories=stories, quotes=quotes, lines=lines))
    assert len(messages) > 3
    embeds = [e for m in messages for e in m["embeds"]]
    assert len(embeds) == 28  # nothing dropped
    for m in messages:
        assert m["content"] or m["embeds"]
        assert len(m["content"]) <= CONTENT_LIMIT
        assert len(m["embeds"]) <= EMBEDS_PER_MESSAGE
        assert sum(embed_size(e) for e in m["embeds"]) <= EMBED_CHARS_PER_MESSAGE
        for e in m["embeds"]:
            assert len(e.get("title", "")) <= TITLE_LIMIT
            assert len(e.get("description", "")) <= DESCRIPTION_LIMIT
            assert len(e.get("fields", [])) <= 25
            assert all(len(f["value"]) <= FIELD_VALUE_LIMIT for f in e.get("fields", []))
    assert messages[0]["content"].startswith("Lots")


def test_key_quote_field_is_cut_to_the_field_limit() -> None:
    embed = story_embed(story(quote=quote(text="q" * 5000)))
    value = embed["fields"][-1]["value"]
    assert len(value) == FIELD_VALUE_LIMIT and value.endswith("…")


def test_a_quote_found_by_the_words_around_it_shows_that_sentence_in_a_field() -> None:
    around = "Blinken said talks on a *durable* peace go on, and “There is no military solution.”"
    embed = quote_embed(quote(context=around))
    assert embed["description"] == "There is no military solution."
    (field,) = embed["fields"]
    assert field["name"] == "In the article" and "\\*durable\\*" in field["value"]


# -- pictures and a long digest -----------------------------------------------------------------


def test_a_storys_picture_is_the_embeds_thumbnail() -> None:
    embed = story_embed(story(image="https://img.news.example/talks.jpg"))
    assert embed["thumbnail"] == {"url": "https://img.news.example/talks.jpg"}


def test_a_story_without_a_usable_picture_has_no_thumbnail() -> None:
    for image in (None, "data:image/png;base64,AAAA", "https://img.example/" + "x" * 3000):
        assert "thumbnail" not in story_embed(story(image=image))


def test_a_story_in_a_language_not_read_says_its_summary_is_the_opening() -> None:
    embed = story_embed(story(summary="Le conseil a voté.", note=language_note("de")))
    assert embed["description"].endswith("*(German — summary is the article's opening)*")


def _within_limits(messages: list[dict[str, object]]) -> None:
    for m in messages:
        embeds = m["embeds"]
        assert isinstance(embeds, list) and isinstance(m["content"], str)
        assert len(m["content"]) <= CONTENT_LIMIT
        assert len(embeds) <= EMBEDS_PER_MESSAGE
        assert sum(embed_size(e) for e in embeds) <= EMBED_CHARS_PER_MESSAGE
        for e in embeds:
            assert len(e.get("title", "")) <= TITLE_LIMIT
            assert len(e.get("description", "")) <= DESCRIPTION_LIMIT


def test_a_twenty_story_digest_has_the_lead_with_its_thumbnail_then_section_embeds() -> None:
    messages = render(digest_reply(twenty_stories()))
    _within_limits(messages)
    embeds = [e for m in messages for e in m["embeds"]]
    lead = embeds[0]
    assert unescaped(lead["title"]) == HEADLINES[0]
    assert lead["thumbnail"] == {"url": LEAD_IMAGE}
    assert any("Mara Quist" in f["name"] for f in lead["fields"])  # its key quote
    titles = [unescaped(e.get("title", "")) for e in embeds[1:6]]
    assert titles == ["Rail strike", "Harbour", "Council election", "Repairs", "Also today"]
    listed = "\n".join(unescaped(e["description"]) for e in embeds[1:6])
    assert all(f"[{title}](https://gazette.example/" in listed for title in HEADLINES[1:])
    assert all("thumbnail" not in e for e in embeds[1:])
    assert "8 more stories — `/brief today` to see them." in unescaped(messages[0]["content"])


def test_a_digest_of_long_stories_stays_within_discords_limits() -> None:
    messages = render(digest_reply(twenty_long_stories()))
    _within_limits(messages)
    assert len(messages) >= 2


def test_the_commands_a_reply_names_show_as_code_and_the_rest_stays_inert() -> None:
    (message,) = render(
        Reply(
            text="No feeds yet *here*. Add one with `/brief follow <feed or site URL>`.",
            lines=("`filter add -word` mutes a word",),
            footer="3 more stories — `/brief today` to see them; ping `@everyone`",
        )
    )
    content = message["content"]
    # Discord shows a code span's inside as it is: no backslash may land there
    assert "`/brief follow <feed or site URL>`" in content
    assert "• `filter add -word` mutes a word" in content
    assert "`/brief today`" in content
    assert "\\*here\\*" in content  # outside code, markup is still escaped
    assert "@everyone" not in content and "`@\u200beveryone`" in content


def test_a_quote_from_a_story_without_a_site_still_cites_where_it_came_from() -> None:
    def title(url: str | None) -> str:
        article = ArticleRef(1, "Bridge approved", url, None, WHEN)
        embed = quote_embed(Citation(text="We will build it", article=article, speaker="Ana Ruiz"))
        return str(embed.get("title"))

    # As on Slack: the link's host (without "www."), or "pasted text" without a link.
    assert title("https://www.news.example/bridge") == "news.example"
    assert title(None) == "pasted text"
