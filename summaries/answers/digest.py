"""A channel's digest: the stories first seen since its last digest, grouped, ranked and quoted.

The store reads the window (`Store.digest_articles`); `group_stories` and `rank_stories` are
pure; `build_digest` puts them together and picks each story's key quote. No chat code here: the
bot turns a `Digest` into a platform's reply.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from summaries.answers.subscriptions import passes
from summaries.store import Channel, DigestArticle, Store, StoredQuote
from summaries.understand.embed import Embedder

log = logging.getLogger(__name__)

# Cosine similarity (title + summary, MiniLM) at which two articles count as one story.
SAME_STORY = 0.72
# Without an embedder: share of title words two headlines must have in common.
SAME_TITLE_WORDS = 0.5
MAX_STORIES = 12
MAX_SAID = 6
MAX_ARTICLES = 1000  # a window bigger than this keeps its newest articles
SUMMARY_CHARS = 500
QUOTE_CHARS = (20, 320)  # a key quote's length, shortest and longest


@dataclass(frozen=True)
class DigestStory:
    """One story: near-duplicate articles from several feeds, headed by one of them."""

    title: str
    url: str | None
    sources: tuple[str, ...]
    published: datetime | None
    summary: str | None
    article_ids: tuple[int, ...]
    quote: StoredQuote | None = None  # the key quote, with a named speaker


@dataclass(frozen=True)
class Digest:
    """What a channel's digest holds for the window [since, until)."""

    channel: Channel
    since: datetime
    until: datetime
    stories: tuple[DigestStory, ...]
    said: tuple[StoredQuote, ...]  # who said what: one quote per speaker
    articles: int  # articles in the window that passed the channel's filters
    feeds: int  # feeds the channel follows

    @property
    def empty(self) -> bool:
        return not self.stories


def group_stories(
    items: Sequence[DigestArticle],
    embedder: Embedder | None = None,
    *,
    threshold: float | None = None,
    vectors: np.ndarray | None = None,
) -> list[list[DigestArticle]]:
    """Near-duplicates grouped into stories, in order of each story's first article.

    Each article joins the first story whose centroid is close enough (cosine of title and
    summary embeddings; comparing with the centroid, not any member, stops chains of loosely
    related articles merging into one blob). Without an embedder, headlines' shared words decide.
    """
    if not items:
        return []
    if embedder is None and vectors is None:
        return _group_by_words(items, SAME_TITLE_WORDS if threshold is None else threshold)
    limit = SAME_STORY if threshold is None else threshold
    if vectors is None:
        assert embedder is not None
        vectors = embedder.encode([_story_text(a) for a in items])
    groups: list[list[int]] = []
    sums: list[np.ndarray] = []
    for i, vector in enumerate(vectors):
        best, best_score = -1, limit
        for g, total in enumerate(sums):
            score = float(vector @ total) / max(float(np.linalg.norm(total)), 1e-12)
            if score >= best_score:
                best, best_score = g, score
        if best < 0:
            groups.append([i])
            sums.append(vector.astype(np.float32).copy())
        else:
            groups[best].append(i)
            sums[best] += vector
    return [[items[i] for i in g] for g in groups]


def rank_stories(groups: Sequence[Sequence[DigestArticle]]) -> list[list[DigestArticle]]:
    """Stories most widely carried first (distinct sources), then the most recent."""

    def key(group: Sequence[DigestArticle]) -> tuple[int, float]:
        sources = {s for a in group for s in a.sources}
        return (-len(sources), -max(a.when for a in group).timestamp())

    return [list(g) for g in sorted(groups, key=key)]


def build_digest(
    store: Store,
    where: Channel,
    since: datetime,
    until: datetime,
    *,
    embedder: Embedder | None = None,
    max_stories: int = MAX_STORIES,
    max_said: int = MAX_SAID,
) -> Digest:
    """The channel's digest for articles first seen in [since, until), after its filters."""
    filters = store.channel_filters(where)
    window = [
        a
        for a in store.digest_articles(where, since, until, limit=MAX_ARTICLES)
        if passes(filters, f"{a.title or ''}\n{a.summary or ''}")
    ]
    vectors = None
    if embedder is not None and window:
        found = article_vectors(store, [a.id for a in window], embedder)
        vectors = np.stack([found[a.id] for a in window])
    ranked = rank_stories(group_stories(window, embedder, vectors=vectors))[:max_stories]
    stories = tuple(_story(store, group) for group in ranked)
    return Digest(
        channel=where,
        since=since,
        until=until,
        stories=stories,
        said=who_said_what(stories, max_said),
        articles=len(window),
        feeds=len(store.followed_feeds(where)),
    )


def article_vectors(store: Store, ids: Sequence[int], embedder: Embedder) -> dict[int, np.ndarray]:
    """Each article's title-and-summary vector, embedding and storing the ones not stored yet.

    The scheduler calls this right after polling, so a digest finds them ready.
    """
    found = store.article_vectors(ids, embedder.name)
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    if not missing:
        return found
    texts = {a.id: _story_text_of(a.title, a.summary) for a in store.articles_by_ids(missing)}
    order = [i for i in missing if i in texts]
    if not order:
        return found
    vectors = embedder.encode([texts[i] for i in order])
    store.add_article_vectors(embedder.name, dict(zip(order, vectors, strict=True)))
    found.update(zip(order, (np.asarray(v, dtype=np.float32) for v in vectors), strict=True))
    return found


def who_said_what(stories: Sequence[DigestStory], limit: int = MAX_SAID) -> tuple[StoredQuote, ...]:
    """The stories' key quotes, one per speaker, in story order."""
    said: list[StoredQuote] = []
    speakers: set[str] = set()
    for story in stories:
        if story.quote is None:
            continue
        speaker = story.quote.quote.speaker
        if not speaker or speaker in speakers:
            continue
        speakers.add(speaker)
        said.append(story.quote)
        if len(said) >= limit:
            break
    return tuple(said)


def key_quote(candidates: Sequence[StoredQuote], about: str = "") -> StoredQuote | None:
    """The quote that best stands for a story: a named speaker's direct words, the most
    central to `about` (the story's title and summary), fit to show.

    Centrality is the share of the story's words the quote says (content words, over the
    square root of the quote's own, so a long quote does not win by length alone); a quote
    shorter or longer than `QUOTE_CHARS` counts half, one the summary already shows word for
    word is left for the others. Ties go to the earlier quote.
    """
    named = [q for q in candidates if q.quote.speaker and not q.quote.in_title]
    # Words the story's summary already shows word for word add nothing beside it.
    shown = " ".join(about.casefold().split())
    fresh = [q for q in named if " ".join(q.quote.text.casefold().split()) not in shown]
    named = fresh or named
    direct = [q for q in named if not q.quote.indirect] or named
    if not direct:
        return None
    topic = _content_words(about)
    shortest, longest = QUOTE_CHARS
    if not topic:  # nothing to be central to: the first quote fit to show
        return next((q for q in direct if shortest <= len(q.quote.text) <= longest), direct[0])

    def centrality(q: StoredQuote) -> float:
        words = _content_words(q.quote.text)
        value = (len(words & topic) + 1.0) / (len(words) + 1.0) ** 0.5
        return value if shortest <= len(q.quote.text) <= longest else value / 2

    return max(direct, key=centrality)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{3,}", text.casefold()) if w not in _STOPWORDS}


def _story(store: Store, group: Sequence[DigestArticle]) -> DigestStory:
    # The headline is the first article with a summary: the one that broke the story here.
    head = next((a for a in group if a.summary), group[0])
    sources: list[str] = []
    for article in [head, *group]:
        sources.extend(s for s in article.sources if s not in sources)
    quotes: list[StoredQuote] = []
    for article in [head, *(a for a in group if a is not head)]:
        quotes.extend(store.quotes_for_article(article.id))
    return DigestStory(
        title=head.title or "(untitled)",
        url=head.url,
        sources=tuple(sources),
        published=head.when,
        summary=_clip(head.summary),
        article_ids=tuple(a.id for a in group),
        quote=key_quote(quotes, f"{head.title or ''} {head.summary or ''}"),
    )


def _group_by_words(items: Sequence[DigestArticle], threshold: float) -> list[list[DigestArticle]]:
    groups: list[tuple[set[str], list[DigestArticle]]] = []
    for article in items:
        words = _title_words(article.title or "")
        for seed, members in groups:
            if words and seed and len(words & seed) / len(words | seed) >= threshold:
                members.append(article)
                break
        else:
            groups.append((words, [article]))
    return [members for _, members in groups]


_STOPWORDS = frozenset(
    "a an and as at by for from in into is of on or says the to with after over new".split()
)


def _title_words(title: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]+", title.casefold()) if w not in _STOPWORDS}


def _story_text(article: DigestArticle) -> str:
    return _story_text_of(article.title, article.summary)


def _story_text_of(title: str | None, summary: str | None) -> str:
    return f"{title or ''}. {(summary or '')[:300]}".strip(". ")


def _clip(text: str | None) -> str | None:
    if text is None or len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > SUMMARY_CHARS // 2 else cut.rstrip() + "…"
