"""Measure language detection and lead images on real English material, and detection speed.

Run: python bench/language_eval.py   (NEWSBRIEF_EVAL_DIR overrides ../shared/eval)

English articles told apart wrongly would lose their summary and quotes to the "opening" rule,
so the figure that matters is how many English texts come out as another language (PolNeAR's
train and dev articles, and the news pages of html/). The pages also show how many carry a
lead image extraction keeps. All this material is English: the other languages are covered by
the project's own tests.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path

from summaries.ingest.extract import extract_html
from summaries.types import ExtractError
from summaries.understand import language

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT / ".." / "shared" / "eval"))


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    if not EVAL_DIR.is_dir():
        print(f"no evaluation material at {EVAL_DIR}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    language.detect("The council met on Tuesday to vote on the harbour wall.")
    print(f"detector load: {time.perf_counter() - start:.2f} s")

    for split in ("train", "dev"):
        path = EVAL_DIR / "quotes" / f"polnear_{split}.jsonl"
        found: Counter[str] = Counter()
        elapsed = 0.0
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        for row in rows:
            t = time.perf_counter()
            code = language.detect(row["text"], row.get("title"))
            elapsed += time.perf_counter() - t
            found[code or "unknown"] += 1
        n = len(rows)
        other = n - found["en"] - found["unknown"]
        print(
            f"PolNeAR {split}: {n} English articles -> en {found['en']}, unknown "
            f"{found['unknown']}, another language {other} ({other / n:.1%}); "
            f"{elapsed / n * 1000:.2f} ms per article; {dict(found.most_common(5))}"
        )

    pages = [json.loads(line) for line in (EVAL_DIR / "html" / "index.jsonl").open()]
    langs: Counter[str] = Counter()
    images = 0
    for page in pages:
        try:
            article = extract_html((EVAL_DIR / page["html"]).read_bytes(), url=page.get("url"))
        except ExtractError:
            langs["no text"] += 1
            continue
        langs[article.language or "unknown"] += 1
        images += article.image is not None
    print(f"news pages: {len(pages)}, languages {dict(langs)}, lead image kept on {images}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
