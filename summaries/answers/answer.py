"""Answers to free questions from the stored news: extractive, cited, and "nothing" when unsure.

A question is read into a `Question` (summaries.answers.questions: what kind, which phrase,
person, topic, time and source), candidates are retrieved by full text and by meaning (sentence
embeddings stored at ingest; only the question is embedded now) and fused by reciprocal rank,
and only passages that pass a relevance threshold are cited. Every answer line is the articles'
own words.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from summaries.answers import phrases, search
from summaries.answers.digest import is_fragment
from summaries.answers.questions import (
    MAX_QUESTION,
    QUOTE_MARKS,
    Kind,
    Question,
    clean_phrase,
    parse_question,
    small_talk,
)
from summaries.ingest.urls import canonical_url
from summaries.store import Store, StoredQuote, StoredSentence, Tenant
from summaries.types import ArticleRef, Citation
from summaries.understand.embed import Embedder
from summaries.understand.people import same_person, typed_name

log = logging.getLogger(__name__)

RRF_K = 60  # reciprocal rank fusion constant (the usual one)
CANDIDATES = 60  # per retriever
# A quote answers "who said <phrase>" when it holds this share of the phrase's words ...
MIN_QUOTE_COVERAGE = 0.6
# ... or is this close in meaning (cosine, MiniLM) while sharing some of its words.
MIN_QUOTE_SIMILARITY = 0.6
MIN_QUOTE_SIMILAR_COVERAGE = 0.2
# A passage answers a topic when it (with its headline) mentions this share of the topic's
# content words, or is this close in meaning while mentioning at least one of them. Calibrated
# on our own fixtures (tests/summaries/test_answer.py): related question/passage pairs score
# 0.43-0.65 with MiniLM, unrelated ones at most 0.28.
MIN_TOPIC_OVERLAP = 0.6
MIN_PASSAGE_SIMILARITY = 0.4
MAX_CITATIONS = 5
ARTICLES_READ = 20  # articles whose paragraphs are read for a person's quotes on a topic
PARAGRAPH_READ = 2000  # characters of a quote's paragraph read either side of it
ARTICLES_SEARCHED = 5  # articles read to locate a phrase said across a quote's edge
SAME_SENTENCE = 0.8  # a quote's weight when the phrase is only in the sentence that holds it

NOTHING = (
    "I found nothing on that in the news I have. "
    "Try `follow <feed>` or `summarize <url>` to give me more to read."
)


@dataclass(frozen=True)
class Answer:
    """An answer: a lead line in newsbrief's words, and the cited passages that ground it.

    `found` is False when the stored news does not answer the question; `kind` says which
    question was understood; for "summarize", `url` is the link to summarise. `fallback` is
    True when a question about what someone said found no quote, and the citations are instead
    passages that mention them (the articles' own words, never shown as anyone's quote).
    """

    text: str
    kind: Kind
    citations: tuple[Citation, ...] = ()
    found: bool = False
    url: str = ""
    fallback: bool = False


class Answerer:
    """Answers questions from one store; `embedder` (optional) adds retrieval by meaning.

    Only the question is embedded at answer time: articles, sentences and quotes were embedded
    when they were stored. Without an embedder, retrieval is by words alone. It reads the
    library of `tenant` (None: every article, as the operator); `within` gives one that reads
    another's.
    """

    def __init__(
        self, store: Store, embedder: Embedder | None = None, *, tenant: Tenant | None = None
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.tenant = tenant
        self._sources: list[str] | None = None

    def within(self, tenant: Tenant | None) -> Answerer:
        """This answerer, reading only the library of `tenant` (None: every article)."""
        if tenant == self.tenant:
            return self
        scoped = copy.copy(self)
        scoped.tenant = tenant
        return scoped

    @property
    def sources(self) -> list[str]:
        """The stored news's site names (read once): a question may name one to filter by."""
        if self._sources is None:
            self._sources = self.store.sources()
        return self._sources

    def answer(self, question: str, *, now: datetime | None = None) -> Answer:
        """The answer to `question`; never raises on what a user typed."""
        q = parse_question(question or "", now=now, sources=self.sources)
        if q.kind == "passages" and (not search.terms(q.topic) or small_talk(question or "")):
            # No words to go on: punctuation, emoji, or only a greeting, thanks or the bot's
            # name.
            return Answer(
                text="Ask me in words, e.g. “who said there is no military solution?”",
                kind="passages",
            )
        if q.kind == "summarize":
            return self._summarize(q)
        if q.kind in ("whosaid", "when"):
            return self._who_said(q)
        if q.kind == "quotes":
            return self._quotes(q)
        return self._passages(q)

    def who_said(self, phrase: str, *, limit: int = MAX_CITATIONS) -> Answer:
        """Who said `phrase` (the words alone, no question around them): the answer `ask who
        said <phrase>` gives, citing at most `limit` quotes."""
        phrase = clean_phrase(" ".join(phrase[:MAX_QUESTION].split()))
        return self._who_said(Question("whosaid", phrase, phrase=phrase), limit=limit)

    def quotes(self, person: str, topic: str = "", *, limit: int = MAX_CITATIONS) -> Answer:
        """What `person` said (about `topic`): the answer `ask what did <person> say about
        <topic>` gives, citing at most `limit` quotes (or, with none, passages naming them)."""
        person = clean_phrase(" ".join(person[:MAX_QUESTION].split()))
        topic = clean_phrase(" ".join(topic[:MAX_QUESTION].split()))
        return self._quotes(Question("quotes", person, person=person, topic=topic), limit=limit)

    # -- kinds ------------------------------------------------------------------------------------
    def _summarize(self, q: Question) -> Answer:
        if not q.url:
            return Answer(text="Give me a link to summarise: `summarize https://…`", kind=q.kind)
        found = self.store.find_duplicate(url=q.url)
        if found is None or not self.store.in_library(found[0].id, self.tenant):
            return Answer(
                text="I haven't read that article yet; ask me to `summarize` it.",
                kind=q.kind,
                url=q.url,
            )
        article = found[0]
        cite = Citation(text=article.summary or article.text[:400], article=article.ref)
        return Answer(
            text="Here is the summary:", kind=q.kind, citations=(cite,), found=True, url=q.url
        )

    def _who_said(self, q: Question, *, limit: int = MAX_CITATIONS) -> Answer:
        phrase = q.phrase
        if not search.terms(phrase):
            return Answer(
                text="Tell me the words, e.g. “who said no military solution?”", kind=q.kind
            )
        quotes = self._matching_quotes(phrase)
        quotes = [(x, s) for x, s in quotes if self._keep(x.article, q)]
        if q.person:
            asked = typed_name(q.person)
            quotes = [
                (x, s) for x, s in quotes if x.quote.speaker and same_person(asked, x.quote.speaker)
            ]
        if not quotes:
            return self._mentions(q, q.person, phrase, limit=limit)
        cites = tuple(
            _quote_citation(x, phrase, around=not _says(phrase, x.quote.text), score=score)
            for x, score in quotes[:limit]
        )
        lead = quotes[0][0]
        who = lead.quote.speaker or "Someone the article doesn't name"
        if cites[0].context is not None:
            # The words are the reporter's, around a quote: say so, and show the sentence.
            text = (
                "No one is quoted saying exactly that; the article says it around these words "
                f"of {who}:"
            )
        elif q.kind == "when":
            day = lead.article.published.strftime("%d %B %Y").lstrip("0")
            text = f"{who} said it on {day}:"
        else:
            text = f"{who} said it:"
        return Answer(text=text, kind=q.kind, citations=cites, found=True)

    def _quotes(self, q: Question, *, limit: int = MAX_CITATIONS) -> Answer:
        person = typed_name(q.person)
        found = self.store.quotes_by_person(
            person, about=q.topic or None, limit=50, tenant=self.tenant
        )
        # Quotes found through the words of their paragraph, not their own.
        through_paragraph: set[int] = set()
        if q.topic and len(found) < limit:
            # The person's newest quotes, read once for both the paragraphs and the meaning.
            theirs = self.store.quotes_by_person(person, limit=200, tenant=self.tenant)
            seen = {x.id for x in found}
            for x in self._quotes_in_paragraphs(theirs, q.topic):
                if x.id not in seen:
                    found.append(x)
                    through_paragraph.add(x.id)
            if not found and self.embedder is not None:
                found = self._quotes_by_meaning(theirs, q.topic)
        found = [x for x in found if self._keep(x.article, q)]
        if not found:
            return self._mentions(q, q.person, q.topic, limit=limit)
        name = found[0].quote.speaker or person
        if q.who:
            return self._who_is(name, found, limit=limit)
        about = f" about {q.topic}" if q.topic else ""
        # Beside a quote is only ever its own sentence: when that sentence names the topic its
        # words do not, or when the quote was found through its paragraph and is a fragment
        # ("distressing") that means little without the sentence quoting it.
        cites = tuple(
            _quote_citation(
                x,
                q.topic,
                around=_named_beside(q.topic, x.quote.text, x.quote.context)
                or (x.id in through_paragraph and is_fragment(x.quote.text)),
            )
            for x in found[:limit]
        )
        role = _role(found)
        who = f"{name}, {role}," if role else name
        return Answer(text=f"What {who} said{about}:", kind=q.kind, citations=cites, found=True)

    def _who_is(self, name: str, found: list[StoredQuote], *, limit: int) -> Answer:
        """Who a person is, as the news has it: the role its articles give them most often,
        how many of the articles quote them, and their newest quotes."""
        articles = len({x.article.id for x in found})
        role = f", {title}," if (title := _role(found)) else ""
        many = "article" if articles == 1 else "articles"
        text = f"{name}{role} is quoted in {articles} {many} I have. The newest:"
        # Their own whole words first: not a headline's claim, nor a fragment quoted inside
        # the reporter's sentence (the order is otherwise the store's, newest first).
        shown = sorted(found, key=lambda x: (x.quote.in_title, is_fragment(x.quote.text)))
        cites = tuple(_quote_citation(x, "") for x in shown[:limit])
        return Answer(text=text, kind="quotes", citations=cites, found=True)

    def _passages(self, q: Question) -> Answer:
        topic = q.topic
        chosen = self._find_passages(topic, q)
        if not chosen:
            return Answer(text=NOTHING, kind=q.kind)
        cites = self._cite_sentences(chosen)
        if q.kind == "news":
            cites = self._briefs_for_headlines(topic, chosen, cites)
        lead = (
            f"What the news says about {topic}:"
            if q.kind == "news"
            else "The best passages I have:"
        )
        return Answer(text=lead, kind=q.kind, citations=cites, found=True)

    def _cite_sentences(self, chosen: list[StoredSentence]) -> tuple[Citation, ...]:
        """`chosen` to show: a sentence that is (almost) all inside a quote with a speaker is
        shown as that person's words, the quote marks left out, not as the article's own
        (""We cannot cool the sea from here.' — from the article"); the rest as they are."""
        quotes = self.store.quotes_for_articles(list({s.article.id for s in chosen}))
        return tuple(_spoken(s, quotes.get(s.article.id, ())) or s.cite() for s in chosen)

    def _briefs_for_headlines(
        self, topic: str, chosen: list[StoredSentence], cites: tuple[Citation, ...]
    ) -> tuple[Citation, ...]:
        """`cites` with each passage from a story whose headline names every word of the topic
        ("what happened with the rail strike?" and "Northline rail strike ends …") given as
        that story's brief: what happened is the story, not one sentence of it."""
        about = [
            i
            for i, s in enumerate(chosen)
            if search.topic_overlap(topic, s.article.title or "") == 1.0
        ]
        if not about:
            return cites
        stories = {
            a.id: a for a in self.store.articles_by_ids([chosen[i].article.id for i in about])
        }
        out = list(cites)
        for i in about:
            story = stories.get(chosen[i].article.id)
            if story is not None and story.summary:
                out[i] = Citation(text=story.summary, article=chosen[i].article)
        return tuple(out)

    def _mentions(self, q: Question, person: str, words: str, *, limit: int) -> Answer:
        """The answer when no quote does: passages that mention `person` and the `words` asked
        about (or said), each citing its article, under a lead that says no quote was found.

        A passage must name the person (the last word of their name: "Holt", "market") and,
        when words were asked about, one of their content words, so the lead is true of it.
        """
        topic = " ".join(x for x in (person, words) if x)
        if not search.topic_words(topic):
            return Answer(text=NOTHING, kind=q.kind)
        named = _key_word(person)
        about = search.topic_words(words)

        def mentions(text: str) -> bool:
            have = {search._stem(w) for w in search.terms(text, limit=100_000)}
            return (not named or named in have) and (not about or bool(about & have))

        chosen = self._find_passages(topic, q, must=mentions, limit=limit)
        if not chosen:
            return Answer(text=NOTHING, kind=q.kind)
        if not person:
            text = "I found no quote saying that. These passages mention those words:"
        elif q.kind == "quotes":
            on = f" about {words}" if words else ""
            also = f" and {words}" if about else ""
            text = (
                f"I found no direct quote from {person}{on}. These passages mention {person}{also}:"
            )
        else:
            text = f"I found no quote of {person} saying that. These passages mention {person}:"
        cites = tuple(s.cite() for s in chosen)
        return Answer(text=text, kind=q.kind, citations=cites, found=True, fallback=True)

    def _find_passages(
        self,
        topic: str,
        q: Question,
        *,
        must: Callable[[str], bool] | None = None,
        limit: int = MAX_CITATIONS,
    ) -> list[StoredSentence]:
        """The stored sentences that answer `topic`, best first, one per article, within the
        question's time and source (and saying what `must` asks of a sentence's words)."""
        if not search.topic_words(topic):
            return []
        vector = self._embed(topic)
        words = _content_terms(topic)
        ranked: dict[int, float] = {}
        for any_word in (False, True):
            ids = self.store.search_sentences(
                words, any_word=any_word, limit=CANDIDATES, tenant=self.tenant
            )
            _fuse(ranked, ids)
            if len(ids) >= 10:
                break
        similar: dict[int, float] = {}
        if vector is not None and self.embedder is not None:
            hits = self.store.nearest(
                "sentence", vector, model=self.embedder.name, limit=CANDIDATES, tenant=self.tenant
            )
            similar = dict(hits)
            _fuse(ranked, [i for i, _ in hits])
        order = sorted(ranked, key=lambda i: -ranked[i])
        chosen: list[StoredSentence] = []
        seen_articles: set[int] = set()
        for sentence in self.store.sentences_by_ids(order):
            if sentence.article.id in seen_articles:
                continue
            if not self._keep(sentence.article, q):
                continue
            if must is not None and not must(sentence.text):
                continue
            overlap = search.topic_overlap(topic, f"{sentence.text} {sentence.article.title or ''}")
            close = similar.get(sentence.id, 0.0) >= MIN_PASSAGE_SIMILARITY and overlap > 0
            if overlap >= MIN_TOPIC_OVERLAP or close:
                chosen.append(sentence)
                seen_articles.add(sentence.article.id)
            if len(chosen) >= limit:
                break
        return chosen

    # -- retrieval --------------------------------------------------------------------------------
    def _matching_quotes(self, phrase: str) -> list[tuple[StoredQuote, float]]:
        """Quotes that say `phrase`, best first, with how fully each (or its sentence) says it:
        full text and meaning, fused, then thresholded.

        Quotes come from the quote index, from the quote vectors, and from the sentences that
        hold the phrase (the quotes around them), so words typed across a quote's edge, or a
        quote the extractor cut short, still find their speaker.
        """
        words = search.terms(phrase)
        ranked: dict[int, float] = {}
        for any_word in (False, True):
            # Any of the common words would match nearly everything: only content words then.
            asked = _content_terms(phrase) if any_word else words
            ids = self.store.search_quote_ids(
                asked, any_word=any_word, limit=CANDIDATES, tenant=self.tenant
            )
            _fuse(ranked, ids)
            if ids and not any_word:
                break
        similar: dict[int, float] = {}
        vector = self._embed(phrase)
        if vector is not None and self.embedder is not None:
            hits = self.store.nearest(
                "quote", vector, model=self.embedder.name, limit=CANDIDATES, tenant=self.tenant
            )
            similar = dict(hits)
            _fuse(ranked, [i for i, _ in hits])
        # Where the articles say the phrase, the quotes there are candidates too.
        around = self._quotes_around(phrase, words, list(ranked))
        _fuse(ranked, sorted(around, key=lambda i: -around[i]))
        scored: list[tuple[float, float, StoredQuote, float]] = []
        for quote in self.store.quotes_by_ids(sorted(ranked, key=lambda i: -ranked[i])):
            match = max(phrases.phrase_match(phrase, quote.quote.text), around.get(quote.id, 0.0))
            sim = similar.get(quote.id, 0.0)
            if match >= MIN_QUOTE_COVERAGE or (
                sim >= MIN_QUOTE_SIMILARITY and match >= MIN_QUOTE_SIMILAR_COVERAGE
            ):
                # Words said outweigh rank; on a tie a named speaker beats a description
                # ("the spot", "aides"), which beats none.
                scored.append((round(match + sim * 0.1, 1), ranked[quote.id], quote, match))
        scored.sort(
            key=lambda t: (
                -t[0],
                t[2].quote.speaker is None or t[2].quote.indirect,
                not (t[2].quote.speaker or " ")[0].isupper(),
                -t[1],
            )
        )
        return [(quote, match) for _, _, quote, match in scored]

    def _quotes_around(self, phrase: str, words: list[str], found: list[int]) -> dict[int, float]:
        """Quotes holding the place where an article says `phrase`, scored by how fully it says
        it there and how much of it lies inside the quote's own spans.

        This finds a quote when the phrase runs across its edge, across a quote interrupted by
        its attribution (`"A," X said. "B."`), or in a paraphrase the extractor kept as an
        indirect quote. Articles are those whose sentences say the phrase, then those of the
        quotes `found` by words (best first).
        """
        article_ids: list[int] = []
        said: list[
            StoredSentence
        ] = []  # the sentences holding every word of the phrase, best first
        for any_word in (False, True):
            asked = _content_terms(phrase) if any_word else words
            ids = self.store.search_sentences(
                asked, any_word=any_word, limit=20, tenant=self.tenant
            )
            sentences = self.store.sentences_by_ids(ids)
            if not any_word:
                said = sentences[:10]
            for sentence in sentences:
                if sentence.article.id not in article_ids:
                    article_ids.append(sentence.article.id)
            if len(article_ids) >= ARTICLES_SEARCHED:
                break
        for quote in self.store.quotes_by_ids(found[:ARTICLES_SEARCHED]):
            if quote.article.id not in article_ids:
                article_ids.append(quote.article.id)
        read = article_ids[: ARTICLES_SEARCHED * 2]
        # Every article's quotes this needs, in one read.
        quoted = self.store.quotes_for_articles([s.article.id for s in said] + read)
        around: dict[int, float] = {}
        # The stored sentences that say the phrase whole: the quotes in them.
        for sentence in said:
            score = phrases.phrase_match(phrase, sentence.text)
            if score < MIN_QUOTE_COVERAGE:
                continue
            for stored in quoted.get(sentence.article.id, []):
                if not stored.quote.in_title and any(
                    a < sentence.end and sentence.start < b for a, b in stored.quote.spans
                ):
                    around[stored.id] = max(around.get(stored.id, 0.0), score * SAME_SENTENCE)
        for article in self.store.articles_by_ids(read):
            located = phrases.locate(phrase, article.text)
            if located is None or located[0] < MIN_QUOTE_COVERAGE:
                continue
            score, marks = located
            start, end = phrases.sentence_around(article.text, marks[0], marks[-1])
            for stored in quoted.get(article.id, []):
                spans = stored.quote.spans
                if stored.quote.in_title:
                    continue
                inside = sum(any(a <= m < b for a, b in spans) for m in marks)
                if inside:
                    # The quote that holds the phrase's words outranks one it only touches.
                    found_here = score * (0.5 + 0.5 * inside / len(marks))
                elif any(a < end and start < b for a, b in spans):
                    # Said in a sentence that quotes someone: the report around their words.
                    found_here = score * SAME_SENTENCE
                else:
                    continue
                around[stored.id] = max(around.get(stored.id, 0.0), found_here)
        return around

    def _quotes_in_paragraphs(self, theirs: list[StoredQuote], topic: str) -> list[StoredQuote]:
        """The quotes of `theirs` (a person's, newest first) whose paragraph (or the one before
        it) mentions the topic: "what did Obama say about climate?" finds his words in a
        paragraph on the climate deal. Most mentions first, then the paragraph's own before the
        one before, then newest; in at most `ARTICLES_READ` articles."""
        ids = list(dict.fromkeys(x.article.id for x in theirs))[:ARTICLES_READ]
        texts = {a.id: a.text for a in self.store.articles_by_ids(ids)}
        scored: list[tuple[float, int, StoredQuote]] = []
        for i, x in enumerate(theirs):
            text = texts.get(x.article.id)
            if text is None or not x.quote.spans:
                continue
            start, end = x.quote.spans[0][0], x.quote.spans[-1][1]
            if not 0 <= start <= end <= len(text):
                continue
            # The paragraph, read at most PARAGRAPH_READ characters either side of the quote:
            # a page of one endless paragraph costs no more than a real one.
            lo = max(0, start - PARAGRAPH_READ)
            here = text.rfind("\n", lo, start) + 1 or lo
            stop = text.find("\n", end, end + PARAGRAPH_READ)
            paragraph = text[here : min(len(text), end + PARAGRAPH_READ) if stop < 0 else stop]
            before = ""
            if here != lo or lo == 0:  # the paragraph before, past blank lines
                last = here
                while last > max(0, here - PARAGRAPH_READ) and text[last - 1].isspace():
                    last -= 1
                first = max(0, last - PARAGRAPH_READ)
                before = text[text.rfind("\n", first, last) + 1 or first : last]
            own = search.topic_overlap(topic, paragraph)
            score = own or 0.5 * search.topic_overlap(topic, before)
            if score > 0:
                scored.append((score, i, x))
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [x for _, _, x in scored]

    def _quotes_by_meaning(self, theirs: list[StoredQuote], topic: str) -> list[StoredQuote]:
        """The quotes of `theirs` close in meaning to the topic, closest first."""
        assert self.embedder is not None
        vector = self._embed(topic)
        if not theirs or vector is None:
            return []
        stored = self.store.item_vectors("quote", [x.id for x in theirs], self.embedder.name)
        scored = [(float(stored[x.id] @ vector), x) for x in theirs if x.id in stored]
        return [
            x for score, x in sorted(scored, key=lambda t: -t[0]) if score >= MIN_PASSAGE_SIMILARITY
        ]

    def _embed(self, text: str) -> np.ndarray | None:
        if self.embedder is None:
            return None
        try:
            return self.embedder.encode([text])[0]
        except (RuntimeError, OSError) as exc:  # no model: words alone still answer
            log.warning("question not embedded: %s", exc)
            return None

    def _keep(self, article: ArticleRef, q: Question) -> bool:
        """Whether a cited article is within the question's time window and source."""
        if q.since is not None and article.published < q.since:
            return False
        if q.until is not None and article.published >= q.until:
            return False
        if q.source:
            wanted = set(search.terms(q.source))
            have = set(search.terms(f"{article.site or ''} {_host(article.url)}"))
            return wanted <= have
        return True


def _fuse(ranked: dict[int, float], ids: list[int]) -> None:
    """Reciprocal rank fusion: each list adds 1 / (k + rank) to the items it ranks."""
    for rank, item in enumerate(ids):
        ranked[item] = ranked.get(item, 0.0) + 1.0 / (RRF_K + rank + 1)


def _content_terms(text: str) -> list[str]:
    """The query terms of `text` that are content words (all of them when none is)."""
    wanted = search.topic_words(text)
    return [w for w in search.terms(text) if search._stem(w) in wanted] or search.terms(text)


def _key_word(name: str) -> str:
    """The stemmed word a passage must hold to mention `name`: its last content word ("Mia
    Holt" -> holt, "the market" -> market); "" when it has none."""
    wanted = search.topic_words(name)
    last = [search._stem(w) for w in search.terms(name) if search._stem(w) in wanted]
    return last[-1] if last else ""


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return canonical_url(url).split("/")[2]
    except (ValueError, IndexError):
        return ""


def _says(phrase: str, quote: str) -> bool:
    """Whether a quote itself says the phrase (not only the sentence around it)."""
    return phrases.phrase_match(phrase, quote) >= MIN_QUOTE_COVERAGE


def _named_beside(topic: str, quote: str, sentence: str | None) -> bool:
    """Whether a quote's sentence names the topic its own words do not."""
    return (
        bool(topic and sentence)
        and not search.topic_overlap(topic, quote)
        and search.topic_overlap(topic, sentence or "") > 0
    )


def _role(found: Sequence[StoredQuote]) -> str:
    """The role the articles give the speaker of `found` most often ("" when none): not a
    courtesy title, which says nothing of what a person does."""
    roles = Counter(
        title
        for x in found
        if (title := x.quote.speaker_title) and title.casefold().rstrip(".") not in _COURTESY_TITLES
    )
    return roles.most_common(1)[0][0] if roles else ""


# Courtesy titles say nothing of what a person does.
_COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "madam"})


def _quote_citation(
    q: StoredQuote,
    phrase: str,
    *,
    around: bool = False,
    score: float | None = None,
) -> Citation:
    """A quote cited for `phrase`: an excerpt around it, and the sentence around the quote when
    the phrase is said there rather than inside the quote (`around`)."""
    context = None
    if around and q.quote.context:
        # The quote's own sentence(s), cut (when long) around the phrase, or when the phrase
        # is not said there, around the quote's words.
        said_there = search.coverage(phrase, q.quote.context) > 0
        context = search.excerpt(
            q.quote.context, phrase if said_there else q.quote.text, max_chars=600
        )
    return q.cite(search.excerpt(q.quote.text, phrase, max_chars=600), context=context, score=score)


def _spoken(sentence: StoredSentence, quotes: Sequence[StoredQuote]) -> Citation | None:
    """`sentence` cited as the words of the quote one of whose spans holds all of it but
    quote marks and spaces, when that quote has a speaker and is a direct one; else None."""
    core = sentence.text.strip(QUOTE_MARKS + " ")
    if not core:
        return None
    for x in quotes:
        if not x.quote.speaker or x.quote.indirect or x.quote.in_title:
            continue
        for start, end in x.quote.spans:
            lo, hi = max(start, sentence.start), min(end, sentence.end)
            if hi - lo >= len(core):
                words = sentence.text[lo - sentence.start : hi - sentence.start].strip()
                return x.cite(words)
    return None
