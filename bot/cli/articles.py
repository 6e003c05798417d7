"""`newsbrief extract`, `summarize`, `ingest`, `reindex`, `digest` (the latest stories) and
`demo`."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TextIO

from bot.app import Services
from bot.cli import shapes
from bot.cli.batch import (
    MAX_LIMIT,
    CliError,
    Record,
    add_tenant_option,
    batch,
    count,
    emit,
    field,
    in_order,
    iso_date,
    read_source,
    text_field,
)
from bot.cli.said import format_answer
from bot.cli.schedule import add_digest_arguments, digest_for_channel
from bot.console import render_quote
from bot.replies import counted, headline
from summaries.ingest import extract
from summaries.ingest.jobs import Source
from summaries.ingest.pipeline import IngestReport, Outcome, is_url
from summaries.ingest.reindex import reindex
from summaries.store import StoredArticle, shown
from summaries.times import parse_iso
from summaries.types import NewsbriefError
from summaries.understand import language as languages

# Sources or batch lines in flight at once when a queue's workers read them (NEWSBRIEF_BROKER_URL).
QUEUE_WINDOW = 64

SAMPLES = (
    "armenia-azerbaijan-blinken.txt",
    "port-alder-flood-barrier.txt",
    "northline-rail-strike.txt",
    "coral-recovery.html",
)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """demo, ingest, reindex, extract, summarize, digest."""
    p = sub.add_parser("demo", help="offline demo on bundled sample articles")
    p.add_argument(
        "--keep",
        action="store_true",
        help="ingest into your database (--db, NEWSBRIEF_DATABASE_URL or the default) and keep it",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("ingest", help="store articles from feeds, URLs, files, text or - (stdin)")
    p.add_argument("sources", nargs="*", metavar="SOURCE")
    p.add_argument(
        "--jsonl",
        metavar="FILE",
        help='lines {"id","text","title"?,"url"?,"published"?}, or {"id","url"}: its page',
    )
    add_tenant_option(p, "into this workspace's library too (stored once, whoever has it)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("reindex", help="embed stored sentences that have no vectors yet")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("extract", help="main text of an HTML page (URL, file or -)")
    p.add_argument("source", nargs="?", metavar="SOURCE")
    p.add_argument("--jsonl", metavar="FILE", help='lines {"id","html"}; - for stdin')
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("summarize", help="summary of an article (URL, file or -)")
    p.add_argument("source", nargs="?", metavar="SOURCE")
    p.add_argument("--jsonl", metavar="FILE", help='lines {"id","text"}; - for stdin')
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_summarize)

    p = sub.add_parser("digest", help="the latest stored stories with their summaries")
    p.add_argument("--limit", type=count(1, MAX_LIMIT), default=10)
    p.add_argument("--since", type=iso_date, help="only stories published after this ISO date")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_digest_arguments(p)
    p.set_defaults(func=cmd_digest)


async def cmd_reindex(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    """Embed the sentences an older version stored without vectors (summaries.ingest.reindex),
    then rebuild the vector index from the database."""
    done = await asyncio.to_thread(reindex, s.store, s.embedder)
    if done:
        out.write(f"Embedded {done} stored sentences that had no vectors.\n")
    else:
        out.write("Nothing to reindex: every stored sentence has its vector.\n")
    await asyncio.to_thread(s.store.analyze)
    if s.store.vector_index:  # faiss is here and NEWSBRIEF_VECTOR_INDEX is on
        name, dim = s.embedder.name, s.embedder.dim
        held = [
            await asyncio.to_thread(s.store.rebuild_vector_index, kind, name, dim)
            for kind in ("sentence", "quote")
        ]
        out.write(f"Vector index rebuilt: {held[0]} sentence and {held[1]} quote vectors.\n")
    return 0


async def load_source(source: str, s: Services) -> Source:
    """One article's page or text from a URL, a file or `-`, to read."""
    if is_url(source):
        result = await s.fetcher.get(source)
        return Source(html=result.content, url=result.url, charset=result.encoding)
    data = read_source(source)
    if extract.looks_like_html(data):
        return Source(html=data)
    return Source(text=data.decode("utf-8", errors="replace"))


async def cmd_extract(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    if args.jsonl:

        async def one(record: Record) -> Record:
            source = Source(html=text_field(record, "html"), url=field(record, "url"))
            return shapes.extracted(await s.pipeline.read(source))

        return await batch(args.jsonl, out, one)
    if not args.source:
        raise CliError("give a URL, a file or - (or --jsonl FILE)")
    article = await s.pipeline.read(await load_source(args.source, s))
    if args.json:
        emit(out, shapes.extracted(article))
        return 0
    row = shapes.extracted(article)
    for label, key in (
        ("Title", "title"),
        ("By", "byline"),
        ("Published", "published"),
        ("Site", "site"),
        ("URL", "url"),
        ("Image", "image"),
        ("Language", "language"),
    ):
        if row[key]:
            out.write(f"{label}: {row[key]}\n")
    out.write("\n" + article.text + "\n")
    return 0


async def cmd_summarize(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    if args.jsonl:

        async def one(record: Record) -> Record:
            # A pasted article often starts with its headline: keep it out of the summary.
            source = Source(text=text_field(record, "text"), title=field(record, "title"))
            _, summary = await s.pipeline.summarize(source)
            return {"summary": summary.text}

        return await batch(args.jsonl, out, one)
    if not args.source:
        raise CliError("give a URL, a file or - (or --jsonl FILE)")
    article, summary = await s.pipeline.summarize(await load_source(args.source, s))
    if args.json:
        emit(out, {"title": article.title, "summary": summary.text, "method": summary.method})
        return 0
    if article.title:
        out.write(article.title + "\n\n")
    out.write(summary.text + "\n")
    if not languages.reads(article.language):
        out.write(f"({languages.opening_note(article.language or '')})\n")
    return 0


def describe(result: Outcome) -> str:
    """One line per ingested source: stored, skipped (and why) or failed (and why)."""
    title = result.title or result.ref
    if result.status == "stored":
        return f"stored  #{result.article_id}  {title}"
    if result.status == "skipped":
        return f"skipped #{result.article_id}  {title} ({result.reason})"
    return f"failed  {result.ref}: {result.reason}"


async def cmd_ingest(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    if not args.jsonl and not args.sources:
        raise CliError("give one or more sources (feed URL, article URL, file, text) or --jsonl")
    if args.jsonl:
        pipeline = s.pipeline

        async def one(record: Record) -> Record:
            url = field(record, "url")
            if url is not None and record.get("text") is None:  # the article at the URL
                if not is_url(url):
                    raise NewsbriefError('"url" must be an http(s) URL when there is no "text"')
                return shapes.outcome(await pipeline.ingest_article(url, tenant=args.tenant))
            published = field(record, "published")
            result = await pipeline.ingest_text(
                text_field(record, "text"),
                title=field(record, "title"),
                url=url,
                published=parse_iso(published) if published else None,
                ref=str(record.get("id")),
                tenant=args.tenant,
            )
            return shapes.outcome(result)

        return await batch(args.jsonl, out, one, window=_window(s))
    from tqdm import tqdm

    bar = tqdm(total=0, unit="article", file=sys.stderr, disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    s.pipeline.progress = progress
    reports = []
    try:
        # `-` is standard input (read once, at most MAX_FILE_BYTES), as for extract and summarize.
        piped = read_source("-") if "-" in args.sources else b""
        work = (
            s.pipeline.ingest_data(piped, ref="stdin", tenant=args.tenant)
            if source == "-"
            else s.pipeline.ingest(source, tenant=args.tenant)
            for source in args.sources
        )
        async for report in in_order(work, _window(s)):
            _describe_report(report, out)
            reports.append(report)
    finally:
        bar.close()
    failed_sources = [r for r in reports if r.failed and not (r.stored or r.skipped)]
    return 1 if failed_sources else 0


def _window(s: Services) -> int:
    """Sources or lines ingested at once: one in this process, many when workers share them."""
    return QUEUE_WINDOW if s.settings.broker_url else 1


def _describe_report(report: IngestReport, out: TextIO) -> None:
    if report.note:
        out.write(f"{report.source}: {report.note}\n")
    for result in report.outcomes:
        out.write(describe(result) + "\n")
    out.flush()


def format_digest(articles: Sequence[StoredArticle]) -> str:
    """The latest stories as terminal text."""
    if not articles:
        return "No stories stored yet. Try `newsbrief ingest URL` or `newsbrief demo`.\n"
    lines = [f"Newsbrief digest: {counted(len(articles), 'story', 'stories')}", ""]
    for n, article in enumerate(articles, 1):
        when = article.published.strftime("%Y-%m-%d %H:%M UTC") if article.published else ""
        meta = " · ".join(x for x in (article.site or "", when) if x)
        lines.append(f"{n}. {headline(article.title, article.text)}")
        if meta:
            lines.append(f"   {meta}")
        if article.url:
            lines.append(f"   {article.url}")
        summary = article.summary or "(no summary)"
        lines.extend("   " + line for line in summary.splitlines() if line.strip())
        if not languages.reads(article.language):
            lines.append(f"   ({languages.opening_note(article.language or '')})")
        lines.append("")
    return "\n".join(lines)


async def cmd_digest(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    if args.platform or args.channel:  # one channel's scheduled digest, via the ledger
        if not (args.platform and args.channel):
            raise CliError("--platform and --channel go together")
        return await digest_for_channel(args, s, out)
    articles = s.store.latest_articles(args.limit, since=args.since)
    if args.json:
        emit(out, [shapes.stored_article(a) for a in articles], indent=2)
    else:
        out.write(format_digest(articles))
    return 0


# What the demo asks of its own articles, as a user would next.
DEMO_WHOSAID = "no military solution"
DEMO_QUESTION = "what did Okafor say about the river?"


async def cmd_demo(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    """Offline: ingest the bundled sample articles into a throwaway database (or, with --keep,
    into yours), show them, then ask who said what of them."""
    with tempfile.TemporaryDirectory(prefix="newsbrief-demo-") as tmp:
        keep = bool(args.keep or args.db)  # a database named on the command line is kept
        url = s.settings.database_url if keep else f"sqlite:///{Path(tmp) / 'demo.db'}"
        settings = replace(s.settings, database_url=url)
        with resources.as_file(resources.files("bot") / "samples") as folder:
            paths = [str(Path(folder) / name) for name in SAMPLES]
            async with Services(settings) as demo:
                out.write(f"Loading the models and ingesting {len(paths)} sample articles...\n")
                first = [await demo.pipeline.ingest(p) for p in paths]
                again = [await demo.pipeline.ingest(p) for p in paths]
                for report in first:
                    for result in report.outcomes:
                        out.write("\n" + describe(result) + "\n")
                        if result.summary:
                            out.write(result.summary + "\n")
                skipped = sum(len(r.skipped) for r in again)
                out.write(
                    f"\nIngesting the same {len(paths)} files again: {skipped} skipped as "
                    "duplicates, nothing stored twice.\n\n"
                )
                out.write(format_digest(demo.store.latest_articles(10)))
                out.write(f'\n$ newsbrief whosaid "{DEMO_WHOSAID}"\n')
                said = await asyncio.to_thread(demo.answerer.who_said, DEMO_WHOSAID, limit=1)
                out.write("\n".join(render_quote(c) for c in said.citations) or said.text)
                out.write(f'\n\n$ newsbrief ask "{DEMO_QUESTION}"\n')
                answer = await asyncio.to_thread(demo.answerer.answer, DEMO_QUESTION)
                out.write(format_answer(answer))
        out.write("\n" + _next_steps(keep, s.settings.database_url))
    return 1 if any(r.failed for r in first) else 0


def _next_steps(kept: bool, url: str) -> str:
    where = shown(url)
    if kept:
        head = f"The sample articles are in {where}: try the commands above on them.\n"
    else:
        head = (
            "That library was thrown away. `newsbrief demo --keep` keeps it "
            f"(in {where}), or bring your own news:\n"
        )
    return head + (
        "  newsbrief ingest https://example.org/feed.xml   # a feed, a page, a file or text\n"
        "  newsbrief chat                                  # the bot's commands, in this terminal\n"
        '  newsbrief slack manifest / discord invite       # then README.md, "Deploy"\n'
    )
