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
    unwrap,
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


# How people wrap and word their questions in chat: requests, courtesy, shorthand, typos.
@pytest.mark.parametrize(
    ("asked", "phrase"),
    [
        (
            "can you tell me who said there is no military solution?",
            "there is no military solution",
        ),
        ("do you know who said the talks were productive?", "the talks were productive"),
        ("who was it that said the ceasefire is holding", "the ceasefire is holding"),
        ("which minister said that the border would stay closed", "the border would stay closed"),
        ("who's quoted saying the deal is dead", "the deal is dead"),
        ("who said “enough is enough” thanks", "enough is enough"),
        ("who said the vote was rigged? thanks!", "the vote was rigged"),
        ("who said the rail fares would be frozen, ty", "the rail fares would be frozen"),
        ("hey bot who said the economy is recovering", "the economy is recovering"),
        ("who siad the economy is recovering", "the economy is recovering"),
        ("Who said this: the strike will go on", "the strike will go on"),
        ("who said the following - we are ready to talk", "we are ready to talk"),
        ("I'd like to know who said the reforms are overdue", "the reforms are overdue"),
        ("who made the comment that the tax was unfair", "the tax was unfair"),
        ("who said there would be no more delays <@U0BOT>", "there would be no more delays"),
        ("who told reporters that the bridge is unsafe", "the bridge is unsafe"),
        ("who said 'no deal' please", "no deal"),
        ("who said thanks", "thanks"),  # the words said, not courtesy
        ("who said this is a disaster", "this is a disaster"),  # "this" said, not "this:"
    ],
)
def test_who_said_is_read_inside_requests_courtesy_and_typos(asked: str, phrase: str) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, q.phrase) == ("whosaid", phrase)


@pytest.mark.parametrize(
    ("asked", "person", "topic"),
    [
        ("do you know what Blinken said about Russia?", "Blinken", "Russia"),
        ("what's Blinken been saying about Russia", "Blinken", "Russia"),
        ("what was Blinken's take on Russia?", "Blinken", "Russia"),
        ("how did the mayor react to the flood report?", "the mayor", "the flood report"),
        ("any quotes from Ines Okafor on the barrier?", "Ines Okafor", "the barrier"),
        ("Okafor's comments on the barrier", "Okafor", "the barrier"),
        ("show me what the mayor said", "the mayor", ""),
        ("did Blinken say anything about Russia?", "Blinken", "Russia"),
        ("what did blinken say abt russia", "blinken", "russia"),
        ("What did Blinken say re Russia", "Blinken", "Russia"),
        ("what did Blinken say regarding the sanctions, thanks", "Blinken", "the sanctions"),
        ("please list quotes from the mayor about housing", "the mayor", "housing"),
        ("what did Zelensky tell the UN about grain", "Zelensky", "grain"),
        ("what did Blinken have to say about Russia", "Blinken", "Russia"),
        ("has Blinken commented on Russia?", "Blinken", "Russia"),
        ("what did Blinken say about Russia @newsbrief", "Blinken", "Russia"),
    ],
)
def test_what_did_x_say_is_read_in_its_many_shapes(asked: str, person: str, topic: str) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, q.person, q.topic) == ("quotes", person, topic)


@pytest.mark.parametrize(
    ("asked", "person", "phrase"),
    [
        ("can you tell me when the mayor said the gates would open?", "the mayor",
         "the gates would open"),
        ("When was it that Okafor said the barrier is finished", "Okafor",
         "the barrier is finished"),
    ],
)  # fmt: skip
def test_when_did_x_say_is_read_inside_requests_and_clefts(
    asked: str, person: str, phrase: str
) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, q.person, q.phrase) == ("when", person, phrase)


@pytest.mark.parametrize(
    ("asked", "url"),
    [
        ("could you summarize https://news.example/a for me", "https://news.example/a"),
        ("I'd like a summary of https://news.example/b", "https://news.example/b"),
        ("summarise <https://news.example/c|Council vote story> please", "https://news.example/c"),
        ("<https://news.example/d>", "https://news.example/d"),
        ("tldr https://news.example/e.", "https://news.example/e"),
        ("can you sum up this article (https://news.example/f)", "https://news.example/f"),
        ("summary please: https://news.example/g?id=3&x=1", "https://news.example/g?id=3&x=1"),
        ("https://news.example/j, can you summarize it?", "https://news.example/j"),
        ("tl;dr https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("Summarize: https://news.example/k!", "https://news.example/k"),
        ("<@U0BOT> <https://news.example/m>", "https://news.example/m"),
        ("summarize “https://news.example/n”", "https://news.example/n"),
    ],
)  # fmt: skip
def test_a_link_in_any_wrapping_or_chat_markup_is_summarised(asked: str, url: str) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, q.url) == ("summarize", url)


@pytest.mark.parametrize(
    ("asked", "topic"),
    [
        ("what's the latest on the rail strike?", "the rail strike"),
        ("anything new about the harbour gates", "the harbour gates"),
        ("can you tell me the news about Armenia", "Armenia"),
        ("what's going on with the rail strike", "the rail strike"),
        ("give me the headlines", ""),
        ("any news on the election, thanks", "the election"),
        ("show me the latest news", ""),
        ("news pls", ""),
        ("Hey bot, anything about the rail strike?", "the rail strike"),
    ],
)
def test_news_questions_are_read_inside_requests_and_courtesy(asked: str, topic: str) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, q.topic) == ("news", topic)


@pytest.mark.parametrize(
    "asked",
    [
        "thanks!",
        "what did you say?",  # nobody named
        "what did they say about the fire",
        "who is the mayor of Westmere?",
        "what did you think of the game last night",
        "Okafor is late again",  # "Ok" is no greeting inside a name
    ],
)
def test_chatter_and_free_questions_stay_free_questions(asked: str) -> None:
    assert parse_question(asked, now=NOW).kind == "passages"


def test_unwrap_takes_off_greetings_requests_and_courtesy_only() -> None:
    assert unwrap("hey, could you please show me the feeds, thanks") == "the feeds"
    assert unwrap("do you know who said peace? thank you so much") == "who said peace?"
    assert unwrap("who said thank you") == "who said thank you"
    assert unwrap("tell me about the strike") == "tell me about the strike"
    assert unwrap("Okafor said no") == "Okafor said no"
    assert unwrap("hey @newsbrief") == "@newsbrief"


def test_find_url_leaves_out_sentence_punctuation_and_chat_markup() -> None:
    assert find_url("see https://news.example/a.") == "https://news.example/a"
    assert find_url("(https://news.example/a?b=1)") == "https://news.example/a?b=1"
    assert find_url("https://w.example/wiki/A_(b)),") == "https://w.example/wiki/A_(b)"
    assert find_url("<https://news.example/x|label with spaces>") == "https://news.example/x"
    assert find_url("“https://news.example/q”") == "https://news.example/q"
    assert find_url("https://") == ""


@pytest.mark.parametrize(
    ("asked", "kind", "fields"),
    [
        ("who on earth said the cuts were fair", "whosaid", ("the cuts were fair", "", "")),
        ("who said it: 'no surrender'", "whosaid", ("no surrender", "", "")),
        ("remind me who said the cuts were fair lol", "whosaid", ("the cuts were fair", "", "")),
        ("what politician said the cuts were fair", "whosaid", ("the cuts were fair", "", "")),
        ("when exactly did Okafor say it is done", "when", ("it is done", "Okafor", "")),
        ("what time did the mayor say the gates open", "when", ("the gates open", "the mayor", "")),
        ("what Blinken said about Russia", "quotes", ("", "Blinken", "Russia")),
        ("the mayor's response to the flood", "quotes", ("", "the mayor", "the flood")),
        ("Blinken quotes about Russia", "quotes", ("", "Blinken", "Russia")),
        ("anything from the mayor about the gates?", "quotes", ("", "the mayor", "the gates")),
        ("what's up with the rail strike", "news", ("", "", "the rail strike")),
        ("update me on the strike", "news", ("", "", "the strike")),
        ("is there any news about the strike", "news", ("", "", "the strike")),
        ("funny quotes about cats", "passages", ("", "", "funny quotes about cats")),
    ],
)
def test_more_shapes_are_read_and_near_misses_are_not(
    asked: str, kind: str, fields: tuple[str, str, str]
) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, (q.phrase, q.person, q.topic)) == (kind, fields)


@pytest.mark.parametrize(
    ("asked", "kind", "fields"),
    [
        ("need to know who said the port would reopen asap", "whosaid",
         ("the port would reopen", "", "")),
        ("can anyone tell me who said the figures were wrong", "whosaid",
         ("the figures were wrong", "", "")),
        ("who was quoted as stating the port would reopen", "whosaid",
         ("the port would reopen", "", "")),
        ("whose words were 'time is running out'", "whosaid", ("time is running out", "", "")),
        ("What did the mayor actually say about the gates", "quotes",
         ("", "the mayor", "the gates")),
        ("what was said by the mayor about the gates", "quotes", ("", "the mayor", "the gates")),
        ("what does the mayor think about the gates", "quotes", ("", "the mayor", "the gates")),
        ("what's been happening with the port", "news", ("", "", "the port")),
        ("any fresh news on the crash?", "news", ("", "", "the crash")),
        ("fill me in on the crash", "news", ("", "", "the crash")),
        ("news on the crash from this week", "news", ("", "", "the crash")),
        ("the man who said he was innocent was freed", "passages",
         ("", "", "the man who said he was innocent was freed")),
    ],
)  # fmt: skip
def test_questions_embedded_in_requests_and_other_shapes(
    asked: str, kind: str, fields: tuple[str, str, str]
) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, (q.phrase, q.person, q.topic)) == (kind, fields)


@pytest.mark.parametrize(
    ("asked", "person"),
    [
        ("who is Antony Blinken?", "Antony Blinken"),
        ("Who's Jo Roe", "Jo Roe"),
        ("who was Mayor Ann Reed?", "Mayor Ann Reed"),
    ],
)
def test_who_is_a_named_person_asks_for_them(asked: str, person: str) -> None:
    q = parse_question(asked, now=NOW)
    assert (q.kind, q.person, q.topic, q.who) == ("quotes", person, "", True)
