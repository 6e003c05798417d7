"""Hostile text for the text entry points: a corpus of our own generated inputs, the entry
points themselves, and a time budget per call. Used by tests/summaries/test_hostile.py and by
bench/hostile.py.

An input is a recipe, `[[piece, times], ...]`: the text is each piece repeated that many times,
in order (so a 70-dot leader is `[["Watford ", 1], [".", 70], ["W", 1]]`; `{i}` in a piece is
the repetition's number). The corpus is the
folder tests/summaries/hostile/, one JSON file per input: `{"why": ..., "parts": [...]}`.
"""

from __future__ import annotations

import contextlib
import json
import signal
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bot import router
from summaries.answers import phrases, questions, search
from summaries.ingest import dates, extract, feeds, jobs
from summaries.types import NewsbriefError
from summaries.understand import people, text
from summaries.understand.embed import Embedder
from summaries.understand.faithfulness import check_faithful
from summaries.understand.quotes import QuoteExtractor
from summaries.understand.quotes.persons import PersonRegistry
from summaries.understand.summarize import (
    ExtractiveSummarizer,
    LeadSummarizer,
    is_junk_sentence,
    unattributed_quotes,
)

CORPUS = Path(__file__).resolve().parent / "summaries" / "hostile"
# CPU seconds one entry point may take on one input: generous; a quadratic or exponential
# pattern takes minutes or never ends on these inputs.
BUDGET = 5.0

# What hostile text is made of: runs of punctuation and quote marks, dots before a letter,
# brackets, blanks, control and invisible characters, names and cues, markup, other scripts.
ATOMS = (
    *".…!?,;:|-—–/\\&#@*_~`",
    *"\"'“”„«»‘’‹›",
    *"()[]{}<>",
    " ", "\n", "\n\n", "\t", "\r", "\u00a0", "\u2028", "\x00", "\x07", "\x1b", "\x85",
    "\u202e", "\u200b", "\ufeff", "\u0301", "\ud800",
    "A", "a", "W", "0", "1,000", "Aa ", "J. ", "U.S.", "Mr. ", "Sen. ", "of ", "said", " he said, ",
    ', "', '," she said. "', "according to ", "— Jo Roe\n", "JO ROE: ", "Jo Roe: ",
    "<p>", "</p>", "<a href='", "&amp;", "&#", "<![CDATA[", "<@U1|", "https://", "www.",
    "Привет ", "你好", "مرحبا ", "שלום ", "😀", "x" * 40,
)  # fmt: skip
COMMANDS = ("today", "summarize", "whosaid", "quotes", "ask", "follow", "filter", "help")
SOURCES = ("Reuters", "The Guardian", "BBC News")


class OverBudget(Exception):
    """An entry point took longer than its budget on one input."""


def build(parts: list[tuple[str, int]] | list[list[Any]]) -> str:
    """The text of a recipe: each piece repeated its number of times, in order; a piece with
    `{i}` in it has the repetition's number there (0, 1, 2...), for many distinct words."""
    out = []
    for piece, times in parts:
        if "{i}" in str(piece):
            out.extend(str(piece).replace("{i}", str(i)) for i in range(int(times)))
        else:
            out.append(str(piece) * int(times))
    return "".join(out)


def corpus() -> dict[str, str]:
    """The regression corpus: input name -> text."""
    out = {}
    for path in sorted(CORPUS.glob("*.json")):
        out[path.stem] = build(json.loads(path.read_text(encoding="utf-8"))["parts"])
    return out


@contextlib.contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Run the block with a budget of CPU time (this process's, all threads): past it
    OverBudget is raised inside it, since Python's regex engine and loops check for signals, so
    a runaway pattern is stopped, not waited for. CPU time rather than wall time, so a loaded
    machine does not make it fail. Main thread only."""

    fired = False

    def over(signum: int, frame: object) -> None:
        nonlocal fired
        fired = True
        raise OverBudget(f"{what} took more than {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGPROF, over)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    if fired:  # the code caught OverBudget itself (an `except Exception`) and went on
        raise OverBudget(f"{what} took more than {seconds:g} s of CPU time")


def timed(call: Callable[[], object], what: str, budget: float = BUDGET) -> float:
    """CPU seconds `call` took; OverBudget past `budget`. A NewsbriefError is a fine answer to
    hostile input (a clear error); anything else escapes."""
    started = time.process_time()
    with within(budget, what), contextlib.suppress(NewsbriefError):
        call()
    elapsed = time.process_time() - started
    if elapsed > budget:  # a signal can only land between bytecodes
        raise OverBudget(f"{what} took {elapsed:.1f} s of CPU time, more than {budget:g} s")
    return elapsed


def _xml(value: str) -> str:
    return escape(value.encode("utf-8", "replace").decode("utf-8"))


def rss(value: str) -> bytes:
    """An RSS document carrying `value` in its item's description, and its start in the other
    fields feedparser and we read."""
    v = _xml(value)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{v[:300]}</title><link>https://example.org/</link>"
        f"<item><title>{v[:2000]}</title><link>https://example.org/a</link>"
        f"<author>{v[:500]}</author><pubDate>{v[:100]}</pubDate><description>{v}</description>"
        "</item></channel></rss>"
    ).encode("utf-8", "replace")


def json_feed(value: str) -> bytes:
    """A JSON Feed carrying `value` as its item's content, and its start in the other fields."""
    item = {"id": "1", "url": "https://example.org/a", "title": value[:2000]}
    item |= {"content_html": value, "summary": value[:2000], "date_published": value[:100]}
    item |= {"authors": [{"name": value[:500]}]}
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": value[:300], "items": [item]}
    return json.dumps(doc).encode("utf-8", "replace")


def page(value: str) -> str:
    """An HTML page whose title and article paragraphs are `value`."""
    v = _xml(value)
    body = "</p><p>".join(v.split("\n\n"))
    return (
        f"<html><head><title>{v[:300]}</title><meta name='author' content='{v[:200]}'></head>"
        f"<body><article><h1>{v[:300]}</h1><p>{body}</p></article></body></html>"
    )


def warm_up(quote_extractor: QuoteExtractor, embedder: Embedder) -> None:
    """Load the models now, outside any budget."""
    quote_extractor.extract('"We will open the bridge in the spring," said Mayor Ann Reed.')
    embedder.encode(["The council voted to repair the old stone bridge."])


def entry_points(
    quote_extractor: QuoteExtractor, embedder: Embedder
) -> dict[str, Callable[[str], object]]:
    """Every entry point that reads text from outside, as `name -> call(text)`."""
    extractive = ExtractiveSummarizer(embedder)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return {
        "sentences": text.sentence_spans,
        "paragraphs": text.split_paragraphs,
        "quote marks": text.quotation_spans,
        "invisible": lambda t: text.normalize_whitespace(text.strip_invisible(t)),
        "quotes": lambda t: quote_extractor.extract(t, title=t[:300] or None),
        "quotes untitled": quote_extractor.extract,
        "people": lambda t: PersonRegistry.from_text(t).resolve(t[:200]),
        "names": lambda t: (people.split_title(t), people.name_key(t), people.same_person(t, t)),
        "dates": lambda t: (dates.rfc822_datetime(t[:100]), dates.rfc822_datetime(t)),
        "feed raw": lambda t: feeds.parse(t.encode("utf-8", "replace")),
        "feed rss": lambda t: feeds.parse(rss(t), url="https://example.org/feed"),
        "feed json": lambda t: feeds.parse(json_feed(t), url="https://example.org/feed"),
        "feed discovery": lambda t: feeds.discover(page(t), base_url="https://example.org/"),
        "feed discovery raw": lambda t: feeds.discover(t, base_url="https://example.org/"),
        "extract html": lambda t: extract.extract_html(page(t), url="https://example.org/a"),
        "extract raw": lambda t: extract.extract_html(t.encode("utf-8", "replace")),
        "extract text": extract.from_text,
        "summary lead": lambda t: LeadSummarizer().summarize(t, title=t[:300]),
        "summary extractive": lambda t: extractive.summarize(t, title=t[:300]),
        "unattributed": unattributed_quotes,
        "junk": is_junk_sentence,
        "faithfulness": lambda t: check_faithful(t[:2000], t),
        "passages": jobs.passage_spans,
        "question": lambda t: questions.parse_question(t, now=now, sources=list(SOURCES)),
        "about": questions.split_about,
        "phrases": lambda t: (
            phrases.locate(t[:300], t),
            phrases.phrase_match(t[:300], t),
            phrases.sentence_around(t, len(t) // 3, len(t) // 2),
        ),
        "search terms": lambda t: (search.terms(t), search.topic_words(t)),
        "router": lambda t: router.route(t, COMMANDS, sources=SOURCES),
    }
