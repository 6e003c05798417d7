"""What did X say about Y, asked in words: on PolNeAR dev, does the answer cite the quote?

    python bench/ask_topic_eval.py [--verbose] [--db FILE] [--topic quote|context|both]
        [--split dev|train] [--limit N]
    (NEWSBRIEF_EVAL_DIR overrides ../shared/eval)

The dev articles go through the real pipeline (lead summaries for speed, the real quote
extractor and MiniLM embedder) into a store, as bench/ask_whosaid_eval.py does. For each
annotated direct quote (with quote marks) whose speaker holds a proper name, the question is
`what did <last name> say about <topic>?`, asked through summaries.answers.answer, where the
topic is one word a reader would remember:
- "quote": the noun or name (spaCy's tags; no dates) of the quoted words rarest across the
  dev articles, of at least four letters and not the speaker's own name;
- "context": the same, chosen from the words of the quote's paragraph outside the quotation
  and absent from the quoted words, so the question names what the quote is about without
  using its words (the quote must be found through its context or its meaning).
Printed per topic kind: the share of questions whose answer cites the annotated quote first
(hit@1) and among its citations (hit@5), the share answered with quotes at all, and the share
of cited quotes whose speaker shares a name word with the person asked about (a quote of
someone else shown as theirs is the error that matters most).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ask_whosaid_eval import ingested, quoted_words  # noqa: E402
from quotes_eval import EVAL_DIR, _gold_names, _proper_starts, _words  # noqa: E402

from summaries.answers import search  # noqa: E402
from summaries.answers.answer import Answerer  # noqa: E402
from summaries.store import Store  # noqa: E402
from summaries.understand.embed import MiniLMEmbedder  # noqa: E402
from summaries.understand.quotes import QuoteExtractor  # noqa: E402
from summaries.understand.text import quotation_spans  # noqa: E402

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")
_HONORIFICS = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "senator"}


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", s.lower()).split())


def last_name(speaker: str, name: set[str]) -> str | None:
    """The last word of the first run of name words in an annotated speaker, as a reader
    types it ("Sen. Ted Cruz (R-Texas)" -> "Cruz", "PENCE" -> "Pence"); None when the speaker
    holds no person's name (an organisation spelled out, "a University professor")."""
    speaker = re.sub(r"\([^)]*\)", " ", speaker.replace("’s", "").replace("'s", ""))
    run: list[str] = []
    for raw in speaker.split():
        w = raw.strip(".,;:\"'“”")
        if w[:1].isupper() and w.lower() in name and w.lower() not in _HONORIFICS and "-" not in w:
            run.append(w)
        elif run and len(w.rstrip(".")) == 1:
            continue  # a middle initial
        elif run:
            break
    if not run or len(run) > 3:
        return None
    word = run[-1]
    return word.capitalize() if word.isupper() else word


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = _norm(text).split()
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def cites_quote(cited: str, said: str) -> bool:
    """Whether a citation shows the annotated quote (a citation may be cut around the topic)."""
    if len(_norm(said).split()) < 6:
        return f" {_norm(said)} " in f" {_norm(cited)} "
    a, b = shingles(cited.replace("…", " ")), shingles(said)
    return len(a & b) >= min(3, len(b))


def rarest(text: str, df: Counter[str], n_docs: int, banned: set[str], nlp: Any) -> str | None:
    """The noun or name of `text` rarest across the articles (a topic a reader would name)."""
    best: tuple[float, str] | None = None
    for tok in nlp(text):
        if tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ in ("DATE", "TIME"):
            continue
        low = tok.text.lower().strip("'’-")
        if not _WORD.fullmatch(tok.text):
            continue
        if low in banned or not search.topic_words(low) or low not in df:
            continue
        idf = math.log(n_docs / df[low])
        if best is None or idf > best[0]:
            best = (idf, low)
    return best[1] if best else None


def inside_marks(said: str, text: str, regions: list[tuple[int, int]]) -> bool:
    """Whether the words asked about are a quotation piece of three words or more (not the
    annotation's paraphrase around a scare quote of a word or two)."""
    return len(said.split()) >= 3 and any(text[a:b] == said for a, b in regions)


def paragraph_outside(text: str, start: int, end: int, regions: list[tuple[int, int]]) -> str:
    """The words of the paragraph holding text[start:end] that stand outside quotation marks."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    out, at = [], a
    for s, e in sorted(regions):
        if e <= a or s >= b:
            continue
        out.append(text[at : max(at, s)])
        at = max(at, e)
    out.append(text[at:b])
    return " ".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--topic", choices=("quote", "context", "both"), default="both")
    parser.add_argument("--db", help="SQLite file keeping the ingested store (reused if present)")
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--limit", type=int, help="only the first N articles of the split")
    args = parser.parse_args()
    path = EVAL_DIR / "quotes" / f"polnear_{args.split}.jsonl"
    docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    docs = docs[: args.limit] if args.limit else docs
    extractor = QuoteExtractor()
    embedder = MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "eval.db"
        reuse = db.exists()
        with Store(f"sqlite:///{db}") as store:
            loop = asyncio.new_event_loop()
            pipeline = ingested(store, docs, extractor, embedder, loop, reuse=reuse)
            nlp = extractor.model()
            # Per article, the name words of each attribution's speaker: parsed once for both
            # kinds of topic.
            names = [
                _gold_names(d["text"], d["quotes"], _proper_starts(nlp, d["text"])) for d in docs
            ]
            kinds = ("quote", "context") if args.topic == "both" else (args.topic,)
            for kind in kinds:
                run(Answerer(store, embedder), docs, names, nlp, kind, args.verbose)
            loop.run_until_complete(pipeline.fetcher.aclose())
            loop.close()
            pipeline.close()
    return 0


def run(
    answerer: Answerer,
    docs: list[dict[str, Any]],
    gold_names: list[list[set[str]]],
    nlp: Any,
    kind: str,
    verbose: bool,
) -> None:
    df: Counter[str] = Counter()
    for d in docs:
        df.update({w.lower().strip("'’-") for w in _WORD.findall(d["text"])})
    asked = hit1 = hit5 = quoted = cited = cited_right = 0
    stored = stored1 = stored5 = 0
    times: list[float] = []
    for d, names in zip(docs, gold_names, strict=True):
        text, gold = d["text"], d["quotes"]
        regions = [piece for q in quotation_spans(text) for piece in q]
        for g, name in zip(gold, names, strict=True):
            if not g["has_quote_marks"] or not name:
                continue
            person = last_name(g["speaker"] or "", name)
            said = quoted_words(text, g["content_spans"], regions)
            if person is None or not inside_marks(said, text, regions):
                continue  # a scare quote of a word or two inside a paraphrase
            banned = {w.lower() for w in (g["speaker"] or "").split()} | name
            if kind == "quote":
                topic = rarest(said, df, len(docs), banned, nlp)
            else:
                start = min(s for s, _ in g["content_spans"])
                end = max(e for _, e in g["content_spans"])
                inside = {w.lower() for w in _WORD.findall(said)}
                topic = rarest(
                    paragraph_outside(text, start, end, regions),
                    df,
                    len(docs),
                    banned | inside,
                    nlp,
                )
            if topic is None:
                continue
            question = f"what did {person} say about {topic}?"
            t = time.perf_counter()
            answer = answerer.answer(question)
            times.append(time.perf_counter() - t)
            asked += 1
            cites = answer.citations if answer.found and not answer.fallback else ()
            quoted += bool(cites)
            ranks = [i for i, c in enumerate(cites) if cites_quote(c.text, said)]
            hit1 += bool(ranks and ranks[0] == 0)
            hit5 += bool(ranks)
            # Retrieval apart from extraction: is the quote stored under the person asked about?
            theirs = answerer.store.quotes_by_person(person, limit=1000)
            if any(cites_quote(x.quote.text, said) for x in theirs):
                stored += 1
                stored1 += bool(ranks and ranks[0] == 0)
                stored5 += bool(ranks)
            for c in cites:
                cited += 1
                cited_right += bool(_words(person) & _words(c.speaker))
            if verbose and not ranks and any(cites_quote(x.quote.text, said) for x in theirs):
                top = cites[0].speaker if cites else None
                print(f"  [{d['id'][:30]}] {question} -> {len(cites)} quotes, first by {top!r}")
    times.sort()
    print(f"topic from the {kind}: questions {asked}")
    if asked:
        print(
            f"  hit@1 {hit1 / asked:.3f}  hit@5 {hit5 / asked:.3f}  "
            f"answered with quotes {quoted / asked:.3f}  "
            f"cited quotes by the person asked {cited_right / max(1, cited):.3f} ({cited})  "
            f"p50 {times[len(times) // 2] * 1000:.0f} ms"
        )
        print(
            f"  of the {stored} whose quote is stored under the person asked about: "
            f"hit@1 {stored1 / max(1, stored):.3f}  hit@5 {stored5 / max(1, stored):.3f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
