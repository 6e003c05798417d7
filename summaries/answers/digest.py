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
# A digest with more stories than this is shown as its lead story, then sections.
HANDFUL = 5
MAX_SECTIONS = 4  # topic sections; the stories left over go under OTHER
OTHER = "Also today"


@dataclass(frozen=True)
class DigestStory:
    """One story: near-duplicate articles from several feeds, headed by one of them."""

    title: str
    url: str | None
    sources: tuple[str, ...]
    published: datetime | None  # its headline article's own date; None when it gives none
    summary: str | None
    article_ids: tuple[int, ...]
    quote: StoredQuote | None = None  # the key quote, with a named speaker
    image: str | None = None  # the lead image of its headline article (else of another)
    language: str | None = None  # its headline article's language (ISO 639-1)


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
    more: int = 0  # stories past the digest's limit, left out

    @property
    def empty(self) -> bool:
        return not self.stories


@dataclass(frozen=True)
class Section:
    """Stories of a digest under one short heading: the topic words they share."""

    heading: str
    stories: tuple[int, ...]  # positions in the list given to `sections`


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
    vectors = np.asarray(vectors, dtype=np.float32)
    groups: list[list[int]] = []
    # Each story's summed vector and its length, compared with an article all at once: a
    # story at a time in Python took 1.4 s of CPU for a window of 1,000 distinct articles.
    sums = np.zeros_like(vectors)
    norms = np.zeros(len(vectors), dtype=np.float32)
    for i, vector in enumerate(vectors):
        count = len(groups)
        best = -1
        if count:
            scores = (sums[:count] @ vector) / np.maximum(norms[:count], 1e-12)
            top = float(scores.max())
            if top >= limit:  # the closest story; on a tie, the later one (as before)
                best = int(np.flatnonzero(scores == top)[-1])
        if best < 0:
            best = count
            groups.append([])
        groups[best].append(i)
        sums[best] += vector
        norms[best] = np.linalg.norm(sums[best])
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
    ranked = rank_stories(group_stories(window, embedder, vectors=vectors))
    stories = tuple(_story(store, group) for group in ranked[:max_stories])
    return Digest(
        channel=where,
        since=since,
        until=until,
        stories=stories,
        said=who_said_what(stories, max_said),
        articles=len(window),
        feeds=len(store.followed_feeds(where)),
        more=max(0, len(ranked) - max_stories),
    )


def sections(titles: Sequence[str | None], *, max_sections: int = MAX_SECTIONS) -> list[Section]:
    """Stories, by their headlines, grouped under headings: the topic words they share.

    The word most headlines share heads the first section, which takes every story whose
    headline has it; then the next among the stories left, up to `max_sections` sections of at
    least two stories each. A word shared by more than half of the headlines is no topic (a
    feed's own name, a recurring label). A second word every headline of a section shares joins
    its heading ("Rail strike"). Stories left over go under OTHER. Sections come in the order of
    their best-ranked story; stories keep their order.
    """
    words = [_topic_words(title) for title in titles]
    too_common = max(2, len(titles) // 2)
    left = list(range(len(titles)))
    found: list[Section] = []
    while left and len(found) < max_sections:
        best = _most_shared(words, left, most=too_common)
        if best is None:
            break
        members = [i for i in left if best in words[i]]
        shared = set.intersection(*(set(words[i]) for i in members)) - {best}
        second = _most_shared(words, members, among=shared)
        found.append(Section(_heading(best, second, words[members[0]]), tuple(members)))
        left = [i for i in left if i not in members]
    if left:
        found.append(Section(OTHER, tuple(left)))
    return sorted(found, key=lambda s: (s.heading == OTHER, s.stories[0]))


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


def story_key_quote(
    candidates: Sequence[StoredQuote], title: str | None, summary: str | None
) -> StoredQuote | None:
    """`key_quote` of a story with this title and summary: the same in a digest and in the
    bot's story lists."""
    return key_quote(candidates, f"{title or ''} {summary or ''}")


def key_quote(candidates: Sequence[StoredQuote], about: str = "") -> StoredQuote | None:
    """The quote that best stands for a story: a named speaker's direct words, the most
    central to `about` (the story's title and summary), fit to show.

    Centrality is the share of the story's words the quote says (content words, over the
    square root of the quote's own, so a long quote does not win by length alone); a quote
    shorter or longer than `QUOTE_CHARS` counts half, and so does a fragment (words quoted
    inside the reporter's sentence, opening in lowercase: `called it "a path to peace"`), whose
    speaker said more than the quote shows; one the summary already shows word for word is
    left for the others. Ties go to the earlier quote.
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
        if not shortest <= len(q.quote.text) <= longest:
            value /= 2
        return value / 2 if is_fragment(q.quote.text) else value

    return max(direct, key=centrality)


def is_fragment(text: str) -> bool:
    """Whether quoted words are a fragment of what was said: they open in lowercase."""
    first = next((c for c in text if c.isalpha()), "")
    return first.islower()


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
        published=head.published,  # None: the article gives no date (not when it was seen)
        summary=_clip(head.summary),
        article_ids=tuple(a.id for a in group),
        quote=story_key_quote(quotes, head.title, head.summary),
        image=head.image or next((a.image for a in group if a.image), None),
        language=head.language,
    )


# Words too common in news to name a topic.
_NOT_TOPICS = frozenset(
    """
    about after again against all also among and any are around as at back be because been
    before being between both but by can could day days did does during each even first for
    from had has have he her here his how if in including into is it its just last later like
    made make many may more most much new news no not now of off on once one only or other our
    out over people per said say says she should since so some still such than that the their
    them then there these they this those three through to today told two under until up us
    very was we week were what when where which while who will with would year years yesterday
    you monday tuesday wednesday thursday friday saturday sunday report reports according
    officials official least near next time number part set take took way well get got since
    """.split()
)


def _topic_words(title: str | None) -> dict[str, str]:
    """A headline's topic words, folded, each with how it is written there, in order."""
    found: dict[str, str] = {}
    for word in re.findall(r"[^\W\d_]{3,}", title or ""):
        key = word.casefold()
        if key not in _NOT_TOPICS and key not in found:
            found[key] = word
    return found


def _most_shared(
    words: Sequence[dict[str, str]],
    stories: Sequence[int],
    *,
    among: set[str] | None = None,
    most: int | None = None,
) -> str | None:
    """The word most of `stories` share (at least two, at most `most`); on a tie, the one whose
    stories share the most words with each other, then the best-ranked story's; None when no
    word is shared."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for i in stories:
        for key in words[i]:
            if among is None or key in among:
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, i)
    shared = [k for k, n in counts.items() if n >= 2 and (most is None or n <= most)]
    if not shared:
        return None

    def together(key: str) -> int:  # how many words the stories with `key` all share
        members = [set(words[i]) for i in stories if key in words[i]]
        return len(set.intersection(*members))

    return min(shared, key=lambda k: (-counts[k], -together(k), first[k], k))


def _heading(best: str, second: str | None, shown: dict[str, str]) -> str:
    """A section's heading: its topic word as the first headline writes it, with the second one
    in that headline's order ("Rail strike")."""
    keys = [k for k in shown if k in (best, second)]
    heading = " ".join(shown[k] for k in keys)
    return heading[:1].upper() + heading[1:]


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
