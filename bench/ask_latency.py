"""Answer latency over 10,000 stored articles: p50/p95 per question and peak memory.

    python bench/ask_latency.py [--articles 10000] [--questions 200] [--pool 2000] [--slowest N]

Articles are synthetic but varied: each recombines sentences drawn from the eval corpora
(NEWSBRIEF_EVAL_DIR, default ../shared/eval), with two of them quoted by one of a few hundred
made-up people. A pool of sentences is embedded once with MiniLM and the articles reuse those
vectors, so setup stays fast; answering embeds only the question, as in production.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summaries.answers.answer import Answerer  # noqa: E402
from summaries.store import NewArticle, Store  # noqa: E402
from summaries.types import Quote  # noqa: E402
from summaries.understand.embed import MiniLMEmbedder  # noqa: E402
from summaries.understand.text import split_sentences  # noqa: E402

FIRST = "Ana Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jonas Kemal Lena Marco Nadia Omar".split()
LAST = (
    "Alvarez Brandt Castillo Duarte Eriksen Fischer Gallo Haddad Ivanova Jensen Kowalski "
    "Lindqvist Moreau Novak Okafor Petrov Quinn Rossi Sato Tanaka"
).split()
SOURCES = ["Harbour Times", "Daily Ledger", "Metro Wire", "Coast Post", "Valley News"]


def eval_dir() -> Path:
    return Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def sentence_pool(n: int, rng: random.Random) -> list[str]:
    """Up to `n` distinct sentences of 8 to 40 words from the eval corpora."""
    found: set[str] = set()
    corpora = sorted((eval_dir() / "summarization").glob("*.jsonl"))
    for path in [*corpora, eval_dir() / "quotes" / "polnear_dev.jsonl"]:
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


def build(
    store: Store, pool: list[str], vectors: np.ndarray, n: int, rng: random.Random
) -> list[dict[str, Any]]:
    """Store `n` articles; returns what each quote was (speaker, words) for the questions."""
    people = [f"{f} {last}" for f in FIRST for last in LAST]
    said: list[dict[str, Any]] = []
    now = datetime.now(UTC)
    for a in range(n):
        picks = rng.sample(range(len(pool)), 10)
        quoted = picks[3:5]
        speakers = rng.sample(people, 2)
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        quotes: list[Quote] = []
        at = 0
        for k, i in enumerate(picks):
            if i in quoted:
                who = speakers[quoted.index(i)]
                head = "“"
                body = pool[i].rstrip(".") + ","
                piece = f"{head}{body}” {who} said."
                quotes.append(
                    Quote(
                        text=body,
                        spans=((at + 1, at + 1 + len(body)),),
                        speaker=who,
                        speaker_mention=who,
                        cue="said",
                        context=piece,
                    )
                )
                said.append({"speaker": who, "text": body, "article": a})
            else:
                piece = pool[i]
            spans.append((at, at + len(piece)))
            parts.append(piece)
            at += len(piece) + (2 if k % 3 == 2 else 1)
            parts.append("\n\n" if k % 3 == 2 else " ")
        text = "".join(parts).rstrip()
        title = " ".join(pool[picks[0]].split()[:9])
        store.save_article(
            NewArticle(
                text=text,
                url=f"https://news{a % 50}.example/story/{a}",
                title=title,
                site=SOURCES[a % len(SOURCES)],
                published=now - timedelta(hours=a % (24 * 30)),
                quotes=tuple(quotes),
                quote_vectors=vectors[quoted],
                sentence_spans=tuple(spans),
                sentence_vectors=vectors[picks],
                embedding_model=MiniLMEmbedder.name,
            )
        )
    return said


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest questions")
    args = parser.parse_args()
    rng = random.Random(7)
    embedder = MiniLMEmbedder()
    t0 = time.perf_counter()
    pool = sentence_pool(args.pool, rng)
    vectors = embedder.encode(pool, batch_size=64)
    print(f"pool: {len(pool)} sentences embedded in {time.perf_counter() - t0:.1f} s")
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/latency.db") as store:
        t0 = time.perf_counter()
        said = build(store, pool, vectors, args.articles, rng)
        print(f"stored {store.count_articles()} articles in {time.perf_counter() - t0:.1f} s")
        answerer = Answerer(store, embedder)
        t0 = time.perf_counter()
        answerer.answer("what happened with the harbour this week?")  # loads vectors and model
        print(f"warm-up (vector index + model): {time.perf_counter() - t0:.1f} s")
        asked = questions(pool, said, args.questions, rng)
        times: list[float] = []
        found = 0
        for question in asked:
            t = time.perf_counter()
            answer = answerer.answer(question)
            times.append(time.perf_counter() - t)
            found += answer.found
    for took, question in sorted(zip(times, asked, strict=True), reverse=True)[: args.slowest]:
        print(f"  {took * 1000:6.0f} ms  {question[:100]!r}")
    times.sort()
    p50 = times[len(times) // 2] * 1000
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))] * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"questions: {len(asked)}  answered: {found}")
    print(f"latency: p50 {p50:.0f} ms  p95 {p95:.0f} ms  max {times[-1] * 1000:.0f} ms")
    print(f"peak RSS: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
