"""Classify the pronoun-speaker misses on PolNeAR's train split, cross-validated.

Run: python bench/pronoun_errors.py [--reuse] [--show CLASS] [--half 0|1]

Each pronoun quotation bench/quotes_eval.py scores (the annotated speaker is "he", "she", "I",
…; the right name is the nearest named annotated speaker before it) is judged as
bench/train_speaker_model.py judges it on train: models fitted on the other four folds, the
shipped thresholds. A miss falls in one class:
- "rules: none": the rules gave the quotation no speaker;
- "rules: a name": the rules gave a speaker that is no pronoun (the pronoun model never ran);
- "recall": the right person is not among the candidates `confidence.antecedents` gave;
- "ranking": among them, but the ranking model put another first;
- "threshold": picked, but below the pronoun threshold and left unattributed;
- "inherit …": `"A," he said. "B."`: B followed A's pick, and A's miss was of that class.
Among ranking misses, those whose pick spoke the quotation just before in the same paragraph
without a gender against it are counted apart: a reader most often takes them as right, the
label's nearest name notwithstanding. Articles are split into two halves by a hash of their
id, to find classes on one half and confirm a change on the other. `--show CLASS` prints the
misses of a class (of `--half` only, if given) with their candidates and the text before.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quotes_eval import _words, load_split
from train_speaker_model import (
    FOLDS,
    Outcome,
    collect,
    feature_names,
    fit_models,
    outcome,
)

from summaries.understand.quotes.confidence import Logistic, SpeakerModel

SHOWN = (
    "rule recency_rank source_rank resolved_rank event_rank para_subject_rank paragraph_first "
    "gender_agree gender_clash sentences_back"
).split()


def half(doc: str) -> int:
    """The half of train an article falls in (0 or 1), by a hash of its id."""
    return int(hashlib.sha256(f"half:{doc}".encode()).hexdigest(), 16) % 2


def cross_validated(train: list[dict[str, Any]]) -> tuple[Outcome, dict[str, Logistic]]:
    """Train's outcomes, each fold judged by models fitted on the others; and per article the
    pronoun model that judged it."""
    names = feature_names(train)
    docs = sorted({r["doc"] for r in train})
    fold_of = {d: i % FOLDS for i, d in enumerate(docs)}
    cv = Outcome(train)
    ranker: dict[str, Logistic] = {}
    for k in range(FOLDS):
        sure, pron = fit_models([r for r in train if fold_of[r["doc"]] != k], 1.0, names)
        held = [i for i, r in enumerate(train) if fold_of[r["doc"]] == k]
        part = outcome([train[i] for i in held], sure, pron)
        for j, i in enumerate(held):
            cv.chance[i], cv.right[i] = part.chance[j], part.right[j]
            cv.loose[i], cv.pronoun[i] = part.loose[j], part.pronoun[j]
            ranker[train[i]["doc"]] = pron
    return cv, ranker


def classify(
    train: list[dict[str, Any]], cv: Outcome, ranker: dict[str, Logistic], threshold: float
) -> list[tuple[int, str]]:
    """(record, class) for each pronoun quotation missed."""
    at = {(r["doc"], tuple(map(tuple, r["spans"]))): i for i, r in enumerate(train)}
    out = []
    for i, r in enumerate(train):
        if r["kind"] != "pronoun":
            continue
        shown = r["speaker"] is not None and cv.chance[i] >= threshold
        if shown and cv.right[i]:
            continue
        f = r.get("features") or {}
        target = set(r.get("target") or [])
        if r["speaker"] is None:
            out.append((i, "rules: none"))
            continue
        if "pronoun" not in f and "inherit" not in f:
            out.append((i, "rules: a name" if not cv.right[i] else "threshold"))
            continue
        src = at.get((r["doc"], tuple(map(tuple, f["inherit"])))) if "inherit" in f else i
        cands = (train[src if src is not None else i].get("features") or {}).get("pronoun") or []
        pre = "inherit " if "inherit" in f else ""
        if not any(_words(n) & target for n, _ in cands):
            out.append((i, pre + "recall"))
        elif cv.right[i]:
            out.append((i, pre + "threshold"))
        else:
            model = ranker[r["doc"]]
            rows = np.array([[c.get(n, 0.0) for n in model.names] for _, c in cands])
            pick = cands[int(np.argmax(model.choice(rows)))][1]
            before = pick.get("resolved_last") and pick.get("source_paragraph")
            if not pre and before and not pick.get("gender_clash"):
                out.append((i, "ranking (pick spoke just before)"))
            else:
                out.append((i, pre + "ranking"))
    return out


def show(rec: dict[str, Any], what: str, model: Logistic, text: str) -> None:
    """One miss: its class, our speaker and the target, the candidates, the text before."""
    print("=" * 100)
    print(f"[{rec['doc']}] {what}: ours {rec['speaker']!r}, right {sorted(rec['target'])}")
    cands = (rec.get("features") or {}).get("pronoun") or []
    if cands:
        rows = np.array([[c.get(n, 0.0) for n in model.names] for _, c in cands])
        for (name, c), p in zip(cands, model.choice(rows), strict=True):
            mark = "*" if _words(name) & set(rec["target"]) else " "
            feats = " ".join(f"{k}={c.get(k, 0):.1f}" for k in SHOWN)
            print(f"  {mark} {p:.2f} {name[:28]:28s} {feats}")
    start = rec["spans"][0][0]
    print("  ...", text[max(0, start - 600) : start].replace("\n", " / "), "<<QUOTE>>")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reuse", action="store_true", help="reuse the records under /tmp")
    ap.add_argument("--show", help="print the misses of this class")
    ap.add_argument("--half", type=int, choices=(0, 1), help="only this half's articles")
    args = ap.parse_args()
    threshold = SpeakerModel.load().pronoun.threshold
    train = collect("train", args.reuse)
    cv, ranker = cross_validated(train)
    misses = classify(train, cv, ranker, threshold)
    texts = {d["id"]: d["text"] for d in load_split("train")} if args.show else {}
    totals = collections.Counter(half(r["doc"]) for r in train if r["kind"] == "pronoun")
    counts = collections.Counter((half(train[i]["doc"]), what) for i, what in misses)
    for h in (0, 1):
        missed = sum(v for (hh, _), v in counts.items() if hh == h)
        print(f"half {h}: {totals[h]} pronoun quotations, {missed} missed")
        for (hh, what), v in counts.most_common():
            if hh == h:
                print(f"  {what:36s} {v}")
    for i, what in misses:
        rec = train[i]
        if what == args.show and args.half in (None, half(rec["doc"])):
            show(rec, what, ranker[rec["doc"]], texts[rec["doc"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
