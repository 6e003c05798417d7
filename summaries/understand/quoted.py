"""Quoted sentences given back their speaker, so a summary can carry a point made in a quote.

A sentence inside a quotation ("…both leaders told me that they are ready for peace.") says
nothing of who said it; lifted alone it would pass someone's words off as the article's. When
the quotation ends with an attribution that names its speaker (`…," Secretary Blinken said.`),
the sentence can be shown as `Secretary Blinken said: “…”` — the speaker's exact words and the
name and verb the article gives them, nothing else.
"""

from __future__ import annotations

import bisect
import re

from summaries.understand.quotes.words import SURE_CUES
from summaries.understand.text import normalize_whitespace, quotation_spans, sentence_spans

__all__ = ["SHOWN_QUOTE", "attributed_sentences"]

_NAME = r"(?:[A-Z][\w.'’-]*\s){0,3}[A-Z][\w.'’-]*"
_CUE = "|".join(sorted(SURE_CUES, key=lambda cue: (-len(cue), cue)))
# Right after the closing mark: `," Secretary Blinken said` or `," said Antony Blinken`. The
# marks and blanks before the name or verb are taken possessively (a letter must follow them),
# so a run of blanks is not split every way before failing.
_AFTER = re.compile(
    rf"[\"”’']?+\s*+,?+\s*+(?:(?P<name>{_NAME})\s+(?P<cue>{_CUE})\b|(?P<cue2>{_CUE})\s+(?P<name2>{_NAME}))"
)
_PRONOUNS = frozenset({"He", "She", "They", "It", "We", "I", "You", "This", "That"})
# A sentence as `attributed_sentences` shows it, `Secretary Blinken said: “…”`: who and verb,
# then the words.
SHOWN_QUOTE = re.compile(r"(?P<who>[^“”]{1,200}?: )“(?P<words>[^“”]*)”")
_EDGE_MARKS = "\"“”'‘’ ,"


def attributed_sentences(
    text: str,
    *,
    spans: list[tuple[int, int]] | None = None,
    quotations: list[tuple[tuple[int, int], ...]] | None = None,
) -> dict[int, str]:
    """Per index of a sentence of `text` (as `sentence_spans` gives them) that lies inside a
    quotation whose attribution names its speaker: the sentence shown with that speaker.

    The sentence holding the attribution itself is left out: it names its speaker already.
    `spans` and `quotations`, when given, are `text`'s sentence_spans and quotation_spans.
    """
    if spans is None:
        spans = sentence_spans(text)
    if quotations is None:
        quotations = quotation_spans(text)
    starts = [a for a, _ in spans]
    out: dict[int, str] = {}
    for quotation in quotations:
        end = quotation[-1][1]
        m = _AFTER.match(text, end, min(len(text), end + 120))
        if not m:
            continue
        name = m.group("name") or m.group("name2")
        cue = m.group("cue") or m.group("cue2")
        if not name or name.split()[0] in _PRONOUNS:
            continue
        for start, stop in quotation:
            first = max(0, bisect.bisect_right(starts, start) - 1)
            for i in range(first, len(spans)):
                a, b = spans[i]
                if a >= stop:
                    break
                if b <= end + 1:  # wholly quoted, not the attribution's own sentence
                    inside = min(b, stop) - max(a, start)
                    if inside >= 0.8 * (b - a) and i not in out:
                        words = normalize_whitespace(text[a:b]).strip(_EDGE_MARKS)
                        out[i] = f"{name} {cue}: “{words}”"
    return out
