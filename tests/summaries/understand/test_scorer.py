import numpy as np
import pytest

from summaries.understand.quoted import attributed_sentences
from summaries.understand.scorer import (
    FEATURES,
    SentenceScorer,
    choose_sentences,
    lead_swaps,
    leans_on_previous,
    sentence_features,
    summary_length,
)

SENTENCES = [
    "The council of Marlow voted on Tuesday to build a new bridge across the Tamsin river.",
    "The bridge will cost 48 million euros and should open in 2027.",
    "That was when the old ferry company closed its last crossing.",
    "Opponents said the money should go to schools instead.",
]


@pytest.mark.parametrize(
    "sentence",
    [
        "That was when the ferry closed.",
        "He had said so before.",
        "But the council disagreed.",
        "The former mayor had opposed it.",
        '"This is wrong," she said.',
        "However, the vote was close.",
    ],
)
def test_sentences_that_point_back_lean_on_the_one_before(sentence: str) -> None:
    assert leans_on_previous(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The council voted on Tuesday.",
        "There is no money left for schools.",
        "Thereafter the ferry stopped.",
        "Heavy rain closed the road.",
    ],
)
def test_sentences_that_stand_alone(sentence: str) -> None:
    assert not leans_on_previous(sentence)


def test_a_leaning_sentence_comes_with_the_one_it_leans_on_or_not_at_all() -> None:
    scores = np.array([0.1, 0.0, 0.9, 0.5])  # the leaning sentence scores best
    assert choose_sentences(scores, SENTENCES, max_sentences=3) == [1, 2, 3]
    # No room for the pair: the leaning sentence is left out, not shown alone.
    assert choose_sentences(scores, SENTENCES, max_sentences=1) == [3]


def test_a_near_duplicate_of_a_chosen_sentence_is_skipped() -> None:
    sim = np.eye(4)
    sim[0, 3] = sim[3, 0] = 0.95
    scores = np.array([0.9, 0.1, 0.0, 0.8])
    assert choose_sentences(scores, SENTENCES, max_sentences=2, sim=sim) == [0, 1]


LEAD = [
    "The council of Marlow voted on Tuesday to build a new bridge across the Tamsin river.",
    "The vote was held in the town hall.",
    "He said the bridge would cost 48 million euros.",
    "Opponents said the money should go to schools instead.",
    "Work on the bridge starts in March and should end in 2027.",
    "But the ferry will keep running until then.",
]


def test_the_lead_stays_unless_a_later_sentence_scores_clearly_better() -> None:
    scores = np.array([2.0, 0.5, 1.0, 0.2, 1.2, 3.0])
    # Sentence 5 scores best but leans on 4 ("But"): never swapped in alone. Sentence 1 is
    # the weakest of the lead, yet sentence 2 ("He said") leans on it: 2 is the one that can
    # go, and sentence 4 beats it by 0.2: in at a margin of 0.1, not at 1.
    assert lead_swaps(scores, LEAD, max_sentences=3, margin=1.0) == [0, 1, 2]
    assert lead_swaps(scores, LEAD, max_sentences=3, margin=0.1) == [0, 1, 4]
    assert choose_sentences(scores, LEAD, max_sentences=3, lead_margin=0.1) == [0, 1, 4]
    # No margin: the free choice by score, pairs kept together.
    assert choose_sentences(scores, LEAD, max_sentences=3) == [0, 4, 5]


def test_features_have_one_row_per_sentence_and_mark_the_title() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(4, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    plain = sentence_features(SENTENCES, vectors)
    titled = sentence_features(SENTENCES, vectors, title_vector=vectors[0])
    assert plain.shape == titled.shape == (4, len(FEATURES))
    assert plain[:, FEATURES.index("has_title")].tolist() == [0.0] * 4
    assert titled[:, FEATURES.index("has_title")].tolist() == [1.0] * 4
    assert plain[:, FEATURES.index("leans")].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert plain[:, FEATURES.index("inverse_position")].tolist() == [1.0, 1 / 2, 1 / 3, 1 / 4]


def test_dated_background_names_from_the_lead_and_novelty_to_the_lead_are_features() -> None:
    sentences = [
        "Mayor Ilse Varnak of Dunmore closed the harbour bridge on Monday.",
        "Varnak said the bridge was unsafe after the storm.",
        "The bridge first opened in 1978 after a long campaign.",
        "Fishermen welcomed cheaper diesel at the northern quay.",
    ]
    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(4, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = sentence_features(sentences, vectors)
    assert rows[:, FEATURES.index("mentions_year")].tolist() == [0.0, 0.0, 1.0, 0.0]
    names = rows[:, FEATURES.index("lead_name_overlap")]
    assert names[0] == 1.0 and 0.0 < names[1] < 1.0 and names[3] == 0.0
    novelty = rows[:, FEATURES.index("novelty_to_lead")]
    assert novelty[0] == 0.0  # the lead adds nothing to itself
    assert novelty[1] < novelty[3] == 1.0  # a restatement vs a sentence sharing no word


def test_the_shipped_weights_load_and_score_the_lead_above_background() -> None:
    scorer = SentenceScorer.load()
    assert scorer.coef.shape == (len(FEATURES),)
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(4, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = scorer.score(sentence_features(SENTENCES, vectors))
    assert np.isfinite(scores).all()
    assert scores[0] > scores[3]  # same kind of sentence: the lead wins on position


def test_weights_round_trip_through_json(tmp_path: object) -> None:
    from pathlib import Path

    scorer = SentenceScorer.load()
    path = Path(str(tmp_path)) / "model.json"
    path.write_text(scorer.to_json(note="test"), encoding="utf-8")
    again = SentenceScorer.load(path)
    assert np.array_equal(again.coef, scorer.coef)
    assert again.intercept == scorer.intercept
    assert again.lead_margin == scorer.lead_margin


def test_an_article_with_a_headline_is_scored_by_the_titled_scorer_when_there_is_one(
    tmp_path: object,
) -> None:
    from pathlib import Path

    n = len(FEATURES)
    titled = SentenceScorer(np.zeros(n), np.ones(n), np.full(n, 2.0), 1.0, lead_margin=3.0)
    plain = SentenceScorer(np.zeros(n), np.ones(n), np.ones(n), 0.0, lead_margin=0.5)
    both = SentenceScorer(plain.mean, plain.scale, plain.coef, 0.0, 0.5, titled=titled)
    assert both.for_article(has_title=True) is titled
    assert both.for_article(has_title=False) is both
    assert plain.for_article(has_title=True) is plain  # no titled scorer: one for all
    path = Path(str(tmp_path)) / "model.json"
    path.write_text(both.to_json(titled_notes={"C": 0.3}, C=1.0), encoding="utf-8")
    again = SentenceScorer.load(path)
    assert again.titled is not None
    assert np.array_equal(again.titled.coef, titled.coef)
    assert again.titled.intercept == 1.0 and again.titled.lead_margin == 3.0
    assert again.lead_margin == 0.5 and again.titled.titled is None


# Our own sentences: short ones (5-6 words) and long ones (over 40 words).
SHORT = [
    "The ferry stopped running on Monday.",
    "The council met the next day.",
    "It voted to build a bridge.",
    "Work should start in the spring.",
    "The mayor welcomed the vote.",
]
LONG = [
    "The council of Marlow voted late on Tuesday night, after a debate that ran for more than "
    "six hours and drew hundreds of residents to the town hall, to build a new road bridge "
    "across the Tamsin river where the old ferry used to cross.",
    "The bridge, which engineers from the regional roads board say will carry about twelve "
    "thousand cars a day once it opens, is expected to cost 48 million euros, most of it paid "
    "for by a loan from the national infrastructure fund.",
    "Opponents said the money should go to schools.",
    "The mayor welcomed the vote.",
]


def test_the_brief_is_three_sentences_without_a_length_rule() -> None:
    assert summary_length(SHORT) == summary_length(LONG) == 3
    assert summary_length(SHORT[:2]) == 2 and summary_length(SHORT[:1]) == 1


def test_a_length_rule_gives_four_short_sentences_or_two_long_ones() -> None:
    assert summary_length(SHORT, short_words=40) == 4  # 18 words in the first three
    assert summary_length(SHORT, short_words=18) == 3  # not fewer than 18
    assert summary_length(SHORT, long_words=60) == 3
    assert summary_length(LONG, long_words=60) == 2  # 86 words in the first two
    assert summary_length(LONG, long_words=90) == 3
    assert summary_length(LONG, short_words=40, long_words=90) == 3
    # Never more sentences than the text has, and never below two from three.
    assert summary_length(SHORT[:3], short_words=40) == 3
    assert summary_length(LONG[:2], long_words=10) == 2
    assert summary_length(LONG, 2, long_words=10) == 2
    assert summary_length(SHORT, 2, short_words=40) == 3


def test_a_scorer_carries_its_length_rule_through_json(tmp_path: object) -> None:
    from pathlib import Path

    n = len(FEATURES)
    titled = SentenceScorer(np.zeros(n), np.ones(n), np.ones(n), 0.0, length_rule=(None, 60))
    plain = SentenceScorer(np.zeros(n), np.ones(n), np.ones(n), 0.0, length_rule=(40, None))
    both = SentenceScorer(plain.mean, plain.scale, plain.coef, 0.0, titled=titled)
    assert both.sentences_for(SHORT) == 3 and both.sentences_for(LONG) == 3
    assert plain.sentences_for(SHORT) == 4 and titled.sentences_for(LONG) == 2
    path = Path(str(tmp_path)) / "model.json"
    path.write_text(replace_rule(both, (40, None)).to_json(), encoding="utf-8")
    again = SentenceScorer.load(path)
    assert again.length_rule == (40, None)
    assert again.titled is not None and again.titled.length_rule == (None, 60)
    assert again.sentences_for(SHORT) == 4 and again.titled.sentences_for(LONG) == 2


def replace_rule(scorer: SentenceScorer, rule: tuple[int | None, int | None]) -> SentenceScorer:
    from dataclasses import replace

    return replace(scorer, length_rule=rule)


def test_quoted_sentences_get_their_named_speaker_back() -> None:
    text = (
        "The council approved the barrier on Tuesday.\n\n"
        '"We stop hoping tonight. We start building. It is our turn now," Mayor Ada Brennan '
        "said.\n\n"
        '"It will take four years. It will be worth it," she added.'
    )
    shown = attributed_sentences(text)
    assert shown == {
        1: "Mayor Ada Brennan said: “We stop hoping tonight.”",
        2: "Mayor Ada Brennan said: “We start building.”",
    }


REPEATING = [
    "The council of Marlow voted on Tuesday to build a new bridge across the Tamsin river.",
    "Marlow's councillors approved a new bridge over the Tamsin on Tuesday.",
    "The bridge will cost 48 million euros.",
    "Opponents said the money should go to schools instead.",
    "He added that the ferry would close.",
    "Work starts in March and should end in 2027.",
]


def repeating_sim() -> np.ndarray:
    sim = np.eye(len(REPEATING))
    sim[0, 1] = sim[1, 0] = 0.8  # the second sentence says the first again
    sim[0, 3] = sim[3, 0] = 0.3
    return sim


def test_a_lead_sentence_repeating_an_earlier_one_gives_way_under_a_redundancy_rule() -> None:
    scores = np.array([2.0, 1.5, 1.0, 0.6, 3.0, 0.4])
    sim = repeating_sim()
    # Without the rule (or with a limit above the repetition) the lead stays: sentence 3 does
    # not beat the weakest lead sentence by the margin, and 4 leans on the one before it.
    assert lead_swaps(scores, REPEATING, sim=sim, margin=1.0) == [0, 1, 2]
    assert lead_swaps(scores, REPEATING, sim=sim, margin=1.0, redundancy=0.9) == [0, 1, 2]
    # At 0.7 sentence 1 repeats sentence 0: the best later sentence that stands alone takes
    # its place whatever the margin.
    assert lead_swaps(scores, REPEATING, sim=sim, margin=1.0, redundancy=0.7) == [0, 2, 3]
    assert choose_sentences(scores, REPEATING, sim=sim, lead_margin=1.0, redundancy=0.7) == [
        0,
        2,
        3,
    ]


def test_a_repeating_lead_sentence_stays_when_the_next_one_leans_on_it() -> None:
    sentences = [*REPEATING[:2], "It will cost 48 million euros.", *REPEATING[3:]]
    scores = np.array([2.0, 1.5, 1.0, 0.6, 3.0, 0.4])
    assert lead_swaps(scores, sentences, sim=repeating_sim(), margin=1.0, redundancy=0.7) == [
        0,
        1,
        2,
    ]


def test_the_free_choice_skips_a_sentence_too_like_a_chosen_one_under_a_redundancy_rule() -> None:
    scores = np.array([2.0, 1.5, 1.0, 0.6, 0.1, 0.4])
    sim = repeating_sim()
    assert choose_sentences(scores, REPEATING, max_sentences=2, sim=sim) == [0, 1]
    assert choose_sentences(scores, REPEATING, max_sentences=2, sim=sim, redundancy=0.7) == [0, 2]


def test_a_scorer_carries_its_redundancy_threshold_through_json(tmp_path: object) -> None:
    from dataclasses import replace
    from pathlib import Path

    n = len(FEATURES)
    titled = SentenceScorer(np.zeros(n), np.ones(n), np.ones(n), 0.0, redundancy=0.6)
    both = SentenceScorer(np.zeros(n), np.ones(n), np.ones(n), 0.0, titled=titled)
    path = Path(str(tmp_path)) / "model.json"
    path.write_text(replace(both, redundancy=0.8).to_json(), encoding="utf-8")
    again = SentenceScorer.load(path)
    assert again.redundancy == 0.8
    assert again.titled is not None and again.titled.redundancy == 0.6
    assert SentenceScorer(np.zeros(n), np.ones(n), np.ones(n), 0.0).redundancy is None
