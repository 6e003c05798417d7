"""Hostile text: every text entry point answers (or refuses with a clear error) within its time
budget, on the regression corpus (tests/summaries/hostile/) and on generated input.

The fuzz tests are bounded (a few dozen examples, small inputs); NEWSBRIEF_FUZZ_SCALE=20 runs
twenty times as many examples, to hunt. An input found slow goes into the corpus as a recipe
(see tests/hostile.py), so it is run every time from then on.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.quotes import QuoteExtractor
from tests import hostile

CORPUS = hostile.corpus()
SCALE = int(os.environ.get("NEWSBRIEF_FUZZ_SCALE", "1"))
# Entry points that run a model or a whole parser: fewer generated examples for them.
HEAVY = frozenset(
    {"quotes", "quotes untitled", "summary extractive", "extract html", "extract raw"}
    | {"feed raw", "feed rss", "feed json", "feed discovery"}
)
MAX_FUZZ_CHARS = 20_000

EntryPoints = dict[str, Callable[[str], object]]


@pytest.fixture(scope="module")
def entry_points(quote_extractor: QuoteExtractor, embedder: MiniLMEmbedder) -> EntryPoints:
    """The entry points, their models loaded first: loading is not what the budget is for."""
    hostile.warm_up(quote_extractor, embedder)
    return hostile.entry_points(quote_extractor, embedder)


def _run_all(entry_points: EntryPoints, names: list[str], text: str, label: str) -> None:
    """Run each named entry point on `text`; fail listing every one over budget."""
    slow = []
    for name in names:
        try:
            hostile.timed(lambda name=name: entry_points[name](text), f"{name} on {label}")
        except hostile.OverBudget as exc:
            slow.append(str(exc))
    assert not slow, "; ".join(slow)


def test_corpus_holds_the_known_hostile_inputs() -> None:
    assert {"dotted-leader", "quote-heavy-page"} <= CORPUS.keys()
    assert "." * 70 + "W" in CORPUS["dotted-leader"]
    assert len(CORPUS["quote-heavy-page"]) > 57_000


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_entry_point_answers_the_corpus_input_within_budget(
    entry_points: EntryPoints, name: str
) -> None:
    _run_all(entry_points, sorted(entry_points), CORPUS[name], name)


_pieces = st.one_of(st.sampled_from(hostile.ATOMS), st.text(min_size=1, max_size=3))
_hostile_text = (
    st.lists(st.tuples(_pieces, st.integers(1, 3000)), min_size=1, max_size=6)
    .map(hostile.build)
    .map(lambda t: t[:MAX_FUZZ_CHARS])
)
_FUZZ = dict(
    deadline=None,  # the budget per call is ours (hostile.BUDGET), interrupting runaway work
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@settings(max_examples=40 * SCALE, **_FUZZ)
@given(text=_hostile_text)
def test_light_entry_points_answer_generated_hostile_text_within_budget(
    entry_points: EntryPoints, text: str
) -> None:
    _run_all(entry_points, sorted(set(entry_points) - HEAVY), text, "generated text")


@settings(max_examples=8 * SCALE, **_FUZZ)
@given(text=_hostile_text)
def test_model_entry_points_answer_generated_hostile_text_within_budget(
    entry_points: EntryPoints, text: str
) -> None:
    _run_all(entry_points, sorted(HEAVY), text, "generated text")
