"""Attribution frames: the sentences that hold quotations, with long quotations masked.

A frame is the unit spaCy parses: sentences merged where a cut falls inside a quotation, and
each quotation of more than MASK_WORDS words replaced by PLACEHOLDER, so the parse sees the
attribution (`"Q," Secretary Blinken said.`), not the quoted words.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from summaries.understand.people import SHORT_NAME_RUN
from summaries.understand.quotes.marks import same_paragraph
from summaries.understand.quotes.words import CUE_ALT
from summaries.understand.text import sentence_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc

MASK_WORDS = 4  # quotations longer than this are masked before parsing
PLACEHOLDER = "Q"

_ATTRIBUTION_START = re.compile(
    rf"(?:{SHORT_NAME_RUN.pattern}|[Hh]e|[Ss]he|[Tt]hey|[Tt]he \w+)[ ,]+(?:\w+ly )?(?:{CUE_ALT})\b"
    rf"|(?:{CUE_ALT}) "
)


@dataclass
class Frame:
    """A unit of text (sentences merged across quote-internal cuts) and its masked form."""

    start: int
    end: int
    text: str = ""
    quotes: list[tuple[int, int, int]] = field(default_factory=list)  # frame start, end, q index
    doc: Doc | None = None

    @functools.cached_property
    def outside(self) -> str:
        """The frame's text without its quotations, read once: every quotation of a frame asks
        for it, and a frame can be one long sentence holding hundreds of them."""
        rest = self.text
        for fs, fe, _ in sorted(self.quotes, reverse=True):
            rest = rest[:fs] + rest[fe:]
        return rest

    @functools.cached_property
    def outside_words(self) -> int:
        """How many words the frame holds outside its quotations."""
        return len(self.outside.split())

    def quote_at(self, char: int) -> int | None:
        """The index of the quotation at frame offset `char`, if any."""
        for fs, fe, qi in self.quotes:
            if fs <= char < fe:
                return qi
        return None


def build_frames(
    text: str, body_start: int, quotations: list[tuple[tuple[int, int], ...]]
) -> tuple[list[Frame], list[list[int]]]:
    """The frames holding the quotations' pieces, and for each quotation its frames' indexes."""
    pieces = sorted((s, e, qi) for qi, q in enumerate(quotations) for s, e in q)
    sents = [sp for sp in sentence_spans(text) if sp[0] >= body_start]
    units: list[list[int]] = []
    p = 0
    for s, e in sents:
        while p < len(pieces) and pieces[p][1] <= s:
            p += 1
        inside = p < len(pieces) and pieces[p][0] < s < pieces[p][1]
        if units and inside and same_paragraph(text, units[-1][1], s):
            units[-1][1] = e
        else:
            units.append([s, e])
    units = join_introductions(text, join_attributions(text, units, pieces), pieces)
    starts = [u[0] for u in units]
    frames: list[Frame] = []
    frame_of_unit: dict[int, int] = {}
    piece_frame: list[list[int]] = [[] for _ in quotations]
    for s, e, qi in pieces:
        u = max(0, bisect.bisect_right(starts, s) - 1)
        if u not in frame_of_unit:
            frame_of_unit[u] = len(frames)
            frames.append(Frame(units[u][0], max(units[u][1], e)))
        f = frame_of_unit[u]
        frames[f].end = max(frames[f].end, e)
        if f not in piece_frame[qi]:
            piece_frame[qi].append(f)
    piece_starts = [s for s, _, _ in pieces]
    for frame in frames:
        # The pieces starting inside the frame, found by bisection: a scan of every piece per
        # frame is quadratic on a page of quotations.
        lo = bisect.bisect_left(piece_starts, frame.start)
        hi = bisect.bisect_left(piece_starts, frame.end, lo)
        mask(text, frame, pieces[lo:hi])
    return frames, piece_frame


def join_attributions(
    text: str, units: list[list[int]], pieces: list[tuple[int, int, int]]
) -> list[list[int]]:
    """Join a quote ending in `?` or `!` to the attribution cut off after it (`...?” Vitter
    asked.`): the splitter rightly ends a sentence there, but the frame needs both."""
    ends = {e for _, e, _ in pieces}
    out: list[list[int]] = []
    for unit in units:
        if out and same_paragraph(text, out[-1][1], unit[0]):
            prev_end = out[-1][1]
            tail = text[max(out[-1][0], prev_end - 3) : prev_end]
            closes = any(e in ends for e in range(prev_end - 3, prev_end + 1))
            closes = closes and tail[-1:] in '"”»“'
            asks = closes and any(c in "?!" for c in tail)
            short = len(text[unit[0] : unit[1]].split()) <= 15
            if asks and short and _ATTRIBUTION_START.match(text, unit[0]):
                out[-1][1] = unit[1]
                continue
        out.append(list(unit))
    return out


MAX_INTRODUCTION = 400  # characters of a sentence introducing the next paragraph's quotation


def join_introductions(
    text: str, units: list[list[int]], pieces: list[tuple[int, int, int]]
) -> list[list[int]]:
    """Join a quotation opening its paragraph to the sentence that introduces it with a colon
    at the end of the paragraph before (`Jo Roe made the following comment:` / `"Q"`): the
    parse then reads it as it reads `Jo Roe said: "Q"` inside one paragraph. Not when that
    sentence holds a quotation of its own (its verb may be that one's)."""
    starts = [s for s, _, _ in pieces]
    out: list[list[int]] = []
    for unit in units:
        k = bisect.bisect_left(starts, unit[0])
        opens = k < len(pieces) and pieces[k][0] - unit[0] <= 2
        if out and opens and not same_paragraph(text, out[-1][1], unit[0]):
            ps, pe = out[-1]
            intro = text[ps:pe].rstrip()
            j = bisect.bisect_left(starts, ps)
            quoted = j < len(pieces) and pieces[j][0] < pe
            quoted = quoted or (j > 0 and pieces[j - 1][1] > ps)
            if intro.endswith(":") and pe - ps <= MAX_INTRODUCTION and not quoted:
                out[-1][1] = unit[1]
                continue
        out.append(list(unit))
    return out


def mask(text: str, frame: Frame, pieces: list[tuple[int, int, int]]) -> None:
    """Build the frame's text, long quotations replaced by the placeholder."""
    out: list[str] = []
    pos = frame.start
    length = 0
    for s, e, qi in pieces:
        chunk = text[pos:s]
        out.append(chunk)
        length += len(chunk)
        words = text[s:e].split()
        body = PLACEHOLDER if len(words) > MASK_WORDS else " ".join(words)
        frame.quotes.append((length, length + len(body), qi))
        out.append(body)
        length += len(body)
        pos = e
    out.append(text[pos : frame.end])
    frame.text, frame.quotes = squeeze("".join(out), frame.quotes)


def squeeze(raw: str, quotes: list[tuple[int, int, int]]) -> tuple[str, list[tuple[int, int, int]]]:
    """Collapse whitespace runs in `raw` to one space, moving quote offsets along."""
    out: list[str] = []
    new_pos = [0] * (len(raw) + 1)
    n = 0
    prev_space = True
    for i, ch in enumerate(raw):
        new_pos[i] = n
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                n += 1
            prev_space = True
        else:
            out.append(ch)
            n += 1
            prev_space = False
        new_pos[i + 1] = n
    text = "".join(out).rstrip()
    moved = [(new_pos[s], max(new_pos[s] + 1, new_pos[e]), q) for s, e, q in quotes]
    return text, moved
