"""Sentences, paragraphs and whitespace: rule-based English splitting tuned for news text."""

from __future__ import annotations

import bisect
import re

__all__ = [
    "MAX_LABEL",
    "normalize_whitespace",
    "outside_pieces",
    "paragraph_spans",
    "quotation_spans",
    "sentence_spans",
    "shorten",
    "split_paragraphs",
    "split_sentences",
    "strip_invisible",
    "whole_unicode",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WS = re.compile(r"\s+")
_PARA_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")

# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
# Possessive runs that start only where a run starts: one pass over "Watford ........W",
# where `(?:\.{3}|…|[.!?])+` backtracked exponentially.
_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’»)\]]*+(?=\s)")
# A line break inside a paragraph; whether it ends a sentence is decided by the next line.
# Taken from the start of the blanks before it only: a long run of spaces with no line break
# after it was scanned again from each of its spaces.
_NEWLINE = re.compile(r"(?<![ \t\r\f\v\u00a0])[ \t\r\f\v\u00a0]*+\n\s*")

# Lowercased, without the final period. Titles and the like: never a sentence end.
_TITLES = _words(
    """mr mrs ms messrs mmes dr prof gen sen rep gov lt col sgt capt cmdr cpl maj adm pvt brig
    supt insp det rev fr hon pres sec atty st ste mt ft jr sr esq vs v cf etc al approx dept
    est fig ca inc corp co ltd bros no nos vol pp op art ch sq univ assn ave blvd rd hwy
    jan feb mar apr jun jul aug sep sept oct nov dec
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb
    nev okla ore pa tenn tex va vt wash wis wyo"""
)
# Titles that can end a sentence in prose ("the Co." can, "Dr." cannot): these end a
# sentence when a typical sentence opener follows.
_SOFT_TITLES = frozenset({"inc", "corp", "co", "ltd", "bros", "etc", "al", "jr", "sr", "esq"})
# Words that commonly open a sentence; after an acronym ("U.S.") they signal a real end.
_OPENERS = _words(
    """a an the he she it they we i you his her its their our my this that these those there
    but and so yet or if when while after before as at in on by for from with since although
    though however meanwhile still then now some many most one two three police officials
    authorities no not what why how who where"""
)
_ACRONYM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")  # U.S. / a.m. / U.K. / e.g.
_INITIAL = re.compile(r"(?:^|[\s(\"'“‘])[A-Z]\.$")  # "J." in "J. K. Rowling"
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.$")
_NEXT_WORD = re.compile(r"[\"'“‘(\[«]*([^\s\"'“‘(\[«]*)")


def normalize_whitespace(text: str) -> str:
    """Collapse every run of whitespace (newlines, tabs, no-break spaces) to one space; strip."""
    return _WS.sub(" ", text).strip()


# Characters that change what text around them looks like without being seen: bidirectional
# embeddings, overrides, isolates and marks (U+202E shows "gnp.exe" as "exe.png"), zero-width
# spaces, invisible operators, tag characters, the BOM. ZWJ and ZWNJ stay: emoji and several
# scripts need them.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # not tab, CR or newline


# Characters of a title, a byline, a site or a feed name: news titles run to some 150; a source
# that sends megabytes there is stored and shown this much of it.
MAX_LABEL = 300


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    """`text` cut to at most `limit` characters, at a space when there is one in its last
    fifth, with "…" at the end when it was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 4 // 5:
        cut = cut[:space]
    return cut.rstrip() + "…"


def whole_unicode(text: str) -> str:
    """`text` with every lone surrogate (half of a UTF-16 pair: JSON's `\\ud800`, a byte Python
    could not decode from a file name or argument) as U+FFFD, and a pair written as two
    surrogates joined into its character. Such text can't be stored, encoded or sent as it is."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def strip_invisible(text: str) -> str:
    """`text` to show: without invisible format characters, control characters as spaces."""
    return _CONTROLS.sub(" ", _INVISIBLE.sub("", text))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs (blocks separated by blank lines), trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _PARA_BREAK.finditer(text):
        _append_trimmed(text, start, m.start(), spans)
        start = m.end()
    _append_trimmed(text, start, len(text), spans)
    return spans


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of `text` (split at blank lines), whitespace-normalised, none empty."""
    return [normalize_whitespace(text[s:e]) for s, e in paragraph_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans `(start, end)` of the sentences of `text`, in order.

    `text[start:end]` is the sentence as written (it may contain line breaks). A sentence never
    crosses a paragraph boundary; a single line break ends a sentence unless the next line starts
    in lowercase (a wrapped line).
    """
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_spans(text):
        cuts = sorted(set(_sentence_cuts(text, p_start, p_end)))
        start = p_start
        for cut in [*cuts, p_end]:
            _append_trimmed(text, start, cut, spans)
            start = cut
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each whitespace-normalised; see `sentence_spans` for the rules."""
    return [normalize_whitespace(text[s:e]) for s, e in sentence_spans(text)]


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def _sentence_cuts(text: str, start: int, end: int) -> list[int]:
    """Offsets (absolute) where a new sentence begins inside the paragraph text[start:end]."""
    para = text[start:end]
    cuts: list[int] = []
    for m in _END.finditer(para):
        nxt = m.end()
        while nxt < len(para) and para[nxt].isspace():
            nxt += 1
        if nxt >= len(para):
            continue
        if _is_boundary(para, m.start(), m.end(), nxt):
            cuts.append(start + nxt)
    for m in _NEWLINE.finditer(para):
        nxt = m.end()
        if nxt >= len(para) or m.start() == 0:
            continue
        if _starts_new_line_sentence(para, m.start(), nxt):
            cuts.append(start + nxt)
    return cuts


def _is_boundary(para: str, p_start: int, p_end: int, nxt: int) -> bool:
    """Whether the punctuation at para[p_start:p_end] ends a sentence, the next one at `nxt`."""
    following = para[nxt]
    word_m = _NEXT_WORD.match(para, nxt)
    next_word = word_m.group(1) if word_m else ""
    first = next_word[:1]
    # A lowercase continuation ('"Go!" he said', "... and then") never starts a sentence.
    if first.islower() or (not first and following.islower()):
        return False
    if first and not (first.isupper() or first.isdigit()) and following not in "\"'“‘([«":
        return False
    punct = para[p_start:p_end]
    if not punct.startswith("."):
        return True  # ! ? … : always an end before an uppercase word
    if punct.startswith("..."):
        return True
    before = para[max(0, p_start - 20) : p_start + 1]
    if _INITIAL.search(before):
        return False  # "J. K. Rowling", "George W. Bush"
    opener = next_word.lower().strip(".,;:!?\"'”’") in _OPENERS
    if _ACRONYM.search(before):
        return opener or before.lower().endswith(("a.m.", "p.m."))
    w = _WORD_BEFORE.search(before)
    if w:
        word = w.group(1).lower()
        if word in _TITLES:
            return word in _SOFT_TITLES and opener
    return True


def _starts_new_line_sentence(para: str, nl_start: int, nxt: int) -> bool:
    """Whether a line break inside a paragraph starts a new sentence (not a wrapped line)."""
    first = para[nxt]
    if first.islower():
        return False
    return para[nl_start - 1] not in ",;(-–—&/"


# -- quotations ---------------------------------------------------------------------------------
_OPEN_MARKS = "“«„"
_CLOSE_MARKS = "”»"
_STRAIGHT = '"'
_ANY_MARK = re.compile(f"[{_STRAIGHT}{_OPEN_MARKS}{_CLOSE_MARKS}]")
_BEFORE_OPEN = set(" \t\n([{—–-/") | {""}
# What an opening mark may follow and still open (a quotation, or one inside another).
_NOT_GLUED = frozenset(" \t\n\u00a0([{—–-/'‘" + _OPEN_MARKS)


def _mark_kind(text: str, i: int) -> str:
    """'open', 'close' or 'either' for the double quote mark at `text[i]`."""
    ch = text[i]
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if ch in _OPEN_MARKS:
        return "open"
    if ch in _CLOSE_MARKS:
        # A closing mark typed where a quote starts (”We…, ” … we at a line start) opens it.
        rest = text[i + 1 : i + 4].lstrip(" ")
        opens = before in ("", "\n") and (rest[:1].isalnum() or rest[:1] in ("…", "."))
        if opens:
            return "open"
        # After a space and glued to a word (`said ”We won.”`), it opens when no quotation is
        # open (the closing mark typed for the opening one) and closes one that is.
        return "either" if before in (" ", "\t") and after.isalnum() else "close"
    if before in _BEFORE_OPEN and after and not after.isspace():
        return "open"
    if before and not before.isspace() and before not in "([{":
        return "close"
    return "either"


def quotation_spans(text: str) -> list[tuple[tuple[int, int], ...]]:
    """The direct quotations of `text`: per quotation, the spans of its words (marks excluded).

    Double quote marks only, straight or curly; a straight mark opens or closes by what is
    around it. By news convention a paragraph that opens a quote and does not close it goes on
    in the next paragraph (which reopens it, or simply closes it later); a quotation cut short
    by an unbalanced mark ends with its paragraph, so one stray mark can't swallow the article.
    """
    quotations: list[tuple[tuple[int, int], ...]] = []
    paragraphs = paragraph_spans(text)
    carried: list[tuple[int, int]] = []  # pieces of a quotation still open at a paragraph end
    for index, (p_start, p_end) in enumerate(paragraphs):
        marks = [m.start() for m in _ANY_MARK.finditer(text, p_start, p_end)]
        opened: int | None = None
        guessed = False  # opened by a mark with space on both sides: maybe not a quote at all
        pieces: list[tuple[int, int]] = []
        if carried:
            first = _mark_kind(text, marks[0]) if marks else "none"
            if first in ("close", "either") and marks and not _reopens(text, p_start, marks[0]):
                # The quote goes on without a new opening mark and closes in this paragraph.
                opened = p_start
                pieces = carried
            elif first == "open" and marks and _reopens(text, p_start, marks[0]):
                pieces = carried  # reopened at the paragraph start: same quotation
            else:
                quotations.append(tuple(carried))
            carried = []
        for i in marks:
            kind = _mark_kind(text, i)
            if opened is None:
                if kind in ("open", "either"):
                    opened, guessed = i + 1, kind == "either"
                    while opened < p_end - 1 and text[opened] == " ":
                        opened += 1  # ” … he: the words start after the space
                continue
            if kind in ("close", "either") or _typed_for_close(text, i, p_end):
                if i > opened:
                    pieces.append((opened, i))
                quotations.append(tuple(pieces))
                pieces, opened = [], None
            else:  # a second opening mark: the first was never closed; start again here
                pieces, opened = [], i + 1
        if opened is not None:
            if opened < p_end:
                pieces.append((opened, p_end))
            nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if nxt is not None and not guessed and _continues(text, nxt):
                carried = pieces
            elif pieces and not guessed:
                quotations.append(tuple(pieces))
        elif pieces:
            quotations.append(tuple(pieces))
    if carried:
        quotations.append(tuple(carried))
    return [q for q in quotations if q]


def _typed_for_close(text: str, i: int, p_end: int) -> bool:
    """Whether an opening mark at `text[i]`, met while a quotation is open, was typed for its
    closing mark (`“We will win.“ she said`): it is glued to the word or punctuation before it
    and followed by the paragraph's end or a space, where an opening mark is never followed
    by one. A reopened paragraph (`“…\n\n“And …`) starts its paragraph, after no word."""
    before = text[i - 1] if i > 0 else " "
    if before.isspace() or before in _NOT_GLUED:
        return False
    return i + 1 >= p_end or text[i + 1].isspace()


def _reopens(text: str, p_start: int, mark: int) -> bool:
    """Whether the first mark of a paragraph stands at its very start (a reopened quote)."""
    return text[p_start:mark].strip() == ""


def _continues(text: str, paragraph: tuple[int, int]) -> bool:
    """Whether a paragraph carries on a quotation left open by the one before it."""
    start, end = paragraph
    if text[start] in _OPEN_MARKS or text[start] == _STRAIGHT:
        return True
    for i in range(start, end):
        if text[i] == _STRAIGHT or text[i] in _OPEN_MARKS or text[i] in _CLOSE_MARKS:
            return _mark_kind(text, i) != "open"
    return False


def outside_pieces(
    spans: list[tuple[int, int]], regions: list[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """For each span, its pieces that lie outside every region, in order.

    In time linear in the spans and regions (after sorting the regions) when the spans do not
    overlap, as sentences don't: summing each span's overlap with every region, or testing each
    character, is quadratic on a page of many quotations.
    """
    merged: list[list[int]] = []
    for s, e in sorted(r for r in regions if r[1] > r[0]):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    starts = [s for s, _ in merged]
    out: list[list[tuple[int, int]]] = []
    for start, end in spans:
        pieces: list[tuple[int, int]] = []
        pos = start
        k = max(0, bisect.bisect_right(starts, start) - 1)
        while k < len(merged) and merged[k][0] < end:
            s, e = merged[k]
            if e > pos:
                if s > pos:
                    pieces.append((pos, s))
                pos = e
            k += 1
        if pos < end:
            pieces.append((pos, end))
        out.append(pieces)
    return out
