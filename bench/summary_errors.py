"""Why the cross-validated summariser loses to (or beats) lead-3 on CNN/DailyMail, per article.

Run: python bench/summary_errors.py [--seeds 13 17 18] [--folds 5] [--margin 2] [--reuse]
[--show CLASS] [--set cnn_dm_frank_100]

For each fold draw (seed), the scorers are trained as bench/train_summary_model.py trains them
(`fit_blended`: C, lead margin, redundancy and blend chosen by the inner CV on the training
folds alone) and each held-out article of the set is summarised out of fold on both paths:
untitled (as the article comes) and headlined (the headline read from its address). Each
article whose summary is more than `--margin` ROUGE-1 points below lead-3 (the first three
sentences of the raw text) is a loss, more than that above it a win. A loss or win is put in
one class, by what differs between our summary and lead-3:
- "lead cleaned: <why>": a sentence of lead-3 is not among the summary's candidates at all
  (dropped as junk: "short", "unpunctuated", "question", "boilerplate", "caption label",
  "unattributed quote"; or "split": its words are there but cut or joined differently;
  "title": taken as the headline);
- "swap <k> for later": the candidates' lead was kept but k of its sentences were replaced
  by later ones (`lead_swaps`), "swap (redundancy)" when the redundancy rule made the swap;
- "length <n>": the summary holds n sentences of the lead, none swapped, n not 3;
- "same as clean lead": the summary is the cleaned lead (the difference is only cleaning:
  stripped datelines, prefixes, glued captions).
An article can have a cleaned lead sentence and a swap: it goes in "lead cleaned" when the
clean lead-3 alone already loses more than half of the gap, else under its swap.
The out-of-fold summaries are kept in $TMPDIR (--reuse reads them back; the key holds the
code of the summariser and of the trainer, so a change makes new ones).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import inspect
import pickle
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_summary_model as training

from summaries.understand.summarize import _sentences_and_paragraphs, is_junk_sentence
from summaries.understand.text import split_sentences

PATHS = ("untitled", "titled")


def out_of_fold(
    articles: list[training.Article], seeds: list[int], k: int, cache: Path, reuse: bool
) -> dict:
    """{(seed, path, index): (summary, summary without the redundancy rule)} for every
    article, each from the scorers trained on the folds that do not hold it."""
    key = hashlib.sha256(
        training._code_key()
        + inspect.getsource(training).encode()
        + repr((seeds, k, [a.body[:200] for a in articles])).encode()
    ).hexdigest()[:16]
    path = cache / f"newsbrief-summary-oof-{key}.pkl"
    if reuse and path.exists():
        with path.open("rb") as f:
            return pickle.load(f)
    out = {}
    for seed in seeds:
        for n, test in enumerate(training.folds(articles, k, seed=seed)):
            held = set(test)
            train = [a for i, a in enumerate(articles) if i not in held]
            scorer, _, _ = training.fit_blended(train)
            plain = replace(
                scorer,
                redundancy=None,
                titled=replace(scorer.titled, redundancy=None) if scorer.titled else None,
            )
            run, run_plain = training.learned(scorer), training.learned(plain)
            for i in test:
                a = articles[i]
                for view in PATHS:
                    v = training.titled(a) if view == "titled" else training.untitled(a)
                    out[(seed, view, i)] = (run(v), run_plain(v))
            print(f"  seed {seed}: fold {n + 1}/{k}", file=sys.stderr, flush=True)
    with path.open("wb") as f:
        pickle.dump(out, f)
    return out


def _key(sentence: str) -> str:
    return "".join(ch for ch in sentence.lower() if ch.isalnum())


def why_dropped(a: training.Article, sentence: str) -> str:
    """Why a sentence of the raw lead is not among the candidates."""
    want = _key(sentence)
    if a.title and _key(a.title) == want:
        return "title"
    joined = _key(" ".join(a.sentences[:6]))
    if want and want in joined:
        return "split"  # its words are there, cut or joined otherwise
    training_text = training.as_served(a.set, a.body)[1]
    sentences, usable, _ = _sentences_and_paragraphs(training_text)
    for i, s in enumerate(sentences):
        if _key(s) == want or (want and want in _key(s)):
            if i in usable:
                return "split"
            return _junk_reason(s)
    # Not a sentence of the cleaned text: cleaning removed or changed it.
    if any(want and want in _key(s) for s in split_sentences(training_text)):
        return "split"
    return "cleaned away"


def _junk_reason(s: str) -> str:
    from summaries.understand.clean import _CAPTION_LABEL, is_boilerplate

    words = s.split()
    if not is_junk_sentence(s):
        return "unattributed quote"
    if len(words) < 5:
        return "short"
    if _CAPTION_LABEL.match(s):
        return "caption label"
    if is_boilerplate(s):
        return "boilerplate"
    if s.rstrip().endswith(("?", '?"', "?'", "?”", "?’")):
        return "question"
    return "unpunctuated"


def classify(
    a: training.Article, ours: str, plain: str, rouge: object, lead3_r1: float
) -> tuple[str, str]:
    """(class, detail) of one summary against lead-3 (see the module docstring)."""
    raw = split_sentences(a.body)[: training.MAX_SENTENCES]
    cands = {_key(s): i for i, s in enumerate(a.sentences)}
    missing = [s for s in raw if _key(s) not in cands]
    clean_r1 = 100 * rouge.score(a.reference, training.clean_lead3(a))["rouge1"].fmeasure  # type: ignore[attr-defined]
    ours_r1 = 100 * rouge.score(a.reference, ours)["rouge1"].fmeasure  # type: ignore[attr-defined]
    picked = [i for i, s in enumerate(a.sentences) if s and s in ours]
    lead = set(range(min(training.MAX_SENTENCES, len(a.sentences))))
    later = [i for i in picked if i not in lead]
    gap = ours_r1 - lead3_r1
    cleaning = clean_r1 - lead3_r1
    if missing and (not later or abs(cleaning) > abs(gap) / 2):
        reasons = sorted({why_dropped(a, s) for s in missing})
        return "lead cleaned: " + "+".join(reasons), missing[0][:90]
    if later:
        kind = "swap (redundancy)" if ours != plain else f"swap {len(later)} for later"
        out = sorted(lead - set(picked))
        return kind, f"out {out} in {later}"
    if len(picked) != training.MAX_SENTENCES:
        return f"length {len(picked)}", ""
    return "same as clean lead", ""


def _r12(rouge: object, a: training.Article, text: str) -> tuple[float, float]:
    s = rouge.score(a.reference, text)  # type: ignore[attr-defined]
    return 100 * s["rouge1"].fmeasure, 100 * s["rouge2"].fmeasure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[13, 17, 18])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--margin", type=float, default=2.0)
    parser.add_argument("--set", default=training.SETS[0], choices=training.SETS)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--show", help="print the articles of this class")
    args = parser.parse_args()
    rouge = training.scorer_for_rouge()
    articles = training.build(args.cache)
    oof = out_of_fold(articles, args.seeds, args.folds, args.cache, args.reuse)
    print("gain over lead-3 per fold draw (mean over the set's articles), R1/R2:")
    for name in training.SETS:
        for view in PATHS:
            cells = []
            for seed in args.seeds:
                d = [
                    [o - b for o, b in zip(_r12(rouge, a, oof[(seed, view, i)][0]),
                                           _r12(rouge, a, training.lead3(a)), strict=True)]
                    for i, a in enumerate(articles)
                    if a.set == name
                ]  # fmt: skip
                cells.append(f"{seed}: {statistics.mean(x[0] for x in d):+.2f}/"
                             f"{statistics.mean(x[1] for x in d):+.2f}")  # fmt: skip
            print(f"  {name:<22} {view:<9} " + "  ".join(cells))
    for view in PATHS:
        counts: dict[str, collections.Counter[str]] = {
            "loss": collections.Counter(),
            "win": collections.Counter(),
        }
        gains: list[tuple[float, float]] = []
        for seed in args.seeds:
            for i, a in enumerate(articles):
                if a.set != args.set:
                    continue
                ours, plain = oof[(seed, view, i)]
                base = training.lead3(a)
                r_base = rouge.score(a.reference, base)  # type: ignore[attr-defined]
                r_ours = rouge.score(a.reference, ours)  # type: ignore[attr-defined]
                d1 = 100 * (r_ours["rouge1"].fmeasure - r_base["rouge1"].fmeasure)
                d2 = 100 * (r_ours["rouge2"].fmeasure - r_base["rouge2"].fmeasure)
                gains.append((d1, d2))
                if abs(d1) <= args.margin:
                    continue
                side = "loss" if d1 < 0 else "win"
                cls, detail = classify(a, ours, plain, rouge, 100 * r_base["rouge1"].fmeasure)
                counts[side][cls] += 1
                if args.show and cls.startswith(args.show):
                    print(f"\n[{view} seed {seed} #{i} {side} R1 {d1:+.1f}] {cls}: {detail}")
                    print("  LEAD3:", base[:400])
                    print("  OURS: ", ours[:400])
                    print("  REF:  ", a.reference[:300])
        n = len(gains)
        print(
            f"\n{args.set}, {view} path, {len(args.seeds)} draws x {n // len(args.seeds)} "
            f"articles: mean gain over lead-3 R1 {statistics.mean(g[0] for g in gains):+.2f} "
            f"R2 {statistics.mean(g[1] for g in gains):+.2f}"
        )
        for side in ("loss", "win"):
            total = sum(counts[side].values())
            print(f"  {side}es by more than {args.margin:g} R1: {total}")
            for cls, c in counts[side].most_common():
                print(f"    {c:4d}  {cls}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
