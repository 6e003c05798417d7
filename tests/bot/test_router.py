"""Free text to commands: what people type at the bot."""

from __future__ import annotations

import pytest

from bot.router import clean_phrase, route, split_about, strip_mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<@U123> who said there is no military solution?",
            ("whosaid", "there is no military solution"),
        ),
        ('who said "ready for peace"', ("whosaid", "ready for peace")),
        ("Who says the budget is balanced", ("whosaid", "the budget is balanced")),
        ("what did Blinken say about Russia?", ("quotes", "Blinken about Russia")),
        (
            "What has Secretary Blinken said on Ukraine",
            ("quotes", "Secretary Blinken about Ukraine"),
        ),
        ("what did the mayor say?", ("quotes", "the mayor")),
        ("quotes by Ines Okafor", ("quotes", "Ines Okafor")),
        ("summarize https://news.example/a?b=1", ("summarize", "https://news.example/a?b=1")),
        ("<@123456789> tl;dr <https://news.example/x>", ("summarize", "https://news.example/x")),
        ("https://news.example/story", ("summarize", "https://news.example/story")),
        ("news about Armenia", ("today", "Armenia")),
        ("what's new with the rail strike?", ("today", "the rail strike")),
        ("latest", ("today", "")),
        ("follow https://news.example/rss", ("follow", "https://news.example/rss")),
        ("help", ("help", "")),
        ("<@U1>", ("help", "")),
    ],
)
def test_route_places_what_people_ask(text: str, expected: tuple[str, str]) -> None:
    assert route(text) == expected


@pytest.mark.parametrize("text", ["how are you", "🦄🦄🦄", "tell me a joke about cats"])
def test_route_returns_none_for_what_it_cannot_place(text: str) -> None:
    assert route(text) is None


def test_helpers() -> None:
    assert strip_mentions("<@U12|bot> hi <@!99>") == "hi"
    assert clean_phrase(" “ready for peace”? ") == "ready for peace"
    assert split_about("Blinken about the war in Ukraine") == ("Blinken", "the war in Ukraine")
    assert split_about("Blinken") == ("Blinken", "")
