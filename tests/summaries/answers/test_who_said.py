"""`Answerer.who_said`: a phrase alone, answered as `ask who said <phrase>` answers it."""

from __future__ import annotations

from datetime import UTC, datetime

from summaries.answers.answer import NOTHING, Answerer
from summaries.store import NewArticle, Store
from summaries.types import Quote
from tests.samples import TinyEmbedder


def _save(store: Store, text: str, said: str, speaker: str, **kw: object) -> None:
    start = text.index(said)
    quote = Quote(
        text=said,
        spans=((start, start + len(said)),),
        speaker=speaker,
        speaker_title=None,
        speaker_mention=speaker,
        cue="said",
        context=text,
    )
    store.save_article(
        NewArticle(
            text=text,
            url="https://news.example/1",
            title="Talks in New York",
            published=datetime(2026, 11, 2, 9, tzinfo=UTC),
            quotes=(quote,),
            **kw,  # type: ignore[arg-type]
        )
    )


def test_who_said_names_the_speaker_by_words_and_says_nothing_when_nobody_did(
    store: Store,
) -> None:
    said = "There is no military solution."
    _save(
        store, f"The ministers met on Monday. “{said}” Antony Blinken said.", said, "Antony Blinken"
    )
    answerer = Answerer(store)
    found = answerer.who_said("“there is no military solution”?")
    assert found.found and found.text == "Antony Blinken said it:"
    (top,) = found.citations
    assert (top.speaker, top.text, top.context) == ("Antony Blinken", said, None)
    assert top.quote_id is not None and top.score is not None and top.score >= 0.6
    nobody = answerer.who_said("unicorns run the budget office")
    assert (nobody.found, nobody.text, nobody.citations) == (False, NOTHING, ())
    no_words = answerer.who_said("???")
    assert not no_words.found and no_words.text.startswith("Tell me the words")


def test_who_said_finds_by_meaning_what_the_words_miss(store: Store) -> None:
    embedder = TinyEmbedder()
    said = "Both sides are ready for peace talks."
    _save(
        store,
        f"The ministers met on Monday. “{said}” Antony Blinken said.",
        said,
        "Antony Blinken",
        quote_vectors=embedder.encode([said]),
        embedding_model=embedder.name,
    )
    assert not Answerer(store).who_said("ready to make peace").found
    by_meaning = Answerer(store, embedder).who_said("ready to make peace")
    assert by_meaning.found and by_meaning.citations[0].speaker == "Antony Blinken"
