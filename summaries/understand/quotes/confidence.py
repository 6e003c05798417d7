"""How sure an attribution is: a small learned model over what the rules saw.

For each quotation the rules name a speaker by some route (a dash signature, the speech verb
that governs the quotation, the nearest cue, the sentence's subject, the speaker before); the
model weighs that route with what else is known (is the speaker a person the article names in
full, how far is the mention, are other people named in the sentence, is it a pronoun, …) and
gives the chance the name is right. Below the threshold the quotation is shown unattributed:
a quote without a name is better than a quote with a wrong one.

The weights are a logistic regression fitted on PolNeAR's train split by
bench/train_speaker_model.py, its threshold chosen on dev; they ship in `speaker_model.json`
and are scored here with numpy alone.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from summaries.understand import people
from summaries.understand.quotes.article import Speaker
from summaries.understand.quotes.attribute import ROUTES
from summaries.understand.quotes.focus import is_person, last_subject, not_person
from summaries.understand.quotes.marks import same_paragraph, subject_place
from summaries.understand.quotes.persons import (
    PLACE_NAMES,
    given_name_gender,
    group_or_place,
    is_given_name,
    looks_like_person,
)
from summaries.understand.quotes.words import CUE_FORMS, PRONOUNS

if TYPE_CHECKING:
    from summaries.understand.quotes.article import Article
    from summaries.understand.quotes.attribute import Quotation

MODEL_PATH = Path(__file__).with_name("speaker_model.json")

_ENT_GROUPS = {
    "PERSON": "person",
    "ORG": "org",
    "NORP": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
_SAYS = {"said", "says", "say", "told", "tells", "added", "adds"}


def features(
    art: Article, quote: Quotation, sp: Speaker | None, cue: str | None, route: str
) -> dict[str, float]:
    """What the model knows of one attribution, by feature name (all numbers)."""
    f: dict[str, float] = {f"route_{r}": float(r == route) for r in ROUTES}
    text = art.text
    start, end = quote.pieces[0][0], quote.pieces[-1][1]
    words = sum(len(text[s:e].split()) for s, e in quote.pieces)
    f["quote_words"] = math.log1p(words)
    f["pieces"] = float(len(quote.pieces) > 1)
    line_start = text.rfind("\n", 0, start) + 1
    f["opens_paragraph"] = float(not text[line_start:start].strip(" \t\"“'‘"))
    line_end = text.find("\n", end)
    after = text[end : line_end if line_end >= 0 else len(text)]
    f["ends_paragraph"] = float(not after.strip(" \t\"”'’.,"))
    f["quote_position"] = start / max(1, len(text))
    frame = quote.frames[0]
    outside = frame.outside
    f["frame_outside_words"] = math.log1p(frame.outside_words)
    persons: set[str] = set()
    if frame.doc is not None:
        for ent in frame.doc.ents:
            if ent.label_ == "PERSON" and frame.quote_at(ent.start_char) is None:
                persons.add(ent.text)
    f["frame_persons"] = float(min(len(persons), 3))
    f["cue_none"] = float(cue is None)
    f["cue_says"] = float(cue is not None and cue.split()[0].lower() in _SAYS)
    f["cue_according"] = float(cue == "according to")
    prev = [s for p, _, s in art.resolved if p < start]
    last = art.resolved[-1] if art.resolved else None
    f["has_previous"] = float(bool(prev))
    f["prev_gap"] = math.log1p(max(0, start - last[1])) if last else 0.0
    f["prev_same_paragraph"] = float(last is not None and same_paragraph(text, last[1], start))
    names = (
        "speaker",
        "person",
        "pron_person",
        "pron_other",
        "lower",
        "lower_source",
        "name_words",
    )
    for key in names:
        f[key] = 0.0
    for key in ("same_as_prev", "full_name", "is_person", "not_person", "gender"):
        f[key] = 0.0
    for key in ("mentions", "in_quote", "caps", "digits", "first_seen_after"):
        f[key] = 0.0
    for group in ("person", "org", "place", "other", "none"):
        f[f"ent_{group}"] = 0.0
    f["mention_distance"] = 0.0
    if sp is None:
        return f
    f["speaker"] = 1.0
    mention = sp.mention or sp.name
    first = mention.split()[0].lower() if mention.split() else ""
    pron = first in PRONOUNS
    f["person"] = float(sp.person)
    f["pron_person"] = float(pron and first in ("he", "she", "i", "him", "her"))
    f["pron_other"] = float(pron and not f["pron_person"])
    f["lower"] = float(not pron and mention[:1].islower())
    f["lower_source"] = f["lower"] * float(source_noun(mention))
    f["name_words"] = float(min(len(sp.name.split()), 4))
    f["same_as_prev"] = float(bool(prev) and prev[-1].name == sp.name)
    known = art.registry.lookup(sp.name)
    f["full_name"] = float(known is not None and len(known.name.split()) > 1)
    f["is_person"] = float(is_person(art, sp.name))
    f["not_person"] = float(not_person(art, sp.name))
    f["gender"] = float(art.registry.gender(sp.name) is not None)
    surname = sp.name.split()[-1] if sp.name.split() else sp.name
    seen = _mentions_of(art).get(sp.name, [])
    f["mentions"] = math.log1p(len(seen))
    f["first_seen_after"] = float(bool(seen) and min(seen) > end)
    quoted = " ".join(text[s:e] for s, e in quote.pieces)
    f["in_quote"] = float(len(surname) > 2 and surname in quoted)
    f["caps"] = float(mention.isupper() and len(mention) > 2)
    f["digits"] = float(bool(re.search(r"\d", mention)))
    group = "none"
    if frame.doc is not None and not pron:
        for ent in frame.doc.ents:
            if frame.quote_at(ent.start_char) is None and (
                mention in ent.text or ent.text in mention
            ):
                group = _ENT_GROUPS.get(ent.label_, "other")
                break
    f[f"ent_{group}"] = 1.0
    at = outside.find(mention)
    if at >= 0 and frame.quotes:
        f["mention_distance"] = math.log1p(abs(at - frame.quotes[0][0]))
    else:
        f["mention_distance"] = math.log1p(2000)
    return f


# Nouns that name a source of words, a person or a body ("an aide", "the ministry", "critics"),
# beside the role titles of the people registry: a description ending in anything else ("her
# record", "their meeting", "10,000 times") is a thing, and its words nobody's.
SOURCE_NOUNS = frozenset(
    """official aide critic expert source analyst spokesperson adviser advisor strategist
    lawmaker legislator voter resident supporter opponent member leader staffer activist
    campaign committee ministry department agency office group organization organisation
    administration government police court panel party newspaper paper network website
    company firm union association coalition council board commission report statement poll
    survey study ad letter memo release filing lawsuit complaint ruling editorial column
    people man woman person friend family father mother son daughter wife husband neighbor
    reporter journalist host anchor moderator writer author economist lawyer attorney
    scientist researcher doctor officer soldier worker student teacher parent owner
    candidate nominee delegate donor operative pollster consultant insider veteran""".split()
)


def _head_word(phrase: str) -> str:
    """A phrase's last word, lowercased, without punctuation around it or a possessive "'s"
    ("" for no words)."""
    words = phrase.split()
    if not words:
        return ""
    head = words[-1].strip(".,;:'’\"“”").lower()
    return head[:-2] if head.endswith(("'s", "’s")) else head


def source_noun(mention: str) -> bool:
    """Whether a description's head word names a person or a body (see SOURCE_NOUNS)."""
    head = _head_word(mention)
    if not head:
        return False
    stems = {
        head,
        head[:-1] if head.endswith("s") else head,
        head[:-2] if head.endswith("es") else head,
    }
    if head.endswith("ies"):
        stems.add(head[:-3] + "y")
    if head.endswith("men"):
        stems.add(head[:-3] + "man")
    return any(w in SOURCE_NOUNS or people.is_title_word(w) for w in stems) or head.endswith(
        ("ist", "ists", "ian", "ians")
    )


# Heads of a noun phrase that counts or measures: "72 percent", "10,000 times", "some".
_QUANTITY_HEADS = frozenset("percent percentage % some others several many few".split())
_COUNTED_HEADS = frozenset("times point points".split())  # after a number only
_POSSESSIVE_PRONOUNS = frozenset("his her their its our my your".split())
# Endings of nouns for what happens or is done, not who acts ("the rejection", "their
# meeting", "her business"): a body named that way ("the administration") is a source noun.
_EVENT_ENDINGS = ("tion", "sion", "ment", "ness", "ing")
# Endings of nouns for people ("listeners", "the organizer", "an employee").
_PERSON_ENDINGS = ("er", "ers", "or", "ors", "ee", "ees", "ist", "ists", "ian", "ians")
# People and bodies the endings above miss.
_SOURCES_TOO = frozenset("colleague colleagues publication publications".split())


def thing_speaker(name: str) -> bool:
    """Whether a speaker that is no person's name is a thing or an amount, never a source: a
    quantity ("72 percent"), a quantifier ("some"), a thing of someone's ("their meeting", "her
    record") or an event ("the rejection"). A person or body noun ("the mayor", "his campaign",
    "the ministry") is a source, and so is a document ("the report")."""
    words = name.split()
    head = _head_word(name)
    if not head or head in _SOURCES_TOO or source_noun(name) or people.is_title_word(head):
        return False
    number = len(words) > 1 and re.fullmatch(r"[\d.,]+", words[-2]) is not None
    if re.fullmatch(r"[\d.,]+%?", head) or head in _QUANTITY_HEADS:
        return True
    if head in _COUNTED_HEADS and number:
        return True
    # A capitalised word past the determiner makes a name ("the Trayvon Martin Foundation").
    if head.endswith(_PERSON_ENDINGS) or any(w[:1].isupper() for w in words[1:]):
        return False
    if words[0][:1].isupper() and words[0].lower() not in ("the", "a", "an", *_POSSESSIVE_PRONOUNS):
        return False
    if len(words) > 1 and words[0].lower() in _POSSESSIVE_PRONOUNS:
        return True
    return len(head) > 5 and head.endswith(_EVENT_ENDINGS)


def _mentions_of(art: Article) -> dict[str, list[int]]:
    """Text offsets of each person's mentions, worked out once per article."""
    if art.mention_index is None:
        index: dict[str, list[int]] = {}
        for at, name in art.registry.mentions:
            index.setdefault(name, []).append(at - art.offset)
        art.mention_index = index
    return art.mention_index


# Pronouns the antecedent model resolves: one person each.
ONE_PERSON = frozenset({"he", "she", "him", "her", "i"})
MAX_CANDIDATES = 8


def antecedents(
    art: Article, pronoun: str, pos: int, rule: Speaker | None
) -> list[tuple[Speaker, dict[str, float]]]:
    """The people a pronoun speaking at text offset `pos` may stand for, each with features:
    the rules' choice, the people last named before it (outside quotations), the speakers
    attributed last and the people of the indirect attributions before it. A paragraph is
    most often about the person it opens with: who that is, here and in the paragraph
    before, is one of the features; so is who stands last before a verb as a clause's subject
    in the pronoun's paragraph (the one before when the quotation opens its own) and since the
    last quotation: a person brought in so is who a "he" next goes on with, not the speaker
    of a paragraph before. A one-word name the registry lacks is placed where the text last
    writes it; a person written since the paragraph before whom the registry missed (after a
    title, in an "according to" phrase) is a candidate too (`_written_names`). Whether a
    candidate stands as a clause's subject in the quotation's sentence or the one before, and
    whether that candidate is the rules' pick, are features: a pick of the rules so placed is
    seldom beaten by the speaker of a paragraph before."""
    low = pronoun.lower()
    want = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(low)
    text = art.text
    registry = art.registry
    last_seen: dict[str, int] = {}
    order: list[str] = []
    k = bisect.bisect_left(registry.mentions, (pos + art.offset, ""))
    in_quotes = 0
    # The people standing as a clause's subject before a verb in the pronoun's paragraph
    # (`Rep. Jo Roe (R-Ohio) also addressed it.`), latest first, and those since the last
    # quotation attributed: a person introduced so is who a "he" next goes on with.
    para = text.rfind("\n", 0, pos) + 1
    before = text[max(0, para - 2000) : para]
    prev_end = para - (len(before) - len(before.rstrip()))
    prev_para = text.rfind("\n", 0, prev_end) + 1 if prev_end < para else para
    # A quotation that opens its paragraph goes on from the paragraph before.
    scope = prev_para if not text[para:pos].strip(" \t\"“'‘") else para
    quote_end = art.resolved[-1][1] if art.resolved and art.resolved[-1][0] < pos else -1
    para_subjects: list[tuple[int, str]] = []
    since_quote: set[str] = set()
    verb_subjects: set[str] = set()
    for at, name in reversed(registry.mentions[max(0, k - 80) : k]):
        start = at - art.offset
        if start < art.body_start or pos - start > 4000:
            break
        if art.in_quotation(start):
            in_quotes += 1
            continue
        first = name not in last_seen
        if first:
            last_seen[name] = start
            order.append(name)
        if (first or start >= scope) and verb_subject(text, start, name):
            if first:
                verb_subjects.add(name)
            if start >= scope:
                para_subjects.append((start, name))
            if start >= quote_end:
                since_quote.add(name)
    resolved: list[str] = []
    for p, _, sp in reversed(art.resolved):
        if p < pos and sp.person and sp.name not in resolved:
            resolved.append(sp.name)
    events: list[str] = []
    i = bisect.bisect_left(art.events, (pos, "")) - 1
    while i >= 0 and len(events) < 3:
        at, mention = art.events[i]
        if mention.split()[0].lower() not in PRONOUNS:
            name = art.registry.resolve(mention, at + art.offset)[0]
            if name not in events:
                events.append(name)
        i -= 1
    subject = last_subject(art, pos, lambda sp: True)
    # Everyone who spoke before, directly or not, latest first: a pronoun most often carries
    # on the last source.
    said: list[tuple[int, str]] = [
        (p, sp.name) for p, _, sp in art.resolved if p < pos and sp.name.lower() not in PRONOUNS
    ]
    k = bisect.bisect_left(art.events, (pos, ""))
    for at, mention in art.events[max(0, k - 40) : k]:
        if mention.split()[0].lower() not in PRONOUNS:
            said.append((at, art.registry.resolve(mention, at + art.offset)[0]))
    said.sort(reverse=True)
    sources = list(dict.fromkeys(name for _, name in said))
    source_at = {name: at for at, name in reversed(said)}
    # The people named first in the paragraph (and in the one before): its topic.
    first_here = first_before = None
    k0 = bisect.bisect_left(registry.mentions, (prev_para + art.offset, ""))
    for at, name in registry.mentions[k0 : k0 + 60]:
        start = at - art.offset
        if start >= pos:
            break
        if art.in_quotation(start):
            continue
        if start >= para and first_here is None:
            first_here = name
        if prev_para <= start < para and first_before is None:
            first_before = name
    names = list(dict.fromkeys(
        ([rule.name] if rule is not None and rule.name.lower() not in PRONOUNS else [])
        + order[:MAX_CANDIDATES] + resolved[:3] + events[:3] + sources[:3]
    ))  # fmt: skip
    names = [n for n in names if not _opening_word(art, n)]
    # People the text names just before but the registry missed or folded away (`Obama also
    # addressed it`, `according to a post from Jo Roe`, `supported by Sen. Jo Roe, who said`):
    # capitalised names written since the paragraph before, outside quotations, latest first.
    scanned = _written_names(art, names, max(prev_para, pos - _SCAN_BACK), pos)
    names += scanned
    # A name the registry does not hold (one word without a title: "Bob", "Cruz") is still
    # written in the text: where it last stands outside quotations places it among the others.
    for name in names:
        if name not in last_seen:
            written = _last_written(art, name, pos)
            if written is not None:
                last_seen[name] = written
                order.insert(sum(1 for n in order if last_seen[n] > written), name)
                if verb_subject(text, written, name):
                    verb_subjects.add(name)
                    if written >= scope:
                        para_subjects.append((written, name))
                    if written >= quote_end:
                        since_quote.add(name)
    subjects_here = list(dict.fromkeys(name for _, name in sorted(para_subjects, reverse=True)))
    out: list[tuple[Speaker, dict[str, float]]] = []
    for name in names:
        known = registry.lookup(name)
        g = registry.gender(name)
        sure_g = (known.honorific if known is not None else None) or given_name_gender(name)
        if (
            (want is not None and sure_g not in (None, want))
            or not looks_like_person(name)
            or group_or_place(name)
        ):
            continue  # certain enough for a rule: "he" is not Mrs. Lund, nor Wells Fargo, nor Ohio
        f: dict[str, float] = {}
        f["rule"] = float(rule is not None and rule.name == name)
        rank = order.index(name) if name in order else MAX_CANDIDATES
        f["recency_rank"] = float(rank)
        f["recency_first"] = float(rank == 0)
        seen = last_seen.get(name)
        f["distance"] = math.log1p(pos - seen) if seen is not None else math.log1p(5000)
        f["unseen"] = float(seen is None)
        f["same_paragraph"] = float(seen is not None and same_paragraph(text, seen, pos))
        f["subject_place"] = float(seen is not None and subject_place(text, seen, name))
        f["last_subject"] = float(subject is not None and subject[1].name == name)
        r = resolved.index(name) if name in resolved else 4
        f["resolved_rank"] = float(r)
        f["resolved_last"] = float(r == 0)
        e = events.index(name) if name in events else 4
        f["event_rank"] = float(e)
        f["event_last"] = float(e == 0)
        src = sources.index(name) if name in sources else 4
        f["source_rank"] = float(min(src, 4))
        f["source_last"] = float(src == 0)
        f["source_count"] = math.log1p(sum(1 for _, n in said if n == name))
        at_src = source_at.get(name)
        f["source_distance"] = math.log1p(pos - at_src) if at_src is not None else math.log1p(5000)
        f["source_paragraph"] = float(at_src is not None and same_paragraph(text, at_src, pos))
        f["gender_clash"] = float(want is not None and g is not None and g != want)
        f["gender_agree"] = float(want is not None and g == want)
        f["gender_unknown"] = float(g is None)
        f["first_person"] = float(low == "i")
        f["first_person_resolved"] = f["first_person"] * f["resolved_last"]
        f["is_person"] = float(is_person(art, name))
        f["not_person"] = float(not_person(art, name))
        f["full_name"] = float(len(name.split()) > 1)
        f["titled"] = float(known is not None and bool(known.title))
        f["mentions"] = math.log1p(known.count if known is not None else 0)
        person, other = art.kinds.get(name, (0, 0))
        f["ner_person"] = math.log1p(person)
        f["ner_other"] = math.log1p(other)
        f["quoted_between"] = math.log1p(in_quotes)
        sentences = _sentence_ends(text, seen, pos) if seen is not None else 10
        f["sentences_back"] = math.log1p(sentences)
        f["same_sentence"] = float(sentences == 0)
        f["previous_sentence"] = float(sentences == 1)
        f["np_subject"] = float(seen is not None and np_subject(text, seen))
        f["np_subject_near"] = f["np_subject"] * float(sentences <= 1)
        f["modifier"] = float(seen is not None and _modifier(text, seen, name))
        f["given_name"] = float(given_name_gender(name) is not None)
        f["honorific"] = float(known is not None and known.honorific is not None)
        f["common_word"] = float(_common_word(art, name))
        f["single_word"] = float(len(name.split()) == 1)
        f["place_name"] = float(name.lower() in PLACE_NAMES)
        f["place_pair"] = float(
            seen is not None and _PLACE_PAIR.search(text, max(0, seen - 30), seen) is not None
        )
        f["heading"] = float(seen is not None and _in_heading(text, seen))
        f["common_any"] = float(_common_any(art, name))
        f["verb_subject"] = float(name in verb_subjects)
        ps = subjects_here.index(name) if name in subjects_here else 3
        f["para_subject_rank"] = float(ps)
        f["para_subject_last"] = float(ps == 0)
        f["subject_since_quote"] = float(name in since_quote)
        f["paragraph_first"] = float(name == first_here)
        f["paragraph_before_first"] = float(name == first_before)
        f["scanned"] = float(name in scanned)
        near = float(seen is not None and sentences <= 1 and name in verb_subjects)
        f["near_subject"] = near
        f["rule_near_subject"] = f["rule"] * near
        out.append((Speaker(name, pronoun, True, known.title if known else None), f))
    return out


# How far back, and how many, capitalised names are looked for (`_written_names`).
_SCAN_BACK = 800
_SCAN_MAX = 3
_NAME_RUN = re.compile(
    r"(?<![\w’'.-])(?:(?:Sen|Rep|Gov|Dr|Mr|Mrs|Ms|Gen|Prof)\.\s+)?"
    r"([A-Z][a-z]+(?:[-’'][A-Z][a-z]+)?(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+(?:[-’'][A-Z][a-z]+)?){0,2})"
)


def _written_names(art: Article, known: list[str], lo: int, hi: int) -> list[str]:
    """Up to `_SCAN_MAX` person-like capitalised names written between offsets `lo` and `hi`
    outside quotations, latest first, as the registry names them, that are not in `known`: one
    the registry knows, or with a given name or a title before it; a word that opens a
    sentence and is written lowercase elsewhere, a place, a group and a role word are none."""
    found: list[str] = []
    runs = list(_NAME_RUN.finditer(art.text, lo, hi))[-40:]
    for m in reversed(runs):
        if art.in_quotation(m.start(1)):
            continue
        title, bare_name = people.split_title(m.group(1))
        if not bare_name or people.is_title_word(bare_name.split()[0]):
            continue
        name = art.registry.resolve(bare_name)[0]
        # A person the registry knows, or one written with a given name or a title: not a
        # town ("a rally in Milwaukee") nor a state's abbreviation ("Huntsville, Ala.").
        if not (title or art.registry.lookup(name) or is_given_name(name.split()[0])):
            continue
        if (
            name in known
            or name in found
            or not looks_like_person(name)
            or group_or_place(name)
            or _opening_word(art, name)
            or _common_word(art, bare_name)
        ):
            continue
        found.append(name)
        if len(found) >= _SCAN_MAX:
            break
    return found


def _opening_word(art: Article, name: str) -> bool:
    """Whether a one-word candidate is a word that opened a sentence ("Cost estimates, he
    added", "Harsh words"), not a person: it is written lowercase elsewhere in the text, is no
    given name, and the registry does not know it with a title or an honorific."""
    if len(name.split()) != 1 or is_given_name(name) or not _common_word(art, name):
        return False
    known = art.registry.lookup(name)
    return known is None or not (known.title or known.honorific)


def _last_written(art: Article, name: str, pos: int, limit: int = 4000) -> int | None:
    """Where a name (or, failing that, its last word) is last written as a word before text
    offset `pos`, outside quotations and not more than `limit` characters back."""
    text = art.text
    lo = max(art.body_start, pos - limit)
    words = name.split()
    for word in dict.fromkeys([name, words[-1] if words else name]):
        at = pos
        for _ in range(20):  # bounded: a common word is not looked for through the article
            at = text.rfind(word, lo, at)
            if at < 0:
                break
            end = at + len(word)
            if (
                (at == 0 or not text[at - 1].isalnum())
                and (end >= len(text) or not text[end].isalnum())
                and not art.in_quotation(at)
            ):
                return at
    return None


# "Aurora, Colorado": a name after a capitalised word and a comma is a state or a country.
_PLACE_PAIR = re.compile(r"[A-Z][\w.]+,\s$")
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|\n")
_NP_BEFORE = re.compile(r"(?:^|[.!?:;—]|\n)[\"“”’'\s]*((?:[\w.’'-]+ ){0,5})$")


def _sentence_ends(text: str, a: int, b: int) -> int:
    """Sentence ends (and line breaks) between offsets `a` and `b`, at most 10 counted."""
    n = 0
    for _ in _SENTENCE_END.finditer(text, a, b):
        n += 1
        if n >= 10:
            break
    return n


# After a name, what makes it a clause's subject: its organisation and a party tag, appositions
# between commas (none to three, each tried: `Roe, who ran, said` and `Roe, a judge, won, he
# said` both end in a verb), an adverb or two, then a verb. An initial's full stop does not end
# an apposition.
_AFFILIATION = (
    # an organisation after the role or name (`a spokesman for the Harbor Board (HB) said`),
    # then a party tag or an abbreviation in brackets
    r"(?:\s+(?:for|of|at|from)\s+(?:the\s+)?[A-Z][\w’'.&-]*"
    r"(?:\s+(?:(?:and|of|for|the|&)\s+)?[A-Z][\w’'.&-]*){0,7})?"
    r"(?:\s*\([^()\n]{1,40}\))?"
)
_APPOSITION = r",(?:[^,.;:!?\"“”()\n]|(?<![A-Za-z])[A-Z]\.){2,90}"
_VERB_NEXT = (
    r"\s+(?:(?:[a-z]+ly|also|then|later|still|never|himself|herself|all but|just|again)\s+){0,2}"
    r"(?P<verb>[a-z]+)\b"
)
_AFTER_SUBJECT = tuple(
    re.compile(_AFFILIATION + (f"(?:{_APPOSITION}){{{n}}}," if n else "") + _VERB_NEXT)
    for n in range(4)
)
_AUXILIARIES = frozenset(
    "is was were are has had have will would could can did does do may might must should "
    "shall".split()
)
# Negated auxiliaries, as the verb pattern reads them before the apostrophe ("wasn't").
_NEGATED = frozenset("isn wasn weren aren hasn hadn haven didn doesn couldn wouldn shouldn".split())
# Past forms without "-ed" that news prose opens clauses with.
_IRREGULAR_PAST = frozenset(
    """took made went came gave told wrote spoke met led ran sent began saw thought felt kept
    held left won lost got put set brought paid found sat stood chose became knew drew fought
    grew hit meant read rose sought spent struck taught threw understood wore""".split()
)


def verb_subject(text: str, start: int, name: str) -> bool:
    """Whether the name mentioned at `start` is followed by a verb, as a clause's subject is
    (`Jo Roe, the mayor, said`, `Roe (D-Ohio) also addressed`, `Roe himself was`): not a
    possessive, not a modifier (`Roe supporters`)."""
    words = name.split()
    if not words:
        return False
    end = text.find(words[-1], start, start + 300)
    if end < 0:
        return False
    at = end + len(words[-1])
    for rx in _AFTER_SUBJECT:
        m = rx.match(text, at, at + 400)
        if m is None:
            continue
        verb = m.group("verb")
        if (
            verb in _AUXILIARIES
            or (verb in _NEGATED and text.startswith(("'t", "’t"), m.end("verb")))
            or verb in _IRREGULAR_PAST
            or verb in CUE_FORMS
            or (len(verb) > 4 and verb.endswith("ed"))
        ):
            return True
    return False


def np_subject(text: str, start: int) -> bool:
    """Whether a name at `start` heads a sentence's first noun phrase: only capitalised words
    and role words before it ("McConnell spokesman Don Stewart wouldn't say")."""
    m = _NP_BEFORE.search(text, max(0, start - 70), start)
    if m is None:
        return False
    return all(w[:1].isupper() or people.is_title_word(w) for w in m.group(1).split())


def _modifier(text: str, start: int, name: str) -> bool:
    """Whether a name at `start` only modifies the noun phrase after it: a possessive or a
    role word and another name follow ("McConnell spokesman Don Stewart", "Trump's aide")."""
    last = name.split()[-1] if name.split() else name
    end = text.find(last, start, start + 200)
    if end < 0:
        return False
    after = text[end + len(last) : end + len(last) + 40]
    if after.startswith(("'s", "’s", "'", "’")):
        return True
    words = after.split()[:3]
    return (
        len(words) >= 2
        and people.is_title_word(words[0])
        and words[0][:1].islower()
        and words[1][:1].isupper()
    )


def _common_word(art: Article, name: str) -> bool:
    """Whether the first word of a name is written lowercase elsewhere in the text: a word
    that opens a sentence ("Harsh", "Despite"), not a name."""
    first = name.split()[0] if name.split() else ""
    if len(first) < 3 or not first[:1].isupper() or not first[1:].islower():
        return False
    if art.lower_words is None:
        art.lower_words = frozenset(_LOWER_WORD.findall(art.text))
    return first.lower() in art.lower_words


def _common_any(art: Article, name: str) -> bool:
    """Whether a later word of a name is written lowercase elsewhere in the text ("Dad Killed
    Himself", "Values Americans Believe In"): words of a heading, not of a name."""
    if art.lower_words is None:
        art.lower_words = frozenset(_LOWER_WORD.findall(art.text))
    return any(
        len(w) >= 4 and w[1:].islower() and w.lower() in art.lower_words for w in name.split()[1:]
    )


def _in_heading(text: str, at: int) -> bool:
    """Whether offset `at` lies on a short line of capitalised words without a final full stop:
    a heading, whose capitalised words are seldom a person's name."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end >= 0 else len(text)].strip()
    words = [w for w in line.split() if w[:1].isalpha()]
    if not words or len(words) > 14 or line.endswith("."):
        return False
    return sum(w[:1].isupper() for w in words) >= 0.7 * len(words) and len(words) >= 3


_LOWER_WORD = re.compile(r"(?<![\w.’'-])[a-z][a-z]+\b")


@dataclass(frozen=True)
class Logistic:
    """A logistic regression: feature names, standardisation, weights, threshold."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Logistic:
        """The model from its JSON form (see `to_dict`)."""
        names = tuple(str(n) for n in data["names"])
        arrays = {k: np.asarray(data[k], dtype=float) for k in ("mean", "scale", "coef")}
        if any(a.shape != (len(names),) for a in arrays.values()):
            raise ValueError("speaker model: weights and feature names differ in length")
        return cls(
            names,
            arrays["mean"],
            arrays["scale"],
            arrays["coef"],
            float(data["intercept"]),
            float(data["threshold"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the model."""
        return {
            "names": list(self.names),
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef],
            "intercept": round(self.intercept, 6),
            "threshold": self.threshold,
        }

    def with_threshold(self, threshold: float) -> Logistic:
        """The same weights with another threshold."""
        return replace(self, threshold=threshold)

    def linear(self, matrix: np.ndarray) -> np.ndarray:
        """Each row's score before the logistic function."""
        return np.asarray(((matrix - self.mean) / self.scale) @ self.coef + self.intercept)

    def probability(self, matrix: np.ndarray) -> np.ndarray:
        """The chance each row is right."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.linear(matrix))))

    def choice(self, matrix: np.ndarray) -> np.ndarray:
        """For rows that are rival candidates for one place, the chance each is the one (a
        softmax over their scores: how a ranking model, see `fit_ranking`, is read)."""
        z = self.linear(matrix)
        p = np.exp(z - z.max())
        return np.asarray(p / p.sum())

    def score(self, feats: dict[str, float]) -> float:
        """The chance one row, given by feature name (a missing one is 0), is right."""
        row = np.array([[feats.get(n, 0.0) for n in self.names]], dtype=float)
        return float(self.probability(row)[0])


@dataclass(frozen=True)
class SpeakerModel:
    """The two learned parts: how sure an attribution is, and who a pronoun stands for."""

    sure: Logistic  # over `features`: the chance the rules' speaker is right
    pronoun: Logistic  # over `antecedents`: a ranking of the candidates (`fit_ranking`)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> SpeakerModel:
        """The model saved at `path` (the shipped one by default); ValueError if malformed."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(Logistic.from_dict(data["sure"]), Logistic.from_dict(data["pronoun"]))
        except (KeyError, TypeError, json.JSONDecodeError) as e:
            raise ValueError(f"speaker model {path} is malformed: {e}") from e

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of both parts."""
        return {"sure": self.sure.to_dict(), "pronoun": self.pronoun.to_dict()}

    def pick(
        self, candidates: list[tuple[Speaker, dict[str, float]]]
    ) -> tuple[Speaker | None, float]:
        """The likeliest candidate for a pronoun and its chance (None, 0 without candidates).

        A lone candidate has no rival to be confused with: its chance is given as 1.
        """
        if not candidates:
            return None, 0.0
        names = self.pronoun.names
        rows = np.array([[f.get(n, 0.0) for n in names] for _, f in candidates], dtype=float)
        chances = self.pronoun.choice(rows.reshape(len(candidates), len(names)))
        best = max(range(len(chances)), key=lambda i: (chances[i], -i))
        return candidates[best][0], float(chances[best])


def _standardisation(x: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Each feature's mean and spread over the rows of `x` (spread 1 where a feature is
    constant, and for no rows at all), to fit on standardised features."""
    mean = x.mean(axis=0) if len(x) else np.zeros(width)
    scale = x.std(axis=0) if len(x) else np.ones(width)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def fit(
    names: tuple[str, ...],
    matrix: np.ndarray,
    labels: np.ndarray,
    penalty: float = 1.0,
    threshold: float = 0.5,
    steps: int = 50,
) -> Logistic:
    """A logistic regression fitted by Newton's method with an L2 `penalty` on the
    standardised features: deterministic, numpy only (training and the test use it)."""
    x = np.asarray(matrix, dtype=float)
    y = np.asarray(labels, dtype=float)
    mean, scale = _standardisation(x, len(names))
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], penalty)
    reg[-1] = 0.0  # the intercept is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return Logistic(names, mean, scale, w[:-1], float(w[-1]), threshold)


def fit_ranking(
    names: tuple[str, ...],
    matrix: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    penalty: float = 1.0,
    threshold: float = 0.5,
    steps: int = 50,
) -> Logistic:
    """A ranking model (conditional logit): rows sharing a `groups` value are rival candidates
    for one place, and the weights make the right ones (label 1) likeliest among their rivals,
    read with `Logistic.choice`. Fitted by Newton's method with an L2 `penalty` on the
    standardised features; groups without a right candidate or a rival teach nothing and are
    left out. Deterministic, numpy only."""
    x = np.asarray(matrix, dtype=float)
    y = np.asarray(labels, dtype=float)
    mean, scale = _standardisation(x, len(names))
    z = (x - mean) / scale
    # Each group's rows, in order of first appearance, found in one pass over the groups.
    members: dict[object, list[int]] = {}
    for row, g in enumerate(np.asarray(groups).tolist()):
        members.setdefault(g, []).append(row)
    sets = []
    for group_rows in members.values():
        rows = np.array(group_rows)
        if len(rows) > 1 and (y[rows] == 1).any():
            target = (y[rows] == 1).astype(float)
            sets.append((z[rows], target / target.sum()))
    w = np.zeros(len(names))
    for _ in range(steps):
        grad = penalty * w
        hess = penalty * np.eye(len(w)) + 1e-9 * np.eye(len(w))
        for zg, tg in sets:
            s = zg @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad = grad + zg.T @ (p - tg)
            mu = p @ zg
            hess = hess + (zg * p[:, None]).T @ zg - np.outer(mu, mu)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return Logistic(names, mean, scale, w, 0.0, threshold)
