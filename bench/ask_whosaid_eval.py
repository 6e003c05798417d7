"""Who said it, asked in words: on PolNeAR dev, does "who said "<words>"?" name the speaker?

    python bench/ask_whosaid_eval.py [--verbose] [--via commands]
    (NEWSBRIEF_EVAL_DIR overrides ../shared/eval)

The dev articles go through the real pipeline (lead summaries for speed, the real quote
extractor and MiniLM embedder) into a temporary store. For each annotated direct quote (with
quote marks) whose speaker holds a proper name (bench/quotes_eval.py decides "named"), the
question is `who said "<6 words from the middle of the quoted words>"?` (the words inside the
quote marks, not the paraphrase an annotation may hold around them), asked through
summaries.answers.answer. It is right when the top answer's speaker shares a name word with the
annotated speaker.

`/brief whosaid`, who-said mentions and `newsbrief whosaid` go through the same engine
(`Answerer.who_said`); `--via commands` asks each probe as `/brief whosaid <words>` through
bot.commands instead, and should print the same figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quotes_eval import EVAL_DIR, _gold_names, _proper_starts, _words  # noqa: E402

from bot.commands import Caller, Commands  # noqa: E402
from summaries.answers.answer import Answerer  # noqa: E402
from summaries.ingest.fetch import Fetcher  # noqa: E402
from summaries.ingest.pipeline import Pipeline  # noqa: E402
from summaries.store import Store  # noqa: E402
from summaries.understand.embed import MiniLMEmbedder  # noqa: E402
from summaries.understand.quotes import QuoteExtractor  # noqa: E402
from summaries.understand.summarize import LeadSummarizer  # noqa: E402
from summaries.understand.text import quotation_spans  # noqa: E402

WINDOW = 6
CALLER = Caller("console", "bench", "bench", "bench")


def quoted_words(text: str, content_spans: list[list[int]], regions: list[tuple[int, int]]) -> str:
    """The words of an attribution that stand inside quote marks in the article.

    PolNeAR's content span of an attribution "with quote marks" often holds paraphrase around
    the quoted words; the question is about the direct quote, so the probe comes from inside
    the marks: the longest quotation piece overlapping the content. Without one (marks the
    annotation places elsewhere), the whole content.
    """
    best = ""
    for start, end in content_spans:
        for a, b in regions:
            lo, hi = max(start, a), min(end, b)
            if hi - lo > len(best):
                best = text[lo:hi]
    return best if len(best.split()) >= 3 else " ".join(text[a:b] for a, b in content_spans)


def probe(quote: str) -> str | None:
    """About WINDOW consecutive words from the middle of a quote, marks stripped."""
    words = [w.strip("\"'“”‘’") for w in quote.split()]
    words = [w for w in words if w]
    if len(words) < 3:
        return None
    n = min(WINDOW, len(words))
    start = (len(words) - n) // 2
    return " ".join(words[start : start + n])


def _question(words: str) -> str:
    return f'who said "{words}"?'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--via",
        choices=("ask", "commands"),
        default="ask",
        help="ask through the Answerer (default), or as `/brief whosaid <words>` through Commands",
    )
    parser.add_argument(
        "--db",
        help="SQLite file to keep the ingested store in; reused when it exists (fast reruns "
        "while only the answerer changes; delete it after changing the pipeline)",
    )
    args = parser.parse_args()
    path = EVAL_DIR / "quotes" / "polnear_dev.jsonl"
    docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    extractor = QuoteExtractor()
    embedder = MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "eval.db"
        reuse = db.exists()
        with Store(f"sqlite:///{db}") as store:
            return _run(
                store, docs, extractor, embedder, reuse=reuse, verbose=args.verbose, via=args.via
            )


def ingested(
    store: Store,
    docs: list[dict[str, Any]],
    extractor: QuoteExtractor,
    embedder: MiniLMEmbedder,
    loop: asyncio.AbstractEventLoop,
    *,
    reuse: bool,
) -> Pipeline:
    """The pipeline the ask benchmarks read through (lead summaries for speed, the real quote
    extractor and MiniLM embedder), the PolNeAR `docs` ingested into `store` through it unless
    the store already holds them (`reuse`). The caller closes it."""
    pipeline = Pipeline(
        store,
        LeadSummarizer(),
        Fetcher(timeout=5),
        quote_finder=extractor,
        embedder=embedder,
    )
    if not reuse:

        async def ingest() -> None:
            for d in docs:
                await pipeline.ingest_text(d["text"], title=d.get("title"), url=d["id"])

        t0 = time.perf_counter()
        loop.run_until_complete(ingest())
        print(f"ingested {store.count_articles()} articles in {time.perf_counter() - t0:.1f} s")
    return pipeline


def _run(
    store: Store,
    docs: list[dict[str, Any]],
    extractor: QuoteExtractor,
    embedder: MiniLMEmbedder,
    *,
    reuse: bool,
    verbose: bool,
    via: str,
) -> int:
    loop = asyncio.new_event_loop()
    pipeline = ingested(store, docs, extractor, embedder, loop, reuse=reuse)
    answerer = Answerer(store, embedder)
    commands = Commands(store, pipeline, embedder=embedder)

    def ask(words: str) -> tuple[str | None, bool]:
        """The top cited speaker for the probe, and whether anything answered."""
        if via == "commands":
            reply = loop.run_until_complete(commands.run(CALLER, f"whosaid {words}"))
            # Passages cited when no quote says the words (no quote id) are no answer to who.
            quoted = bool(reply.quotes) and reply.quotes[0].quote_id is not None
            return (reply.quotes[0].speaker if reply.quotes else None), quoted
        answer = answerer.answer(_question(words))
        found = answer.found and not answer.fallback
        return (answer.citations[0].speaker if answer.citations else None), found

    asked = right = nothing = 0
    times: list[float] = []
    for d in docs:
        text, gold = d["text"], d["quotes"]
        names = _gold_names(text, gold, _proper_starts(extractor.model(), text))
        regions = [piece for q in quotation_spans(text) for piece in q]
        for g, name in zip(gold, names, strict=True):
            if not g["has_quote_marks"] or not name:
                continue
            words = probe(quoted_words(text, g["content_spans"], regions))
            if words is None:
                continue
            t = time.perf_counter()
            top, found = ask(words)
            times.append(time.perf_counter() - t)
            asked += 1
            ok = bool(name & _words(top))
            right += ok
            nothing += not found
            if verbose and not ok:
                print(f"  [{d['id'][:40]}] {_question(words)} -> {top!r}; want {g['speaker']!r}")
    loop.run_until_complete(pipeline.fetcher.aclose())
    loop.close()
    pipeline.close()
    times.sort()
    print(f"questions: {asked}  right: {right}  no answer: {nothing}")
    print(f"who-said accuracy: {right / asked if asked else 0.0:.3f}")
    if times:
        print(f"answer time p50 {times[len(times) // 2] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
