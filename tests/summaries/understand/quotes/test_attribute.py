"""Keeping and attributing quotes by the text alone: the frames are not parsed here, so no
speech verb is found and the layout and the discourse decide."""

from summaries.understand.quotes.article import Article
from summaries.understand.quotes.attribute import Quotation, attribute, keep, signature
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
