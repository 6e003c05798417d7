"""Headline claims: `Claim: Speaker` as a headline is the speaker's quote."""

from __future__ import annotations

import re

from summaries.types import Quote
from summaries.understand.people import split_title
from summaries.understand.quotes.article import Speaker
from summaries.understand.quotes.persons import PersonRegistry, looks_like_person
from summaries.understand.text import normalize_whitespace, paragraph_spans

# `Claim: Speaker`. A bar or a dash sets off the publisher (`Claim | Eastport Gazette`),
# never a speaker.
_HEADLINE_WHO = re.compile(r"^(?P<claim>[^|]*\S)\s*:\s+(?P<who>[^:|]{2,60}?)\s*$")
# A byline opening the text: `By Tom Berg`, `BY TOM BERG and IDA LUND`.
_BYLINE = re.compile(r"(?:^|\n)[ \t]*(?:By|BY|by)[ \t]+(?P<who>[^\n]{2,120})")


def bylined(text: str, name: str) -> bool:
    """Whether `name` signs the article in a byline near its start: the writer, who never
    says the headline's claim."""
    words = name.split()
    if not words:
        return False
    surname = words[-1].lower()
    return any(
        surname in m.group("who").lower().replace(",", " ").split()
        for m in _BYLINE.finditer(text[:2000])
    )


def headline_paragraph(text: str) -> tuple[int, int] | None:
    """The span of a first paragraph that is a headline: one short line, no final punctuation."""
    paras = paragraph_spans(text[:2000])
    if len(paras) < 1:
        return None
    s, e = paras[0]
    line = text[s:e]
    if "\n" in line or len(line.split()) > 25 or line[-1] in ".!?\"”“'’,;":
        return None
    if len(paragraph_spans(text[:4000])) < 2:
        return None
    return s, e


def headline_claim(
    line: str, offset: int, in_title: bool, registry: PersonRegistry
) -> tuple[Quote, Speaker] | None:
    """The claim of a headline `line` of the form `Claim: Speaker`, and its speaker.

    `offset` is where the line starts in the text (0 for a given title); names are resolved
    with the article's `registry`.
    """
    m = _HEADLINE_WHO.match(line)
    if not m:
        return None
    who = m.group("who")
    title, name = split_title(who)
    words = who.split()
    if not name or len(words) > 5 or not all(w[:1].isupper() or w in ("of", "de") for w in words):
        return None
    claim_start, claim_end = m.start("claim"), m.end("claim")
    while claim_start < claim_end and line[claim_start] in "\"'“‘ ":
        claim_start += 1
    while claim_end > claim_start and line[claim_end - 1] in "\"'”’ ":
        claim_end -= 1
    if len(line[claim_start:claim_end].split()) < 3:
        return None
    if not looks_like_person(name):
        return None  # "Eastport Gazette", "Fox News": the publisher, not a speaker
    canonical, reg_title = registry.resolve(who)
    known = registry.lookup(name)
    if known is None and len(name.split()) < 2 and title is None:
        return None  # "Analysis: Markets" and the like: not a person
    speaker = Speaker(canonical, who, True, reg_title or title)
    quote = Quote(
        text=line[claim_start:claim_end],
        spans=((offset + claim_start, offset + claim_end),),
        speaker=speaker.name,
        speaker_title=speaker.title,
        speaker_mention=who,
        cue=None,
        context=normalize_whitespace(line),
        in_title=in_title,
    )
    return quote, speaker
