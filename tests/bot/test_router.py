"""Free text to commands: what people type at the bot."""

from __future__ import annotations

import pytest

from bot.commands import BY_WORD
from bot.router import route

NAMES = BY_WORD.keys()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<@U123> who said there is no military solution?",
            ("whosaid", "there is no military solution"),
        ),
        ('who said "ready for peace"', ("whosaid", "ready for peace")),
        ("Who says the budget is balanced", ("whosaid", "the budget is balanced")),
        ("who's saying the budget is balanced", ("whosaid", "the budget is balanced")),
        ("what did Blinken say about Russia?", ("quotes", "Blinken about Russia")),
        (
            "What has Secretary Blinken said on Ukraine",
            ("quotes", "Secretary Blinken about Ukraine"),
        ),
        ("what did the mayor say?", ("quotes", "the mayor")),
        ("quotes by Ines Okafor", ("quotes", "Ines Okafor")),
        ("quotes by Ines Okafor about the barrier", ("quotes", "Ines Okafor about the barrier")),
        ("quotes Blinken", ("quotes", "Blinken")),
        ("summarize https://news.example/a?b=1", ("summarize", "https://news.example/a?b=1")),
        ("<@123456789> tl;dr <https://news.example/x>", ("summarize", "https://news.example/x")),
        ("https://news.example/story", ("summarize", "https://news.example/story")),
        ("news about Armenia", ("today", "Armenia")),
        ("what's new with the rail strike?", ("today", "the rail strike")),
        ("latest", ("today", "")),
        ("today", ("today", "")),
        ("today Armenia", ("today", "Armenia")),
        ("follow https://news.example/rss", ("follow", "https://news.example/rss")),
        ("whosaid no military solution", ("whosaid", "no military solution")),
        ("feeds", ("feeds", "")),
        ("help", ("help", "")),
        ("<@U1>", ("help", "")),
    ],
)
def test_route_places_what_people_ask(text: str, expected: tuple[str, str]) -> None:
    assert route(text, NAMES)[0] in BY_WORD  # the router only ever picks a registered command
    assert route(text, NAMES) == expected


@pytest.mark.parametrize(
    "text",
    [
        "how are you",
        "🦄🦄🦄",
        "tell me a joke about cats",
        "who is the mayor?",  # "who" is short for whosaid only after /brief
        "who is Ann Reed?",  # a person's role and quotes: ask's answer, not the quotes list
        "when did Blinken say there is no military solution?",
    ],
)
def test_route_sends_what_no_command_fits_to_ask(text: str) -> None:
    assert route(text, NAMES) == ("ask", text)


# Phrasings whose route changed when the router began reading with the one parser (`ask`'s).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # was ("whosaid", "that the budget is balanced"): "that" is not part of the words said
        ("who said that the budget is balanced", ("whosaid", "the budget is balanced")),
        # were `ask`: the answer's own spellings of "who said"
        ("who said: the budget is balanced", ("whosaid", "the budget is balanced")),
        ("who claimed the budget is balanced", ("whosaid", "the budget is balanced")),
        ("who was quoted as saying peace", ("whosaid", "peace")),
        ("hey newsbrief, who said the budget is balanced", ("whosaid", "the budget is balanced")),
        # were `ask`: the answer's spellings of "what did X say"
        ("what did Blinken tell reporters about Russia?", ("quotes", "Blinken about Russia")),
        ("what was Blinken saying?", ("quotes", "Blinken")),
        # were `ask`: the answer reads these as news about a topic, like "news about Armenia"
        ("tell me about the rail strike", ("today", "the rail strike")),
        ("what is happening in Armenia?", ("today", "Armenia")),
        ("what has happened to the harbour gates?", ("today", "the harbour gates")),
        # were `ask ask …`: the command word is no longer part of the question
        ("ask who said peace", ("ask", "who said peace")),
        # was ("summarize", ""): "digest" is not a word for summarise
        ("digest", ("ask", "digest")),
    ],
)
def test_route_follows_the_answers_reading_where_it_once_differed(
    text: str, expected: tuple[str, str]
) -> None:
    assert route(text, NAMES) == expected


@pytest.mark.parametrize(
    "text",
    [
        # were ("whosaid", "... today") and ("quotes", "Blinken about Russia yesterday"): the time
        # was searched as words; `ask` applies it as a time window
        "who said the budget is balanced today",
        "what did Blinken say about Russia yesterday?",
    ],
)
def test_who_said_and_quotes_with_a_time_go_to_ask_which_applies_it(text: str) -> None:
    assert route(text, NAMES) == ("ask", text)


def test_a_known_source_named_in_who_said_sends_it_to_ask_which_filters_by_it() -> None:
    text = "who said the budget is balanced from Westmere Gazette"
    assert route(text, NAMES, sources=["Westmere Gazette"]) == ("ask", text)
    unknown = route(text, NAMES, sources=["Port Alder Post"])
    assert unknown == ("whosaid", "the budget is balanced from Westmere Gazette")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a link in Slack's markup, after a command word, with a label and courtesy
        (
            "summarise <https://news.example/c|Council vote story> please",
            ("summarize", "https://news.example/c"),
        ),
        ("could you summarize https://news.example/a. thanks", ("summarize", "https://news.example/a")),
        ("<@U1> tl;dr (https://news.example/f)", ("summarize", "https://news.example/f")),
        # a link after another command is that command's
        ("follow https://news.example/rss", ("follow", "https://news.example/rss")),
        # questions inside requests and courtesy
        ("hey bot, can you tell me who said the deal is dead? thx",
         ("whosaid", "the deal is dead")),
        ("do you know what Blinken said about Russia", ("quotes", "Blinken about Russia")),
        ("Okafor's comments on the barrier", ("quotes", "Okafor about the barrier")),
        ("any updates on Armenia, thanks", ("today", "Armenia")),
        # a command word after a greeting; a greeting alone
        ("hey, help", ("help", "")),
        ("sources pls", ("sources", "")),
        ("hi <@U1>", ("help", "")),
        # greetings, thanks and assent with nothing asked: no search for "there" or "cool"
        ("<@U1> Hello there!", ("help", "")),
        ("thanks!", ("help", "")),
        ("ok cool", ("help", "")),
        ("good morning everyone", ("help", "")),
        ("who said thank you", ("whosaid", "thank you")),
        ("news about the team", ("today", "the team")),
        # a /regex/ of symbols alone is the filter's, not an emoji to drop
        ("filter add /(/", ("filter", "add /(/")),
        ("filter add /.+/ thanks", ("filter", "add /.+/")),
        ("sources 🙏", ("sources", "")),
    ],
)  # fmt: skip
def test_route_reads_requests_courtesy_and_chat_links(text: str, expected: tuple[str, str]) -> None:
    assert route(text, NAMES) == expected
