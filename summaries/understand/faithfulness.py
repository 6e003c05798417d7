"""Faithfulness guard for generated summaries: names, numbers, quotes must come from the article."""

from __future__ import annotations

import re
import unicodedata

from summaries.understand.text import split_sentences

__all__ = ["check_faithful"]

_NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?")
_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,}?)[\"“”]|(?<!\w)[‘']([^‘’']{2,}?)[’'](?!\w)")
_CAP_WORD = r"[A-Z][\w'’.-]*"
# "Bank of England", "Leonardo da Vinci": lowercase particles inside a name.
_CAP_RUN = re.compile(rf"{_CAP_WORD}(?:\s+(?:(?:of|de|da|van|von|al|bin|la|du)\s+)?{_CAP_WORD})*")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_OPENING = re.compile(r"^[\s\"“‘'(\[]*$")
# Capitalised words that are not names and may be capitalised anywhere.
_NOT_NAMES = frozenset(
    {"i", "a", "an", "the", "he", "she", "it", "they", "we", "you", "mr", "mrs", "ms", "dr"}
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"january", "february", "march", "april", "may", "june", "july", "august"}
    | {"september", "october", "november", "december"}
)


def check_faithful(summary: str, article: str) -> list[str]:
    """The names, numbers and quoted phrases of `summary` that `article` does not support.

    Comparison ignores case, accents and punctuation; numbers compare by their digits
    ("1,000" matches "1000"; "3.5" does not match "3"); number words and digits never match.
    An empty list means every checked item was found.
    """
    art_norm = _norm(article)
    art_tokens = set(art_norm.split())
    art_numbers = {_num(m.group()) for m in _NUMBER.finditer(article)}
    problems: list[str] = []

    def flag(item: str) -> None:
        if item not in problems:
            problems.append(item)

    for m in _NUMBER.finditer(summary):
        if _num(m.group()) not in art_numbers:
            flag(m.group())

    for m in _QUOTED.finditer(summary):
        quoted = m.group(1) or m.group(2) or ""
        q = _norm(quoted)
        if q and f" {q} " not in f" {art_norm} ":
            flag(quoted.strip())

    for sentence in split_sentences(summary):
        for m in _CAP_RUN.finditer(sentence):
            words = _TOKEN.findall(m.group())
            # A lone capitalised word opening a sentence is usually just a sentence opener.
            if len(words) == 1 and _OPENING.match(sentence[: m.start()]):
                continue
            for word in words:
                key = _norm(word)
                if key and key not in _NOT_NAMES and not _supported(key, art_tokens):
                    flag(m.group().rstrip(".").strip())
                    break
    return problems


def _supported(word: str, tokens: set[str]) -> bool:
    if word in tokens:
        return True
    # Possessives and plurals: "Obama's" -> "obama", "Smiths" -> "smith".
    for suffix in (" s", "s"):
        if word.endswith(suffix) and word[: -len(suffix)] in tokens:
            return True
    return all(part in tokens for part in word.split())


def _norm(text: str) -> str:
    """Lowercase, accents off, punctuation to spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(_TOKEN.findall(text.replace("’", "'"))).replace("'", " ")


def _num(text: str) -> str:
    return text.replace(",", "")
