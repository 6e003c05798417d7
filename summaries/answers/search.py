"""Search helpers: safe full-text query terms from free text, and topic matching; pure functions."""

from __future__ import annotations

import functools
import re
import unicodedata

_TERM = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16
# Words too common to narrow a topic ("what did X say about the war in Y").
_TOPIC_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "about",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "their",
        "our",
        "your",
        "my",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "what",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "did",
        "does",
        "do",
        "say",
        "said",
        "says",
        "tell",
        "told",
        "talk",
        "talked",
        "news",
        "latest",
        "any",
        "some",
    ]
)


def terms(text: str, *, limit: int = MAX_TERMS) -> list[str]:
    """The words of `text`, case-folded and deduplicated, for a full-text query.

    Only letters and digits survive, so no query syntax (quotes, NEAR, *, :, -) can reach the
    database from what a user typed.
    """
    seen: dict[str, None] = {}  # ordered, and asked in constant time: limits run to 100,000
    folded = unicodedata.normalize("NFKC", text).casefold()
    for word in _TERM.findall(folded):
        word = word.strip("_")
        if word and word not in seen:
            seen[word] = None
        if len(seen) >= limit:
            break
    return list(seen)


@functools.lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    for suffix in ("'s", "ies", "es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# The English stop words of PostgreSQL's (Snowball's) list: the 'english' text search leaves them
# out of documents and queries; the SQLite full-text search leaves them out of its queries.
COMMON_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now""".split()
)


def searched_words(words: list[str]) -> list[str]:
    """The words of a full-text query (from `terms`) worth asking for: those not in
    COMMON_WORDS, or all of them when every one is. A common word is in most rows: it narrows
    the matches little, weighs next to nothing in their ranking (bm25), and reading where it
    occurs costs most of a query at 100,000 articles."""
    return [w for w in words if w not in COMMON_WORDS] or words


def holds_words(text: str, words: list[str]) -> bool:
    """Whether `text` holds each of `words` (from `terms`) as a word of its own, as a
    full-text index would match them: case, accents and endings aside (light stems)."""
    if not words:
        return True
    folded = text.casefold()
    if text.isascii() and any(_stem(w) not in folded for w in words):
        return False  # a word's stem begins each word that has it
    if not text.isascii():
        text = _unaccented(text)
    have = {_stem(w) for w in terms(text, limit=100_000)}
    return all(_stem(w) in have for w in words)


def _unaccented(text: str) -> str:
    """`text` without combining accents (é → e), as SQLite's unicode61 tokenizer folds them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def topic_words(topic: str) -> set[str]:
    """The content words of a topic, lightly stemmed."""
    return {_stem(w) for w in terms(topic) if w not in _TOPIC_STOPWORDS}


def topic_overlap(topic: str, text: str) -> float:
    """The share of the topic's content words that `text` mentions (0.0 to 1.0)."""
    return _share(topic_words(topic), text)


def coverage(phrase: str, text: str) -> float:
    """The share of the phrase's words (all of them, stop words too) found in `text`."""
    return _share({_stem(w) for w in terms(phrase)}, text)


def _share(wanted: set[str], text: str) -> float:
    """The share of the stemmed words `wanted` that `text` has (0.0 when none are wanted)."""
    if not wanted:
        return 0.0
    have = {_stem(w) for w in terms(text, limit=100_000)}
    return len(wanted & have) / len(wanted)


def excerpt(text: str, phrase: str, *, max_chars: int = 320) -> str:
    """The part of a long quote that says `phrase`: its best-matching sentences, exact words.

    Text that fits in `max_chars` comes back whole; otherwise the best sentence and as many
    neighbours as fit, with "…" where words were left out.
    """
    if len(text) <= max_chars:
        return text
    from summaries.understand.text import sentence_spans  # local: text imports nothing from here

    spans = sentence_spans(text) or [(0, len(text))]
    scores = [coverage(phrase, text[a:b]) for a, b in spans]
    best = max(range(len(spans)), key=lambda i: (scores[i], -i))
    lo = hi = best
    while True:
        grown = False
        for cand in (hi + 1, lo - 1):
            if 0 <= cand < len(spans):
                a, b = spans[min(lo, cand)][0], spans[max(hi, cand)][1]
                if b - a <= max_chars:
                    lo, hi = min(lo, cand), max(hi, cand)
                    grown = True
                    break
        if not grown:
            break
    start, end = spans[lo][0], spans[hi][1]
    piece = text[start:end]
    if len(piece) > max_chars:  # one very long sentence: cut at a word boundary
        piece = piece[:max_chars].rsplit(" ", 1)[0]
        end = start + len(piece)
    return ("… " if start > 0 else "") + piece + (" …" if end < len(text) else "")
