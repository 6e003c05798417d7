from summaries.understand.quotes.headline import headline_claim, headline_paragraph
from summaries.understand.quotes.persons import PersonRegistry

HEADLINE = "Bridge will open in May: Lund"


def test_a_short_first_line_without_final_punctuation_is_a_headline() -> None:
    text = f"{HEADLINE}\n\nThe mayor said on Monday that the bridge would open."
    assert headline_paragraph(text) == (0, len(HEADLINE))


def test_a_first_sentence_or_a_lone_paragraph_is_no_headline() -> None:
    assert headline_paragraph("The bridge will open.\n\nThe mayor said so.") is None
    assert headline_paragraph(HEADLINE) is None


def test_a_headline_claim_goes_to_the_full_name_the_article_gives() -> None:
    registry = PersonRegistry.from_text(f"{HEADLINE}\n\nMayor Ida Lund spoke on Monday.")
    found = headline_claim(HEADLINE, 10, False, registry)
    assert found is not None
    quote, speaker = found
    assert (quote.text, quote.spans, quote.speaker, quote.speaker_title) == (
        "Bridge will open in May",
        ((10, 33),),
        "Ida Lund",
        "Mayor",
    )
    assert quote.speaker_mention == "Lund" and not quote.in_title
    assert speaker.person


def test_a_section_label_after_the_colon_is_not_a_speaker() -> None:
    registry = PersonRegistry.from_text("Analysis: Markets fell again on Monday")
    assert headline_claim("Markets fell again on Monday: Analysis", 0, True, registry) is None
    assert headline_claim("Analysis: Markets", 0, True, registry) is None
