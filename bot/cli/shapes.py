"""What the command line prints as JSON: one shape per type, built here and nowhere else.

Times are ISO 8601 in UTC (`summaries.times.iso`). Optional keys are left out rather than
null where a reader tells cases apart by their presence (`context`, `score`).
"""

from __future__ import annotations

from typing import Any

from bot.digests import DigestOutcome
from summaries.answers.answer import Answer
from summaries.answers.digest import Digest, DigestStory
from summaries.ingest.pipeline import Outcome
from summaries.store import StoredArticle, StoredQuote
from summaries.store.records import Channel, DigestRun, Schedule
from summaries.times import iso
from summaries.types import Citation, ExtractedArticle, Quote

JSON = dict[str, Any]


def extracted(article: ExtractedArticle) -> JSON:
    """An article as extraction read it, not stored."""
    return {
        "title": article.title,
        "byline": article.byline,
        "published": iso(article.published),
        "site": article.site,
        "url": article.url,
        "text": article.text,
        "image": article.image,
        "language": article.language,
    }


def stored_article(article: StoredArticle) -> JSON:
    """A stored story with its summary (no text)."""
    return {
        "article_id": article.id,
        "title": article.title,
        "url": article.url,
        "site": article.site,
        "published": iso(article.published),
        "summary": article.summary,
    }


def outcome(result: Outcome) -> JSON:
    """What ingesting one source did: stored, skipped as a duplicate, or the error."""
    if result.status == "stored":
        return {"article_id": result.article_id}
    if result.status == "skipped":
        return {"skipped": result.reason, "article_id": result.article_id}
    return {"error": result.reason}


def quote(q: Quote) -> JSON:
    """A quote found in a text; `spans` are [start, end] offsets into it (or its title)."""
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


def stored_quote(q: StoredQuote) -> JSON:
    """A stored quote with the article that cites it."""
    return {
        "quote": q.quote.text,
        "speaker": q.quote.speaker,
        "speaker_title": q.quote.speaker_title,
        "speaker_mention": q.quote.speaker_mention,
        "cue": q.quote.cue,
        "indirect": q.quote.indirect,
        "article_id": q.article.id,
        "title": q.article.title,
        "url": q.article.url,
        "published": iso(q.article.date),
    }


def citation(c: Citation) -> JSON:
    """One passage an answer cites: the exact words, who said them, and where."""
    return {
        "title": c.article.title,
        "url": c.article.url,
        "speaker": c.speaker,
        "quote": c.text,
        "source": c.article.site,
        "published": iso(c.article.date),
        **({"context": c.context} if c.context else {}),
    }


def answer(a: Answer) -> JSON:
    """An answer to a question: its lead line, whether the news answers it, and citations."""
    return {
        "answer": a.text,
        "found": a.found,
        "kind": a.kind,
        "fallback": a.fallback,
        "citations": [citation(c) for c in a.citations],
    }


def channel(where: Channel) -> JSON:
    return {"platform": where.platform, "workspace": where.workspace, "channel": where.channel}


def digest_outcome(where: Channel, result: DigestOutcome) -> JSON:
    """What posting a channel's digest did."""
    return {
        **channel(where),
        "status": result.status,
        "date": result.local_date,
        "stories": result.stories,
        "error": result.error,
    }


def _story(s: DigestStory) -> JSON:
    return {
        "title": s.title,
        "url": s.url,
        "sources": list(s.sources),
        "published": iso(s.published),
        "summary": s.summary,
        "article_ids": list(s.article_ids),
        "quote": stored_quote(s.quote) if s.quote else None,
    }


def digest(d: Digest) -> JSON:
    """A channel's digest for a window: its stories, and who said what."""
    return {
        **channel(d.channel),
        "since": iso(d.since),
        "until": iso(d.until),
        "articles": d.articles,
        "stories": [_story(s) for s in d.stories],
        "who_said_what": [stored_quote(q) for q in d.said],
    }


def schedule(s: Schedule, last: DigestRun | None) -> JSON:
    """A channel's digest schedule, with its last run."""
    return {
        **channel(s.channel),
        "time": s.time.strftime("%H:%M"),
        "timezone": s.timezone,
        "weekdays": list(s.weekdays),
        "quiet": s.quiet,
        "last_digest": None
        if last is None
        else {
            "date": last.local_date,
            "status": last.status,
            "attempts": last.attempts,
            "stories": last.stories,
            "error": last.error,
        },
    }
