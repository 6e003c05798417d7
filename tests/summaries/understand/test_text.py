import itertools

from summaries.understand.text import (
    normalize_whitespace,
    paragraph_spans,
    sentence_spans,
    split_paragraphs,
    split_sentences,
    strip_invisible,
)


def test_split_sentences_keeps_titles_and_abbreviations_inside_sentences() -> None:
    text = (
        "Mr. Hale met Sen. Ortiz and Gen. Park at the Pentagon. "
        "Dr. Wu joined them on Jan. 4 to discuss item No. 7. "
        "They left at 6 p.m. The talks resume today."
    )
    assert split_sentences(text) == [
        "Mr. Hale met Sen. Ortiz and Gen. Park at the Pentagon.",
        "Dr. Wu joined them on Jan. 4 to discuss item No. 7.",
        "They left at 6 p.m.",
        "The talks resume today.",
    ]


def test_split_sentences_handles_country_acronyms() -> None:
    text = "The U.S. economy grew. Exports rose to the U.K. The trade gap narrowed."
    assert split_sentences(text) == [
        "The U.S. economy grew.",
        "Exports rose to the U.K.",
        "The trade gap narrowed.",
    ]


def test_split_sentences_keeps_initials_and_decimals() -> None:
    text = "J. K. Marlow sold 3.5 million copies. Sales rose 2.75% in the quarter."
    assert split_sentences(text) == [
        "J. K. Marlow sold 3.5 million copies.",
        "Sales rose 2.75% in the quarter.",
    ]


def test_split_sentences_keeps_closing_quote_with_its_sentence() -> None:
    text = 'She said: "We will win." Nobody replied. "Really?" he asked. \u201cYes.\u201d It ended.'
    assert split_sentences(text) == [
        'She said: "We will win."',
        "Nobody replied.",
        '"Really?" he asked.',
        "\u201cYes.\u201d",
        "It ended.",
    ]


def test_split_sentences_handles_ellipses() -> None:
    text = "He paused... and went on. Then silence... The crowd left."
    assert split_sentences(text) == [
        "He paused... and went on.",
        "Then silence...",
        "The crowd left.",
    ]


def test_sentences_never_cross_paragraphs() -> None:
    text = (
        "A headline without a stop\n\nThe first paragraph ends here\n\nAnother one. Two sentences."
    )
    assert split_sentences(text) == [
        "A headline without a stop",
        "The first paragraph ends here",
        "Another one.",
        "Two sentences.",
    ]


def test_wrapped_lines_join_but_new_capitalised_lines_split() -> None:
    text = "The minister said the plan\nwould cost more.\nScroll down for video\nIt was late."
    assert split_sentences(text) == [
        "The minister said the plan would cost more.",
        "Scroll down for video",
        "It was late.",
    ]


def test_sentence_spans_point_into_the_original_text() -> None:
    text = '  Mr. Li spoke.\n\nPrices rose 1.5%.  "Good," he said.\nThe end.  '
    spans = sentence_spans(text)
    pieces = [text[s:e] for s, e in spans]
    assert pieces == ["Mr. Li spoke.", "Prices rose 1.5%.", '"Good," he said.', "The end."]
    assert [normalize_whitespace(p) for p in pieces] == split_sentences(text)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_split_paragraphs_splits_on_blank_lines_and_drops_empty_ones() -> None:
    text = "First  para\nstill first.\n\n\n  \nSecond para.\n \t\nThird."
    assert split_paragraphs(text) == ["First para still first.", "Second para.", "Third."]
    assert len(paragraph_spans(text)) == 3


def test_normalize_whitespace_collapses_all_kinds_of_space() -> None:
    assert normalize_whitespace(" a\u00a0 b\n\tc  ") == "a b c"


def test_strip_invisible_drops_bidi_and_zero_width_characters_but_keeps_joiners() -> None:
    spoof = "invoice\u202egnp.exe \u2066x\u2069 hid\u200bden\u00ad \ufeffok\u200e\u061c"
    assert strip_invisible(spoof) == "invoicegnp.exe x hidden ok"
    assert strip_invisible("bell\x07 tab\tline\nend\x9b") == "bell  tab\tline\nend "
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # ZWJ holds the emoji together
    assert strip_invisible(family) == family
    assert strip_invisible("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ: Persian needs it
    )


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n\n ") == []
    assert sentence_spans("") == []


def _quoted(text: str) -> list[list[str]]:
    from summaries.understand.text import quotation_spans

    return [[text[a:b] for a, b in q] for q in quotation_spans(text)]


def test_quotations_straight_and_curly_marks() -> None:
    text = 'He said "the plan works," and she said “it does not.”'
    assert _quoted(text) == [["the plan works,"], ["it does not."]]


def test_quotation_over_two_paragraphs_is_one_quotation() -> None:
    reopened = "“We will build it.\n\n“And we will pay for it,” the mayor said."
    assert _quoted(reopened) == [["We will build it.", "And we will pay for it,"]]
    # Some papers drop the reopening mark: the next paragraph simply closes the quote.
    carried = '"We are encouraged.\n\nThere is no military solution," the minister said.'
    assert _quoted(carried) == [["We are encouraged.", "There is no military solution,"]]


def test_unbalanced_mark_does_not_swallow_the_next_paragraphs() -> None:
    text = 'A stray " mark here.\n\nThe next paragraph says "hello" once.'
    assert _quoted(text) == [["hello"]]


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "She said “we are ready.\n\nThe talks resume on Monday."
    assert _quoted(text) == [["we are ready."]]


def test_a_closing_mark_typed_at_a_paragraph_start_opens_the_quote() -> None:
    text = "Intro line.\n\n”Fear. I am afraid,” said Ann Reed.\n\nShe said “fine” and left."
    assert _quoted(text) == [["Fear. I am afraid,"], ["fine"]]


def test_a_closing_mark_at_a_paragraph_start_opens_a_quote_that_begins_with_an_ellipsis() -> None:
    text = "Intro line.\n\n” … he spoke with calm and wit,” wrote Mark Lee.\n\nThe end."
    assert _quoted(text) == [["… he spoke with calm and wit,"]]


def test_an_opening_mark_typed_for_the_closing_one_ends_the_quotation() -> None:
    said = "“The ferry will run all winter,“ Ann Reed said.\n\nThe council met later."
    assert _quoted(said) == [["The ferry will run all winter,"]]
    last = "Reed was blunt. “The ferry will run all winter.“\n\nThe council met later."
    assert _quoted(last) == [["The ferry will run all winter."]]
    then = "He said “the ferry runs.“ Then “it stops,” she said."
    assert _quoted(then) == [["the ferry runs."], ["it stops,"]]


def test_a_quote_reopened_in_the_next_paragraph_still_runs_on() -> None:
    # The fresh opening mark of a paragraph-long quote's next paragraph is no closing mark,
    # nor is one after a space that opens a quotation inside an open one.
    reopened = "“The ferry will run.\n\n“And it will stop at Hale,” Reed said."
    assert _quoted(reopened) == [["The ferry will run.", "And it will stop at Hale,"]]
    restarted = "She said “the ferry. Then “it stops,” he said."
    assert _quoted(restarted) == [["it stops,"]]


def test_a_closing_mark_typed_for_the_opening_one_after_a_space_opens_the_quotation() -> None:
    text = "Ann Reed said ”the ferry will run all winter.” The council met later."
    assert _quoted(text) == [["the ferry will run all winter."]]
    # A closing mark after a space inside an open quotation still closes it.
    spaced = "“The ferry will run, ”said Reed, “all winter.”"
    assert _quoted(spaced) == [["The ferry will run, "], ["all winter."]]
