from summaries.understand.quotes.marks import (
    has_words,
    join_interrupted,
    only_quotes,
    same_paragraph,
    signed_name,
    subject_place,
    trailing_attribution,
    word_before,
)
from summaries.understand.text import quotation_spans


def test_has_words_ignores_pieces_of_punctuation_only() -> None:
    text = '"..." and "Bridges."'
    assert not has_words(text, [(1, 4)])
    assert has_words(text, [(1, 4), (11, 18)])


def test_only_quotes_tells_a_bare_quote_from_one_with_an_attribution() -> None:
    assert only_quotes('"Q."', [(1, 2)])
    assert not only_quotes('"Q," she said.', [(1, 2)])


def test_same_paragraph_stops_at_a_blank_line() -> None:
    text = "The mayor spoke.\nShe left.\n \nNext day."
    assert same_paragraph(text, 0, text.index("She"))
    assert not same_paragraph(text, 0, text.index("Next"))


def test_word_before_skips_punctuation_and_lowercases() -> None:
    text = "Rain fell In  Bergen"
    assert word_before(text, text.index("Bergen")) == "in"
    assert word_before(text, 0) is None


def test_an_attribution_between_comma_quotes_joins_them_into_one_quotation() -> None:
    text = '"The bridge will open in May," Mayor Ida Lund said, "and not a day later."'
    assert join_interrupted(text, quotation_spans(text)) == [((1, 29), (53, 73))]


def test_quotes_in_separate_sentences_stay_apart() -> None:
    text = '"The bridge will open in May," Mayor Ida Lund said. "It is late."'
    assert len(join_interrupted(text, quotation_spans(text))) == 2


def test_a_gap_without_a_speech_verb_does_not_join_quotes() -> None:
    text = '"The bridge will open," the mayor of the town, "and the road too."'
    assert len(join_interrupted(text, quotation_spans(text))) == 2


def test_trailing_attribution_after_a_closing_comma() -> None:
    text = '"The bridge will open in May," Mayor Ida Lund said.'
    end = quotation_spans(text)[0][0][1]
    assert trailing_attribution(text, end)


def test_no_trailing_attribution_after_a_full_stop_or_before_a_conjunction() -> None:
    before = 'Ida Lund warned: "The bridge will open in May."'
    assert not trailing_attribution(before, quotation_spans(before)[0][0][1])
    joined = '"The bridge will open," but Ida Lund said it would not.'
    assert not trailing_attribution(joined, quotation_spans(joined)[0][0][1])


def test_dash_signatures_name_each_listed_quote() -> None:
    text = (
        '"We waited three years for this road." ― Ola Berg, 52, of Tromsø\n'
        '"Nobody asked us." ― Kari Dahl\n'
    )
    assert [signed_name(text, q) for q in quotation_spans(text)] == ["Ola Berg", "Kari Dahl"]


def test_a_transcript_label_in_capitals_names_the_speaker() -> None:
    text = '"LUND: We will finish the bridge."'
    assert signed_name(text, quotation_spans(text)[0]) == "LUND"


def test_a_single_capitalised_word_before_a_colon_is_no_transcript_label() -> None:
    text = '"Lund: We will finish the bridge."'
    assert signed_name(text, quotation_spans(text)[0]) is None


def test_a_name_opening_a_sentence_stands_in_a_subject_place() -> None:
    text = "The council met. Ida Lund, the mayor, spoke first."
    assert subject_place(text, text.index("Ida"), "Ida Lund")


def test_a_possessive_or_a_name_after_a_preposition_is_no_subject() -> None:
    text = "The council met. Lund's plan passed. It went to Lund for a vote."
    assert not subject_place(text, text.index("Lund's"), "Lund")
    assert not subject_place(text, text.rindex("Lund"), "Lund")


def test_a_full_name_as_a_label_inside_a_line_signs_the_quotation() -> None:
    def label(text: str) -> str | None:
        return signed_name(text, quotation_spans(text)[0])

    assert label('Turnout is up - Jo Roe: "We saw lines at every school."') == "Jo Roe"
    text = 'The close result pleased county pollster Jo Roe: "It was close all night."'
    assert label(text) == "Jo Roe"
    # The one spoken to, and a surname alone, are no label.
    text = 'He sent a message to the local paper Daily Star: "We will win the county."'
    assert label(text) is None
    assert label('Turnout is up - more from Roe: "We saw lines at every school."') is None


def test_word_before_stops_at_a_line_break_or_a_sentence_end() -> None:
    text = "Why Fares Rise In\nIda Lund said so. It rained in. Ola Berg left, in Bergen"
    assert word_before(text, text.index("Ida")) is None
    assert word_before(text, text.index("Ola")) is None
    assert word_before(text, text.index("Bergen")) == "in"
