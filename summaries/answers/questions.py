"""Free text read into a `Question`: the one reader of what people type, for `ask` and the bot.

Pure functions, no I/O. A question is read into its kind (who said, when did X say, what did X
say, news, summarise a link, or a free question) and the phrase, person, topic, time window and
source it names.

Before its shape is matched, a question is unwrapped the same way whatever its kind: chat link
markup (<https://x|label>) read, mentions dropped, shorthand and swapped letters of the reader's
own words read as meant ("abt", "siad"), greetings and requests before it ("hey, can you tell
me") and courtesy after it (", thanks") taken off, a cleft undone ("who was it that said").
A link makes it a request to summarise. Every pattern is anchored at the start and its
repetitions are bounded, so a question (500 characters at most) is read in a few milliseconds
whatever it holds (tests/hostile.py runs the reader on hostile text).
"""

from __future__ import annotations

import re
import unicodedata
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
    who: bool = False  # "who is <person>?": the person's role and quotes

    @property
    def filtered(self) -> bool:
        """Whether the question names a time window or a source."""
        return self.since is not None or self.until is not None or bool(self.source)


QUOTE_MARKS = "\"'“”‘’«»"
# A link: Slack writes <https://x|label> or <https://x>, Discord <https://x> (embed suppressed).
_URL = re.compile(r"https?://[^\s<>|\"“”‘’«»]+")
_LINK_MARKUP = re.compile(r"<(https?://[^\s<>|]*+)(?:\|[^<>]*+)?>")
_URL_TAIL = ".,;:!?'*_]}"  # punctuation a link ends a sentence with, not part of the link
# The bot's mention: Slack <@U1> or <@U1|name>, Discord <@1> or <@!1>, or a plain @name (not
# the middle of an e-mail address).
_MENTION = r"<@!?\w+(?:\|[^<>]*)?>|(?<![\w@])@[\w.-]+"
_MENTIONS = re.compile(_MENTION)

# What people wrap a question in: greetings, fillers and requests before it ("hey, can you
# tell me who said ..."), courtesy after it ("..., thanks"). Each lead is taken off in turn.
_LEADS = re.compile(
    r"(?:"
    r"(?:hey|hi|hello|yo|ok|okay|so|um+|uh+|please|pls|plz|kindly|bot|newsbrief|"
    r"quick\s+question)\b"
    r"|(?:can|could|would|will)\s+(?:you|u)\b"
    r"|(?:do|does|did)\s+(?:you|u|anyone|anybody|someone|somebody)\s+(?:happen\s+to\s+)?know"
    r"(?:\s+(?:if|whether))?\b"
    r"|any\s+idea\b"
    r"|(?:i\s+|i['’]m\s+|i\s+am\s+|i\s+was\s+)?wonder(?:ing)?(?:\s+(?:if|whether))?\b"
    r"|(?:(?:i['’]d|i\s+would)\s+(?:like|love)|i\s+(?:want|need|wanna))(?:\s+to)?"
    r"(?:\s+(?:know|see|find\s+out|get|hear|read))?\b"
    r"|let\s+me\s+know\b"
    r"|(?:tell|show|give|get|find|fetch|list|remind|send)\s+(?:me|us)\b(?!\s+about\b)"
    r"|(?:show|list|find(?:\s+out)?|get|fetch|check|look\s+up)\b(?!\s+(?:me|us)\b)"
    r")[\s,:;!.]*",
    re.I,
)
_COURTESY = frozenset({"please", "pls", "plz", "plox", "kindly", "asap"})
_THANKS = frozenset(
    {"thanks", "thank", "thx", "ty", "tia", "cheers", "thankyou", "ta", "lol", "haha", "lmao"}
)
# Shorthand people type, read as the word: "u", "abt", "re:", "whats".
_SHORTHAND = {
    "u": "you", "ur": "your", "abt": "about", "re": "about", "wat": "what", "wut": "what",
    "whats": "what is", "what's": "what is", "whos": "who is", "who's": "who is",
    "wheres": "where is", "hows": "how is",
}  # fmt: skip
# Typos of the words the reader turns on: two letters swapped ("siad", "whta").
_KEYWORDS = ("who", "what", "when", "which", "said", "says", "saying", "about", "quotes", "news")
_SWAPS = {
    w[:i] + w[i + 1] + w[i] + w[i + 2 :]: w
    for w in _KEYWORDS
    for i in range(len(w) - 1)
    if w[i] != w[i + 1]
}
# "who was it that said", "when exactly did": the wh-word alone.
_CLEFT = re.compile(
    r"^(who|when|what|which)\s+(?:(?:is|was)\s+(?:it|the\s+one|the\s+person)\s+(?:that|who)|"
    r"on\s+earth|exactly|precisely|again|actually|the\s+hell|ever)\s+",
    re.I,
)
# Adverbs between a name and its verb: "what did the mayor actually say".
_ADVERBS = frozenset(
    "actually really exactly ever just first also even recently publicly officially "
    "previously originally ultimately finally initially again already".split()
)
# A question embedded in a request the leads do not know: "need to know who said ...", "can
# anyone tell me what ... said": a wh-word after at most six words, the last a word of
# knowing or telling.
_EMBEDDED = re.compile(
    r"^(?:\S+\s+){0,5}?(?:know|me|us|tell|wonder|wondering|idea|curious|remember|"
    r"recall|out|check|see|confirm|clue|sure)\s+(?:if\s+|whether\s+)?"
    r"(?P<asked>(?:who|whom|whose|what|when|which|how|did|has|have|does|is|was)\s.*)$",
    re.I,
)
_AUXILIARIES = frozenset("did does do has have had is was were are will would can could".split())
_PRONOUNS = frozenset(
    "you i we he she they it me us them this that everyone anyone someone somebody anybody "
    "people y'all any all some the latest recent new more other".split()
)

# Words that say a person said something.
_SAY = (
    r"(?:said|says|say|stated|states|claimed|claims|declared|declares|warned|warns|wrote|"
    r"argued|argues|insisted|insists|remarked|suggested|suggests|promised|promises|vowed|"
    r"vows|tweeted|admitted|admits|asserted|asserts|noted|stressed)"
)
_TELL = r"(?:told|tells|tell)"
_SAYING = (
    rf"(?:(?:has|had|have|is|was|did|does|do)\s+)?(?:{_SAY}|{_TELL}|been\s+saying|saying|"
    r"(?:is|was|were|been|being)\s+quoted(?:\s+as)?(?:\s+\w+ing)?|quoted(?:\s+as)?\s+\w+ing|"
    r"made\s+(?:the|that|this|a)\s+(?:comment|remark|statement|claim|point))"
)
# "<person> about <topic>"; what X *said* may also be "of" or "concerning" a topic.
_ABOUT = r"(?:about|on|regarding)"
_SAID_ABOUT = r"(?:about|on|regarding|of|concerning|over)[:,]?"

_WHO_SAID = re.compile(
    rf"^(?:(?:who|whom|(?P<which>which|what)(?P<who>(?:\s+[\w'’-]+){{1,3}}?))\s+"
    rf"(?P<verb>{_SAYING})|whose\s+(?:words|quote|line|remark)\s+(?:is|was|were|are))"
    r"(?:(?:\s*[,:]\s*|\s+)(?P<phrase>.+))?$",
    re.I,
)
# Before the words said: "that", "this:", "the following -".
_PHRASE_LEAD = re.compile(
    r"^(?:that\s+|the\s+following(?:\s+words)?\b|(?:it|this|these\s+words|the\s+words|"
    r"the\s+line|the\s+quote)\s*(?=[:>–—-]))?[\s:>–—-]*",
    re.I,
)
_WHEN_SAID = re.compile(
    r"^(?:when|what\s+(?:time|day|date))\s+(?:(?:did|has|had|was|is|does|do)\s+)?(?P<person>.+?)\s+"
    rf"(?P<verb>{_SAYING})\s+(?P<phrase>.+)$",
    re.I,
)
_WHAT_SAID = re.compile(
    r"^what\s+(?:(?:did|has|have|does|do|is|was|were|are|had)\s+)?(?P<person>.+?)\s+"
    rf"(?:{_SAY}|{_TELL}|saying|been\s+saying|(?:have|has|had)\s+to\s+say|think|thinks|thought)"
    rf"(?:\s+\S+(?:\s+\S+){{0,2}}?)??(?:\s+{_SAID_ABOUT}\s+(?P<topic>.+))?$",
    re.I,
)
# "what was said by Macron about Africa"
_SAID_BY = re.compile(
    r"^what\s+(?:is|was|were|are|has\s+been|have\s+been)\s+(?:said|stated|written)\s+by\s+"
    rf"(?P<person>.+?)(?:\s+{_SAID_ABOUT}\s+(?P<topic>.+))?$",
    re.I,
)
# "Blinken's take on Russia", "what was the mayor's reaction to the flood"
_REMARKS = (
    r"(?:take|takes|view|views|comments?|remarks?|reaction|response|position|stance|"
    r"statements?|words|quotes?|thoughts|opinions?|line)"
)
_POSSESSIVE = re.compile(
    r"^(?:what\s+(?:is|was|are|were)\s+|(?:any|all|latest|recent)\s+)?"
    rf"(?P<person>[^'’]+?)['’]s?\s+{_REMARKS}"
    rf"(?:\s+(?:{_SAID_ABOUT}|to)\s+(?P<topic>.+))?$",
    re.I,
)
_REACTED = re.compile(
    r"^how\s+(?:did|has|have|does|do|is|was)\s+(?P<person>.+?)\s+"
    r"(?:react|reacted|reacting|respond|responded|responding)"
    r"(?:\s+(?:to|on)\s+(?P<topic>.+))?$",
    re.I,
)
_SAID_ANYTHING = re.compile(
    r"^(?:did|has|have|does|do|is|was|had)\s+(?P<person>.+?)\s+"
    r"(?:said|say|saying|been\s+saying|commented|comment|commenting|spoken|spoke|speak|"
    r"talked|talk)(?:\s+(?:anything|something))?"
    rf"(?:\s+{_SAID_ABOUT}\s+(?P<topic>.+))?$",
    re.I,
)
_QUOTES_BY = re.compile(
    r"^(?:(?:any|all|the|some|latest|recent)\s+)?"
    r"(?:quotes?|statements?|comments?|remarks?|anything|something)\s+"
    rf"(?:by|from|of)\s+(?P<person>.+?)(?:\s+{_SAID_ABOUT}\s+(?P<topic>.+))?$",
    re.I,
)
# "Blinken quotes about Russia": a name (at most four words, one capitalised) before the quotes
_PERSON_QUOTES = re.compile(
    r"^(?=(?-i:[^A-Z]{0,80}[A-Z]))(?P<person>\S+(?:\s+\S+){0,3}?)\s+(?:quotes?|statements?|comments?|remarks?)"
    rf"(?:\s+{_SAID_ABOUT}\s+(?P<topic>.+))?$",
    re.I,
)
_PERSON_ABOUT = re.compile(rf"^(?P<person>.+?)\s+{_ABOUT}\s+(?P<topic>.+)$", re.I)
# "who is Antony Blinken?", "who's Jo Roe": a name, capitalised (not "who is leading the
# polls", nor "who is the mayor of Westmere?", which asks for a person by role).
_WHO_IS = re.compile(
    r"^who(?:\s+(?:is|was)|['’]s)\s+(?P<person>(?-i:[A-Z])\S*(?:\s+\S+){0,4})$", re.I
)
_SUMMARIZE = re.compile(r"^(?:summ?[ae]ri[sz]e|summary|tl;?\s?dr|sum\s+up|recap|gist)\b", re.I)
_NEWS = re.compile(
    r"^(?:(?:is|are)\s+there\s+)?(?:update\s+(?:me|us)|(?:what\s+(?:is|are)\s+)?"
    r"(?:(?:any|the|some|an?|latest|recent|top|today['’]s|fresh|new|more|further|breaking|"
    r"major)\s+){0,2}"
    r"(?:news|latest|updates?|headlines|stories|developments?)"
    r"(?:\s+(?:news|headlines|stories|updates?|developments))?|any\s+word"
    r"|what\s+is\s+(?:new|up)|anything(?:\s+new)?|what\s+(?:is\s+|has\s+|was\s+)?(?:been\s+)?happen(?:ed|ing)"
    r"|what\s+(?:is|was|has)\s+(?:been\s+)?going\s+on|what\s+went\s+on|tell\s+(?:me|us)\s+about"
    r"|catch\s+(?:me|us)\s+up|fill\s+(?:me|us)\s+in|bring\s+(?:me|us)\s+up\s+to\s+speed)"
    r"(?:\s+(?:about|on|with|in|at|from|for|regarding|to|concerning|over))?"
    r"(?:\s+(?P<topic>.*))?$",
    re.I,
)


# A time, with the preposition before it ("news on Sudan from this week").
_AT = r"(?:\b(?:from|in|during|over|for|since|of)\s+)?"
_TIMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"{_AT}\b(?:so\s+far\s+)?today\b", re.I), "today"),
    (re.compile(rf"{_AT}\byesterday\b", re.I), "yesterday"),
    (re.compile(rf"{_AT}\b(?:this|the\s+past|the\s+last)\s+week\b", re.I), "week"),
    (re.compile(rf"{_AT}\blast\s+week\b", re.I), "last week"),
    (re.compile(rf"{_AT}\b(?:this|the\s+past|the\s+last)\s+month\b", re.I), "month"),
]
_SOURCE = re.compile(
    r"(?<!\s)\s++(?:from|in|on|by|according\s+to)\s+(?:the\s+)?(?P<source>[A-Z][\w.&'-]*"
    r"(?:\s+[A-Z][\w.&'-]*){0,3})\s*$"
)


def strip_mentions(text: str) -> str:
    """The text without @-mentions (Slack <@U1>, Discord <@1>, plain @name), spaces squeezed."""
    return " ".join(_MENTIONS.sub(" ", text).split())


def find_url(text: str) -> str:
    """The first http(s) link in `text` (Slack's and Discord's <link|label> markup read), without
    the punctuation that ends the sentence around it; or ""."""
    match = _URL.search(_LINK_MARKUP.sub(r" \1 ", text))
    if not match:
        return ""
    url = match.group(0)
    while url and (url[-1] in _URL_TAIL or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url if len(url) > len("https://") else ""


def _core(token: str) -> tuple[int, int]:
    """Where the word of a token starts and ends: the punctuation around it left out."""
    start, end = 0, len(token)
    while start < end and not token[start].isalnum():
        start += 1
    while end > start and not token[end - 1].isalnum():
        end -= 1
    return start, end


def _normal_words(text: str) -> list[str]:
    """The words of `text`, shorthand and swapped letters of the reader's words read as meant
    ("abt" -> "about", "siad" -> "said"); links left as they are."""
    words = []
    for token in text.split():
        start, end = _core(token)
        key = token[start:end].casefold().replace("’", "'")
        if "://" not in token and (key in _SHORTHAND or key in _SWAPS):
            token = token[:start] + _SHORTHAND.get(key, _SWAPS.get(key, key)) + token[end:]
        words.append(token)
    return " ".join(words).split()


_ENDINGS = (
    ("thank", "you", "so", "much"), ("thanks", "in", "advance"), ("thanks", "a", "lot"),
    ("thanks", "so", "much"), ("many", "thanks"), ("thank", "you"), ("thank", "u"),
    ("for", "me"), ("for", "us"),
)  # fmt: skip
_SAY_WORD = re.compile(rf"^(?:{_SAY}|{_TELL}|saying)$", re.I)


def _symbols(token: str) -> bool:
    """Whether a token is punctuation and symbols only: an emoji, ":)", "->"."""
    return all(unicodedata.category(c)[0] in "PS" for c in token)


def unwrap(text: str) -> str:
    """`text` without what wraps a request: greetings and "can you" before it, "please" and
    "thanks" after it ("hey, could you show me the feeds, thanks" -> "the feeds")."""
    return _unwrap(text.split())


def _unwrap(words: list[str]) -> str:
    """The question inside its wrapping: greetings and requests before it ("hey, could you tell
    me"), courtesy after it ("please", ", thanks"); what would leave a verb without its words
    ("who said thanks") is kept."""
    text, at = " ".join(words), 0
    while match := _LEADS.match(text, at):  # anchored at `at`: each lead read once
        if match.end() == at:
            break
        at = match.end()
    words = text[at:].split()
    cores = [w[slice(*_core(w))].casefold() for w in words]
    while len(words) > 1:
        # Symbols alone are an emoji or a smiley, unless they make a filter's /regex/ ("/(/").
        slashed = len(words[-1]) > 2 and words[-1][0] == words[-1][-1] == "/"
        if cores[-1] in _COURTESY or cores[-1] in _THANKS or (_symbols(words[-1]) and not slashed):
            n = 1
        else:
            n = next((len(e) for e in _ENDINGS if tuple(cores[-len(e) :]) == e), 0)
        if not n or n >= len(words) or _SAY_WORD.match(cores[-n - 1]):
            break
        if words[-1][-1] in QUOTE_MARKS and cores[-n] in ("me", "us"):
            break  # '... not for me': the end of a quotation
        del words[-n:], cores[-n:]
        words[-1] = words[-1].rstrip(",;:–—-") or words[-1]  # "the feeds, thanks"
    return _CLEFT.sub(r"\1 ", " ".join(words))


# Words that ask for nothing when a message is made of them alone: greetings, thanks, assent
# and who they are addressed to ("hi there", "thanks!", "ok cool", "good morning all").
_SMALL_TALK = (
    _THANKS
    | _COURTESY
    | frozenset(
        "hi hey hello hiya howdy yo there all everyone everybody folks guys team yall y'all "
        "good morning afternoon evening night day gm cool great nice awesome ok okay k sure "
        "got it bye goodbye cya welcome again mate friend buddy much so you u".split()
    )
)


def small_talk(text: str) -> bool:
    """Whether a message only greets, thanks or agrees ("Hi there!", "thanks!", "ok cool"):
    there is nothing in it to look for, and stored passages that happen to hold its words
    ("there", "cool") would answer a question nobody asked."""
    words = [w[slice(*_core(w))].casefold() for w in unwrap(strip_mentions(text)).split()]
    words = [w for w in words if w]
    return bool(words) and all(w in _SMALL_TALK for w in words)


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
    body = _unwrap(_normal_words(_MENTIONS.sub(" ", _LINK_MARKUP.sub(r" \1 ", text))))
    if url or _SUMMARIZE.match(body):
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
    sentence = body.rstrip("?!.,;: ").strip()
    base = Question(
        "passages", text, topic=clean_phrase(sentence), since=since, until=until, source=source
    )
    read = _read_shape(sentence, base, sources)
    if read is None:  # "need to know who said ...": the question embedded in a request
        if (m := _EMBEDDED.match(sentence)) and (read := _read_shape(m["asked"], base, sources)):
            return read
        return base
    return read


def _read_shape(sentence: str, base: Question, sources: list[str] | None) -> Question | None:
    """`base` with the kind and fields the sentence's shape gives, or None: no shape fits."""
    if (m := _WHO_SAID.match(sentence)) and _who_said(m):
        phrase = _words_said(m["verb"] or "", m["phrase"] or "")
        return replace(base, kind="whosaid", phrase=phrase, topic="")
    if (m := _WHEN_SAID.match(sentence)) and _a_person(m["person"]):
        person, phrase = _name(m["person"]), _words_said(m["verb"], m["phrase"])
        return replace(base, kind="when", person=person, phrase=phrase, topic="")
    if (m := _WHO_IS.match(sentence)) and _a_person(m["person"]):
        return replace(base, kind="quotes", person=_name(m["person"]), topic="", who=True)
    shapes = (
        _WHAT_SAID,
        _SAID_BY,
        _POSSESSIVE,
        _REACTED,
        _SAID_ANYTHING,
        _QUOTES_BY,
        _PERSON_QUOTES,
    )
    for pattern in shapes:
        m = pattern.match(sentence)
        if m and _a_person(m["person"]) and not _a_source(m["person"], sources):
            person, topic = _name(m["person"]), clean_phrase(m["topic"] or "")
            return replace(base, kind="quotes", person=person, topic=topic)
    if m := _NEWS.match(sentence):
        return replace(base, kind="news", topic=clean_phrase(m["topic"] or ""))
    return None


def _name(words: str) -> str:
    """The person named, without an adverb after it ("the mayor actually")."""
    name = clean_phrase(words)
    while (cut := name.rfind(" ")) > 0 and name[cut + 1 :].casefold() in _ADVERBS:
        name = name[:cut]
    return name


def _who_said(m: re.Match[str]) -> bool:
    """Whether "which/what <words> said <phrase>" asks who said it: after "what", only
    "what minister said <words>", not "what Blinken said", "what the mayor said about ..."."""
    if (m["which"] or "").casefold() != "what":
        return True
    words = m["who"].split()
    return (
        bool(m["phrase"])
        and words[0][0].islower()
        and words[0] not in _PRONOUNS | {"a", "an"}
        and not _AUXILIARIES & set(words)
        and not re.match(rf"{_SAID_ABOUT}\s", m["phrase"], re.I)
    )


def _a_source(words: str, sources: list[str] | None) -> bool:
    """Whether words name one of the known sites ("anything from Reuters"): not a person."""
    wanted = set(search.terms(words))
    return bool(wanted) and any(wanted <= set(search.terms(s)) for s in sources or ())


def _a_person(words: str) -> bool:
    """Whether words read as who said it may name someone: not "you", "they" or empty."""
    name = clean_phrase(words)
    said = set(name.casefold().split())  # "what time did the mayor say": no name holds "did"
    return bool(name) and name.casefold() not in _PRONOUNS and not _AUXILIARIES & said


def _words_said(verb: str, phrase: str) -> str:
    """The words said, from what follows the verb: "that", "this:" left out, and after
    "told <someone> that" only what follows "that"."""
    if re.search(rf"{_TELL}$", verb, re.I):
        words = phrase.split()
        cut = next((i for i, w in enumerate(words[:5]) if w.casefold() == "that"), -1)
        phrase = " ".join(words[cut + 1 :])
    return clean_phrase(_PHRASE_LEAD.sub("", clean_phrase(phrase)))
