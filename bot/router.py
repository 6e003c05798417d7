"""Free text addressed to the bot -> (command, argument): the one parser's `Question`, mapped."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from summaries.answers.questions import parse_question, small_talk, strip_mentions, unwrap

EXAMPLES = (
    "who said there is no military solution?",
    "what did Blinken say about Russia?",
    "summarize https://example.com/story",
    "news about Armenia",
    "help",
)

# Command names that also open a question ("who is the mayor?"): read as the question.
_QUESTION_WORDS = frozenset({"who"})
_SUMMARY_WORD = re.compile(r"summ?[ae]ri[sz]e\b")


def route(text: str, commands: Collection[str], *, sources: Sequence[str] = ()) -> tuple[str, str]:
    """The command and argument a message asks for; `ask` with the text when no command fits.

    `commands` are the command names (and aliases) a message may start with; `sources` the
    site names a question may name (as `ask` reads them). Questions that name a time or a
    source go to `ask`, which applies it.
    """
    text = strip_mentions(text)
    if not unwrap(text) or small_talk(text):  # a mention, a greeting, thanks: nothing asked
        return ("help", "")
    q = parse_question(text, sources=list(sources))
    if q.kind == "news":
        return ("today", q.topic)
    if q.kind == "whosaid" and not q.filtered:
        return ("whosaid", q.phrase)
    if q.kind == "quotes" and not q.filtered and not q.who:
        return ("quotes", f"{q.person} about {q.topic}" if q.topic else q.person)
    if q.kind in ("whosaid", "quotes", "when"):
        return ("ask", text)
    # The command word may come after a greeting or a request ("hey, can you help").
    first, _, rest = unwrap(text).partition(" ")
    name = first.lower().lstrip("/")
    if q.kind == "summarize" and q.url and (name not in commands or _SUMMARY_WORD.match(name)):
        return ("summarize", q.url)  # the link read out of its chat markup and punctuation
    if name in commands and name not in _QUESTION_WORDS:
        return (name, rest.strip())
    if q.kind == "summarize":
        return ("summarize", q.url)
    return ("ask", text)
