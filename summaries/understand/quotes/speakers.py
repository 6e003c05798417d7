"""The speaker a parsed token names: a person resolved to the article's fullest name, a
pronoun to its antecedent, anything else to its noun phrase."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from summaries.understand import people
from summaries.understand.quotes.article import Article, Speaker
from summaries.understand.quotes.cues import nominal
from summaries.understand.quotes.focus import is_person, resolve_pronoun
from summaries.understand.quotes.frames import PLACEHOLDER, Frame
from summaries.understand.quotes.persons import looks_like_person
from summaries.understand.quotes.words import NON_PERSON_ENTS, NP_LEFT, SUBJECTS

if TYPE_CHECKING:
    from spacy.tokens import Token


def speaker(art: Article, tok: Token, frame: Frame, pos: int) -> Speaker | None:
    """The speaker a subject token names, resolved to a canonical form; `pos` is the text
    offset of the quotation."""
    doc = tok.doc
    if tok.pos_ == "PRON":
        # An antecedent must come before the pronoun itself, not just before the quote:
        # in `He called Burma a "..."` Burma is no candidate for "he".
        pos = _text_pos(art, tok, frame, pos)
        if tok.lower_ in ("he", "she", "it", "they"):
            near = _antecedent(art, tok, frame, pos)
            if near is not None:
                return Speaker(near.name, tok.text, near.person, near.title)
        return resolve_pronoun(art, tok.text, pos)
    # "former Gov. and party Chairman Ed Rendell": two titles of one person, whose name the
    # parse hung on the second as a conjunct of the first.
    if tok.pos_ == "PROPN" and tok.text[:1].isupper() and people.is_title_word(tok.text):
        named = [
            c for c in tok.rights
            if c.dep_ == "conj" and c.pos_ == "PROPN" and c.ent_type_ == "PERSON"
            and frame.quote_at(c.idx) is None
        ]  # fmt: skip
        if named:
            tok = named[0]
    # "Another critic, Laura Stein, likened ...": the apposed name is the speaker.
    if tok.pos_ == "NOUN" or nominal(tok):
        named = [c for c in tok.rights if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if named and frame.quote_at(named[0].idx) is None:
            tok = named[0]
        else:
            tok = _name_set_off(tok, frame) or tok
    left = tok.i
    for c in tok.lefts:
        if c.dep_ in NP_LEFT:
            left = min(left, c.left_edge.i)
    right = tok.i
    for c in tok.rights:
        if c.dep_ in ("compound", "flat") and c.i == right + 1:
            right = c.i
    if nominal(tok):
        # `one of those advisers`, `the 46-year-old`: the phrase says who, the word alone not.
        if tok.pos_ == "ADJ":
            left = min(left, tok.left_edge.i)
        of = [o for c in tok.rights if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
        right = of[0].i if of and tok.pos_ == "NUM" else right
    while left < tok.i and frame.quote_at(doc[left].idx) is not None:
        left += 1
    span = doc[left : right + 1]
    mention = span.text.strip(" ,\"'“”")
    mention = re.sub(r"['’]s$", "", mention)
    # "Even Mike Pence said": a focusing word before a name is not part of it.
    parts = mention.split()
    while (
        len(parts) > 1
        and parts[0].lower() not in ("the", "a", "an")
        and people.not_a_name(parts[0])
        and parts[1][:1].isupper()
    ):
        parts.pop(0)
    mention = " ".join(parts)
    if not mention or _in_dateline(frame, tok):
        return None
    appos = [c for c in tok.rights if c.dep_ == "appos"]
    title = None
    if appos:
        a = appos[0]
        skip = {t.i for c in a.rights if c.dep_ in ("relcl", "acl") for t in c.subtree}
        words = [t for t in a.subtree if t.i not in skip]
        title = doc[words[0].i : words[-1].i + 1].text.strip(" ,") if words else None
    ents = {t.ent_type_ for t in span if t.ent_type_}
    registry = art.registry
    name_part = people.split_title(mention)[1]
    known = registry.lookup(name_part) if name_part else None
    person = "PERSON" in ents or (known is not None and len(known.name.split()) > 1)
    person = person and looks_like_person(known.name if known else mention)
    if not person and tok.pos_ == "PROPN" and not (ents & NON_PERSON_ENTS):
        person = bool(name_part)
    if not person and tok.pos_ == "NOUN" and people.is_title_word(tok.text):
        found = registry.with_title(tok.text, pos + art.offset)
        if found is not None:
            return Speaker(found, mention, True, registry.resolve(found)[1])
    if known is None and "PERSON" not in ents:
        # "the former mayor", "the 46-year-old": the one person the text described so before.
        found_p = registry.described(mention, _text_pos(art, tok, frame, pos) + art.offset)
        if found_p is not None:
            return Speaker(found_p.name, mention, True, mention)
    if person:
        name, reg_title = registry.resolve(mention, _text_pos(art, tok, frame, pos) + art.offset)
        return Speaker(name, mention, True, title or reg_title)
    np = mention
    if np.split()[0] in ("The", "A", "An") and len(np.split()) > 1:
        np = np[0].lower() + np[1:]
    return Speaker(np, mention, False, title)


_SET_OFF = frozenset({",", "--", "—", "–", "as"})


def _name_set_off(head: Token, frame: Frame) -> Token | None:
    """A person's name set off inside a description's phrase, which the parse did not hang on
    it as an apposition: `The editor I spoke to, Jo Roe, said`, `the chief, known as Bob,`.

    The name is a PERSON entity opening after a comma, a dash or "as" and closing before one
    (or where the phrase ends); its last word stands for the speaker. A name after another
    word ("the lawyer for Jo Roe", "the aide who hired Jo Roe") is someone else."""
    doc = head.doc
    right = max(t.i for t in head.subtree)
    for ent in doc.ents:
        if ent.start <= head.i or ent.end - 1 > right or ent.label_ != "PERSON":
            continue
        if not (ent.text[:1].isupper() and doc[ent.end - 1].pos_ == "PROPN"):
            continue
        if doc[ent.start - 1].lower_ not in _SET_OFF or frame.quote_at(ent.start_char) is not None:
            continue
        after = doc[ent.end] if ent.end < len(doc) else None
        if after is None or ent.end - 1 == right or after.text in _SET_OFF - {"as"}:
            return doc[ent.end - 1]
    return None


# A dateline opening a story: "WASHINGTON —", "OSLO (Reuters) --", "LA CROSSE, Wis. (AP) —",
# "PARIS, July 25 (UPI) —", and a place in ordinary case before an agency: "Washington (AFP) –".
_DATELINE = re.compile(
    r"\s*(?:(?P<place>[A-Z][A-Z.'’ ]{0,40}[A-Z.](?:,\s*[A-Z][\w.]{0,15}(?:\s[A-Z][\w.]{0,15})?)?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s\d{1,2}(?:,\s*\d{4})?)?"  # "PARIS, July 25 (UPI) —"
    r"\s*(?:\([^()]{0,40}\)\s*)?"
    r"|(?P<titled>[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}(?:,\s*[A-Z][\w.]{0,15})?)"
    r"\s*\([A-Z][A-Za-z]{1,10}\)\s*)"
    r"(?:--|[—–-])\s"
)


def _in_dateline(frame: Frame, tok: Token) -> bool:
    """Whether a token lies in the dateline opening its frame: a place, never a speaker."""
    m = _DATELINE.match(frame.text)
    return m is not None and tok.idx < m.end("place" if m.group("place") else "titled")


def _antecedent(art: Article, pron: Token, frame: Frame, pos: int) -> Speaker | None:
    """The subject of a clause above a pronoun in its own sentence, when it agrees:
    `Ban condemned what he called "Q"` -> Ban."""
    low = pron.lower_
    node = pron.head
    for _ in range(8):
        subj = [
            c for c in node.children
            if c.dep_ in SUBJECTS and c.i < pron.i and c.pos_ in ("PROPN", "NOUN")
            and frame.quote_at(c.idx) is None and c.text != PLACEHOLDER
        ]  # fmt: skip
        if subj:
            sp = speaker(art, subj[0], frame, pos)
            if sp is None:
                return None
            if low in ("he", "she"):
                g = art.registry.gender(sp.name)
                agree = sp.person and is_person(art, sp.name)
                agree = agree and (g is None or g == ("m" if low == "he" else "f"))
            else:
                agree = not sp.person
            return sp if agree else None
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _text_pos(art: Article, tok: Token, frame: Frame, pos: int) -> int:
    """Offset in the text of a token standing before the frame's first quotation, else `pos`.

    Before the first quotation the frame text differs from the text only by squeezed
    whitespace, so the token is the first occurrence of its word from its frame offset on.
    """
    if not frame.quotes or tok.idx >= frame.quotes[0][0]:
        return pos
    approx = frame.start + tok.idx
    m = re.compile(rf"\b{re.escape(tok.text)}\b").search(art.text, approx, pos)
    return m.start() if m else pos
