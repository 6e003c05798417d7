"""Who a pronoun or a bare quote stands for: the discourse focus, from the text alone.

The candidates are the speakers attributed so far, the indirect attributions anywhere in the
text ("Smith said the...", "said Smith") and the people last named as a clause's subject; the
parse is not needed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from summaries.understand import people
from summaries.understand.people import SHORT_NAME_RUN
from summaries.understand.quotes.article import Article, Speaker
from summaries.understand.quotes.marks import same_paragraph, subject_place, word_before
from summaries.understand.quotes.persons import (
    GROUP_PLURALS,
    given_name_gender,
    group_or_place,
    looks_like_person,
)
from summaries.understand.quotes.words import (
    COLLECTIVE,
    CUE_ALT,
    NOT_SPEAKER_BEFORE,
    PERSON_PRONOUNS,
    PRONOUNS,
)

# Indirect attributions anywhere in the text ("Smith said the...", "said Smith"): they tell
# who is speaking when a later quote or pronoun has no name of its own. The name may carry a
# party tag and one apposition before its verb ("Sen. Jo Roe (D-Ore.), who chairs it, said").
_TRACK_AFTER = re.compile(
    rf"(?P<who>{SHORT_NAME_RUN.pattern}|\b[Hh]e\b|\b[Ss]he\b)"
    r"(?:\s\([^()\n]{1,30}\))?(?P<aside>,[^,.;:!?\"“”()\n]{3,90},)?[ ,]+"
    rf"(?:\w+ly |also |later |then |has |had )?(?:{CUE_ALT})\b"
)
# `, he said,` set off inside a sentence: a pronoun's attribution, not an apposition.
_SAID_ASIDE = re.compile(rf",\s*(?P<who>[Hh]e|[Ss]he|I|[Ww]e|[Tt]hey)\s+(?:{CUE_ALT})\s*,$")
# Attributions looked back through for a pronoun's antecedent, nearest first.
_LOOK_BACK = 200
# `"...," said Smith`: only verbs that invert so, after the words said, and a name that ends
# there (`said Smith, a ...`, `said Smith.`): after "told", "praised" or "decried" a name is who
# is spoken to or of, in `said Trump hurt his cause` the name opens the reported clause, and in
# `X asked Smith:` Smith is asked.
INVERTED = (
    "said|says|added|adds|asked|asks|wrote|writes|explained|continued|noted|recalled|argued|"
    "insisted|replied|responded|warned|declared|stated|acknowledged|conceded|quipped|joked"
)
_TRACK_BEFORE = re.compile(
    rf"(?:[,?!][\"”’']?|[\"”’'],?)\s*\b(?:{INVERTED})[ ,]+(?P<who>{SHORT_NAME_RUN.pattern})"
    r"(?=\s*(?:[,.;:(\n—–]|$|\s(?:in|on|at|during|last|this|of)\b))"
)


_POSSESSIVE = re.compile(r"['’]s?$")


def _is_pronoun(word: str) -> bool:
    return word.lower() in PRONOUNS


# A description in apposition that ends in an inner name ("Jo Roe, the director for the Iowa
# Party said"): from the comma after the subject, lowercase words and a preposition before it.
_INNER_DESCRIPTION = re.compile(
    r",\s+(?:the|a|an|his|her|its|their)\s+(?:[a-z][\w'’-]*\s+){0,6}"
    r"(?:for|of|at|with|from|in|on)\s+(?:the\s+)?$"
)
_PREPOSITION_THE = re.compile(r"\b(?:for|of|at|with|from|in|on|by|to)\s+the\s+$")
_NAME_BEFORE_COMMA = re.compile(rf"(?:{SHORT_NAME_RUN.pattern})$")


def _apposition_owner(text: str, at: int) -> tuple[int, str] | None:
    """For a name at `at` that closes a description in apposition (`Jo Roe, the director for
    the Iowa Party said`), the subject the description is about: (offset, name) of the name
    before its comma; None when the name at `at` stands alone."""
    lo = max(0, at - 90)
    m = _INNER_DESCRIPTION.search(text, lo, at)
    if m is None:
        return None
    owner = _NAME_BEFORE_COMMA.search(text, max(0, m.start() - 60), m.start())
    if owner is None:
        return m.start(), ""
    return owner.start(), owner.group(0)


def indirect_attributions(text: str) -> list[tuple[int, str]]:
    """(offset, mention) of the indirect attributions ("X said", "said X") in `text`, in order."""
    found: list[tuple[int, str]] = []
    for rx in (_TRACK_AFTER, _TRACK_BEFORE):
        for n, m in enumerate(rx.finditer(text)):
            if n > 20000:
                break
            who = m.group("who")
            start = m.start("who")
            aside = m.groupdict().get("aside")
            said = _SAID_ASIDE.match(aside) if aside else None
            if rx is _TRACK_AFTER and said is not None:
                # `Rather, he said, the talks continued`: the set-off attribution is the
                # speaker's; the word before it opens the sentence, and the verb after it is
                # the reported clause's.
                start, who = m.start("aside") + said.start("who"), said.group("who")
            elif rx is _TRACK_AFTER and not _is_pronoun(who):
                # `Jo Roe, the director for the Iowa Party said`: the party is no subject; the
                # name the description is about is (and without one, nobody here).
                owner = _apposition_owner(text, start)
                if owner is not None:
                    start, who = owner
                    if not who:
                        continue
            name = people.split_title(who)[1]
            # "in Virginia, said he": a name after a preposition is not the speaker, nor
            # one after "of the" (`the director of the Iowa Party said`).
            if word_before(text, start) in NOT_SPEAKER_BEFORE or _PREPOSITION_THE.search(
                text, max(0, start - 12), start
            ):
                continue
            # "Trump's comments", "Roe's claims": the owner of a speech noun is not the
            # subject of a clause, and a later "he" goes on with whoever the subject was.
            if _POSSESSIVE.search(who):
                continue
            if _is_pronoun(who) or (name and name.split()[0][:1].isupper()):
                found.append((start, who))
    return sorted(found)


def resolve_mention(art: Article, mention: str, at: int, person_hint: bool) -> Speaker:
    """The speaker a mention at text offset `at` names (a pronoun is resolved)."""
    if _is_pronoun(mention.split()[0]):
        return resolve_pronoun(art, mention.split()[0], at)
    title, name = people.split_title(mention)
    if not name:
        return Speaker(mention, mention, False)
    canonical, reg_title = art.registry.resolve(mention, at + art.offset)
    person = person_hint and looks_like_person(canonical)
    return Speaker(canonical, mention, person, reg_title or title)


# Speech verbs after which the describer is who speaks next (not "asked": the one asked answers).
_DESCRIBED_SAID = "|".join(
    [v for v in INVERTED.split("|") if v not in ("asked", "asks")] + ["told", "tells", "confirmed"]
)
# A person a sentence describes without naming, as the subject of its speech verb: "A
# spokesman for the harbour authority said", "Later, a senior official told reporters". Only an
# indefinite description: it brings in someone new, where "the minister" mostly goes back to a
# person named before.
_DESCRIBED = re.compile(
    r"(?:(?:But|And|Meanwhile|However|Separately|Later|Earlier|Still|Yet|Instead),?\s+)?"
    r"(?P<np>\b(?:[Aa]n?|One|[Aa]nother)\s+(?:(?!(?:and|or)\b)[\w’'-]+\s+){0,3}?"
    r"(?P<head>[a-z]+)(?:\s+(?:for|of|at|in|from|with|to|on|close to|familiar with)\s+"
    r"[^\n,.;:!?\"“”()]{1,60}?)?)"
    rf"\s+(?:\w+ly\s+|also\s+|later\s+)?(?:{_DESCRIBED_SAID})\b"
)
# Heads of a description of one person beside `_PERSON_HEADS` and role titles.
_ONE_PERSON_HEADS = frozenset(
    "diplomat negotiator witness farmer driver nurse captain commander engineer".split()
)
# Words of a description that say the person's sex: "he" is no spokeswoman.
_FEMALE_WORDS = frozenset(
    """woman spokeswoman chairwoman congresswoman businesswoman councilwoman mother daughter
    wife sister girl lady actress widow grandmother aunt niece queen princess""".split()
)
_MALE_WORDS = frozenset(
    """man congressman businessman councilman father son husband brother boy king prince
    widower grandfather uncle nephew""".split()
)
# What may stand just before a described source: a sentence's end, a comma, a dash, a closing
# quotation mark.
_DESCRIPTION_AFTER = frozenset(".!?\n,—–-\"”’'")
# How far back a description is looked for, in characters.
_DESCRIBED_WINDOW = 1200


def described_source(art: Article, pronoun: str, pos: int) -> Speaker | None:
    """The person a "he" or "she" at text offset `pos` stands for when the paragraph (or the
    one before, for words that open their own) last brought in a source by description and
    named nobody since: `A spokesman for the port said boats would sail. "Nothing changes,"
    he said.` -> "a spokesman for the port" (not a person named before it). None otherwise,
    and when the description's words say the other sex."""
    low = pronoun.lower()
    if low not in ("he", "she"):
        return None
    text = art.text
    para = text.rfind("\n", 0, pos) + 1
    start = para
    if not text[para:pos].strip(" \t\"“'‘"):
        # Words that open their paragraph go on from the paragraph before.
        end = len(text[:para].rstrip())
        start = text.rfind("\n", 0, end) + 1 if end < para else para
    start = max(start, pos - _DESCRIBED_WINDOW, art.body_start)
    found = None
    for m in _DESCRIBED.finditer(text, start, pos):
        # It opens a sentence (`A spokesman said`) or ends one after a comma or a quotation
        # (`boats will sail, a spokesman said`, `"Q," an aide said`).
        before = text[max(start, m.start() - 3) : m.start()].rstrip(" \t")
        if (not before or before[-1] in _DESCRIPTION_AFTER) and not art.in_quotation(m.start()):
            found = m
    if found is None:
        return None
    head = found.group("head")
    if not (
        head in _PERSON_HEADS
        or head in _ONE_PERSON_HEADS
        or people.is_title_word(head)
        or head.endswith(("man", "woman", "person"))
    ) or head in ("human", "german", "roman"):
        return None
    np = found.group("np")
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", np)}
    if words & (_FEMALE_WORDS if low == "he" else _MALE_WORDS):
        return None
    # Nobody named since outside quotations, nor a quotation given to anyone else.
    mentions = art.registry.mentions
    k = bisect.bisect_left(mentions, (found.end() + art.offset, ""))
    for at, _ in mentions[k : k + 40]:
        if at - art.offset >= pos:
            break
        if not art.in_quotation(at - art.offset):
            return None
    name = np[0].lower() + np[1:]
    for p, _, sp in reversed(art.resolved[-_LOOK_BACK:]):
        if p < found.end():
            break
        if p < pos and sp.name != name:
            return None
    return Speaker(name, pronoun, False)


def resolve_pronoun(art: Article, pronoun: str, pos: int) -> Speaker:
    """Who a pronoun at text offset `pos` stands for; the pronoun itself when nobody fits. A
    "he" or "she" just after a described source is that source (`described_source`)."""
    low = pronoun.lower()
    described = described_source(art, pronoun, pos)
    if described is not None:
        return described
    # An "I" outside quotation marks is the writer (an op-ed, a memoir, a letter): never the
    # person named last, whom the writer speaks to or of ("I told Jo Roe … '…,' I said").
    if low in PERSON_PRONOUNS:
        gender = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(low)

        def fits(sp: Speaker, strict: bool = True) -> bool:
            # A speaker the parse found needs no evidence against it being a person; a
            # name found by the regex scan needs some evidence for it.
            if not sp.person or not looks_like_person(sp.name) or group_or_place(sp.name):
                return False
            if not_person(art, sp.name):
                return False
            g = art.registry.gender(sp.name)
            return gender is None or g is None or g == gender

        # A question just put to someone by name, nothing said since (`Jo Roe asked Tom Berg
        # about his family. "…," he said`): the one asked answers, not the asker.
        last_direct = art.resolved[-1] if art.resolved else None
        answer = answerer(art, pos, last_direct)
        if answer is not None and fits(answer):
            return Speaker(answer.name, pronoun, True, answer.title)
        # The last fitting speaker attributed before, looked for from the end and not far
        # back: asking every one for every pronoun is quadratic in a page of quotations.
        cands: list[tuple[int, Speaker]] = []
        for p, _, s in reversed(art.resolved[-_LOOK_BACK:]):
            if p < pos and fits(s, False):
                cands.append((p, s))
                break
        i = bisect.bisect_left(art.events, (pos, "")) - 1
        stop = i - _LOOK_BACK
        while i >= 0 and i > stop:
            at, mention = art.events[i]
            if not _is_pronoun(mention.split()[0]):
                sp = resolve_mention(art, mention, at, person_hint=True)
                if fits(sp):
                    cands.append((at, sp))
                    break
            i -= 1
        # The discourse focus: the person last named as a clause's subject (`Jo Roe, a
        # professor, described ...`) is what a later "she" most often stands for.
        subject = last_subject(art, pos, lambda sp: fits(sp))
        if subject is not None:
            cands.append(subject)
        if cands:
            _, best = max(cands, key=lambda c: c[0])
            return Speaker(best.name, pronoun, True, best.title)
        registry = art.registry
        k = bisect.bisect_left(registry.mentions, (pos + art.offset, ""))
        for at, name in reversed(registry.mentions[max(0, k - 200) : k]):
            if at < art.body_start + art.offset:
                break  # a headline's capitalised words are no antecedent
            sp = Speaker(name, pronoun, True, registry.resolve(name)[1])
            if (len(name.split()) >= 2 or is_person(art, name)) and fits(sp):
                return sp
    elif low in COLLECTIVE:
        # The nearer of the last source that is no person and a body or document standing
        # as a sentence's subject just before (`The agency issued a statement. "Q," it said.`).
        said: tuple[int, Speaker] | None = None
        for p, _, best in reversed(art.resolved[-_LOOK_BACK:]):
            if best.person or p >= pos:
                continue
            if low == "it" and _person_noun(best.name):
                continue  # "the aide" or "committee Democrats" is no "it"
            said = (p, Speaker(best.name, pronoun, False, best.title))
            break
        body = body_subject(art.text, pos, low) if low in ("it", "they") else None
        if body is not None and (said is None or body[0] > said[0]):
            return Speaker(body[1], pronoun, False)
        if said is not None:
            return said[1]
    return Speaker(pronoun, pronoun, low in PERSON_PRONOUNS)


# Head nouns of a body or a document that "it" stands for when it speaks, and of the groups
# "they" stands for.
_BODY_NOUNS = frozenset(
    """agency administration association board bureau campaign center centre coalition
    commission committee company council court department firm foundation government group
    institute ministry network newspaper office organization organisation paper party
    publication service union website affidavit article complaint document editorial filing
    indictment lawsuit letter memo memorandum motion petition report ruling statement study
    survey""".split()
)
_GROUP_NOUNS = frozenset(
    """officials lawmakers leaders aides advisers advisors organizers organisers activists
    advocates researchers investigators prosecutors authors experts analysts critics members
    protesters demonstrators residents companies groups campaigns agencies""".split()
)
# Head nouns of a description of a person ("the aide", "a senior official"): never an "it".
_PERSON_HEADS = frozenset(
    """aide official critic expert source analyst spokesperson adviser advisor strategist
    lawmaker legislator voter resident supporter opponent member leader staffer activist
    man woman person friend father mother son daughter wife husband neighbor reporter
    journalist host anchor moderator writer author economist lawyer scientist researcher
    doctor officer soldier worker student teacher parent owner delegate donor operative
    pollster consultant insider veteran employee manager executive""".split()
)


def _person_noun(name: str) -> bool:
    """Whether a description is of a person or of people: "the aide", "the senator",
    "committee Democrats" (a proper name is not)."""
    words = name.split()
    if not words:
        return False
    head = words[-1].strip(".,;:'’\"“”").lower()
    if head in GROUP_PLURALS:
        return True
    if words[-1][:1].isupper():
        return False
    return head in _PERSON_HEADS or people.is_title_word(head) or head.endswith(("man", "woman"))


# How far before a quotation its "it" or "they" is looked for, in characters.
_BODY_WINDOW = 1500
# Where a sentence opens: the text's start, a line's, or after a sentence's end.
_SENTENCE_OPEN = re.compile(r"(?:^|\n|[.!?][\"”’']?[ \t]+)[ \t]*")
# A noun phrase that opens a sentence as the subject of the verb after it: "The agency
# issued", "Acme's campaign immediately backtracked", "Local officials said".
_SUBJECT_PHRASES = [
    re.compile(
        r"(?P<np>(?P<det>(?:The|This) |[A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,3}['’]s )?"
        rf"(?:[\w-]+ ){{{k}}}(?P<head>[A-Za-z]+))"
        r"(?=[ \t]+(?:[a-z]+ly[ \t]+)?(?!(?:of|in|on|at|by|for|with|from|to|and|or|who|which|"
        r"that)\b)[a-z]+\b)"
    )
    for k in range(4)
]


def body_subject(text: str, pos: int, pronoun: str) -> tuple[int, str] | None:
    """(offset, noun phrase) of the body or document ("it") or the group ("they") that last
    opens a sentence as its subject before `pos`, in its paragraph or the one before; None
    when there is none. "It" needs a determined phrase ("the agency", "Acme's campaign")."""
    # Where the paragraph before starts (past blank lines), never before the window: each
    # line is looked at once, so blank lines by the thousand cost no more than their length.
    window = max(0, pos - _BODY_WINDOW)
    prev = max(text.rfind("\n", window, pos) + 1, window)
    while prev > window:
        start = max(text.rfind("\n", window, prev - 1) + 1, window)
        blank = not text[start:prev].strip()
        prev = start
        if not blank:
            break
    heads = _BODY_NOUNS if pronoun == "it" else _GROUP_NOUNS | GROUP_PLURALS
    found = None
    for o in _SENTENCE_OPEN.finditer(text, prev, pos):
        m = next(
            (
                m
                for rx in _SUBJECT_PHRASES
                if (m := rx.match(text, o.end(), pos)) and m.group("head").lower() in heads
            ),
            None,
        )
        if m is None:
            continue
        if pronoun == "it" and m.group("det") is None:
            continue
        np = m.group("np")
        found = (m.start(), np[0].lower() + np[1:] if np.startswith(("The ", "This ")) else np)
    return found


def last_subject(
    art: Article, pos: int, fits: Callable[[Speaker], bool]
) -> tuple[int, Speaker] | None:
    """The last person mention before `pos` in a subject's place that `fits`, if any.

    Cheap evidence, no parse: the name opens a sentence or a clause after a comma, with at
    most a few lowercase role words before it ("presidential nominee Hillary Clinton"), it
    is not a possessive, and it stands outside quotations.
    """
    mentions = art.registry.mentions
    k = bisect.bisect_left(mentions, (pos + art.offset, ""))
    for at, name in reversed(mentions[max(0, k - 60) : k]):
        start = at - art.offset
        if start < art.body_start or pos - start > 3000:
            break
        if art.in_quotation(start):
            continue
        if not subject_place(art.text, start, name):
            continue
        sp = Speaker(name, name, True, art.registry.resolve(name)[1])
        if (len(name.split()) >= 2 or is_person(art, name)) and fits(sp):
            return start, sp
    return None


# A question put to someone by name: `Oprah Winfrey asked Meghan Markle whether ...`.
_ASKED = re.compile(
    rf"(?P<who>{SHORT_NAME_RUN.pattern})[ ,]+(?:\w+ly )?(?:asked|asks|questioned|pressed)"
    rf"\s+(?P<whom>{SHORT_NAME_RUN.pattern})"
)
_QUESTION_END = re.compile(r"\?\s*[\"”’']")


def questions(text: str) -> list[tuple[int, str, str]]:
    """(offset, asker, addressee) of the questions put to a named person in `text`, in order."""
    found: list[tuple[int, str, str]] = []
    for n, m in enumerate(_ASKED.finditer(text)):
        if n > 20000:
            break
        whom = people.split_title(m.group("whom"))[1]
        if whom and not people.not_a_name(whom.split()[0]):
            found.append((m.start("who"), m.group("who"), m.group("whom")))
    return found


def answerer(
    art: Article, pos: int, last_direct: tuple[int, int, Speaker] | None
) -> Speaker | None:
    """Who answers at `pos`: the person a question was last put to, when nothing was said
    since but the question itself (`X asked Y whether ... "Answer."`, `X asked Y: "Q?" "A."`)."""
    i = bisect.bisect_left(art.questions, (pos, "", "")) - 1
    if i < 0:
        return None
    at, asker, whom = art.questions[i]
    k = bisect.bisect_left(art.events, (pos, "")) - 1
    spoken = [e for e in art.events[max(0, k - 5) : k + 1] if e[0] > at and e[0] < pos]
    if spoken:
        return None
    asked_by = resolve_mention(art, asker, at, person_hint=True)
    if (
        last_direct is not None
        and last_direct[0] < at
        and last_direct[2].name == asked_by.name
        and same_paragraph(art.text, last_direct[0], pos)
        and not _QUESTION_END.search(art.text, last_direct[0], last_direct[1] + 2)
    ):
        # `"You said A," Roe asked Berg. "Why?"`: the asker's words before the verb were
        # no question, so the words after it go on with them.
        return None
    if last_direct is not None and last_direct[0] > at:
        # The words since the question must be the question itself, the asker's.
        p, end, sp = last_direct
        if sp.name != asked_by.name or not _QUESTION_END.search(art.text, p, end + 2):
            return None
    sp = resolve_mention(art, whom, at, person_hint=True)
    return sp if sp.person and sp.name != asked_by.name else None


def previous_speaker(art: Article, pos: int) -> Speaker | None:
    """The speaker last attributed (directly or by indirect speech) before `pos`."""
    last_direct = art.resolved[-1] if art.resolved else None
    answer = answerer(art, pos, last_direct)
    if answer is not None:
        return answer
    i = bisect.bisect_left(art.events, (pos, "")) - 1
    last_event = art.events[i] if i >= 0 else None
    # A person who is the subject of a sentence of the same paragraph after everything
    # attributed so far (`Sen. Jo Roe identified youth as the reason. "Q."`) introduces
    # the words.
    after = max(last_direct[1] if last_direct else -1, last_event[0] if last_event else -1)
    subject = last_subject(art, pos, lambda sp: is_person(art, sp.name))
    if subject is not None and subject[0] > after and same_paragraph(art.text, subject[0], pos):
        return subject[1]
    # An indirect attribution after the last quote's sentence introduces a new speaker.
    if last_event is not None and (last_direct is None or last_event[0] > last_direct[1]):
        return resolve_mention(art, last_event[1], last_event[0], person_hint=True)
    if last_direct is None or _paragraphs_between(art.text, last_direct[1], pos) > PREVIOUS_REACH:
        # Words with no cue, paragraphs after anyone last spoke: nothing says they are theirs
        # (an essay's scare quotes, a phrase it borrows).
        return None
    if _someone_else_between(art, last_direct, pos):
        # `"Q1" was said by the agency. \n\n But for Jo Roe it is personal. \n\n "Q2."`: a
        # paragraph on someone else stands between; nothing says whose Q2 is.
        return None
    return last_direct[2]


def _someone_else_between(art: Article, last: tuple[int, int, Speaker], pos: int) -> bool:
    """Whether a person other than `last`'s speaker is named in a paragraph that lies wholly
    between the end of `last`'s paragraph and the paragraph at `pos`."""
    text = art.text
    start = text.find("\n", last[1], pos)
    stop = text.rfind("\n", 0, pos)
    if start < 0 or stop <= start:
        return False
    for m in people.NAME_RUN.finditer(text, start, stop):
        known = art.registry.lookup(people.split_title(m.group(0))[1] or m.group(0))
        if known is None or people.same_person(known.name, last[2].name):
            continue
        if is_person(art, known.name):
            return True
    return False


# How many paragraphs may stand between a quotation and the last one attributed for it to
# go on with that speaker, when nothing else names one.
# (Train CV, reaches 1, 2, 3 and none: named and pronoun figures within a quote of each other;
# 3 is the least change that stops a speaker running on through a whole essay.)
PREVIOUS_REACH = 3


def _paragraphs_between(text: str, a: int, b: int) -> int:
    """The paragraph breaks between offsets a and b (counted up to PREVIOUS_REACH + 1)."""
    count, i = 0, a
    while count <= PREVIOUS_REACH:
        i = text.find("\n", i, b)
        if i < 0:
            break
        count += 1
        while i < b and text[i] in "\n \t":  # a blank line is one break
            i += 1
    return count


def not_person(art: Article, name: str) -> bool:
    """Whether the entity recogniser only ever took a name for a place or organisation."""
    person, other = art.kinds.get(name, (0, 0))
    if person or other < 2:
        return False  # one label from the small model is too weak to go on
    # The small model often takes a surname for a place; pronouns used of a name say more.
    known = art.registry.lookup(name)
    return known is None or not (known.honorific or abs(known.male - known.female) >= 4)


def is_person(art: Article, name: str) -> bool:
    """Whether a name can be the person a "he" or "she" stands for: some evidence for a
    person (the entity recogniser, an honorific, a given name, a title) and none against."""
    if not looks_like_person(name):
        return False
    person, other = art.kinds.get(name, (0, 0))
    if person or other:
        return person > 0
    known = art.registry.lookup(name)
    if known is None:
        return False
    return bool(known.honorific or given_name_gender(known.name) or known.title)
