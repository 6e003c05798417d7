"""A question about what someone said that finds no quote: passages that mention them, said
to be such, over a real store, pipeline, quote extractor and embedder."""

from __future__ import annotations

import pytest

from summaries.answers.answer import NOTHING, Answer, Answerer
from tests.samples import MARKETS, MARKETS_URL

ARTICLES = [(MARKETS, MARKETS_URL, None)]


def _passages_only(answer: Answer) -> None:
    """The answer is a labelled fallback: no quote, every citation an article's own sentence."""
    assert answer.found and answer.fallback, answer
    assert answer.text.startswith("I found no"), answer.text
    assert "These passages mention" in answer.text
    for cite in answer.citations:
        assert cite.speaker is None and cite.quote_id is None and cite.cue is None
        assert cite.article.url == MARKETS_URL and cite.text in MARKETS


@pytest.mark.parametrize("which", ["words_only", "hybrid"])
def test_a_reaction_of_something_not_a_person_answers_with_passages_that_mention_it(
    which: str, request: pytest.FixtureRequest
) -> None:
    answerer: Answerer = request.getfixturevalue(which)
    answer = answerer.answer("how did the market react to the rate cut?")
    assert answer.kind == "quotes"
    _passages_only(answer)
    assert answer.text.startswith("I found no direct quote from the market about the rate cut.")
    assert answer.citations[0].text.startswith("The stock market rose sharply")


def test_what_a_report_said_answers_with_the_passage_naming_the_report(
    words_only: Answerer,
) -> None:
    answer = words_only.answer("what did the report say about jobs?")
    _passages_only(answer)
    assert [c.text for c in answer.citations] == [
        "A new report shows the economy added forty thousand jobs last month."
    ]


def test_a_person_mentioned_but_never_quoted_gets_the_passage_naming_them(
    words_only: Answerer, hybrid: Answerer
) -> None:
    for answerer in (words_only, hybrid):
        answer = answerer.answer("what did Mia Holt say about the budget?")
        _passages_only(answer)
        assert all("Holt" in c.text for c in answer.citations)
        # Through the answerer's own call, as `/brief quotes` and `newsbrief quotes` make it.
        direct = answerer.quotes("Mia Holt", "the budget")
        assert direct.fallback and direct.citations == answer.citations


def test_who_said_words_nobody_is_quoted_saying_gets_the_passage_saying_them(
    words_only: Answerer,
) -> None:
    answer = words_only.answer("who said the stock market rose sharply?")
    assert answer.kind == "whosaid"
    _passages_only(answer)
    assert answer.text.startswith("I found no quote saying that.")
    assert answer.citations[0].text.startswith("The stock market rose sharply")
    assert words_only.who_said("the stock market rose sharply").citations == answer.citations


def test_passages_must_mention_the_person_and_the_topic(
    words_only: Answerer, hybrid: Answerer
) -> None:
    for answerer in (words_only, hybrid):
        # Holt is named, but not about unicorns; nobody named Vance is in the news at all.
        for asked in ("what did Mia Holt say about unicorns?", "what did Vance say about jobs?"):
            answer = answerer.answer(asked)
            assert not answer.found and not answer.fallback, asked
            assert answer.text == NOTHING and answer.citations == (), asked


def test_a_question_with_real_quotes_is_answered_with_them_as_before(
    words_only: Answerer, hybrid: Answerer
) -> None:
    for answerer in (words_only, hybrid):
        answer = answerer.answer("what did Lena Ortiz say?")
        assert answer.found and not answer.fallback
        assert answer.text == "What Lena Ortiz, Finance Minister, said:"
        (top,) = answer.citations
        assert top.speaker == "Lena Ortiz" and top.quote_id is not None
        assert top.text.startswith("This gives families some breathing room")
        who = answerer.answer("who said this gives families some breathing room?")
        assert who.found and not who.fallback and who.text == "Lena Ortiz said it:"
