"""Pure search helpers: safe query terms, topic overlap, excerpts of long quotes."""

from __future__ import annotations

from summaries.answers.search import (
    coverage,
    excerpt,
    holds_words,
    searched_words,
    terms,
    topic_overlap,
)


def test_terms_keep_only_words_so_no_query_syntax_survives() -> None:
    assert terms('NEAR( "no" AND *mil* -solution: OR') == [
        "near",
        "no",
        "and",
        "mil",
        "solution",
        "or",
    ]
    assert terms("💥 ??? ---") == []
    assert len(terms("word " * 5000 + " ".join(f"w{i}" for i in range(100)))) == 16


def test_topic_overlap_ignores_question_words_and_plurals() -> None:
    assert topic_overlap("what did he say about Russia", "Russia's moves worry us") == 1.0
    assert topic_overlap("the elections", "one election at a time") == 1.0
    assert topic_overlap("unicorns", "budget office") == 0.0
    assert topic_overlap("the", "anything") == 0.0


def test_coverage_counts_every_word_of_the_phrase() -> None:
    assert coverage("no military solution", "There is no military solution.") == 1.0
    assert coverage("no military solution", "A military parade.") == 1 / 3


def test_excerpt_keeps_short_quotes_whole_and_cuts_long_ones_around_the_match() -> None:
    assert excerpt("Short quote.", "quote") == "Short quote."
    long = " ".join(f"Sentence number {i} is about topic {i}." for i in range(40))
    cut = excerpt(long, "sentence number 20 topic 20", max_chars=120)
    assert cut.startswith("… Sentence number 20 is about topic 20.")
    assert cut.endswith(" …") and len(cut) <= 124
    assert cut[2:-2] in long  # exact words, nothing rewritten


def test_a_query_asks_for_its_uncommon_words_and_checks_the_common_ones() -> None:
    assert searched_words(["the", "harbour", "of", "talks"]) == ["harbour", "talks"]
    assert searched_words(["to", "be", "or", "not"]) == ["to", "be", "or", "not"]
    assert holds_words("Talks on THE harbour’s future.", ["the", "on"])
    assert not holds_words("Talks about a harbour.", ["the"])
    assert not holds_words("Theirs, then there.", ["the"])  # words, not pieces of words
    assert holds_words("Café ÓN the quay", ["on"])  # accents folded, as the index does
    assert holds_words("anything", [])
