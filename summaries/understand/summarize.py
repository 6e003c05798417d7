"""Summarisers: the Summarizer protocol, lead-N, extractive (sentence embeddings) and seq2seq."""

from __future__ import annotations

import bisect
import logging
import re
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from summaries.types import NewsbriefError, Summary
from summaries.understand.clean import caption_tail, clean_text, is_boilerplate
from summaries.understand.embed import Embedder
from summaries.understand.faithfulness import check_faithful
from summaries.understand.quoted import SHOWN_QUOTE, attributed_sentences
from summaries.understand.scorer import SentenceScorer, choose_sentences, sentence_features
from summaries.understand.text import (
    normalize_whitespace,
    outside_pieces,
    paragraph_spans,
    quotation_spans,
    sentence_spans,
    split_sentences,
)

log = logging.getLogger(__name__)

__all__ = [
    "MAX_TEXT_CHARS",
    "EmptyTextError",
    "ExtractiveSummarizer",
    "LeadSummarizer",
    "LearnedSummarizer",
    "Seq2SeqSummarizer",
    "Summarizer",
    "is_junk_sentence",
    "select_sentences",
    "summary_candidates",
]


class EmptyTextError(NewsbriefError, ValueError):
    """There is no text to summarise."""

    def __init__(self) -> None:
        super().__init__("cannot summarise an empty text")


@runtime_checkable
class Summarizer(Protocol):
    """Makes a short summary of one article.

    `text` is the article body (paragraphs separated by blank lines); `title` is an optional
    extra signal. Returns a Summary whose `method` says how it was made. An empty or
    whitespace-only text raises EmptyTextError (a NewsbriefError and a ValueError).
    """

    name: str

    def summarize(self, text: str, *, title: str | None = None) -> Summary: ...


# Characters of an article a summary is made from: news says what matters first, the
# sentences that compete are among the first anyway, and the rest would only cost time.
MAX_TEXT_CHARS = 100_000
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
_WORD = re.compile(r"\w+")
_OPENING_QUOTES = "\"'“‘"


_SPEECH_CUE = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|according to|asked|asks|explained|stated|"
    r"wrote|writes|insisted|warned|argued|noted|claimed|declared|announced|continued|recalled|"
    r"replied|responded|urged|admitted|acknowledged|describes?|described|calls?|called|"
    r"defines?|defined|dubbed|branded|labell?ed)\b",
    re.IGNORECASE,
)


def unattributed_quotes(
    text: str,
    *,
    spans: list[tuple[int, int]] | None = None,
    quotations: list[tuple[tuple[int, int], ...]] | None = None,
) -> list[bool]:
    """Per sentence of `text`: whether it is mostly quoted words with no speaker in it.

    Such a sentence, lifted out of its paragraph, would show someone's words as if they were
    the article's own, so summaries leave it out. `spans` and `quotations`, when given, are
    `text`'s sentence_spans and quotation_spans (a caller that has them need not redo them).
    """
    if quotations is None:
        quotations = quotation_spans(text)
    if spans is None:
        spans = sentence_spans(text)
    regions = [piece for quotation in quotations for piece in quotation]
    flags = []
    for (start, end), outside in zip(spans, outside_pieces(spans, regions), strict=True):
        inside = (end - start) - sum(e - s for s, e in outside)
        if end <= start or inside / (end - start) < 0.5:
            flags.append(False)
            continue
        flags.append(not _SPEECH_CUE.search("".join(text[s:e] for s, e in outside)))
    return flags


def is_junk_sentence(sentence: str, *, min_words: int = 5) -> bool:
    """Whether a sentence is unfit for a summary: too short, a byline, a caption, a call to act."""
    words = _WORD.findall(sentence)
    if len(words) < min_words:
        return True
    if is_boilerplate(sentence):
        return True
    stripped = sentence.rstrip()
    if stripped.endswith("?"):
        return True  # questions to the reader rarely state the news
    if stripped.endswith(('?"', "?”", "?'", "?’")) and stripped[:1] in _OPENING_QUOTES:
        return True  # a quoted question standing alone; one reported in a sentence is news
    # Headlines and captions carry no final punctuation; long unpunctuated runs are kept.
    if not _TERMINAL.search(stripped) and len(words) < 20:
        return True
    letters = [c for c in sentence if c.isalpha()]
    if not letters:
        return True
    return sum(c.isupper() for c in letters) / len(letters) > 0.6  # SHOUTED banners


class LeadSummarizer:
    """The first N sentences that are not junk: a strong baseline for news, needs no model."""

    name = "lead"

    def __init__(self, *, max_sentences: int = 3) -> None:
        if max_sentences < 1:
            raise ValueError("max_sentences must be at least 1")
        self.max_sentences = max_sentences

    def summarize(self, text: str, *, title: str | None = None) -> Summary:
        """The lead sentences of `text`; see `Summarizer`."""
        sentences, usable = _usable_sentences(text)
        good = [sentences[i] for i in usable] or sentences
        return _joined(good[: self.max_sentences], self.name)


def _usable_sentences(text: str) -> tuple[list[str], list[int]]:
    """The sentences of `text` (cleaned), and the indices of those fit for a summary: not junk,
    and not someone's words lifted without their speaker. Raises EmptyTextError for an empty
    text."""
    sentences, usable, _ = _sentences_and_paragraphs(text)
    return sentences, usable


def _sentences_and_paragraphs(text: str) -> tuple[list[str], list[int], list[bool]]:
    """As `_usable_sentences`, and per sentence whether it opens its paragraph."""
    if not text or not text.strip():
        raise EmptyTextError()
    text = text.lstrip()[:MAX_TEXT_CHARS]
    cleaned = clean_text(text)
    text = cleaned if cleaned.strip() else text  # all furniture: better the text than nothing
    spans = sentence_spans(text)
    sentences = [normalize_whitespace(text[a:b]) for a, b in spans]
    if not sentences:
        raise EmptyTextError()
    quotations = quotation_spans(text)
    quoted = unattributed_quotes(text, spans=spans, quotations=quotations)
    if any(quoted):  # a quoted sentence whose quotation names its speaker is shown with it
        for i, shown in attributed_sentences(text, spans=spans, quotations=quotations).items():
            if quoted[i]:
                sentences[i], quoted[i] = shown, False
        _reopen_quotations(text, spans, quotations, sentences)
    sentences = [caption_tail(s) for s in sentences]
    usable = [i for i, s in enumerate(sentences) if not is_junk_sentence(s) and not quoted[i]]
    starts = {a for a, _ in paragraph_spans(text)}
    return sentences, usable, [a in starts for a, _ in spans]


def _reopen_quotations(
    text: str,
    spans: list[tuple[int, int]],
    quotations: list[tuple[tuple[int, int], ...]],
    sentences: list[str],
) -> None:
    """Give back its opening mark to a sentence that ends a quotation begun sentences before
    (`It is our turn now," the mayor said.`), in place, so that no shown sentence closes a
    quotation it never opened."""
    starts = [a for a, _ in spans]
    for quotation in quotations:
        for start, stop in quotation:
            mark = text[start - 1] if start > 0 else ""
            if mark not in _OPENING_MARKS:
                continue
            # The sentence holding the closing mark, if it began inside the quotation.
            i = bisect.bisect_right(starts, stop) - 1
            if i < 0 or not start < spans[i][0] < stop or spans[i][1] <= stop:
                continue
            if sentences[i] == normalize_whitespace(text[spans[i][0] : spans[i][1]]):
                sentences[i] = mark + sentences[i]


def summary_candidates(text: str, *, limit: int = 60) -> tuple[list[str], list[bool]]:
    """The first `limit` sentences of `text` fit for a summary, after cleaning, and whether
    each opens a paragraph. Raises EmptyTextError for an empty text."""
    sentences, usable, starts = _sentences_and_paragraphs(text)
    keep = usable[:limit]
    return [sentences[i] for i in keep], [starts[i] for i in keep]


_OPENING_MARKS = frozenset("\"“‘'«„")


def _joined(sentences: list[str], method: str, positions: list[int] | None = None) -> Summary:
    """A summary made of whole sentences, in the order given.

    Two quoted sentences in a row from the same speaker (next to each other among the
    article's sentences: `positions`, consecutive when not given) are shown as one quotation,
    `X said: “A. B.”`, not as `X said: “A.” X said: “B.”`.
    """
    merged: list[str] = []
    last = None
    for k, sentence in enumerate(sentences):
        m = SHOWN_QUOTE.fullmatch(sentence)
        follows = positions is None or (k > 0 and positions[k] == positions[k - 1] + 1)
        if m and last is not None and follows and last.group("who") == m.group("who"):
            words = f"{last.group('words')} {m.group('words')}"
            merged[-1] = f"{m.group('who')}“{words}”"
            last = SHOWN_QUOTE.fullmatch(merged[-1])
            continue
        merged.append(sentence)
        last = m
    chosen = tuple(merged)
    return Summary(text=" ".join(chosen), sentences=chosen, method=method)


def select_sentences(
    sim: np.ndarray,
    word_counts: list[int],
    *,
    title_sim: np.ndarray | None = None,
    max_sentences: int = 3,
    max_words: int = 75,
    forward_weight: float = 1.0,
    backward_weight: float = 0.0,
    threshold: float = 0.5,
    position_weight: float = 1.0,
    position_decay: float = 0.8,
    title_weight: float = 1.0,
    redundancy: float = 0.7,
) -> list[int]:
    """Indices (ascending) of the sentences to keep, from their pairwise cosine similarities.

    Score = directed centrality (PACSUM-style: similarity to later sentences weighs
    `forward_weight`, to earlier ones `backward_weight`, edges below `threshold` of the
    similarity range dropped), min-max scaled, + `position_weight` * decay**index (news is
    front-loaded) + `title_weight` * similarity to the title. Greedy selection then subtracts
    `redundancy` * the highest similarity to what is already chosen, and stops at
    `max_sentences` or when the next sentence would overshoot `max_words`.

    The defaults were tuned on CNN/DailyMail-style news (the title weight on BBC news, which
    has titles); see bench/summaries_eval.py.
    """
    n = sim.shape[0]
    if n == 0:
        return []
    off = sim[~np.eye(n, dtype=bool)] if n > 1 else np.zeros(1)
    lo, hi = float(off.min()), float(off.max())
    edges = np.maximum(sim - (lo + threshold * (hi - lo)), 0.0)
    np.fill_diagonal(edges, 0.0)
    forward = np.triu(edges, 1).sum(axis=1)
    backward = np.tril(edges, -1).sum(axis=1)
    centrality = forward_weight * forward + backward_weight * backward
    span = centrality.max() - centrality.min()
    score = (centrality - centrality.min()) / span if span > 1e-9 else np.zeros(n)
    score = score + position_weight * position_decay ** np.arange(n)
    if title_sim is not None and title_weight:
        score = score + title_weight * title_sim

    chosen: list[int] = []
    words = 0
    remaining = set(range(n))
    while remaining and len(chosen) < max_sentences:
        best, best_val = -1, -np.inf
        for i in remaining:
            val = score[i]
            if chosen:
                val -= redundancy * float(sim[i, chosen].max())
            if val > best_val:
                best, best_val = i, val
        remaining.discard(best)
        if chosen and words + word_counts[best] > max_words:
            # Over the budget: a shorter sentence may still fit, so keep looking.
            continue
        chosen.append(best)
        words += word_counts[best]
        if words >= max_words:
            break
    return sorted(chosen)


class ExtractiveSummarizer:
    """Picks whole article sentences by embedding centrality, position, title and redundancy.

    The sentences are returned in article order; texts with at most `max_sentences` usable
    sentences are returned whole. `weights` are passed to `select_sentences`.
    """

    def __init__(
        self,
        embedder: Embedder,
        *,
        max_sentences: int = 3,
        max_words: int = 75,
        max_candidates: int = 60,
        **weights: float,
    ) -> None:
        if max_sentences < 1:
            raise ValueError("max_sentences must be at least 1")
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.max_words = max_words
        self.max_candidates = max_candidates
        self.weights = weights
        self.name = f"extractive:{embedder.name}"

    def summarize(self, text: str, *, title: str | None = None) -> Summary:
        """An extractive summary of `text`; see `Summarizer`."""
        sentences, usable = _usable_sentences(text)
        # Only the first sentences compete: news puts what matters first, and it bounds cost.
        candidates = usable[: self.max_candidates]
        if len(candidates) <= self.max_sentences:
            return _joined([sentences[i] for i in candidates] or sentences, self.name)
        texts = [sentences[i] for i in candidates]
        title = normalize_whitespace(title) if title else ""
        vectors = self.embedder.encode([*texts, title] if title else texts)
        emb = vectors[: len(texts)]
        title_sim = vectors[-1] @ emb.T if title else None
        picked = select_sentences(
            emb @ emb.T,
            [len(_WORD.findall(t)) for t in texts],
            title_sim=title_sim,
            max_sentences=self.max_sentences,
            max_words=self.max_words,
            **self.weights,
        )
        return _joined([texts[i] for i in picked], self.name, picked)


class LearnedSummarizer:
    """Picks whole article sentences by a learned score (see `scorer`): position, centrality
    over sentence embeddings, title similarity, names, numbers, quotes.

    The sentences are the article's own after cleaning, in article order; one that leans on
    the sentence before it comes only with that sentence. Texts with at most `max_sentences`
    usable sentences are returned whole, without loading a model. An article with a title is
    scored by the scorer trained for headlined news (`SentenceScorer.for_article`). With
    `use_headline` False the title is not weighed: the body is read as a pasted text is.
    The scorer's length rule may make the brief one sentence shorter (long opening sentences)
    or longer (short ones) than `max_sentences` (`SentenceScorer.sentences_for`).
    """

    def __init__(
        self,
        embedder: Embedder,
        *,
        max_sentences: int = 3,
        max_candidates: int = 60,
        scorer: SentenceScorer | None = None,
        use_headline: bool = True,
    ) -> None:
        if max_sentences < 1:
            raise ValueError("max_sentences must be at least 1")
        self.use_headline = use_headline
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.max_candidates = max_candidates
        self.scorer = scorer if scorer is not None else SentenceScorer.load()
        self.name = f"learned:{embedder.name}"

    def summarize(self, text: str, *, title: str | None = None) -> Summary:
        """An extractive summary of `text` by learned sentence scores; see `Summarizer`."""
        texts, starts = summary_candidates(text, limit=self.max_candidates)
        if len(texts) <= self.max_sentences:
            return _joined(texts or _usable_sentences(text)[0], self.name)
        title = normalize_whitespace(title) if title and self.use_headline else ""
        vectors = self.embedder.encode([*texts, title] if title else texts)
        emb = vectors[: len(texts)]
        features = sentence_features(
            texts, emb, title_vector=vectors[-1] if title else None, paragraph_starts=starts
        )
        scorer = self.scorer.for_article(has_title=bool(title))
        picked = choose_sentences(
            scorer.score(features),
            texts,
            max_sentences=scorer.sentences_for(texts, self.max_sentences),
            sim=emb @ emb.T,
            lead_margin=scorer.lead_margin,
            redundancy=scorer.redundancy,
        )
        return _joined([texts[i] for i in picked], self.name, picked)


# Inputs longer than this are cut even when a model claims more: cost grows with length and
# news puts what matters first.
_INPUT_TOKEN_CAP = 1024


class Seq2SeqSummarizer:
    """An abstractive summary from a seq2seq model (BART, T5, Pegasus...) with a safety net.

    `model` is a hub id (resolved from the local cache only unless `local_files_only=False`)
    or a folder. The model loads lazily on first use. When it cannot be loaded, generation
    fails, the output is empty or degenerate, or the faithfulness guard finds names, numbers
    or quotes the article does not support, the `fallback` summariser answers instead; the
    reason is logged and appended to the returned Summary's method.
    """

    def __init__(
        self,
        model: str | Path,
        *,
        fallback: Summarizer,
        max_input_tokens: int | None = None,
        num_beams: int = 4,
        min_length: int = 30,
        max_length: int = 130,
        local_files_only: bool = True,
        device: str = "cpu",
    ) -> None:
        self.model = str(model)
        self.fallback = fallback
        self.max_input_tokens = max_input_tokens
        self.num_beams = num_beams
        self.min_length = min_length
        self.max_length = max_length
        self.local_files_only = local_files_only
        self.device = device
        self.name = f"seq2seq:{Path(self.model).name or self.model}"
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, int] | None = None
        self._load_error: str | None = None

    def summarize(self, text: str, *, title: str | None = None) -> Summary:
        """A generated summary of `text`, or the fallback's; see the class docstring."""
        if not text or not text.strip():
            raise EmptyTextError()
        try:
            tokenizer, model, limit = self._load()
            output = self._generate(tokenizer, model, limit, text[:MAX_TEXT_CHARS])
        except Exception as exc:  # any model failure must not lose the summary
            log.warning("seq2seq summariser %s failed (%s); using the fallback", self.model, exc)
            return self._fall_back(text, title, "seq2seq unavailable")
        unsupported = check_faithful(output, text)
        if unsupported:
            log.warning(
                "seq2seq summary not supported by the article (%s); using the fallback",
                ", ".join(repr(u) for u in unsupported[:10]),
            )
            return self._fall_back(text, title, "unfaithful seq2seq")
        if _is_degenerate(output):
            log.warning("seq2seq summariser %s gave a degenerate output %r", self.model, output)
            return self._fall_back(text, title, "degenerate seq2seq output")
        sentences = tuple(split_sentences(output)) or (output,)
        return Summary(text=output, sentences=sentences, method=self.name)

    def _fall_back(self, text: str, title: str | None, reason: str) -> Summary:
        summary = self.fallback.summarize(text, title=title)
        return Summary(
            text=summary.text,
            sentences=summary.sentences,
            method=f"{summary.method} (fallback: {reason})",
        )

    def _load(self) -> tuple[Any, Any, int]:
        with self._lock:
            if self._loaded is not None:
                return self._loaded
            if self._load_error is not None:  # don't retry a broken model on every article
                raise RuntimeError(self._load_error)
            try:
                from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
                log.info("loading seq2seq model %s", self.model)
                tokenizer = AutoTokenizer.from_pretrained(
                    self.model, local_files_only=self.local_files_only
                )
                model = AutoModelForSeq2SeqLM.from_pretrained(
                    self.model, local_files_only=self.local_files_only
                )
                model.to(self.device)
                model.eval()
            except Exception as exc:
                self._load_error = f"cannot load {self.model}: {exc}"
                raise
            self._loaded = (tokenizer, model, self._input_limit(tokenizer, model))
            return self._loaded

    def _input_limit(self, tokenizer: Any, model: Any) -> int:
        if self.max_input_tokens:
            return self.max_input_tokens
        candidates = [_INPUT_TOKEN_CAP]
        tok_max = getattr(tokenizer, "model_max_length", None)
        if isinstance(tok_max, int) and 0 < tok_max < 1_000_000:  # huge = "no limit set"
            candidates.append(tok_max)
        pos_max = getattr(model.config, "max_position_embeddings", None)
        if isinstance(pos_max, int) and pos_max > 0:
            candidates.append(pos_max)
        return min(candidates)

    def _generate(self, tokenizer: Any, model: Any, limit: int, text: str) -> str:
        import torch

        batch = tokenizer(
            [normalize_whitespace(text)],
            truncation=True,
            max_length=limit,
            return_tensors="pt",
        ).to(self.device)
        batch.pop("token_type_ids", None)  # BERT-style tokenizers add it; seq2seq models refuse it
        with torch.inference_mode():
            ids = model.generate(
                **batch,
                num_beams=self.num_beams,
                min_length=min(self.min_length, self.max_length),
                max_length=self.max_length,
                no_repeat_ngram_size=3,
                early_stopping=True,
            )
        return normalize_whitespace(tokenizer.decode(ids[0], skip_special_tokens=True))


def _is_degenerate(output: str) -> bool:
    """Empty, too short, or looping output."""
    words = _WORD.findall(output.lower())
    if len(words) < 4:
        return True
    return len(set(words)) / len(words) < 0.3
