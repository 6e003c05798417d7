"""Who-said-what accuracy: the 20 peer test cases and the PolNeAR dev split.

Run: python bench/quotes_eval.py [--verbose]   (NEWSBRIEF_EVAL_DIR overrides ../shared/eval)

PolNeAR, scored as ../shared/eval/README.md says: a predicted quote matches an annotated
attribution when their character spans overlap by at least half of the shorter; precision
counts predictions that match any attribution, recall the attributions with quote marks. A
matched prediction's speaker is right when our speaker's name shares a name word with the
annotated speaker; for a pronoun, with the nearest named annotated speaker before the pronoun in
the text. "Named" and "name word" are read literally (see `_name_words`): an annotated speaker is
named when it holds a proper name for the speaker ("Sen. Ted Cruz", "Another critic, Laurence H.
Tribe", "PolitiFact"), and its name words are that name's words, role titles left out. A pure
description ("the mayor", "the New York businessman", "Clinton's campaign") names nobody: it is
neither a named nor a pronoun speaker and is not scored, and it is never a pronoun's antecedent.
Our side is the canonical name only; its title is not a name. For comparison the bench also
prints round 1's looser reading (every non-pronoun speaker, matched on name and title words).

Peer cases: a case is right when every expected quote is found (same words, marks and edge
punctuation aside) with the expected speaker and nothing else is predicted (except in the one
news excerpt whose note says it holds quotes the case does not list). An expected pronoun counts
as right when we give the name the text gives for it (listed in RESOLVED below, read by hand).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from summaries.types import Quote
from summaries.understand.quotes import QuoteExtractor

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = Path(os.environ.get("NEWSBRIEF_EVAL_DIR", ROOT / ".." / "shared" / "eval"))
PRONOUNS = {"he", "she", "they", "i", "we", "it", "him", "her", "them", "you", "his", "their"}
# Relative pronouns stand for someone named elsewhere, like "he": scored as pronouns.
PRONOUNS |= {"who", "which", "that", "whom"}
NOT_NAME = {"the", "a", "an", "of", "and", "mr", "mrs", "ms", "mr.", "mrs.", "ms.", "'s", "’s"}
# Case index -> {expected pronoun: the name the case's text gives that person}.
RESOLVED = {
    1: {"he": "Burton"},
    7: {"he": "Burton"},
    19: {"he": "Terrance Mannery", "she": "Michelle Turpin"},
}


def _words(name: str | None) -> set[str]:
    if not name:
        return set()
    out = set()
    # One apostrophe for all: O'Neill and O’Neill are the same name word.
    for w in name.replace("’", "'").replace("'s", "").split():
        w = w.strip(".,;:\"'“”()").lower()
        if len(w) >= 2 and w not in NOT_NAME:
            out.add(w)
    return out


def _norm(quote: str) -> str:
    return " ".join(quote.strip().strip("\"'“”‘’.,!? ").split())


# -- peer cases --------------------------------------------------------------------------------
def peer_cases(extractor: QuoteExtractor, verbose: bool) -> int:
    path = EVAL_DIR / "quotes" / "peer_test_cases.jsonl"
    cases = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    right = 0
    for i, case in enumerate(cases):
        got = [q for q in extractor.extract(case["text"]) if not q.indirect]
        ok, why = _peer_case_ok(i, case, got)
        right += ok
        if verbose or not ok:
            shown = [(q.text, q.speaker, q.speaker_mention, q.cue) for q in got]
            print(f"  case {i:2d} {'ok ' if ok else 'BAD'} {why} {shown}")
    print(f"peer cases: {right}/{len(cases)} right")
    return right


def _speaker_ok(i: int, expected: str, q: Quote) -> bool:
    want = expected.lower()
    if want in PRONOUNS:
        name = RESOLVED.get(i, {}).get(want)
        if name is not None:
            return bool(_words(name) & _words(q.speaker))
        return (q.speaker or "").lower() == want or (q.speaker_mention or "").lower() == want
    return _words(expected) <= (_words(q.speaker) | _words(q.speaker_mention))


def _peer_case_ok(i: int, case: dict[str, Any], got: list[Quote]) -> tuple[bool, str]:
    if case.get("quotes") is not None:
        expected = case["quotes"]
        extras_allowed = "contains quotes" in case.get("note", "")
        matched: set[int] = set()
        for e in expected:
            hits = [j for j, q in enumerate(got) if _norm(q.text) == _norm(e["quote"])]
            if not hits:
                return False, f"missing {e['quote'][:40]!r}"
            if not _speaker_ok(i, e["speaker"], got[hits[0]]):
                return False, f"speaker {got[hits[0]].speaker!r} != {e['speaker']!r}"
            matched.add(hits[0])
        if not extras_allowed and len(matched) != len(got):
            return False, "extra quotes"
        return True, ""
    tokens = [t.lower() for t in case["expected_speaker_tokens"]]
    mapping = RESOLVED.get(i, {})
    flat: list[str] = []
    for q in got:
        mention = (q.speaker_mention or "").lower()
        if mention in mapping and _words(mapping[mention]) & _words(q.speaker):
            flat.append(mention)
            continue
        flat += [w for w in (q.speaker or "").lower().split() if w not in NOT_NAME]
    return flat == tokens, f"speaker tokens {flat} != {tokens}" if flat != tokens else ""


# -- PolNeAR -----------------------------------------------------------------------------------
def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> tuple[int, int]:
    inter = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)
    shorter = min(sum(e - s for s, e in a), sum(e - s for s, e in b))
    return inter, shorter


def polnear(extractor: QuoteExtractor, verbose: bool) -> dict[str, float]:
    path = EVAL_DIR / "quotes" / "polnear_dev.jsonl"
    docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    n_pred = n_pred_ok = n_gold = n_gold_found = 0
    named = named_ok = pron = pron_ok = unscored = loose = loose_ok = 0
    errors: list[str] = []
    started = time.perf_counter()
    for d in docs:
        text, gold = d["text"], d["quotes"]
        preds = [q for q in extractor.extract(text) if not q.in_title and not q.indirect]
        names = _gold_names(text, gold, _proper_starts(extractor.model(), text))
        gspans = [[tuple(s) for s in g["content_spans"]] for g in gold]
        targets = _pronoun_targets(gold, names)
        found = [False] * len(gold)
        for q in preds:
            n_pred += 1
            matches = []
            for gi, gs in enumerate(gspans):
                inter, shorter = _overlap(list(q.spans), gs)
                if shorter and inter * 2 >= shorter:
                    matches.append((inter, -sum(e - s for s, e in gs), gi))
            if not matches:
                errors.append(f"[{d['id']}] false quote: {q.text[:70]!r} ({q.speaker})")
                continue
            n_pred_ok += 1
            for _, _, gi in matches:
                found[gi] = True
            # The speaker is scored against the attribution that overlaps most; on a tie (an
            # outer and an inner attribution holding the same words) the tighter one.
            best = max(matches)[2]
            g = gold[best]
            want = (g["speaker"] or "").strip()
            ours = _words(q.speaker)
            if not _is_pronoun(want) and _words(want):
                loose += 1
                loose_ok += bool(_words(want) & (ours | _words(q.speaker_title)))
            if _is_pronoun(want):
                target = targets[best]
                if target is None:
                    unscored += 1
                    continue
                pron += 1
                right = bool(names[target] & ours)
                pron_ok += right
                if not right:
                    errors.append(
                        f"[{d['id']}] pronoun {want!r}->{gold[target]['speaker']!r}, "
                        f"got {q.speaker!r}: {q.text[:50]!r}"
                    )
            elif names[best]:
                named += 1
                right = bool(names[best] & ours)
                named_ok += right
                if not right:
                    errors.append(
                        f"[{d['id']}] speaker {want!r}, got {q.speaker!r}: {q.text[:50]!r}"
                    )
            else:
                unscored += 1
        for gi, g in enumerate(gold):
            if g["has_quote_marks"]:
                n_gold += 1
                n_gold_found += found[gi]
                if not found[gi]:
                    errors.append(f"[{d['id']}] missed ({g['speaker']}): {g['quote'][:70]!r}")
    elapsed = time.perf_counter() - started
    p = n_pred_ok / n_pred if n_pred else 0.0
    r = n_gold_found / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    res = {
        "precision": p,
        "recall": r,
        "f1": f1,
        "named_speaker_accuracy": named_ok / named if named else 0.0,
        "pronoun_speaker_accuracy": pron_ok / pron if pron else 0.0,
    }
    print(
        f"PolNeAR dev: {len(docs)} articles, {n_pred} predicted quotes, {n_gold} quote-mark "
        f"attributions ({elapsed:.1f} s)"
    )
    print(
        f"  quote precision {p:.3f} ({n_pred_ok}/{n_pred})  "
        f"recall {r:.3f} ({n_gold_found}/{n_gold})"
    )
    print(f"  quote F1 {f1:.3f}   (target >= 0.85; textacy 0.71)")
    print(
        f"  named-speaker accuracy {res['named_speaker_accuracy']:.3f} ({named_ok}/{named})"
        "   (target >= 0.92; textacy 0.83)"
    )
    print(
        f"  pronoun speakers resolved {res['pronoun_speaker_accuracy']:.3f} ({pron_ok}/{pron})"
        "   (target >= 0.70; textacy 0.07)"
    )
    print(
        f"  matches not scored (a description or no speaker, or no named one before a "
        f"pronoun): {unscored}"
    )
    print(
        f"  round-1 reading, any non-pronoun speaker on name and title words: "
        f"{loose_ok / loose if loose else 0.0:.3f} ({loose_ok}/{loose})"
    )
    if verbose:
        print("  errors:")
        for e in errors:
            print("   ", e)
    return res


# Role words: part of a description, never of a name ("Sen. Ted Cruz" names Ted Cruz).
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "representative", "gov",
    "governor", "president", "vice", "secretary", "general", "gen", "lt", "col", "maj", "capt",
    "sgt", "speaker", "chairman", "chairwoman", "chair", "mayor", "judge", "justice", "rev",
    "del", "delegate", "attorney", "chief", "leader", "minister", "prime", "chancellor",
    "majority", "minority", "former", "retired", "sir", "commissioner", "director",
    "spokesman", "spokeswoman", "professor", "prof",
}  # fmt: skip
# Where a speaker span's noun phrases end: appositions, parentheses, and the words that open a
# modifier after the head ("Rep. Elijah Cummings of Maryland", "officials who spoke"). What
# follows a preposition is its object, not the speaker ("the chair of the DNC").
_SEGMENT_END = re.compile(
    r"(?P<punct>[,;()])|\s(?P<prep>of|at|for|in|from|on|with|by|to)\s"
    r"|\s(?:and|or|who|whose|whom|which|that)\s"
)
_WORD = re.compile(r"[^\s\"“”()]+")
_INITIAL = re.compile(r"(?:^|[.!?:\"“”]|\n)\s*$")


def _bare(word: str) -> str:
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.strip(".,;:'()").lower()


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The noun phrases of a speaker span that may hold its name (not parentheses, not objects)."""
    out: list[tuple[int, int]] = []
    at, skip, depth = start, False, 0
    for m in _SEGMENT_END.finditer(text, start, end):
        before = _bare(text[at : m.start()].split()[-1]) if text[at : m.start()].split() else ""
        # "Secretary of State John Kerry": "of" after a capitalised title is part of the title.
        if (
            m.group("prep") == "of"
            and before in TITLES
            and text[at : m.start()].split()[-1][:1].isupper()
        ):
            continue
        if not skip and depth == 0:
            out.append((at, m.start()))
        at = m.end()
        depth += {"(": 1, ")": -1}.get(m.group("punct") or "", 0)
        if m.group("prep"):
            skip = True
        elif m.group("punct"):
            skip = False
    if not skip and depth == 0:
        out.append((at, end))
    return out


def _name_words(text: str, span: tuple[int, int], proper: tuple[set[int], set[str]]) -> set[str]:
    """The name words of an annotated speaker: those of the first proper name it gives.

    The speaker span is cut into noun phrases (see `_segments`); a phrase names someone when its
    last word, the head of an English noun phrase, is a capitalised proper noun and not a role
    title. A word is a proper noun when the tagger says so there or for the same word elsewhere
    in the article, or when it is capitalised inside a sentence. The name is the run of such
    words ending at the head, stopped by a title: "Charlotte Mayor Jennifer Roberts" ->
    {jennifer, roberts}; "the New York businessman" names nobody.
    """
    at_tags, forms = proper
    for a, b in _segments(text, *span):
        words = [(m.start(), m.group()) for m in _WORD.finditer(text, a, b)]
        run: list[str] = []
        for pos, w in reversed(words):
            bare = _bare(w)
            initial = (
                bool(_INITIAL.search(text, max(0, pos - 3), pos))
                and _bare(
                    text[max(0, pos - 6) : pos].split()[-1]
                    if text[max(0, pos - 6) : pos].split()
                    else ""
                )
                not in TITLES
            )
            tagged = pos in at_tags or re.sub(r"['’]s?$", "", w.rstrip(".,")) in forms
            if not (w[:1].isupper() and bare and bare not in TITLES and (tagged or not initial)):
                break
            run.append(bare)
        named = {w for w in run if len(w) >= 2 and w not in NOT_NAME}
        if named:
            return named
    return set()


def _proper_starts(nlp: Any, text: str) -> tuple[set[int], set[str]]:
    """Where the article's proper-noun tokens (NNP, NNPS) start, and their word forms."""
    with nlp.select_pipes(enable=["tok2vec", "tagger"]):
        doc = nlp(text)
    tokens = [t for t in doc if t.tag_ in ("NNP", "NNPS")]
    return {t.idx for t in tokens}, {t.text for t in tokens}


def _is_pronoun(speaker: str | None) -> bool:
    return (speaker or "").strip().lower() in PRONOUNS


def _gold_names(
    text: str, gold: list[dict[str, Any]], proper: tuple[set[int], set[str]]
) -> list[set[str]]:
    """Per attribution, the name words of its speaker (empty: a pronoun, a description, none)."""
    out: list[set[str]] = []
    for g in gold:
        if not g["speaker_spans"] or _is_pronoun(g["speaker"]):
            out.append(set())
        else:
            out.append(_name_words(text, tuple(g["speaker_spans"][0]), proper))
    return out


def _pronoun_targets(gold: list[dict[str, Any]], names: list[set[str]]) -> list[int | None]:
    """Per attribution: for a pronoun speaker, the nearest named speaker before the pronoun.

    "Before it" is by position in the text: the last named speaker span that starts before the
    pronoun's span, whatever attribution it belongs to (indirect speech included).
    """
    order = sorted((g["speaker_spans"][0][0], i) for i, g in enumerate(gold) if g["speaker_spans"])
    out: list[int | None] = [None] * len(gold)
    last: int | None = None
    for _, i in order:
        if _is_pronoun(gold[i]["speaker"]):
            out[i] = last
        elif names[i]:
            last = i
    return out


def main() -> int:
    verbose = "--verbose" in sys.argv or "-v" in sys.argv
    extractor = QuoteExtractor()
    extractor.extract('"Warm up," she said.')
    peer_cases(extractor, verbose)
    polnear(extractor, verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
