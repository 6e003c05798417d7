"""ROUGE of the default (extractive) summariser against lead-3 on CNN/DailyMail and BBC News.

Run: python bench/summaries_eval.py   (NEWSBRIEF_EVAL_DIR overrides ../shared/eval)
Needs `rouge-score` (pip install rouge-score): ROUGE-1/2/L F1, lowercase, Porter stemming, the
same scorer for every system. BBC articles open with the headline line: it is passed as the
title and lead-3 is taken from the body (lead-3 counting the headline is printed too).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.summarize import ExtractiveSummarizer
from summaries.understand.text import split_sentences

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT / ".." / "shared" / "eval"))
SETS = ("cnn_dm_frank_100", "bbc_news_summary_100")
METRICS = ("rouge1", "rouge2", "rougeL")


def load(name: str) -> list[dict[str, str]]:
    path = EVAL_DIR / "summarization" / f"{name}.jsonl"
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def split_headline(name: str, article: str) -> tuple[str | None, str]:
    """(title, body): BBC articles carry their headline as the first line."""
    if name.startswith("bbc"):
        head, _, body = article.partition("\n")
        return head.strip(), body
    return None, article


def mean_scores(scorer: object, pairs: list[tuple[str, str]]) -> dict[str, float]:
    totals = dict.fromkeys(METRICS, 0.0)
    for prediction, reference in pairs:
        scores = scorer.score(reference, prediction)  # type: ignore[attr-defined]
        for m in METRICS:
            totals[m] += scores[m].fmeasure
    return {m: 100 * v / len(pairs) for m, v in totals.items()}


def main() -> int:
    try:
        from rouge_score import rouge_scorer  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        print("this benchmark needs rouge-score: pip install rouge-score", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING)
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    summarizer = ExtractiveSummarizer(MiniLMEmbedder())
    print(
        f"summariser: {summarizer.name}, max_sentences={summarizer.max_sentences}, "
        f"max_words={summarizer.max_words}"
    )
    beaten = True
    for name in SETS:
        rows = load(name)
        systems: dict[str, Callable[[str, str | None, str], str]] = {
            "lead-3": lambda body, title, raw: " ".join(split_sentences(body)[:3]),
            "lead-3 (raw)": lambda body, title, raw: " ".join(split_sentences(raw)[:3]),
            "ours": lambda body, title, raw: summarizer.summarize(body, title=title).text,
        }
        if not name.startswith("bbc"):
            del systems["lead-3 (raw)"]  # the same as lead-3 without a headline line
        results: dict[str, dict[str, float]] = {}
        words: dict[str, float] = {}
        start = time.perf_counter()
        for label, system in systems.items():
            outputs = []
            for row in rows:
                title, body = split_headline(name, row["article"])
                outputs.append(system(body, title, row["article"]))
            results[label] = mean_scores(
                scorer, list(zip(outputs, [r["summary"] for r in rows], strict=True))
            )
            words[label] = sum(len(o.split()) for o in outputs) / len(outputs)
        elapsed = time.perf_counter() - start
        print(f"\n{name}: {len(rows)} articles ({elapsed:.0f} s)")
        print(f"  {'system':<14} {'R1':>6} {'R2':>6} {'RL':>6} {'words':>6}")
        for label, r in results.items():
            print(
                f"  {label:<14} {r['rouge1']:6.2f} {r['rouge2']:6.2f} {r['rougeL']:6.2f} "
                f"{words[label]:6.1f}"
            )
        ours, lead = results["ours"], results["lead-3"]
        wins = ours["rouge1"] > lead["rouge1"] and ours["rouge2"] > lead["rouge2"]
        beaten = beaten and wins
        print(
            f"  beats lead-3 on R1 and R2: {'yes' if wins else 'NO'} "
            f"({ours['rouge1'] - lead['rouge1']:+.2f} / {ours['rouge2'] - lead['rouge2']:+.2f})"
        )
    return 0 if beaten else 1


if __name__ == "__main__":
    sys.exit(main())
