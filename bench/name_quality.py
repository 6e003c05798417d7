"""How often a shown speaker's name looks wrong, by general signs, on PolNeAR train and dev.

Run: python bench/name_quality.py [--split train|dev|both] [--examples N] [--registry] [-v]

The extractor runs as the bot runs it (the shipped speaker model); every quote shown with a
name (not a description: "a spokeswoman", "His office", "Roe's campaign") is checked for signs
that the name is not a person's name but a headline, a subhead or a list item read as one:
- "long": more than 4 words;
- "lowercase": a lowercase word other than a name particle ("de", "van", "bin");
- "verb": a word that is a verb form ("Is", "Says", "Support" read in "supports", "-ed"/"-ing")
  as the text writes it lowercase elsewhere;
- "title line": three words or more, found in the text on a title-case line (a line of
  capitalised words without a closing full stop) and never in running prose;
- "opener": the first word is written lowercase elsewhere in the text and is no given name
  (a sentence's or a heading's opening word taken into the name);
- "common end": the last word is written lowercase elsewhere in the text (a common noun ending
  the name: "Clinton Campaign", "Reason Hedge Funds").
The signs are evidence, not proof: "Young" or "Price" is a surname and a lowercase word too.
`--registry` also checks the names of several words the people registry holds (before the
extractor chooses a speaker), which the bot may show through a short form resolved to them.
Use train to find rules, dev only to confirm (see COMMON rules in the project's README).
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quotes_eval import ParseCache, load_split

from summaries.understand.quotes import QuoteExtractor, SpeakerModel
from summaries.understand.quotes.persons import PersonRegistry, is_given_name, looks_like_person

SIGNS = ("long", "lowercase", "verb", "title line", "opener", "common end")
_PARTICLES = frozenset("de da del della der den van von la le bin al du di dos das y".split())
_VERBISH = frozenset(
    "is are be was were been has have had do does did says said say will would should could "
    "can may might must get gets got make makes made take takes took want wants".split()
)
# A speaker opening so, or holding a possessive, is a description ("A top aide", "His office",
# "Roe's campaign manager"), not a name: not checked.
_DESCRIPTION_OPENERS = frozenset(
    "a an the his her their its our my your one another many several some most all both each "
    "these those this that about other two three four five few".split()
)
_POSSESSIVE = re.compile(r"\w(?:['’]s|s['’])(?:\s|$)")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _lower_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text) if w.islower()}


def _title_case_line(line: str) -> bool:
    """A line of three words or more, every word of four letters or more capitalised, no
    closing full stop: a headline, a subhead, a list item."""
    words = _WORD.findall(line)
    long = [w for w in words if len(w) >= 4]
    return (
        len(words) >= 3
        and bool(long)
        and all(w[0].isupper() for w in long)
        and not line.rstrip().endswith((".", '."', ".”"))
    )


def is_description(speaker: str) -> bool:
    """Whether a shown speaker is a description, not a name (see `_DESCRIPTION_OPENERS`)."""
    words = speaker.split()
    return (
        not words
        or not words[0][:1].isupper()
        or words[0].lower() in _DESCRIPTION_OPENERS
        or _POSSESSIVE.search(speaker) is not None
    )


def signs(name: str, text: str, lower: set[str]) -> list[str]:
    """The signs (see the module's doc) that `name`, shown as a speaker of `text`, is wrong."""
    words = name.split()
    bare = [w.strip(".,;:'’\"“”()") for w in words]
    out = []
    if len(words) > 4:
        out.append("long")
    if any(w[:1].islower() and w.lower() not in _PARTICLES for w in bare if w):
        out.append("lowercase")
    inner = bare[1:-1]
    if any(
        (w.lower() in _VERBISH and not (w in bare[-1:] + bare[:1] and w in ("Will", "May")))
        or (w[:1].isupper() and (w.lower().endswith(("ed", "ing")) and w.lower() in lower))
        for w in bare
        if w
    ) or any(
        w[:1].isupper() and w.lower() + "s" in lower and w.lower() not in lower for w in inner
    ):
        out.append("verb")
    if len(words) >= 3:
        lines = [ln for ln in text.splitlines() if name in ln]
        if lines and all(_title_case_line(ln) for ln in lines):
            out.append("title line")
    if bare and bare[0].lower() in lower and not is_given_name(bare[0]):
        out.append("opener")
    if len(bare) >= 2 and bare[-1].lower() in lower:
        out.append("common end")
    return out


def run(
    split: str, nlp: Any, n_examples: int, registry: bool, verbose: bool = False
) -> dict[str, int]:
    docs = load_split(split)
    cache = ParseCache(nlp, split)
    extractor = QuoteExtractor(cache, SpeakerModel.load())  # type: ignore[arg-type]
    counts: collections.Counter[str] = collections.Counter()
    names: dict[str, set[tuple[str, str]]] = collections.defaultdict(set)
    shown = 0
    reg_counts: collections.Counter[str] = collections.Counter()
    reg_names: dict[str, set[tuple[str, str]]] = collections.defaultdict(set)
    reg_total = 0
    shown_names: collections.Counter[tuple[str, tuple[str, ...]]] = collections.Counter()
    for d in docs:
        text = d["text"]
        lower = _lower_words(text)
        for q in extractor.extract(text):
            if q.indirect or not q.speaker or is_description(q.speaker):
                continue
            shown += 1
            found = signs(q.speaker, text, lower)
            counts["any"] += bool(found)
            if found:
                shown_names[(q.speaker, tuple(found))] += 1
            for s in found:
                counts[s] += 1
                names[s].add((d["id"], q.speaker))
        if registry:
            reg = PersonRegistry.from_text(text)
            for group in reg.people.values():
                for p in group:
                    if len(p.name.split()) < 2 or not looks_like_person(p.name):
                        continue
                    reg_total += 1
                    found = signs(p.name, text, lower)
                    reg_counts["any"] += bool(found)
                    for s in found:
                        reg_counts[s] += 1
                        reg_names[s].add((d["id"], p.name))
    cache.save()
    print(f"== {split}: {len(docs)} articles, {shown} quotes shown with a name")
    print(f"  with any sign: {counts['any']} ({counts['any'] / max(shown, 1):.3f})")
    for s in SIGNS:
        ex = sorted(names[s])[:n_examples]
        print(
            f"  {s:11s} {counts[s]:5d} quotes, {len(names[s]):4d} names  e.g. {[n for _, n in ex]}"
        )
    if verbose:
        for (name, found), n in sorted(shown_names.items()):
            print(f"    {n:3d} {name!r} {', '.join(found)}")
    if registry:
        print(f"  registry: {reg_total} names of 2+ words that can be a person's")
        print(f"  registry with any sign: {reg_counts['any']}")
        for s in SIGNS:
            ex = sorted(reg_names[s])[:n_examples]
            print(f"  registry {s:11s} {reg_counts[s]:5d}  e.g. {[n for _, n in ex]}")
    return {"shown": shown, **counts}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "train", "both"), default="train")
    ap.add_argument("--examples", type=int, default=12)
    ap.add_argument("--registry", action="store_true", help="check the registry's names too")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every flagged name")
    args = ap.parse_args()
    nlp = QuoteExtractor().model()
    for split in ("train", "dev") if args.split == "both" else (args.split,):
        run(split, nlp, args.examples, args.registry, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
