"""What attribution knows of one article beyond a single quotation."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from summaries.understand.quotes.persons import PersonRegistry


@dataclass(frozen=True)
class Speaker:
    """Who a quotation is attributed to."""

    name: str  # canonical person, or the noun phrase for anything else
    mention: str
    person: bool
    title: str | None = None


@dataclass
class Article:
    """The state of reading one text, shared by the steps that attribute its quotations."""

    text: str
    body_start: int  # where the body starts, after a headline paragraph
    registry: PersonRegistry  # the people named in the title and text
    offset: int  # registry offsets are text offsets shifted by this (the title before the text)
    # (offset, mention) of the indirect attributions ("X said", "said X") in the text
    events: list[tuple[int, str]] = field(default_factory=list)
    # (offset, asker, addressee) of the questions put to someone by name
    questions: list[tuple[int, str, str]] = field(default_factory=list)
    # canonical name -> [times labelled a person, times labelled a place or organisation]
    kinds: dict[str, list[int]] = field(default_factory=dict)
    # Attributions made so far, in text order: (quote start, end of its frame, speaker).
    resolved: list[tuple[int, int, Speaker]] = field(default_factory=list)
    quoted: list[tuple[int, int]] = field(default_factory=list)  # quotations' pieces, in order
    mention_index: dict[str, list[int]] | None = None  # name -> text offsets (speaker model)
    lower_words: frozenset[str] | None = None  # the words written lowercase (speaker model)

    @classmethod
    def of(
        cls, text: str, title: str | None = None, body_start: int = 0, limit: int | None = None
    ) -> Article:
        """The state for reading `text` under `title`: its people are found in both (in the
        first `limit` characters)."""
        both = (title or "") + "\n\n" + text
        return cls(text, body_start, PersonRegistry.from_text(both[:limit]), len(title or "") + 2)

    def in_quotation(self, char: int) -> bool:
        """Whether text offset `char` lies inside a quotation."""
        i = bisect.bisect_right(self.quoted, (char, len(self.text))) - 1
        return i >= 0 and self.quoted[i][0] <= char < self.quoted[i][1]
