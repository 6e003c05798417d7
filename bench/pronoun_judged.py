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

`--rescore` re-runs the current code (rules, candidates, the pronoun model cross-validated
on train as above) on the judged quotations and counts, for those judged `ours` or `label`,
how many now show the reader-true speaker (our speaker when judged at the time, kept in the
`shown` column; the label's name words when `label`), how many another name and how many
none; for `neither`/`unclear`, how many show a name. `--record-shown` writes the `shown`
column from the current code (run once, when the judgements were made: two `ours` rows, whose
speaker had changed since they were judged, were then set by hand from their reason). At
84d7f41: ours 39 of 41 reader-true, label 1 of 23 (ours+label: 40 reader-true, 18 another name,
6 none).
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
from quotes_eval import _words, load_split
from train_speaker_model import collect

from summaries.understand.quotes.confidence import Logistic, SpeakerModel
from summaries.understand.quotes.words import PRONOUNS

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


def shown_name(
    train: list[dict[str, Any]], i: int, cv: Any, ranker: dict[str, Logistic], threshold: float
) -> str | None:
    """The speaker record i shows with the cross-validated models (None: unattributed)."""
    rec = train[i]
    if rec["speaker"] is None or cv.chance[i] < threshold:
        return None
    name = model_pick(train, i, ranker)[0] or rec["speaker"]
    return None if name.lower() in PRONOUNS else name


def rescore(
    train: list[dict[str, Any]],
    cv: Any,
    ranker: dict[str, Logistic],
    threshold: float,
    judged: dict[tuple[str, int], dict[str, str]],
    path: Path,
    record: bool,
    verbose: bool = False,
) -> int:
    """Count what the current code shows on the judged quotations (see the docstring); with
    `record`, write the names shown into the judgements' `shown` column instead."""
    at = {(r["doc"], r["spans"][0][0]): i for i, r in enumerate(train)}
    if record:
        rows = list(judged.values())
        for row in rows:
            i = at.get((row["doc_id"], int(row["quote_start"])))
            name = shown_name(train, i, cv, ranker, threshold) if i is not None else None
            row["shown"] = name or ""
        fields = ["doc_id", "quote_start", "verdict", "reason", "mistake", "shown"]
        with path.open("w", newline="") as f:
            w = csv.DictWriter(
                f,
                fields,
                delimiter="\t",
                quoting=csv.QUOTE_NONE,
                escapechar="\\",
                lineterminator="\n",
            )
            w.writeheader()
            w.writerows({k: r.get(k, "") for k in fields} for r in rows)
        print(f"wrote the names shown into {path}")
        return 0
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for row in judged.values():
        v = row["verdict"]
        i = at.get((row["doc_id"], int(row["quote_start"])))
        name = shown_name(train, i, cv, ranker, threshold) if i is not None else None
        if i is None:
            counts[v]["quotation lost"] += 1
        elif name is None:
            counts[v]["unattributed"] += 1
        elif v == "ours":
            truth = _words(row.get("shown") or "")
            counts[v]["reader-true" if _words(name) & truth else "other name"] += 1
        elif v == "label":
            truth = set(train[i].get("target") or [])
            counts[v]["reader-true" if _words(name) & truth else "other name"] += 1
        else:
            counts[v]["a name"] += 1
        if verbose:
            print(f"  {v:8s} {row['doc_id'][:40]:40s} {row['quote_start']:>6s} "
                  f"shown {name!r} (was {row.get('shown')!r})")  # fmt: skip
    for v in VERDICTS:
        c = counts[v]
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(c.items()))
        print(f"  {v:8s} {sum(c.values()):3d}: {kinds}")
    right = counts["ours"]["reader-true"] + counts["label"]["reader-true"]
    wrong = counts["ours"]["other name"] + counts["label"]["other name"]
    print(f"ours+label: reader-true {right}, another name {wrong}, "
          f"none {counts['ours']['unattributed'] + counts['label']['unattributed']}")  # fmt: skip
    return 0


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
    ap.add_argument("--rescore", action="store_true", help="score the current code on them")
    ap.add_argument("--record-shown", action="store_true", help="write the `shown` column")
    ap.add_argument("--verbose", action="store_true", help="with --rescore, each quotation")
    args = ap.parse_args()
    threshold = SpeakerModel.load().pronoun.threshold
    train = collect("train", args.reuse)
    cv, ranker = cross_validated(train)
    if args.rescore or args.record_shown:
        judged_rows = read_judged(args.judged)
        return rescore(
            train, cv, ranker, threshold, judged_rows, args.judged, args.record_shown, args.verbose
        )
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
