"""ROUGE of the default summariser against lead-3 on CNN/DailyMail and BBC News, per dev set and
cross-validated, and the summaries of the news pages in html/ checked for page furniture.

Run: python bench/summaries_eval.py [--folds 5] [--skip-dev] [--with-title]
(NEWSBRIEF_EVAL_DIR overrides ../shared/eval). Needs `rouge-score` (pip install rouge-score):
ROUGE-1/2/L F1, lowercase, Porter stemming, the same scorer for every system. BBC articles open
with the headline line: it is passed as the title and lead-3 is taken from the body. The
summariser gets each text as the pipeline would hand it over (`extract.from_text`).

Per dev set: the shipped summariser (its weights were trained on both dev sets, so these figures
are in-sample) next to lead-3. Cross-validated: the learned scorer retrained on 4/5 of BOTH sets
(its C and lead margin chosen by an inner CV on those 4/5) and scored on the held-out fifth
(bench/train_summary_model.py), per fold and mean ± sd over the folds: the
figure that says how it does on news it has not seen. `--with-title` adds the same CV with
every article given a headline (CNN/DailyMail's read from its address), the production path
where every article has one, and with none (BBC's taken away), as pasted text comes. Exit
status 1 when the cross-validated summariser does not beat lead-3 on ROUGE-1 and ROUGE-2 on
both sets, or a page's summary holds furniture.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import train_summary_model as training  # bench/ is on the path when run as a script

from summaries.ingest.extract import extract_html
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.summarize import LearnedSummarizer
from summaries.understand.text import split_sentences

METRICS = training.METRICS
# What a summary must never hold: an independent list, not the cleaner's own rules.
FURNITURE = re.compile(
    r"originally (?:appeared|published)|getty images|\bvia (?:AP|AFP|Reuters|Getty)\b"
    r"|/ ?(?:AP|AFP|Reuters|EPA)\)|\b(?:photo|photograph|image|credit)s?\s*:|^By [A-Z]"
    r"|read more|subscribe|newsletter|sign up|in your inbox|\((?:CNN|AP|Reuters)\)"
    r"|\(\s*(?:left|right)\s*\)",
    re.IGNORECASE,
)


def dev_figures(summarizer: LearnedSummarizer, rouge: object) -> None:
    for name in training.SETS:
        rows = training.load(name)
        start = time.perf_counter()
        outputs: dict[str, list[str]] = {"lead-3": [], "ours": []}
        for row in rows:
            _, body = training.split_headline(name, row["article"])
            title, text = training.as_served(name, row["article"])
            outputs["lead-3"].append(" ".join(split_sentences(body)[:3]))
            outputs["ours"].append(summarizer.summarize(text, title=title).text)
        elapsed = time.perf_counter() - start
        print(f"\n{name}: {len(rows)} articles, shipped model (in-sample) ({elapsed:.0f} s)")
        print(f"  {'system':<14} {'R1':>6} {'R2':>6} {'RL':>6} {'words':>6}")
        for label, texts in outputs.items():
            totals = dict.fromkeys(METRICS, 0.0)
            for text, row in zip(texts, rows, strict=True):
                scores = rouge.score(row["summary"], text)  # type: ignore[attr-defined]
                for m in METRICS:
                    totals[m] += scores[m].fmeasure
            r = {m: 100 * v / len(rows) for m, v in totals.items()}
            words = statistics.mean(len(t.split()) for t in texts)
            print(
                f"  {label:<14} {r['rouge1']:6.2f} {r['rouge2']:6.2f} {r['rougeL']:6.2f} "
                f"{words:6.1f}"
            )


def page_check(summarizer: LearnedSummarizer) -> int:
    """Summaries of the html/ news pages: how many hold a caption, credit, byline or the like."""
    index = training.EVAL_DIR / "html" / "index.jsonl"
    with index.open(encoding="utf-8") as f:
        pages = [json.loads(line) for line in f if line.strip()]
    bad = 0
    print(f"\nnews pages ({len(pages)}): extraction + summary, checked for page furniture")
    for page in pages:
        html = (training.EVAL_DIR / page["html"]).read_bytes()
        try:
            article = extract_html(html)
            summary = summarizer.summarize(article.text, title=article.title)
        except Exception as exc:  # a page the extractor refuses is reported, not fatal
            print(f"  {page['id']:<28} no summary: {exc}")
            continue
        found = [s for s in summary.sentences if FURNITURE.search(s)]
        bad += bool(found)
        mark = "FURNITURE " + repr(found[0][:80]) if found else "clean"
        print(f"  {page['id']:<28} {mark}: {summary.text[:70]!r}")
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--skip-dev", action="store_true", help="only CV and the pages")
    parser.add_argument(
        "--with-title",
        action="store_true",
        help="also score every article with a headline (CNN/DM: read from its address) and "
        "without one",
    )
    args = parser.parse_args()
    try:
        rouge = training.scorer_for_rouge()
    except ImportError:
        print("this benchmark needs rouge-score: pip install rouge-score", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING)
    summarizer = LearnedSummarizer(MiniLMEmbedder())
    print(f"summariser: {summarizer.name}, max_sentences={summarizer.max_sentences}")
    if not args.skip_dev:
        dev_figures(summarizer, rouge)
    articles = training.build(args.cache)
    result, chosen = training.cross_validate(articles, args.folds, with_title=args.with_title)
    training.print_cv(result, args.folds, chosen)
    beaten = all(
        statistics.mean(r[m] for r in result["learned"][name])
        > statistics.mean(r[m] for r in result["lead-3"][name])
        for name in training.SETS
        for m in ("rouge1", "rouge2")
    )
    print(f"\ncross-validated: beats lead-3 on R1 and R2 on both sets: {'yes' if beaten else 'NO'}")
    bad = page_check(summarizer)
    print(f"pages whose summary holds furniture: {bad}")
    return 0 if beaten and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
