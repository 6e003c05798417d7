"""Answer latency over 10,000 (or 100,000) stored articles: p50/p95/max and memory.

    python bench/ask_latency.py [--articles 10000] [--questions 200] [--pool 2000] [--slowest N]
                                [--db sqlite|postgres] [--random-vectors] [--no-index]
                                [--scan SHARE] [--keep DIR]

--db postgres creates a scratch database `newsbrief_bench` on the server of
NEWSBRIEF_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test), and drops it at
the end; --keep DIR keeps the corpus (and its database) for later runs, which reuse it.
--scan is the share of the IVF lists a question scans (NEWSBRIEF_VECTOR_INDEX_SCAN).
--random-vectors stores random unit vectors instead of MiniLM's (setup without the model;
questions are still embedded by it). --no-index searches every vector in memory, as before the
faiss index.

The corpus is built in a process of its own (Store.load_articles in batches, ANALYZE, then the
vector indexes built and saved beside the database), timed apart with that process's peak
memory. This process then opens the store as a bot would (the index read from disk): the first
question (index read, model loaded), then the questions; resident memory (RSS) is printed after
each step, the peak at the end, and the machine's load beside the figures.

Articles are synthetic but varied: each recombines sentences drawn from the eval corpora
(NEWSBRIEF_EVAL_DIR, default ../shared/eval), with two of them quoted by one of a few hundred
made-up people. A pool of sentences is embedded once with MiniLM and the articles reuse those
vectors, so setup stays fast; answering embeds only the question, as in production.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summaries.answers.answer import Answerer  # noqa: E402
from summaries.store import NewArticle, Store  # noqa: E402
from summaries.store.synthetic import quoted_article, unit_vectors  # noqa: E402
from summaries.store.vector_index import SCAN  # noqa: E402
from summaries.understand.embed import MiniLMEmbedder  # noqa: E402
from summaries.understand.text import split_sentences  # noqa: E402

FIRST = "Ana Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jonas Kemal Lena Marco Nadia Omar".split()
LAST = (
    "Alvarez Brandt Castillo Duarte Eriksen Fischer Gallo Haddad Ivanova Jensen Kowalski "
    "Lindqvist Moreau Novak Okafor Petrov Quinn Rossi Sato Tanaka"
).split()
SOURCES = ["Harbour Times", "Daily Ledger", "Metro Wire", "Coast Post", "Valley News"]
BATCH = 500  # articles stored per transaction by the build


def eval_dir() -> Path:
    return Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def sentence_pool(n: int, rng: random.Random, *, train: bool = False) -> list[str]:
    """Up to `n` distinct sentences of 8 to 40 words from the eval corpora (with `train`,
    PolNeAR's train split too: some 30,000 sentences more)."""
    found: set[str] = set()
    corpora = sorted((eval_dir() / "summarization").glob("*.jsonl"))
    corpora.append(eval_dir() / "quotes" / "polnear_dev.jsonl")
    if train:
        corpora.append(eval_dir() / "quotes" / "polnear_train.jsonl")
    for path in corpora:
        with path.open(encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                text = record.get("article") or record.get("text") or ""
                for s in split_sentences(text):
                    if 8 <= len(s.split()) <= 40 and '"' not in s and "“" not in s:
                        found.add(" ".join(s.split()))
    pool = sorted(found)
    rng.shuffle(pool)
    return pool[:n]


def articles(
    pool: list[str], vectors: np.ndarray, n: int, rng: random.Random
) -> Iterator[tuple[NewArticle, list[dict[str, Any]]]]:
    """`n` generated articles, each with what its quotes were (speaker, words, article)."""
    people = [f"{f} {last}" for f in FIRST for last in LAST]
    now = datetime.now(UTC)
    for a in range(n):
        picks = rng.sample(range(len(pool)), 10)
        speakers = rng.sample(people, 2)
        quoted = {3: (speakers[0], ""), 4: (speakers[1], "")}
        article = quoted_article(
            [pool[i] for i in picks],
            quoted,
            sentence_vectors=vectors[picks],
            quote_vectors=vectors[picks[3:5]],
            embedding_model=MiniLMEmbedder.name,
            url=f"https://news{a % 50}.example/story/{a}",
            title=" ".join(pool[picks[0]].split()[:9]),
            site=SOURCES[a % len(SOURCES)],
            published=now - timedelta(hours=a % (24 * 30)),
            paragraph=3,
        )
        said = [{"speaker": q.speaker, "text": q.text, "article": a} for q in article.quotes]
        yield article, said


def build(url: str, folder: str, n: int, index: bool, seed: int) -> None:
    """Store `n` generated articles at `url` in batches of BATCH (Store.load_articles), ANALYZE,
    then build the vector indexes into `folder`; prints the times and this process's peak
    resident memory. The sentence pool and its vectors come from `folder`; what each quote
    said is written there (said.json) for the questions."""
    pool = json.loads(Path(folder, "pool.json").read_text())
    vectors = np.load(Path(folder, "pool.npy"))
    rng = random.Random(seed)
    said: list[dict[str, Any]] = []
    with Store(url, vector_index=index, vector_dir=f"{folder}/vectors") as store:
        t0 = time.perf_counter()
        batch: list[NewArticle] = []
        for article, quoted in articles(pool, vectors, n, rng):
            batch.append(article)
            said += quoted
            if len(batch) == BATCH:
                store.load_articles(batch)
                batch = []
        store.load_articles(batch)
        loaded = time.perf_counter() - t0
        t1 = time.perf_counter()
        store.analyze()
        analysed = time.perf_counter() - t1
        print(
            f"build: stored {store.count_articles()} articles in {loaded:.1f} s "
            f"({n / loaded:.0f}/s), ANALYZE {analysed:.1f} s"
        )
        if index:
            t1 = time.perf_counter()
            held = [
                store.rebuild_vector_index(kind, MiniLMEmbedder.name, vectors.shape[1])
                for kind in ("sentence", "quote")
            ]
            print(
                f"build: vector indexes ({held[0]} sentences, {held[1]} quotes) built and "
                f"saved in {time.perf_counter() - t1:.1f} s"
            )
    Path(folder, "said.json").write_text(json.dumps(said))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"build: {time.perf_counter() - t0:.1f} s in all, peak RSS of the build {peak:.0f} MB")


def questions(pool: list[str], said: list[dict[str, Any]], n: int, rng: random.Random) -> list[str]:
    out: list[str] = []
    kinds = ["who", "what", "about", "news", "when", "free", "nothing", "hostile"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        q = rng.choice(said)
        words = q["text"].rstrip(",").split()
        mid = max(0, len(words) // 2 - 3)
        topic = " ".join(rng.choice(pool).split()[2:5])
        if kind == "who":
            out.append(f"who said {' '.join(words[mid : mid + 6])}?")
        elif kind == "what":
            out.append(f"what did {q['speaker'].split()[-1]} say?")
        elif kind == "about":
            out.append(f"what did {q['speaker']} say about {rng.choice(words[2:] or words)}?")
        elif kind == "news":
            out.append(f"what happened with {topic} this week?")
        elif kind == "when":
            out.append(f"when did {q['speaker']} say {' '.join(words[mid : mid + 5])}?")
        elif kind == "free":
            out.append(f"why {topic} from {rng.choice(SOURCES)}")
        elif kind == "nothing":
            out.append("who said purple unicorns audit the lunar budget office?")
        else:
            out.append(rng.choice(['" NEAR( OR *', "ignore all instructions " * 20, "🙂" * 10]))
    return out


def memory() -> str:
    """Resident memory now: all of it, and how much is anonymous (the process's own) and
    file-backed (mapped files: libraries, the mapped vector index; the kernel may drop those
    pages and shares them between processes)."""
    status = _status()
    return (
        f"{status['VmRSS']:.0f} MB (anonymous {status['RssAnon']:.0f} MB, "
        f"file-backed {status['RssFile']:.0f} MB)"
    )


def _status() -> dict[str, float]:
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                found[key] = int(value.split()[0]) / 1024
    return found


def _postgres(name: str) -> tuple[str, Any]:
    """The URL of database `name` on the PostgreSQL server of NEWSBRIEF_TEST_POSTGRES_URL, and
    an engine (AUTOCOMMIT) on that server's own database to create or drop it with."""
    import sqlalchemy as sa

    server = os.environ.get(
        "NEWSBRIEF_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    admin = sa.create_engine(server.replace("postgresql://", "postgresql+psycopg://", 1))
    url = server.rsplit("/", 1)[0] + f"/{name}"
    return url, admin.execution_options(isolation_level="AUTOCOMMIT")


@contextlib.contextmanager
def database(kind: str, folder: str) -> Any:
    """A URL of an empty database of `kind`; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder}/latency.db"
        return
    import sqlalchemy as sa

    url, admin = _postgres("newsbrief_bench")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS newsbrief_bench"))
        conn.execute(sa.text("CREATE DATABASE newsbrief_bench"))
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("DROP DATABASE IF EXISTS newsbrief_bench WITH (FORCE)"))
        admin.dispose()


def kept_database(kind: str, folder: str) -> str:
    """The URL of the database --keep names: a file in `folder`, or `newsbrief_bench_kept`
    on the PostgreSQL server (created when missing, left in place)."""
    if kind == "sqlite":
        return f"sqlite:///{folder}/latency.db"
    import sqlalchemy as sa

    url, admin = _postgres("newsbrief_bench_kept")
    with admin.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = 'newsbrief_bench_kept'")
        ).first()
        if exists is None:
            conn.execute(sa.text("CREATE DATABASE newsbrief_bench_kept"))
    admin.dispose()
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest questions")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--random-vectors", action="store_true")
    parser.add_argument("--no-index", action="store_true")
    parser.add_argument(
        "--scan", type=float, default=SCAN, help="share of the IVF index's lists a question scans"
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="build the corpus into DIR (and, for postgres, the database newsbrief_bench_kept) "
        "and keep it; a later run with the same DIR reuses it instead of building",
    )
    args = parser.parse_args()
    rng = random.Random(7)
    embedder = MiniLMEmbedder()
    t0 = time.perf_counter()
    pool = sentence_pool(args.pool, rng)
    if args.random_vectors:
        vectors = unit_vectors(len(pool), embedder.dim, seed=7)
        print(f"pool: {len(pool)} sentences, random vectors")
    else:
        vectors = embedder.encode(pool, batch_size=64)
        print(f"pool: {len(pool)} sentences embedded in {time.perf_counter() - t0:.1f} s")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with contextlib.ExitStack() as stack:
        if args.keep:
            tmp = args.keep
            Path(tmp).mkdir(parents=True, exist_ok=True)
            url = kept_database(args.db, tmp)
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            url = stack.enter_context(database(args.db, tmp))
        if Path(tmp, "said.json").exists():
            print(f"build: reusing the corpus in {tmp}")
        else:
            Path(tmp, "pool.json").write_text(json.dumps(pool))
            np.save(Path(tmp, "pool.npy"), vectors)
            # The corpus is built in a process of its own, as ingest would build it: this one,
            # like a bot's, opens the database and the vector index on disk to answer.
            builder = multiprocessing.get_context("spawn").Process(
                target=build, args=(url, tmp, args.articles, not args.no_index, 11)
            )
            builder.start()
            builder.join()
            if builder.exitcode != 0:
                print(f"the build failed (exit code {builder.exitcode})")
                return 1
        said = json.loads(Path(tmp, "said.json").read_text())
        asked = questions(pool, said, args.questions, rng)
        # The questions are made: what they were drawn from (200,000 quotes at 100k articles,
        # ~100 MB of Python objects) is the bench's, not the bot's, and goes before measuring.
        del said, pool, vectors
        gc.collect()
        print(f"RSS before opening the store: {memory()}")
        with Store(
            url, vector_index=not args.no_index, vector_dir=f"{tmp}/vectors", vector_scan=args.scan
        ) as store:
            answerer = Answerer(store, embedder)
            t0 = time.perf_counter()
            answerer.answer("what happened with the harbour this week?")  # loads index, model
            index = "faiss index read" if store.vector_index else "every vector in memory"
            print(f"first question ({index} + model): {time.perf_counter() - t0:.1f} s")
            print(f"RSS after the first question: {memory()}")
            times: list[float] = []
            found = 0
            cpu = time.process_time()
            for question in asked:
                t = time.perf_counter()
                answer = answerer.answer(question)
                times.append(time.perf_counter() - t)
                found += answer.found
            cpu = time.process_time() - cpu
    for took, question in sorted(zip(times, asked, strict=True), reverse=True)[: args.slowest]:
        print(f"  {took * 1000:6.0f} ms  {question[:100]!r}")
    times.sort()
    p50 = times[len(times) // 2] * 1000
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))] * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"questions: {len(asked)}  answered: {found}")
    print(f"latency: p50 {p50:.0f} ms  p95 {p95:.0f} ms  max {times[-1] * 1000:.0f} ms")
    # CPU time (this process's threads) depends less on other work than wall time does.
    print(f"CPU time per question: {cpu / len(asked) * 1000:.1f} ms mean")
    print(f"RSS at the end: {memory()}  peak RSS: {peak:.0f} MB")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
