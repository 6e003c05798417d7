"""Passages that are someone's words are shown as theirs, not as the article's own."""

from __future__ import annotations

from datetime import UTC, datetime

from summaries.answers.answer import Answerer

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

ORCHARD = (
    "Frost threatens the valley's apple harvest\n\n"
    "Growers in the Tallow Valley lit fires between their rows on Tuesday night as the "
    "temperature fell to minus four degrees.\n\n"
    "\u201cWe have never seen a frost this late in the spring. The blossom was already out "
    "on every tree. Half of this year's crop could be gone by the morning,\u201d said Marta "
    "Ellison, who runs the largest orchard in the valley.\n\n"
    "The regional weather office expects a milder night on Wednesday."
)

ARTICLES = [(ORCHARD, "https://valley.example/frost", NOW)]


def test_a_passage_inside_a_quote_is_cited_as_its_speakers_words(words_only: Answerer) -> None:
    answer = words_only.answer("blossom already out on every tree")
    assert answer.found
    top = answer.citations[0]
    assert top.speaker == "Marta Ellison" and not top.passage
    assert top.text == "The blossom was already out on every tree."
    # the reporter's own sentences stay the article's
    answer = words_only.answer("milder night weather office")
    assert answer.found
    assert answer.citations[0].passage and answer.citations[0].speaker is None
