"""Person names: titles and honorifics, canonical forms, and matching mentions to one person.

The helpers here are pure functions over strings. `name_key` is a coarse index key (the
surname); `same_person` decides whether two mentions can name the same person ("Blinken",
"Antony Blinken", "Secretary Blinken" all can; "Hillary Clinton" and "Bill Clinton" cannot).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

__all__ = [
    "NAME_RUN",
    "PersonRegistry",
    "is_title_word",
    "looks_like_person",
    "name_key",
    "name_tokens",
    "same_person",
    "split_title",
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
    ]
)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you", "him", "her", "them"})
# Spelled-out forms of abbreviated titles, so "the senator" can find "Sen. Ortiz".
_ABBREVIATIONS = {
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


def _bare(word: str) -> str:
    return word.lower().strip(".,;:")


def is_title_word(word: str) -> bool:
    """Whether `word` is a role or courtesy title word ("Sen.", "Secretary", "mayor")."""
    w = _bare(word)
    return w in _TITLE_WORDS or w.rstrip(".") in _TITLE_WORDS


def is_pronoun(word: str) -> bool:
    """Whether `word` is a personal pronoun."""
    return word.lower() in _PRONOUNS


def _is_name_word(word: str) -> bool:
    if not word:
        return False
    if _bare(word) in _PARTICLES:
        return True
    return word[0].isupper() and not is_title_word(word) and _bare(word) not in _NOT_NAMES


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
    while i > 0 and _is_name_word(words[i - 1]):
        i -= 1
    # A particle can't open a name ("de Blasio" keeps it only after a first name).
    while i < len(words) and _bare(words[i]) in _PARTICLES and i > 0:
        if not _is_name_word(words[i - 1]):
            break
        i -= 1
    name_words = words[i:]
    title_words = words[:i]
    while title_words and _bare(title_words[0]) in _NOT_NAMES:
        title_words.pop(0)
    title = " ".join(title_words).strip(" ,")
    if not title or all(_bare(w).rstrip(".") in _HONORIFICS for w in title_words):
        title = ""
    return (title or None), " ".join(name_words)


def name_tokens(name: str) -> list[str]:
    """The words of a name without titles, suffixes and accents, lowercased."""
    return list(_name_tokens(name))


@functools.lru_cache(maxsize=65536)
def _name_tokens(name: str) -> tuple[str, ...]:
    _, bare = split_title(name)
    return tuple(w for w in map(_fold, bare.split()) if w and w not in _SUFFIXES)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w-]", "", letters.lower()).strip("-")


def name_key(name: str) -> str:
    """A coarse key for indexing people: the folded surname ("Secretary Blinken" -> "blinken").

    Mentions of one person share a key; different people may too (use `same_person` to decide).
    A mention with no name word (e.g. "the White House") keys on its whole folded text.
    """
    tokens = name_tokens(name)
    if tokens:
        return tokens[-1]
    return " ".join(_fold(w) for w in name.split() if _fold(w))


def same_person(a: str, b: str) -> bool:
    """Whether mentions `a` and `b` can name one person: same surname, and given names that
    agree where both have one (an initial agrees with a name it starts)."""
    ta, tb = name_tokens(a), name_tokens(b)
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
    want = _ABBREVIATIONS.get(_bare(word).rstrip("."), _bare(word).rstrip("."))
    for w in title.split():
        b = _bare(w).rstrip(".")
        if _ABBREVIATIONS.get(b, b) == want:
            return True
    return False


# A capitalised word, an initial ("J."), a dotted acronym ("U.S."), or an abbreviated title.
_CAP_TOKEN = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr|Adm|Maj|Cmdr|Supt|"
    r"Det|Pres|Sec)\.|(?:[A-Z]\.){1,3}|[A-Z][\w'’-]*)"
)
# A run of capitalised words that can be a name ("Sen. Jo Roe", "Ursula von der Leyen").
NAME_RUN = re.compile(
    rf"(?<![\w.]){_CAP_TOKEN}(?:[ \u00a0](?:(?:of|de|van|von|der|la|bin|al|del)[ \u00a0])?"
    rf"{_CAP_TOKEN})*"
)
# Words that make a capitalised name an organisation, place or event, not a person.
_NOT_PERSON_WORDS = frozenset(
    [
        "department",
        "committee",
        "council",
        "commission",
        "party",
        "house",
        "senate",
        "congress",
        "university",
        "college",
        "school",
        "fund",
        "association",
        "society",
        "times",
        "post",
        "news",
        "journal",
        "network",
        "debates",
        "states",
        "nations",
        "america",
        "campaign",
        "foundation",
        "institute",
        "agency",
        "bank",
        "court",
        "church",
        "inc",
        "corp",
        "group",
        "league",
        "union",
        "company",
        "center",
        "centre",
        "city",
        "county",
        "state",
        "republic",
        "kingdom",
        "ministry",
        "office",
        "service",
        "army",
        "navy",
        "police",
        "administration",
        "board",
        "bureau",
        "club",
        "team",
        "times",
        "street",
        "avenue",
        "program",
        "project",
        "coalition",
        "airport",
        "hospital",
        "museum",
        "festival",
        "summit",
        "conference",
        "organization",
        "organisation",
        "assembly",
        "parliament",
        "government",
        "cabinet",
        "federation",
        "caucus",
        "media",
        "press",
        "magazine",
        "tv",
        "radio",
        "channel",
        "street",
    ]
)
# Common English given names by the gender they usually go with: evidence, not proof, so a
# name here only breaks ties that honorifics and pronouns leave open.
_MALE_NAMES = frozenset(
    """aaron adam alan albert alex alexander andrew anthony antony arthur barack ben benjamin
    bernie bill bob bobby brad bradley brian bruce bryan carl carlos charles charlie chris
    christopher chuck craig dan daniel david dennis donald doug douglas ed eddie edward eric
    frank fred gary george gerald greg gregory harold harry henry howard ian jack jacob jake
    james jason jeff jeffrey jeremy jerry jesse jim jimmy joe joel john johnny jon jonathan
    jose joseph josh joshua juan justin keith ken kenneth kevin larry lawrence lee luis marco
    marcus mark martin matt matthew michael mike mitch mitt nathan neil nick nicholas patrick
    paul peter phil philip ralph randy ray raymond richard rick rob robert robby roger ron
    ronald roy russell ryan sam samuel scott sean stephen steve steven ted terry thomas tim
    timothy todd tom tony travis victor vladimir walter wayne william willie""".split()
)
_FEMALE_NAMES = frozenset(
    """abigail alice alicia amanda amy andrea angela angelique ann anna anne barbara betty
    beverly brenda carmen carol caroline catherine cheryl christina christine claire cynthia
    deborah debra diana diane donna dorothy elizabeth ellen emily emma evelyn frances gloria
    grace hannah heather helen hillary ivanka jacqueline jane janet janice jean jennifer jessica
    joan joyce judith judy julia julie karen katherine kathleen kathy kelly kimberly laura
    lauren linda lisa lori louise lynn margaret maria marie marilyn martha mary megan melania
    melanie melissa michelle nancy natalie nicole nikki olivia pamela patricia paula rachel
    rebecca rose ruth sandra sara sarah sharon shirley sophia stephanie susan teresa theresa
    tina victoria virginia""".split()
)
# Verbs that turn up in capitalised headline runs ("Trends Are", "Should Be"): never a name.
_VERBS = frozenset(
    "is are be was were been should would will can could may might must has have had do does did "
    "says said".split()
)
_HONORIFIC_START = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr)\.?\s")
_MALE = re.compile(r"\b(?:he|his|him|himself)\b", re.I)
_FEMALE = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_SUBJECT = re.compile(r"\b(?:he|she)\b", re.I)


def looks_like_person(name: str) -> bool:
    """Whether a capitalised name can be a person's (not "Wells Fargo Bank", not "MIDWAY ATOLL")."""
    words = name.split()
    if not words:
        return False
    if len(words) > 1 and all(w.isupper() for w in words if len(w) > 2):
        return False  # a dateline or heading in capitals
    return not any(_bare(w) in _NOT_PERSON_WORDS or _bare(w) in _VERBS for w in words)


_PREV_WORD = re.compile(r"(\w+)\W*$")
_NOT_PERSON_BEFORE = frozenset(
    [
        "of",
        "in",
        "at",
        "on",
        "to",
        "from",
        "into",
        "the",
        "a",
        "an",
        "by",
        "near",
        "for",
        "with",
        "across",
        "toward",
        "towards",
    ]
)


def given_name_gender(name: str) -> str | None:
    """'m' or 'f' when the first word of a full name is a common given name of that gender."""
    words = name_tokens(name)
    if len(words) < 2:
        return None
    if words[0] in _MALE_NAMES:
        return "m"
    if words[0] in _FEMALE_NAMES:
        return "f"
    return None


@dataclass
class _Person:
    name: str
    title: str | None = None
    count: int = 0
    first: int = 0
    male: int = 0  # evidence for the pronouns used of this person
    female: int = 0
    honorific: str | None = None  # "m" or "f" from Mr./Ms./Mrs.

    @property
    def gender(self) -> str | None:
        if self.honorific is not None:
            return self.honorific
        given = given_name_gender(self.name)
        if given is not None:
            return given
        if self.male > self.female:
            return "m"
        if self.female > self.male:
            return "f"
        return None


@dataclass
class PersonRegistry:
    """People named in one text, found by a cheap scan for capitalised name runs.

    `resolve` maps a short form ("Blinken", "Secretary Blinken") to the fullest name the text
    gives ("Antony Blinken") and the role title seen with it.
    """

    people: dict[str, list[_Person]] = field(default_factory=dict)  # name_key -> people
    # (offset, canonical name) of the mentions that can be a person's (not after "of", "the")
    mentions: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, limit: int = 20000) -> PersonRegistry:
        """Scan `text` for name runs (at most `limit` of them, to bound the work)."""
        reg = cls()
        runs: list[tuple[int, str | None, str, bool]] = []
        for n, m in enumerate(NAME_RUN.finditer(text)):
            if n >= limit:
                break
            title, name = split_title(m.group(0))
            words = name.split()
            while words and _bare(words[0]) in _NOT_NAMES:
                words.pop(0)
            if not words:
                continue
            # After a preposition or article a name run is rarely a person ("of Doki Doki").
            prev = _PREV_WORD.search(text, max(0, m.start() - 12), m.start())
            placed = prev is not None and prev.group(1).lower() in _NOT_PERSON_BEFORE
            runs.append((m.start(), title, " ".join(words), placed))
        for start, title, name, placed in runs:  # full names first, so short forms find them
            if len(name.split()) >= 2:
                reg._add(name, title, start, placed)
        for start, title, name, placed in runs:
            if len(name.split()) == 1:
                full = reg.lookup(name)
                if full is not None:
                    reg._add(full.name, title, start, placed)
                elif title is not None or _HONORIFIC_START.match(text, start):
                    reg._add(name, title, start, placed)
        reg.mentions.sort()
        reg._genders(text, runs)
        return reg

    def _genders(self, text: str, runs: list[tuple[int, str | None, str, bool]]) -> None:
        """Guess each person's pronouns from honorifics and the words after their mentions."""
        starts = [start for start, _, name, _ in runs if self.lookup(name) is not None]
        for start, title, name, _ in runs:
            person = self.lookup(name)
            if person is None:
                continue
            t = (title or "").lower() + " " + text[start : start + 5].lower()
            if re.search(r"\b(mrs|ms|miss)\b", t):
                person.female += 3
                person.honorific = "f"
            elif re.search(r"\bmr\b", t):
                person.male += 3
                person.honorific = "m"
            # The pronouns after a mention, up to the next person or the paragraph's end.
            k = bisect.bisect_right(starts, start)
            stop = min(starts[k] if k < len(starts) else len(text), start + 300)
            para_end = text.find("\n\n", start, stop)
            window = text[start : para_end if para_end >= 0 else stop]
            for m in _MALE.finditer(window):
                person.male += 2 if _SUBJECT.fullmatch(m.group(0)) else 1
            for m in _FEMALE.finditer(window):
                person.female += 2 if _SUBJECT.fullmatch(m.group(0)) else 1

    def gender(self, name: str) -> str | None:
        """'m', 'f' or None: the pronouns the text seems to use for a person."""
        person = self.lookup(name)
        return person.gender if person is not None else None

    def _add(self, name: str, title: str | None, start: int, placed: bool = False) -> None:
        key = name_key(name)
        if not key:
            return
        group = self.people.setdefault(key, [])
        for person in group:
            if same_person(person.name, name):
                if len(name.split()) > len(person.name.split()):
                    person.name = name
                if title and (person.title is None or len(title) > len(person.title)):
                    person.title = title
                person.count += 1
                if not placed:
                    self.mentions.append((start, person.name))
                return
        group.append(_Person(name, title, 1, start))
        if not placed:
            self.mentions.append((start, name))

    def lookup(self, mention: str) -> _Person | None:
        """The known person a mention names: the most mentioned compatible one, else None."""
        group = self.people.get(name_key(mention))
        if not group:
            return None
        fits = [p for p in group if same_person(p.name, mention)]
        if not fits:
            return None
        return max(fits, key=lambda p: (p.count, len(p.name.split()), -p.first))

    def resolve(self, mention: str) -> tuple[str, str | None]:
        """(canonical name, role title or None) for a person mention."""
        title, name = split_title(mention)
        person = self.lookup(name) if name else None
        if person is None:
            return (name or mention), title
        return person.name, person.title or title

    def with_title(self, word: str, before: int) -> str | None:
        """The person last mentioned before offset `before` whose title has `word` ("senator")."""
        best: str | None = None
        titled = {
            p.name for group in self.people.values() for p in group
            if p.title and title_matches(p.title, word)
        }  # fmt: skip
        for start, name in self.mentions:
            if start >= before:
                break
            if name in titled:
                best = name
        return best

    def last_before(self, before: int, gender: str | None = None) -> str | None:
        """The person (a known full name, of `gender` if known) mentioned last before `before`."""
        best: str | None = None
        for start, name in self.mentions:
            if start >= before:
                break
            if len(name.split()) >= 2 and looks_like_person(name):
                g = self.gender(name)
                if gender is None or g is None or g == gender:
                    best = name
        return best


def most_common(names: list[str]) -> str | None:
    """The most frequent of `names` (first seen wins ties), or None."""
    if not names:
        return None
    counts = Counter(names)
    return max(names, key=lambda n: counts[n])
