"""A "he" or "she" after a source brought in by description, and given names' genders."""

from summaries.understand.quotes import QuoteExtractor


def _speakers(extractor: QuoteExtractor, text: str) -> dict[str, str | None]:
    return {q.text.strip('“”",. '): q.speaker for q in extractor.extract(text) if not q.indirect}


def test_he_after_a_described_spokesman_is_the_spokesman_not_the_woman_named_before(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Talks on the harbour dispute resumed on Monday.\n\n"
        "Westmark's foreign minister, Clara Voss, said the offer was fair. "
        '"Our door remains open," Voss told reporters.\n\n'
        "A spokesman for the harbour authority said boats would keep sailing. "
        '"Nothing changes for now," he said.\n'
    )
    got = _speakers(quote_extractor, text)
    assert got["Our door remains open"] == "Clara Voss"
    assert got["Nothing changes for now"] == "a spokesman for the harbour authority"


def test_she_after_a_described_official_in_the_paragraph_before_is_that_official(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Ferries stopped at noon.\n\n"
        'Port director Tomas Ekvall said the storm was the worst in years. "We wait," he said.\n\n'
        "Fuel deliveries would resume on Friday, a senior official in the ministry told "
        "reporters.\n\n"
        '"We are close to a deal," she said.\n'
    )
    got = _speakers(quote_extractor, text)
    assert got["We wait"] == "Tomas Ekvall"
    assert got["We are close to a deal"] == "a senior official in the ministry"


def test_a_name_after_the_description_takes_the_pronoun_back(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "A spokesman for the harbour authority said boats would keep sailing. "
        "Hans Dorn, the port's engineer, disagreed.\n\n"
        '"The pier will not hold," he said.\n'
    )
    got = _speakers(quote_extractor, text)
    assert got["The pier will not hold"] in ("Hans Dorn", None)


def test_a_description_of_a_woman_is_no_he(quote_extractor: QuoteExtractor) -> None:
    text = (
        "Hans Dorn runs the port. He said the pier was safe.\n\n"
        "A spokeswoman for the harbour authority said boats would keep sailing. "
        '"Nothing changes for now," he said.\n'
    )
    got = _speakers(quote_extractor, text)
    assert got["Nothing changes for now"] != "a spokeswoman for the harbour authority"


def test_a_census_given_name_keeps_he_from_a_woman(quote_extractor: QuoteExtractor) -> None:
    text = (
        "Mabel Quist, the mayor, opened the bridge on Tuesday. "
        '"It is finished," Quist told reporters.\n\n'
        'The crowd cheered. "It took too long," he said.\n'
    )
    got = _speakers(quote_extractor, text)
    assert got["It is finished"] == "Mabel Quist"
    assert got["It took too long"] != "Mabel Quist"


def test_a_definite_description_is_the_one_person_described_so_before(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Former Harbor City mayor Tomas Ekvall spoke in Eastport on Tuesday. "
        '"We can win this," the former mayor said.\n\n'
        'Rita Lund, 46, a retired actress, joined him. "I came for him," the 46-year-old said. '
        '"It was worth it," the actress added.\n'
    )
    got = _speakers(quote_extractor, text)
    assert got["We can win this"] == "Tomas Ekvall"
    assert got["I came for him"] == "Rita Lund"
    assert got["It was worth it"] == "Rita Lund"


def test_a_description_that_fits_two_people_or_nobody_stays_the_description(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Former mayor Tomas Ekvall and former mayor Jon Berg met on Tuesday. "
        '"We agreed on little," the former mayor said.\n\n'
        'Governor Rita Lund stayed away. "Nothing new," the actress said.\n'
    )
    got = _speakers(quote_extractor, text)
    assert got["We agreed on little"] == "the former mayor"
    assert got["Nothing new"] == "the actress"
