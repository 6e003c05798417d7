"""Free text addressed to the bot -> (command, argument); pure functions, no I/O."""

from __future__ import annotations

import re

COMMAND_WORDS = frozenset(
    "today summarize summarise whosaid quotes follow unfollow sources feeds filter filters "
    "schedule help".split()
)

EXAMPLES = (
    "who said there is no military solution?",
    "what did Blinken say about Russia?",
    "summarize https://example.com/story",
    "news about Armenia",
    "help",
)

_MENTION = re.compile(r"<@!?[A-Z0-9]+(?:\|[^>]*)?>|@\w+", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>|]+")
_QUOTES = "\"'“”‘’«»"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"^(?:who|whom)\s+(?:said|says|has said|is saying|was saying|told)\s+(?P<a>.+)$", re.I
        ),
        "whosaid",
    ),
    (re.compile(r"^who'?s\s+saying\s+(?P<a>.+)$", re.I), "whosaid"),
    (
        re.compile(
            r"^what\s+(?:did|has|have|does|is)\s+(?P<p>.+?)\s+(?:say|said|saying|been saying)"
            r"(?:\s+(?:about|on|regarding)\s+(?P<t>.+))?$",
            re.I,
        ),
        "quotes",
    ),
    (re.compile(r"^quotes?\s+(?:by|from|of)\s+(?P<a>.+)$", re.I), "quotes"),
    (re.compile(r"^(?:summari[sz]e|tl;?dr|sum up|digest)\b\s*(?P<a>.*)$", re.I), "summarize"),
    (
        re.compile(
            r"^(?:(?:any\s+|the\s+|latest\s+)?news|what'?s\s+new|what\s+is\s+new|what\s+happened|"
            r"latest|updates?|headlines)(?:\s+(?:about|on|with|in|for|regarding))?\s*(?P<a>.*)$",
            re.I,
        ),
        "today",
    ),
]


def strip_mentions(text: str) -> str:
    """The text without @-mentions of the bot (Slack <@U1>, Discord <@1>, plain @name)."""
    return " ".join(_MENTION.sub(" ", text).split())


def clean_phrase(phrase: str) -> str:
    """A phrase with surrounding quote marks, question marks and spaces removed."""
    return phrase.strip().strip(_QUOTES + "?!. ").strip()


def split_about(argument: str) -> tuple[str, str]:
    """'Blinken about Russia' -> ('Blinken', 'Russia'); no topic -> ('Blinken', '')."""
    match = re.match(r"^(?P<p>.+?)\s+(?:about|on|regarding)\s+(?P<t>.+)$", argument.strip(), re.I)
    if match:
        return clean_phrase(match["p"]), clean_phrase(match["t"])
    return clean_phrase(argument), ""


def route(text: str) -> tuple[str, str] | None:
    """The command and argument a message asks for, or None when it asks for nothing known."""
    text = strip_mentions(text).strip()
    if not text:
        return ("help", "")
    sentence = text.rstrip("?!. ")
    for pattern, command in _PATTERNS:
        match = pattern.match(sentence)
        if not match:
            continue
        groups = match.groupdict()
        if command == "quotes" and groups.get("p"):
            topic = groups.get("t") or ""
            person = clean_phrase(groups["p"])
            return ("quotes", f"{person} about {clean_phrase(topic)}" if topic else person)
        argument = clean_phrase(groups.get("a") or "")
        if command == "summarize":
            url = _URL.search(text)
            return ("summarize", url.group(0) if url else argument)
        return (command, argument)
    first = text.split()[0].lower().lstrip("/")
    if first in COMMAND_WORDS:
        return (first, text[len(text.split()[0]) :].strip())
    url = _URL.search(text)
    if url and len(text.split()) <= 3:  # a bare link: summarise it
        return ("summarize", url.group(0))
    return None
