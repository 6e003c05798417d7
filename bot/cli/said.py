"""`newsbrief quotes`, `whosaid` and `ask`: who said what, and questions to the stored news."""

from __future__ import annotations

import argparse
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
    read_source,
    text_field,
)
from bot.console import render_quote
from summaries.answers import search
from summaries.answers.answer import Answer, Answerer
from summaries.ingest import extract
from summaries.store import StoredQuote
from summaries.understand import language as languages


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """quotes, whosaid, ask."""
    p = sub.add_parser("quotes", help="who said what: the quotes of an article, or by a person")
    p.add_argument("source", nargs="?", metavar="FILE", help="an article (text or HTML), or -")
    p.add_argument("--title", help="the article's headline, if not its first line")
    p.add_argument("--jsonl", metavar="FILE", help='lines {"id","text","title"?}; - for stdin')
    p.add_argument("--by", metavar="NAME", help="stored quotes by this person, newest first")
    p.add_argument("--about", metavar="TOPIC", help="with --by: only quotes on this topic")
    p.add_argument("--limit", type=count(1, MAX_LIMIT), default=10)
    p.add_argument("--json", action="store_true", help="print JSON")
    add_tenant_option(p, "with --by: only in this workspace's library")
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("whosaid", help="who said a phrase, from the stored news")
    p.add_argument("phrase")
    p.add_argument("--limit", type=count(1, MAX_LIMIT), default=5)
    p.add_argument("--words-only", action="store_true", help="match words, not meaning")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_tenant_option(p, "only in this workspace's library")
    p.set_defaults(func=cmd_whosaid)

    p = sub.add_parser("ask", help="answer a question from the stored news, with citations")
    p.add_argument("question", nargs="?")
    p.add_argument("--jsonl", metavar="FILE", help='lines {"id","question"}; - for stdin')
    p.add_argument("--words-only", action="store_true", help="match words, not meaning")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_tenant_option(p, "only in this workspace's library")
    p.set_defaults(func=cmd_ask)


def _answerer(args: argparse.Namespace, s: Services) -> Answerer:
    """The operator's answerer (the whole library), or the one `--tenant` names."""
    answerer = Answerer(s.store, None) if args.words_only else s.answerer
    return answerer.within(args.tenant)


def _who(speaker: str | None, title: str | None) -> str:
    if not speaker:
        return "Unattributed"
    return f"{speaker} ({title})" if title else speaker


def _stored(q: StoredQuote, phrase: str = "") -> str:
    return render_quote(q.cite(search.excerpt(q.quote.text, phrase) if phrase else None)) + "\n"


async def cmd_quotes(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    if args.by:
        found = s.store.quotes_by_person(
            args.by, about=args.about, limit=args.limit, tenant=args.tenant
        )
        if args.json:
            emit(out, [shapes.stored_quote(q) for q in found])
        elif not found:
            # No quote: the passages that mention them, said to be such (as `ask` answers).
            answer = s.answerer.within(args.tenant).quotes(
                args.by, args.about or "", limit=args.limit
            )
            if answer.found:
                out.write(format_answer(answer))
            else:
                topic = f" about {args.about}" if args.about else ""
                out.write(f"I found no quotes by {args.by}{topic} in the stored news.\n")
        else:
            out.write("\n".join(_stored(q, args.about or "") for q in found))
        return 0
    extractor = s.quote_extractor
    if args.jsonl:

        def one(record: Record) -> Record:
            found = extractor.extract(text_field(record, "text"), title=field(record, "title"))
            return {"quotes": [shapes.quote(q) for q in found]}

        return await batch(args.jsonl, out, one)
    if not args.source:
        raise CliError("give a file or - (or --jsonl FILE, or --by NAME)")
    data = read_source(args.source)
    title = args.title
    if extract.looks_like_html(data):
        article = extract.extract_html(data)
        text, title = article.text, title or article.title
    else:
        text = data.decode("utf-8", errors="replace")
    found_quotes = extractor.extract(text, title=title)
    if args.json:
        emit(out, [shapes.quote(q) for q in found_quotes])
        return 0
    if not found_quotes:
        out.write("No quotes found.\n")
    for q in found_quotes:
        kind = " (reported)" if q.indirect else " (headline)" if q.in_title else ""
        out.write(f"{_who(q.speaker, q.speaker_title)}{kind}: “{q.text}”\n")
        if q.speaker_mention and q.speaker_mention != q.speaker:
            out.write(f"  as “{q.speaker_mention} {q.cue or ''}”\n".replace(" ”", "”"))
    return 0


async def cmd_whosaid(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    """Who said a phrase: the answer `ask who said <phrase>` gives, one quote per entry."""
    answer = _answerer(args, s).who_said(args.phrase, limit=args.limit)
    if args.json:
        ids = [c.quote_id for c in answer.citations if c.quote_id]
        cited = {q.id: q for q in s.store.quotes_by_ids(ids)}
        rows = [
            {
                **shapes.stored_quote(cited[c.quote_id]),
                **({"score": round(c.score, 3)} if c.score is not None else {}),
                **({"context": c.context} if c.context else {}),
            }
            for c in answer.citations
            if c.quote_id in cited
        ]
        emit(out, rows)
        return 0
    if not answer.found:
        out.write(
            "I found nothing on that in the stored news. Ingest more with `newsbrief ingest URL`.\n"
        )
    elif answer.fallback:  # no quote says it: passages, shown as `ask` shows them (no speaker)
        out.write(format_answer(answer))
    else:
        if answer.citations[0].context:  # the words are the reporter's around a quote: say so
            out.write(answer.text + "\n")
        out.write("\n".join(render_quote(c) + "\n" for c in answer.citations))
    _write_unread_note(args, s, out)
    return 0


def _write_unread_note(args: argparse.Namespace, s: Services, out: TextIO) -> None:
    """Say so when the library read holds articles in languages newsbrief can't read."""
    note = languages.unread_note(s.store.article_languages(tenant=args.tenant))
    if note:
        out.write(f"({note})\n")


def format_answer(answer: Answer) -> str:
    """An answer as terminal text: the lead line, then each citation and where it is from."""
    lines = [answer.text]
    for c in answer.citations:
        who = f"{c.speaker}: " if c.speaker else ""
        lines.append(f"- {c.text}" if c.passage else f"- {who}“{c.text}”")  # own words: no marks
        if c.context:
            lines.append(f"  in the article: {c.context}")
        article = c.article
        when = article.date.date().isoformat() if article.date else ""
        where = " · ".join(x for x in (article.title, article.site, when) if x)
        lines.append(f"  {where}" + (f" <{article.url}>" if article.url else ""))
    return "\n".join(lines) + "\n"


async def cmd_ask(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    """Answer a question (or a JSONL batch of them) from the stored news, with citations."""
    if not args.jsonl and not args.question:
        raise CliError('give a question, or --jsonl FILE with lines {"id","question"}')
    answerer = _answerer(args, s)
    if args.jsonl:

        def one(record: Record) -> Record:
            return shapes.answer(answerer.answer(text_field(record, "question")))

        return await batch(args.jsonl, out, one)
    answer = answerer.answer(args.question)
    if args.json:
        emit(out, shapes.answer(answer))
    else:
        out.write(format_answer(answer))
        _write_unread_note(args, s, out)
    return 0
