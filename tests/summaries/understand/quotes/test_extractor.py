from pathlib import Path

import pytest
import spacy

from summaries.types import NewsbriefError, Quote
from summaries.understand.quotes import MAX_CHARS, MODEL, QuoteError, QuoteExtractor
from summaries.understand.quotes.extractor import MAX_QUOTATIONS

SAMPLE = Path(__file__).resolve().parents[4] / "bot" / "samples" / "armenia-azerbaijan-blinken.txt"


@pytest.fixture
def extractor(quote_extractor: QuoteExtractor) -> QuoteExtractor:
    """The session's extractor: a default QuoteExtractor, as the bot makes it."""
    return quote_extractor


def _by_text(quotes: list[Quote]) -> dict[str, Quote]:
    return {q.text: q for q in quotes}


def test_seed_article_attributes_every_quote_to_antony_blinken(extractor: QuoteExtractor) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    quotes = [q for q in extractor.extract(text) if not q.indirect]
    assert len(quotes) == 4
    assert {q.speaker for q in quotes} == {"Antony Blinken"}
    headline, partial, long, russia = quotes
    assert headline.text == "Armenia and Azerbaijan are ready for peace"
    assert headline.spans == ((0, len(headline.text)),)
    assert partial.text == "path to a durable peace that resolves the differences"
    assert long.text.startswith("We’re encouraged") and long.text.endswith("support these efforts,")
    assert len(long.spans) == 2  # one quote running over two paragraphs
    assert long.speaker_mention == "Secretary Blinken"
    assert long.speaker_title == "U.S. Secretary of State"
    assert russia.text.startswith("Whether Russia tries")
    assert russia.cue == "told reporters"
    for q in quotes:
        assert " ".join(text[s:e] for s, e in q.spans) == q.text


def test_quote_then_name_and_cue(extractor: QuoteExtractor) -> None:
    text = '"The bridge will reopen in May," Harriet Osei said on Tuesday.'
    (q,) = extractor.extract(text)
    assert q.text == "The bridge will reopen in May,"
    assert q.speaker == "Harriet Osei"
    assert q.cue == "said"
    assert text[q.spans[0][0] : q.spans[0][1]] == q.text


def test_name_said_colon_then_quote(extractor: QuoteExtractor) -> None:
    (q,) = extractor.extract('Harriet Osei said: "We will not raise the fares this year."')
    assert q.speaker == "Harriet Osei"
    assert q.cue == "said"


def test_inverted_cue_with_role_apposition(extractor: QuoteExtractor) -> None:
    text = '"Nobody expected the river to rise so fast," said Tomas Reyes, the mayor of Lindford.'
    (q,) = extractor.extract(text)
    assert q.speaker == "Tomas Reyes"
    assert q.speaker_title == "the mayor of Lindford"


def test_told_reporters_is_the_cue(extractor: QuoteExtractor) -> None:
    (q,) = extractor.extract('Tomas Reyes told reporters "the levee held better than we hoped."')
    assert q.speaker == "Tomas Reyes"
    assert q.cue == "told reporters"


def test_according_to(extractor: QuoteExtractor) -> None:
    text = 'According to Harriet Osei, "the depot will be rebuilt by spring."'
    (q,) = extractor.extract(text)
    assert q.speaker == "Harriet Osei"
    assert q.cue == "according to"


def test_attribution_in_the_middle_gives_one_quote_with_two_spans(
    extractor: QuoteExtractor,
) -> None:
    text = 'Tomas Reyes spoke first.\n\n"We are tired," he said, "but we are not finished."'
    (q,) = extractor.extract(text)
    assert len(q.spans) == 2
    assert q.text == "We are tired, but we are not finished."
    assert q.speaker == "Tomas Reyes"
    assert q.speaker_mention == "he"


def test_quote_over_two_paragraphs_is_one_quote(extractor: QuoteExtractor) -> None:
    text = (
        "Harriet Osei addressed the council.\n\n"
        '"The budget is tight and the winter was long.\n\n'
        '"Still, every library stays open," Osei said.'
    )
    (q,) = extractor.extract(text)
    assert len(q.spans) == 2
    assert q.speaker == "Harriet Osei"
    assert q.speaker_mention == "Osei"


def test_partial_quote_without_cue_takes_the_sentence_subject(extractor: QuoteExtractor) -> None:
    text = (
        "Trade Minister Olga Varenne opened the summit on Monday.\n\n"
        'Minister Varenne sat between the two delegations, urging a "fair deal for growers '
        'on both sides of the border".'
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Olga Varenne"
    assert q.speaker_mention == "Minister Varenne"
    assert q.speaker_title == "Trade Minister"


def test_quote_paragraph_without_cue_continues_the_speaker(extractor: QuoteExtractor) -> None:
    text = (
        '"The harvest was the worst in a decade," said Pieter Vos, a grain farmer.\n\n'
        '"My father never saw anything like it either."'
    )
    first, second = extractor.extract(text)
    assert first.speaker == second.speaker == "Pieter Vos"
    assert first.speaker_title == "a grain farmer"


def test_pronoun_resolves_to_the_right_gender(extractor: QuoteExtractor) -> None:
    text = (
        "Olga Varenne arrived in Lindford on Monday. She said her ministry had a plan.\n\n"
        "Tomas Reyes, the mayor, met her at the station. He said little.\n\n"
        '"We have waited too long for this road," she said.'
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Olga Varenne"
    assert q.speaker_mention == "she"


def test_organisation_speaker_keeps_its_noun_phrase(extractor: QuoteExtractor) -> None:
    (q,) = extractor.extract('"The review is ongoing," a city hall spokesperson said.')
    assert q.speaker == "a city hall spokesperson"


def test_headline_form_claim_colon_name(extractor: QuoteExtractor) -> None:
    text = (
        "Lindford levee will hold through spring: Reyes\n\n"
        "Mayor Tomas Reyes toured the levee on Sunday."
    )
    (q,) = extractor.extract(text)
    assert q.text == "Lindford levee will hold through spring"
    assert q.speaker == "Tomas Reyes"
    assert q.in_title is False and q.spans == ((0, len(q.text)),)


def test_given_title_quote_spans_into_the_title(extractor: QuoteExtractor) -> None:
    title = "Fares stay frozen for another year: Osei"
    quotes = extractor.extract("Transit chief Harriet Osei spoke on Monday.", title=title)
    (q,) = quotes
    assert q.in_title is True
    s, e = q.spans[0]
    assert title[s:e] == "Fares stay frozen for another year"
    assert q.speaker == "Harriet Osei"


def test_titles_of_works_are_not_quotes(extractor: QuoteExtractor) -> None:
    assert extractor.extract('Osei says her favourite film is "The Long Winter Road".') == []


def test_a_title_after_the_word_for_its_work_is_not_a_quote_comma_or_not(
    extractor: QuoteExtractor,
) -> None:
    texts = [
        # A long title, its small words in lowercase, gives no quote and no role "book".
        "In her book “The Long Road to Marlow: How a Town Learned to Live with the River,” "
        "Ida Lund wrote of the floods.",
        'Ida Lund, who hosts the program "Harbor Voices," said the town was changing.',
        'The film, titled "Quiet Harbor," opens Friday, said Ola Berg, its director.',
        'The levy was dubbed "Operation Tide," Ola Berg said.',
        'Ola Berg appeared on the show "Morning Harbor" on Sunday.',
        'Ida Lund hosts a new program, "The Harbor Hour," on Fridays.',
        'The levy is unfair, said Ola Berg, author of "Cold Harbor Nights," a history.',
    ]
    for text in texts:
        assert [q.text for q in extractor.extract(text) if not q.indirect] == [], text
    # A program someone speaks on or to, named after "on" or a network's possessive.
    texts = [
        'Ola Berg said on "Harbor Today."',
        'Ida Lund told HBC’s "Morning Harbor," that the levy was fair.',
        'The levy is fair, Ola Berg told "Harbor Nightly," before he left.',
        'In an interview with "Harbor Nightly," Ola Berg backed the levy.',
        'The levy is fair, Ola Berg said on HBC\'s "This Week."',
    ]
    for text in texts:
        assert [q.text for q in extractor.extract(text) if not q.indirect] == [], text
    # What is said to a program, or said in a video, is a quote.
    (told,) = extractor.extract('Berg told the program: "Absolutely Not," and left.')
    assert told.text == "Absolutely Not," and told.speaker == "Berg"
    (video,) = extractor.extract('Ola Berg said in a video, "We Will Win."')
    assert video.speaker == "Ola Berg"


def test_a_title_whose_comma_runs_on_into_the_sentence_is_no_quote(
    extractor: QuoteExtractor,
) -> None:
    # A title with the sentence's comma inside its marks, the sentence going on after it.
    texts = [
        "Ada Lind won the acting prize for her turn as a ferry captain in “The Northern "
        "Crossing,” while Tom Berg took the supporting award.",
        'The studio surprised fans by announcing "Harbor Lights Forever," its first musical.',
    ]
    for text in texts:
        assert [q.text for q in extractor.extract(text) if not q.indirect] == [], text
    # Title-cased words someone says, attributed after them or opened by a colon, still are.
    (chant,) = extractor.extract('"Never Give Up," the marchers chanted outside the hall.')
    assert chant.speaker == "the marchers"
    (told,) = extractor.extract('Berg told the crowd: "Never Again Here," and left.')
    assert told.speaker == "Berg"


def test_scare_quotes_and_single_words_are_not_quotes(extractor: QuoteExtractor) -> None:
    assert extractor.extract('The so-called "experts" disagreed about the budget.') == []
    assert extractor.extract('The council thinks the plan is "bold".') == []


def test_nicknames_are_not_quotes(extractor: QuoteExtractor) -> None:
    assert extractor.extract('Marcus "The Hammer" Bell won the fight on Saturday.') == []


def test_curly_quotes_with_nested_single_quotes(extractor: QuoteExtractor) -> None:
    text = "“They called it ‘a temporary fix’ in 2019,” Harriet Osei said."
    (q,) = extractor.extract(text)
    assert q.text == "They called it ‘a temporary fix’ in 2019,"
    assert q.speaker == "Harriet Osei"


def test_unbalanced_mark_does_not_derail_the_rest(extractor: QuoteExtractor) -> None:
    text = 'A stray mark " sits here in a caption\n\n"The ferry leaves at noon," Pieter Vos said.'
    quotes = extractor.extract(text)
    assert [(q.text, q.speaker) for q in quotes] == [("The ferry leaves at noon,", "Pieter Vos")]


def test_quotes_come_out_in_text_order(extractor: QuoteExtractor) -> None:
    text = '"First things first," Harriet Osei said.\n\n"Second, we build," said Pieter Vos.'
    quotes = extractor.extract(text)
    assert [q.speaker for q in quotes] == ["Harriet Osei", "Pieter Vos"]
    assert quotes[0].spans[0][0] < quotes[1].spans[0][0]


# -- bad input ----------------------------------------------------------------------------------
def test_empty_text_gives_no_quotes(extractor: QuoteExtractor) -> None:
    assert extractor.extract("") == []
    assert extractor.extract("   \n\n ") == []


def test_a_megabyte_of_quote_marks_returns(extractor: QuoteExtractor) -> None:
    assert extractor.extract('"' * 1_000_000) == []
    assert isinstance(extractor.extract('" a "' * 200_000), list)


def test_a_page_of_more_quotations_than_are_read_is_read_only_up_to_the_last_one_read(
    extractor: QuoteExtractor,
) -> None:
    # The tail names "Reed" in full and says who "he" is: were it read, the speakers of the
    # quotations read would change. It is not: the result is that of the text up to the first
    # quotation not read.
    quotation = '"The ferry will run at dawn," Reed said. "It is ready." '
    head = "Mayor Reed spoke at the pier.\n\n" + quotation * (MAX_QUOTATIONS // 2)
    tail = '"And more," he said. ' + "Councillor Dana Reed, the mayor's rival, spoke too. " * 40
    quotes = extractor.extract(head + tail * 20)
    assert len(quotes) == MAX_QUOTATIONS
    assert quotes == extractor.extract(head)
    assert {q.speaker for q in quotes} == {"Reed"}


def test_binary_junk_returns_a_list(extractor: QuoteExtractor) -> None:
    junk = bytes(range(256)).decode("latin-1") * 2000
    assert isinstance(extractor.extract(junk), list)


def test_unclosed_quote_at_the_end(extractor: QuoteExtractor) -> None:
    text = '"The ferry leaves at noon," Pieter Vos said.\n\nThen he added: "and it never'
    quotes = extractor.extract(text)
    assert quotes[0].speaker == "Pieter Vos"


def test_too_long_text_raises_a_clear_error(extractor: QuoteExtractor) -> None:
    with pytest.raises(QuoteError, match="too long"):
        extractor.extract("word " * (MAX_CHARS // 5 + 10))
    assert issubclass(QuoteError, NewsbriefError)


def test_non_text_raises_a_clear_error(extractor: QuoteExtractor) -> None:
    with pytest.raises(QuoteError, match="text"):
        extractor.extract(b"bytes")  # type: ignore[arg-type]


def test_dash_signature_names_the_speaker_of_a_listed_quote(extractor: QuoteExtractor) -> None:
    text = (
        "Readers told us what they think of the new bridge.\n\n"
        "“It takes me ten minutes less to get to work every single day.” ― Maria Olsen\n\n"
        "“The toll is far too high for families like mine.” — Peter Quist, 52, of Lund"
    )
    quotes = _by_text(extractor.extract(text))
    assert quotes["It takes me ten minutes less to get to work every single day."].speaker == (
        "Maria Olsen"
    )
    assert quotes["The toll is far too high for families like mine."].speaker == "Peter Quist"


def test_transcript_label_names_the_speaker(extractor: QuoteExtractor) -> None:
    text = (
        "Governor Anna Berg spoke to the host about the budget on Sunday.\n\n"
        '"BERG: We have balanced the budget three years in a row, and we will do it again."'
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Anna Berg"


def test_nested_speech_belongs_to_the_outer_speaker(extractor: QuoteExtractor) -> None:
    text = 'Senator Tom Reyes said the mayor was "completely wrong" about the new stadium.'
    (quote,) = extractor.extract(text)
    assert quote.text == "completely wrong"
    assert quote.speaker == "Tom Reyes"


def test_speech_only_expected_or_supposed_is_the_reporting_speaker_s(
    extractor: QuoteExtractor,
) -> None:
    # A speech verb in the future, under a modal or in the infinitive tells of words not
    # (yet) said: the quoted words are those of who reports it, the outer speaker or the
    # source after "according to".
    text = (
        "Mary Berg says the city should be doing more and that she expects Mayor Tom Hale "
        'to announce an "overhaul" of the program.'
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Mary Berg"
    text = (
        "Tom Hale went to that debate because, according to Ida Lund, the press would call "
        'him a "coward" if he stayed away.'
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Ida Lund"
    # Said, not supposed: the words stay with who said them.
    text = (
        "Tom Hale went to that debate because, according to Ida Lund, the press called "
        'him a "coward" last week.'
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "the press"


def test_someone_or_another_is_no_speaker_to_show(extractor: QuoteExtractor) -> None:
    text = (
        'Tom Hale spoke for an hour. When someone in the crowd shouted, "Go home now," the '
        'band stopped playing. One road sign read, "Slow down, friend." Another advised, '
        '"Buckle up or pay up."'
    )
    quotes = _by_text(extractor.extract(text))
    assert quotes["Go home now,"].speaker is None
    assert quotes["Go home now,"].speaker_mention == "someone"
    assert quotes["Buckle up or pay up."].speaker is None


def test_according_to_a_work_by_someone_gives_its_author(extractor: QuoteExtractor) -> None:
    for source in (
        "calculations by Ida Lund of the state university",
        "a statement from Ida Lund",
        "a report released by Ida Lund",
        "Ida Lund's estimate",
    ):
        text = f'The plan would cost "far too much money," according to {source}.'
        (quote,) = extractor.extract(text)
        assert quote.speaker == "Ida Lund", source
    (quote,) = extractor.extract('The plan would cost "far too much money," according to a report.')
    assert quote.speaker != "Ida Lund"


def test_what_someone_called_stays_with_that_clause(extractor: QuoteExtractor) -> None:
    text = (
        "Jane Holt, the city manager, said on Monday that the plan was sound. "
        'Critics attacked what the council member Ed Park called "a rushed and careless vote."'
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Ed Park"


def test_trailing_attribution_wins_over_an_earlier_verb(extractor: QuoteExtractor) -> None:
    text = (
        "The report mentioned the changes it said the board would make next year: "
        '"We will open two new clinics and hire forty nurses," the board wrote.'
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "the board"


def test_pronoun_in_a_relative_clause_goes_to_the_sentence_subject(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Mayor Linda Park opened the new library on Saturday. "
        'Governor Frank Hale condemned what he called "a reckless waste of public money."'
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Frank Hale"


def test_she_skips_a_man_named_more_recently(extractor: QuoteExtractor) -> None:
    text = (
        "Ms. Okafor has led the agency since 2019.\n\n"
        "Her deputy, Mr. Lindqvist, was not at the meeting on Tuesday.\n\n"
        '"We will publish every figure before the end of the month," she said.'
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Okafor"


def test_pronoun_never_takes_a_name_that_follows_it(extractor: QuoteExtractor) -> None:
    text = (
        '"The budget is sound," said Mayor Daniel Ortiz.\n\n'
        'He called Peter Grant "the best budget chief this city has had in decades."'
    )
    praise = _by_text(extractor.extract(text))[
        "the best budget chief this city has had in decades."
    ]
    assert praise.speaker_mention == "He"
    assert praise.speaker == "Daniel Ortiz"


def test_pronoun_goes_to_the_last_subject_over_the_last_quoted_speaker(
    extractor: QuoteExtractor,
) -> None:
    text = (
        '"Taxes will rise next year," said Tom Baker, the city treasurer.\n\n'
        "John Miller, a councilman from the east side, described the plan as reckless.\n\n"
        '"It will hurt families who are already struggling," he said.'
    )
    hurt = _by_text(extractor.extract(text))["It will hurt families who are already struggling,"]
    assert hurt.speaker == "John Miller"


def test_a_place_before_said_is_not_the_speaker(extractor: QuoteExtractor) -> None:
    text = (
        "Mark Rivera, speaking to a crowd of farmers in Georgia, said he would cut taxes.\n\n"
        'He said the state had "waited far too long for relief from Washington."'
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Mark Rivera"


def test_apposed_name_of_a_described_subject_is_the_speaker(extractor: QuoteExtractor) -> None:
    text = 'Another critic, Laura Stein, likened the rules to "burning the house down to save it."'
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Laura Stein"


def test_dash_signed_quotes_on_joined_lines_each_keep_their_own_signer(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Readers wrote in after the vote.\n\n"
        "“The new bridge is a waste of money.” ― Ana Ruiz "
        "“It will save me an hour a day.” ― Tom Baker, 41, of Dunmore "
        "“Nobody asked the fishermen.”― Lea Park"
    )
    found = [(q.text, q.speaker) for q in extractor.extract(text)]
    assert found == [
        ("The new bridge is a waste of money.", "Ana Ruiz"),
        ("It will save me an hour a day.", "Tom Baker"),
        ("Nobody asked the fishermen.", "Lea Park"),
    ]


def test_a_time_after_the_cue_is_never_the_speaker(extractor: QuoteExtractor) -> None:
    text = 'Ann Reed spoke to the crowd. "We stop now," she said early Friday.'
    ((quote, speaker),) = [(q.text, q.speaker) for q in extractor.extract(text)]
    assert (quote, speaker) == ("We stop now,", "Ann Reed")


def _speakers(extractor: QuoteExtractor, text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extractor.extract(text) if not q.indirect]


def test_a_time_before_a_participle_cue_is_never_the_speaker(extractor: QuoteExtractor) -> None:
    text = (
        "Trump unleashed a series of posts early Monday saying that rival Ann Reed had shown "
        "poor judgment in using the mill “as a symbol of progress.”"
    )
    assert _speakers(extractor, text) == [("as a symbol of progress.", "Trump")]


def test_the_name_after_an_inverted_said_beats_a_subject_before_the_quote(
    extractor: QuoteExtractor,
) -> None:
    text = (
        'Both big parties "saw the island as a place that was really reeling under pressure '
        'from the mainland," said Tom Baker, who served as trade envoy for the council under '
        "President Ann Reed."
    )
    ((_, speaker),) = _speakers(extractor, text)
    assert speaker == "Tom Baker"


def test_a_source_set_after_the_quotation_is_its_speaker(extractor: QuoteExtractor) -> None:
    text = (
        "Lawmakers met on Monday.\n\n“After the flood of 1998, the city was left holding "
        "millions in debt, forcing cuts for a decade,” the Times wrote."
    )
    ((_, speaker),) = _speakers(extractor, text)
    assert speaker == "the Times"


def test_a_relative_pronoun_is_never_the_speaker(extractor: QuoteExtractor) -> None:
    text = (
        "To settle it, reporters turned to the Harbour Police Department which reported "
        "“1,204 thefts in the port” between May and June."
    )
    ((_, speaker),) = _speakers(extractor, text)
    assert speaker is not None and speaker.lower() != "which"
    assert "Police Department" in speaker


def test_a_persons_speech_verb_beats_a_things_verb_further_away(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "The advert ends with footage of Ann Reed saying at the fair last week, “That makes "
        "me the only honest one,” before the music swells."
    )
    assert _speakers(extractor, text) == [("That makes me the only honest one,", "Ann Reed")]


def test_the_owner_of_a_claim_says_the_quoted_words(extractor: QuoteExtractor) -> None:
    text = (
        "Following Monday’s hearing the Ledger did a check on Tom Baker’s claim that there have "
        "been “hundreds of fires” in the valley this year alone."
    )
    assert _speakers(extractor, text) == [("hundreds of fires", "Tom Baker")]


def test_a_participle_after_a_relative_clause_belongs_to_the_sentence_subject(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Ann Reed was defensive when asked about not paying a builder who said he was never "
        "paid after he finished a barn on her farm, saying, “Maybe he did poor work, and I "
        "was not happy with it.”"
    )
    ((_, speaker),) = _speakers(extractor, text)
    assert speaker == "Ann Reed"


def test_demanded_is_a_speech_verb(extractor: QuoteExtractor) -> None:
    text = "“Why is this not proof that a bank this big is too big to manage?” Reed demanded."
    assert _speakers(extractor, text) == [
        ("Why is this not proof that a bank this big is too big to manage?", "Reed")
    ]


def test_a_person_introduced_in_the_same_paragraph_owns_a_bare_quote(
    extractor: QuoteExtractor,
) -> None:
    text = (
        'Tom Baker spoke first. "We will win," he said.\n\n'
        'On "Morning Talk," Sen. Ann Reed (Ohio), who lost the primary to Baker, identified '
        'rents as one of the reasons voters are angry. "The young people are ... more than '
        'anyone, tired of paying half their wages for a room."'
    )
    assert [speaker for _, speaker in _speakers(extractor, text)] == ["Tom Baker", "Ann Reed"]


def test_a_named_source_rating_claims_owns_the_quoted_verdict(extractor: QuoteExtractor) -> None:
    text = (
        'Tom Baker spoke first. "We will win," he said.\n\n'
        'The Ledger has rated the mayor\'s claim as "mostly false and misleading" in its weekly '
        "review."
    )
    assert [speaker for _, speaker in _speakers(extractor, text)] == ["Tom Baker", "the Ledger"]


def test_a_short_quote_after_a_verb_of_judging_is_kept_with_its_speaker(
    extractor: QuoteExtractor,
) -> None:
    text = "Ann Reed criticized the new tax as a “crazy system” at a rally in Flint on Monday."
    assert _speakers(extractor, text) == [("crazy system", "Ann Reed")]


def test_the_default_model_multiplies_with_numpy_and_finds_the_same_quotes(
    extractor: QuoteExtractor,
) -> None:
    parser = extractor.model().get_pipe("parser")
    assert parser.model.ops.name == "numpy_blas"
    plain = QuoteExtractor(spacy.load(MODEL, exclude=["lemmatizer"]))  # spaCy's own `blis`
    text = SAMPLE.read_text(encoding="utf-8")
    assert extractor.extract(text) == plain.extract(text)


@pytest.mark.parametrize("verb", ["ends with", "concludes with"])
def test_a_later_when_clause_does_not_take_the_quote_from_its_speaker(
    extractor: QuoteExtractor, verb: str
) -> None:
    text = (
        f"The advert {verb} footage of Ann Reed saying at the fair last week, “That makes me "
        "the only honest one,” when Tom Baker mocked her for it."
    )
    assert _speakers(extractor, text) == [("That makes me the only honest one,", "Ann Reed")]


def test_a_name_someone_calls_someone_is_their_quote_but_a_title_is_not(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Reed pointed to reports that Tom Baker called the 2004 race winner “Lazy Legs” and "
        "“Little Slowpoke” at the time.\n\nThe film is called “Harbour Lights” and opens soon."
    )
    assert _speakers(extractor, text) == [
        ("Lazy Legs", "Tom Baker"),
        ("Little Slowpoke", "Tom Baker"),
    ]


def test_a_dateline_is_never_the_speaker(extractor: QuoteExtractor) -> None:
    (quote,) = extractor.extract(
        'LA CROSSE, Wis. (AP) — "The ferry will stop running in June," the company said.'
    )
    assert quote.speaker != "LA CROSSE"
    assert "LA CROSSE" not in (quote.speaker_mention or "")


def test_a_focusing_word_before_a_name_is_not_part_of_it(extractor: QuoteExtractor) -> None:
    quotes = extractor.extract(
        'Even Tom Berg agreed. "The old bridge has to go, and soon," he said. '
        '"It is too old," only Ida Lund said.'
    )
    assert [q.speaker for q in quotes] == ["Tom Berg", "Ida Lund"]


def test_a_title_the_article_names_elsewhere_is_not_a_quote(extractor: QuoteExtractor) -> None:
    text = (
        "The film Cold Harbour won the top prize in May. Asked which film of the year she "
        'admired most, the director Ida Lund said: "Cold Harbour".'
    )
    assert extractor.extract(text) == []
    text = 'The film Cold Harbour won the prize. Ida Lund said: "Cold Harbour is a masterpiece."'
    assert [q.speaker for q in extractor.extract(text)] == ["Ida Lund"]
    text = 'Voters in Oslo were tired. Tom Berg called the mayor "Oslo Ida".'
    assert [q.speaker for q in extractor.extract(text)] == ["Tom Berg"]  # a name someone calls


def test_a_headline_is_never_the_publishers_or_the_writers_claim(
    extractor: QuoteExtractor,
) -> None:
    body = "The mayor, Ida Lund, spoke on Monday about the harbour bridge and its costs."
    for headline in (
        "Bridge will open in May | Eastport Gazette",
        "Bridge will open in May: Eastport Gazette",
    ):
        assert extractor.extract(f"{headline}\n\n{body}") == []
    bylined = f"Bridge will open in May: Tom Berg\n\nBy Tom Berg\n\n{body}"
    assert extractor.extract(bylined) == []
    assert extractor.extract(f"By Tom Berg\n\n{body}", title="Bridge opens in May: Berg") == []
    (claim,) = extractor.extract(f"Bridge will open in May: Lund\n\n{body}")
    assert claim.speaker == "Ida Lund"


def test_the_speaker_is_who_speaks_not_who_is_spoken_to_or_who_asks(
    extractor: QuoteExtractor,
) -> None:
    said = [
        ('Ida Lund told Tom Berg: "We are ready for the bridge."', ["Ida Lund"]),
        (
            'Tom Berg asked Ida Lund when the bridge would open.\n\n"In May, if the steel '
            'arrives on time," she said.',
            ["Ida Lund"],
        ),
        (
            "Tom Berg asked Ida Lund whether the steel had come late.\n\n"
            '"It came three weeks late from the mill, and nobody warned us."',
            ["Ida Lund"],
        ),
        (
            'Tom Berg asked Ida Lund: "Why is the bridge late?"\n\n'
            '"The steel came three weeks late from the mill."',
            ["Tom Berg", "Ida Lund"],
        ),
        (
            'Tom Berg interviewed Ida Lund on Sunday. "Why is the bridge late?" he asked. '
            '"The steel came late from the mill," she replied.',
            ["Tom Berg", "Ida Lund"],
        ),
        (
            'The host, Tom Berg, asked: "Why is the bridge late?" Ida Lund replied: "The steel '
            'came three weeks late from the mill."',
            ["Tom Berg", "Ida Lund"],
        ),
    ]
    for text, speakers in said:
        assert [q.speaker for q in extractor.extract(text)] == speakers, text


def test_transcript_labels_before_the_quote_mark_name_each_speaker(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Tom Berg interviewed Ida Lund on Sunday.\n\n"
        'BERG: "Why is the bridge late?"\n\n'
        'LUND: "The steel came late from the mill."\n\n'
        'Q: "And the cost?"'
    )
    quotes = extractor.extract(text)
    assert [q.speaker for q in quotes[:2]] == ["Tom Berg", "Ida Lund"]
    assert all(q.speaker != "Q" for q in quotes)


def test_a_name_right_after_the_quotation_says_who_speaks(extractor: QuoteExtractor) -> None:
    # Each text opens with someone else, so that the speaker before would be a wrong guess.
    said = [
        (
            'Mayor Ida Lund denies it. "Why would the levee fail twice?" asked Tom Berg, '
            "now an engineer at a firm in Lindford.",
            "Tom Berg",
        ),
        (
            'Ida Lund spoke first. "The river is a battle for the ages," said retired '
            "engineer Tom Berg, asked about the levee.",
            "Tom Berg",
        ),
        (
            'Ida Lund spoke first. "We will rebuild the depot," tweeted Sen. Tom Berg '
            "(D-Ore.), a former mayor.",
            "Tom Berg",
        ),
        ('Ida Lund spoke first. "Would the toll pay for it?" Berg pressed.', "Berg"),
        (
            'Ida Lund spoke first. "The toll pays for it." Sen. Tom Berg (D-Ore.) said Tuesday.',
            "Tom Berg",
        ),
        (
            'Ida Lund spoke first. "It was a fine day," Tom Berg, the chairman of the board, '
            "said of the opening.",
            "Tom Berg",
        ),
        (
            'Ida Lund spoke first. "We need more steel," said Rep. Tom Berg of Oregon, '
            "the ranking member.",
            "Tom Berg",
        ),
    ]
    for text, speaker in said:
        (q,) = extractor.extract(text)
        assert q.speaker == speaker, text
    # A verb before the next quotation is that one's.
    text = 'Tom Berg asked: "Why is the bridge late?" Ida Lund replied, "The steel came late."'
    assert [q.speaker for q in extractor.extract(text)] == ["Tom Berg", "Ida Lund"]


def test_who_is_called_or_described_something_is_not_who_speaks(
    extractor: QuoteExtractor,
) -> None:
    # The object of "call" or "describe" is the one named, never the speaker.
    text = "Jo Will, a columnist, wrote about the race.\n\n"
    text += 'Will described Tom Berg as "a careless steward of the budget."'
    (q,) = extractor.extract(text)
    assert q.speaker == "Jo Will"
    text = (
        "Ida Lund is the mayor. Tom Berg has battled with Lund over the budget, at one point "
        'calling the mayor a "liar" who was not "honorable."'
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Tom Berg", "Tom Berg"]


def test_a_speech_nouns_owner_says_its_content_not_what_others_call_it(
    extractor: QuoteExtractor,
) -> None:
    text = 'Ida Lund denounced Tom Berg\'s remarks as "hurtful and humiliating" and left the hall.'
    (q,) = extractor.extract(text)
    assert q.speaker == "Ida Lund"
    # The claim's or the promise's own words are its owner's.
    text = 'Ida Lund rejected Tom Berg\'s claim that the bridge was "falling apart at the seams."'
    (q,) = extractor.extract(text)
    assert q.speaker == "Tom Berg"
    text = 'It is the pull of Tom Berg\'s "if you like your bridge, you can keep it" promise.'
    (q,) = extractor.extract(text)
    assert q.speaker == "Tom Berg"


def test_an_object_before_the_quotation_is_no_speaker(extractor: QuoteExtractor) -> None:
    # A speech verb puts its speaker after it only right after a quotation (`"Q," said X`);
    # elsewhere what follows it is what was recalled or mentioned.
    text = (
        "The council met on Monday, and Ida Lund, the mayor, gave her plan.\n\n"
        'Lund backs "fair wage rises," rejects "blanket hiring freezes" and recalled the '
        'two-year freeze on county pay scales: "I watched how hard it was for clerks to hear '
        'that their costs were rising but their pay was not."'
    )
    speakers = [q.speaker for q in extractor.extract(text)]
    assert len(speakers) == 3 and "the two-year freeze" not in speakers
    text = (
        "In Salem he only hinted at Tom Berg by mentioning the need for a levee on the river "
        'and adding, "I have a fair idea of who should pay for it."'
    )
    (q,) = extractor.extract(text)
    assert q.speaker != "the need"


def test_a_sentence_ending_in_a_colon_introduces_the_next_paragraphs_quotation(
    extractor: QuoteExtractor,
) -> None:
    text = (
        '"We will rebuild the depot by May," Ida Lund said on Monday.\n\n'
        "When the old mill burned in 1998, Mayor Tom Berg released the following statement:\n\n"
        '"Our thoughts are with the families of the workers. We will find out what went wrong."'
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Ida Lund", "Tom Berg"]
    # A word that is no name, before a verb, introduces nobody.
    text = (
        '"We will rebuild the depot by May," Ida Lund said on Monday.\n\n'
        "Transcript as follows:\n\n"
        '"Nobody has said who pays for the steel, and the county has no money left this year."'
    )
    assert "Transcript" not in [q.speaker for q in extractor.extract(text)]


_EARLIER = '"The ferry will run all winter," said Ida Lund, the harbour master.\n\n'
_BLOCK = '"We asked for a bridge and got a timetable. The island deserves better than that."'


@pytest.mark.parametrize(
    ("intro", "speaker"),
    [
        ("Tom Berg, who chairs the island council, made the following comment:", "Tom Berg"),
        ("Here is what Tom Berg had to say:", "Tom Berg"),
        ("The council was not convinced. Tom Berg's statement read:", "Tom Berg"),
        ("The council was not convinced. A statement from Tom Berg read:", "Tom Berg"),
        ("The council was not convinced. Tom Berg's message to members:", "Tom Berg"),
        ("The council was not convinced. A council spokeswoman said:", "a council spokeswoman"),
        ("Tom Berg, the council's chairman, issued this statement:", "Tom Berg"),
    ],
)
def test_a_clause_naming_the_speaker_introduces_the_next_paragraphs_quotation(
    extractor: QuoteExtractor, intro: str, speaker: str
) -> None:
    # Not the speaker of the quotation before: the clause with the colon names who speaks,
    # through a verb, or a speech noun that person owns.
    for gap in ("\n\n", " "):
        text = _EARLIER + intro + gap + _BLOCK + "\n\nThe ferry runs on Monday."
        assert [q.speaker for q in extractor.extract(text)] == ["Ida Lund", speaker], gap


def test_what_is_said_of_a_persons_statement_is_not_theirs(extractor: QuoteExtractor) -> None:
    text = (
        "Ida Lund answered on Friday. She says Tom Berg's late-night statements about the "
        "ferry are “rumours and nothing more.”"
    )
    (q,) = extractor.extract(text)
    assert q.speaker != "Tom Berg"


def test_a_speech_verb_in_a_clause_of_time_is_no_attribution(extractor: QuoteExtractor) -> None:
    # The clause tells what came before; the main clause says who speaks.
    text = (
        "After former Gov. Tom Berg criticized the budget during a debate, Lund shot back, "
        '"I suppose I could have cut the schools, but I chose to fund them."'
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Lund"
    # "As X puts it" attributes the words.
    text = (
        "As the Star's Ida Lund puts it, Tom Berg is trying to make the council "
        '"an offer it can\'t afford to refuse."'
    )
    (q,) = extractor.extract(text)
    assert q.speaker is not None and "Ida Lund" in q.speaker


def test_no_name_after_the_quotation_leaves_the_parse_to_decide(
    extractor: QuoteExtractor,
) -> None:
    # A time or a place after the verb is no speaker, and a new sentence after a full stop
    # is no trailing attribution.
    text = 'Ida Lund spoke first. "We will rebuild the depot," she said in an interview with Fox.'
    (q,) = extractor.extract(text)
    assert q.speaker == "Ida Lund"
    text = 'Ida Lund spoke first. "We will win," said Monday.'
    (q,) = extractor.extract(text)
    assert q.speaker != "Monday"
    text = 'Ida Lund spoke. "We will rebuild it." Tom Berg said on Friday that it cost a lot.'
    (q,) = extractor.extract(text)
    assert q.speaker != "Tom Berg"


def test_in_the_passive_the_agent_of_the_speech_verb_speaks(extractor: QuoteExtractor) -> None:
    text = (
        "Tom Berg was asked by the moderator, Ida Lund, whether the toll would risk "
        '"adding another expensive burden to an already stretched budget."'
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Ida Lund"
    (q,) = extractor.extract(
        'The plan was described by Tom Berg as "a costly mess from the start."'
    )
    assert q.speaker == "Tom Berg"
    # Only the speech verb's own agent: here Berg joins, Lund jokes.
    text = 'Ida Lund was joined on stage by Tom Berg and joked, "We are both too tall for this."'
    (q,) = extractor.extract(text)
    assert q.speaker == "Ida Lund"


def test_a_title_in_a_clause_about_the_speaker_is_no_quote(extractor: QuoteExtractor) -> None:
    text = 'Ida Lund, whose film is "Cold Harbour", said the award was a surprise.'
    assert extractor.extract(text) == []
    text = 'Ida Lund, whose new film is "Cold Harbour", said: "We never expected the award."'
    assert [(q.text, q.speaker) for q in extractor.extract(text)] == [
        ("We never expected the award.", "Ida Lund")
    ]
    # A speech verb in the clause makes the words hers.
    text = 'Tom Berg, who called the plan "Utter Nonsense", said he would vote against it.'
    assert [(q.text, q.speaker) for q in extractor.extract(text)] == [
        ("Utter Nonsense", "Tom Berg")
    ]


def test_a_hyphen_opening_the_line_after_a_quotation_signs_it(extractor: QuoteExtractor) -> None:
    text = (
        "Tom Berg spoke at length.\n\n"
        '"I will look into it. I do not know the status, but I will look into it."\n\n'
        "- Ida Lund.\n\nLund has been looking into it for a year."
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Ida Lund"]
    # Inside a line a hyphen signs nothing.
    (q,) = extractor.extract('Tom Berg spoke. "We will see - Lund says so."')
    assert q.speaker == "Tom Berg"


def test_a_name_set_off_inside_a_description_is_the_speaker(extractor: QuoteExtractor) -> None:
    (q,) = extractor.extract(
        'The editor I was talking to, Tim Grieve, said: "And there goes the whole franchise."'
    )
    assert q.speaker == "Tim Grieve"
    (q,) = extractor.extract(
        'The base chief, known as Bob, said: "There never was any order to wait for."'
    )
    assert q.speaker == "Bob"
    # A description without a name stays a description.
    (q,) = extractor.extract('The editor I was talking to said: "And there goes the franchise."')
    assert q.speaker == "the editor"


def test_a_dateline_with_its_date_is_no_speaker(extractor: QuoteExtractor) -> None:
    (q,) = extractor.extract(
        'SPRINGFIELD, July 25 (UPI) -- The state committee offered "a deep and sincere apology" '
        "to the mayor."
    )
    assert q.speaker != "SPRINGFIELD"


def test_a_dateline_in_ordinary_case_before_an_agency_is_no_speaker(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Salem (AFP) – Democrat Ida Lund has taken a swipe at Republican rival Tom Berg's stance "
        'on the levee, saying that "reckless comments" do more harm than good during such times.'
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Ida Lund"
    # A name with a party tag before a dash is no dateline.
    text = 'Tom Berg (R) – who chairs the panel – called the levee "a national disgrace."'
    (q,) = extractor.extract(text)
    assert q.speaker == "Tom Berg"


def test_spacy_loads_without_torch_and_parses_the_same(extractor: QuoteExtractor) -> None:
    # thinc imports torch when installed; the extractor hides it while spaCy loads (~180 MB
    # resident an ingest worker on ONNX Runtime never needs). Here, where torch may be loaded
    # already, spaCy runs as it always did: the same quotes must come out of both.
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from summaries.understand.quotes import QuoteExtractor\n"
        "quotes = QuoteExtractor().extract(Path(sys.argv[1]).read_text(encoding='utf-8'))\n"
        "found = [[q.text, q.speaker, q.spans] for q in quotes]\n"
        "print(json.dumps(['torch' in sys.modules, found]))\n"
    )
    root = str(SAMPLE.parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", script, str(SAMPLE)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    torch_loaded, quotes = json.loads(done.stdout)
    assert not torch_loaded
    here = extractor.extract(SAMPLE.read_text(encoding="utf-8"))
    assert quotes == [[q.text, q.speaker, [list(s) for s in q.spans]] for q in here]
    assert len(quotes) >= 4


def test_speech_in_a_clause_of_time_is_that_clause_s(extractor: QuoteExtractor) -> None:
    text = (
        "Ida Lund spoke first.\n\n"
        'After Berg said that pupils who did not pass might do better at "smaller schools," '
        'Lund said: "I do not like what he said."'
    )
    got = {q.text: q.speaker for q in extractor.extract(text)}
    assert got["smaller schools,"] == "Berg"
    assert got["I do not like what he said."] == "Ida Lund"


def test_a_speech_verb_in_a_relative_clause_speaks_only_its_own_words(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Ida Lund spoke first.\n\n"
        'In a clip that Judge Tom Moss called "distasteful," Kurt Berg expressed a desire to '
        '"shoot the messenger."'
    )
    got = {q.text: q.speaker for q in extractor.extract(text)}
    assert got["distasteful,"] == "Tom Moss"
    assert got["shoot the messenger."] == "Kurt Berg"
    text = (
        "Ida Lund spoke first.\n\nKurt Berg, a native of Ohio who writes fiction on the side "
        '(his book has one on a contest "where the loser becomes the main course"), has cast '
        "himself as a strategist."
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Kurt Berg"


def test_a_speech_noun_s_owner_says_its_content_only(extractor: QuoteExtractor) -> None:
    text = (
        "Ida Lund spoke first.\n\nIn a statement Tuesday, Watch Group President Tom Fenn "
        'called Lund\'s assertion of a "claim of right" over her files "significant and '
        'disturbing."'
    )
    got = {q.text: q.speaker for q in extractor.extract(text)}
    assert got["claim of right"] == "Ida Lund"
    assert got["significant and disturbing."] == "Tom Fenn"


def test_a_description_with_a_name_set_off_by_dashes_is_the_named_person(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Ida Lund spoke first.\n\nA former Republican presidential candidate -- John Marsh, who "
        'lost the 2008 election -- said the mayor "offered no changes to his strategy."'
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "John Marsh"


def test_a_place_parsed_as_a_second_subject_is_not_the_speaker(extractor: QuoteExtractor) -> None:
    text = (
        "Tom Berg campaigned.\n\nSpeaking at a town hall event in Salem, New Hampshire, Berg "
        'went after Lund, calling her "a total stiff."'
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Tom Berg"


def test_two_titles_joined_by_and_name_one_person(extractor: QuoteExtractor) -> None:
    text = (
        'Officials met.\n\n"He is playing that role again," said former Ohio Gov. and '
        "Democratic National Committee Chairman Tom Berglund."
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Tom Berglund"


def test_who_issues_a_statement_saying_the_words_says_them(extractor: QuoteExtractor) -> None:
    text = (
        "The parade went on.\n\nThe Harbour Union issued a statement saying it left the march "
        '"because of the unsafe conditions on the route."'
    )
    (q,) = extractor.extract(text)
    assert q.speaker is not None and "Union" in q.speaker


def test_the_name_after_a_comma_and_said_ends_a_long_sentence_s_attribution(
    extractor: QuoteExtractor,
) -> None:
    text = (
        'The city prepared.\n\nCouple global exposure with a "candidate who is a lightning rod" '
        "and residents get nervous, said Christine Lind, executive director of the union."
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Christine Lind"


def test_a_quote_after_a_description_in_apposition_goes_to_the_person(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "The ferry count ran late on Monday. Ola Berg, the press officer for the Harbour "
        'Ferry Union said the count was slow. "We will have the results soon."'
    )
    (q,) = [q for q in extractor.extract(text) if not q.indirect]
    assert q.speaker == "Ola Berg"


def test_she_can_be_a_wife_introduced_by_her_given_name(extractor: QuoteExtractor) -> None:
    text = (
        "Tom Reed stayed away from the harbour meeting on Monday.\n\n"
        "But his wife, Ingrid, gave a preview of his plans in an interview.\n\n"
        '"He wants to keep the ferry going," she said.'
    )
    (q,) = [q for q in extractor.extract(text) if not q.indirect]
    assert q.speaker == "Ingrid"


def test_who_after_a_name_s_apposition_is_the_named_person(extractor: QuoteExtractor) -> None:
    text = (
        '"The port needs the money," said Omar Velez, the city\'s chief budget officer, who '
        'added that the council plans to focus on small repairs "like the roof is on fire."'
    )
    speakers = {q.text: q.speaker for q in extractor.extract(text) if not q.indirect}
    assert speakers["like the roof is on fire."] == "Omar Velez"


def test_a_thing_s_verb_inside_a_person_s_speech_leaves_the_words_to_the_person(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Mira Lund spoke at the fair on Friday.\n\nShe said she has seen farms in the valley "
        'that reminded her of "a desert in July," where nothing grows.'
    )
    (q,) = [q for q in extractor.extract(text) if not q.indirect]
    assert q.speaker == "Mira Lund"


def test_a_capitalised_name_parsed_as_a_noun_is_no_thing(extractor: QuoteExtractor) -> None:
    from summaries.understand.quotes.cues import Cue, _thing

    doc = extractor.model()(
        "Later both leaders put out a note \u2013 Lund saying she felt \u201cquite hopeful\u201d "
        "and the farms reminded her of a \u201cdesert.\u201d"
    )
    lund = next(t for t in doc if t.text == "Lund")
    farms = next(t for t in doc if t.text == "farms")
    assert not _thing(Cue("saying", lund, lund.idx))  # a name, whatever its tag
    assert farms.pos_ != "NOUN" or _thing(Cue("reminded", farms, farms.idx))


def test_a_word_before_a_set_off_he_said_is_not_the_speaker(extractor: QuoteExtractor) -> None:
    text = (
        'The vote was close.\n\nHarlan Pike, who calls the tax a "burden," said he will not '
        "back it. Rather, he said, continued delays by the council will help the plan.\n\n"
        '"There is nobody on the board who will stop it outright."'
    )
    speakers = {q.text: q.speaker for q in extractor.extract(text) if not q.indirect}
    assert speakers["There is nobody on the board who will stop it outright."] == "Harlan Pike"


def test_it_speaks_for_the_body_named_before_never_for_a_person(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Harbour town gets new pipes\n\n"
        "The water board issued a statement on Tuesday after the flood. "
        '"We will repair every pipe by June," it said.'
    )
    (quote,) = [q for q in extractor.extract(text) if not q.indirect]
    assert quote.speaker == "the water board"
    text = (
        "Harbour town gets new pipes\n\n"
        "Vera Lind, an aide to the mayor, met reporters. "
        '"The pipes are old," the aide said.\n\n'
        'The flood reached the square. "Nobody was hurt," it said.'
    )
    quotes = _by_text([q for q in extractor.extract(text) if not q.indirect])
    # "the aide" is the one aide described before (Vera Lind), shown with the description
    assert quotes["The pipes are old,"].speaker == "Vera Lind"
    assert quotes["The pipes are old,"].speaker_title == "the aide"
    # "it" is no aide: no one is named, the pronoun is kept as the mention.
    assert quotes["Nobody was hurt,"].speaker is None
    assert quotes["Nobody was hurt,"].speaker_mention == "it"


def test_an_i_outside_quotation_marks_is_the_writer_never_the_person_named_last(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "That night I went on the radio. I told Nora Quill, the host, that the judge had "
        'been fair. "This is a big win for me," I said.\n\n'
        "The prosecutor, Carl Berrow, had asked for prison. "
        '"We will appeal nothing," I told my lawyer, Dan Ostrow.\n\n'
        '"It was a fair hearing," Berrow said later.'
    )
    quotes = _by_text(extractor.extract(text))
    for words in ("This is a big win for me,", "We will appeal nothing,"):
        assert quotes[words].speaker is None  # the writer, whom the article does not name
        assert quotes[words].speaker_mention == "I"
    assert quotes["It was a fair hearing,"].speaker == "Carl Berrow"


def test_a_hyphenated_role_is_the_speakers_title(extractor: QuoteExtractor) -> None:
    text = (
        "Harbour paper names new chief\n\n"
        "Gazette Editor-in-Chief Mara Quill spoke to staff on Monday. "
        '"We will keep printing," she said.'
    )
    (quote,) = [q for q in extractor.extract(text) if not q.indirect]
    assert (quote.speaker, quote.speaker_title) == ("Mara Quill", "Gazette Editor-in-Chief")


def test_the_subject_of_a_speech_verb_in_the_passive_is_not_its_speaker(
    extractor: QuoteExtractor,
) -> None:
    text = (
        'Mary Lane defended her manager as a "very decent man" on Tuesday, hours after the '
        "aide was charged with battery."
    )
    (q,) = extractor.extract(text)
    assert q.speaker == "Mary Lane"
    text = 'The old mill is described on the town website as a "charming old ruin" for visitors.'
    assert [q.speaker for q in extractor.extract(text)] == [None]


def test_the_person_prompted_to_speak_says_the_words(extractor: QuoteExtractor) -> None:
    text = (
        "Tom Hart attacked Mary Lane. That prompted Rob Smith to make a joke about yoga and "
        'call Hart "very bendy," a nod to his changes.'
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Rob Smith"]
    # Who is required to say something has not said it: the words are the requirement's.
    text = 'The new contract requires staffers to promise "never to speak of the firm again."'
    assert [q.speaker for q in extractor.extract(text)] == ["the new contract"]
    # A thing used to speak is no speaker: the one using it is.
    text = 'Tom Hart used the question to demand that banks "pay their fair share."'
    assert [q.speaker for q in extractor.extract(text)] == ["Tom Hart"]


def test_one_of_a_group_and_an_age_speak_as_descriptions(extractor: QuoteExtractor) -> None:
    text = (
        "Mary Lane spoke at the fair on Sunday.\n\n"
        '"There is no path for him," said one of those advisers, who spoke on condition of '
        "anonymity.\n\n"
        '"We will win this town," said the 46-year-old. "Then we will rest."'
    )
    assert [q.speaker for q in extractor.extract(text)] == [
        "one of those advisers",
        "the 46-year-old",
        "the 46-year-old",
    ]
    text = 'One of the city\'s top lawyers, Rob Smith, testified that "none of the rules" held.'
    assert [q.speaker for q in extractor.extract(text)] == ["Rob Smith"]


def test_a_subject_whose_phrase_holds_the_quotation_does_not_say_it(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Tom Hart spoke on Monday about the Rob Smith case.\n\n"
        'But even as Hart claimed on Tuesday that "Rob Smith got in trouble for far less," one '
        "of the former prosecutors for Rob Smith said the two cases were quite different."
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Tom Hart"]


def test_a_crowd_chanting_says_its_words(extractor: QuoteExtractor) -> None:
    text = 'Mary Lane spoke at the fair on Sunday. The crowd chanted back at her, "Send them away."'
    assert [q.speaker for q in extractor.extract(text)] == ["the crowd"]
    text = 'Mary Lane spoke at the fair on Sunday.\n\n"Send them away," the crowd chanted.'
    assert [q.speaker for q in extractor.extract(text)] == ["the crowd"]


def test_the_asker_goes_on_after_words_that_asked_nothing(extractor: QuoteExtractor) -> None:
    text = (
        "Tom Hart spoke to Mary Lane on the radio.\n\n"
        '"You said earlier that the party failed you," Hart asked Lane. "Can you explain that?"'
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Tom Hart", "Tom Hart"]
    # After a question, the one asked answers.
    text = (
        "Tom Hart spoke to Mary Lane on the radio.\n\n"
        '"Are you running again?" Hart asked Lane. "No, I am done."'
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Tom Hart", "Mary Lane"]


def test_whose_a_speaker_is_stays_out_of_the_name(extractor: QuoteExtractor) -> None:
    text = 'The vote was close. "We lost this one," said Harbor Radio\'s Ada Fisher.'
    (q,) = extractor.extract(text)
    assert q.speaker == "Ada Fisher"


def test_the_owner_of_a_speech_noun_named_by_a_pronoun(extractor: QuoteExtractor) -> None:
    text = (
        "Dr. Lane wrote a short letter about the patient. Her earlier letter was widely mocked "
        'for its bold prediction that he would be "the fittest man ever to run."'
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Her earlier letter"]


def test_who_sends_a_document_says_its_words(extractor: QuoteExtractor) -> None:
    text = (
        'Tom Hart released a marketing video that said, "We will have the finest teachers in '
        'the land, picked by me."'
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Tom Hart"]
    text = (
        "In addition, a fundraising email sent out by Tom Hart on Tuesday night warned of the "
        'fight ahead: "There are many votes over the next weeks, and you must help."'
    )
    assert [q.speaker for q in extractor.extract(text)] == ["Tom Hart"]


def test_put_is_speech_only_as_a_way_of_saying(extractor: QuoteExtractor) -> None:
    text = (
        "A man seized the ferry on Monday. In the process he put up a banner – “warning,” as "
        "the Harbour Post reported, “of a long night for the town.”\n\n"
        "“We will not pay,” as Jo Roe put it. Tom Berg put it this way: “The bill is too high "
        "for a small town.”"
    )
    quotes = _by_text(extractor.extract(text))
    assert quotes["warning, of a long night for the town."].speaker == "the Harbour Post"
    assert quotes["We will not pay,"].speaker == "Jo Roe"
    assert quotes["The bill is too high for a small town."].speaker == "Tom Berg"


def test_a_pronoun_run_on_with_its_verb_is_never_a_name(extractor: QuoteExtractor) -> None:
    text = (
        "We’re told that a town shows its character in a crisis. That’s true of Marlow.\n\n"
        "A man seized the ferry. “We will not leave,” he shouted."
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker is None  # not "We’re", nor "That’s"


def test_a_speakers_role_and_mention_never_hold_quotation_marks(extractor: QuoteExtractor) -> None:
    text = (
        "In her statement “We stand with the town and its people through the long winter "
        "ahead,” Ida Lund wrote of the floods."
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Ida Lund"
    assert quote.speaker_title is None  # was 'statement “Q”': the parse's stand-in for the words
    assert quote.speaker_mention == "Ida Lund"


def test_a_speaker_does_not_run_on_through_an_essay(extractor: QuoteExtractor) -> None:
    paragraphs = [
        "The ferry company raised its fares during the storm, as the Harbour Post reported.",
        "“Fares have gone up to bring more boats out,” the company said in a statement.",
        "“We will keep every crossing running until the wind drops.”",
        "That is one way to see a town in trouble.",
        "Another is to remember the lifeboat crews who go out whatever the weather.",
        "Nobody paid them double for the night of the flood.",
        "There is no such thing as “the sharing harbour” when the price of a seat triples.",
    ]
    quotes = _by_text(extractor.extract("\n\n".join(paragraphs)))
    assert quotes["Fares have gone up to bring more boats out,"].speaker == "the company"
    # The next paragraph goes on with the company's words ...
    assert quotes["We will keep every crossing running until the wind drops."].speaker == (
        "the company"
    )
    # ... but words four paragraphs on, with no cue, are no one's.
    assert quotes["the sharing harbour"].speaker is None


def test_titles_and_nicknames_listed_together_are_no_quotes(extractor: QuoteExtractor) -> None:
    texts = [
        "It beat the studio films “The Long Winter” and “Once Upon a Time in Marlow,” "
        "which both had famous casts.",
        "Dubbed “Harbour Queen” or “Lady Tide” for her love of boats, she rose fast.",
        "The British comedy “Quayside” won, and the royal drama “The Keep” lost.",
    ]
    for text in texts:
        assert [q.text for q in extractor.extract(text) if not q.indirect] == [], text
    # A quote after a title is still a quote.
    text = 'Her novel "Cold Tide" sold well, and "we will print more," said Ida Lund.'
    assert [q.text for q in extractor.extract(text)] == ["we will print more,"]


def test_a_role_cut_off_after_a_small_word_is_not_shown(extractor: QuoteExtractor) -> None:
    text = (
        "Colleagues once collected his remarks in a booklet, The Wit and Wisdom of Tom Berg.\n\n"
        "“We will build the harbour wall this year,” Tom Berg said on Monday."
    )
    (quote,) = extractor.extract(text)
    assert quote.speaker == "Tom Berg"
    assert quote.speaker_title is None  # not "Wisdom of"


def test_a_surname_that_is_a_title_word_is_the_person_named_with_it(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Wayne King, the congressman’s deputy chief of staff, learned of the retirement late.\n\n"
        "“The first I heard of it was on Tuesday evening,” said King, who has since resigned."
    )
    (quote,) = extractor.extract(text)
    assert (quote.speaker, quote.speaker_title) == ("Wayne King", None)  # not King, "King"


def test_bare_surname_speaker_is_the_family_member_named_last(extractor: QuoteExtractor) -> None:
    text = (
        "Councilman Walter Brisco proposed the new toll on Monday. Brisco said the bridge "
        "needed repairs. Walter Brisco has held the seat for a decade.\n\n"
        "His daughter, Dana Brisco, opposes the plan. "
        '"It will hurt every family that commutes," Brisco said.'
    )
    quotes = [q for q in extractor.extract(text) if not q.indirect]
    assert [q.speaker for q in quotes] == ["Dana Brisco"]


def test_he_is_not_the_woman_whose_surname_a_mr_shares(extractor: QuoteExtractor) -> None:
    text = (
        "Ida Berg, 24, died in her flat in March, an inquest heard.\n\n"
        "Mr Berg, a retired teacher, sat at the back of the court during the hearing.\n\n"
        'He told the court: "She was happy there, and she was careful."'
    )
    (quote,) = [q for q in extractor.extract(text) if not q.indirect]
    assert quote.speaker in (None, "Berg")


def test_a_wifes_quote_does_not_take_her_husbands_role(extractor: QuoteExtractor) -> None:
    text = (
        "Harbor board member accused of timing exit\n\n"
        "Rep. Tom Halvard's sudden exit surprised his party on Monday.\n\n"
        "The seat may go to a friend of Rita Halvard, the congressman's wife.\n\n"
        '"It was rude to everyone who respected Congressman Halvard," said Jo Pellin, a county '
        "official.\n\n"
        'Rita Halvard told the meeting that "we will win this seat".'
    )
    quotes = {q.speaker: q for q in extractor.extract(text)}
    assert quotes["Rita Halvard"].speaker_title is None
    assert quotes["Jo Pellin"].speaker_title == "a county official"


def test_a_paragraph_on_someone_else_stops_a_speaker_running_on(
    extractor: QuoteExtractor,
) -> None:
    text = (
        "Whale deaths worry tribes\n\n"
        "Elder Hemi Tane has watched the beaches for fifty years.\n\n"
        '"The sea is angry," Tane says.\n\n'
        'The latest deaths have been called "tragic" by the wildlife agency.\n\n'
        "But for Tane and his family the losses are personal and deep.\n\n"
        '"It hurts us. The sea is sending a message. We must listen."'
    )
    last = extractor.extract(text)[-1]
    assert last.text.startswith("It hurts us")
    assert last.speaker != "the wildlife agency"
    # with nothing between, the words go on with the last speaker
    (first, second) = extractor.extract(
        'Whale deaths worry tribes\n\n"The sea is angry," Hemi Tane says.\n\n'
        '"It hurts us. We must listen."'
    )
    assert second.speaker == first.speaker == "Hemi Tane"
