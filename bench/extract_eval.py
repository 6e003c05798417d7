"""Measure summaries.ingest.extract on real news pages: snippet checks, token F1, title and byline.

Run: python bench/extract_eval.py   (NEWSBRIEF_EVAL_DIR overrides ../shared/eval)
Exits 1 when a must-contain or must-not-contain snippet check fails.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from summaries.ingest.extract import extract_html
from summaries.types import ExtractedArticle, ExtractError

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT / ".." / "shared" / "eval"))


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def token_f1(predicted: str, expected: str) -> tuple[float, float, float]:
    pred, gold = Counter(tokens(predicted)), Counter(tokens(expected))
    overlap = sum((pred & gold).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    p, r = overlap / sum(pred.values()), overlap / sum(gold.values())
    return p, r, 2 * p * r / (p + r)


def squash(text: str) -> str:
    """Whitespace- and quote-insensitive form for snippet matching."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return re.sub(r"\s+", " ", text.replace("\u201d", '"')).strip()


def same(predicted: str | None, expected: str) -> tuple[bool, bool]:
    """(exact, loose) match: equal after normalising; loose = one's words contain the other's."""
    a = tokens(re.sub(r"^\s*by\s+", "", predicted or "", flags=re.IGNORECASE))
    b = tokens(re.sub(r"^\s*by\s+", "", expected, flags=re.IGNORECASE))
    if not a or not b:
        return False, False
    exact = a == b
    loose = exact or set(a) <= set(b) or set(b) <= set(a)
    return exact, loose


def same_instant(predicted: datetime | None, expected: str) -> bool:
    """Whether the published time is the expected one (a zoneless expectation is UTC)."""
    want = datetime.fromisoformat(expected)
    want = want.replace(tzinfo=UTC) if want.tzinfo is None else want
    return predicted is not None and abs((predicted - want).total_seconds()) < 60


def extract(path: Path, url: str | None) -> tuple[ExtractedArticle | None, float]:
    start = time.perf_counter()
    try:
        article: ExtractedArticle | None = extract_html(path.read_bytes(), url=url)
    except ExtractError as exc:
        print(f"    ExtractError: {exc}")
        article = None
    return article, time.perf_counter() - start


def main() -> int:
    # trafilatura and htmldate log every page they discard; the figures are the report here.
    logging.basicConfig(level=logging.ERROR)
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    index = [json.loads(line) for line in (EVAL_DIR / "html" / "index.jsonl").open()]
    failures = 0
    checks = 0
    seconds = 0.0

    print("== trafilatura pages: must contain / must not contain ==")
    for page in (p for p in index if p["id"].startswith("trafilatura/")):
        article, took = extract(EVAL_DIR / page["html"], page.get("url"))
        seconds += took
        text = squash(article.text) if article else ""
        missing = [s for s in page["expected_with"] if squash(s) not in text]
        present = [s for s in page["expected_without"] if squash(s) in text]
        checks += len(page["expected_with"]) + len(page["expected_without"])
        failures += len(missing) + len(present)
        status = "ok  " if not missing and not present else "FAIL"
        words = len(text.split())
        print(f"  {status} {page['id']:45} {words:5d} words")
        for snippet in missing:
            print(f"       missing: {snippet!r}")
        for snippet in present:
            print(f"       boilerplate kept: {snippet!r}")
    print(f"  snippet checks passed: {checks - failures}/{checks}")

    print("\n== readability pages: token F1 vs expected text; title, byline ==")
    f1s: list[float] = []
    title_exact = title_loose = title_n = 0
    byline_exact = byline_loose = byline_n = 0
    date_ok = date_n = 0
    for page in (p for p in index if p["id"].startswith("readability/")):
        article, took = extract(EVAL_DIR / page["html"], None)
        seconds += took
        expected = (EVAL_DIR / page["expected_text_derived"]).read_text(encoding="utf-8")
        p, r, f1 = token_f1(article.text if article else "", expected)
        f1s.append(f1)
        meta = page["expected_metadata"]
        marks = []
        if meta.get("title"):
            exact, loose = same(article.title if article else None, meta["title"])
            title_n += 1
            title_exact += exact
            title_loose += loose
            marks.append(f"title {'=' if exact else '~' if loose else 'x'}")
        if meta.get("byline"):
            exact, loose = same(article.byline if article else None, meta["byline"])
            byline_n += 1
            byline_exact += exact
            byline_loose += loose
            marks.append(f"byline {'=' if exact else '~' if loose else 'x'}")
            if not loose:
                got = article.byline if article else None
                marks.append(f"({got!r} vs {meta['byline']!r})")
        if meta.get("publishedTime"):
            ok = same_instant(article.published if article else None, meta["publishedTime"])
            date_n += 1
            date_ok += ok
            marks.append(f"date {'=' if ok else 'x'}")
        print(f"  {page['id']:32} P {p:.3f} R {r:.3f} F1 {f1:.3f}  {' '.join(marks)}")
    print(f"  mean token F1: {sum(f1s) / len(f1s):.3f} over {len(f1s)} pages")
    print(
        f"  title match: exact {title_exact}/{title_n}, loose {title_loose}/{title_n}; "
        f"byline match: exact {byline_exact}/{byline_n}, loose {byline_loose}/{byline_n}"
    )
    print(f"  published time match (within a minute, UTC): {date_ok}/{date_n}")
    print(f"\ntotal extraction time: {seconds:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
