from summaries.understand.quotes.article import Article
from summaries.understand.quotes.focus import (
    body_subject,
    indirect_attributions,
    is_person,
    previous_speaker,
    resolve_pronoun,
)
from summaries.understand.text import quotation_spans


def _article(text: str) -> Article:
    """An article as the extractor prepares it before attributing (no parse needed)."""
    art = Article.of(text)
    art.events = indirect_attributions(text)
    art.quoted = sorted(p for q in quotation_spans(text) for p in q)
    return art


def test_indirect_attributions_find_who_said_before_and_after_the_verb() -> None:
    text = 'Ida Lund said the road was late. "It is," said Ola Berg.'
    assert indirect_attributions(text) == [(0, "Ida Lund"), (text.index("Ola"), "Ola Berg")]


def test_a_place_after_a_preposition_is_no_indirect_speaker() -> None:
    assert indirect_attributions("The storm hit hardest in Bergen, said the forecaster.") == []


def test_he_and_she_go_to_the_last_person_of_their_gender() -> None:
    text = "Karen Holt said the road was late. Tom Reed said nothing. Later she spoke, and he left."
    art = _article(text)
    assert resolve_pronoun(art, "she", text.index("she")).name == "Karen Holt"
    assert resolve_pronoun(art, "he", text.index("he left")).name == "Tom Reed"


def test_a_pronoun_nobody_fits_stays_itself() -> None:
    art = _article("Karen Holt said the road was late. They left.")
    speaker = resolve_pronoun(art, "They", 40)
    assert (speaker.name, speaker.person) == ("They", False)


def test_a_bare_quote_after_an_indirect_attribution_is_that_speakers() -> None:
    text = 'Ida Lund said the bridge was late. "It will open in May."'
    art = _article(text)
    speaker = previous_speaker(art, text.index("It will"))
    assert speaker is not None and speaker.name == "Ida Lund"


def test_a_person_introduced_as_subject_in_the_paragraph_owns_a_bare_quote() -> None:
    text = 'The council met.\n\nSen. Jo Roe named youth as the reason. "They need jobs and homes."'
    art = _article(text)
    speaker = previous_speaker(art, text.index("They need"))
    assert speaker is not None
    assert (speaker.name, speaker.title) == ("Jo Roe", "Sen.")


def test_a_name_needs_evidence_to_be_a_person() -> None:
    art = _article("Karen Holt met the Harbor City Council and Mr. Reed. Oslo was cold.")
    assert is_person(art, "Holt")  # a given name
    assert is_person(art, "Reed")  # an honorific
    assert not is_person(art, "Harbor City Council")
    assert not is_person(art, "Oslo")


def test_an_apposition_or_party_tag_before_the_verb_keeps_the_indirect_speaker() -> None:
    text = "Ida Lund, who chairs the harbour board, said the ferry was late."
    assert indirect_attributions(text) == [(0, "Ida Lund")]
    text = "Sen. Jo Roe (D-Ore.) said the vote would wait."
    assert [m for _, m in indirect_attributions(text)] == ["Sen. Jo Roe"]


def test_who_is_told_praised_or_named_in_the_reported_clause_is_no_indirect_speaker() -> None:
    for text in (
        "The mayor told Ida Lund the ferry was late.",
        "The union decried Tom Berg's plan for the ferry.",
        "The mayor said Tom Berg hurt the harbour.",
    ):
        assert indirect_attributions(text) == [], text
    text = '"It is late," said Ola Berg, the ferry captain.'
    assert [m for _, m in indirect_attributions(text)] == ["Ola Berg"]


def test_the_owner_of_a_speech_noun_is_no_indirect_speaker() -> None:
    text = 'Tom Reed read Ola Berg\'s claims at the fair. "We built it," he said.'
    assert [who for _, who in indirect_attributions(text)] == ["he"]
    art = _article(text)
    assert resolve_pronoun(art, "he", text.index("he said")).name == "Tom Reed"


def test_he_or_she_never_stands_for_a_place_or_a_group_of_people() -> None:
    cases = [
        ("Tom Reed said it would close.\n\nSouth Carolina, in his view, needs jobs.", "he"),
        ("Tom Reed said it would close.\n\nNew Yorkers, however, were calm.", "he"),
        ("Karen Holt said it would close.\n\nYoung Latinos, however, were calm.", "she"),
    ]
    for before, pronoun in cases:
        text = before + f' "We will fight," {pronoun} said.'
        art = _article(text)
        expected = before.split(" said")[0]
        assert resolve_pronoun(art, pronoun, text.rindex(pronoun)).name == expected


def test_a_name_inside_a_description_in_apposition_is_not_the_subject() -> None:
    text = "Ola Berg, the press officer for the Harbour Ferry Union said the boats were late."
    assert indirect_attributions(text) == [(0, "Ola Berg")]
    # Without a name before it, the description's inner name is no subject either.
    assert indirect_attributions("The head of the Harbour Ferry Union said no.") == []
    assert indirect_attributions("A clerk at the Harbour Ferry Union said no.") == []
    # A name after a plain apposition stays the subject.
    text = "At the pier, the captain Ola Berg said no."
    assert [m for _, m in indirect_attributions(text)] == ["Ola Berg"]


def test_it_and_they_go_to_the_body_or_group_opening_a_sentence_before() -> None:
    text = 'The water board issued a statement on Tuesday. "We will fix it," it said.'
    assert body_subject(text, text.index('"'), "it") == (0, "the water board")
    art = _article(text)
    speaker = resolve_pronoun(art, "it", text.index('"'))
    assert (speaker.name, speaker.person) == ("the water board", False)
    text = 'Northline’s board quickly backed down. In winter, it said, "no boats."'
    assert body_subject(text, text.index('"'), "it") == (0, "Northline’s board")
    text = 'Harbour officials met on Sunday.\n\n"Never again," they said.'
    assert body_subject(text, text.index('"'), "they") == (0, "Harbour officials")


def test_it_needs_a_body_as_subject_not_a_person_or_an_object() -> None:
    # A body after a preposition, a bare noun without its determiner, or a person: no "it".
    text = 'Vera Lind spoke to the board of the company. "No," it wrote.'
    assert body_subject(text, text.index('"'), "it") is None
    text = 'Company staff left early. "No," it wrote.'
    assert body_subject(text, text.index('"'), "it") is None
    assert resolve_pronoun(_article(text), "it", text.index('"')).name == "it"
