"""What is no part of the story: captions, credits, bylines, datelines, prompts to click or share.

`clean_text` drops such lines from an article's text and gives a dateline glued to its sentence
("London (CNN)It was") back as the sentence alone; `is_boilerplate` tells a sentence that is no
summary material whatever its neighbours. The rules are general page furniture, not any one
site's: every pattern is bounded (no nested repetition), so each runs in time linear in the text.
"""

from __future__ import annotations

import re

__all__ = ["caption_tail", "clean_text", "is_boilerplate", "strip_dateline", "strip_header"]

# Prompts and furniture that say nothing about the news, anywhere in a sentence.
_BOILERPLATE = re.compile(
    r"\boriginally (?:appeared|published|ran)\b|\bthis (?:article|story|piece) (?:first )?"
    r"(?:appeared|was (?:first )?published)\b|\bclick here\b|\bscroll down\b|\bread more\b"
    r"|\bsign up\b|\bsubscribe\b|\bnewsletter\b|\bfollow (?:us|him|her|them|@)"
    r"|\bshare (?:this|on)\b|\blike us on\b|\ball rights reserved\b|\bcopyright\b|©"
    r"|\bgetty images\b|\bshutterstock\b|\bcourtesy of\b|\b(?:photo|photograph|picture|image|"
    r"video|illustration|graphic)s?(?: credit)?\s*:|\bcredit\s*:|\((?:photo|photos|picture|"
    r"image) (?:by|from|courtesy)\b|\bcontributed to this (?:report|story)\b"
    r"|\b(?:reporting|writing|editing) by\b|\bwatch the video\b|\bjoin the conversation\b"
    r"|\(\s*(?:left|right|centre|center|above|below|top|bottom|inset|pictured)\s*\)"
    r"|^\s*(?:published|updated|last (?:updated|modified)|posted)\b|\| updated"
    r"|^\s*advertisement\b|^\s*(?:see also|related|more|trending|recommended)\s*:"
    r"|https?://|www\.|@\w+\.\w+|\bin your inbox\b|^\s*\[[^\[\]]{0,300}\]\W*$"
    r"|\((?:file|stock|main|first|second|third|top|bottom)\s(?:photo|picture|image)s?\)",
    re.IGNORECASE,
)
# A caption's short label opening a sentence: "Breaking sweat: A reporter filmed…", "Victim: …"
# (a capitalised word and up to two lowercase ones; "He said: …" is speech, not a label).
_CAPTION_LABEL = re.compile(
    r"^[\"“]?(?!(?:It|He|She|They|We|I|You|This|That|There|Here|What|Who)\b)"
    r"[A-Z][a-z'’-]*(?: [a-z][\w'’-]*){0,2}: (?=[A-Z])"
)
_SAYING = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|asked|wrote|writes|explained|insisted|warned)\b",
    re.IGNORECASE,
)
# Where a caption without its full stop runs into the story's sentence on one line: a lowercase
# word, then a capitalised word that opens sentences and never sits mid-sentence before a
# lowercase word ("…was stolen An eight-year-old boy…", "…with stewards After initially…").
_GLUED = re.compile(
    r"(?<=[a-z]{2}) (?=(?:He|She|They|It|His|Her|Their|But|After|When|While|An|The)\s[a-z])"
)
# A byline: "By Jane Doe", "By Jane Doe, Staff Writer", "By Jane Doe and John Roe", "By . Jane".
_BYLINE = re.compile(r"^\W*By (?:\.|[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}\s*(?:[,|]|and\b|$))")
# A photo credit closing a caption: "(Jane Doe/ Agency via AP)", "(Name/Reuters)".
_CREDIT = re.compile(
    r"\((?:[^()\n]{1,80}/ ?[A-Z][^()\n]{0,80}"
    r"|[^()\n]{0,80}\bvia (?:AP|AFP|Reuters|Getty|EPA)[^()\n]{0,20})\)\W*$"
)
# A caption's label on its own line ("Guilty:"), or the short label opening a caption. Its
# words are taken whole (possessive): an apostrophe or hyphen may end a word or start the gap
# after it, and trying both ways at each one took time of the fifth power of the line's length
# ("a'" 120 times: 14 s).
_LABEL_LINE = re.compile(r"^\W*(?:\w[\w'’-]*+\W{1,3}){0,4}\w[\w'’-]*+\s*:\W*$")
# Prompts that open a line and are glued to the story after them ("Scroll down for video The …").
_PREFIX = re.compile(
    r"^\s*(?:scroll down for (?:video|more)|watch the video|advertisement)\s*:?\s*",
    re.IGNORECASE,
)
# A dateline: "LONDON —", "WASHINGTON (AP) —", "London (CNN)", "New Delhi, India (Reuters) --".
_DATELINE = re.compile(
    r"^\s*(?:(?:[A-Z][\w.'’-]*,? ){0,4}[A-Z][\w.'’-]*,?\s*)?"
    r"\((?:[A-Z][\w&.'’-]*)(?: [A-Z][\w&.'’-]*){0,3}\)\s*(?:[—–-]{1,2}\s*)?(?=[\"“‘'A-Z0-9])"
    r"|^\s*[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3},?(?: [A-Z][a-z]+\.?)?\s*[—–]\s*(?=[\"“A-Z])"
    r"|^\s*[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}\s*--\s*(?=[\"“A-Z])"
)
# Byline and time stamps before the story on the same line, as archived news text keeps them:
# "By . Jane Doe . PUBLISHED: . 14:11 EST, 25 October 2031 . | . UPDATED: . 15:36 EST, …".
_HEADER = re.compile(
    r"^\s*(?:By\s*\.\s*[^.|\n]{1,80}?\s\.\s+(?:and\s+[^.|\n]{1,80}?\s\.\s+)?"
    r"|By\s+[A-Z][^.|\n]{1,80}?\s\.\s+(?=PUBLISHED|UPDATED|Last updated))?"
    r"(?:(?:PUBLISHED|UPDATED|Last updated(?: at)?)\s*:?\s*\.?\s*[^|\n]{0,60}?\b(?:19|20)\d\d"
    r"\s*\.?\s*(?:\|\s*\.?\s*)?){0,3}"
)
_LINE = re.compile(r"[^\n]*\n?")


def strip_header(line: str) -> str:
    """`line` without a byline and publication stamps opening it, when a story follows them on
    the same line: "By . Jane Doe . PUBLISHED: . 14:11 EST, 25 October 2031 . The …" -> "The …"."""
    m = _HEADER.match(line)
    if not m or not m.group(0).strip() or m.end() >= len(line.rstrip()):
        return line
    return line[m.end() :]


def strip_dateline(line: str) -> str:
    """`line` without a dateline opening it: "London (CNN)It was" -> "It was"."""
    m = _DATELINE.match(line)
    if not m or m.end() >= len(line.rstrip()):
        return line
    return line[m.end() :]


def is_boilerplate(sentence: str) -> bool:
    """Whether a sentence is page furniture (a caption, credit, byline or prompt), not news."""
    label = _CAPTION_LABEL.match(sentence)
    return bool(
        _BOILERPLATE.search(sentence)
        or _BYLINE.match(sentence)
        or _CREDIT.search(sentence.rstrip())
        or (label and not _SAYING.search(label.group(0)))
    )


def caption_tail(sentence: str) -> str:
    """`sentence` without a caption glued before it on the same line (a run of words with no
    full stop, then the story's sentence: "Jane Doe, 56, outside court A respected…"); the
    sentence itself when nothing is glued. The tail is the article's own words."""
    cut = None
    for m in _GLUED.finditer(sentence):
        cut = m.end()
    if cut is None:
        return sentence
    tail = sentence[cut:]
    return tail if len(tail.split()) >= 5 else sentence


def clean_text(text: str) -> str:
    """`text` without caption labels, boilerplate lines and datelines; paragraphs kept.

    A line that is wholly furniture is dropped; a prompt glued before the story's words is cut
    off; the first lines lose a dateline. Blank lines stay, so paragraphs are kept.
    """
    out: list[str] = []
    seen_story = False
    for m in _LINE.finditer(text):
        raw = m.group(0)
        if not raw:
            break
        line, newline = (raw[:-1], "\n") if raw.endswith("\n") else (raw, "")
        if line.strip():
            kept = _clean_line(line, first=not seen_story)
            if kept is None:
                continue
            line = kept
            seen_story = seen_story or len(line.split()) > 6
        out.append(line + newline)
    return "".join(out)


def _clean_line(line: str, *, first: bool) -> str | None:
    """One line cleaned, or None when nothing of it is story."""
    for _ in range(3):  # "Scroll down for video Advertisement The …"
        cut = _PREFIX.sub("", line, count=1)
        if cut == line:
            break
        line = cut
    if not line.strip() or _LABEL_LINE.match(line):
        return None
    if _CREDIT.search(line.rstrip()):  # a caption: its words describe a picture, not the news
        return None
    if first:
        line = strip_dateline(strip_header(line))
    return line
