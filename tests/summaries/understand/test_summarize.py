import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from summaries.answers.digest import key_quote
from summaries.store import StoredQuote
from summaries.types import ArticleRef, NewsbriefError
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.faithfulness import check_faithful
from summaries.understand.quotes import QuoteExtractor
from summaries.understand.summarize import (
    EmptyTextError,
    ExtractiveSummarizer,
    LeadSummarizer,
    LearnedSummarizer,
    Seq2SeqSummarizer,
    Summarizer,
    is_junk_sentence,
)
from summaries.understand.text import split_sentences
from tests.samples import SEED

PARAGRAPHS = [
    "By Jane Doe, Staff Writer",
    (
        "The city council of Marlow voted on Tuesday to build a new bridge across the "
        "Tamsin river, ending a decade of debate over how to ease traffic in the old "
        "town."
    ),
    (
        "The bridge will cost 48 million euros and should open in 2027, the council said. "
        "Click here to sign up for our newsletter."
    ),
    (
        'Mayor Ada Brennan called the vote "a turning point for Marlow" and said the '
        "bridge would cut commuting times by half."
    ),
    "Photo: The old ferry crossing at dawn",
    (
        "Opponents argued that the money should go to schools. A petition against the "
        "bridge gathered 3,500 signatures last year."
    ),
    "Have you crossed the river lately?",
    (
        "Construction firms have until March to submit bids. The council expects to pick "
        "a builder in the summer."
    ),
    ("Local shops near the ferry said they feared losing customers once the bridge opens."),
    "The ferry has carried passengers across the river since 1890.",
]
ARTICLE = "\n\n".join(PARAGRAPHS) + "\n"


def test_lead_summarizer_returns_the_first_real_sentences() -> None:
    summary = LeadSummarizer(max_sentences=2).summarize(ARTICLE)
    assert summary.sentences == (
        "The city council of Marlow voted on Tuesday to build a new bridge across the Tamsin "
        "river, ending a decade of debate over how to ease traffic in the old town.",
        "The bridge will cost 48 million euros and should open in 2027, the council said.",
    )
    assert summary.text == " ".join(summary.sentences)
    assert summary.method == "lead"


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_summarizers_refuse_empty_text_with_a_clear_error(text: str) -> None:
    summarizers: list[Summarizer] = [
        LeadSummarizer(),
        ExtractiveSummarizer(MiniLMEmbedder()),
        Seq2SeqSummarizer("/nonexistent", fallback=LeadSummarizer()),
    ]
    for summarizer in summarizers:
        with pytest.raises(EmptyTextError, match="empty"):
            summarizer.summarize(text)
    assert issubclass(EmptyTextError, NewsbriefError)
    assert issubclass(EmptyTextError, ValueError)


@pytest.mark.parametrize(
    "sentence",
    [
        "Click here to sign up for our newsletter.",
        "By Jane Doe, Staff Writer",
        "Photo: The old ferry crossing at dawn",
        "Have you crossed the river lately?",
        '"Who will pay for the bridge?"',
        "Scroll down for video",
        "Too short.",
        "READ MORE ABOUT THE BRIDGE AND THE VOTE HERE.",
    ],
)
def test_is_junk_sentence_flags_non_news_sentences(sentence: str) -> None:
    assert is_junk_sentence(sentence)


def test_is_junk_sentence_keeps_ordinary_news_sentences() -> None:
    assert not is_junk_sentence("The bridge will cost 48 million euros, the council said.")
    assert not is_junk_sentence('"It is a turning point," Mayor Ada Brennan said.')
    # A question reported in a sentence is news; a question put to the reader is not.
    assert not is_junk_sentence(
        "The mayor changed her mind when a child asked her: 'Where will the ferry go?'"
    )


def test_words_a_sentence_attributes_are_not_an_unattributed_quote() -> None:
    from summaries.understand.summarize import unattributed_quotes

    text = (
        "The council approved the barrier on Tuesday.\n\n"
        'The plan, passed by Mayor Ada Brennan, bans what it describes as "building on the '
        'flood plain" and "any new road along the river bank for ten years".'
    )
    assert unattributed_quotes(text) == [False, False]


def test_quoted_sentences_in_a_row_from_one_speaker_read_as_one_quotation() -> None:
    text = (
        '"We stop hoping tonight. We start building. It is our turn now," Mayor Ada Brennan '
        "said.\n\n"
        '"The ferry stays until the bridge opens," said Tom Reyes, the harbour master.'
    )
    summary = LeadSummarizer(max_sentences=3).summarize(text)
    assert summary.sentences == (
        "Mayor Ada Brennan said: “We stop hoping tonight. We start building.”",
        '"It is our turn now," Mayor Ada Brennan said.',
    )
    # Not next to each other in the article: each keeps its own attribution.
    from summaries.understand.summarize import _joined

    apart = _joined(
        ["Jo Roe said: “One.”", "Jo Roe said: “Two.”", "Al Fox said: “Three.”"], "t", [0, 2, 3]
    )
    assert apart.sentences == (
        "Jo Roe said: “One.”",
        "Jo Roe said: “Two.”",
        "Al Fox said: “Three.”",
    )
    together = _joined(["Jo Roe said: “One.”", "Jo Roe said: “Two.”"], "t", [4, 5])
    assert together.text == "Jo Roe said: “One. Two.”"


@pytest.mark.model
def test_extractive_returns_article_sentences_in_order_within_limits(
    embedder: MiniLMEmbedder,
) -> None:
    summarizer = ExtractiveSummarizer(embedder, max_sentences=3)
    summary = summarizer.summarize(ARTICLE, title="Marlow votes for a new bridge")
    article_sentences = split_sentences(ARTICLE)
    assert 1 <= len(summary.sentences) <= 3
    positions = [article_sentences.index(s) for s in summary.sentences]
    assert positions == sorted(positions)
    assert summary.text == " ".join(summary.sentences)
    assert summary.method == "extractive:all-MiniLM-L6-v2"
    # The lead sentence states the news; it must survive.
    assert summary.sentences[0].startswith("The city council of Marlow voted")


@pytest.mark.model
def test_extractive_never_picks_junk(embedder: MiniLMEmbedder) -> None:
    summary = ExtractiveSummarizer(embedder, max_sentences=6, max_words=500).summarize(ARTICLE)
    assert len(summary.sentences) == 6
    assert not any(is_junk_sentence(s) for s in summary.sentences)
    assert not any("Click here" in s or s.startswith(("By ", "Photo")) for s in summary.sentences)


@pytest.mark.model
def test_extractive_respects_max_sentences_and_word_budget(embedder: MiniLMEmbedder) -> None:
    one = ExtractiveSummarizer(embedder, max_sentences=1).summarize(ARTICLE)
    assert len(one.sentences) == 1
    tight = ExtractiveSummarizer(embedder, max_sentences=5, max_words=40).summarize(ARTICLE)
    words = sum(len(re.findall(r"\w+", s)) for s in tight.sentences)
    # The first pick is always kept; later ones only while they fit the budget.
    assert 1 <= len(tight.sentences) < 5
    assert len(tight.sentences) == 1 or words <= 40


@pytest.mark.model
def test_extractive_is_deterministic(embedder: MiniLMEmbedder) -> None:
    summarizer = ExtractiveSummarizer(embedder)
    assert summarizer.summarize(ARTICLE) == summarizer.summarize(ARTICLE)


def test_extractive_returns_short_text_as_is_without_loading_a_model() -> None:
    embedder = MiniLMEmbedder(model_dir="/nonexistent/model")  # would fail if it were loaded
    text = "The mayor resigned on Friday after a long dispute.\n\nHer deputy takes over at once."
    summary = ExtractiveSummarizer(embedder, max_sentences=3).summarize(text)
    assert summary.sentences == (
        "The mayor resigned on Friday after a long dispute.",
        "Her deputy takes over at once.",
    )


# --- seq2seq, on a tiny randomly initialised model built here --------------------------------


def _build_tiny_bart(folder: Path) -> Path:
    """A 1-layer BART with a word-level tokenizer whose words are all invented names/numbers."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

    words = [f"Zor{c}{v}" for c in "bcdfgklmnp" for v in "aeiou"]
    words += [str(n) for n in range(90000, 90030)]
    vocab = {w: i for i, w in enumerate(["<pad>", "<s>", "</s>", "<unk>", *words])}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 1), ("</s>", 2)]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        model_max_length=64,
    )
    config = BartConfig(
        vocab_size=len(vocab),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=64,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_eos_token_id=2,
    )
    torch.manual_seed(0)
    BartForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_bart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_tiny_bart(tmp_path_factory.mktemp("tiny-bart"))


def test_seq2seq_falls_back_and_logs_when_the_output_is_unfaithful(
    tiny_bart: Path, caplog: pytest.LogCaptureFixture
) -> None:
    summarizer = Seq2SeqSummarizer(
        tiny_bart, fallback=LeadSummarizer(), num_beams=2, min_length=8, max_length=16
    )
    with caplog.at_level(logging.WARNING, logger="summaries.understand.summarize"):
        summary = summarizer.summarize(ARTICLE)
    assert summary.method == "lead (fallback: unfaithful seq2seq)"
    assert summary.sentences == LeadSummarizer().summarize(ARTICLE).sentences
    assert any("not supported by the article" in r.getMessage() for r in caplog.records)
    # The model really ran: the warning names invented tokens from its vocabulary.
    assert any("Zor" in r.getMessage() or "900" in r.getMessage() for r in caplog.records)


def test_seq2seq_truncates_a_very_long_input_to_the_model_limit(
    tiny_bart: Path, caplog: pytest.LogCaptureFixture
) -> None:
    summarizer = Seq2SeqSummarizer(
        tiny_bart, fallback=LeadSummarizer(), num_beams=1, min_length=4, max_length=12
    )
    long_text = "Zorba Zorbe 90001 Zorbi. " * 5000  # 20,000 words, limit is 64 tokens
    with caplog.at_level(logging.WARNING, logger="summaries.understand.summarize"):
        summary = summarizer.summarize(long_text)
    assert "seq2seq unavailable" not in summary.method  # generation ran without error
    assert not any("failed" in r.getMessage() for r in caplog.records)


def test_seq2seq_falls_back_cleanly_when_the_model_is_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    summarizer = Seq2SeqSummarizer(tmp_path / "no-such-model", fallback=LeadSummarizer())
    with caplog.at_level(logging.WARNING, logger="summaries.understand.summarize"):
        first = summarizer.summarize(ARTICLE)
        second = summarizer.summarize(ARTICLE)
    assert first.method == "lead (fallback: seq2seq unavailable)"
    assert first.sentences == LeadSummarizer().summarize(ARTICLE).sentences
    assert second == first
    assert sum("failed" in r.getMessage() for r in caplog.records) == 2


# --- the faithfulness guard ----------------------------------------------------------------


def test_check_faithful_accepts_a_supported_summary() -> None:
    summary = (
        "Marlow's council approved a 48 million euro bridge; Mayor Ada Brennan called it "
        '"a turning point for Marlow". A petition had 3500 signatures.'
    )
    assert check_faithful(summary, ARTICLE) == []


def test_check_faithful_reports_invented_names() -> None:
    summary = "Mayor Ada Brennan and Governor Tom Hargreaves approved the bridge."
    assert check_faithful(summary, ARTICLE) == ["Governor Tom Hargreaves"]


def test_check_faithful_reports_invented_numbers() -> None:
    summary = "The bridge will cost 52 million euros, open in 2027 and carry 3.5% more cars."
    assert check_faithful(summary, ARTICLE) == ["52", "3.5"]


def test_check_faithful_matches_numbers_with_and_without_thousands_separators() -> None:
    assert check_faithful("About 3500 people signed.", ARTICLE) == []
    assert check_faithful("It holds 1,200 cars.", "The bridge holds 1200 cars.") == []


def test_check_faithful_reports_invented_quotes() -> None:
    summary = 'The mayor called the vote "a victory for common sense".'
    assert check_faithful(summary, ARTICLE) == ["a victory for common sense"]


def test_check_faithful_ignores_case_accents_and_sentence_openers() -> None:
    article = "Gisèle Freund photographed the painter in Mexico."
    assert check_faithful("GISELE FREUND photographed her. Yesterday it was shown.", article) == []


def test_quoted_sentences_without_a_speaker_are_not_summary_material() -> None:
    from summaries.understand.summarize import unattributed_quotes

    text = (
        "The council approved the barrier on Tuesday.\n\n"
        '"We stop hoping tonight. We start building," the mayor said.\n\n'
        '"It will take four years.\n\n'
        'It will be worth it," she added.'
    )
    assert unattributed_quotes(text) == [False, True, False, True, False]
    summary = LeadSummarizer(max_sentences=5).summarize(text)
    assert "We stop hoping tonight." not in summary.sentences
    assert "It will take four years." not in " ".join(summary.sentences)
    assert summary.sentences[0] == "The council approved the barrier on Tuesday."


# --- the learned summariser (the default) -----------------------------------------------------


@pytest.mark.model
def test_learned_returns_cleaned_article_sentences_in_order(embedder: MiniLMEmbedder) -> None:
    summary = LearnedSummarizer(embedder).summarize(ARTICLE, title="Marlow votes for a bridge")
    article_sentences = split_sentences(ARTICLE)
    assert len(summary.sentences) == 3
    positions = [article_sentences.index(s) for s in summary.sentences]
    assert positions == sorted(positions)
    assert not any(is_junk_sentence(s) for s in summary.sentences)
    assert summary.method == "learned:all-MiniLM-L6-v2"


@pytest.mark.model
def test_learned_never_shows_a_leaning_sentence_without_the_one_before(
    embedder: MiniLMEmbedder,
) -> None:
    paragraphs = [
        "Riverton (CNN)The council of Riverton voted on Tuesday to build a flood barrier "
        "across the Tamsin river after three floods in five years.",
        "Engineers from the regional water board drew up the plans over two winters.",
        "That was when the board first warned that the old levees would not hold.",
        "The barrier will cost 48 million euros and should be ready by the spring of 2029.",
        "But the works will close the riverside road for at least eighteen months.",
        "Shop owners on the quay said they feared losing customers during the works.",
        "The council promised them a fund of two million euros to cover lost trade.",
    ]
    text = "\n\n".join(paragraphs)
    for title in (None, "Riverton will build a flood barrier"):
        for size in (1, 2, 3, 4):
            summary = LearnedSummarizer(embedder, max_sentences=size).summarize(text, title=title)
            chosen = list(summary.sentences)
            assert not chosen[0].startswith("Riverton (CNN)")
            for sentence in chosen:
                if sentence.startswith(("That", "But")):
                    before = paragraphs[[p.endswith(sentence) for p in paragraphs].index(True) - 1]
                    assert before in chosen


@pytest.mark.model
def test_the_seed_brief_carries_its_point(
    embedder: MiniLMEmbedder, quote_extractor: QuoteExtractor
) -> None:
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    summary = LearnedSummarizer(embedder).summarize(body, title=title)
    # The summary: the meeting, and the point made in Blinken's quote, with its speaker.
    assert summary.sentences[0].startswith("U.S. Secretary of State Antony Blinken brought")
    assert re.search(r"Blinken said: “[^”]*There is no military solution", summary.text)
    assert "2020" not in summary.text  # not the background about the war
    assert check_faithful(summary.text, body) == []
    # The key quote shown beside it: the most central direct words of a named speaker.
    ref = ArticleRef(1, title, None, None, datetime(2031, 1, 1, tzinfo=UTC))
    said = [StoredQuote(i, q, ref) for i, q in enumerate(quote_extractor.extract(body, title))]
    key = key_quote(said, f"{title} {summary.text}")
    assert key is not None
    assert key.quote.speaker == "Antony Blinken"
    assert "both leaders told me that they are ready for peace" in key.quote.text


def test_the_headline_is_weighed_unless_the_setting_says_not() -> None:
    import numpy as np

    from summaries.understand.scorer import FEATURES, SentenceScorer
    from tests.samples import TinyEmbedder

    text = "\n\n".join(
        [
            "The budget talks went on late into the night at the town hall.",
            "Members of the council argued over the budget for the school.",
            "Union leaders said they were ready for peace after the long fight.",
            "The budget will be voted on again next week by the full council.",
        ]
    )
    coef = np.zeros(len(FEATURES))
    coef[FEATURES.index("title_similarity")] = 5.0  # the headline counts most
    coef[FEATURES.index("inverse_position")] = 1.0  # then the lead
    scorer = SentenceScorer(np.zeros(len(FEATURES)), np.ones(len(FEATURES)), coef, 0.0)

    def brief(use_headline: bool, title: str | None) -> list[str]:
        summary = LearnedSummarizer(
            TinyEmbedder(), max_sentences=1, scorer=scorer, use_headline=use_headline
        )
        return list(summary.summarize(text, title=title).sentences)

    peace = ["Union leaders said they were ready for peace after the long fight."]
    assert brief(True, "Ready for peace") == peace
    assert brief(False, "Ready for peace") == brief(False, None) == [text.split("\n\n")[0]]


def test_a_length_rule_makes_the_brief_two_long_or_four_short_whole_sentences() -> None:
    import numpy as np

    from summaries.understand.scorer import FEATURES, SentenceScorer
    from tests.samples import TinyEmbedder

    short = [
        "The ferry across the river stopped on Monday.",
        "The town council met the next day.",
        "It voted to build a new bridge.",
        "Work on it should start in the spring.",
        "The mayor of the town welcomed the vote.",
        "Shop owners on the quay were less sure.",
    ]
    long = [
        "The council of Marlow voted late on Tuesday night, after a debate that ran for more "
        "than six hours and drew hundreds of residents to the town hall, to build a new road "
        "bridge across the Tamsin river where the old ferry used to cross.",
        "The bridge, which engineers from the regional roads board say will carry about twelve "
        "thousand cars a day once it opens, is expected to cost 48 million euros, most of it "
        "paid for by a loan from the national infrastructure fund.",
        *short[3:],
    ]
    coef = np.zeros(len(FEATURES))
    coef[FEATURES.index("inverse_position")] = 1.0
    n = len(FEATURES)
    ruled = SentenceScorer(np.zeros(n), np.ones(n), coef, 0.0, length_rule=(40, 60))

    def brief(paragraphs: list[str], scorer: SentenceScorer, title: str | None) -> list[str]:
        summarizer = LearnedSummarizer(TinyEmbedder(), scorer=scorer)
        return list(summarizer.summarize("\n\n".join(paragraphs), title=title).sentences)

    # The scorer for a headline is the same one here (no titled scorer): both paths.
    for title in (None, "Marlow will build a bridge"):
        assert brief(short, ruled, title) == short[:4]
        assert brief(long, ruled, title) == long[:2]
        plain = SentenceScorer(np.zeros(n), np.ones(n), coef, 0.0)
        assert brief(short, plain, title) == short[:3]
        assert brief(long, plain, title) == long[:3]


def test_a_redundancy_rule_lets_a_later_sentence_replace_a_lead_sentence_that_repeats() -> None:
    from dataclasses import replace

    import numpy as np

    from summaries.understand.scorer import FEATURES, SentenceScorer
    from tests.samples import TinyEmbedder

    # The tiny embedder's cosine of the first two is 0.82: below the near-duplicate limit.
    paragraphs = [
        "Both sides said on Monday that they were ready for peace talks.",
        "Peace talks are what both sides want.",
        "The fight over the border town went on into the night.",
        "A budget for rebuilding the town was agreed by the regional council.",
        "Shop owners on the quay were less sure of the plan.",
    ]
    coef = np.zeros(len(FEATURES))
    coef[FEATURES.index("inverse_position")] = 1.0
    n = len(FEATURES)
    lead = SentenceScorer(np.zeros(n), np.ones(n), coef, 0.0, lead_margin=3.0)

    def brief(scorer: SentenceScorer) -> list[str]:
        summarizer = LearnedSummarizer(TinyEmbedder(), scorer=scorer)
        return list(summarizer.summarize("\n\n".join(paragraphs)).sentences)

    assert brief(lead) == paragraphs[:3]
    assert brief(replace(lead, redundancy=0.9)) == paragraphs[:3]
    assert brief(replace(lead, redundancy=0.7)) == [paragraphs[0], *paragraphs[2:4]]
