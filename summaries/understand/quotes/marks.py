"""Steps over the plain text that need no parse: which quote-mark pieces count, interrupted
quotes, attributions trailing a quote, signatures, and where a name stands."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from summaries.understand.people import NAME_RUN, SHORT_NAME_RUN
from summaries.understand.quotes.words import CUE_ALT, CUE_FORMS, NOT_ROLE_WORDS

_WORDISH = re.compile(r"\w")
_INTERRUPTION = re.compile(r"[\"”»“]\s+[^\"“”«».!?\n]+,\s*[\"“«]")
_CUE_WORD = re.compile(rf"\b(?:{CUE_ALT})\b|\baccording to\b", re.I)
_TRAILING = re.compile(
    rf"[,?!]?[\"”»“]?[,?!]?\s+(?!(?:but|and|or|as|when|while|before|after|because)\b)"
    rf"(?:(?:[\w.'’-]+\s+){{0,6}}(?:{CUE_ALT})|(?:{CUE_ALT})\s+[\w.'’-]+)\b"
)
# A quotation signed with a dash after it, as in lists of readers' comments:
# `"...." ― Jane Roe` (a description may follow the name: `― Jane Roe, 34, of Ohio`; a hyphen
# serves as the dash when it opens a line of its own: `"…"\n\n- Jane Roe.`). The
# signature ends its line, or runs straight into the next signed quotation when line breaks
# inside a paragraph were joined (pasted or extracted text).
_DASH_SIGNATURE = re.compile(
    rf"[\"”»'’.,!?\s]*(?:[―—–]|(?<=\n)-)\s*(?P<who>{NAME_RUN.pattern})\s*(?:[.,][^\n\"“”]{{0,80}})?"
    r"\s*(?:\n|$|(?=[\"“”]))"
)
# A transcript line: `SMITH: ...` or `Jane Roe: ...` opening the quoted words.
_TRANSCRIPT = re.compile(r"(?P<who>[A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,2}):\s")
# A transcript label before the quote mark: `LUND: "We are ready."` on a line of its own.
_LABEL_BEFORE = re.compile(
    r"[ \t]*(?P<who>[A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,2}):[ \t]*[\"“”'‘]"
)
# A full name as a label before the quote mark inside a line, after a dash or a role word:
# `Pollsters agree - Jo Roe: "…"`, `Republican pollster Jo Roe: "…"`; two authors too
# (`- Jo Roe and Al Berg: "…"`).
_LABEL_INLINE = re.compile(
    rf"(?:(?P<dash>[-—–])|(?P<word>[a-z][\w-]*))[ \t\u00a0]+"
    rf"(?P<who>{SHORT_NAME_RUN.pattern}(?:[ \t]+(?:and|&)[ \t]+{SHORT_NAME_RUN.pattern})?)"
    r"[ \t\u00a0]*:[ \t\u00a0]*[\"“”'‘]$"
)
_CLAUSE_OPEN = re.compile(r"(?:^|[.!?:;,—(]|\n)[\"“”’']?\s*((?:[a-z][\w-]* ){0,3})$")
# Not across a sentence's end or a line break: "... Believe In\nJo Roe said" has no word
# before Jo Roe.
_PREV_WORD = re.compile(r"(\w+)[^\w.!?\n]*\Z")


def has_words(text: str, pieces: Iterable[tuple[int, int]]) -> bool:
    """Whether any of the pieces of `text` holds a word character."""
    return any(_WORDISH.search(text[s:e]) for s, e in pieces)


def only_quotes(text: str, quotes: Sequence[tuple[int, int]]) -> bool:
    """Whether `text` is nothing but the quotations at `quotes` (and punctuation)."""
    rest = text
    for s, e in reversed(quotes):
        rest = rest[:s] + rest[e:]
    return not _WORDISH.search(rest)


def same_paragraph(text: str, a: int, b: int) -> bool:
    """Whether offsets `a` and `b` of `text` lie in one paragraph (no blank line between)."""
    return "\n\n" not in text[a:b] and not re.search(r"\n\s*\n", text[a:b])


def word_before(text: str, at: int) -> str | None:
    """The word just before offset `at` (punctuation between allowed), lowercased."""
    prev = _PREV_WORD.search(text, max(0, at - 12), at)
    return prev.group(1).lower() if prev is not None else None


def join_interrupted(
    text: str, quotations: list[tuple[tuple[int, int], ...]]
) -> list[tuple[tuple[int, int], ...]]:
    """Join `"A," he said, "b."` into one quotation: a quote ending in a comma, a short
    attribution ending in a comma, and a quote going on in the same sentence."""
    out: list[tuple[tuple[int, int], ...]] = []
    for q in quotations:
        if out:
            prev_end, start = out[-1][-1][1], q[0][0]
            gap = text[prev_end:start]
            if (
                text[prev_end - 1 : prev_end] == ","
                and len(gap) <= 80
                and _INTERRUPTION.fullmatch(gap)
                and _CUE_WORD.search(gap)
            ):
                out[-1] = out[-1] + q
                continue
        out.append(q)
    return out


def trailing_attribution(text: str, end: int) -> bool:
    """Whether a quotation ending at `end` is followed by its own attribution (`," X said`)."""
    close = text[max(0, end - 1) : end + 3]
    if not any(c in close for c in ",?!") or not any(c in close for c in '"”»“'):
        return False
    m = _TRAILING.match(text, end, min(len(text), end + 80))
    # `"Q," Roe said: "A."`: a verb whose colon opens the next quotation is that one's.
    return m is not None and _OPENS_NEXT.match(text, m.end(), min(len(text), m.end() + 40)) is None


_OPENS_NEXT = re.compile(r"[^\"“”.!?\n:]{0,30}:\s*[\"“]")


def signed_name(text: str, pieces: Sequence[tuple[int, int]]) -> str | None:
    """The name in a dash signature after a quotation, or in a transcript label opening it
    (`SMITH: ...`, `Jane Roe: ...`), as written: the layout, not a verb, says who speaks."""
    end = pieces[-1][1]
    m = _DASH_SIGNATURE.match(text, end, min(len(text), end + 160))
    if m is not None:
        return m.group("who").strip()
    start = pieces[0][0]
    line_start = text.rfind("\n", 0, start) + 1
    for m in (
        _TRANSCRIPT.match(text, start, pieces[0][1]),
        _LABEL_BEFORE.fullmatch(text, line_start, start) if start - line_start <= 40 else None,
    ):
        if m is None:
            continue
        who = m.group("who")
        # "Q:" and "A:" say a question and an answer, not who gives them.
        if len(who.replace(".", "")) > 1 and (who.isupper() or len(who.split()) > 1):
            return who.strip()
    m = _LABEL_INLINE.search(text, max(line_start, start - 120), start)
    if m is not None and len(m.group("who").split()) > 1:
        # Not `told The Times: "…"` or `wrote to Jo Roe: "…"`: there the name is the listener.
        if m.group("dash") is not None:
            return m.group("who").strip()
        words = text[max(line_start, m.start() - 40) : m.end("word")].split()[-4:]
        if not any(w.lower() in NOT_ROLE_WORDS or w.lower() in CUE_FORMS for w in words):
            return m.group("who").strip()
    return None


def subject_place(text: str, start: int, name: str) -> bool:
    """Whether a name at `start` stands where a clause's subject does: it opens a sentence or
    a clause after a comma, with at most a few lowercase role words before it ("presidential
    nominee Hillary Clinton"), and it is not a possessive."""
    m = _CLAUSE_OPEN.search(text, max(0, start - 60), start)
    if m is None:
        return False
    if any(w in NOT_ROLE_WORDS or w in CUE_FORMS for w in m.group(1).split()):
        return False
    end = text.find(name.split()[-1], start, start + 300)  # near, not anywhere after
    after = text[end + len(name.split()[-1]) : end + len(name.split()[-1]) + 3] if end >= 0 else ""
    return not after.startswith(("'s", "’s", "’", "'"))
