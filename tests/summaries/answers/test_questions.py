"""Reading free text: the one parser behind `ask` and the bot's mentions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from summaries.answers.questions import (
    clean_phrase,
    find_url,
    parse_question,
    split_about,
    strip_mentions,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_parse_question_reads_each_kind_of_question() -> None:
    who = parse_question("who said there is no military solution?", now=NOW)
    assert (who.kind, who.phrase) == ("whosaid", "there is no military solution")
    when = parse_question("When did Blinken say “no military solution”?", now=NOW)
    assert (when.kind, when.person, when.phrase) == ("when", "Blinken", "no military solution")
    what = parse_question("what did Secretary Blinken say about Russia?", now=NOW)
    assert (what.kind, what.person, what.topic) == ("quotes", "Secretary Blinken", "Russia")
    news = parse_question("what happened with the harbour gates?", now=NOW)
    assert (news.kind, news.topic) == ("news", "the harbour gates")
    link = parse_question("summarize https://news.example/a", now=NOW)
    assert (link.kind, link.url) == ("summarize", "https://news.example/a")
    free = parse_question("why are fishermen angry", now=NOW)
    assert (free.kind, free.topic) == ("passages", "why are fishermen angry")


@pytest.mark.parametrize(
    "asked",
    [
        "who said: there is no military solution",
        "Who said, 'there is no military solution'?",
        "@newsbrief who said 'there is no military solution'?",
        "<@U0BOT> who said “there is no military solution”",
        "hey newsbrief, who was quoted as saying there is no military solution?",
    ],
)
def test_parse_question_reads_who_said_in_its_many_spellings(asked: str) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, q.phrase) == ("whosaid", "there is no military solution")


def test_parse_question_reads_time_and_only_known_sources() -> None:
    q = parse_question("news about Armenia yesterday", now=NOW)
    assert q.topic == "Armenia"
    assert q.since == datetime(2026, 11, 26, tzinfo=UTC) and q.until == datetime(
        2026, 11, 27, tzinfo=UTC
    )
    week = parse_question("what did Blinken say this week?", now=NOW)
    assert week.person == "Blinken" and week.since == NOW - timedelta(days=7)
    known = parse_question("news about gates from Westmere Gazette", sources=["Westmere Gazette"])
    assert (known.topic, known.source) == ("gates", "Westmere Gazette")
    unknown = parse_question("news about letters from Santa", sources=["Westmere Gazette"])
    assert unknown.source == "" and unknown.topic == "letters from Santa"


@pytest.mark.parametrize(
    "asked",
    [
        "who's saying there is no military solution",
        "Whos saying “there is no military solution”?",
        "who said that there is no military solution",
        "who claimed there is no military solution",
    ],
)
def test_who_said_spellings_the_router_knew_are_read_as_who_said(asked: str) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, q.phrase) == ("whosaid", "there is no military solution")


@pytest.mark.parametrize("asked", ["latest", "news", "what's new?", "any news today", "headlines"])
def test_asking_for_the_news_without_a_topic_is_a_news_question(asked: str) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, q.topic) == ("news", "")


def test_a_question_names_a_filter_only_with_a_time_or_a_known_source() -> None:
    assert not parse_question("who said there is no military solution", now=NOW).filtered
    assert parse_question("who said there is no military solution today", now=NOW).filtered
    sourced = parse_question("news about gates from Westmere Gazette", sources=["Westmere Gazette"])
    assert sourced.filtered and sourced.since is None


def test_digest_is_not_a_word_for_summarise() -> None:
    assert parse_question("digest the council story", now=NOW).kind == "passages"
    assert parse_question("digest https://news.example/a", now=NOW).kind == "summarize"


def test_helpers_read_mentions_links_phrases_and_topics() -> None:
    assert strip_mentions("<@U12|bot> hi <@!99>") == "hi"
    assert strip_mentions("@newsbrief who said <@U0BOT> peace") == "who said peace"
    assert find_url("tl;dr <https://news.example/x|x>") == "https://news.example/x"
    assert find_url("no link here") == ""
    assert clean_phrase(" “ready for peace”? ") == "ready for peace"
    assert clean_phrase("'no military solution',") == "no military solution"
    assert split_about("Blinken about the war in Ukraine") == ("Blinken", "the war in Ukraine")
    assert split_about("Blinken") == ("Blinken", "")
