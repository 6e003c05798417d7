"""Keeping and attributing quotes by the text alone: the frames are not parsed here, so no
speech verb is found and the layout and the discourse decide."""

from summaries.understand.quotes.article import Article
from summaries.understand.quotes.attribute import (
    Quotation,
    attribute,
    keep,
    signature,
    trailing_speaker,
)
from summaries.understand.quotes.focus import indirect_attributions
from summaries.understand.quotes.frames import build_frames
from summaries.understand.text import quotation_spans


def _read(text: str) -> list[tuple[str, str | None]]:
    """(quoted words, speaker) of the quotations kept, as the extractor goes through them."""
    art = Article.of(text)
    quotations = quotation_spans(text)
    art.events = indirect_attributions(text)
    art.quoted = sorted(p for q in quotations for p in q)
    frames, of_quote = build_frames(text, 0, quotations)
    out: list[tuple[str, str | None]] = []
    for qi, pieces in enumerate(quotations):
        quote = Quotation(qi, pieces, [frames[i] for i in of_quote[qi]])
        if not keep(art, quote):
            continue
        speaker, cue = attribute(art, quote)
        assert cue is None  # no parse, no cue
        if speaker is not None:
            art.resolved.append((pieces[0][0], quote.frames[-1].end, speaker))
        out.append((text[pieces[0][0] : pieces[-1][1]], speaker.name if speaker else None))
    return out


def test_nicknames_so_called_words_and_lone_scare_quotes_are_dropped() -> None:
    text = (
        'Actor Dwayne "The Rock" Johnson came. The so-called "reform" failed. '
        'It was a "plan" at best. The trip was "a big mess" for everyone.'
    )
    assert [words for words, _ in _read(text)] == ["a big mess"]


def test_quotes_after_an_indirect_attribution_stay_with_that_speaker() -> None:
    text = 'Ida Lund said the bridge was late. "It will open in May." "And it will be free."'
    assert _read(text) == [
        ("It will open in May.", "Ida Lund"),
        ("And it will be free.", "Ida Lund"),
    ]


def test_dash_signatures_attribute_listed_quotes() -> None:
    text = '"We waited three years for this road." ― Ola Berg, 52\n"Nobody asked us." ― Kari Dahl\n'
    assert _read(text) == [
        ("We waited three years for this road.", "Ola Berg"),
        ("Nobody asked us.", "Kari Dahl"),
    ]


def test_a_transcript_label_in_capitals_is_the_name_the_article_gives() -> None:
    text = 'Mayor Ida Lund spoke at the opening.\n\n"LUND: We will finish the bridge."'
    art = Article.of(text)
    speaker = signature(art, quotation_spans(text)[0])
    assert speaker is not None
    assert (speaker.name, speaker.mention, speaker.title) == ("Ida Lund", "LUND", "Mayor")


def _trailing(text: str) -> str | None:
    """The speaker named right after the text's last quotation, by the words alone."""
    art = Article.of(text)
    end = quotation_spans(text)[-1][-1][1]
    found = trailing_speaker(art, end)
    return found[0].name if found is not None else None


def test_a_name_after_the_quotation_in_less_usual_forms() -> None:
    said = [
        # No space after the closing mark.
        'Ida Lund spoke first. "The depot will open in May,”Tom Berg said.',
        # A rank with an ordinal, a hyphenated role word, a no-break space inside the name.
        'Ida Lund spoke first. "We hold the line," said Army 2nd Lt. Tom Berg.',
        'Ida Lund spoke first. "We hold the line," mused radio co-host Tom\u00a0Berg.',
        # Where the words were written or said, after the name.
        'Ida Lund spoke first. "It is over," wrote Tom Berg on his blog.',
        # An adverb or "as" after the verb.
        'Ida Lund spoke first. "Hello there," Tom Berg said pleasantly into the phone.',
        'Ida Lund spoke first. "Who can count them?" Tom Berg asks as the crowd laughs.',
        # A long apposition that does not close with a comma; role words before the name.
        'Ida Lund spoke first. "We need steel," Tom Berg, the engineer who founded berg.com said.',
        'Ida Lund spoke first. "We need more steel," Star Morning co-host Tom Berg said.',
    ]
    for text in said:
        assert _trailing(text) == "Tom Berg", text
    # Two people are no one speaker.
    assert _trailing('Ida Lund spoke first. "We need steel," Jo Roe and Tom Berg said.') is None
    # A verb that names the listener is no attribution of these words.
    assert _trailing('Ida Lund spoke first. "It is over," Tom Berg told her that day.') is None


def test_a_surname_that_is_an_ordinary_word_speaks_before_its_verb() -> None:
    text = (
        "Jo From founded the council in 1985, and Tom Berg joined it later.\n\n"
        '"We had to win back the suburbs," From said.'
    )
    assert _trailing(text) == "Jo From"
    # Without a person of that surname in the article, the word is no name; nor is a pronoun.
    assert _trailing('Tom Berg spoke first. "We had to win back the suburbs," From said.') is None
    text = 'Suddenly I saw Tom Berg. "We had to win back the suburbs," I said.'
    assert _trailing(text) != "Suddenly I"


def test_a_speaker_who_goes_on_or_chimes_in_after_the_quotation() -> None:
    text = 'Ida Lund spoke first. "Taxes are too high, right?" Tom Berg went on, as if deaf.'
    assert _trailing(text) == "Tom Berg"
    assert _trailing('Ida Lund spoke first. "Not so," Tom Berg chimed in.') == "Tom Berg"


def test_a_quotation_under_a_heading_in_capitals_is_nobody_s() -> None:
    text = (
        'Ida Lund said the bridge was late. "It will open in May."\n\n'
        'RIVER RISES AT DAWN "Water reached the second step of the old mill,"\n\n'
        'Q2: STORMS "The coast was hit twice this week."'
    )
    assert _read(text) == [
        ("It will open in May.", "Ida Lund"),
        ("Water reached the second step of the old mill,", None),
        ("The coast was hit twice this week.", None),
    ]
    # A dateline is no heading: the speaker before goes on.
    text = 'Ida Lund said the bridge was late.\n\nOSLO — "It will open in May."'
    assert _read(text) == [("It will open in May.", "Ida Lund")]


def test_a_label_naming_two_authors_gives_both() -> None:
    text = (
        'Polls were off.\n\nWHY THE POLLS MISSED - Ida Lund and Tom Berg: "Our data shows '
        'both shifts were there all along."'
    )
    assert _read(text)[-1] == (
        "Our data shows both shifts were there all along.",
        "Ida Lund and Tom Berg",
    )


def test_told_and_its_listener_after_a_quotation_that_ends_a_sentence() -> None:
    text = (
        'Ida Lund spoke first. "Who knows?" Tom Berg told the city radio station in an interview.'
    )
    assert _trailing(text) == "Tom Berg"
    assert _trailing('Ida Lund spoke first. "We are done." Tom Berg told the BBC.') == "Tom Berg"
