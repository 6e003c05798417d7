"""Experiment: rank a pronoun's candidate antecedents with other models than the shipped
conditional logit (`confidence.fit_ranking`): the logit with products of its strongest
features, and gradient-boosted trees (scikit-learn, a bench extra only).

Run: python bench/speaker_trees.py [--models logit inter6 gbt3 ...] [--seeds "" a b]
Reads the records bench/train_speaker_model.py keeps under /tmp (run it once first). For each
model prints dev's figures (fitted on all of train) and train's 5-fold cross-validated ones
(folds by article, in order of id ("") or drawn from each seed as bench/quotes_eval.py
--fold-seed draws them), the sure model as the trainer fits it, thresholds as shipped (and the
pronoun threshold at 0: "t0"); then the mean cross-validated pronoun accuracy over the seeds.
Each quotation is judged on its own, as in the trainer.

Trees tried: pointwise (a classifier over candidate rows, the top-scoring candidate picked, its
chance the normalised score; "rel": with each feature's difference from its group's highest
and lowest, so a tree sees the rivals), trees boosted on the logit's residual ("plus"), and
trees boosted on the conditional logit's own softmax loss from the logit's score ("lw").
Outcome (see the report of issue 12): none ranks better than the linear logit.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quotes_eval import fold_of
from train_speaker_model import (
    FOLDS,
    Outcome,
    collect,
    feature_names,
    figures,
    fit,
    fit_ranking,
    outcome,
    pronoun_data,
    pronoun_rows,
    sure_data,
    sure_rows,
)

from summaries.understand.quotes.confidence import Logistic

Names = tuple[str, ...]


class Scorer:
    """A pronoun model as `Outcome.picks` reads it: feature names and `choice`."""

    def __init__(self, names: Names, fn: Callable[[np.ndarray], np.ndarray]) -> None:
        self.names = names
        self.fn = fn

    def choice(self, matrix: np.ndarray) -> np.ndarray:
        """The chance of each of one quotation's candidates."""
        return np.asarray(self.fn(np.asarray(matrix, dtype=float)))


Fitter = Callable[[Names, np.ndarray, np.ndarray, np.ndarray], Scorer]


def softmax(z: np.ndarray) -> np.ndarray:
    p = np.exp(z - z.max())
    return np.asarray(p / p.sum())


def ranked_groups(y: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Rows of the groups with a right candidate and a rival (what the logit learns from)."""
    keep = np.zeros(len(y), dtype=bool)
    for g in np.unique(owner):
        rows = owner == g
        if rows.sum() > 1 and (y[rows] == 1).any():
            keep |= rows
    return keep


def fit_logit(
    names: Names, x: np.ndarray, y: np.ndarray, owner: np.ndarray, penalty: float = 1.0
) -> Scorer:
    m = fit_ranking(names, x, y, owner, penalty)
    return Scorer(names, m.choice)


def fit_inter(
    names: Names,
    x: np.ndarray,
    y: np.ndarray,
    owner: np.ndarray,
    k: int = 6,
    penalty: float = 1.0,
) -> Scorer:
    """The logit with the products of its k strongest (standardised) features, chosen on the
    rows it is fitted on."""
    base = fit_ranking(names, x, y, owner, penalty)
    top = np.argsort(-np.abs(base.coef))[:k].tolist()
    pairs = list(combinations(top, 2))

    def expand(m: np.ndarray) -> np.ndarray:
        z = (m - base.mean) / base.scale
        return np.hstack([m, np.stack([z[:, a] * z[:, b] for a, b in pairs], axis=1)])

    wide = names + tuple(f"{names[a]}*{names[b]}" for a, b in pairs)
    model = fit_ranking(wide, expand(x), y, owner, penalty)
    return Scorer(names, lambda m: model.choice(expand(m)))


def relative(x: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Each row's features beside their differences from the highest and the lowest of its
    group's rows: what a pointwise tree cannot otherwise see of the rivals."""
    hi = np.zeros_like(x)
    lo = np.zeros_like(x)
    for g in np.unique(owner):
        rows = owner == g
        hi[rows] = x[rows].max(axis=0)
        lo[rows] = x[rows].min(axis=0)
    return np.hstack([x, x - hi, x - lo])


def fit_gbt(
    names: Names,
    x: np.ndarray,
    y: np.ndarray,
    owner: np.ndarray,
    depth: int = 3,
    trees: int = 200,
    rate: float = 0.05,
    leaf: int = 20,
    l2: float = 1.0,
    soft: bool = False,
    rel: bool = False,
) -> Scorer:
    """Pointwise boosted trees over the candidate rows; a quotation's candidates' chances are
    their probabilities normalised (`soft`: a softmax of the trees' log-odds)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    keep = ranked_groups(y, owner)
    clf = HistGradientBoostingClassifier(
        max_depth=depth,
        max_iter=trees,
        learning_rate=rate,
        min_samples_leaf=leaf,
        l2_regularization=l2,
        early_stopping=False,
        random_state=0,
    )
    xk = relative(x[keep], owner[keep]) if rel else x[keep]
    clf.fit(xk, y[keep])

    def score(m: np.ndarray) -> np.ndarray:
        m = relative(m, np.zeros(len(m))) if rel else m
        if soft:
            return softmax(clf.decision_function(m))
        p = clf.predict_proba(m)[:, 1]
        return np.asarray(p / p.sum())

    return Scorer(names, score)


def group_chances(z: np.ndarray, owner: np.ndarray) -> np.ndarray:
    p = np.zeros(len(z))
    for g in np.unique(owner):
        rows = owner == g
        p[rows] = softmax(z[rows])
    return p


def fit_plus(
    names: Names,
    x: np.ndarray,
    y: np.ndarray,
    owner: np.ndarray,
    depth: int = 2,
    trees: int = 100,
    rate: float = 0.05,
) -> Scorer:
    """The logit's score plus regression trees fitted, pointwise, on what it leaves (label
    minus the logit's chance within the quotation)."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    base = fit_ranking(names, x, y, owner)
    keep = ranked_groups(y, owner)
    p = group_chances(base.linear(x), owner)
    reg = HistGradientBoostingRegressor(
        max_depth=depth,
        max_iter=trees,
        learning_rate=rate,
        min_samples_leaf=20,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=0,
    )
    reg.fit(x[keep], (y[keep] == 1) - p[keep])
    return Scorer(names, lambda m: softmax(base.linear(m) + reg.predict(m)))


def fit_listwise(
    names: Names,
    x: np.ndarray,
    y: np.ndarray,
    owner: np.ndarray,
    depth: int = 2,
    trees: int = 200,
    rate: float = 0.1,
) -> Scorer:
    """Trees boosted on the conditional logit's own loss (a softmax over each quotation's
    candidates) from the logit's score, by Newton steps: each tree fits gradient / hessian,
    weighted by the hessian."""
    from sklearn.tree import DecisionTreeRegressor

    base = fit_ranking(names, x, y, owner)
    keep = ranked_groups(y, owner)
    xk, yk, ok = x[keep], y[keep], owner[keep]
    target = np.zeros(len(yk))
    for g in np.unique(ok):
        rows = ok == g
        target[rows] = (yk[rows] == 1) / (yk[rows] == 1).sum()
    f = base.linear(xk)
    fitted = []
    for _ in range(trees):
        p = group_chances(f, ok)
        h = np.maximum(p * (1 - p), 1e-6)
        tree = DecisionTreeRegressor(max_depth=depth, min_samples_leaf=20, random_state=0)
        tree.fit(xk, (target - p) / h, sample_weight=h)
        f = f + rate * tree.predict(xk)
        fitted.append(tree)

    def score(m: np.ndarray) -> np.ndarray:
        z = base.linear(m)
        for tree in fitted:
            z = z + rate * tree.predict(m)
        return softmax(z)

    return Scorer(names, score)


MODELS: dict[str, Fitter] = {
    "logit": fit_logit,
    "logit_p0.3": partial(fit_logit, penalty=0.3),
    "logit_p3": partial(fit_logit, penalty=3.0),
    "inter4": partial(fit_inter, k=4),
    "inter6": partial(fit_inter, k=6),
    "inter8": partial(fit_inter, k=8),
    "gbt2_slow": partial(fit_gbt, depth=2, trees=600, rate=0.025, leaf=40, l2=5.0),
    "gbt3": partial(fit_gbt, depth=3, trees=200),
    "gbt3_soft": partial(fit_gbt, depth=3, trees=200, soft=True),
    "rel2": partial(fit_gbt, depth=2, trees=300, rel=True),
    "rel3": partial(fit_gbt, depth=3, trees=200, rel=True),
    "rel3_slow": partial(fit_gbt, depth=3, trees=400, rate=0.025, leaf=40, l2=5.0, rel=True),
    "plus2": fit_plus,
    "lw2_50": partial(fit_listwise, depth=2, trees=50),
    "lw2": fit_listwise,
}


def fit_both(
    recs: list[dict[str, Any]], names: tuple[Names, Names], make: Fitter
) -> tuple[Logistic, Scorer]:
    sn, pn = names
    xs, ys = sure_data(recs, sure_rows(recs), sn)
    xp, yp, owner = pronoun_data(recs, pronoun_rows(recs), pn)
    return fit(sn, xs[ys >= 0], ys[ys >= 0]), make(pn, xp, yp, owner)


def line(name: str, f: dict[str, float]) -> str:
    return (
        f"{name:28s} named {f['named']:.3f} pronoun {f['pronoun']:.3f} "
        f"(shown {f['pronoun_shown']:.3f}) unattr {f['unattributed']:.3f} "
        f"right {int(f['right'])} wrong {int(f['wrong'])}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", nargs="+", default=["", "a", "b"])
    ap.add_argument("--models", nargs="+", default=["logit", "inter6", "gbt3"], choices=MODELS)
    ap.add_argument("--t-sure", type=float, default=0.3)
    ap.add_argument("--t-pron", type=float, default=0.3)
    args = ap.parse_args()
    train = collect("train", True)
    dev = collect("dev", True)
    names = feature_names(train)
    docs = sorted({r["doc"] for r in train})
    for mname in args.models:
        make = MODELS[mname]
        t0 = time.time()
        sure, pron = fit_both(train, names, make)
        dv = outcome(dev, sure, pron)
        res = [line(f"{mname} dev", figures(dev, dv, args.t_sure, args.t_pron))]
        res.append(line(f"{mname} dev t0", figures(dev, dv, args.t_sure, 0.0)))
        accs = []
        for seed in args.seeds:
            fold = fold_of([{"id": d} for d in docs], seed)
            cv = Outcome(train)
            for k in range(FOLDS):
                s, p = fit_both([r for r in train if fold[r["doc"]] != k], names, make)
                held = [i for i, r in enumerate(train) if fold[r["doc"]] == k]
                part = outcome([train[i] for i in held], s, p)
                for j, i in enumerate(held):
                    cv.chance[i], cv.right[i] = part.chance[j], part.right[j]
                    cv.loose[i], cv.pronoun[i] = part.loose[j], part.pronoun[j]
            f0 = figures(train, cv, args.t_sure, 0.0)
            accs.append(f0["pronoun"])
            res.append(
                line(f"{mname} cv[{seed or 'id'}]", figures(train, cv, args.t_sure, args.t_pron))
            )
            res.append(line(f"{mname} cv[{seed or 'id'}] t0", f0))
        print(f"== {mname} ({time.time() - t0:.0f}s) mean cv pronoun t0 {np.mean(accs):.4f}")
        print("\n".join(res), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
