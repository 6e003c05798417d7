"""Free text read into a `Question`: the one reader of what people type, for `ask` and the bot.

Pure functions, no I/O. A question is read into its kind (who said, when did X say, what did X
say, news, summarise a link, or a free question) and the phrase, person, topic, time window and
source it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from summaries.answers import search

Kind = Literal["whosaid", "when", "quotes", "news", "passages", "summarize"]

MAX_QUESTION = 500  # characters read of a question; the rest is ignored


@dataclass(frozen=True)
class Question:
    """What a question asks, read from its words."""

    kind: Kind
    text: str  # the question as asked (trimmed)
    phrase: str = ""  # who said / when did ... say: the words said
    person: str = ""  # what did <person> say; when did <person> say
    topic: str = ""  # about <topic>; news about <topic> ("" for the news at large)
    url: str = ""  # summarize <url>
    since: datetime | None = None
    until: datetime | None = None
    source: str = ""  # "from Reuters", "in the Guardian"

    @property
    def filtered(self) -> bool:
        """Whether the question names a time window or a source."""
        return self.since is not None or self.until is not None or bool(self.source)


QUOTE_MARKS = "\"'“”‘’«»"
_URL = re.compile(r"https?://[^\s<>|]+")
# The bot's mention: Slack <@U1> or <@U1|name>, Discord <@1> or <@!1>, or a plain @name.
_MENTION = r"<@!?\w+(?:\|[^<>]*)?>|@[\w.-]+"
_MENTIONS = re.compile(_MENTION)
# Greetings and the bot's own mention before a question: "hey @newsbrief, who said ...".
_LEAD = re.compile(rf"^(?:(?:hey|hi|ok|okay|so|please|pls|{_MENTION}|newsbrief\b)[\s,:]*)+", re.I)
# "<person> about <topic>"; what X *said* may also be "of" or "concerning" a topic.
_ABOUT = r"(?:about|on|regarding)"
_SAID_ABOUT = r"(?:about|on|regarding|of|concerning)"

_WHO_SAID = re.compile(
    r"^(?:(?:who|whom)\s+(?:said|says|has said|had said|is saying|was saying|told|stated|"
    r"claimed|declared|warned|wrote|(?:is|was) quoted (?:as )?saying)|who['’]?s\s+saying)"
    r"(?:\s*[,:]\s*|\s+)(?:that\s+)?(?P<phrase>.+)$",
    re.I,
)
_WHO_SAID_BARE = re.compile(
    r"^(?:who|whom)\s+(?:said|says|(?:is|was) quoted(?: as)?(?: saying)?)\s*[,:]?$", re.I
)
_WHEN_SAID = re.compile(
    r"^when\s+(?:did|has|had|was)\s+(?P<person>.+?)\s+(?:say|said|saying|tell|told)\s+"
    r"(?:that\s+)?(?P<phrase>.+)$",
    re.I,
)
_WHAT_SAID = re.compile(
    r"^what\s+(?:did|has|have|does|do|is|was|were)\s+(?P<person>.+?)\s+"
    r"(?:say|said|saying|been saying|tell|told)(?:\s+\w+)??"
    rf"(?:\s+{_SAID_ABOUT}\s+(?P<topic>.+))?$",
    re.I,
)
_QUOTES_BY = re.compile(
    rf"^quotes?\s+(?:by|from|of)\s+(?P<person>.+?)(?:\s+{_ABOUT}\s+(?P<topic>.+))?$", re.I
)
_PERSON_ABOUT = re.compile(rf"^(?P<person>.+?)\s+{_ABOUT}\s+(?P<topic>.+)$", re.I)
_SUMMARIZE = re.compile(r"^(?:summari[sz]e|tl;?dr|sum up)\b", re.I)
_NEWS = re.compile(
    r"^(?:(?:any|the|latest)\s+)?(?:news|what'?s\s+new|what\s+is\s+new|"
    r"what(?:'s|\s+has|\s+is)?\s+happen(?:ed|ing)|latest|updates?|headlines|"
    r"tell\s+me\s+about|anything\s+(?:new\s+)?)"
    r"(?:\s+(?:about|on|with|in|at|from|for|regarding|to))?\s*(?P<topic>.*)$",
    re.I,
)
_TIMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:so\s+far\s+)?today\b", re.I), "today"),
    (re.compile(r"\byesterday\b", re.I), "yesterday"),
    (re.compile(r"\b(?:this|the\s+past|the\s+last)\s+week\b", re.I), "week"),
    (re.compile(r"\blast\s+week\b", re.I), "last week"),
    (re.compile(r"\b(?:this|the\s+past|the\s+last)\s+month\b", re.I), "month"),
]
_SOURCE = re.compile(
    r"(?<!\s)\s++(?:from|in|on|by|according\s+to)\s+(?:the\s+)?(?P<source>[A-Z][\w.&'-]*"
    r"(?:\s+[A-Z][\w.&'-]*){0,3})\s*$"
)


def strip_mentions(text: str) -> str:
    """The text without @-mentions (Slack <@U1>, Discord <@1>, plain @name), spaces squeezed."""
    return " ".join(_MENTIONS.sub(" ", text).split())


def find_url(text: str) -> str:
    """The first http(s) link in `text`, or ""."""
    match = _URL.search(text)
    return match.group(0) if match else ""


def clean_phrase(phrase: str) -> str:
    """A phrase with surrounding quote marks, punctuation and spaces removed."""
    return phrase.strip().strip(QUOTE_MARKS + "?!.,;: ").strip()


def split_about(argument: str) -> tuple[str, str]:
    """'Blinken about Russia' -> ('Blinken', 'Russia'); no topic -> ('Blinken', '')."""
    # Spaces squeezed first: `.+?\s+` is tried once per way of sharing out a run of them.
    match = _PERSON_ABOUT.match(" ".join(argument.split()))
    if match:
        return clean_phrase(match["person"]), clean_phrase(match["topic"])
    return clean_phrase(argument), ""


def _time_window(which: str, now: datetime) -> tuple[datetime, datetime | None]:
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if which == "today":
        return midnight, None
    if which == "yesterday":
        return midnight - timedelta(days=1), midnight
    if which == "week":
        return now - timedelta(days=7), None
    if which == "last week":
        return now - timedelta(days=14), now - timedelta(days=7)
    return now - timedelta(days=31), None


def parse_question(
    text: str, *, now: datetime | None = None, sources: list[str] | None = None
) -> Question:
    """Read a question: its kind, and the phrase, person, topic, time and source it names.

    `sources` are the known site names; a trailing "from <Name>" is a source filter only when
    it names one of them (else it stays part of the question).
    """
    now = now or datetime.now(UTC)
    text = " ".join((text or "")[:MAX_QUESTION].split())
    url = find_url(text)
    body = _LEAD.sub("", text).strip()
    if _SUMMARIZE.match(body) or (url and len(body.split()) <= 3):
        return Question("summarize", text, url=url)
    since = until = None
    for pattern, which in _TIMES:
        if pattern.search(body):
            since, until = _time_window(which, now)
            body = " ".join(pattern.sub(" ", body).split())
            break
    source = ""
    match = _SOURCE.search(body.rstrip("?!. "))
    if match and sources:
        wanted = set(search.terms(match["source"]))
        if any(wanted and wanted <= set(search.terms(s)) for s in sources):
            source = match["source"]
            body = body.rstrip("?!. ")[: match.start()]
    sentence = body.rstrip("?!. ").strip()
    base = Question(
        "passages", text, topic=clean_phrase(sentence), since=since, until=until, source=source
    )
    if m := _WHO_SAID.match(sentence):
        return replace(base, kind="whosaid", phrase=clean_phrase(m["phrase"]), topic="")
    if _WHO_SAID_BARE.match(sentence):
        return replace(base, kind="whosaid", phrase="", topic="")
    if m := _WHEN_SAID.match(sentence):
        person, phrase = clean_phrase(m["person"]), clean_phrase(m["phrase"])
        return replace(base, kind="when", person=person, phrase=phrase, topic="")
    if m := _WHAT_SAID.match(sentence) or _QUOTES_BY.match(sentence):
        person, topic = clean_phrase(m["person"]), clean_phrase(m["topic"] or "")
        return replace(base, kind="quotes", person=person, topic=topic)
    if m := _NEWS.match(sentence):
        return replace(base, kind="news", topic=clean_phrase(m["topic"]))
    return base
