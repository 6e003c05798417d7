"""Who-said-what accuracy: the 20 peer test cases and a PolNeAR split (dev by default).

Run: python bench/quotes_eval.py [--split dev|train|both] [--model both|on|off] [--limit N]
[--verbose] [--cache] [--fold-seed S]
(NEWSBRIEF_EVAL_DIR overrides ../shared/eval). `--cache` keeps the spaCy parses of each split
in a file under /tmp (never in the project), so a second run over the 840 train articles
takes a fraction of the first; the parses do not depend on the rules, only on the text.

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

import argparse
import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from summaries.types import Quote
from summaries.understand.quotes import QuoteExtractor, SpeakerModel

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
        # The cases' speakers are surface mentions: a pronoun we name no one for is its mention.
        surface = q.speaker or q.speaker_mention or ""
        flat += [w for w in surface.lower().split() if w not in NOT_NAME]
    return flat == tokens, f"speaker tokens {flat} != {tokens}" if flat != tokens else ""


# -- PolNeAR -----------------------------------------------------------------------------------
def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> tuple[int, int]:
    inter = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)
    shorter = min(sum(e - s for s, e in a), sum(e - s for s, e in b))
    return inter, shorter


def load_split(split: str, limit: int | None = None) -> list[dict[str, Any]]:
    """The articles of a PolNeAR split ("train" or "dev"), the first `limit` of them."""
    path = EVAL_DIR / "quotes" / f"polnear_{split}.jsonl"
    docs = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return docs[:limit] if limit else docs


class ParseCache:
    """spaCy parses kept by text in a pickle under the temp directory: the parses depend on
    the text alone, so rule changes re-run in seconds. Stands in for the pipeline's `pipe`."""

    def __init__(self, nlp: Any, name: str) -> None:
        self.nlp = nlp
        self.path = Path(tempfile.gettempdir()) / f"newsbrief_parses_{name}.pickle"
        self.docs: dict[str, bytes] = {}
        self.proper: dict[str, tuple[set[int], set[str]]] = {}
        self.dirty = False
        if self.path.exists():
            with self.path.open("rb") as f:
                self.docs, self.proper = pickle.load(f)

    def pipe(self, texts: Iterable[str]) -> Iterator[Any]:
        from spacy.tokens import Doc

        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self.docs]
        for t, doc in zip(missing, self.nlp.pipe(missing), strict=True):
            self.docs[t] = doc.to_bytes(exclude=["tensor", "user_data"])
            self.dirty = True
        for t in texts:
            yield Doc(self.nlp.vocab).from_bytes(self.docs[t])

    def proper_starts(self, text: str) -> tuple[set[int], set[str]]:
        if text not in self.proper:
            self.proper[text] = _proper_starts(self.nlp, text)
            self.dirty = True
        return self.proper[text]

    def save(self) -> None:
        if self.dirty:
            with self.path.open("wb") as f:
                pickle.dump((self.docs, self.proper), f)


def polnear(
    extractor: QuoteExtractor,
    docs: list[dict[str, Any]],
    verbose: bool,
    label: str = "dev",
    proper: Any = None,
    records: list[dict[str, Any]] | None = None,
) -> dict[str, float]:
    """Score the extractor on PolNeAR articles and print the figures.

    `records`, when given, receives one entry per predicted quote (article id, spans, our
    speaker, the kind of annotated speaker it is scored against and whether ours is right),
    for training and for cross-validated figures (bench/train_speaker_model.py).
    """
    if proper is None:
        nlp = extractor.model()

        def proper(text: str) -> tuple[set[int], set[str]]:
            return _proper_starts(nlp, text)

    n_pred = n_pred_ok = n_gold = n_gold_found = 0
    named = named_ok = pron = pron_ok = unscored = loose = loose_ok = 0
    none = named_none = pron_none = loose_none = 0
    errors: list[str] = []
    started = time.perf_counter()
    for d in docs:
        text, gold = d["text"], d["quotes"]
        if extractor.trace is not None:
            extractor.trace.clear()
        preds = [q for q in extractor.extract(text) if not q.in_title and not q.indirect]
        names = _gold_names(text, gold, proper(text))
        gspans = [[tuple(s) for s in g["content_spans"]] for g in gold]
        targets = _pronoun_targets(gold, names)
        found = [False] * len(gold)
        for q in preds:
            n_pred += 1
            none += q.speaker is None
            rec: dict[str, Any] = {
                "doc": d["id"], "spans": [list(p) for p in q.spans], "speaker": q.speaker,
                "kind": "false", "right": None, "loose_right": None,
            }  # fmt: skip
            if records is not None:
                if extractor.trace is not None:
                    rec["features"] = extractor.trace.get(tuple(q.spans))
                records.append(rec)
            matches = []
            for gi, gs in enumerate(gspans):
                inter, shorter = _overlap(list(q.spans), gs)
                if shorter and inter * 2 >= shorter:
                    matches.append((inter, -sum(e - s for s, e in gs), gi))
            if not matches:
                errors.append(f"[{d['id']}] false quote: {q.text[:70]!r} ({q.speaker})")
                continue
            n_pred_ok += 1
            rec["kind"] = "unscored"
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
                loose_none += q.speaker is None
                rec["loose_right"] = bool(_words(want) & (ours | _words(q.speaker_title)))
                loose_ok += rec["loose_right"]
            if _is_pronoun(want):
                target = targets[best]
                if target is None:
                    unscored += 1
                    continue
                pron += 1
                pron_none += q.speaker is None
                right = bool(names[target] & ours)
                pron_ok += right
                rec["kind"], rec["right"] = "pronoun", right
                rec["target"] = sorted(names[target])
                if not right:
                    errors.append(
                        f"[{d['id']}] pronoun {want!r}->{gold[target]['speaker']!r}, "
                        f"got {q.speaker!r}: {q.text[:50]!r}"
                    )
            elif names[best]:
                named += 1
                named_none += q.speaker is None
                right = bool(names[best] & ours)
                named_ok += right
                rec["kind"], rec["right"] = "named", right
                rec["target"] = sorted(names[best])
                if not right:
                    errors.append(
                        f"[{d['id']}] speaker {want!r}, got {q.speaker!r}: {q.text[:50]!r}"
                    )
            else:
                unscored += 1
                if want:
                    rec["kind"] = "description"
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
    print(
        f"PolNeAR {label}: {len(docs)} articles, {n_pred} predicted quotes, {n_gold} quote-mark "
        f"attributions ({elapsed:.1f} s)"
    )
    print(
        f"  quote precision {p:.3f} ({n_pred_ok}/{n_pred})  "
        f"recall {r:.3f} ({n_gold_found}/{n_gold})"
    )
    print(f"  quote F1 {f1:.3f}   (target >= 0.85; textacy 0.71)")
    res = {"precision": p, "recall": r, "f1": f1, "unattributed": none / n_pred if n_pred else 0}
    res.update(
        report(
            named_ok=named_ok,
            named=named,
            named_none=named_none,
            pron_ok=pron_ok,
            pron=pron,
            pron_none=pron_none,
            loose_ok=loose_ok,
            loose=loose,
            loose_none=loose_none,
        )
    )
    print(
        f"  quotes left unattributed {res['unattributed']:.3f} ({none}/{n_pred}); matches not "
        f"scored (a description or no speaker, or no named one before a pronoun): {unscored}"
    )
    if verbose:
        print("  errors:")
        for e in errors:
            print("   ", e)
    return res


def report(
    *,
    named_ok: int,
    named: int,
    named_none: int,
    pron_ok: int,
    pron: int,
    pron_none: int,
    loose_ok: int,
    loose: int,
    loose_none: int,
) -> dict[str, float]:
    """Print the speaker figures: accuracy over every scored quote (an unattributed one is
    wrong), and over the attributed ones only (how often a name shown is right)."""

    def acc(ok: int, n: int) -> float:
        return ok / n if n else 0.0

    rows = [
        ("named-speaker", named_ok, named, named_none, "(target >= 0.96; textacy 0.83)"),
        ("pronoun-speaker", pron_ok, pron, pron_none, "(target >= 0.85; textacy 0.07)"),
        ("every non-pronoun speaker", loose_ok, loose, loose_none, "(name and title words)"),
    ]
    for what, ok, n, n_none, note in rows:
        print(
            f"  {what} accuracy {acc(ok, n):.3f} ({ok}/{n}); of those attributed "
            f"{acc(ok, n - n_none):.3f} ({ok}/{n - n_none})   {note}"
        )
    return {
        "named_speaker_accuracy": acc(named_ok, named),
        "named_attributed_accuracy": acc(named_ok, named - named_none),
        "pronoun_speaker_accuracy": acc(pron_ok, pron),
        "pronoun_attributed_accuracy": acc(pron_ok, pron - pron_none),
        "nonpronoun_accuracy": acc(loose_ok, loose),
    }


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


FOLDS = 5


def fold_of(docs: list[dict[str, Any]], seed: str = "") -> dict[str, int]:
    """Each article's cross-validation fold: by article, in order of id (as
    bench/train_speaker_model.py folds them), or with a `seed` in an order drawn from it (how
    much a figure moves between draws of folds)."""
    ids = sorted(d["id"] for d in docs)
    if seed:
        ids.sort(key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
    return {d: i % FOLDS for i, d in enumerate(ids)}


class FoldedExtractor:
    """Cross-validation end to end: each article is read by an extractor whose speaker model
    was fitted on the other folds' articles (thresholds as shipped: they are chosen on dev)."""

    def __init__(self, by_text: dict[str, int], extractors: list[QuoteExtractor]) -> None:
        self.by_text = by_text
        self.extractors = extractors
        self.trace: dict[Any, Any] | None = None

    def extract(self, text: str, title: str | None = None) -> list[Quote]:
        return self.extractors[self.by_text.get(text, 0)].extract(text, title)


def cross_validated(
    nlp: Any, docs: list[dict[str, Any]], records: list[dict[str, Any]], seed: str = ""
) -> FoldedExtractor:
    """An extractor for `docs` whose speaker model, for each article, is fitted on the
    records (see `polnear`) of the articles of the other folds."""
    from train_speaker_model import fit_models

    shipped = SpeakerModel.load()
    folds = fold_of(docs, seed)
    extractors = []
    for k in range(FOLDS):
        sure, pron = fit_models([r for r in records if folds[r["doc"]] != k])
        model = SpeakerModel(
            sure.with_threshold(shipped.sure.threshold),
            pron.with_threshold(shipped.pronoun.threshold),
        )
        extractors.append(QuoteExtractor(nlp, model))
    return FoldedExtractor({d["text"]: folds[d["id"]] for d in docs}, extractors)


COLUMNS = (
    ("quote F1", "f1"),
    ("named", "named_speaker_accuracy"),
    ("named shown", "named_attributed_accuracy"),
    ("non-pronoun", "nonpronoun_accuracy"),
    ("pronoun", "pronoun_speaker_accuracy"),
    ("pronoun shown", "pronoun_attributed_accuracy"),
    ("unattributed", "unattributed"),
)


def table(rows: list[tuple[str, dict[str, float]]]) -> None:
    """The figures of each run side by side."""
    print("== summary (train: some rules were drawn from its error classes (see README), so its")
    print("   figures flatter them; its model figures by 5-fold cross-validation by article, end")
    print("   to end, thresholds as shipped)")
    print('   ("shown": of the quotes given a name, how many names are right)')
    print(f"  {'':42s}" + "".join(f"{c:>14s}" for c, _ in COLUMNS))
    for label, res in rows:
        print(f"  {label:42s}" + "".join(f"{res[k]:14.3f}" for _, k in COLUMNS))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "train", "both"), default="both")
    ap.add_argument("--limit", type=int, default=None, help="the first N articles only")
    ap.add_argument("--cache", action="store_true", help="keep spaCy parses under /tmp")
    ap.add_argument(
        "--model",
        choices=("both", "on", "off"),
        default="both",
        help="the learned speaker model: both (rules alone, then with it), on, off",
    )
    ap.add_argument("--no-peer", action="store_true", help="skip the 20 peer cases")
    ap.add_argument(
        "--fold-seed",
        default="",
        help="draw train's cross-validation folds in an order from this seed (default: by id)",
    )
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    nlp: Any = QuoteExtractor().model()
    splits = ("dev", "train") if args.split == "both" else (args.split,)
    rows: list[tuple[str, dict[str, float]]] = []
    for split in splits:
        cache = ParseCache(nlp, split) if args.cache else None
        proper = cache.proper_starts if cache is not None else None
        docs = load_split(split, args.limit)
        runs = {"both": ("off", "on"), "on": ("on",), "off": ("off",)}[args.model]
        records: list[dict[str, Any]] = []
        if split == "train" and "on" in runs and "off" not in runs:
            runs = ("off", "on")  # the folds' models learn from the rules' records
        for run in runs:
            extractor: Any
            if run == "on" and split == "train":
                extractor = cross_validated(cache or nlp, docs, records, args.fold_seed)
                label = "rules + speaker model (5-fold CV)"
            else:
                model = SpeakerModel.load() if run == "on" else None
                extractor = QuoteExtractor(cache or nlp, model)
                label = "rules + speaker model" if model else "rules alone"
                if split == "train":
                    extractor.trace = {}
            extractor.extract('"Warm up," she said.')
            print(f"== {split}, {label}")
            if not args.no_peer and split == splits[0]:
                peer_cases(extractor, args.verbose)
            res = polnear(
                extractor, docs, args.verbose, f"{split}, {label}", proper,
                records if split == "train" and run == "off" else None,
            )  # fmt: skip
            rows.append((f"{split}, {label}", res))
        if cache is not None:
            cache.save()
    table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
