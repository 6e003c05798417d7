"""Classify the named and description speaker misses on PolNeAR's train split, cross-validated.

Run: python bench/speaker_errors.py [--reuse] [--show CLASS] [--half 0|1] [--context N]

Each quotation bench/quotes_eval.py scores against a non-pronoun annotated speaker (a name:
"named"; a description such as "a spokeswoman": "description", matched on name and title
words) is judged as bench/train_speaker_model.py judges it on train: models fitted on the
other four folds, the shipped thresholds. A miss falls in one class:
- "none": the rules gave the quotation no speaker;
- "held back": the rules' speaker is right but the model left it unattributed;
- "wrong <route>": a wrong speaker was shown, found by that route of `attribute.ROUTES`
  ("wrong" names are what precision counts: an unattributed quote beats them);
- "wrong <route>, held back": a wrong speaker the model left unattributed (no harm done).
Articles are split into two halves by a hash of their id (as bench/pronoun_errors.py splits
them), to find a class on one half and confirm a change on the other. `--show CLASS` prints the
misses of a class (of `--half` only, if given) with the annotated speaker and the text around.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pronoun_errors import cross_validated, half
from quotes_eval import _overlap, load_split
from train_speaker_model import Outcome, collect

from summaries.understand.quotes.attribute import ROUTES
from summaries.understand.quotes.confidence import SpeakerModel


def route(rec: dict[str, Any]) -> str:
    sure = (rec.get("features") or {}).get("sure") or {}
    return next((r for r in ROUTES if sure.get(f"route_{r}")), "pronoun")


def classify(train: list[dict[str, Any]], cv: Outcome, threshold: float) -> list[tuple[int, str]]:
    """(record, class) for each named or description quotation missed."""
    out = []
    for i, r in enumerate(train):
        if r["kind"] == "named":
            right = cv.right[i]
        elif r["loose_right"] is not None:
            right = cv.loose[i]
        else:
            continue
        shown = r["speaker"] is not None and cv.chance[i] >= threshold
        if shown and right:
            continue
        kind = "named" if r["kind"] == "named" else "description"
        if r["speaker"] is None:
            out.append((i, f"{kind}: none"))
        elif right:
            out.append((i, f"{kind}: held back"))
        else:
            out.append((i, f"{kind}: wrong {route(r)}" + ("" if shown else ", held back")))
    return out


def gold_speaker(doc: dict[str, Any], spans: list[list[int]]) -> str:
    """The annotated speaker of the attribution a quotation is scored against."""
    best: tuple[int, int, str] = (0, 0, "")
    for g in doc["quotes"]:
        gs = [tuple(s) for s in g["content_spans"]]
        inter, shorter = _overlap([(s, e) for s, e in spans], gs)
        if shorter and inter * 2 >= shorter:
            best = max(best, (inter, -sum(e - s for s, e in gs), g["speaker"] or ""))
    return best[2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reuse", action="store_true", help="reuse the records under /tmp")
    ap.add_argument("--show", help="print the misses of this class")
    ap.add_argument("--half", type=int, choices=(0, 1), help="only this half's articles")
    ap.add_argument("--context", type=int, default=300, help="characters shown either side")
    args = ap.parse_args()
    shipped = SpeakerModel.load()
    train = collect("train", args.reuse)
    cv, _ = cross_validated(train)
    misses = classify(train, cv, shipped.sure.threshold)
    # The pronoun model's records judge by its own threshold.
    misses = [
        (i, what)
        for i, what in misses
        if not (cv.pronoun[i] and cv.chance[i] >= shipped.pronoun.threshold and "held" in what)
    ]
    docs = {d["id"]: d for d in load_split("train")}
    for kind in ("named", "description"):
        totals = collections.Counter(
            half(r["doc"])
            for r in train
            if (r["kind"] == "named") == (kind == "named")
            and (r["kind"] == "named" or r["loose_right"] is not None)
        )
        counts = collections.Counter(
            (half(train[i]["doc"]), what) for i, what in misses if what.startswith(kind)
        )
        for h in (0, 1):
            missed = sum(v for (hh, _), v in counts.items() if hh == h)
            print(f"half {h}: {totals[h]} {kind} quotations, {missed} missed")
            for (hh, what), v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1])):
                if hh == h:
                    print(f"  {what:40s} {v}")
    n = args.context
    for i, what in misses:
        rec = train[i]
        if what != args.show or args.half not in (None, half(rec["doc"])):
            continue
        doc = docs[rec["doc"]]
        text = doc["text"]
        start, end = rec["spans"][0][0], rec["spans"][-1][1]
        print("=" * 100)
        print(
            f"[{rec['doc']}] {what}: ours {rec['speaker']!r}, "
            f"annotated {gold_speaker(doc, rec['spans'])!r}"
        )
        quote = text[start:end]
        if len(quote) > 160:
            quote = quote[:70] + " … " + quote[-70:]
        shown = text[max(0, start - n) : start] + "<<" + quote + ">>" + text[end : end + n // 2]
        print("  ", shown.replace("\n", " / "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
