"""Which quote stands for a story: the key quote's choice against the reference summaries.

Run: python bench/key_quote_eval.py [--limit N]
(NEWSBRIEF_EVAL_DIR overrides ../shared/eval).

Reference summaries of news often carry the article's key quote: CNN/DailyMail's highlights
quote their story's main speaker, and the BBC extracts keep whole quoted sentences. So, for each
article of both summary dev sets with at least two candidate quotes (a named speaker's direct
words, as `digest.key_quote` takes them), a quote's share of its content words found in the
reference says how much the reference made of it. A choice is scored by:
- "best": how often it is a quote the reference made most of (ties count), over the articles
  where some quote has at least half its words there (the reference clearly quotes it);
- "share": the mean share of the chosen quote's words found in the reference, over all of them.

Choices compared, each over the same candidates:
- "first": the first candidate of fit length (an article's order);
- "shipped": `key_quote` with the story's title and shipped summary, as digests call it;
- "meaning": the same rules with MiniLM cosine to the title and summary instead of shared words;
- "centre": the same rules with MiniLM cosine to the article's centre (its mean sentence).
The summariser's weights were trained on these articles, so the summary `key_quote` reads is
in-sample; nothing in the choice of the key quote was fitted here.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_summary_model as training

from summaries.answers.digest import QUOTE_CHARS, _content_words, is_fragment, key_quote
from summaries.store import StoredQuote
from summaries.types import ArticleRef
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.quotes import QuoteExtractor
from summaries.understand.summarize import LearnedSummarizer
from summaries.understand.text import split_sentences


def words(text: str) -> set[str]:
    """Content words, as `key_quote` reads them."""
    return _content_words(text)


def share(quote: str, reference: set[str]) -> float:
    """The share of the quote's content words the reference holds."""
    own = words(quote)
    return len(own & reference) / len(own) if own else 0.0


def candidates(quotes: Sequence[StoredQuote], about: str) -> list[StoredQuote]:
    """The quotes `key_quote` chooses among: named, direct, not the headline's, not shown
    word for word in the summary already."""
    named = [q for q in quotes if q.quote.speaker and not q.quote.in_title]
    shown = " ".join(about.casefold().split())
    fresh = [q for q in named if " ".join(q.quote.text.casefold().split()) not in shown]
    named = fresh or named
    return [q for q in named if not q.quote.indirect] or named


def by_meaning(target: np.ndarray, vectors: dict[str, np.ndarray]) -> Callable[..., StoredQuote]:
    """`key_quote`'s rules with cosine to `target` in place of shared words."""
    shortest, longest = QUOTE_CHARS

    def choose(cands: Sequence[StoredQuote]) -> StoredQuote:
        def value(q: StoredQuote) -> float:
            v = float(vectors[q.quote.text] @ target)
            if not shortest <= len(q.quote.text) <= longest:
                v -= 0.25
            return v - 0.25 if is_fragment(q.quote.text) else v

        return max(cands, key=value)

    return choose


def show(figures: dict[str, list[Any]], n: int) -> None:
    """One line per choice: its best hits over the clear articles, and its mean share."""
    for m, (hits, clear, total) in figures.items():
        best = f"{hits}/{clear} ({hits / max(clear, 1):.3f})"
        print(f"  {m:8s} best {best}  share {total / max(n, 1):.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="articles per set")
    args = ap.parse_args()
    embedder = MiniLMEmbedder()
    summarizer = LearnedSummarizer(embedder)
    extractor = QuoteExtractor()
    ref_date = datetime(2031, 1, 1, tzinfo=UTC)
    methods = ("first", "shipped", "meaning", "centre")
    totals = {m: [0, 0, 0.0] for m in methods}  # best hits, clear articles, share sum
    articles = 0
    start = time.perf_counter()
    for name in training.SETS:
        per_set = {m: [0, 0, 0.0] for m in methods}
        n_set = 0
        for row in training.load(name)[: args.limit]:
            title, text = training.as_served(name, row["article"])
            summary = summarizer.summarize(text, title=title).text
            about = f"{title or ''} {summary}"
            ref = ArticleRef(1, title, None, None, ref_date)
            said = [StoredQuote(i, q, ref) for i, q in enumerate(extractor.extract(text, title))]
            cands = candidates(said, about)
            if len(cands) < 2:
                continue
            n_set += 1
            reference = words(row["summary"])
            shares = {q.id: share(q.quote.text, reference) for q in cands}
            top = max(shares.values())
            sentences = split_sentences(text)[:60]
            texts = [q.quote.text for q in cands]
            vecs = embedder.encode([*texts, about, *sentences])
            vectors = dict(zip(texts, vecs[: len(texts)], strict=True))
            centre = vecs[len(texts) + 1 :].mean(axis=0)
            centre /= np.linalg.norm(centre) or 1.0
            shortest, longest = QUOTE_CHARS
            chosen = {
                "first": next(
                    (q for q in cands if shortest <= len(q.quote.text) <= longest), cands[0]
                ),
                "shipped": key_quote(said, about),
                "meaning": by_meaning(vecs[len(texts)], vectors)(cands),
                "centre": by_meaning(centre, vectors)(cands),
            }
            for m, q in chosen.items():
                assert q is not None
                s = shares[q.id]
                per_set[m][2] += s
                if top >= 0.5:
                    per_set[m][1] += 1
                    per_set[m][0] += s == top
        articles += n_set
        print(f"{name}: {n_set} articles with two or more candidate quotes")
        show(per_set, n_set)
        for m in methods:
            for k in range(3):
                totals[m][k] += per_set[m][k]
    print(f"both sets: {articles} articles ({time.perf_counter() - start:.0f} s)")
    show(totals, articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
