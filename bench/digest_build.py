"""Build a channel digest over 200 stored articles: time to load, group, rank and quote them.

    python bench/digest_build.py [--n 180] [--db URL]

180 articles come from ../shared/eval/summarization (NEWSBRIEF_EVAL_DIR to point elsewhere), spread
over 10 feeds; 20 of them are re-published by a second feed in different words (first and last
paragraphs swapped), 200 in all, so grouping has near-duplicates to find. The embedder is
warmed first: the figure is the digest build, not the model load (printed apart).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.replies import digest_reply  # noqa: E402
from summaries.answers.digest import build_digest  # noqa: E402
from summaries.answers.subscriptions import Channel, Subscriptions  # noqa: E402
from summaries.store import NewArticle, Store  # noqa: E402
from summaries.understand.embed import MiniLMEmbedder  # noqa: E402
from summaries.understand.quotes import QuoteExtractor  # noqa: E402
from summaries.understand.summarize import LeadSummarizer  # noqa: E402

CHANNEL = Channel("slack", "T-bench", "C-bench")


def eval_dir() -> Path:
    return Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def load_texts(n: int) -> list[str]:
    texts: list[str] = []
    for name in ("bbc_news_summary_100.jsonl", "cnn_dm_frank_100.jsonl"):
        with open(eval_dir() / "summarization" / name, encoding="utf-8") as f:
            texts.extend(json.loads(line)["article"] for line in f if line.strip())
    return texts[:n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=180, help="texts (plus 20 re-published)")
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    texts = load_texts(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/digest.db"
        with Store(url) as store:
            subs = Subscriptions(store)
            feeds = [f"https://feed{i}.example/rss" for i in range(11)]
            for i, feed in enumerate(feeds):
                subs.follow(CHANNEL, feed, title=f"Feed {i}")
            summarizer, finder = LeadSummarizer(), QuoteExtractor()
            started = time.perf_counter()
            for n, text in enumerate(texts):
                copies = [(feeds[n % 10], text)]
                if n < 20:  # the same story told by another outlet
                    paras = [p for p in text.split("\n") if p.strip()]
                    paras[1], paras[-1] = paras[-1], paras[1]
                    copies.append((feeds[10], "\n\n".join(paras)))
                for feed, body in copies:
                    title = body.split("\n", 1)[0][:120]
                    store.save_article(
                        NewArticle(
                            text=body,
                            url=f"{feed}/{n}",
                            title=title,
                            feed_url=feed,
                            entry_id=str(n),
                            summary=summarizer.summarize(body, title=title).text,
                            summary_method="lead",
                            quotes=tuple(finder.extract(body, title=title)),
                        )
                    )
            setup = time.perf_counter() - started
            embedder = MiniLMEmbedder()
            started = time.perf_counter()
            embedder.encode(["warm up the model"])
            load = time.perf_counter() - started
            until = datetime.now(UTC) + timedelta(seconds=1)
            since = until - timedelta(days=1)
            started = time.perf_counter()
            cold = build_digest(store, CHANNEL, since, until, embedder=embedder)
            cold_build = time.perf_counter() - started
            started = time.perf_counter()
            digest = build_digest(store, CHANNEL, since, until, embedder=embedder)
            reply = digest_reply(digest)
            build = time.perf_counter() - started
            started = time.perf_counter()
            build_digest(store, CHANNEL, since, until)
            words_build = time.perf_counter() - started
    grouped = sum(1 for s in digest.stories if len(s.article_ids) > 1)
    print(f"articles stored: {digest.articles} in {setup:.1f} s (setup, not timed)")
    print(f"embedder load: {load:.2f} s")
    print(
        f"digest build, vectors not stored yet (embeds every article): {cold_build:.2f} s "
        f"({len(cold.stories)} stories)"
    )
    print(
        f"digest build from stored summaries and vectors (the scheduler embeds at poll time): "
        f"{build:.2f} s for {digest.articles} articles"
    )
    print(f"stories shown: {len(digest.stories)}, of which grouped from several feeds: {grouped}")
    print(f"who said what: {len(digest.said)} speakers; reply stories: {len(reply.stories)}")
    print(f"digest build without an embedder (headline words): {words_build:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
