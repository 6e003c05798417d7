"""Person names: titles and honorifics, canonical forms, and matching mentions to one person.

The helpers here are pure functions over strings. `name_key` is a coarse index key (the
surname); `same_person` decides whether two mentions can name the same person ("Blinken",
"Antony Blinken", "Secretary Blinken" all can; "Hillary Clinton" and "Bill Clinton" cannot).
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata

__all__ = [
    "MAX_NAME_WORDS",
    "NAME_RUN",
    "SHORT_NAME_RUN",
    "bare",
    "is_title_word",
    "name_key",
    "name_tokens",
    "not_a_name",
    "same_person",
    "split_title",
    "title_matches",
    "typed_name",
]

# Role words that stand before a name ("Secretary Blinken") or make up a role phrase.
_TITLE_WORDS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "doctor",
        "prof",
        "professor",
        "sen",
        "senator",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "councilman",
        "councilwoman",
        "councilmember",
        "gov",
        "governor",
        "lt",
        "gen",
        "general",
        "col",
        "colonel",
        "sgt",
        "sergeant",
        "capt",
        "captain",
        "cmdr",
        "commander",
        "maj",
        "major",
        "adm",
        "admiral",
        "pvt",
        "cpl",
        "corporal",
        "officer",
        "detective",
        "det",
        "chief",
        "inspector",
        "insp",
        "supt",
        "superintendent",
        "sheriff",
        "deputy",
        "president",
        "pres",
        "vice",
        "secretary",
        "sec",
        "minister",
        "prime",
        "premier",
        "chancellor",
        "mayor",
        "judge",
        "justice",
        "attorney",
        "ambassador",
        "commissioner",
        "director",
        "chairman",
        "chairwoman",
        "chair",
        "speaker",
        "leader",
        "rev",
        "reverend",
        "father",
        "pastor",
        "rabbi",
        "imam",
        "bishop",
        "cardinal",
        "pope",
        "king",
        "queen",
        "prince",
        "princess",
        "sir",
        "dame",
        "lord",
        "lady",
        "emperor",
        "sheikh",
        "state",
        "foreign",
        "defense",
        "defence",
        "interior",
        "finance",
        "treasury",
        "home",
        "health",
        "justice",
        "labor",
        "labour",
        "trade",
        "energy",
        "education",
        "commerce",
        "agriculture",
        "homeland",
        "security",
        "national",
        "u.s.",
        "us",
        "u.k.",
        "uk",
        "former",
        "acting",
        "deputy",
        "assistant",
        "undersecretary",
        "special",
        "envoy",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "candidate",
        "nominee",
        "hon",
        "honorable",
        "coach",
        "manager",
        "ceo",
        "cfo",
        "founder",
        "executive",
        "republican",
        "democratic",
        "democrat",
        "gop",
        "senior",
        "majority",
        "minority",
        "whip",
        "house",
        "chief-of-staff",
    ]
)
# The parts a hyphenated role is made of ("Editor-in-Chief", "Secretary-Treasurer",
# "Mayor-elect"): title words and a few more; "King-Smith" (a surname) has a part besides.
_HYPHEN_ROLE_PARTS = (_TITLE_WORDS - {"u.s.", "us", "u.k.", "uk", "state", "home", "house"}) | set(
    "editor treasurer elect designate general chief lieutenant in of at large staff".split()
)
# Courtesy titles that say nothing about a role: never reported as a speaker's title.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sir", "dame", "hon", "honorable"})
_PARTICLES = frozenset({"de", "da", "del", "della", "der", "den", "van", "von", "la", "le", "bin",
                        "ibn", "al", "el", "di", "du", "dos", "st.", "mc"})  # fmt: skip
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Capitalised words that open sentences or phrases and are never part of a name.
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "but",
        "and",
        "or",
        "if",
        "when",
        "while",
        "as",
        "in",
        "on",
        "at",
        "for",
        "from",
        "with",
        "by",
        "to",
        "of",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "this",
        "that",
        "these",
        "those",
        "after",
        "before",
        "his",
        "her",
        "their",
        "our",
        "its",
        "my",
        "there",
        "here",
        "then",
        "now",
        "so",
        "yet",
        "also",
        "however",
        "meanwhile",
        "still",
        "though",
        "although",
        "because",
        "since",
        "under",
        "over",
        "about",
        "during",
        "according",
        "asked",
        "said",
        "says",
        "told",
        "no",
        "not",
        "what",
        "why",
        "how",
        "who",
        "where",
        "which",
        "while",
        "one",
        "two",
        "three",
        "mrs.",
        "mr.",
        "ms.",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "god",
        # Focusing adverbs open a sentence before a name, never a name: "Even Mike Pence".
        "even",
        "only",
        "just",
        "perhaps",
        "indeed",
        "instead",
        "both",
    ]
)
# Spelled-out forms of abbreviated titles, so "the senator" can find "Sen. Ortiz".
TITLE_ABBREVIATIONS = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "sec": "secretary",
    "pres": "president",
    "dr": "doctor",
    "prof": "professor",
    "lt": "lieutenant",
    "col": "colonel",
    "capt": "captain",
    "sgt": "sergeant",
    "det": "detective",
    "rev": "reverend",
    "adm": "admiral",
}
_POSSESSIVE = re.compile(r"['’]s?$")
_OWNER = re.compile(r"\w(?:['’]s|s['’])$")


def bare(word: str) -> str:
    """A word lowercased, without the punctuation around it ("Sen.," -> "sen")."""
    return word.lower().strip(".,;:")


# A pronoun or pointer with its verb run on ("We’re told", "It’s", "That’s", "Let’s"): never
# a name, however it is capitalised.
_CONTRACTION = re.compile(
    r"(?:i|you|he|she|it|we|they|that|there|here|what|who|where|let)['’](?:s|re|m|ve|d|ll)"
)


@functools.lru_cache(maxsize=65536)
def not_a_name(word: str) -> bool:
    """Whether a capitalised `word` opens sentences or phrases and is never part of a name."""
    w = bare(word)
    return w in _NOT_NAMES or _CONTRACTION.fullmatch(w) is not None


def is_title_word(word: str) -> bool:
    """Whether `word` is a role or courtesy title word ("Sen.", "Secretary", "mayor"); a
    hyphenated role ("Editor-in-Chief", "Attorney-General", "President-elect") is one too."""
    w = bare(word)
    if w in _TITLE_WORDS or w.rstrip(".") in _TITLE_WORDS:
        return True
    parts = w.split("-")
    return len(parts) > 1 and all(p in _HYPHEN_ROLE_PARTS for p in parts)


def _is_name_word(word: str) -> bool:
    if not word:
        return False
    if bare(word) in _PARTICLES:
        return True
    return word[0].isupper() and not is_title_word(word) and not not_a_name(word)


@functools.lru_cache(maxsize=65536)
def split_title(mention: str) -> tuple[str | None, str]:
    """Split a mention into (role title or None, name): "U.S. Secretary of State Antony
    Blinken" -> ("U.S. Secretary of State", "Antony Blinken"); honorifics alone give no title."""
    words = mention.split()
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1]) or words[-1]
    i = len(words)
    # A surname that is also a title word ("Steve King") stays a name after a given name.
    if i >= 2 and words[-1][:1].isupper() and _is_name_word(words[-2]):
        i -= 1
    # A possessive ends what comes before the name ("Fox News' Jo Roe", "Ohio's Jo Roe"):
    # whose the person is, never part of their name.
    while i > 0 and _is_name_word(words[i - 1]) and not _OWNER.search(words[i - 1]):
        i -= 1
    # A particle can't open a name ("de Blasio" keeps it only after a first name).
    while i < len(words) and bare(words[i]) in _PARTICLES and i > 0:
        if not _is_name_word(words[i - 1]):
            break
        i -= 1
    name_words = words[i:]
    start = 0  # words before the title that can't be in it, dropped by index (pop(0) was
    while start < i and not_a_name(words[start]):  # quadratic in a long run of them)
        start += 1
    title_words = words[start:i]
    title = " ".join(title_words).strip(" ,")
    if not title or all(bare(w).rstrip(".") in _HONORIFICS for w in title_words):
        title = ""
    return (title or None), " ".join(name_words)


def name_tokens(name: str) -> list[str]:
    """The words of a name without titles, suffixes and accents, lowercased."""
    return list(_name_tokens(name))


@functools.lru_cache(maxsize=65536)
def _name_tokens(name: str) -> tuple[str, ...]:
    _, bare_name = split_title(name)
    return tuple(w for w in map(_fold, bare_name.split()) if w and w not in _SUFFIXES)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w-]", "", letters.lower()).strip("-")


def typed_name(name: str) -> str:
    """A name as someone typed it, capitalised when typed all in lower case ("blinken" ->
    "Blinken"): names are told apart from other words by their capitals."""
    return name if any(c.isupper() for c in name) else string.capwords(name)


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A coarse key for indexing people: the folded surname ("Secretary Blinken" -> "blinken").

    Mentions of one person share a key; different people may too (use `same_person` to decide).
    A mention with no name word (e.g. "the White House") keys on its whole folded text.
    """
    tokens = _name_tokens(name)
    if tokens:
        return tokens[-1]
    return " ".join(_fold(w) for w in name.split() if _fold(w))


def same_person(a: str, b: str) -> bool:
    """Whether mentions `a` and `b` can name one person: same surname, and given names that
    agree where both have one (an initial agrees with a name it starts)."""
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return bool(ta == tb and a.strip() and a.strip().lower() == b.strip().lower())
    if ta[-1] != tb[-1]:
        return False
    if len(ta) == 1 or len(tb) == 1:
        return True
    fa, fb = ta[0], tb[0]
    return fa == fb or (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb))


def title_matches(title: str, word: str) -> bool:
    """Whether a role `title` ("Sen.", "U.S. Secretary of State") contains the role `word`."""
    want = TITLE_ABBREVIATIONS.get(bare(word).rstrip("."), bare(word).rstrip("."))
    for w in title.split():
        b = bare(w).rstrip(".")
        if TITLE_ABBREVIATIONS.get(b, b) == want:
            return True
    return False


# A capitalised word, an initial ("J."), a dotted acronym ("U.S."), or an abbreviated title.
_CAP_TOKEN = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr|Adm|Maj|Cmdr|Supt|"
    r"Det|Pres|Sec)\.|(?:[A-Z]\.){1,3}|[A-Z][\w'’-]*)"
)
_NEXT_NAME_WORD = rf"[ \u00a0](?:(?:of|de|van|von|der|la|bin|al|del)[ \u00a0])?{_CAP_TOKEN}"
# A run of capitalised words that can be a name ("Sen. Jo Roe", "Ursula von der Leyen").
NAME_RUN = re.compile(rf"(?<![\w.]){_CAP_TOKEN}(?:{_NEXT_NAME_WORD})*")
# Words in a name with its titles ("Former U.S. Secretary of State Antony J. Blinken" has 8).
MAX_NAME_WORDS = 10
# NAME_RUN of at most MAX_NAME_WORDS words taken whole, for patterns that go on with a lowercase
# word after the name ("X said"): an unbounded run that backtracks word by word and letter by
# letter is tried again from each of its words, quadratic in a long run of capitalised words
# that no cue follows. A shorter run or word could only be followed by a capital or a letter.
_ATOMIC_NEXT = _NEXT_NAME_WORD.replace(_CAP_TOKEN, f"(?>{_CAP_TOKEN})")
SHORT_NAME_RUN = re.compile(
    rf"(?<![\w.])(?>{_CAP_TOKEN})(?:{_ATOMIC_NEXT}){{0,{MAX_NAME_WORDS - 1}}}+"
)
