"""The speaker-confidence model: the shipped weights load and fit the features the extractor
computes; training is deterministic and the runtime scorer computes what training fitted."""

import json
from pathlib import Path

import numpy as np
import pytest

from summaries.understand.quotes import QuoteExtractor
from summaries.understand.quotes.article import Article
from summaries.understand.quotes.confidence import (
    Logistic,
    SpeakerModel,
    _common_any,
    _in_heading,
    fit,
    fit_ranking,
    source_noun,
    thing_speaker,
    verb_subject,
)

# Our own sentences, with who says each quotation as a reader sees it: the rules get some
# right and some wrong, so there is something to learn.
FIXTURE = [
    ('"We will open the bridge in May," Mayor Ida Lund said on Monday.', "Ida Lund"),
    ('Ida Lund, the mayor, said: "It will be free for cyclists."', "Ida Lund"),
    ('"The budget is tight," said Tom Berg, the city treasurer.', "Tom Berg"),
    ('Tom Berg warned the council. "We cannot afford a second bridge."', "Tom Berg"),
    ('"I disagree," Berg told reporters. "The toll pays for it."', "Berg"),
    ('The council met in Oslo. "Nobody asked us," a resident shouted.', "a resident"),
    ('"Shocking," the newspaper wrote of the plan.', "the newspaper"),
    (
        "The mayor, Ida Lund, spoke first. Then Tom Berg took the stage. "
        '"We have no money left for the bridge," the treasurer said after her speech.',
        "the treasurer",
    ),
    ('Ida Lund praised Tom Berg. "He has done more for this town than anyone I know."', "Ida Lund"),
    (
        'Critics of Tom Berg, including Ida Lund, gathered outside. "This plan will ruin the '
        'harbour."',
        "critics",
    ),
    (
        "Asked about Ida Lund, the treasurer Tom Berg shrugged. "
        '"She knows the numbers better than anyone," an aide to Lund said.',
        "an aide to Lund",
    ),
    (
        "The report on Tom Berg was published on Monday. "
        '"Nobody saw the invoices until it was too late," it said.',
        "the report",
    ),
]


def _traced(extractor: QuoteExtractor) -> tuple[list[dict[str, float]], list[int]]:
    """The features of each attribution the rules make in FIXTURE, and whether it is right."""
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    for text, who in FIXTURE:
        extractor.trace = {}
        for q in extractor.extract(text):
            seen = extractor.trace.get(q.spans, {})
            if q.speaker is not None and "sure" in seen:
                feats.append(seen["sure"])
                labels.append(int(q.speaker == who))
    return feats, labels


def test_shipped_model_loads_and_knows_every_feature_the_extractor_computes(
    quote_extractor: QuoteExtractor,
) -> None:
    model = SpeakerModel.load()
    extractor = QuoteExtractor(quote_extractor.model())
    feats, _ = _traced(extractor)
    assert feats
    assert set(model.sure.names) == set(feats[0])
    assert 0.0 < model.sure.threshold < 1.0
    for f in feats:
        assert 0.0 <= model.sure.score(f) <= 1.0


def test_training_is_deterministic_and_the_runtime_scorer_agrees(
    quote_extractor: QuoteExtractor,
) -> None:
    feats, labels = _traced(QuoteExtractor(quote_extractor.model()))
    assert 0 < sum(labels) < len(labels)  # both right and wrong attributions to learn from
    names = tuple(sorted(feats[0]))
    x = np.array([[f[n] for n in names] for f in feats])
    y = np.array(labels)
    first = fit(names, x, y, penalty=1.0, threshold=0.5)
    second = fit(names, x, y, penalty=1.0, threshold=0.5)
    assert first.to_dict() == second.to_dict()
    # The JSON form, as shipped, scores each attribution as the fitted weights do.
    shipped = Logistic.from_dict(json.loads(json.dumps(first.to_dict())))
    fitted = first.probability(x)
    for f, p in zip(feats, fitted, strict=True):
        assert abs(shipped.score(f) - p) < 1e-4
    # What it learned points the right way on what it was trained on.
    assert fitted[y == 1].mean() > fitted[y == 0].mean()


def test_a_model_never_sure_leaves_every_quote_unattributed(
    quote_extractor: QuoteExtractor,
) -> None:
    text, _ = FIXTURE[0]
    model = SpeakerModel.load()
    doubting = SpeakerModel(model.sure.with_threshold(1.01), model.pronoun.with_threshold(1.01))
    trusting = SpeakerModel(model.sure.with_threshold(0.0), model.pronoun.with_threshold(0.0))
    plain = quote_extractor.extract(text)
    assert [q.speaker for q in plain] == ["Ida Lund"]
    assert QuoteExtractor(quote_extractor.model(), trusting).extract(text) == plain
    doubted = QuoteExtractor(quote_extractor.model(), doubting).extract(text)
    assert [(q.text, q.speaker) for q in doubted] == [(plain[0].text, None)]


def test_the_pronoun_model_picks_the_person_the_pronoun_agrees_with(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Ida Lund met voters in the square while Tom Berg stayed home. Mrs. Lund was tired. "
        '"I will fight for every vote in this town," he said.'
    )
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    extractor.trace = {}
    (quote,) = extractor.extract(text)
    names = [name for name, _ in extractor.trace[quote.spans]["pronoun"]]
    assert "Tom Berg" in names
    assert "Ida Lund" not in names  # "Mrs." says she is no "he"
    assert (quote.speaker, quote.speaker_mention) == ("Tom Berg", "he")


def test_who_is_named_between_a_pronoun_and_its_quotation_is_no_candidate_for_it(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Governor Rick Ames signed the bill on Monday. Tom Baxter, the union leader, was not "
        'impressed.\n\nHe accused Ames of "selling out every worker in the state."'
    )
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    extractor.trace = {}
    (quote,) = extractor.extract(text)
    feats = dict(extractor.trace[quote.spans]["pronoun"])
    # Ames stands after "He" in its sentence: the one accused, not the last person named
    # before "He" (who is Tom Baxter).
    assert feats["Tom Baxter"]["recency_rank"] < feats["Rick Ames"]["recency_rank"]
    assert quote.speaker == "Tom Baxter"


def test_pronoun_candidates_know_who_opens_the_paragraph_and_the_one_before(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Eero Lund opened the market on Monday with Tom Berg.\n\n"
        'Berg thanked the traders at noon, and Lund left. "We will build the bridge," he said.'
    )
    model = SpeakerModel.load()
    extractor = QuoteExtractor(quote_extractor.model(), model)
    extractor.trace = {}
    (quote,) = extractor.extract(text)
    feats = dict(extractor.trace[quote.spans]["pronoun"])
    assert feats["Tom Berg"]["paragraph_first"] == 1.0
    assert feats["Tom Berg"]["paragraph_before_first"] == 0.0
    assert feats["Eero Lund"]["paragraph_before_first"] == 1.0
    assert feats["Eero Lund"]["paragraph_first"] == 0.0
    # The shipped ranking model was fitted on exactly the features computed here.
    assert set(model.pronoun.names) == set(feats["Tom Berg"])


def test_a_name_before_a_verb_stands_as_a_clause_subject() -> None:
    cases = [
        ("Jo Roe, the mayor of Oslo, said it was late.", True),
        ("Rep. Jo Roe (D-Ohio) also addressed the crowd.", True),
        ("Later Roe himself was delighted.", True),
        ("Roe all but begged them to stay.", True),
        ("Roe took the stage at noon.", True),
        ("Jo Roe, an aide to George W. Bush, also questioned it.", True),
        ("Roe, who has run the port for years, went out of her way, citing costs.", True),
        ("Roe, Berg and Lund met at noon.", False),
        ("Roe supporters filled the hall.", False),
        ("Roe's office declined to comment.", False),
        ("It was a win for Roe and her allies.", False),
    ]
    for text, subject in cases:
        name = "Jo Roe" if "Jo Roe" in text else "Roe"
        assert verb_subject(text, text.index(name), name) is subject, text


def test_a_role_with_its_organisation_before_a_verb_stands_as_a_clause_subject() -> None:
    cases = [
        (
            "But a spokesperson for the Harbor and Coast Employers’ Association (HCEA) said so.",
            True,
        ),
        ("A spokeswoman for Harbor Rail declined to comment.", True),
        ("Jo Roe of the Harbor Party then resigned.", True),
        ("It was a win for a spokesperson for Harbor Rail and her allies.", False),
    ]
    for text, subject in cases:
        name = next(n for n in ("a spokesperson", "A spokeswoman", "Jo Roe") if n in text)
        assert verb_subject(text, text.index(name), name) is subject, text


def test_a_person_brought_in_as_a_subject_since_the_last_quote_is_a_pronouns_candidate(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        'Tom Berg opened the debate on the bridge. "We need it now," Berg said.\n\n'
        "At the harbour, Pete Olsen, the port manager, warned the council. "
        '"It will cost far too much," he said.'
    )
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    extractor.trace = {}
    _, quote = extractor.extract(text)
    feats = dict(extractor.trace[quote.spans]["pronoun"])
    assert feats["Pete Olsen"]["para_subject_last"] == 1.0
    assert feats["Pete Olsen"]["subject_since_quote"] == 1.0
    assert feats["Tom Berg"]["resolved_last"] == 1.0  # the speaker before ...
    assert feats["Tom Berg"]["para_subject_last"] == 0.0  # ... is not this paragraph's subject
    assert feats["Tom Berg"]["subject_since_quote"] == 0.0
    assert (quote.speaker, quote.speaker_mention) == ("Pete Olsen", "he")


def test_a_one_word_name_the_registry_lacks_is_placed_where_the_text_last_names_it(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Tom Berg led the review of the night.\n\n"
        "The officer, known only as Bob, spoke to the panel. Bob said the team had waited "
        'for orders. "We were ready to go," he said.'
    )
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    extractor.trace = {}
    (quote,) = extractor.extract(text)
    feats = dict(extractor.trace[quote.spans]["pronoun"])
    assert feats["Bob"]["unseen"] == 0.0
    assert feats["Bob"]["recency_rank"] == 0.0
    assert feats["Bob"]["verb_subject"] == 1.0
    assert feats["Tom Berg"]["recency_rank"] == 1.0
    assert quote.speaker == "Bob"


def test_a_malformed_model_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"sure": {"names": ["a"], "mean": [0.0]}}), encoding="utf-8")
    with pytest.raises(ValueError, match="malformed"):
        SpeakerModel.load(path)
    good = SpeakerModel.load().to_dict()
    good["sure"]["coef"] = good["sure"]["coef"][:-1]
    path.write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(ValueError, match="differ in length"):
        SpeakerModel.load(path)


def test_with_the_model_the_seed_article_keeps_its_speaker(quote_extractor: QuoteExtractor) -> None:
    samples = Path(__file__).resolve().parents[4] / "bot" / "samples"
    judged = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    seed = (samples / "armenia-azerbaijan-blinken.txt").read_text(encoding="utf-8")
    assert [q.speaker for q in judged.extract(seed)] == ["Antony Blinken"] * 4


def test_the_ranking_model_learns_which_rival_is_the_one_and_reads_back_as_fitted() -> None:
    # Three places with rival candidates: the nearer one (small distance) is right in two of
    # three, the one of agreeing gender in all three.
    names = ("distance", "gender_agree")
    x = np.array([[0, 1], [2, 0], [0, 0], [1, 1], [0, 1], [3, 0], [1, 0]], dtype=float)
    y = np.array([1, 0, 0, 1, 1, 0, 0])
    groups = np.array([0, 0, 1, 1, 2, 2, 2])
    first = fit_ranking(names, x, y, groups, penalty=0.1)
    assert first.to_dict() == fit_ranking(names, x, y, groups, penalty=0.1).to_dict()
    assert first.coef[1] > 0 and first.coef[1] > abs(first.coef[0])
    shipped = Logistic.from_dict(json.loads(json.dumps(first.to_dict())))
    for g in range(3):
        rows = x[groups == g]
        chances = shipped.choice(rows)
        assert abs(chances.sum() - 1.0) < 1e-9
        assert np.allclose(chances, first.choice(rows), atol=1e-4)
        assert y[groups == g][int(np.argmax(chances))] == 1


def test_a_description_names_a_source_when_its_head_is_a_person_or_a_body() -> None:
    for mention in ("a spokeswoman", "the ministry", "critics", "Lund aides", "two economists"):
        assert source_noun(mention), mention
    for mention in ("her record", "their meeting", "10,000 times", "the promise"):
        assert not source_noun(mention), mention


def test_a_quotation_going_on_with_a_pronoun_speaker_is_as_sure_as_the_first(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Tom Berg met Ida Lund on Monday. Berg spoke about the bridge.\n\n"
        '"We are tired," he said. "But we are not finished."'
    )
    model = SpeakerModel.load()
    sure = SpeakerModel(model.sure, model.pronoun.with_threshold(0.0))
    unsure = SpeakerModel(model.sure, model.pronoun.with_threshold(1.01))
    got = QuoteExtractor(quote_extractor.model(), sure).extract(text)
    assert [q.speaker for q in got] == ["Tom Berg", "Tom Berg"]
    # Unsure who "he" is: the words after it are not given a name either.
    got = QuoteExtractor(quote_extractor.model(), unsure).extract(text)
    assert [(q.speaker, q.cue) for q in got] == [(None, None), (None, None)]


def test_words_of_a_heading_are_known_as_such() -> None:
    text = (
        "Mayor Ida Lund Says Bridge Will Open Soon\n\n"
        "The mayor says the bridge will open in May. Tom Berg disagreed.\n"
    )
    assert _in_heading(text, text.index("Lund"))
    assert not _in_heading(text, text.index("Berg"))
    art = Article.of(text, None, 0, limit=len(text))
    # "Will" and "Open" are written lowercase in the body; "Lund" and "Berg" are not.
    assert _common_any(art, "Bridge Will Open")
    assert not _common_any(art, "Ida Lund")
    assert not _common_any(art, "Tom Berg")


def test_an_amount_or_a_thing_of_someones_is_no_source_but_people_and_bodies_are() -> None:
    things = ("72 percent", "31%", "10,000 times", "some", "others", "their meeting",
              "her record", "the rejection", "his meeting")  # fmt: skip
    for name in things:
        assert thing_speaker(name), name
    sources = ("the mayor", "a spokeswoman", "the ministry", "the administration", "his campaign",
               "his colleague", "the organizers", "the report", "The New York Times", "the Times",
               "the Lund Foundation", "Ida Lund", "the senator's aides", "")  # fmt: skip
    for name in sources:
        assert not thing_speaker(name), name


def test_an_amount_that_speaks_leaves_the_quote_unattributed(
    quote_extractor: QuoteExtractor,
) -> None:
    (q,) = quote_extractor.extract(
        "The poll of likely voters came out on Monday. Fewer than 72 percent said the race "
        'was "a total mess for everyone."'
    )
    assert q.speaker is None and q.cue is None
    (q,) = quote_extractor.extract(
        'The poll came out on Monday. A spokeswoman said the race was "a total mess for everyone."'
    )
    assert q.speaker == "a spokeswoman"


def test_a_word_that_opens_a_sentence_is_no_candidate_for_he(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Tom Berg, the treasurer, spoke to the council on Monday about the cost of the bridge. "
        '"We cannot pay for it," Berg said.\n\n'
        'Cost estimates, he added, were "far too low for a bridge of that size."'
    )
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    extractor.trace = {}
    quotes = extractor.extract(text)
    last = quotes[-1]
    names = [name for name, _ in extractor.trace[last.spans].get("pronoun", [])]
    assert "Cost" not in names
    assert last.speaker in (None, "Tom Berg")


def _pronoun_candidates(extractor: QuoteExtractor, text: str) -> dict[str, dict[str, float]]:
    """The pronoun model's candidates, with their features, for the last quotation of text."""
    extractor.trace = {}
    last = extractor.extract(text)[-1]
    assert last.speaker_mention in ("he", "she")
    return dict(extractor.trace[last.spans]["pronoun"])


@pytest.mark.parametrize(
    "text, name",
    [
        (  # brought in after a title, in a "who said" clause of the paragraph before
            "Ida Lund, the mayor, defended the harbour plan on Thursday.\n\n"
            "Lund's plan was backed on Friday by Sen. Maribel Quist of Oregon, the ranking "
            "Democrat on the transport committee, who said none of the money came from Lund.\n\n"
            '"It has never made sense to me that the mayor is blamed for this," she said.',
            "Maribel Quist",
        ),
        (  # named in an "according to" phrase just before
            "Ida Lund led the poll in May, and her rivals trailed.\n\n"
            "The Daily Harbour, which had mocked Lund for months, said it would cover the race "
            "as news. That coverage will come with a firm line, according to a post from "
            "Arianna Quist.\n\n"
            '"We will not pretend this is a normal campaign," she wrote.',
            "Arianna Quist",
        ),
    ],
)
def test_a_person_named_just_before_whom_the_registry_missed_is_a_pronouns_candidate(
    quote_extractor: QuoteExtractor, text: str, name: str
) -> None:
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    feats = _pronoun_candidates(extractor, text)
    assert name in feats
    assert feats[name]["scanned"] == 1.0
    assert feats[name]["unseen"] == 0.0  # placed where the text names her
    assert feats[name]["recency_rank"] == 0.0  # the person named last


def test_a_town_or_a_state_written_just_before_is_no_candidate_for_she(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        "Ida Lund, the mayor, opened the harbour on Monday.\n\n"
        "At a rally in Milwaukee this spring, and again in Huntsville, Ala., she described "
        'the bridge as "a gift to every family."'
    )
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    extractor.trace = {}
    last = extractor.extract(text)[-1]
    names = [n for n, _ in extractor.trace.get(last.spans, {}).get("pronoun", [])]
    assert not {"Milwaukee", "Huntsville", "Ala"} & set(names)
    assert last.speaker == "Ida Lund"


def test_whether_the_rules_pick_is_the_subject_of_the_sentence_before_is_a_feature(
    quote_extractor: QuoteExtractor,
) -> None:
    text = (
        'Eva Berg praised the harbour plan. "It is a fine plan," Berg said. The vote is in May.\n\n'
        "Ida Lund, the treasurer, warned the council on Monday. "
        '"It will cost far too much," she said.'
    )
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    feats = _pronoun_candidates(extractor, text)
    assert feats["Ida Lund"]["rule"] == 1.0
    assert feats["Ida Lund"]["near_subject"] == 1.0
    assert feats["Ida Lund"]["rule_near_subject"] == 1.0
    assert feats["Eva Berg"]["near_subject"] == 0.0  # two sentences back and more
    assert feats["Eva Berg"]["rule_near_subject"] == 0.0


def test_a_name_before_a_negated_auxiliary_stands_as_a_clause_subject() -> None:
    cases = [
        ("The moderators moved on, but Roe wasn't having it.", True),
        ("Roe didn’t wait for the vote.", True),
        ("Roe hasn't said so.", True),
        ("Roe isn the word.", False),  # no apostrophe: no negated verb
    ]
    for text, subject in cases:
        assert verb_subject(text, text.index("Roe"), "Roe") is subject, text


def test_a_pronouns_antecedent_that_is_the_subject_of_its_own_sentence_stands(
    quote_extractor: QuoteExtractor,
) -> None:
    # The last quoted source (Karl Moen) is no rival for the subject of the pronoun's own
    # sentence: "Tom Vance ... the candidate he calls" is Vance's word.
    text = (
        "Harbor mayor faces a crowded race\n\n"
        "“There are many stories about him out there,” said Karl Moen, a former editor of the "
        "Harbor Gazette. “Voters will hear every one of them.”\n\n"
        "Alongside his other rivals, Governor Tom Vance has joined in, stepping up his mockery "
        "of the candidate he calls “Little Lars.”\n\n"
        "“What Little Lars is doing is buying the election,” Vance said."
    )
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    quotes = {q.text: q for q in extractor.extract(text)}
    assert quotes["Little Lars."].speaker == "Tom Vance"


def test_the_one_a_question_was_put_to_answers_not_the_asker(
    quote_extractor: QuoteExtractor,
) -> None:
    # The model alone ranks the asker, the clause's subject, first; the rules know that the
    # one asked answers.
    text = (
        "Talk host Mara Quill interviewed the pair at their home on Sunday.\n\n"
        "Quill asked Harold about his family and his time in the army.\n\n"
        "“It was hard, and I missed them every day,” he said."
    )
    extractor = QuoteExtractor(quote_extractor.model(), SpeakerModel.load())
    (quote,) = [q for q in extractor.extract(text) if not q.indirect]
    assert quote.speaker == "Harold"
    assert quote.speaker_mention == "he"
