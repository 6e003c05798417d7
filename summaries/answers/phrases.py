"""Where and how fully a text says a phrase: word-level matching, pure functions."""

from __future__ import annotations

import bisect
import itertools
import re

from summaries.answers import search

GAP = 8  # words of an article skipped while following a phrase (an attribution in between)
# Places in one text a phrase is followed from, at most: each costs up to GAP steps per word of
# the phrase, and a long text of common words would offer that many thousand places.
MAX_STARTS = 2000

_WORDS = re.compile(r"\w+")


def phrase_match(phrase: str, text: str) -> float:
    """How well `text` says `phrase` (0 to 1): its words, its content words, and its word pairs
    in order all count, so a phrase of common words ("that he said") matches little by chance.
    """
    cover = search.coverage(phrase, text)
    content = search.topic_words(phrase)
    if content:
        have = {search._stem(w) for w in search.terms(text, limit=100_000)}
        cover = min(cover, len(content & have) / len(content))
    said = [search._stem(w) for w in _WORDS.findall(phrase.casefold())]
    pairs = set(itertools.pairwise(said))
    if not pairs:
        return cover
    words = [search._stem(w) for w in _WORDS.findall(text.casefold())]
    ordered = len(pairs & set(itertools.pairwise(words))) / len(pairs)
    return 0.5 * cover + 0.5 * ordered


def locate(phrase: str, text: str) -> tuple[float, list[int]] | None:
    """Where `text` says `phrase` best: the share of its words said there, in order, and the
    offsets of those words; None when it never starts to.

    The phrase's words are followed in order from each place one of its first words occurs,
    skipping up to GAP words of the text in all (an attribution, a sentence break) and any
    word of the phrase the text lacks there; from the first MAX_STARTS such places at most.
    """
    wanted = [search._stem(w) for w in _WORDS.findall(phrase.casefold())]
    if not wanted:
        return None
    marks = list(_WORDS.finditer(text.casefold()))
    stems = [search._stem(m.group()) for m in marks]
    offsets = [m.start() for m in marks]
    content = search.topic_words(phrase)
    starts = set(wanted[:2])
    best: tuple[float, list[int]] | None = None
    tried = 0
    for i, stem in enumerate(stems):
        if stem not in starts:
            continue
        tried += 1
        if tried > MAX_STARTS:
            break
        k, skipped, hits = i, 0, []
        for word in wanted:
            for j in range(k, min(k + GAP - skipped + 1, len(stems))):
                if stems[j] == word:
                    hits.append(marks[j].start())
                    skipped += j - k
                    k = j + 1
                    break
        said = {stems[bisect.bisect_left(offsets, h)] for h in hits}
        score = len(hits) / len(wanted)
        if content:
            # Common words turn up anywhere: the phrase's content words must be said too.
            score = min(score, len(content & said) / len(content))
        if best is None or score > best[0]:
            best = (score, hits)
            if score >= 1.0:
                break  # said in full: no later place can do better
    return best


# Possessive: whitespace that no capital follows is given up at once, not space by space.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*+\s++(?=[\"'“‘(]?[A-Z0-9])|\n")


def sentence_around(text: str, first: int, last: int) -> tuple[int, int]:
    """The span of the sentence(s) of `text` from offset `first` to offset `last`."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, first):
        start = m.end()
    after = _SENTENCE_END.search(text, last)
    return start, after.start() + 1 if after else len(text)
