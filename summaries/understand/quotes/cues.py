"""Speech cues in a parsed frame: the verbs that attribute a quotation, and their subjects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summaries.understand.quotes.frames import PLACEHOLDER, Frame
from summaries.understand.quotes.words import (
    CAUSING_FORMS,
    CUE_FORMS,
    DOCUMENT_NOUNS,
    INDEFINITE,
    NAMING_VERBS,
    OWN_CLAUSE,
    PERSON_PRONOUNS,
    RELATIVE,
    SPEECH_NOUNS,
    SUBJECTS,
    SUBORDINATORS,
    TELL_FORMS,
    WHEN_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class Cue:
    """A speech cue near a quotation: the cue as written and the token naming its speaker."""

    verb: str
    speaker_token: Token | None
    char: int  # frame offset of the cue word
    subordinate: bool = False  # in a "when/because/after ..." clause: about, not of, the quote


def find_cues(frame: Frame, qi: int) -> list[Cue]:
    """Speech cues in a frame outside quotations, nearest quotation `qi` first."""
    doc = frame.doc
    if doc is None:
        return []
    mine = [(fs, fe) for fs, fe, q in frame.quotes if q == qi]
    cues: list[Cue] = []
    for tok in doc:
        if frame.quote_at(tok.idx) is not None:
            continue
        low = tok.lower_
        if _is_cue_verb(tok):
            sub = any(
                c.dep_ in ("mark", "advmod") and c.lower_ in SUBORDINATORS for c in tok.children
            )
            cues.append(Cue(cue_text(tok, frame), subject(tok, frame), tok.idx, sub))
        elif low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            objs = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            source = _work_by(objs[0], frame) if objs else None
            cues.append(Cue("according to", source or (objs[0] if objs else None), tok.idx))
    if not mine:
        return cues
    a, b = mine[0][0], mine[-1][1]

    def distance(c: Cue) -> int:
        d = a - c.char if c.char < a else max(0, c.char - b)
        # Another quotation between the cue and ours: it is that one's cue.
        between = [
            q for fs, fe, q in frame.quotes if q != qi and min(a, c.char) < fs < max(b, c.char)
        ]
        # `"Q," when Baker mocked her`: a later clause about the words, not their source.
        later = c.subordinate and c.char > b
        return d + (10_000 if between else 0) + (5_000 if later else 0)

    return sorted(cues, key=distance)


# How the content of a speech noun hangs on it: a clause (`claim that …`), an apposition, the
# words themselves (`his "Q" promise`) or "of" (`his assertion of "Q"`); another preposition
# (`denounced his remarks as "Q"`) says something of the words, not what they were.
_CONTENT_DEPS = frozenset(
    {"acl", "relcl", "ccomp", "appos", "dobj", "compound", "amod", "attr", "nmod", "dep"}
)


def governing(frame: Frame, qi: int) -> Cue | None:
    """The outermost speech verb whose clause holds quotation `qi`, with its speaker.

    In `Flynn said Trump was "right"` the words are Flynn's: the speaker is the subject of
    the highest speech verb above the quotation in the parse, not of the clause inside it.
    """
    doc = frame.doc
    if doc is None:
        return None
    mine = [(fs, fe) for fs, fe, q in frame.quotes if q == qi]
    toks = [t for t in doc if any(fs <= t.idx < fe for fs, fe in mine)]
    if not toks:
        return None
    # The quotation's own top token: the one whose head lies outside it.
    inside = {t.i for t in toks}
    tops = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    found: Cue | None = None
    thing_found: Cue | None = None
    supposed: Token | None = None  # the first speech verb of words not (yet) said
    own = False
    for top in tops[:2]:
        node = top
        other = False  # the climb went through another quotation's words
        for _ in range(12):
            if node.head.i == node.i:
                break
            # Coordinated, relative and noun-attached clauses are speech of their own:
            # above a speech verb already found, they end the climb.
            if found is not None and own and (node.dep_ in OWN_CLAUSE or _subordinate(node)):
                if not _thing(found) or thing_found is not None:
                    break
                # `He said he had seen schools that reminded him of "Q"`: a thing's verb
                # inside a person's speech; the person above, if any, says the words.
                thing_found, found = found, None
            below, node = node, node.head
            at = frame.quote_at(node.idx)
            if at is not None:
                other = other or at != qi
                continue
            if (
                found is None
                and not other
                and node.pos_ == "NOUN"
                and node.lower_ in SPEECH_NOUNS
                and (below.dep_ in _CONTENT_DEPS or below.lower_ == "of")
            ):
                # `Trump's claim that there were "Q"`: the claim's owner says the words (not
                # in `denounced Trump's remarks as "Q"`, where they are said of the remarks,
                # nor where they hang on another quotation's words: `called Roe's "claim of
                # right" over it "absurd"`).
                owner = [
                    c for c in node.children
                    if c.dep_ == "poss" and c.pos_ == "PROPN" and frame.quote_at(c.idx) is None
                ]  # fmt: skip
                if owner:
                    return Cue(node.text, owner[0], node.idx)
                owned_by = _own_subject(node, frame)
                if owned_by is not None:
                    return Cue(node.text, owned_by, node.idx)
            if found is None and not other and below.dep_ in _CONTENT_DEPS:
                # `Jo Roe's statement read: "Q"`, `a message from Jo Roe said: "Q"`: the
                # words are those of whoever owns what says them.
                owns = _speech_owner(node, frame)
                if owns is not None:
                    return Cue(owns[1].text, owns[0], owns[1].idx)
            if _is_cue_verb(node) and found is None and _supposed(node):
                # `she expects Tom Hale to announce an "overhaul"`, `the press would call him
                # a "coward"`: speech only expected or supposed tells whose words these are
                # not; who reports it, above or after "according to", says them.
                supposed = supposed or node
                continue
            if _is_cue_verb(node):
                outer = _participle_subject(node, frame)
                if outer is not None:
                    return Cue(cue_text(node, frame), outer, node.idx)
                subj = subject(node, frame)
                # A subject whose phrase holds the quotation is a misparse of the sentence
                # (`as Roe claimed that "Q," one of the judges said …`), not its speaker.
                if subj is not None and not inside & {t.i for t in subj.subtree}:
                    found = Cue(cue_text(node, frame), subj, node.idx)
                    # A subject borrowed from another verb may be a misparse: go on.
                    own = any(c.dep_ in SUBJECTS for c in node.children)
        if found is not None and (thing_found is None or _person_token(found.speaker_token)):
            return found
        if thing_found is not None:
            return thing_found
    if supposed is not None:
        source = _according_to(supposed, frame)
        if source is not None:
            return Cue("according to", source, source.idx)
        subj = subject(supposed, frame)
        if subj is not None and not inside & {t.i for t in subj.subtree}:
            return Cue(cue_text(supposed, frame), subj, supposed.idx)
    return None


# Auxiliaries of speech not (yet) made: wished, expected, conditional or future.
_SUPPOSING = frozenset("to will would 'll 'd wo could might may shall should must".split())


def _supposed(verb: Token) -> bool:
    """Whether a speech verb tells of words only expected or supposed (`to announce`, `would
    call`, `will say`), not of words said."""
    return any(c.dep_ == "aux" and c.lower_ in _SUPPOSING for c in verb.children)


def _according_to(verb: Token, frame: Frame) -> Token | None:
    """The source after "according to" on a verb or the verbs above it, outside quotations."""
    for node in (verb, *verb.ancestors):
        for c in node.children:
            if c.lower_ != "according" or c.i + 1 >= len(c.doc) or c.nbor().lower_ != "to":
                continue
            objs = [o for o in c.nbor().children if o.dep_ == "pobj"]
            if objs and frame.quote_at(objs[0].idx) is None:
                return objs[0]
    return None


# Verbs whose subject produces the speech noun that is their object (`Roe made a comment`,
# `issued a statement`), unlike `Roe rejected the claim: "Q"`.
_PRODUCING = frozenset(
    f"{stem}{end}"
    for stem, ends in (
        ("make", ("", "s")), ("made", ("",)), ("making", ("",)),
        ("issue", ("", "s", "d")), ("release", ("", "s", "d")), ("post", ("", "s", "ed")),
        ("give", ("", "s", "n")), ("gave", ("",)), ("send", ("", "s")), ("sent", ("",)),
        ("publish", ("", "es", "ed")), ("offer", ("", "s", "ed")),
        ("deliver", ("", "s", "ed")), ("write", ("", "s")), ("wrote", ("",)),
        ("share", ("", "s", "d")), ("provide", ("", "s", "d")), ("pen", ("", "s", "ned")),
    )
    for end in ends
)  # fmt: skip


# Verbs by which a text gives its words (`the statement read: "Q"`, `the note went: "Q"`).
_READS = frozenset("read reads went goes ran runs".split())


def _speech_owner(verb: Token, frame: Frame) -> tuple[Token, Token] | None:
    """Who says the words a quotation under `verb` gives, and the speech or document noun
    that names them: the subject of a verb producing the noun (`Jo Roe made the following
    comment`), or the owner of the noun that is the subject of a speech verb, a name's or a
    noun's possessive (`Jo Roe's statement read`, `the union's message said`) or the name
    after "from" or "by" (`a statement from Jo Roe read`). None otherwise (`his statement`
    is left to the pronoun's reading; `the statement` has no owner)."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    # `Jo Roe made the following comment: "Q"`, `… issued this statement: "Q"`: who makes,
    # issues or posts the words says them.
    made = [
        c for c in verb.children if c.dep_ == "dobj" and c.lower_ in SPEECH_NOUNS | DOCUMENT_NOUNS
    ]
    made = made if verb.lower_ in _PRODUCING else []
    if made:
        subj = [c for c in verb.children if c.dep_ == "nsubj" and frame.quote_at(c.idx) is None]
        if subj and subj[0].text != PLACEHOLDER and subj[0].lower_ not in RELATIVE:
            return subj[0], made[0]
    if not _is_cue_verb(verb) and verb.lower_ not in _READS:
        return None  # `Roe's tweets are "lies"`: said of the words, not by them
    if verb.tag_ in ("VBG", "VBN"):
        return None  # `Roe said Berg's tweet saying … meant "Q"`: the clause tells of it
    for noun in verb.children:
        if noun.dep_ not in ("nsubj", "nsubjpass") or noun.pos_ != "NOUN":
            continue
        if noun.lower_ not in SPEECH_NOUNS | DOCUMENT_NOUNS:
            return None
        for c in noun.children:
            if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN"):
                owner = c
            elif c.dep_ == "prep" and c.lower_ in ("from", "by"):
                objs = [o for o in c.children if o.dep_ == "pobj" and o.pos_ == "PROPN"]
                if not objs:
                    continue
                owner = objs[0]
            else:
                continue
            if frame.quote_at(owner.idx) is None and owner.text != PLACEHOLDER:
                return owner, noun
        return None
    return None


def _own_subject(noun: Token, frame: Frame) -> Token | None:
    """The subject a speech noun's possessive pronoun stands for, in the clause that holds
    the noun: `Roe stood by his comment that "Q"` -> Roe, `the letter was mocked for its
    claim that "Q"` -> letter. "his" and "her" stand for a name only; None when no pronoun
    owns the noun or no subject is found within two verbs above it."""
    poss = [c for c in noun.children if c.dep_ == "poss" and c.lower_ in _OWNER_PRONOUNS]
    if not poss:
        return None
    kinds = ("PROPN",) if poss[0].lower_ in ("his", "her") else ("PROPN", "NOUN")
    node = noun
    verbs = 0
    for _ in range(6):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ not in ("VERB", "AUX"):
            continue
        subj = [
            c for c in node.children
            if c.dep_ in SUBJECTS and c.i < noun.i and frame.quote_at(c.idx) is None
        ]  # fmt: skip
        if subj:
            return subj[0] if subj[0].pos_ in kinds and subj[0].text != PLACEHOLDER else None
        verbs += 1
        if verbs == 2:
            return None
    return None


_OWNER_PRONOUNS = frozenset({"his", "her", "its", "their"})


def _thing(cue: Cue) -> bool:
    """Whether a cue's speaker is a common noun naming no person (`schools`, `the group`)."""
    tok = cue.speaker_token
    return (
        tok is not None
        and tok.pos_ == "NOUN"
        and tok.ent_type_ != "PERSON"
        and tok.text.islower()  # `Trump calling it a "Q"` with Trump parsed as a noun: a name
    )


def _person_token(tok: Token | None) -> bool:
    """Whether a speaker token is a person's name or a person's pronoun."""
    return tok is not None and (
        tok.lower_ in PERSON_PRONOUNS or (tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON")
    )


def _subordinate(verb: Token) -> bool:
    """Whether a verb heads a clause of time, cause or contrast (`After Jo Roe said "Q", Tom
    Berg said …`): speech there is the clause's own, not the main clause's. An "as" clause is
    one when it holds a clause of its own (`even as Jo Roe claimed that "Q", Tom Berg said`),
    not when it only attributes (`As Jo Roe put it, "Q"`)."""
    content = any(c.dep_ == "ccomp" for c in verb.children)
    return verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in SUBORDINATORS and (c.lower_ != "as" or content)
        for c in verb.children
    )


def subject(verb: Token, frame: Frame) -> Token | None:
    """The speaker token of a cue verb, outside any quotation."""

    def ok(t: Token) -> bool:
        return (
            frame.quote_at(t.idx) is None
            and (t.pos_ in ("PROPN", "NOUN", "PRON", "X") or nominal(t))
            # "said early Friday": when, not who ("said the 46-year-old" is an age's owner)
            and (t.ent_type_ not in ("DATE", "TIME") or (t.pos_ == "ADJ" and nominal(t)))
            and t.lower_ not in WHEN_WORDS
        )

    node: Token | None = verb
    doc = verb.doc
    for step in range(3):
        if node is None:
            break
        # `This has been called "Q" by Jo Roe`, `Roe was asked by Tom Berg whether …`: in
        # the passive the one speaking is the speech verb's agent, not its subject (only the
        # cue's own: in `Roe was joined by Berg and joked, "Q"` Berg joins, Roe jokes).
        agent = [
            o for c in node.children if c.dep_ == "agent" and step == 0
            for o in c.children if o.dep_ == "pobj" and ok(o)
        ]  # fmt: skip
        if agent:
            return agent[0]
        # `hours after the aide was charged`, `the book is described as "Q"`: the subject
        # of a speech verb in the passive is who or what is spoken to or of, never who speaks.
        subj = [
            c for c in node.children
            if c.dep_ in SUBJECTS and ok(c) and not (step == 0 and c.dep_ == "nsubjpass")
        ]  # fmt: skip
        if len(subj) > 1:
            # `In Salem, New Hampshire, Roe went after Berg`: a place set off before the
            # subject, parsed as a second subject, is where, not who. `Add a storm to a "Q"
            # and people panic, said Jo Roe`: the name after ", said" is who says it.
            at = node.i
            comma = at > 0 and doc[at - 1].text == ","
            subj.sort(
                key=lambda c: (
                    c.ent_type_ in ("GPE", "LOC"),
                    not (comma and c.i > at and c.pos_ == "PROPN"),
                )
            )
        if step == 0:
            # `"Q," said Victor Cha` beside a subject the parse took from before the
            # quotation: the name right after the verb is the one saying it.
            before = verb.i - 1
            while before >= 0 and doc[before].pos_ == "PUNCT":
                before -= 1
            after_verb = [c for c in subj if c.i > verb.i and c.pos_ == "PROPN"]
            if after_verb and before >= 0 and frame.quote_at(doc[before].idx) is not None:
                return after_verb[0]
            if not subj:
                # `"Q" the Times wrote`: the quotation parsed as subject, its source
                # as a noun set beside it.
                for c in node.children:
                    if c.dep_ in SUBJECTS and frame.quote_at(c.idx) is not None:
                        subj = [
                            a for a in c.children
                            if a.dep_ == "appos" and ok(a) and not nominal(a)
                        ]  # fmt: skip
        if subj and subj[0].lower_ in RELATIVE:
            if node.dep_ == "relcl":
                head = _named(node.head)
                if head.lower_ in INDEFINITE or not ok(head):
                    return None
                # `Roe released a video that said "Q"`: who sent the words says them.
                return _sender(head, ok) or head
            # "the Police Department which reported": the noun the pronoun stands for.
            prev = doc[subj[0].i - 1] if subj[0].i > 0 else None
            if prev is not None and prev.pos_ in ("PROPN", "NOUN") and ok(prev):
                return _sender(prev, ok) or prev
            return None
        if subj:
            near = _adjacent_name(verb, frame)
            if near is None and subj[0].pos_ == "NOUN":
                # `A former candidate -- Jo Roe, who lost in 2008 -- said`: a description and
                # a name set off after it, parsed as two subjects, are one person, named.
                near = next((c for c in subj[1:] if _set_off_name(c)), None)
            if near is not None and subj[0].pos_ == "NOUN":
                return near
            # `an email sent out by Jo Roe warned`: who sent it says its words.
            return _sent_by(subj[0], ok) or subj[0]
        if node.dep_ == "relcl" and ok(node.head):
            return _named(node.head)
        if node.dep_ == "acl" and node.head.pos_ == "PROPN" and ok(node.head):
            return node.head  # "footage of Smith saying ..."
        if node.dep_ == "acl" and node.tag_ == "VBG":
            near = _adjacent_name(node, frame)  # "footage of Smith saying", hung on footage
            if near is not None and near.pos_ == "PROPN":
                return near
            # `Roe issued a statement saying …`: who sent the words says them.
            sender = _sender(node.head, ok)
            if sender is not None:
                return sender
        if node.dep_ == "xcomp" and node.head.lower_ in CAUSING_FORMS:
            # `That prompted Jo Roe to call him "Q"`: the person made to speak speaks (not a
            # thing: `led the ad to say` is the ad's maker's). Who is required, urged or
            # expected to say something has not said it: `requires staffers to promise "Q"`
            # gives the words of whoever requires it.
            objs = [
                c for c in node.head.children
                if c.dep_ == "dobj" and c.i < node.i and ok(c) and _people_token(c)
            ]  # fmt: skip
            if objs:
                return objs[0]
        node = node.head if node.dep_ in ("conj", "xcomp", "advcl", "ccomp") else None
    after = [
        c
        for c in verb.rights
        if c.dep_ in ("dobj", "attr", "npadvmod", "dep", "appos", "oprd") and ok(c)
        and c.pos_ != "PRON"
    ]  # fmt: skip
    # `"Q," said Jo Roe` parsed with the name as object: the name after an inverted verb. A
    # verb that names or describes someone takes them as object (`described Roe as "Q"`).
    if (
        after
        and verb.lower_ not in TELL_FORMS
        and verb.lower_ not in ("asked", "ask")
        and verb.lower_ not in NAMING_VERBS
        and not verb.lower_.startswith("describ")
        and _after_quotation(verb, frame)
    ):
        return after[0]
    return None


def nominal(tok: Token) -> bool:
    """Whether a number or an adjective stands for someone as a noun would: `said one of the
    aides`, `said the 46-year-old` (a subject with its determiner)."""
    if tok.pos_ == "NUM":
        return any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
    return (
        tok.pos_ == "ADJ"
        and tok.dep_ in SUBJECTS
        and any(c.dep_ == "det" and c.i < tok.i for c in tok.children)
    )


# Endings of plural nouns for people (`staffers`, `editors`, `activists`, `politicians`).
_PEOPLE_ENDINGS = ("ers", "ors", "ists", "ians")


def _people_token(tok: Token) -> bool:
    """Whether a noun token names someone: a proper name, or a plural noun for people."""
    if tok.pos_ == "PROPN":
        return tok.ent_type_ not in ("GPE", "LOC", "DATE", "TIME")
    return tok.pos_ == "NOUN" and tok.lower_.endswith(_PEOPLE_ENDINGS)


def _sender(held: Token, ok: Callable[[Token], bool]) -> Token | None:
    """Who sent a statement, a video, a letter that carries words: the subject of the verb
    whose object it is (`Roe issued a statement saying …`, `Roe released a video that said
    …`), else None."""
    if not (
        held.dep_ == "dobj"
        and held.lower_ in SPEECH_NOUNS | DOCUMENT_NOUNS
        and held.head.pos_ == "VERB"
    ):
        return None
    sender = [c for c in held.head.children if c.dep_ == "nsubj" and ok(c)]
    return sender[0] if sender and sender[0].lower_ not in RELATIVE else None


def _sent_by(doc_noun: Token, ok: Callable[[Token], bool]) -> Token | None:
    """The name after "by" in a document's participle (`an email sent by Jo Roe`, `a letter
    signed by Jo Roe`), for a subject that is a document; else None."""
    if doc_noun.pos_ != "NOUN" or doc_noun.lower_ not in DOCUMENT_NOUNS:
        return None
    for c in doc_noun.children:
        if c.dep_ == "acl" and c.tag_ == "VBN":
            for agent in c.children:
                if agent.dep_ == "agent":
                    by = [o for o in agent.children if o.dep_ == "pobj" and o.pos_ == "PROPN"]
                    if by and ok(by[0]):
                        return by[0]
    return None


def _work_by(noun: Token, frame: Frame) -> Token | None:
    """Whose work a common noun after "according to" is: the name after "by" or "from"
    (`according to calculations by Jo Roe`, `a statement from Jo Roe`, `a report released by
    the Budget Office`) or before it as its owner (`the Budget Office's report`); None for a
    noun of nobody's (`according to the report`) or not a common noun (`according to Roe`)."""
    if noun.pos_ != "NOUN":
        return None
    for c in noun.children:
        named: Token | None = None
        if c.dep_ == "poss" and c.pos_ == "PROPN":
            named = c
        elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
            named = next((o for o in c.children if o.dep_ == "pobj"), None)
        elif c.dep_ == "acl" and c.tag_ == "VBN":
            agents = [a for a in c.children if a.dep_ == "agent"]
            named = next((o for a in agents for o in a.children if o.dep_ == "pobj"), None)
        else:
            continue
        if named is not None and named.pos_ == "PROPN" and frame.quote_at(named.idx) is None:
            return named
    return None


def _named(head: Token) -> Token:
    """The name a relative clause's noun stands beside: in `said Jo Roe, the group's chief
    strategist, who added …` the clause hangs on the description apposed to the name, and
    the one adding is Jo Roe."""
    if head.dep_ == "appos" and head.pos_ == "NOUN" and head.head.pos_ == "PROPN":
        return head.head
    return head


def _set_off_name(tok: Token) -> bool:
    """Whether a subject token is a person's name opening after a dash or a comma."""
    first = min(t.i for t in tok.subtree) if tok.pos_ == "PROPN" else tok.i
    doc = tok.doc
    return (
        tok.pos_ == "PROPN"
        and tok.ent_type_ == "PERSON"
        and first > 0
        and doc[first - 1].text in (",", "--", "—", "–")
    )


def _after_quotation(verb: Token, frame: Frame) -> bool:
    """Whether a verb follows a quotation, punctuation aside (`"Q," said …`): only there does a
    speech verb put its speaker after it."""
    doc = verb.doc
    before = verb.i - 1
    while before >= 0 and doc[before].pos_ == "PUNCT" and frame.quote_at(doc[before].idx) is None:
        before -= 1
    return before >= 0 and frame.quote_at(doc[before].idx) is not None


def cue_text(tok: Token, frame: Frame) -> str:
    """The cue as written: "said", "told reporters"."""
    if tok.lower_ in TELL_FORMS:
        objs = [
            c for c in tok.rights
            if c.dep_ in ("dobj", "dative") and frame.quote_at(c.idx) is None
            and c.text != PLACEHOLDER
        ]  # fmt: skip
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if not objs and nxt is not None and nxt.pos_ in ("NOUN", "PRON", "PROPN"):
            objs = [nxt] if frame.quote_at(nxt.idx) is None and nxt.text != PLACEHOLDER else []
        if objs:
            return f"{tok.text} {objs[0].text}"
    return tok.text


def _is_cue_verb(tok: Token) -> bool:
    if not (tok.lower_ in CUE_FORMS and tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod"):
        return False
    if tok.lower_ in ("put", "puts"):
        # Speech only as a way of saying (`as Jo Roe put it`, `she put it this way`), never
        # when something is put somewhere (`he put up a flag`, `put pressure on`).
        return any(c.dep_ == "dobj" and c.lower_ in _PUT_OBJECTS for c in tok.children)
    return True


_PUT_OBJECTS = frozenset({"it", "this", "that", "things", "matters"})


def _participle_subject(verb: Token, frame: Frame) -> Token | None:
    """The main clause's subject for `X defended not paying a man who sued, saying "Q"`.

    A participle after a comma at a relative clause's end belongs to the sentence, not to the
    relative clause the parse hung it on: its speaker is the nearest subject above that clause.
    """
    doc = verb.doc
    if not (
        verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.i > 0 and doc[verb.i - 1].text == ","
    ):
        return None
    node = verb.head
    for _ in range(4):
        if node.dep_ == "relcl" or node.head.i == node.i:
            break
        node = node.head
    if node.dep_ != "relcl":
        return None
    node = node.head  # the noun the relative clause describes
    for _ in range(8):
        if node.head.i == node.i:
            break
        node = node.head
        subj = [
            c for c in node.children
            if c.dep_ in SUBJECTS and c.pos_ in ("PROPN", "NOUN", "PRON")
            and frame.quote_at(c.idx) is None and c.lower_ not in RELATIVE
        ]  # fmt: skip
        if subj:
            return subj[0]
    return None


def _adjacent_name(verb: Token, frame: Frame) -> Token | None:
    """A proper name or pronoun right before a cue verb ("Trump boasted"), adverbs aside."""
    i = verb.i - 1
    doc = verb.doc
    while i >= 0 and doc[i].pos_ == "ADV":
        i -= 1
    if i < 0 or frame.quote_at(doc[i].idx) is not None:
        return None
    tok = doc[i]
    if tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in WHEN_WORDS:
        return None  # "tweets early Friday saying": when, not who
    if tok.pos_ == "PROPN" or tok.lower_ in PERSON_PRONOUNS:
        return tok
    return None
