"""Judge a random sample of the pronoun-speaker misses by reading them.

Run: python bench/pronoun_judged.py [--reuse] [--print] [--judged bench/pronoun_judged.tsv]

bench/quotes_eval.py scores a quotation whose annotated speaker is a pronoun against the
nearest NAMED annotated speaker before it; PolNeAR annotates every attribution, indirect
speech included, so that name is not always who the pronoun means. This draws a fixed random
sample of SAMPLE of the misses bench/pronoun_errors.py finds on train (5-fold
cross-validated, all classes, both halves) and, with `--print`, prints each with our speaker,
the label's name and the text around the quotation, for a reader to judge who speaks.

The judgements file (tab-separated, with a header) has columns doc_id, quote_start, verdict,
reason, mistake: verdict is `ours` (our speaker speaks it), `label` (the label's name does,
ours is wrong), `neither` (both wrong) or `unclear` (the text does not tell, or it is no
speech: a scare quote, a title); mistake, for `label`/`neither`, is "family: detail", the
kind of our error.
Given it, the script prints the verdicts overall and per class, and a reader-judged pronoun
accuracy = (hits + misses x share judged `ours`) / pronoun quotations, with a 95% Wilson
interval on the share. Hits are taken as right: that some label-right hits are wrong to a
reader is NOT estimated here.
"""

from __future__ import annotations

import argparse
import collections
import csv
import math
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pronoun_errors import classify, cross_validated, half
from quotes_eval import load_split
from train_speaker_model import collect

from summaries.understand.quotes.confidence import Logistic, SpeakerModel

SAMPLE = 80
SEED = 12
VERDICTS = ("ours", "label", "neither", "unclear")
DEFAULT_JUDGED = Path(__file__).resolve().parent / "pronoun_judged.tsv"


def model_pick(
    train: list[dict[str, Any]], i: int, ranker: dict[str, Logistic]
) -> tuple[str | None, float | None]:
    """The pronoun model's pick for record i and its chance (None when it did not run), the
    quotation it inherits from followed as `Outcome.picks` follows it."""
    f = train[i].get("features") or {}
    src = i
    if "inherit" in f:
        key = tuple(map(tuple, f["inherit"]))
        for j, r in enumerate(train):
            if r["doc"] == train[i]["doc"] and tuple(map(tuple, r["spans"])) == key:
                src = j
                break
    cands = (train[src].get("features") or {}).get("pronoun") or []
    if not cands:
        return None, None
    model = ranker[train[i]["doc"]]
    rows = np.array([[c.get(n, 0.0) for n in model.names] for _, c in cands])
    chances = model.choice(rows.reshape(len(cands), len(model.names)))
    k = max(range(len(chances)), key=lambda j: (chances[j], -j))
    return cands[k][0], float(chances[k])


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a share k/n."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half_width = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, mid - half_width), min(1.0, mid + half_width)


def print_case(
    n: int,
    rec: dict[str, Any],
    what: str,
    pick: tuple[str | None, float | None],
    shown: bool,
    text: str,
) -> None:
    start, end = rec["spans"][0][0], rec["spans"][-1][1]
    name, chance = pick
    print("=" * 100)
    print(f"#{n} [{rec['doc']}] start {start} half {half(rec['doc'])} class {what!r}")
    ours = (name or rec["speaker"]) if shown else None
    print(f"  OURS SHOWN {ours!r}; rules' speaker {rec['speaker']!r}; "
          f"model pick {name!r} (chance {chance})")  # fmt: skip
    print(f"  label names {sorted(rec.get('target') or [])}")
    before = text[max(0, start - 700) : start]
    after = text[start : min(max(end, start + 200) + 150, start + 900)]
    print("  ..." + before.replace("\n", " / ") + " <<Q>>" + after.replace("\n", " / "))


def read_judged(path: Path) -> dict[tuple[str, int], dict[str, str]]:
    out = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["verdict"] not in VERDICTS:
                raise SystemExit(f"bad verdict {row['verdict']!r} in {path}")
            out[(row["doc_id"], int(row["quote_start"]))] = row
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reuse", action="store_true", help="reuse the records under /tmp")
    ap.add_argument("--print", action="store_true", help="print the sampled misses to judge")
    ap.add_argument("--judged", type=Path, default=DEFAULT_JUDGED, help="judgements (TSV)")
    args = ap.parse_args()
    threshold = SpeakerModel.load().pronoun.threshold
    train = collect("train", args.reuse)
    cv, ranker = cross_validated(train)
    misses = classify(train, cv, ranker, threshold)
    total = sum(1 for r in train if r["kind"] == "pronoun")
    hits = total - len(misses)
    print(f"train CV: {total} pronoun quotations, {hits} hits ({hits / total:.3f}), "
          f"{len(misses)} misses")  # fmt: skip
    sample = random.Random(SEED).sample(sorted(misses), min(SAMPLE, len(misses)))
    sample.sort(key=lambda m: (train[m[0]]["doc"], train[m[0]]["spans"][0][0]))
    if args.print:
        texts = {d["id"]: d["text"] for d in load_split("train")}
        for n, (i, what) in enumerate(sample, 1):
            rec = train[i]
            shown = rec["speaker"] is not None and cv.chance[i] >= threshold
            pick = model_pick(train, i, ranker)
            print_case(n, rec, what, pick, shown, texts[rec["doc"]])
        return 0
    if not args.judged.exists():
        print(f"no judgements at {args.judged}; run with --print and judge them")
        return 1
    judged = read_judged(args.judged)
    verdict: dict[int, str] = {}
    mistakes: dict[str, list[str]] = collections.defaultdict(list)
    missing = 0
    for i, _ in sample:
        row = judged.get((train[i]["doc"], train[i]["spans"][0][0]))
        if row is None:
            missing += 1
            continue
        verdict[i] = row["verdict"]
        if row["verdict"] in ("label", "neither"):
            family, _, detail = (row.get("mistake") or "?").partition(":")
            mistakes[family.strip()].append(detail.strip())
    if missing:
        print(f"{missing} sampled misses have no judgement in {args.judged}")
    n = len(verdict)
    counts = collections.Counter(verdict.values())
    print(f"\n{n} sampled misses judged: " + ", ".join(f"{v} {counts[v]}" for v in VERDICTS))
    by_class: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for i, what in sample:
        if i in verdict:
            by_class[what][verdict[i]] += 1
    print(f"  {'class':36s} " + " ".join(f"{v:>7s}" for v in VERDICTS))
    for what, c in sorted(by_class.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {what:36s} " + " ".join(f"{c[v]:7d}" for v in VERDICTS))
    for h in (0, 1):
        c = collections.Counter(
            verdict[i] for i, _ in sample if i in verdict and half(train[i]["doc"]) == h
        )
        print(f"  half {h}: " + ", ".join(f"{v} {c[v]}" for v in VERDICTS))
    ours, unclear, m = counts["ours"], counts["unclear"], len(misses)
    lo, hi = wilson(ours, n)
    print(f"\nshare of misses a reader finds right: {ours}/{n} = {ours / n:.3f} "
          f"(95% Wilson {lo:.3f}-{hi:.3f})")  # fmt: skip
    est, est_lo, est_hi = ((hits + m * s) / total for s in (ours / n, lo, hi))
    print(f"reader-judged pronoun accuracy, train CV: {est:.3f} (95% {est_lo:.3f}-{est_hi:.3f}); "
          f"label-scored {hits / total:.3f}")  # fmt: skip
    if unclear < n:
        # The unclear ones (no speech, or no telling) left out of the quotations scored.
        k = n - unclear
        lo, hi = wilson(ours, k)
        kept = total - m * unclear / n
        est, est_lo, est_hi = ((hits + m * k / n * s) / kept for s in (ours / k, lo, hi))
        print(f"  without the unclear: share {ours}/{k} = {ours / k:.3f} "
              f"(95% Wilson {lo:.3f}-{hi:.3f}); accuracy {est:.3f} "
              f"(95% {est_lo:.3f}-{est_hi:.3f})")  # fmt: skip
    print("(hits are taken as right: label-right but reader-wrong hits are NOT estimated)")
    print(
        f"\nkinds of our real mistakes ({sum(map(len, mistakes.values()))} judged label/neither):"
    )
    for family, details in sorted(mistakes.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(details):3d}  {family}")
        for detail, v in collections.Counter(details).most_common():
            print(f"         {v} x {detail}" if v > 1 else f"         {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
