"""The people of one text, for attribution: a registry of the names it gives, whether a name
can be a person's, and the pronouns the text uses for each person.

Evidence, not proof: a cheap scan for capitalised name runs, honorifics, common given names and
the pronouns after a mention (name matching itself is `summaries.understand.people`).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from summaries.understand.people import (
    NAME_RUN,
    TITLE_ABBREVIATIONS,
    bare,
    is_title_word,
    name_key,
    name_tokens,
    not_a_name,
    same_person,
    split_title,
    title_matches,
)
from summaries.understand.quotes.marks import word_before

# Words that make a capitalised name an organisation, place or event, not a person.
_NOT_PERSON_WORDS = frozenset(
    "department committee council commission party house senate congress university college "
    "school fund association society times post news journal network debates states nations "
    "america campaign foundation institute agency bank court church inc corp group league union "
    "company center centre city county state republic kingdom ministry office service army navy "
    "police administration board bureau club team street avenue program project coalition "
    "airport hospital museum festival summit conference organization organisation assembly "
    "parliament government cabinet federation caucus media press magazine tv radio channel "
    "gazette herald tribune chronicle telegraph dispatch courier".split()
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
# More given names that news names people by, in politics and abroad: only names that go with
# one gender (not "Jan", "Kim", "Robin", "Leslie", "Lindsey", "Jordan", "Pat") and are no common
# word opening a sentence (not "Will", "Hope", "Grant", "Chase").
_MALE_NAMES |= frozenset(
    """abdul ahmed ahmad alejandro alfred ali andres andy angus antonio ari arturo avi barry
    bashar benny bernard bert bobby boris brendan brett bruno burt byron calvin cesar chad
    clarence claude clay clifford clint cody colin corey cory curt curtis dale dalton darrell
    darren darryl dave davis dean derek devin dick diego dmitry don donnie doug duncan dustin
    dwight dylan earl eduardo edwin elijah elliot elliott emmanuel enrique ernest ernesto ethan
    eugene evan ezra federico felipe felix fernando floyd francis francisco franklin francois
    gabriel gavin gene geoff geoffrey gerard gerhard gilbert giuseppe glen glenn gordon graham
    guillermo gustavo hal hamid hank hans harvey hassan hector herbert herman hosni hugh hugo
    hussein igor isaac ivan jacques jamal jared javier jay jeb jerome jesus joaquin johnathan
    jonah jorge juergen julian julio jurgen karl klaus kurt kyle lamar lance lanny leo leon
    leonard les lester lloyd lou louis luca lucas luke mahmoud malcolm manuel marc marco mario
    marty marvin matteo maurice max mel melvin micah mickey miguel mikhail milton mitchell
    mohamed mohammad mohammed morris moshe muhammad narendra nate neal nelson newt nicolas
    nigel noah norm norman oliver omar orrin oscar otto owen pablo pedro pete pierre preston
    quentin rafael rahm rahul rand randall raul reggie reid reince rex ricardo ricky roberto
    rod rodney rodrigo rory ross rudolph rudy rupert russ salvador salvatore sebastian sergei
    sergey sergio seth shane shawn sheldon sherrod shinzo silvio simon sonny spencer stan
    stanley stefan stuart tad terrence terrance thad theodore toby tommy trent trevor trey
    troy tucker ty tyler vernon vince vincent wade wally warren wendell wes wesley wilbur
    willard wolf wolfgang woody xavier yitzhak yusuf zach zachary""".split()
)
_FEMALE_NAMES |= frozenset(
    """adriana agnes aileen alexandra alexis alison allison amber amelia angie anita
    annette april arlene audrey becky belinda beth bethany betsy bonnie brandi brittany
    camille candace candice carla carly carmen carolyn cassandra cathy cecilia chelsea
    cheri cherie claudia colleen condoleezza connie courtney cristina daisy dana danielle
    darlene dawn debbie delores denise diana dianne dolores dora doris dottie edith eileen
    elaine eleanor elena elise eliza ella elsa erica erika erin esther eva eve felicia
    fiona florence francesca gabriela gabrielle gail georgia geraldine gina gladys gretchen
    gwen gwendolyn harriet heidi hilda holly huma ingrid irene iris isabel isabella jackie
    jamie jana janelle janine jeanette jeanine jeanne jeannie jenna jenny jill jillian joann
    joanna joanne jodi jolene joni josephine juanita judi julianne june kamala kara kate
    katelyn katie katy kay kayla kellyanne kerry kirsten krista kristen kristin kristina
    lara leah leila liliana lillian lily liz liza lois loretta lucia lucy lydia madeleine
    madeline maggie malia mandy marcia margarita marian marina marisa marla marlene marsha
    maureen maxine meghan megyn melinda mercedes meredith mia michele mildred miriam molly
    monica monique nadia naomi natasha neera nina nora norma olga paige patsy patti patty
    peggy penny phyllis priscilla rachael ramona regina renee rhonda rita roberta rosa
    rosalind rosemary roxanne ruby sally samantha selena serena shannon sheila shelby shelley
    sherry sonia sonya stacey stacy stella sue susana susie suzanne svetlana sylvia tamara
    tammy tanya tara tiffany tonya tracey trisha tulsi ursula valerie vanessa vera veronica
    vicki vickie violet wanda wendy whitney yolanda yvonne yulia zoe""".split()
)
# Given names whose gender the 1990 US Census first-name lists make clear (public domain; built
# by bench/build_given_names.py, which leaves out common words, surnames and places): beside the
# hand lists above, for names such as "Clara" or "Hans". Evidence, like the lists.
_CENSUS_NAMES: dict[str, str] = dict(
    line.split("\t", 1)
    for line in Path(__file__).with_name("given_names.tsv").read_text("ascii").split("\n")
    if "\t" in line
)
# Verbs that turn up in capitalised headline runs ("Trends Are", "Should Be"): never a name.
_VERBS = frozenset(
    "is are be was were been should would will can could may might must has have had do does did "
    "says said".split()
)
# Modals that are also surnames, at the end of a name of several words ("Theresa May").
_SURNAME_MODALS = frozenset({"may", "will"})
_HONORIFIC_START = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr)\.?\s")
_MALE = re.compile(r"\b(?:he|his|him|himself)\b", re.I)
_FEMALE = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_SUBJECT = re.compile(r"\b(?:he|she)\b", re.I)
# A noun that says a person's sex, just before their name ("9/11 widow Terry Strada", "his
# wife, Melania"): as good as an honorific.
_FEMALE_ROLE = re.compile(
    r"\b(?:widow|wife|mother|daughter|sister|grandmother|aunt|niece|girlfriend|actress|"
    r"congresswoman|spokeswoman|chairwoman|businesswoman|councilwoman|assemblywoman|"
    r"first lady|queen|princess|duchess|lady|mom|sen\w*woman)\W{0,3}$",
    re.I,
)
_MALE_ROLE = re.compile(
    r"\b(?:widower|husband|father|son|brother|grandfather|uncle|nephew|boyfriend|"
    r"congressman|businessman|councilman|assemblyman|king|prince|duke|"
    r"dad)\W{0,3}$",
    re.I,
)
# Role nouns in "-man" that papers use for women too ("Trump spokesman Hope Hicks"): evidence
# like a pronoun, not certainty like an honorific.
_NEUTRAL_MAN_ROLE = re.compile(r"\b(?:spokesman|chairman)\W{0,3}$", re.I)


@functools.lru_cache(maxsize=65536)
def looks_like_person(name: str) -> bool:
    """Whether a capitalised name can be a person's (not "Wells Fargo Bank", not "MIDWAY ATOLL").
    A modal that ends a name of several words is a surname ("Theresa May")."""
    words = name.split()
    if not words:
        return False
    if len(words) > 1 and all(w.isupper() for w in words if len(w) > 2):
        return False  # a dateline or heading in capitals
    return not any(
        bare(w) in _NOT_PERSON_WORDS
        or (bare(w) in _VERBS and not (i == len(words) - 1 > 0 and bare(w) in _SURNAME_MODALS))
        for i, w in enumerate(words)
    )


# One word that names a person without a title when the text introduces it so: after a noun
# that says a person's sex (`his wife, Jo,`, `her father, Al, 39,`) or before `, who`.
_WHO_AFTER = re.compile(r",\s+who\b")


def _introduced(text: str, start: int, name: str) -> bool:
    """Whether the one-word name `name` of the run at `start` is introduced as a person."""
    at = text.find(name, start, start + 80)
    if at < 0 or not looks_like_person(name) or not_a_name(name):
        return False
    if word_before(text, at) in _NOT_PERSON_BEFORE:
        return False  # "in Paris, who"
    before = text[max(0, at - 30) : at]
    if before.endswith(", ") and (_FEMALE_ROLE.search(before) or _MALE_ROLE.search(before)):
        return True
    return _WHO_AFTER.match(text, at + len(name)) is not None


def _before_of(run: str) -> str:
    """A name run cut before an "of" that follows a person's name: "Sen. Jo Roe of Ohio" and
    "Mary Smith of Acme" name Jo Roe and Mary Smith, not Ohio and Acme. The name must carry a
    role title or open with a common given name ("Secretary of State Jo Roe", "the Bank of
    England" and "Friends of Abe" stay whole)."""
    at = run.find(" of ")
    if at < 0:
        return run
    title, name = split_title(run[:at])
    words = name.split()
    if len(words) < 2 or not looks_like_person(name) or not words[-1][:1].isupper():
        return run
    titled = title is not None and any(is_title_word(w) for w in title.split())
    return run[:at] if titled or given_name_gender(name) is not None else run


_NOT_PERSON_BEFORE = frozenset(
    "of in at on to from into the a an by near for with across toward towards".split()
)


def _common_word(word: str, lower: set[str]) -> bool:
    """Whether a capitalised word of a name run is a common word: a verb of a headline
    ("Says", "Are"), or a word the text writes lowercase elsewhere ("Reason"), or in its
    plural or third person ("Funds", "Wins", "Denies" where it writes "fund", "win", "deny"),
    that is no given name, role title or name particle."""
    w = _POSSESSIVE_END.sub("", word).strip(".,;:!?\"'“”‘’()")
    low = w.lower()
    if not low or is_given_name(w) or is_title_word(w) or low in _PARTICLE_WORDS:
        return False
    if low in _VERBS or low in lower:
        return True
    if low.endswith("ies") and low[:-3] + "y" in lower:
        return True
    return low.endswith("s") and len(low) > 3 and (low[:-1] in lower or low[:-2] in lower)


_POSSESSIVE_END = re.compile(r"['’]s?$")
_PARTICLE_WORDS = frozenset("de da del der van von la le bin al".split())
# The ending of a word for a role or of a plural: "journalist", "actor", "billionaire",
# "assemblywoman", "historian", "president", "fans", "celebrities".
_ROLE_SHAPE = re.compile(r"(?:ist|or|aire|man|ian|ent|ant|ee|ies|[^aiosu]s)$")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_LONGEST_NAME = 6  # words of a name given alone that `_name_part` looks for


def _name_part(words: list[str], lower: set[str], alone: set[str]) -> list[str]:
    """The name in a run of three words or more, so that a title-case line (a headline, a
    subhead, a list item) gives the name it holds, not itself:
    - the words after the last common word (see `_common_word`): "Year Of Reform For Ida
      Lund" -> "Ida Lund"; the last word stays a surname though written lowercase elsewhere
      ("Ida Young"), and nothing is left of a line whose last words are common ("Why Voters
      Feel Left Behind");
    - from a given name after a word for a role or a plural: "Actor Ida Lund" -> "Ida Lund";
      not after another name ("Billie Jean King");
    - a name of two words or more the text gives alone (in `alone`) that opens or ends the
      run: "Ida Lund Joins Growing List" -> "Ida Lund", "Hedge Fund Ida Lund" -> "Ida Lund";
      a suffix after it stays ("Ida Lund Jr.").
    A run whose words are all names is whole ("Sarah Jessica Parker"), and so is the name of
    an organisation ("Harbor Safety Office": see `looks_like_person`)."""
    if not looks_like_person(" ".join(words)):
        return words
    cut = 1 + max((i for i, w in enumerate(words[:-1]) if _common_word(w, lower)), default=-1)
    # A given name after a role or a plural opens the name ("Actor Ida Lund", "Fans Ida
    # Lund"); not after another name ("Billie Jean King", "Sarah Jessica Parker").
    for i in range(max(cut, 1), len(words) - 1):
        before = words[i - 1]
        if (
            is_given_name(words[i])
            and not is_given_name(before)
            and (is_title_word(before) or _ROLE_SHAPE.search(bare(before)))
        ):
            cut = i
    rest = words[cut:]
    if cut and _common_word(words[-1], lower) and not is_given_name(rest[0]):
        rest = []
    if len(rest) < 3:
        return rest
    # Names given alone are of a few words: only that many are tried at either end, so a run
    # of thousands of words (a page of initials) costs no more than a short one.
    for j in range(max(1, len(rest) - _LONGEST_NAME), len(rest) - 1):
        # the longest name the text gives alone that ends it
        if " ".join(rest[j:]) in alone and not all(is_given_name(w) for w in rest[:j]):
            return rest[j:]
    for k in range(min(len(rest) - 1, _LONGEST_NAME), 1, -1):  # ... that opens it
        tail = rest[k:]
        if " ".join(rest[:k]) in alone and not (
            len(tail) == 1 and bare(tail[0]).rstrip(".") in _NAME_SUFFIXES
        ):
            return rest[:k]
    return rest


@functools.lru_cache(maxsize=65536)
def given_name_gender(name: str) -> str | None:
    """'m' or 'f' when the first word of a full name is a common given name of that gender (the
    hand lists, then the census names)."""
    words = name_tokens(name)
    if len(words) < 2:
        return None
    if words[0] in _MALE_NAMES:
        return "m"
    if words[0] in _FEMALE_NAMES:
        return "f"
    return _CENSUS_NAMES.get(words[0])


def is_given_name(word: str) -> bool:
    """Whether a word is a common given name ("Bob", "Sarah")."""
    words = name_tokens(word)
    return len(words) == 1 and (words[0] in _MALE_NAMES or words[0] in _FEMALE_NAMES)


@dataclass
class Person:
    """One person the text names: the fullest name, the longest title, and the evidence."""

    name: str
    title: str | None = None
    count: int = 0  # mentions
    first: int = 0  # offset of the first mention
    male: int = 0  # evidence for the pronouns used of this person
    female: int = 0
    honorific: str | None = None  # "m" or "f" from Mr./Ms./Mrs.
    # The first word is a common word (see `_common_word`): "Donor Roe" of a headline is a
    # weaker name than "Jo Roe", however often the text then says "Roe".
    common_opener: bool = False
    seen: list[int] = field(default_factory=list)  # offsets of the mentions, sorted

    def last_before(self, at: int) -> int:
        """The offset of this person's last mention before offset `at`, or -1."""
        i = bisect.bisect_left(self.seen, at)
        return self.seen[i - 1] if i else -1

    @property
    def gender(self) -> str | None:
        """'m', 'f' or None: from an honorific, else a given name, else the pronouns."""
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


_LOWER_WORD = re.compile(r"(?<![\w.’'-])[a-z][a-z]+\b")
_OPENS = frozenset(".!?:;\n")


def _opens_sentence(text: str, start: int) -> bool:
    """Whether offset `start` begins a sentence, a line or a quotation's words."""
    before = text[max(0, start - 8) : start].rstrip(" \t\"“‘'(")
    return not before or before[-1] in _OPENS


def _without_openers(
    text: str, runs: list[tuple[int, str | None, str, bool]], lower: set[str]
) -> list[tuple[int, str | None, str, bool]]:
    """The name runs, a sentence's capitalised first word taken off those it only opens
    ("Understated Perez" of a heading is Perez, "Thanks Sarah, he wrote" Sarah): the word is
    written lowercase elsewhere in the text and is no given name, the run is never written so
    in mid-sentence, and what is left is a name the text gives (it opens with a given name, or
    it is the surname of a longer name written in mid-sentence or opening with a given
    name, or a name the text writes alone in mid-sentence: "Maybe Trump is" of a text that
    says "Trump" elsewhere)."""
    mid = {name for start, _, name, _ in runs if not _opens_sentence(text, start)}
    surnames = {
        name.split()[-1]
        for _, _, name, _ in runs
        if len(name.split()) >= 2 and (name in mid or is_given_name(name.split()[0]))
    }
    surnames |= {name for name in mid if " " not in name}
    out: list[tuple[int, str | None, str, bool]] = []
    for start, title, name, placed in runs:
        words = name.split()
        if (
            len(words) == 2
            and name not in mid
            and title is None
            and _opens_sentence(text, start)
            and all(_common_word(w, lower) for w in words)
        ):
            # `Any Questions`, `Very Seriously`, `Tough Choices` opening a sentence or a line:
            # two words the text writes lowercase elsewhere, neither a given name, are a
            # sentence's or a heading's first words, never a name in mid-sentence.
            continue
        if (
            len(words) >= 2
            and name not in mid
            and title is None
            and words[0][1:].islower()
            and not is_given_name(words[0])
            and (is_given_name(words[1]) or (len(words) == 2 and words[1] in surnames))
            and _opens_sentence(text, start)
            and words[0].lower() in lower
        ):
            first = text.find(words[1], start)
            out.append((first if first >= 0 else start, title, " ".join(words[1:]), placed))
            continue
        out.append((start, title, name, placed))
    return out


# Words that end no name: function words (`not_a_name`) but for the months, days and numbers
# that do end some ("Theresa May", "Air Force One"). Articles, pronouns and conjunctions never
# do, nor the pronouns and adverbs that end a button's or a heading's words ("Share This",
# "Follow Us", "Read More"); a preposition may be a surname after a name ("Al From").
_MAY_END = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday one two three i god".split()
)
_NEVER_END = frozenset(
    "the a an and or but nor if it he she they we you this that these those his her their our "
    "its my me us him them more again too there here".split()
)


def _never_last(words: list[str], lower: set[str]) -> bool:
    """Whether the last of a run's capitalised words can't end a name (`Washington D.C. This`,
    `Shared This`, `Talks To`; not "Jo From" where "Jo" is no common word)."""
    w = bare(words[-1])
    if w in _NEVER_END:
        return True
    if not not_a_name(words[-1]) or w in _MAY_END:
        return False
    return len(words) != 2 or _common_word(words[0], lower)


def _capitals(word: str) -> bool:
    """Whether a word is written in capitals (two letters or more, no dots: not "U.S.")."""
    return len(word) > 1 and word.isupper() and word.isalpha()


def _case_runs(start: int, run: str, lower: set[str]) -> list[tuple[int, str]]:
    """A name run cut where a heading or dateline in capitals meets words in title case
    (`OLYMPIC VILLAGE The`, `SPOT BEDBUGS Before`, `Doing THIS`), each part with its offset:
    a part in capitals of two words, or of one word the text writes lowercase ("THIS"), is no
    part of a name beside it ("CIA Annex", "Sen. JO Roe" stay whole)."""
    words = run.split(" ")
    if len(words) < 2 or "\u00a0" in run or not any(_capitals(w) for w in words):
        return [(start, run)]
    # Cut before and after each heading part (words in capitals of the same kind next to
    # each other); the words between cuts are one run, in linear time however long the run.
    cuts = [0]
    i = 0
    while i < len(words):
        j = i + 1
        caps = _capitals(words[i])
        while j < len(words) and _capitals(words[j]) == caps:
            j += 1
        if caps and (j - i > 1 or words[i].lower() in lower):
            cuts += [i, j]
        i = j
    cuts.append(len(words))
    out: list[tuple[int, str]] = []
    at = start
    for a, b in itertools.pairwise(cuts):
        if b > a:
            part = " ".join(words[a:b])
            out.append((at, part))
            at += len(part) + 1
    return out


@dataclass
class PersonRegistry:
    """People named in one text, found by a cheap scan for capitalised name runs.

    `resolve` maps a short form ("Blinken", "Secretary Blinken") to the fullest name the text
    gives ("Antony Blinken") and the role title seen with it.
    """

    people: dict[str, list[Person]] = field(default_factory=dict)  # name_key -> people
    # (offset, canonical name) of the mentions that can be a person's (not after "of", "the")
    mentions: list[tuple[int, str]] = field(default_factory=list)
    lower: set[str] = field(default_factory=set)  # the words the text writes lowercase
    paragraphs: list[int] = field(default_factory=list)  # offsets where paragraphs start
    named: dict[int, Person] = field(default_factory=dict)  # bare surname's offset -> person
    text: str = ""  # the text scanned
    # head noun -> (offset, person, words) of the descriptions given with names (`described`)
    by_head: dict[str, list[tuple[int, Person, frozenset[str]]]] | None = None

    @classmethod
    def from_text(cls, text: str, limit: int = 20000) -> PersonRegistry:
        """Scan `text` for name runs (at most `limit` of them, to bound the work)."""
        reg = cls(text=text)
        found: list[tuple[int, str | None, list[str]]] = []
        lower = reg.lower = set(_LOWER_WORD.findall(text))
        reg.paragraphs = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
        for n, m in enumerate(NAME_RUN.finditer(text)):
            if n >= limit:
                break
            for at, run in _case_runs(m.start(), m.group(0), lower):
                title, name = split_title(_before_of(run))
                words = name.split()
                while words and not_a_name(words[0]):
                    words.pop(0)
                cut = len(words)
                while words and _never_last(words, lower):
                    words.pop()
                if len(words) < cut and len(words) == 1 and _common_word(words[0], lower):
                    continue  # `Speaker Just Shared This` of a headline: no name is left
                if words:
                    found.append((at, title, words))
        # The names a run gives alone, and the words the text writes lowercase: what tells a
        # name within a line of capitalised words from the line.
        alone = {" ".join(words) for _, _, words in found if len(words) >= 2}
        runs: list[tuple[int, str | None, str, bool]] = []
        for start, title, words in found:
            if len(words) >= 3:
                part = _name_part(words, lower, alone)
                if not part:
                    continue
                if part != words:  # the rest was a line's words, not a title
                    at = text.find(part[0], start)
                    start, title, words = (at if at >= 0 else start), None, part
            # After a preposition or article a name run is rarely a person ("of Doki Doki").
            placed = word_before(text, start) in _NOT_PERSON_BEFORE
            runs.append((start, title, " ".join(words), placed))
        runs = _without_openers(text, runs, lower)
        for start, title, name, placed in runs:  # full names first, so short forms find them
            if len(name.split()) >= 2:
                reg._add(name, title, start, placed)
        for start, title, name, placed in runs:
            if len(name.split()) == 1:
                full = reg.lookup(name, start)
                if full is not None:
                    full = reg._agreeing(text, name, start, full)
                    reg.named[start] = full
                    # A role seen with a surname that several named people share ("Congressman
                    # Roe" beside Tom Roe and his wife Rita Roe) is no one's in particular.
                    shared = [
                        p for p in reg.people.get(name_key(name), ())
                        if len(p.name.split()) > 1 and same_person(p.name, name)
                    ]  # fmt: skip
                    reg._add(full.name, title if len(shared) < 2 else None, start, placed)
                elif (
                    title is not None
                    or _HONORIFIC_START.match(text, start)
                    or (not placed and _introduced(text, start, name))
                ):
                    reg._add(name, title, start, placed)
        reg.mentions.sort()
        reg._genders(text, runs)
        return reg

    def _genders(self, text: str, runs: list[tuple[int, str | None, str, bool]]) -> None:
        """Guess each person's pronouns from honorifics and the words after their mentions."""
        starts = [start for start, _, name, _ in runs if self.lookup(name) is not None]
        for start, title, name, _ in runs:
            person = self.lookup(name, start)
            if person is None:
                continue
            t = (title or "").lower() + " " + text[start : start + 5].lower()
            given = given_name_gender(person.name)
            if re.search(r"\b(mrs|ms|miss)\b", t):
                if given == "m":
                    continue  # "Mrs Roe" beside Al Roe is his wife, not him
                person.female += 3
                person.honorific = "f"
            elif re.search(r"\bmr\b", t):
                if given == "f":
                    continue  # "Mr Roe" beside Ida Roe is her father or husband, not her
                person.male += 3
                person.honorific = "m"
            elif person.honorific is None:
                before = text[max(0, start - 30) : start]
                if _FEMALE_ROLE.search(before):
                    person.female += 3
                    person.honorific = "f"
                elif _MALE_ROLE.search(before):
                    person.male += 3
                    person.honorific = "m"
                elif _NEUTRAL_MAN_ROLE.search(before):
                    person.male += 1
            # The pronouns after a mention, up to the next person or the paragraph's end.
            k = bisect.bisect_right(starts, start)
            stop = min(starts[k] if k < len(starts) else len(text), start + 300)
            para_end = text.find("\n\n", start, stop)
            window = text[start : para_end if para_end >= 0 else stop]
            for m in _MALE.finditer(window):
                person.male += 2 if _SUBJECT.fullmatch(m.group(0)) else 1
            for m in _FEMALE.finditer(window):
                person.female += 2 if _SUBJECT.fullmatch(m.group(0)) else 1

    def gender(self, name: str, at: int | None = None) -> str | None:
        """'m', 'f' or None: the pronouns the text seems to use for a person."""
        person = self.lookup(name, at)
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
                bisect.insort(person.seen, start)
                if not placed:
                    self.mentions.append((start, person.name))
                return
        opener = len(name.split()) > 1 and _common_word(name.split()[0], self.lower)
        group.append(Person(name, title, 1, start, common_opener=opener, seen=[start]))
        if not placed:
            self.mentions.append((start, name))

    def _agreeing(self, text: str, name: str, start: int, person: Person) -> Person:
        """The person a bare surname at `start` names, given `person` as the registry's pick:
        another with that surname when the pronoun after it in its sentence clashes with
        the given name of `person` and agrees with the other's ("Jo Roe ... Al Roe ... Roe
        lost her bag": Jo Roe)."""
        end = max(start, text.find(name, start, start + 80)) + len(name)
        rest = re.split(r"[.!?\n]", text[end : end + 200], maxsplit=1)[0]
        m = re.search(r"\b(?:he|his|him|she|her)\b", rest, re.I)
        if m is None:
            return person
        said = "f" if _FEMALE.fullmatch(m.group(0)) else "m"
        if given_name_gender(person.name) in (None, said):
            return person
        agree = [
            p for p in self.people.get(name_key(name), ())
            if same_person(p.name, name) and looks_like_person(p.name)
            and given_name_gender(p.name) == said
        ]  # fmt: skip
        return agree[0] if len(agree) == 1 else person

    def lookup(self, mention: str, at: int | None = None) -> Person | None:
        """The known person a mention names: the most mentioned compatible one that can be a
        person's name and opens with no common word, else None. "Trump" is Donald Trump, not
        "Team Trump" or "Donor Trump" of a heading, however often the heading recurs. Given
        the mention's offset `at`, a bare surname names the person with it mentioned last
        before `at` in the same paragraph ("Jo Roe ... His son, Al Roe, ... Roe added": Al
        Roe); beyond the paragraph, the most mentioned one still (the son named once does not
        take every later "Roe")."""
        group = self.people.get(name_key(mention))
        if not group:
            return None
        fits = [p for p in group if same_person(p.name, mention)]
        if not fits:
            return None
        if at is not None and any(p is self.named.get(at) for p in fits):
            return self.named[at]
        since = -1
        if at is not None and len(fits) > 1 and len(name_tokens(mention)) == 1:
            since = self.paragraphs[bisect.bisect_right(self.paragraphs, at) - 1]
        return max(
            fits,
            key=lambda p: (
                looks_like_person(p.name),
                not p.common_opener,
                # only a name that opens with a given name is told apart by recency
                max(p.last_before(at), since - 1)
                if since >= 0 and at is not None and given_name_gender(p.name) is not None
                else since - 1,
                p.count,
                len(p.name.split()),
                -p.first,
            ),
        )

    def resolve(self, mention: str, at: int | None = None) -> tuple[str, str | None]:
        """(canonical name, role title or None) for a person mention (see `_name_within`
        for a name the registry lacks); `at`, the mention's offset, as for `lookup`."""
        title, name = split_title(mention)
        if not name and len(mention.split()) == 1 and mention[:1].isupper():
            # A surname that is also a title word, alone ("said King"): the person the article
            # named in full with it (Wayne King), else the word as it stands.
            word = name_key(mention)
            named = [
                p for p in self.people.get(word, ())
                if len(p.name.split()) > 1 and name_key(p.name) == word
                and looks_like_person(p.name) and not p.common_opener
            ]  # fmt: skip
            if len(named) == 1:  # one Wayne King, not a Wayne and a Coretta Scott King
                return named[0].name, named[0].title
        person = self.lookup(name, at) if name else None
        if person is None and name:
            return self._name_within(name, title)
        if person is None:
            return (name or mention), title
        return person.name, person.title or title

    def _name_within(self, name: str, title: str | None) -> tuple[str, str | None]:
        """`resolve` of a name the registry lacks that ends with the name of a known person
        opening with a given name: after common words ("Donor Roe", "Staff Jo Roe" -> Jo
        Roe), or ending with that full name ("Harbor County Recorder Jo Roe" -> Jo Roe, the
        words before it a title when the registry has none)."""
        words = name.split()
        common = True
        for cut in range(1, len(words)):
            common = common and _common_word(words[cut - 1], self.lower)
            rest = " ".join(words[cut:])
            found = self.lookup(rest)
            if found is None or not is_given_name(found.name.split()[0]):
                continue
            if found.name == rest and cut < len(words) - 1:
                return found.name, found.title or title or " ".join(words[:cut])
            if common:
                return found.name, found.title or title
        return name, title

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

    def described(self, description: str, before: int) -> Person | None:
        """The one person named before offset `before` whom a definite description ("the
        former mayor", "the actress", "the 46-year-old", "the Ohio Republican") goes back to:
        one of the descriptions the text gives with their name (the words just before it,
        "Former New York mayor Jo Roe", or an apposition after it, "Jo Roe, 46, an Ohio
        Republican,", "Jo Roe (R-Ohio)") has the description's head noun as its own head and
        every other word of it. None when nobody or more than one person fits."""
        raw = [_desc_word(w) for w in description.split()]
        if len(raw) < 2 or raw[0] != "the" or not all(raw[1:]):
            return None
        words = " ".join(raw).split()  # "the N.Y. senator": the, new, york, senator
        head, wants = words[-1], set(words[1:-1])
        if self.by_head is None:  # built once: every later description is a lookup
            self.by_head = {}
            for group in self.people.values():
                for p in group:
                    if p.common_opener or group_or_place(p.name) or not looks_like_person(p.name):
                        continue
                    for at in p.seen:
                        for h, said in self._descriptions(at):
                            self.by_head.setdefault(h, []).append((at, p, frozenset(said)))
        fits: list[Person] = []
        for at, p, ws in self.by_head.get(head, ()):
            if at < before and wants <= ws and all(p is not f for f in fits):
                fits.append(p)
                if len(fits) > 1:
                    break
        return fits[0] if len(fits) == 1 else None

    def _descriptions(self, at: int) -> list[tuple[str, set[str]]]:
        """(head, words) of the descriptions given with the name run at offset `at`: the
        words just before it and a phrase set off after it (see `described`)."""
        text = self.text
        run = NAME_RUN.match(text, at)
        if run is None:
            return []
        out: list[tuple[str, set[str]]] = []
        before: list[str] = []
        for w in reversed(text[max(0, at - 80) : at].split()[-_DESC_WORDS:]):
            if _DESC_BREAK.search(w):
                # a word that closes a sentence or phrase ("Tuesday." "it,") ends the run
                break
            d = _desc_word(w)
            if not d or d in _DESC_STOP:
                break
            before.extend(reversed(d.split()))
        title, _ = split_title(run.group(0))
        titled = " ".join(_desc_word(w) for w in (title or "").split()).split()
        before = titled[::-1] + before
        if before:
            out.append((before[0], set(before)))
        rest = text[run.end() : run.end() + 160]
        for _ in range(2):  # "Jo Roe, 46, an actress,": the age, then the apposition
            m = _APPOSED.match(rest)
            if m is None:
                break
            tagged = _PARTY_TAG.sub(_party, m.group(1))
            phrase = [_desc_word(w) for w in tagged.split()]
            if phrase and phrase[0] in ("a", "an", "the"):
                phrase = phrase[1:]
            # The head ends the words before a preposition or clause; the words after it
            # describe too ("the senator from Vermont", "the former mayor of New York").
            cut = next((i for i, w in enumerate(phrase) if not w or w in _DESC_STOP), None)
            lead = phrase[:cut] if cut is not None else phrase
            if lead and all(lead):
                said = " ".join(w for w in phrase if w and w not in _DESC_STOP).split()
                out.append((" ".join(lead).split()[-1], set(said)))
                if tagged != m.group(1):
                    # a party tag says whose seat any title holds: "Sen. Jo Roe (I-Vt.)" is
                    # the Vermont senator
                    for _, ws in out:
                        ws.update(said)
            rest = rest[m.end(1) :]
        return out


# Descriptions a person is given with their name, for `PersonRegistry.described`.
_DESC_WORDS = 6  # words before a name looked at
_DESC_BREAK = re.compile(r"[,.;:!?\"“”()\[\]—–]|--")
_DESC_STOP = frozenset(
    "the a an and or but by of for from with to in on at as said says told who whom whose that "
    "which this these those his her their its our my your is was are were be been has have had "
    "when while after before than like about over under against".split()
)
_AGE_WORD = re.compile(r"(\d{1,3})-years?-old")
# A phrase set off after a name: ", 46," ", the former mayor of X," " (R-Ohio)".
_APPOSED = re.compile(r"\s*(?:,|\(|--|—|–)\s*([^,.;:!?()\"“”—–]{1,80}?)\s*(?=[,.;:!?()\"“”—–]|--)")
_PARTY_TAG = re.compile(r"\b([RDI])-([A-Z][\w.]*)")
_PARTIES = {"R": "republican", "D": "democrat", "I": "independent"}


def _party(m: re.Match[str]) -> str:
    """`R-Ohio` -> `Ohio republican`."""
    return f"{m.group(2)} {_PARTIES[m.group(1)]}"


def _desc_word(word: str) -> str:
    """A word of a description in the form descriptions are matched in: lowercase, without
    a possessive, an abbreviated title spelled out ("Sen." -> "senator"), an age as its number
    ("46-year-old" -> "46"), "Democratic" as "democrat", a state's abbreviation spelled out
    ("Fla." -> "florida", "N.Y." -> "new york"); "" for a word with no letter or
    digit."""
    w = re.sub(r"['’]s?$", "", word.strip("\"'“”‘’,.;:()")).lower()
    m = _AGE_WORD.fullmatch(w)
    if m:
        return m.group(1)
    if w == "democratic":
        return "democrat"
    w = TITLE_ABBREVIATIONS.get(w, w)
    w = _STATES.get(w, w)
    return w if re.search(r"\w", w) else ""


# The states as papers abbreviate them ("R-Fla.", "Sen. Jo Roe (I-Vt.)"), spelled out; not
# those that are also words of names ("Miss", "La", "Del").
_STATES = {
    "ala": "alabama", "ariz": "arizona", "ark": "arkansas", "calif": "california",
    "colo": "colorado", "conn": "connecticut", "fla": "florida",
    "ga": "georgia", "ill": "illinois", "ind": "indiana", "kan": "kansas", "ky": "kentucky",
    "md": "maryland", "mass": "massachusetts", "mich": "michigan",
    "minn": "minnesota", "mo": "missouri", "mont": "montana",
    "neb": "nebraska", "nev": "nevada", "n.h": "new hampshire", "n.j": "new jersey",
    "n.m": "new mexico", "n.y": "new york", "n.c": "north carolina", "n.d": "north dakota",
    "okla": "oklahoma", "ore": "oregon", "pa": "pennsylvania", "r.i": "rhode island",
    "s.c": "south carolina", "s.d": "south dakota", "tenn": "tennessee", "tex": "texas",
    "vt": "vermont", "va": "virginia", "wash": "washington", "w.va": "west virginia",
    "wis": "wisconsin", "wyo": "wyoming",
}  # fmt: skip


# Places that turn up where a person's name could: a "he" never stands for them.
PLACE_NAMES = frozenset(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon
    pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming america
    europe asia africa australia canada mexico china japan india russia germany france britain
    england scotland ireland wales italy spain portugal israel iran iraq syria turkey egypt
    libya pakistan afghanistan ukraine poland sweden norway denmark finland greece cuba brazil
    argentina chile colombia venezuela korea vietnam indonesia nigeria kenya belgium austria
    switzerland netherlands hungary yemen jordan lebanon qatar""".split()
) | frozenset(
    {"new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
     "rhode island", "south carolina", "south dakota", "west virginia", "middle east",
     "united states", "united kingdom", "saudi arabia", "north korea", "south korea",
     "new zealand", "south africa", "latin america", "central america", "south america",
     "washington d.c.", "puerto rico"}
)  # fmt: skip
# Plural nouns for a group of people: "Massachusetts Democrats", "Young Latinos", "New
# Yorkers" speak as many; a "he" or "she" never stands for them.
GROUP_PLURALS = frozenset(
    """democrats republicans americans latinos latinas hispanics yorkers muslims christians jews
    catholics evangelicals conservatives liberals progressives independents voters workers
    syrians iraqis israelis palestinians mexicans canadians europeans africans asians russians
    germans britons iranians afghans cubans koreans""".split()
)


def group_or_place(name: str) -> bool:
    """Whether a name is a place ("South Carolina") or a group of people ("New Yorkers"),
    never what a "he" or "she" stands for."""
    words = name.split()
    if not words:
        return False
    return name.lower() in PLACE_NAMES or bare(words[-1]) in GROUP_PLURALS
