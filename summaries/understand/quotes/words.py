"""Word lists for finding quotations and their speakers (data only)."""

from __future__ import annotations

import re


def _forms(verbs: str) -> frozenset[str]:
    """Inflected forms of regular speech verbs (a few wrong forms do no harm)."""
    out: set[str] = set()
    for v in verbs.split():
        out.add(v)
        if v.endswith("e"):
            out |= {v + "s", v + "d", v[:-1] + "ing"}
        elif v.endswith("y") and v[-2] not in "aeiou":
            out |= {v[:-1] + "ies", v[:-1] + "ied", v + "ing"}
        else:
            s = v + "es" if v.endswith(("s", "sh", "ch", "x")) else v + "s"
            out |= {s, v + "ed", v + "ing", v + v[-1] + "ed", v + v[-1] + "ing"}
    return frozenset(out)


# Verbs that give someone a name in quote marks (`called her "Miss Piggy"`).
NAMING_VERBS = frozenset(
    "call calls called calling dub dubs dubbed label labels labeled labelled brand brands "
    "branded".split()
)
# Forms of "tell": their object is the listener (`told reporters`), never the speaker.
TELL_FORMS = frozenset({"told", "tell", "tells", "telling"})
# Speech verbs in all their forms: the cue words of an attribution.
CUE_FORMS = (
    _forms(
        """add acknowledge admit agree allege announce answer argue ask assert assure boast
    caution charge claim comment complain concede conclude confirm contend continue counter
    declare deny describe emphasize emphasise estimate exclaim explain insist joke lament
    maintain mention muse note observe opine plead pledge point post predict proclaim promise
    quip recall recount reiterate remark reply report respond retort scoff scream shout sigh
    snap state stress suggest testify tweet urge vow warn whisper yell demand wonder scold
    object protest repeat reason marvel grumble chide remind inform advise mutter criticize
    criticise liken praise slam blast accuse dismiss hail deride mock ridicule denounce
    condemn decry interject chant"""
    )
    | frozenset(["say", "says", "said", "saying"])
    | TELL_FORMS
    | frozenset(["write", "writes", "wrote", "written", "writing", "put", "puts", "declared"])
    | NAMING_VERBS
)

# Verbs by which something makes someone do what follows (`prompted Jo Roe to call …`).
CAUSING_FORMS = _forms("prompt lead cause spur push drive inspire provoke move get") | frozenset(
    "led drove driven got gotten".split()
)

# The surest cues, in the forms an attribution right after a quotation takes (`," Smith said`,
# `," said Smith`): they name the quotation's own speaker. Broader ones ("asked", "replied",
# "reported") there often name the next speaker or the outlet that carried the words
# (summaries/understand/quoted.py; PolNeAR train: 58% right where these are 77%).
SURE_CUES = frozenset(
    "said says told tells added adds explained insisted warned wrote noted declared "
    "stressed".split()
)


_Trie = dict[str, "_Trie"]


def _alternation(words: frozenset[str]) -> str:
    """A regular expression for any of `words`, longest first, as a trie: it matches what
    `"|".join(sorted(words, key=len, reverse=True))` does, without trying every word in turn
    at every position of a text."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def depth(node: _Trie) -> int:
        return 1 + max((depth(child) for ch, child in node.items() if ch), default=0)

    def emit(node: _Trie) -> str:
        branches = [
            re.escape(ch) + emit(child)
            for ch, child in sorted(node.items(), key=lambda kv: -depth(kv[1]))
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


# The cue forms as one regular-expression alternation, longest first.
CUE_ALT = _alternation(CUE_FORMS)
# Nouns for something said: the owner in `Smith's claim that "..."` is the speaker.
SPEECH_NOUNS = frozenset(
    "claim claims statement statements remark remarks comment comments words assertion promise "
    "pledge vow warning prediction suggestion insistence argument accusation allegation quip "
    "boast tweet tweets declaration description testimony message".split()
)
# Things sent or published that carry someone's words (`issued a statement saying "Q"`).
DOCUMENT_NOUNS = frozenset(
    "statement release letter email e-mail memo video ad message note post tweet".split()
)
SUBORDINATORS = frozenset(
    "when while after before because since until as if although though once".split()
)
RELATIVE = frozenset({"who", "that", "which", "whom"})
INDEFINITE = frozenset(
    {"anybody", "anyone", "someone", "somebody", "everyone", "everybody", "nobody", "people"}
)
# Speakers that name no one in particular (`When someone shouted "Q"`, `Another advised "Q"`).
NO_ONE_IN_PARTICULAR = (INDEFINITE - {"people"}) | {"another", "one", "no one", "someone else"}
COLLECTIVE = frozenset({"they", "we", "it", "them", "us"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you", "him", "her", "them"})
NON_PERSON_ENTS = frozenset(
    {"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "DATE"}
)
# Dependents left of a noun that belong to its noun phrase.
NP_LEFT = frozenset({"compound", "det", "amod", "poss", "nmod", "nummod", "case", "quantmod"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Entity labels that count as evidence for or against a name being a person's.
KIND_WEIGHT = frozenset({"PERSON", "GPE", "LOC", "ORG", "NORP", "FAC"})
# Clauses that are speech of their own, not part of the clause they hang on.
OWN_CLAUSE = frozenset({"conj", "relcl", "parataxis", "acl", "appos"})
# Nouns that say when something was said, never who said it.
WHEN_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
    "morning afternoon evening night week weekend month year time day".split()
)
# A name right after one of these is a place or an object, not a speaker ("in Virginia, said").
NOT_SPEAKER_BEFORE = frozenset(
    {"of", "in", "at", "on", "from", "into", "by", "near", "for", "with", "across", "to"}
)
# Lowercase words that can't stand before a subject as its role ("presidential nominee X").
NOT_ROLE_WORDS = frozenset(
    {"the", "a", "an", "and", "or", "but", "that", "which", "who", "if", "when", "as", "than",
     "like", "about", "because", "while", "not"}
) | NOT_SPEAKER_BEFORE  # fmt: skip
