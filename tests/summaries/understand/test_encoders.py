"""The encoder's runtimes and precisions: each loads, agrees with torch fp32 on our own
sentences, and an ONNX Runtime that can't be had falls back to torch fp32."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from summaries.understand import embed
from summaries.understand.embed import MiniLMEmbedder, onnx_available

SENTENCES = [
    "The council approved the harbour budget on Tuesday after a long debate.",
    '"We will open the bridge again in the spring," said Mayor Ann Reed.',
    "Rain is expected.",
    "Shares in the carmaker fell 4% after it cut its forecast for the year, citing weak demand "
    "in China and the cost of new tariffs on parts imported from Mexico and Canada.",
]

needs_onnx = pytest.mark.skipif(not onnx_available(), reason="onnxruntime not installed")


@pytest.fixture(scope="module")
def fp32() -> np.ndarray:
    return MiniLMEmbedder(cache_size=0, runtime="torch", precision="fp32").encode(SENTENCES)


@pytest.fixture
def encoder_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """The default cache, unless the home folder can't be written (then a temporary one)."""
    try:
        embed.encoder_cache_dir().mkdir(parents=True, exist_ok=True)
    except OSError:
        monkeypatch.setenv("NEWSBRIEF_ENCODER_CACHE", str(tmp_path_factory.mktemp("encoders")))


@pytest.mark.model
@needs_onnx
@pytest.mark.usefixtures("encoder_cache")
def test_onnx_fp32_loads_and_agrees_with_torch_fp32(fp32: np.ndarray) -> None:
    onnx = MiniLMEmbedder(cache_size=0, runtime="onnx", precision="fp32")
    vectors = onnx.encode(SENTENCES, batch_size=3)
    assert (onnx.runtime, onnx.precision) == ("onnx", "fp32")
    assert vectors.shape == (len(SENTENCES), 384)
    assert np.sum(vectors * fp32, axis=1).min() >= 0.999
    # the exported file is kept, and loads again without a new export
    assert any(embed.encoder_cache_dir().glob("minilm-*-fp32.onnx"))


@pytest.mark.model
@needs_onnx
@pytest.mark.usefixtures("encoder_cache")
def test_onnx_int8_loads_and_stays_close_to_fp32(fp32: np.ndarray) -> None:
    # int8 is not the default: its worst cosine on news falls below 0.99 (encoder_bench.py)
    int8 = MiniLMEmbedder(cache_size=0, runtime="onnx", precision="int8")
    vectors = int8.encode(SENTENCES)
    assert (int8.runtime, int8.precision) == ("onnx", "int8")
    assert np.sum(vectors * fp32, axis=1).min() >= 0.9


@pytest.mark.model
def test_torch_int8_loads_and_stays_close_to_fp32(fp32: np.ndarray) -> None:
    int8 = MiniLMEmbedder(cache_size=0, runtime="torch", precision="int8")
    vectors = int8.encode(SENTENCES)
    assert np.sum(vectors * fp32, axis=1).min() >= 0.8


@pytest.mark.model
def test_without_onnxruntime_onnx_falls_back_to_torch_fp32(
    monkeypatch: pytest.MonkeyPatch, fp32: np.ndarray
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if not installed
    assert not onnx_available()
    assert MiniLMEmbedder(runtime="auto").runtime == "torch"
    asked = MiniLMEmbedder(cache_size=0, runtime="onnx", precision="int8")
    vectors = asked.encode(SENTENCES)
    assert (asked.runtime, asked.precision) == ("torch", "fp32")
    assert np.sum(vectors * fp32, axis=1).min() >= 0.9999


def test_the_environment_chooses_the_encoder_when_the_caller_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSBRIEF_ENCODER", "torch")
    monkeypatch.setenv("NEWSBRIEF_ENCODER_PRECISION", "bf16")
    chosen = MiniLMEmbedder()
    assert (chosen.runtime, chosen.precision) == ("torch", "bf16")
    assert MiniLMEmbedder(runtime="onnx", precision="fp32").precision == "fp32"
    with pytest.raises(ValueError, match="runtime"):
        MiniLMEmbedder(runtime="tensorflow")


def test_auto_picks_onnx_when_it_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSBRIEF_ENCODER", raising=False)
    expected = "onnx" if onnx_available() else "torch"
    assert MiniLMEmbedder(runtime="auto", precision="fp32").runtime == expected
    assert MiniLMEmbedder(runtime="auto", precision="bf16").runtime == "torch"


@pytest.mark.model
@needs_onnx
@pytest.mark.usefixtures("encoder_cache")
def test_onnx_runs_on_the_threads_it_is_given() -> None:
    one = MiniLMEmbedder(cache_size=0, runtime="onnx", num_threads=1)
    one.encode(["A short sentence."])
    assert one._model.get_session_options().intra_op_num_threads == 1


def test_length_batches_group_similar_lengths_within_the_padding_bound() -> None:
    lengths = [30, 5, 6, 31, 7, 29, 100, 5, 6, 30]
    batches = embed.length_batches(lengths, most=3, slack=1.15)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))  # each once
    for batch in batches:
        assert len(batch) <= 3
        real = sum(lengths[i] for i in batch)
        assert len(batch) * max(lengths[i] for i in batch) <= 1.15 * real
    # shortest first, and the long outlier alone rather than padding others to 100
    assert [lengths[i] for i in batches[0]] == [5, 5, 6]
    assert [lengths[i] for i in batches[-1]] == [100]
    assert embed.length_batches([], most=4) == []
    # no bound: fixed batches of `most`, in length order
    assert [len(b) for b in embed.length_batches(lengths, most=4, slack=float("inf"))] == [4, 4, 2]


@pytest.mark.model
@pytest.mark.parametrize("runtime", ["torch", pytest.param("onnx", marks=needs_onnx)])
@pytest.mark.usefixtures("encoder_cache")
def test_batched_vectors_are_those_of_each_text_alone(runtime: str) -> None:
    # texts of very different lengths share batches padded to their longest: the padding
    # must not move a vector
    model = MiniLMEmbedder(cache_size=0, runtime=runtime, precision="fp32", pad_slack=float("inf"))
    together = model.encode(SENTENCES, batch_size=16)  # one batch, padded to the longest
    alone = np.vstack([model.encode([s]) for s in SENTENCES])
    assert np.sum(together * alone, axis=1).min() >= 0.9999


ODD_TEXTS = [
    "",
    "Ça coûte 5 € — un café naïve, s'il vous plaît.",
    "🙂 " * 12,
    "中文 テキスト and English",
    "word " * 400,  # past max_length: truncated
    '" NEAR( OR *',
]


@pytest.mark.model
def test_the_plain_tokenizer_gives_transformers_token_ids() -> None:
    from transformers import AutoTokenizer

    folder = embed.default_minilm_dir()
    plain = embed._plain_tokenizer(folder)
    assert plain is not None
    full = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    for batch in (SENTENCES, ODD_TEXTS, SENTENCES[:1]):
        for limit in (256, 16):
            want = full(batch, padding=False, truncation=True, max_length=limit)
            got = plain(batch, padding=False, truncation=True, max_length=limit)
            assert set(got) == set(want)
            for key in got:
                assert got[key] == want[key], (key, limit)
    assert plain.pad_token_id == full.pad_token_id
    with pytest.raises(ValueError):  # each batch is padded by the encoder, never here
        plain(SENTENCES, padding=True)


def test_without_tokenizer_json_there_is_no_plain_tokenizer(tmp_path: Path) -> None:
    assert embed._plain_tokenizer(tmp_path) is None  # transformers' tokenizer is used then
    (tmp_path / "tokenizer.json").write_text("not json")
    assert embed._plain_tokenizer(tmp_path) is None


@pytest.mark.model
@needs_onnx
@pytest.mark.usefixtures("encoder_cache")
def test_the_onnx_encoder_runs_without_importing_torch(fp32: np.ndarray, tmp_path: Path) -> None:
    # A bot answering questions on ONNX Runtime never needs torch (~200 MB resident).
    MiniLMEmbedder(runtime="onnx").encode(["export the model first, if needed"])
    script = (
        "import sys, numpy as np\n"
        "from summaries.understand.embed import MiniLMEmbedder\n"
        "e = MiniLMEmbedder(cache_size=0, runtime='onnx', precision='fp32')\n"
        f"v = e.encode({SENTENCES!r})\n"
        "print(e.runtime, 'torch' in sys.modules, 'transformers' in sys.modules)\n"
        "np.save(sys.argv[1], v)\n"
    )
    root = str(Path(embed.__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    path = tmp_path / "v.npy"
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["onnx", "False", "False"]
    assert np.sum(np.load(path) * fp32, axis=1).min() >= 0.999
