"""The `newsbrief` command line: demo, ingest, extract, summarize, quotes, whosaid, digest."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import IO, Any, TextIO

from bot import scheduler_cli
from bot.app import build_commands, build_fetcher, build_pipeline, build_summarizer
from bot.console import render_quote
from bot.replies import citation_item, quote_item
from bot.settings import Settings, SettingsError
from summaries.answers import search
from summaries.answers.answer import Answerer
from summaries.ingest import extract
from summaries.ingest.pipeline import IngestReport, Outcome, Pipeline, is_url
from summaries.store import Store, StoredArticle, StoredQuote
from summaries.types import ExtractedArticle, NewsbriefError, Quote
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.quotes import QuoteExtractor

log = logging.getLogger(__name__)

SAMPLES = (
    "armenia-azerbaijan-blinken.txt",
    "port-alder-flood-barrier.txt",
    "northline-rail-strike.txt",
    "coral-recovery.html",
)


class CliError(Exception):
    """A usage or input problem reported to the user as one line, exit status 2."""


# -- helpers --------------------------------------------------------------------------------------
def _open_input(name: str) -> IO[str]:
    if name == "-":
        return sys.stdin
    try:
        return open(name, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from None


def _jsonl(name: str) -> Iterator[tuple[Any, dict[str, Any] | None, str | None]]:
    """Yield (id, record, error) per non-blank line; a bad line yields an error, not a raise."""
    stream = _open_input(name)
    try:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield None, None, f"line {number}: invalid JSON ({exc.msg})"
                continue
            if not isinstance(record, dict):
                yield None, None, f"line {number}: expected a JSON object"
                continue
            yield record.get("id"), record, None
    finally:
        if stream is not sys.stdin:
            stream.close()


def _emit(out: TextIO, obj: dict[str, Any]) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


Record = dict[str, Any]


def _line_error(rid: Any, exc: Exception) -> Record:
    if isinstance(exc, NewsbriefError):
        return {"id": rid, "error": str(exc)}
    log.exception("batch line %r failed", rid)  # one bad line must not end the batch
    return {"id": rid, "error": f"internal error: {type(exc).__name__}"}


def _batch(name: str, out: TextIO, handle: Callable[[Record], Record]) -> int:
    """Answer each JSON line with `{"id", **handle(record)}`, or `{"id", "error"}`."""
    for rid, record, error in _jsonl(name):
        if record is None:
            _emit(out, {"id": rid, "error": error})
            continue
        try:
            _emit(out, {"id": rid, **handle(record)})
        except Exception as exc:
            _emit(out, _line_error(rid, exc))
    return 0


async def _abatch(name: str, out: TextIO, handle: Callable[[Record], Awaitable[Record]]) -> int:
    """`_batch` for a handler that must be awaited."""
    for rid, record, error in _jsonl(name):
        if record is None:
            _emit(out, {"id": rid, "error": error})
            continue
        try:
            _emit(out, {"id": rid, **(await handle(record))})
        except Exception as exc:
            _emit(out, _line_error(rid, exc))
    return 0


def _text(record: Record, name: str) -> str:
    """A required string field of a batch line."""
    value = _field(record, name, required=True)
    assert value is not None
    return value


def _field(record: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = record.get(name)
    if value is None:
        if required:
            raise NewsbriefError(f'missing "{name}"')
        return None
    if not isinstance(value, str):
        raise NewsbriefError(f'"{name}" must be a string')
    return value


def parse_datetime(raw: str) -> datetime:
    """ISO 8601 -> timezone-aware UTC; a time without zone is taken as UTC."""
    try:
        value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise NewsbriefError(f"not an ISO 8601 date: {raw!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


async def _load_article(source: str, settings: Settings) -> ExtractedArticle:
    """One article from a URL, a file or `-`, without storing it."""
    if is_url(source):
        fetcher = build_fetcher(settings)
        try:
            result = await fetcher.get(source)
        finally:
            await fetcher.aclose()
        return extract.extract_html(result.content, url=result.url)
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise CliError(f"cannot read {source}: {exc.strerror or exc}") from None
    if extract.looks_like_html(data):
        return extract.extract_html(data)
    return extract.from_text(data.decode("utf-8", errors="replace"))


# -- commands ------------------------------------------------------------------------------------
def cmd_extract(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if args.jsonl:

        def one(record: Record) -> Record:
            article = extract.extract_html(_text(record, "html"), url=_field(record, "url"))
            return {
                "title": article.title,
                "byline": article.byline,
                "published": _iso(article.published),
                "text": article.text,
            }

        return _batch(args.jsonl, out, one)
    if not args.source:
        raise CliError("give a URL, a file or - (or --jsonl FILE)")
    article = asyncio.run(_load_article(args.source, settings))
    if args.json:
        _emit(
            out,
            {
                "title": article.title,
                "byline": article.byline,
                "published": _iso(article.published),
                "site": article.site,
                "url": article.url,
                "text": article.text,
            },
        )
        return 0
    for label, value in (
        ("Title", article.title),
        ("By", article.byline),
        ("Published", _iso(article.published)),
        ("Site", article.site),
        ("URL", article.url),
    ):
        if value:
            out.write(f"{label}: {value}\n")
    out.write("\n" + article.text + "\n")
    return 0


def cmd_summarize(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    summarizer = build_summarizer(settings)
    if args.jsonl:

        def one(record: Record) -> Record:
            # A pasted article often starts with its headline: keep it out of the summary.
            article = extract.from_text(_text(record, "text"), title=_field(record, "title"))
            return {"summary": summarizer.summarize(article.text, title=article.title).text}

        return _batch(args.jsonl, out, one)
    if not args.source:
        raise CliError("give a URL, a file or - (or --jsonl FILE)")
    article = asyncio.run(_load_article(args.source, settings))
    summary = summarizer.summarize(article.text, title=article.title)
    if args.json:
        _emit(out, {"title": article.title, "summary": summary.text, "method": summary.method})
        return 0
    if article.title:
        out.write(article.title + "\n\n")
    out.write(summary.text + "\n")
    return 0


def _describe(outcome: Outcome) -> str:
    title = outcome.title or outcome.ref
    if outcome.status == "stored":
        return f"stored  #{outcome.article_id}  {title}"
    if outcome.status == "skipped":
        return f"skipped #{outcome.article_id}  {title} ({outcome.reason})"
    return f"failed  {outcome.ref}: {outcome.reason}"


async def _ingest_sources(
    pipeline: Pipeline, sources: Sequence[str], out: TextIO
) -> list[IngestReport]:
    reports = []
    for source in sources:
        report = await pipeline.ingest(source)
        reports.append(report)
        if report.note:
            out.write(f"{report.source}: {report.note}\n")
        for outcome in report.outcomes:
            out.write(_describe(outcome) + "\n")
    return reports


async def _ingest_jsonl(pipeline: Pipeline, name: str, out: TextIO) -> None:
    async def one(record: Record) -> Record:
        published = _field(record, "published")
        outcome = await pipeline.ingest_text(
            _text(record, "text"),
            title=_field(record, "title"),
            url=_field(record, "url"),
            published=parse_datetime(published) if published else None,
            ref=str(record.get("id")),
        )
        if outcome.status == "stored":
            return {"article_id": outcome.article_id}
        if outcome.status == "skipped":
            return {"skipped": outcome.reason, "article_id": outcome.article_id}
        return {"error": outcome.reason}

    await _abatch(name, out, one)


def cmd_ingest(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if not args.jsonl and not args.sources:
        raise CliError("give one or more sources (feed URL, article URL, file, text) or --jsonl")
    from tqdm import tqdm

    with Store(settings.database_url) as store:
        bar = tqdm(
            total=0, unit="article", file=sys.stderr, disable=None if not args.jsonl else True
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        pipeline = build_pipeline(settings, store, progress=progress)

        async def run() -> list[IngestReport]:
            try:
                if args.jsonl:
                    await _ingest_jsonl(pipeline, args.jsonl, out)
                    return []
                return await _ingest_sources(pipeline, args.sources, out)
            finally:
                await pipeline.fetcher.aclose()
                pipeline.close()

        try:
            reports = asyncio.run(run())
        finally:
            bar.close()
    failed_sources = [r for r in reports if r.failed and not (r.stored or r.skipped)]
    return 1 if failed_sources else 0


def _format_digest(articles: Sequence[StoredArticle]) -> str:
    if not articles:
        return "No stories stored yet. Try `newsbrief ingest URL` or `newsbrief demo`.\n"
    lines = [f"Newsbrief digest: {len(articles)} stories", ""]
    for n, article in enumerate(articles, 1):
        when = article.published.strftime("%Y-%m-%d %H:%M UTC") if article.published else ""
        source = article.site or ""
        meta = " · ".join(x for x in (source, when) if x)
        lines.append(f"{n}. {article.title or '(untitled)'}")
        if meta:
            lines.append(f"   {meta}")
        if article.url:
            lines.append(f"   {article.url}")
        summary = article.summary or "(no summary)"
        lines.extend("   " + line for line in summary.splitlines() if line.strip())
        lines.append("")
    return "\n".join(lines)


def _digest_json(articles: Sequence[StoredArticle]) -> list[dict[str, Any]]:
    return [
        {
            "article_id": a.id,
            "title": a.title,
            "url": a.url,
            "site": a.site,
            "published": _iso(a.published),
            "summary": a.summary,
        }
        for a in articles
    ]


def cmd_digest(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if args.platform or args.channel:  # one channel's scheduled digest, via the ledger
        if not (args.platform and args.channel):
            raise CliError("--platform and --channel go together")
        return scheduler_cli.digest_for_channel(args, settings, out)
    since = parse_datetime(args.since) if args.since else None
    with Store(settings.database_url) as store:
        articles = store.latest_articles(args.limit, since=since)
    if args.json:
        out.write(json.dumps(_digest_json(articles), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(_format_digest(articles))
    return 0


def _quote_json(q: Quote) -> dict[str, Any]:
    return {
        "quote": q.text,
        "speaker": q.speaker,
        "speaker_title": q.speaker_title,
        "speaker_mention": q.speaker_mention,
        "cue": q.cue,
        "spans": [list(span) for span in q.spans],
        "indirect": q.indirect,
        "in_title": q.in_title,
    }


def _stored_quote_json(q: StoredQuote, score: float | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "quote": q.text,
        "speaker": q.speaker,
        "speaker_title": q.speaker_title,
        "speaker_mention": q.speaker_mention,
        "cue": q.cue,
        "indirect": q.indirect,
        "article_id": q.article_id,
        "title": q.article_title,
        "url": q.article_url,
        "published": _iso(q.published),
    }
    if score is not None:
        row["score"] = round(score, 3)
    return row


def _who(speaker: str | None, title: str | None) -> str:
    if not speaker:
        return "Unattributed"
    return f"{speaker} ({title})" if title else speaker


def _format_stored_quote(q: StoredQuote, phrase: str = "") -> str:
    words = search.excerpt(q.text, phrase) if phrase else q.text
    return render_quote(quote_item(q, words)) + "\n"


def cmd_quotes(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if args.by:
        with Store(settings.database_url) as store:
            found = store.quotes_by_person(args.by, about=args.about, limit=args.limit)
        if args.json:
            out.write(json.dumps([_stored_quote_json(q) for q in found], ensure_ascii=False))
            out.write("\n")
        elif not found:
            topic = f" about {args.about}" if args.about else ""
            out.write(f"I found no quotes by {args.by}{topic} in the stored news.\n")
        else:
            out.write("\n".join(_format_stored_quote(q, args.about or "") for q in found))
        return 0
    extractor = QuoteExtractor()
    if args.jsonl:

        def one(record: Record) -> Record:
            found = extractor.extract(_text(record, "text"), title=_field(record, "title"))
            return {"quotes": [_quote_json(q) for q in found]}

        return _batch(args.jsonl, out, one)
    if not args.source:
        raise CliError("give a file or - (or --jsonl FILE, or --by NAME)")
    if args.source == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(args.source).read_bytes()
        except OSError as exc:
            raise CliError(f"cannot read {args.source}: {exc.strerror or exc}") from None
    title = args.title
    if extract.looks_like_html(data):
        article = extract.extract_html(data)
        text, title = article.text, title or article.title
    else:
        text = data.decode("utf-8", errors="replace")
    found_quotes = extractor.extract(text, title=title)
    if args.json:
        out.write(json.dumps([_quote_json(q) for q in found_quotes], ensure_ascii=False) + "\n")
        return 0
    if not found_quotes:
        out.write("No quotes found.\n")
    for q in found_quotes:
        kind = " (reported)" if q.indirect else " (headline)" if q.in_title else ""
        out.write(f"{_who(q.speaker, q.speaker_title)}{kind}: “{q.text}”\n")
        if q.speaker_mention and q.speaker_mention != q.speaker:
            out.write(f"  as “{q.speaker_mention} {q.cue or ''}”\n".replace(" ”", "”"))
    return 0


def cmd_whosaid(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Who said a phrase: the answer `ask who said <phrase>` gives, one quote per entry."""
    with Store(settings.database_url) as store:
        answerer = Answerer(store, None if args.words_only else MiniLMEmbedder())
        answer = answerer.who_said(args.phrase, limit=args.limit)
        cited = {
            q.id: q
            for q in store.quotes_by_ids([c.quote_id for c in answer.citations if c.quote_id])
        }
    if args.json:
        rows = [
            {
                **_stored_quote_json(cited[c.quote_id], c.score),
                **({"context": c.context} if c.context else {}),
            }
            for c in answer.citations
            if c.quote_id in cited
        ]
        out.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return 0
    if not answer.found:
        out.write(
            "I found nothing on that in the stored news. Ingest more with `newsbrief ingest URL`.\n"
        )
        return 0
    if answer.citations[0].context:  # the words are the reporter's around a quote: say so
        out.write(answer.text + "\n")
    out.write("\n".join(render_quote(citation_item(c)) + "\n" for c in answer.citations))
    return 0


def _answer_json(answer: Any) -> dict[str, Any]:
    return {
        "answer": answer.text,
        "found": answer.found,
        "kind": answer.kind,
        "citations": [
            {
                "title": c.title,
                "url": c.url,
                "speaker": c.speaker,
                "quote": c.quote,
                "source": c.source,
                "published": _iso(c.published),
                **({"context": c.context} if c.context else {}),
            }
            for c in answer.citations
        ],
    }


def _format_answer(answer: Any) -> str:
    lines = [answer.text]
    for c in answer.citations:
        who = f"{c.speaker}: " if c.speaker else ""
        lines.append(f"- {who}“{c.quote}”")
        if c.context:
            lines.append(f"  in the article: {c.context}")
        where = " · ".join(
            x for x in (c.title, c.source, c.published and c.published.date().isoformat()) if x
        )
        lines.append(f"  {where}" + (f" <{c.url}>" if c.url else ""))
    return "\n".join(lines) + "\n"


def cmd_ask(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Answer a question (or a JSONL batch of them) from the stored news, with citations."""
    if not args.jsonl and not args.question:
        raise CliError('give a question, or --jsonl FILE with lines {"id","question"}')
    with Store(settings.database_url) as store:
        answerer = Answerer(store, None if args.words_only else MiniLMEmbedder())
        if not args.jsonl:
            answer = answerer.answer(args.question)
            if args.json:
                out.write(json.dumps(_answer_json(answer), ensure_ascii=False) + "\n")
            else:
                out.write(_format_answer(answer))
            return 0
        return _batch(
            args.jsonl, out, lambda record: _answer_json(answerer.answer(_text(record, "question")))
        )


def cmd_run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Serve Slack and/or Discord, whichever have credentials in the settings."""
    import signal

    from bot.app import run_bot

    logging.getLogger().setLevel(getattr(logging, settings.log_level.upper(), logging.INFO))

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_bot(settings, stop=stop)

    try:
        asyncio.run(main())
    except SettingsError as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Talk to the bot in the terminal, with the same commands as in Slack and Discord."""
    from bot.console import run_console

    with Store(settings.database_url) as store:
        commands = build_commands(settings, store)

        async def run() -> None:
            try:
                await run_console(commands, out=out, prompt=sys.stdin.isatty())
            finally:
                await commands.pipeline.fetcher.aclose()
                commands.pipeline.close()

        asyncio.run(run())
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Offline: ingest the bundled sample articles into a throwaway database and show them."""
    with tempfile.TemporaryDirectory(prefix="newsbrief-demo-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'demo.db'}"
        samples = resources.files("bot") / "samples"
        with resources.as_file(samples) as folder:
            paths = [str(Path(folder) / name) for name in SAMPLES]
            with Store(url) as store:
                out.write(f"Loading the models and ingesting {len(paths)} sample articles...\n")
                pipeline = build_pipeline(settings, store)

                async def run() -> tuple[list[IngestReport], list[IngestReport]]:
                    try:
                        first = [await pipeline.ingest(p) for p in paths]
                        again = [await pipeline.ingest(p) for p in paths]
                        return first, again
                    finally:
                        await pipeline.fetcher.aclose()
                        pipeline.close()

                first, again = asyncio.run(run())
                for report in first:
                    for outcome in report.outcomes:
                        out.write("\n" + _describe(outcome) + "\n")
                        if outcome.summary:
                            out.write(outcome.summary + "\n")
                skipped = sum(len(r.skipped) for r in again)
                out.write(
                    f"\nIngesting the same {len(paths)} files again: {skipped} skipped as "
                    "duplicates, nothing stored twice.\n\n"
                )
                out.write(_format_digest(store.latest_articles(10)))
                failed = [o for r in first for o in r.failed]
    return 1 if failed else 0


# -- entry point -----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbrief", description="Self-hosted news briefings: ingest, summarise, digest."
    )
    parser.add_argument("--db", help="database URL (default: NEWSBRIEF_DATABASE_URL)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="offline demo on bundled sample articles")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("ingest", help="store articles from feeds, URLs, files or text")
    p.add_argument("sources", nargs="*", metavar="SOURCE")
    p.add_argument(
        "--jsonl", metavar="FILE", help='lines {"id","text","title"?,"url"?,"published"?}'
    )
    p.set_defaults(func=cmd_ingest)

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

    p = sub.add_parser("quotes", help="who said what: the quotes of an article, or by a person")
    p.add_argument("source", nargs="?", metavar="FILE", help="an article (text or HTML), or -")
    p.add_argument("--title", help="the article's headline, if not its first line")
    p.add_argument("--jsonl", metavar="FILE", help='lines {"id","text","title"?}; - for stdin')
    p.add_argument("--by", metavar="NAME", help="stored quotes by this person, newest first")
    p.add_argument("--about", metavar="TOPIC", help="with --by: only quotes on this topic")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("whosaid", help="who said a phrase, from the stored news")
    p.add_argument("phrase")
    p.add_argument("--limit", type=int, default=5)
    p.add_argument("--words-only", action="store_true", help="match words, not meaning")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_whosaid)

    p = sub.add_parser("ask", help="answer a question from the stored news, with citations")
    p.add_argument("question", nargs="?")
    p.add_argument("--jsonl", metavar="FILE", help='lines {"id","question"}; - for stdin')
    p.add_argument("--words-only", action="store_true", help="match words, not meaning")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("run", help="serve Slack and/or Discord (whichever have credentials)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("chat", help="talk to the bot in the terminal (no chat tokens needed)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("digest", help="the latest stored stories with their summaries")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--since", help="only stories published after this ISO date")
    p.add_argument("--json", action="store_true", help="print JSON")
    scheduler_cli.add_digest_arguments(p)
    p.set_defaults(func=cmd_digest)
    scheduler_cli.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return 2
    if args.db:
        settings = _with_db(settings, args.db)
    # A command's output is the answer; logs below warnings only with -v.
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:  # libraries' routine chatter is not news to a CLI user
        for name in ("alembic", "httpx", "httpcore", "trafilatura", "htmldate", "courlan"):
            logging.getLogger(name).setLevel(logging.WARNING)
    try:
        return int(args.func(args, settings, out or sys.stdout))
    except CliError as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return 2
    except NewsbriefError as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _with_db(settings: Settings, url: str) -> Settings:
    from dataclasses import replace

    return replace(settings, database_url=url)


if __name__ == "__main__":
    sys.exit(main())
