import threading

import numpy as np
import pytest

from summaries.understand.embed import Embedder, MiniLMEmbedder, default_minilm_dir


def test_default_model_dir_is_the_packaged_minilm() -> None:
    folder = default_minilm_dir()
    assert (folder / "config.json").is_file()
    assert (folder / "tokenizer.json").is_file()


def test_empty_input_gives_an_empty_matrix_without_loading_the_model() -> None:
    embedder = MiniLMEmbedder(model_dir="/nonexistent/model")  # loading would fail
    out = embedder.encode([])
    assert out.shape == (0, 384)
    assert out.dtype == np.float32


@pytest.mark.model
def test_encode_returns_normalised_float32_rows(embedder: MiniLMEmbedder) -> None:
    assert isinstance(embedder, Embedder)
    texts = ["The council approved the budget.", "Rain is expected tomorrow.", "x" * 5000]
    out = embedder.encode(texts, batch_size=2)
    assert out.shape == (3, embedder.dim)
    assert out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


@pytest.mark.model
def test_similar_sentences_are_closer_than_unrelated_ones(embedder: MiniLMEmbedder) -> None:
    a, b, c = embedder.encode(
        [
            "The striker scored twice as the home team won the match.",
            "Two goals from the forward gave the hosts victory.",
            "The central bank raised interest rates by a quarter point.",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2
    assert float(a @ b) > float(b @ c) + 0.2


@pytest.mark.model
@pytest.mark.usefixtures("shared_models")
def test_rows_follow_input_order_whatever_the_batching() -> None:
    uncached = MiniLMEmbedder(cache_size=0)  # every call runs the model
    texts = [f"Sentence number {i} " + "word " * (i % 7) for i in range(10)]
    together = uncached.encode(texts, batch_size=3)
    alone = np.vstack([uncached.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


@pytest.mark.model
def test_concurrent_first_use_loads_one_model() -> None:
    embedder = MiniLMEmbedder()
    results: list[np.ndarray] = []
    threads = [
        threading.Thread(target=lambda: results.append(embedder.encode(["A test sentence."])))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3
    assert all(np.allclose(r, results[0], atol=1e-5) for r in results)


class CountingEmbedder(MiniLMEmbedder):
    """The real model, counting the texts it runs."""

    def __init__(self, **kw: int) -> None:
        super().__init__(**kw)
        self.ran: list[str] = []

    def _encode(self, texts, batch_size):  # type: ignore[no-untyped-def]
        self.ran.extend(texts)
        return super()._encode(texts, batch_size)


@pytest.mark.model
@pytest.mark.usefixtures("shared_models")
def test_texts_seen_lately_or_twice_in_a_call_run_the_model_once() -> None:
    counting = CountingEmbedder(cache_size=3)
    first = counting.encode(["Rain tomorrow.", "The bridge opens.", "Rain tomorrow."])
    again = counting.encode(["The bridge opens.", "Fares go up."])
    assert counting.ran == ["Rain tomorrow.", "The bridge opens.", "Fares go up."]
    assert np.array_equal(first[0], first[2]) and np.array_equal(first[1], again[0])
    counting.encode(["A fourth text."])  # the cache holds 3: the oldest text goes
    counting.encode(["Rain tomorrow."])
    assert counting.ran[-1] == "Rain tomorrow." and len(counting.ran) == 5


def test_an_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError, match="precision"):
        MiniLMEmbedder(precision="int4")


@pytest.mark.model
@pytest.mark.usefixtures("shared_models")
def test_bf16_agrees_with_fp32() -> None:
    texts = ["The council approved the harbour budget on Tuesday.", "Rain is expected."]
    fp32 = MiniLMEmbedder(cache_size=0).encode(texts)
    bf16 = MiniLMEmbedder(cache_size=0, precision="bf16").encode(texts)
    assert np.sum(fp32 * bf16, axis=1).min() >= 0.99
