"""The shipped summary_model.json is what bench/train_summary_model.py trains from the dev sets.

Needs ../shared/eval (NEWSBRIEF_EVAL_DIR), rouge-score and scikit-learn: skipped without them.
The sentence features are cached in the temporary folder, keyed on the articles and the code
that makes them, as the benchmark does.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from summaries.understand.scorer import FEATURES, WEIGHTS, SentenceScorer, expand_features

ROOT = Path(__file__).resolve().parents[3]
EVAL_DIR = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT / ".." / "shared" / "eval"))


@pytest.mark.model
def test_the_shipped_model_agrees_with_fresh_training() -> None:
    if not (EVAL_DIR / "summarization" / "cnn_dm_frank_100.jsonl").exists():
        pytest.skip("no evaluation material (NEWSBRIEF_EVAL_DIR)")
    pytest.importorskip("rouge_score")
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        training = importlib.import_module("train_summary_model")
    finally:
        sys.path.remove(str(ROOT / "bench"))
    shipped = SentenceScorer.load()
    notes = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert notes["features"] == list(FEATURES)
    assert notes["C"] in training.CS
    assert shipped.lead_margin in training.MARGINS
    assert shipped.length_rule in (None, *training.ALL_LENGTH_RULES)
    articles = training.build(Path(tempfile.gettempdir()))
    # The expanded features are nearly collinear, so the coefficients are weakly identified:
    # noise of 1e-6 in the features (the encoder's runtime, BLAS) moves single coefficients by
    # ~0.04. What the scorer decides is well identified: compare the scores and the sentences
    # they rank first, on every article of the path's training view.
    paths = [(shipped, notes["C"], False), (shipped.titled, notes["titled"]["C"], True)]
    for scorer, c, symmetric in paths:
        assert scorer is not None
        view = training.training_view(articles, symmetric=symmetric)
        fresh = training.fit_logistic(articles, c, symmetric=symmetric)
        if symmetric:
            # The headlined path blends its scorer with the untitled one (`blend`).
            untitled_fresh = training.fit_logistic(articles, notes["C"])
            fresh = training.blend(untitled_fresh, fresh, notes["titled"].get("blend", 1.0))
            view = [training.titled(article) for article in articles]  # as the path sees them
        assert _agreement(fresh, scorer, view) > 0.97
        # The check tells a different model apart: here one with its strongest weight lost.
        lost = SentenceScorer(scorer.mean, scorer.scale, scorer.coef.copy(), scorer.intercept)
        lost.coef[int(np.argmax(np.abs(lost.coef)))] = 0.0
        assert _agreement(lost, scorer, view) < 0.97
    # The scorer for headlined articles learns from every article with and without one.
    assert shipped.titled is not None
    assert notes["titled"]["C"] in training.CS
    assert shipped.titled.lead_margin in training.MARGINS
    assert shipped.titled.length_rule in (None, *training.ALL_LENGTH_RULES)
    assert notes["titled"].get("blend", 1.0) in training.ALL_BLENDS


def _agreement(a: SentenceScorer, b: SentenceScorer, view: list[Any]) -> float:
    """The share of articles whose three best-scored sentences are the same for `a` and `b`,
    when the scores of all sentences also correlate above 0.995 (else 0)."""
    same = 0
    first: list[np.ndarray] = []
    second: list[np.ndarray] = []
    for article in view:
        x = expand_features(article.features)
        sa, sb = a.score(x), b.score(x)
        first.append(sa)
        second.append(sb)
        same += set(np.argsort(-sa)[:3]) == set(np.argsort(-sb)[:3])
    if np.corrcoef(np.concatenate(first), np.concatenate(second))[0, 1] < 0.995:
        return 0.0
    return same / len(view)


def _training() -> Any:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module("train_summary_model")
    finally:
        sys.path.remove(str(ROOT / "bench"))


def _article(training: Any, source: str, title: str | None, from_url: Any = None) -> Any:
    base = training.BASE_FEATURES
    features = np.arange(3 * len(base), dtype=float).reshape(3, len(base))
    features[:, base.index("has_title")] = 0.0 if title is None else 1.0
    if title is None:
        features[:, base.index("title_similarity")] = 0.0
    return training.Article(
        source,
        title,
        "Body.",
        "Ref.",
        ["A.", "B.", "C."],
        features,
        np.eye(3),
        np.zeros(3),
        from_url,
    )


def test_titled_gives_an_article_the_headline_of_its_address_or_one_that_says_nothing() -> None:
    training = _training()
    base = training.BASE_FEATURES
    plain = _article(training, "cnn_dm_frank_100", None)
    titled = training.titled(plain)
    assert titled.features[:, base.index("has_title")].tolist() == [1.0, 1.0, 1.0]
    assert titled.features[:, base.index("title_similarity")].tolist() == [0.0, 0.0, 0.0]
    others = [j for j, name in enumerate(base) if name not in ("has_title", "title_similarity")]
    assert np.array_equal(titled.features[:, others], plain.features[:, others])
    assert plain.features[:, base.index("has_title")].tolist() == [0.0, 0.0, 0.0]  # a copy
    addressed = _article(training, "cnn_dm_frank_100", None, np.array([0.5, 0.1, 0.2]))
    column = training.titled(addressed).features[:, base.index("title_similarity")]
    assert column.tolist() == [0.5, 0.1, 0.2]
    with_title = _article(training, "bbc_news_summary_100", "Headline")
    assert training.titled(with_title) is with_title


def test_untitled_takes_the_headline_away() -> None:
    training = _training()
    base = training.BASE_FEATURES
    with_title = _article(training, "bbc_news_summary_100", "Headline")
    plain = training.untitled(with_title)
    assert plain.features[:, base.index("has_title")].tolist() == [0.0, 0.0, 0.0]
    assert plain.features[:, base.index("title_similarity")].tolist() == [0.0, 0.0, 0.0]
    assert with_title.features[:, base.index("has_title")].tolist() == [1.0, 1.0, 1.0]
    untitled = _article(training, "cnn_dm_frank_100", None)
    assert training.untitled(untitled) is untitled


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (
            "http://www.example.co.uk/news/article-123/Council-votes-build-bridge-Tamsin.html",
            "Council votes build bridge Tamsin",
        ),
        (
            "https://edition.example.com/2031/04/03/world/river-town-floods/index.html",
            "river town floods",
        ),
        ("http://archive.example.org/web/2031id_/http://example.com/a/b-c.html", None),
        ("https://example.com/2031/04/03/12345/", None),
        ("", None),
        ("not a url at all", None),
    ],
)
def test_a_headline_is_read_from_an_address(url: str, title: str | None) -> None:
    assert _training().url_title(url) == title


def test_untitled_undoes_titled() -> None:
    training = _training()
    plain = _article(training, "cnn_dm_frank_100", None, np.array([0.5, 0.1, 0.2]))
    again = training.untitled(training.titled(plain))
    assert np.array_equal(again.features, plain.features)


def test_an_untitled_article_is_learned_from_with_and_without_the_headline_of_its_address() -> None:
    training = _training()
    base = training.BASE_FEATURES
    bbc = _article(training, "bbc_news_summary_100", "Headline")
    cnn = _article(training, "cnn_dm_frank_100", None, np.array([0.5, 0.1, 0.2]))
    bare = _article(training, "cnn_dm_frank_100", None)
    view = training.training_view([bbc, cnn, bare])
    assert len(view) == 4
    assert view[0] is bbc and view[1] is cnn and view[3] is bare
    assert view[2].features[:, base.index("title_similarity")].tolist() == [0.5, 0.1, 0.2]
    assert view[2].features[:, base.index("has_title")].tolist() == [1.0, 1.0, 1.0]
    both_ways = training.training_view([bbc, cnn, bare], symmetric=True)
    assert len(both_ways) == 5
    assert [v.title for v in both_ways[:4]] == [v.title for v in view]
    assert both_ways[4].features[:, base.index("has_title")].tolist() == [0.0, 0.0, 0.0]
    assert both_ways[4].features[:, base.index("title_similarity")].tolist() == [0.0, 0.0, 0.0]


def test_a_blend_scores_as_its_two_scorers_weighed() -> None:
    training = _training()
    rng = np.random.default_rng(7)
    n = len(training.FEATURES)

    def scorer(offset: float) -> SentenceScorer:
        return SentenceScorer(
            rng.normal(size=n), rng.uniform(0.5, 2.0, size=n), rng.normal(size=n), offset
        )

    untitled_scorer, titled_scorer = scorer(-1.0), scorer(0.5)
    titled_scorer = replace(titled_scorer, lead_margin=0.75, redundancy=0.8)
    article = _article(training, "bbc_news_summary_100", "Headline")
    with_title = expand_features(article.features)
    without = expand_features(training.untitled(article).features)
    for w in training.ALL_BLENDS:
        blended = training.blend(untitled_scorer, titled_scorer, w)
        expected = w * titled_scorer.score(with_title) + (1 - w) * untitled_scorer.score(without)
        assert np.allclose(blended.score(with_title), expected)
        assert (blended.lead_margin, blended.redundancy) == (0.75, 0.8)
    alone = training.blend(untitled_scorer, titled_scorer, 1.0)
    assert np.array_equal(alone.coef, titled_scorer.coef)
    # At 0 the headline is not read at all: its similarity to the sentences changes nothing.
    other = with_title.copy()
    other[:, training.BASE_FEATURES.index("title_similarity")] += 1.0
    ignoring = training.blend(untitled_scorer, titled_scorer, 0.0)
    assert np.allclose(ignoring.score(other), ignoring.score(with_title))


def _objective(x: np.ndarray, y: np.ndarray, coef: np.ndarray, intercept: float, c: float) -> float:
    z = x @ coef + intercept
    return float(c * np.sum(np.logaddexp(0.0, z) - y * z) + coef @ coef / 2)


def test_the_newton_solver_reaches_the_regularised_optimum() -> None:
    pytest.importorskip("sklearn")
    from sklearn.linear_model import LogisticRegression

    training = _training()
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 6))
    x[:, 5] = x[:, 4] + 0.01 * rng.normal(size=400)  # nearly collinear, as the features are
    y = (x[:, 0] - 2 * x[:, 4] + rng.logistic(size=400) > 0.5).astype(float)
    weight = np.ones(400)
    for c in (0.03, 1.0):
        coef, intercept = training.newton_logistic(x, y, weight, c)
        exact = LogisticRegression(C=c, tol=1e-12, max_iter=100_000).fit(x, y)
        assert np.allclose(coef, exact.coef_[0], atol=1e-5)
        assert abs(intercept - exact.intercept_[0]) < 1e-5
        # The gradient vanishes: no other point does better.
        nudged = coef.copy()
        nudged[0] += 1e-3
        assert _objective(x, y, coef, intercept, c) < _objective(x, y, nudged, intercept, c)


def test_a_bagged_scorer_scores_as_the_mean_of_its_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    training = _training()
    rng = np.random.default_rng(5)
    articles = []
    for k in range(12):
        a = _article(training, "cnn_dm_frank_100", None)
        features = rng.normal(size=(6, len(training.BASE_FEATURES)))
        features[:, training.BASE_FEATURES.index("has_title")] = 0.0
        features[:, training.BASE_FEATURES.index("title_similarity")] = 0.0
        labels = np.zeros(6)
        labels[[k % 6, (k + 2) % 6]] = 1.0
        articles.append(replace(a, features=features, labels=labels, sentences=["S."] * 6))
    monkeypatch.setattr(training, "SOLVER", "newton")
    monkeypatch.setattr(training, "BAGS", 0)
    single = training._fit_logistic(articles, 1.0, symmetric=False)
    monkeypatch.setattr(training, "BAGS", 3)
    bagged = training._fit_logistic(articles, 1.0, symmetric=False)
    # The same draws as _fit_logistic makes: the mean of the four fits' scores.
    draws = np.random.default_rng(1234 + len(articles))
    fits = [single] + [
        training._fit_once(
            [articles[i] for i in draws.integers(0, len(articles), len(articles))],
            1.0,
            symmetric=False,
        )
        for _ in range(3)
    ]
    x = expand_features(articles[0].features)
    assert np.allclose(bagged.score(x), np.mean([f.score(x) for f in fits], axis=0))
    assert not np.allclose(bagged.score(x), single.score(x))
