"""A learned sentence scorer for extractive summaries: features, weights from JSON, the choice.

The features of a sentence are what news summaries are known to follow (position, length,
centrality among the article's sentences, similarity to the title, names, numbers, quotes, a
start that leans on the sentence before); a logistic regression trained by
bench/train_summary_model.py on labelled news weighs them, with a second one (`titled`) for an
article with a headline. Each may carry a length rule (`summary_length`): two sentences when
the first two are long, four when the first three are short. Scoring is numpy only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "BASE_FEATURES",
    "FEATURES",
    "SentenceScorer",
    "choose_sentences",
    "expand_features",
    "lead_swaps",
    "leans_on_previous",
    "sentence_features",
    "summary_length",
]

WEIGHTS = Path(__file__).with_name("summary_model.json")

BASE_FEATURES = (
    "inverse_position",
    "log_position",
    "relative_position",
    "log_words",
    "short",
    "centrality",
    "centroid_similarity",
    "lead_similarity",
    "title_similarity",
    "has_title",
    "capitalised_share",
    "numbers",
    "quote_marks",
    "leans",
    "paragraph_start",
    "mentions_year",
    "lead_name_overlap",
    "novelty_to_lead",
)
# Compared within the article (z-scores): what counts is being more central than the rest.
_RELATIVE = (
    "log_words",
    "centrality",
    "centroid_similarity",
    "lead_similarity",
    "title_similarity",
)
# Every feature again, times has_title: an article with a headline lets the title and the
# body's centre speak louder than position (BBC-style extracts); without one, the lead rules.
FEATURES = BASE_FEATURES + tuple(f"{name}*has_title" for name in BASE_FEATURES)

# A start that points back to something the reader must already know.
_LEANING = re.compile(
    r"^[\"'“‘]?(?:that|this|these|those|he|she|they|it|his|her|their|its|him|them|but|however"
    r"|also|and|yet|still|meanwhile|instead|moreover|furthermore|then|such|both|the former"
    r"|the latter|the same|the pair|the two|the move|the decision|the comments|the incident"
    r"|another|others|earlier|later|he's|she's|it's|they're|despite this|as a result"
    r"|in addition|so)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTE_MARK = re.compile(r"[\"“”]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NAME_WORD = re.compile(r"\b[A-Z][a-z]+")
_LETTERS = re.compile(r"[A-Za-z]+")
# Function words: neither names (a capitalised "The" opening a sentence) nor content.
_STOP = frozenset(
    "the a an and or of to in on at for with by from as is was were be been are it its he she"
    " they his her their this that said says say has have had not but will would could who"
    " which what when where after before over".split()
)


def _names(sentence: str) -> set[str]:
    """The capitalised words of `sentence` (names, mostly), function words left out."""
    return {word for word in _NAME_WORD.findall(sentence) if word.lower() not in _STOP}


def _content_words(sentence: str) -> set[str]:
    """The lower-cased words of three letters or more of `sentence`, function words left out."""
    words = (w.lower() for w in _LETTERS.findall(sentence) if len(w) > 2)
    return {w for w in words if w not in _STOP}


def leans_on_previous(sentence: str) -> bool:
    """Whether `sentence` opens with a reference to what came before ("He", "But", "That")."""
    return bool(_LEANING.match(sentence.lstrip()))


def expand_features(base: np.ndarray) -> np.ndarray:
    """`FEATURES` from `BASE_FEATURES` rows of one article: relative columns as z-scores within
    the article, then every column again times has_title."""
    out = base.astype(np.float64, copy=True)
    for name in _RELATIVE:
        j = BASE_FEATURES.index(name)
        col = out[:, j]
        sd = float(col.std()) if len(col) else 0.0
        out[:, j] = (col - col.mean()) / sd if sd > 1e-9 else 0.0
    titled = out[:, BASE_FEATURES.index("has_title")][:, None]
    return np.hstack([out, out * titled])


def base_features(
    sentences: list[str],
    vectors: np.ndarray,
    *,
    title_vector: np.ndarray | None = None,
    paragraph_starts: list[bool] | None = None,
) -> np.ndarray:
    """One row of `BASE_FEATURES` per sentence, from the sentences in article order and their
    unit vectors (row i for sentence i); `title_vector` is the title's, when there is one."""
    n = len(sentences)
    out = np.zeros((n, len(BASE_FEATURES)), dtype=np.float64)
    if n == 0:
        return out
    idx = np.arange(n, dtype=np.float64)
    sim = vectors @ vectors.T
    np.fill_diagonal(sim, 0.0)
    words = np.array([len(_WORD.findall(s)) for s in sentences], dtype=np.float64)
    centroid = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    centroid = centroid / norm if norm > 1e-9 else centroid
    lead_names = _names(sentences[0])
    lead_words = _content_words(sentences[0])
    content = [_content_words(s) for s in sentences]
    cols = {
        "inverse_position": 1.0 / (idx + 1.0),
        "log_position": np.log1p(idx),
        "relative_position": idx / max(n - 1, 1),
        "log_words": np.log1p(words),
        "short": (words < 10).astype(np.float64),
        "centrality": sim.sum(axis=1) / max(n - 1, 1),
        "centroid_similarity": vectors @ centroid,
        "lead_similarity": vectors @ vectors[0],
        "title_similarity": vectors @ title_vector if title_vector is not None else np.zeros(n),
        "has_title": np.full(n, 1.0 if title_vector is not None else 0.0),
        "capitalised_share": np.array(
            [len(_CAPITALISED.findall(s)) for s in sentences], dtype=np.float64
        )
        / np.maximum(words, 1.0),
        "numbers": np.array([min(len(_NUMBER.findall(s)), 5) for s in sentences], dtype=float),
        "quote_marks": np.array([bool(_QUOTE_MARK.search(s)) for s in sentences], dtype=float),
        "leans": np.array([leans_on_previous(s) for s in sentences], dtype=np.float64),
        "paragraph_start": np.array(
            paragraph_starts if paragraph_starts is not None else [True] * n, dtype=np.float64
        ),
        # Background tends to be dated ("in 2012"); the news itself rarely is.
        "mentions_year": np.array([bool(_YEAR.search(s)) for s in sentences], dtype=float),
        # The share of the lead's names the sentence mentions (the story's protagonists).
        "lead_name_overlap": np.array(
            [len(_names(s) & lead_names) for s in sentences], dtype=np.float64
        )
        / max(len(lead_names), 1),
        # The share of the sentence's content words the lead lacks: a restatement of the
        # lead's point scores 0, a digression near 1.
        "novelty_to_lead": np.array(
            [len(c - lead_words) / max(len(c), 1) for c in content], dtype=np.float64
        ),
    }
    for j, name in enumerate(BASE_FEATURES):
        out[:, j] = cols[name]
    return out


def sentence_features(
    sentences: list[str],
    vectors: np.ndarray,
    *,
    title_vector: np.ndarray | None = None,
    paragraph_starts: list[bool] | None = None,
) -> np.ndarray:
    """One row of `FEATURES` per sentence: `base_features`, expanded (`expand_features`)."""
    return expand_features(
        base_features(
            sentences, vectors, title_vector=title_vector, paragraph_starts=paragraph_starts
        )
    )


@dataclass(frozen=True)
class SentenceScorer:
    """A logistic regression over standardised `FEATURES`: higher means more summary-worthy."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    # Lead-aware choice: start from the lead and let a later sentence in only when it scores
    # this much above the lead sentence it replaces (None: choose freely by score).
    lead_margin: float | None = None
    # The scorer for an article with a headline, when one was trained apart (None: this one).
    titled: SentenceScorer | None = None
    # How long the brief is (`summary_length`): (short_words, long_words), either None for
    # no such rule; None for always `max_sentences`.
    length_rule: tuple[int | None, int | None] | None = None
    # Redundancy threshold (`lead_swaps`): a sentence whose embedding cosine to a chosen one
    # exceeds it is not chosen, and a lead sentence repeating an earlier one gives way to the
    # best later one; None for only the near-duplicate rule.
    redundancy: float | None = None

    def sentences_for(self, sentences: list[str], max_sentences: int = 3) -> int:
        """How many sentences the brief of `sentences` holds (`summary_length` with this
        scorer's `length_rule`)."""
        short, long = self.length_rule or (None, None)
        return summary_length(sentences, max_sentences, short_words=short, long_words=long)

    def for_article(self, *, has_title: bool) -> SentenceScorer:
        """The scorer for an article with a headline (`titled`, when there is one) or without."""
        return self.titled if has_title and self.titled is not None else self

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> SentenceScorer:
        """The weights in `path` (a JSON file written by bench/train_summary_model.py)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path} was trained on other features: retrain it")
        return cls._from_dict(data)

    @classmethod
    def _from_dict(cls, data: dict) -> SentenceScorer:
        titled = data.get("titled")
        return cls(
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
            lead_margin=data.get("lead_margin"),
            length_rule=tuple(data["length_rule"]) if data.get("length_rule") else None,
            redundancy=data.get("redundancy"),
            titled=cls._from_dict(titled) if titled else None,
        )

    def _to_dict(self, **extra: object) -> dict:
        data: dict = {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "lead_margin": self.lead_margin,
            "length_rule": list(self.length_rule) if self.length_rule else None,
            "redundancy": self.redundancy,
            **extra,
        }
        if self.titled is not None:
            data["titled"] = self.titled._to_dict()
        return data

    def to_json(self, titled_notes: dict | None = None, **extra: object) -> str:
        """The weights as the JSON `load` reads; `extra` keys are kept as notes (and
        `titled_notes` beside the titled scorer's weights)."""
        data = {"features": list(FEATURES), **self._to_dict(**extra)}
        if titled_notes and "titled" in data:
            data["titled"].update(titled_notes)
        return json.dumps(data, indent=1) + "\n"

    def score(self, features: np.ndarray) -> np.ndarray:
        """The log-odds of each row of `features` being summary material."""
        scaled = (features - self.mean) / self.scale
        return np.asarray(scaled @ self.coef + self.intercept, dtype=np.float64)


def summary_length(
    sentences: list[str],
    max_sentences: int = 3,
    *,
    short_words: int | None = None,
    long_words: int | None = None,
) -> int:
    """How many sentences a brief of `sentences` (in article order) holds: `max_sentences`,
    one fewer when the first `max_sentences - 1` already run to `long_words` words or more,
    one more when the first `max_sentences` come to fewer than `short_words` words. A brief
    then reads about the same length whether its sentences are long or short; it is always
    whole sentences, never fewer than two when `max_sentences` is three or more, and never
    more than the text has. The rule reads only the text (the words of its first sentences);
    bench/train_summary_model.py chooses `short_words` and `long_words` by cross-validation."""
    if len(sentences) <= 2:
        return min(max_sentences, len(sentences))
    words = [len(_WORD.findall(s)) for s in sentences[: max_sentences + 1]]
    if (
        long_words is not None
        and max_sentences > 2
        and sum(words[: max_sentences - 1]) >= long_words
    ):
        return max_sentences - 1
    if (
        short_words is not None
        and len(sentences) > max_sentences
        and sum(words[:max_sentences]) < short_words
    ):
        return max_sentences + 1
    return max_sentences


def choose_sentences(
    scores: np.ndarray,
    sentences: list[str],
    *,
    max_sentences: int = 3,
    sim: np.ndarray | None = None,
    max_similarity: float = 0.9,
    lead_margin: float | None = None,
    redundancy: float | None = None,
) -> list[int]:
    """Indices (ascending) of the best-scored sentences that stand alone.

    A sentence that leans on the one before it ("He said…", "But…") is chosen only together
    with that sentence; a near-duplicate of a chosen one (cosine above `max_similarity`) is
    skipped. With `lead_margin`, the choice starts from the first `max_sentences` sentences
    (news puts its point first) and a later one replaces the weakest of them only when it
    scores more than `lead_margin` above it (`lead_swaps`). With `redundancy` (and `sim`),
    a sentence more similar than that to a chosen one is skipped too, and under `lead_margin`
    a lead sentence repeating an earlier one gives way (`lead_swaps`).
    """
    if lead_margin is not None:
        return lead_swaps(
            scores,
            sentences,
            max_sentences=max_sentences,
            sim=sim,
            max_similarity=max_similarity,
            margin=lead_margin,
            redundancy=redundancy,
        )
    if redundancy is not None:
        max_similarity = min(max_similarity, redundancy)
    chosen: list[int] = []
    for i in (int(j) for j in np.argsort(-scores, kind="stable")):
        if len(chosen) >= max_sentences:
            break
        if i in chosen:
            continue
        if sim is not None and chosen and float(sim[i, chosen].max()) > max_similarity:
            continue
        if i > 0 and leans_on_previous(sentences[i]) and i - 1 not in chosen:
            if len(chosen) + 2 > max_sentences or leans_on_previous(sentences[i - 1]):
                continue
            chosen.append(i - 1)
        chosen.append(i)
    return sorted(chosen)


def lead_swaps(
    scores: np.ndarray,
    sentences: list[str],
    *,
    max_sentences: int = 3,
    sim: np.ndarray | None = None,
    max_similarity: float = 0.9,
    margin: float = 0.0,
    redundancy: float | None = None,
) -> list[int]:
    """Indices (ascending): the lead, with its weakest sentences swapped for better ones.

    The first `max_sentences` sentences are chosen; then, best-scored first, a later sentence
    that stands alone (it does not lean on the one before it) and is no near-duplicate of the
    rest replaces the lowest-scored chosen sentence when it scores more than `margin` above
    it. A chosen sentence that a chosen leaning sentence needs is never the one replaced.

    With `redundancy` (and `sim`): first, a lead sentence whose cosine to an earlier lead
    sentence exceeds it gives way to the best-scored later sentence that stands alone and
    repeats none of the rest (whatever the margin); then the swaps above run with
    `redundancy` as the near-duplicate limit.
    """
    n = len(sentences)
    chosen = list(range(min(max_sentences, n)))
    order = [int(j) for j in np.argsort(-scores, kind="stable")]
    if redundancy is not None and sim is not None:
        for j in range(1, len(chosen)):
            earlier = [i for i in chosen if i < j]
            if j not in chosen or float(sim[j, earlier].max()) <= redundancy:
                continue
            if j + 1 in chosen and leans_on_previous(sentences[j + 1]):
                continue
            rest = [i for i in chosen if i != j]
            for c in order:
                if c < max_sentences or c in chosen or leans_on_previous(sentences[c]):
                    continue
                if float(sim[c, rest].max()) <= redundancy:
                    chosen = [*rest, c]
                    break
        max_similarity = min(max_similarity, redundancy)
    for c in order:
        if c < max_sentences or c in chosen or leans_on_previous(sentences[c]):
            continue
        needed = {j - 1 for j in chosen if j > 0 and leans_on_previous(sentences[j])}
        removable = [j for j in chosen if j not in needed]
        if not removable:
            break
        weakest = min(removable, key=lambda j: (float(scores[j]), -j))
        if float(scores[c]) - float(scores[weakest]) <= margin:
            break
        rest = [j for j in chosen if j != weakest]
        if sim is not None and rest and float(sim[c, rest].max()) > max_similarity:
            continue
        chosen = [*rest, c]
    return sorted(chosen)
