"""Which quotations count, and who said each: signature, governing verb, nearest cue, the
sentence's subject, then the discourse focus."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from summaries.understand import people
from summaries.understand.people import SHORT_NAME_RUN
from summaries.understand.quotes.article import Article, Speaker
from summaries.understand.quotes.cues import Cue, find_cues, governing
from summaries.understand.quotes.focus import INVERTED, previous_speaker, resolve_mention
from summaries.understand.quotes.frames import Frame
from summaries.understand.quotes.marks import (
    only_quotes,
    same_paragraph,
    signed_name,
    trailing_attribution,
    word_before,
)
from summaries.understand.quotes.persons import looks_like_person
from summaries.understand.quotes.speakers import speaker
from summaries.understand.quotes.words import (
    CUE_ALT,
    CUE_FORMS,
    NAMING_VERBS,
    NOT_SPEAKER_BEFORE,
    PERSON_PRONOUNS,
    PRONOUNS,
    SUBJECTS,
    TELL_FORMS,
)

_SO_CALLED = re.compile(r"so[- ]called\W*$", re.I)
_NAMING_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(NAMING_VERBS, key=len, reverse=True))})"
    r"(?:\s+[\w.’'-]+){0,5}\s*(?:[“\"][^”\"]{1,40}[”\"],?\s+(?:and|or)\s*)?$",
    re.I,
)


# Words for a work, right before its quoted title, or set off by a comma (`his book, "…"`);
# a word that names one ("titled"), or calls something so in the passive ("was dubbed"); a
# role in a work (`author of "…"`, `star of "…"`). Not after a colon: in `told the
# program: "Yes,"` the program is spoken to.
_WORKS = (
    "show|program|programme|film|movie|book|novel|memoir|album|song|single|series|"
    "documentary|podcast|play|musical|episode|column|segment|sitcom|video|ad|poem|painting|"
    "blog|account|comedy|drama|thriller|miniseries|opera|anthem|franchise|magazine|"
    "newspaper|booklet|pamphlet|manifesto"
)
_WORK_BEFORE = re.compile(
    rf"\b(?:(?:{_WORKS})s?,?(?:\s+(?:titled|entitled|called|named|dubbed))?|titled|entitled|"
    r"dubbed|nicknamed|"
    r"(?:is|was|were|be|been|being)\s+(?:called|named|dubbed|titled)|"
    r"(?:author|co-author|star|screening|episode|edition|host|creator)\s+of)\s*$",
    re.I,
)
# What someone says in a work, set off by a comma: `said in a video, "We Will Win."`.
_SPOKEN_IN = re.compile(
    r"\b(?:in|on|to|during|told|into|via|through)\s+(?:(?:a|an|the|his|her|their|its|our|"
    rf"this|that)\s+)?(?:[\w-]+\s+)?(?:{_WORKS})s?,\s*$",
    re.I,
)

# A word before a program's quoted title: "on" (`said on "…"`), "told" or "interview with"
# (`told "…"`), or a network's possessive (`HBC's "…"`, `told HBC’s "…"`).
_PROGRAM_BEFORE = re.compile(r"(?:\b(?i:on|told|interview\s+with)|\b[A-Z][\w&.-]*['’]s?)\s*$")


@dataclass
class Quotation:
    """One quotation of the article: its index, its pieces and the frames that hold them."""

    qi: int
    pieces: tuple[tuple[int, int], ...]
    frames: list[Frame]
    _cues: dict[int, list[Cue]] = field(default_factory=dict)  # frame start -> cues

    def cues(self, frame: Frame) -> list[Cue]:
        """The speech cues in one of its frames, nearest first (worked out once: keeping and
        attributing a quote both ask)."""
        if frame.start not in self._cues:
            self._cues[frame.start] = find_cues(frame, self.qi)
        return self._cues[frame.start]


_OF = re.compile(r"\s+of\s+")


def _without_of(who: str) -> str:
    """A speaker run cut before its first "of": in `Jo Roe of the Daily Star observed` and `said
    Rep. Jo Roe of Maryland`, where she works or is from is no part of her name."""
    return _OF.split(who, maxsplit=1)[0]


# Small words a title leaves in lowercase (`A Paradise Built in Hell: The Communities that
# Arise in Disaster`).
_TITLE_SMALL = frozenset(
    "a an the and or but nor of in on at to for by with from into onto upon over under about "
    "as than that this vs via per".split()
)


def titled_words(words: list[str]) -> bool:
    """Whether quoted words are written as a name or title: each capitalised, short, or a
    title's small word, the first capitalised."""
    return _title_case(words) or (
        words[0][:1].isupper() and all(w[:1].isupper() or len(w) <= 3 for w in words)
    )


def _title_case(words: list[str]) -> bool:
    """Whether quoted words are written as a title: capitalised but for small words, the
    first capitalised, at least two capitalised words of more than three letters."""
    if not words or not words[0][:1].isupper():
        return False
    stripped = [w.strip(".,:;!?\"'“”‘’()") for w in words]
    if any(w and not w[:1].isupper() and w.lower() not in _TITLE_SMALL for w in stripped):
        return False
    return sum(1 for w in stripped if w[:1].isupper() and len(w) > 3) >= 2


def keep(art: Article, quote: Quotation) -> bool:
    """False for nicknames, titles of works and scare quotes."""
    text = art.text
    pieces = quote.pieces
    words = " ".join(text[s:e] for s, e in pieces).split()
    start, end = pieces[0][0], pieces[-1][1]
    before = text[max(0, start - 40) : start - 1]
    after = text[end + 1 : end + 40]
    if _SO_CALLED.search(before):
        return False
    titled = all(w[:1].isupper() or len(w) <= 3 for w in words) and words[0][:1].isupper()
    if (
        len(pieces) == 1
        and (titled if len(words) <= 4 else len(words) <= 25 and _title_case(words))
        and _WORK_BEFORE.search(text, max(0, start - 60), start - 1)
        and not _SPOKEN_IN.search(text, max(0, start - 60), start - 1)
    ):
        # `the show "Morning Harbor,"`, `a film, titled "Cold Tide,"`, `her book "The Long
        # Road: How a Town Learned to Live with the River"`: a title of a work named after
        # the word for it, its comma inside the marks or not.
        return False
    if (
        len(pieces) == 1
        and words[-1].endswith(",")
        and _title_case(words)
        and re.match(r"\s+[a-z]", after)
        and not before.rstrip(" \"“‘'").endswith(":")
        and not trailing_attribution(text, end)
    ):
        # `for her role in "The Northern Crossing," while …`, `announcing "Harbor Lights,"
        # the studio's first …`: a title whose comma belongs to the sentence running on, not
        # words someone said (`"Never Give Up," the crowd chanted` is attributed after it).
        return False
    if len(pieces) > 1 or len(words) > 12:
        return True
    if (
        len(words) <= 3
        and titled
        and re.search(r"[A-Z][\w.]*\s$", before)
        and re.match(r"\s[A-Z]", after)
    ):
        return False  # a nickname: Dwayne "The Rock" Johnson
    final = words[-1][-1:] in ".!?,"
    relative = _RELATIVE_BEFORE.search(text, max(0, start - 80), start - 1) if titled else None
    if (
        relative is not None
        and not final
        and not any(w.lower().strip(".,") in CUE_FORMS for w in relative.group().split())
    ):
        # `Jo Roe, whose film is "Cold Harbour", said …`: a title in a clause about the
        # speaker, even though an attribution follows it (`who called it "Utter Nonsense"`
        # quotes her).
        return False
    if titled and len(words) <= 5 and _PROGRAM_BEFORE.search(text, max(0, start - 60), start - 1):
        # `she said on "Harbor Today."`, `told HBC's "Morning Harbor,"`: a program a person
        # speaks on or to, not their words.
        return False
    cues = [quote.cues(f) for f in quote.frames]
    has_cue = any(cues)
    if (
        titled
        and len(words) <= 3
        and not final
        and not trailing_attribution(text, end)
        and _NAMING_BEFORE.search(text, max(0, start - 100), start - 1) is None
        and _named_elsewhere(text, words, start, end)
    ):
        # `Bong Joon Ho said: "Parasite"`: words the article capitalises inside its own
        # sentences are a name or a title of a work, not something said.
        return False
    if titled and len(words) >= 2 and not final and not after.startswith(","):
        # A title of a work, unless someone calls someone it: `Trump called her "Miss
        # Piggy"` quotes Trump; `the film is called "Moonlight"` quotes nobody.
        named = _NAMING_BEFORE.search(text, max(0, start - 100), start - 1)
        return named is not None and any(
            c.verb.split()[0].lower() in NAMING_VERBS
            and c.speaker_token is not None
            and c.speaker_token.pos_ in ("PROPN", "PRON")
            and c.speaker_token.dep_ == "nsubj"
            for found in cues
            for c in found[:1]
        )
    # A scare quote or a quoted word with nobody saying it is not a quote.
    return len(words) > 2 or has_cue


# A relative clause opened after a comma and still open where a quotation begins.
_RELATIVE_BEFORE = re.compile(r",\s+(?:whose|who|which)\b[^,;:.!?\"“”]{0,60}$")
_NAME_WINDOW = 20_000  # how far from a quotation its words are looked for (bounds the work)


def _named_elsewhere(text: str, words: list[str], start: int, end: int) -> bool:
    """Whether each capitalised word of a short quotation is written capitalised inside a
    sentence elsewhere in the text (not after a sentence end, not in this quotation)."""
    content = [w.strip(".,!?;:'’\"“”") for w in words]
    content = [w for w in content if len(w) >= 3 and w[:1].isupper()]
    if not content:
        return False
    lo, hi = max(0, start - _NAME_WINDOW), min(len(text), end + _NAME_WINDOW)
    for w in content:
        found = False
        for m in re.finditer(rf"(?<![\w’'-]){re.escape(w)}(?![\w’'-])", text[lo:hi]):
            at = lo + m.start()
            if start - 1 <= at < end:
                continue
            before = text[max(0, at - 3) : at].rstrip(" \"“‘'")
            if before and before[-1] not in ".!?:\n" and not before[-1].isspace():
                found = True
                break
        if not found:
            return False
    return True


def attribute(art: Article, quote: Quotation) -> tuple[Speaker | None, str | None]:
    """The speaker of a quotation and the cue that names them, each None when not found."""
    speaker, cue, _ = attribution(art, quote)
    return speaker, cue


# How `attribution` found a speaker, from the surest evidence to the weakest.
ROUTES = (
    "signature", "trailing", "governing", "governing_near", "nearest_cue", "subject_person",
    "subject_propn", "previous", "none",
)  # fmt: skip


def attribution(art: Article, quote: Quotation) -> tuple[Speaker | None, str | None, str]:
    """The speaker of a quotation, the cue that names them and the route (one of ROUTES)
    by which they were found."""
    pieces = quote.pieces
    signed = signature(art, pieces)
    if signed is not None:
        return signed, None, "signature"
    trailing = trailing_speaker(art, pieces[-1][1])
    sp, cue, route = _parsed(art, quote)
    if trailing is not None and (sp is None or sp.name != trailing[0].name):
        # The name right after the words beats what the parse says; where both agree, the
        # parse's reading is kept (it knows the apposition: `said Jo Roe, the mayor`).
        return trailing[0], trailing[1], "trailing"
    return sp, cue, route


def _parsed(art: Article, quote: Quotation) -> tuple[Speaker | None, str | None, str]:
    """`attribution` after the signature: from the parse, then the discourse focus."""
    qi, pieces, frames = quote.qi, quote.pieces, quote.frames
    pos = pieces[0][0]
    for frame in frames if not trailing_attribution(art.text, pieces[-1][1]) else []:
        found = governing(frame, qi)
        if found is not None and found.speaker_token is not None:
            at = min(fs for fs, _, q in frame.quotes if q == qi)
            earlier = [fe for fs, fe, q in frame.quotes if q != qi and found.char < fs < at]
            if earlier and frame.text[max(earlier) : at].strip(" ,\"“”'‘’")[:1].isupper():
                # `X asked: "Q?" Y replied: "A."`: a verb before another quotation is that
                # one's; a new sentence after it with a cue and a speaker of its own says
                # whose this is (`said Trump was "right" when he said "..."` stays nested).
                between = [
                    c for c in quote.cues(frame)
                    if max(earlier) <= c.char < at and c.speaker_token is not None
                ]  # fmt: skip
                if between:
                    assert between[0].speaker_token is not None
                    sp = speaker(art, between[0].speaker_token, frame, pos)
                    if sp is not None:
                        return sp, between[0].verb, "nearest_cue"
            sp = speaker(art, found.speaker_token, frame, pos)
            if sp is not None and not sp.person:
                # `The spot concludes with footage of Trump saying, "Q"`: a person's
                # speech verb nearer the words than a thing's verb says whose they are.
                at = min(fs for fs, _, q in frame.quotes if q == qi)
                near = [
                    c for c in quote.cues(frame)
                    if found.char < c.char < at and c.speaker_token is not None
                ]  # fmt: skip
                if near:
                    assert near[0].speaker_token is not None
                    other = speaker(art, near[0].speaker_token, frame, pos)
                    if other is not None and other.person:
                        return other, near[0].verb, "governing_near"
            if sp is not None:
                return sp, found.verb, "governing"
    # The nearest cue with a speaker, in the first frame that has one.
    for frame in frames:
        cues = [c for c in quote.cues(frame) if not _aside(c, frame, quote.qi)]
        if cues and cues[0].speaker_token is not None:
            sp = speaker(art, cues[0].speaker_token, frame, pos)
            if sp is not None:
                return sp, cues[0].verb, "nearest_cue"
            break
    # No cue of its own: the sentence's subject, then a speaker introduced just before.
    frame = frames[0]
    quote_only = only_quotes(frame.outside, ())
    # A sentence introducing the quotation from the paragraph before (`Transcript as
    # follows:`) speaks through a cue, or says nothing of who speaks.
    introduced_by = not same_paragraph(art.text, frame.start, pos)
    if not quote_only and not introduced_by and frame.doc is not None:
        for tok in frame.doc:
            if (
                tok.dep_ in SUBJECTS and tok.head.dep_ == "ROOT" and frame.quote_at(tok.idx) is None
            ) and (
                tok.pos_ == "PROPN"
                or tok.lower_ in PERSON_PRONOUNS
                or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in tok.rights)
            ):
                sp = speaker(art, tok, frame, pos)
                if sp is not None and sp.person:
                    return sp, None, "subject_person"
                # `PolitiFact rated 32% of claims as "false"`: a named source's verdict.
                if sp is not None and tok.pos_ == "PROPN" and tok.idx < frame.quotes[0][0]:
                    return sp, None, "subject_propn"
    if after_heading(art.text, pos):
        # `FLOOD WARNING FOR THE VALLEY "Q"`: a newsletter's item under its capitalised
        # heading; nobody before it said these words.
        return None, None, "none"
    intro = introduced(art, pos)
    if intro is not None:
        return intro, None, "previous"
    prev = previous_speaker(art, pos)
    if prev is not None:
        return prev, None, "previous"
    return None, None, "none"


def after_heading(text: str, pos: int) -> bool:
    """Whether a quotation at `pos` follows, in its own paragraph, nothing but a heading in
    capitals of at least two words with letters (`STORM HITS THE COAST "Q"`)."""
    lo = max(0, pos - 200)
    line_start = text.rfind("\n", lo, pos) + 1
    if line_start == 0 and lo > 0:
        return False  # a longer line: no heading
    words = text[line_start:pos].strip(" \t\"“”‘’'").split()
    return len(words) >= 2 and all(w.upper() == w and w.lower() != w for w in words)


# A name and the verb after it (`Jo Roe echoed`, `President Roe released the statement`): who
# does something in a sentence.
_NAME_VERB = re.compile(
    rf"(?P<who>{SHORT_NAME_RUN.pattern})(?:,[^,:;\"“”\n]{{1,60}},)?[ \t]+(?:[a-z]+ly[ \t]+)?"
    r"(?:[a-z]{2,}ed|[a-z]{3,}s)\b"
)


def introduced(art: Article, pos: int) -> Speaker | None:
    """The person who introduces a quotation opening its paragraph at `pos` with a sentence
    ending in a colon in the paragraph before (`President Roe released this statement:`): the
    last name followed by its verb in that sentence, else None."""
    text = art.text
    line_start = text.rfind("\n", 0, pos) + 1
    if text[line_start:pos].strip(" \t\"“‘'"):
        return None
    lo = max(art.body_start, line_start - 400)
    before = text[lo:line_start].rstrip()
    if not before.endswith(":"):
        return None
    stop = max(before.rfind("\n"), *(before.rfind(p) for p in (". ", "? ", "! ")))
    sentence = before[stop + 1 :]
    offset = lo + stop + 1
    found = None
    for m in _NAME_VERB.finditer(sentence):
        who = m.group("who")
        name = people.split_title(who)[1]
        if not name or people.not_a_name(name.split()[0]) or who.isupper():
            continue
        if word_before(text, offset + m.start()) in NOT_SPEAKER_BEFORE | {"the", "a", "an"}:
            continue
        found = (offset + m.start(), _without_of(who))
    if found is None:
        return None
    sp = resolve_mention(art, found[1], found[0], person_hint=True)
    return sp if sp.person else None


def _aside(cue: Cue, frame: Frame, qi: int) -> bool:
    """Whether a cue stands in a clause that does not hold quotation `qi`: a clause of time or
    cause before it (`After Jo Roe criticized him, Tom Berg shot back, "Q"`: that clause tells
    what came before, the main clause who speaks) or a relative clause anywhere."""
    doc = frame.doc
    if doc is None:
        return False
    mine = [fs for fs, _, q in frame.quotes if q == qi]
    if not mine:
        return False
    verb = next((t for t in doc if t.idx == cue.char), None)
    if verb is None:
        return False
    # `In a clip that Judge Roe called "vile," Tom Berg vowed to "Q"`, `Berg, who writes
    # novels (one on "Q")`: a relative clause tells of someone or something in the sentence,
    # and its speech verb speaks only the words inside it.
    relative = verb.dep_ == "relcl"
    if not relative and (not cue.subordinate or cue.char > mine[0]):
        return False
    if any(c.lower_ == "as" for c in verb.children):
        return False  # `As Jo Roe put it, …`: an attribution, not an aside
    inside = {t.i for t in verb.subtree}
    return not any(t.i in inside for t in doc if frame.quote_at(t.idx) == qi)


def signature(art: Article, pieces: Sequence[tuple[int, int]]) -> Speaker | None:
    """A speaker named by a dash signature after the quotation, or a transcript label
    opening it (`SMITH: ...`): the layout, not a verb, says who speaks."""
    mention = signed_name(art.text, pieces)
    if mention is None:
        return None
    who = mention
    if re.search(r"\s(?:and|&)\s", who):
        # `- Jo Roe and Al Berg: "…"`: written by both, named as the label names them.
        return Speaker(who, who, True, None) if len(who.split()) <= 9 else None
    title, name = people.split_title(who)
    if not name or len(who.split()) > 6:
        return None
    if name.isupper():  # a transcript's SMITH: the article's spelling of the name
        known = art.registry.lookup(name)
        who = known.name if known is not None else name.title()
    canonical, reg_title = art.registry.resolve(who)
    return Speaker(canonical, mention, True, reg_title or title)


# What closes a quotation before the words after it: `," `, `?" `, `" `.
_CLOSE = r"[,?!.]?[\"”»“’']?[,?!]?(?:[ \t\u00a0]+|(?<=[”»]))"
# Words that never open the noun phrase of a speaker after an inverted verb: `" said in an
# interview with Fox News` names where, not who.
_NOT_BEFORE_NAME = (
    r"(?!(?:in|on|at|to|into|with|for|by|from|of|during|after|before|about|while|when|as|"
    r"and|but|that|this|last|next|early|late|later|earlier|then|also)\b)"
)
# Verbs that invert after a quotation beside focus.INVERTED, read here only: the name after
# them is the speaker (`"Q," mused Jo Roe.`).
_INVERTED_TOO = "tweeted|posted|mused|opined|exclaimed|observed|remarked|countered|cautioned"
# `"Q," said retired neurosurgeon Ben Carson, asked about …`, `"Q?" asked Dunn, now …`,
# `"Q," tweeted Sen. Lindsey Graham (R-S.C.)`: an inverting verb right after the quotation,
# then up to four role words and a name that ends there.
_TRAILING_INVERTED = re.compile(
    _CLOSE + rf"(?P<verb>{INVERTED}|{_INVERTED_TOO})[ \t]+"
    rf"(?P<who>(?:{_NOT_BEFORE_NAME}(?:[a-z][a-z-]+|[A-Z][\w.-]*|\d+(?:st|nd|rd|th))"
    rf"[ \t\u00a0]+){{0,4}}?{SHORT_NAME_RUN.pattern})"
    r"(?=[ \t]*(?:[,.;(\n—–]|$)|[ \t]+(?:of|on|at|during)[ \t])"
)
# `"Q?" Hannity pressed.`, `"Q" Conway notes.`, `"Q," Jo Roe (D-Ore.), who chairs it, said
# of …`: a name, a party tag, an apposition and a speech verb right after the quotation.
_TRAILING_NAME_VERB = re.compile(
    _CLOSE + r"(?:(?:[A-Z][\w.’'-]*[ \t]+){1,3}(?!(?:and|or|but|nor|of|the|to|for|in|on|at|"
    r"with|from|by|as|than)\b)[a-z][\w-]*[ \t]+)?"
    rf"(?P<who>{SHORT_NAME_RUN.pattern})(?:[ \t]\([^()\n]{{1,30}}\))?"
    r"(?:,[^,.;:!?\"“”()\n]{3,90},|,[ \t]+(?:the|a|an)[ \t](?:[^,.;:!?\"“”()\n]|\.(?=\S)){3,90}?)?"
    r"[ \t]+(?:\w+ly[ \t]+)?"
    rf"(?P<verb>{CUE_ALT}|pressed|questioned|went[ \t]+on|chimed[ \t]+in)\b"
    r"(?![ \t]+(?:that|to|if)\b)"
)
# When, after the verb: `Jo Roe said Monday.`
_WHEN = (
    r"(?:[ \t]+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|"
    r"tonight|recently|earlier|later|again|then))?"
)
# After a name and its verb, the attribution goes on (a time, a place, a manner) or ends.
_GOES_ON = re.compile(
    _WHEN + r"(?:[ \t]+[a-z]+ly\b)?(?:[ \t]*[,.;!?\n—–(]|[ \t]+(?:on|in|at|of|about|during|last|"
    r"this|after|before|when|while|according|as|into)\b)"
)
# … unless a quotation follows: `"Q?" Roe replied, "A."` gives the verb to the next one.
_NEXT_QUOTE = re.compile(_WHEN + r"[ \t]*[,:]?[ \t]*[\"“]")
# After a quotation ending with a full stop, only an attribution ending there: `"Q." Roe said.`
_ENDS = re.compile(_WHEN + r"[ \t]*[.;](?:\s|$)")


def trailing_speaker(art: Article, end: int) -> tuple[Speaker, str] | None:
    """The speaker named right after a quotation ending at `end`, when an attribution follows
    it in the text itself (`"Q," said Jo Roe, who …`, `"Q?" Roe asked.`), and its verb.

    Read from the words, not the parse: the parse often takes the name after an inverted
    verb for its object, or hangs the verb on the sentence before. After a quotation ending
    with a full stop, only a name and a verb ending the sentence are its attribution."""
    text = art.text
    # `"… win." Trump said the polls …`: after a full stop a new sentence begins.
    full_stop = "." in text[max(0, end - 1) : end + 1]
    window = text[end : end + 240]
    for rx in (_TRAILING_INVERTED, _TRAILING_NAME_VERB):
        m = rx.match(window)
        if m is None or (full_stop and rx is _TRAILING_INVERTED):
            continue
        if rx is _TRAILING_NAME_VERB:
            after = window[m.end() :]
            told = _told_whom(text, end, m.group("verb"), after)
            if told is not None:
                after = after[told:]
            if (
                _NEXT_QUOTE.match(after)
                or not _GOES_ON.match(after)
                or (full_stop and not _ENDS.match(after))
            ):
                continue
        who = _without_of(m.group("who").strip())
        rest = window[m.end("who") :]
        words = people.split_title(who)[1].split()
        ordinary = len(who.split()) == 1 and people.not_a_name(who) and who.lower() not in PRONOUNS
        surname = _known_surname(art, who) if ordinary else None
        if surname is not None:
            return surname, m.group("verb")
        if (
            not words
            or who.endswith(("'s", "’s"))
            or any(people.not_a_name(w) for w in words)
            or who.split()[-1].lower() in PERSON_PRONOUNS
            or people.is_title_word(who.split()[-1])
            # `said Del. Jo Roe`: a short word and a full stop before a name abbreviate a title.
            or (len(words) == 1 and len(words[0]) <= 4 and re.match(r"\.\s[A-Z]", rest) is not None)
        ):
            return None
        return resolve_mention(art, who, end + m.start("who"), person_hint=True), m.group("verb")
    return None


# Whom someone tells, after "told": a few words before the attribution goes on or ends.
_TOLD_WHOM = re.compile(r"(?:[ \t]+[\w.’'-]+){1,5}?(?=[ \t]*[,.;]|[ \t]+(?:in|on|at|during)\b)")


def _told_whom(text: str, end: int, verb: str, after: str) -> int | None:
    """Where the listener after "told" ends in `after` (`"Q?" Roe told the BBC in …`), for a
    quotation ending a sentence inside its marks (`?"`, `!"`, `."`): the frame then no longer
    holds the words after it, so only they say who spoke. None otherwise."""
    if verb.split()[0].lower() not in TELL_FORMS or _GOES_ON.match(after):
        return None
    if not re.search(r"[.?!][\"”’']?$", text[max(0, end - 2) : end + 1]):
        return None
    m = _TOLD_WHOM.match(after)
    return m.end() if m is not None else None


def _known_surname(art: Article, word: str) -> Speaker | None:
    """The person a capitalised word that is also an ordinary word ("From", "Will") names when
    it is the surname of someone the article names in full ("Al From"), else None: before a
    speech verb, the word is that person."""
    for person in art.registry.people.get(people.name_key(word), []):
        words = person.name.split()
        if len(words) > 1 and words[-1] == word and looks_like_person(person.name):
            return Speaker(person.name, word, True, person.title)
    return None
