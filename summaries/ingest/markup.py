"""Markup made safe to parse: lxml (libxml2) checks each attribute of a tag against the ones
before it, so a tag of tens of thousands of attributes costs time quadratic in them: one of
200,000 in a 3 MB page held the parser for minutes. And libxml2 drops every element nested more
than 255 deep, text and all: a page whose article sits below 300 wrapper elements came out
empty ("no article text found")."""

from __future__ import annotations

import re

# Attributes of one tag past which it loses them all: real tags have a handful, an inline SVG
# path or a data- blob one long one; 256 cost the parser well under a millisecond.
MAX_ATTRIBUTES = 256
# Only tags at least this long are looked at: shorter ones can't hold MAX_ATTRIBUTES. The
# length is checked ahead, then the name and the rest are taken possessively: nothing is
# scanned twice from one "<" (a backtracking name rescanned the tag for each of its 40
# lengths: 1.8 s of CPU for 5 MB of 1000-character tags).
_LONG_TAG = re.compile(r"<(?=[^<>]{1001,}+>)([A-Za-z][A-Za-z0-9:-]{0,40}+)([^<>]*+)>")


def tame_tags(markup: str) -> str:
    """`markup` with every tag of more than MAX_ATTRIBUTES attributes stripped of them
    (`<p a0=x a1=x …>` becomes `<p>`); its text and every other tag are left as they are.
    Linear in the length of `markup`."""
    if "=" not in markup:
        return markup

    def tame(match: re.Match[str]) -> str:
        inside = match.group(2)
        if inside.count("=") <= MAX_ATTRIBUTES:
            return match.group(0)
        closing = "/" if inside.rstrip().endswith("/") else ""
        return f"<{match.group(1)}{closing}>"

    return _LONG_TAG.sub(tame, markup)


# Elements nested deeper than this lose their tags (never their text); libxml2's own limit is 255.
MAX_DEPTH = 240
_TAG = re.compile(r"<(/?+)([A-Za-z][A-Za-z0-9:-]{0,40}+)[^<>]*+>")
_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
# A dropped block element's end becomes a line break, so its paragraphs stay apart.
_BLOCKS = frozenset(
    """p div li ul ol h1 h2 h3 h4 h5 h6 article section blockquote tr table pre header footer
    main aside figure figcaption dd dt dl""".split()
)


def shallow(markup: str, max_depth: int = MAX_DEPTH) -> str:
    """`markup` with the tags of elements nested deeper than `max_depth` taken out (a block's
    end becoming a line break) and everything else, text included, as it was: the HTML parser
    then keeps the text that it would drop below its own depth limit. Unchanged (the same
    string) when no element is that deep. One pass over the tags; tags inside scripts and
    styles are skipped."""
    if markup.count("<") <= max_depth:
        return markup
    stack: list[tuple[str, bool]] = []  # open elements: name, whether its tags are dropped
    cut: list[tuple[int, int, str]] = []  # spans taken out, and what stands in their place
    raw: str | None = None  # inside a script or style: only its closing tag counts
    for match in _TAG.finditer(markup):
        closing, name = match.group(1), match.group(2).lower()
        if raw is not None:
            if closing and name == raw:
                raw = None
            else:
                continue
        if closing:
            for k in range(len(stack) - 1, max(-1, len(stack) - 9), -1):
                if stack[k][0] == name:  # closes it and any left open inside it
                    if stack[k][1]:
                        cut.append((*match.span(), "<br>" if name in _BLOCKS else ""))
                    del stack[k:]
                    break
            continue
        if name in _VOID or match.group(0).endswith("/>"):
            if len(stack) >= max_depth and name != "br":
                cut.append((*match.span(), ""))
            continue
        if name in _RAW_TEXT:
            raw = name
            continue
        drop = len(stack) >= max_depth
        stack.append((name, drop))
        if drop:
            cut.append((*match.span(), ""))
    if not cut:
        return markup
    parts: list[str] = []
    at = 0
    for a, b, stand_in in cut:
        parts.append(markup[at:a])
        parts.append(stand_in)
        at = b
    parts.append(markup[at:])
    return "".join(parts)


# Tags read of one page: news pages hold a few thousand (5,000 at most in ../shared/eval/html);
# parsing costs by the element, so a page of millions of tiny tags is cut here rather than
# holding its reader for a minute.
MAX_TAGS = 50_000


def bounded_html(text: str, max_tags: int = MAX_TAGS) -> str:
    """`text` up to (not including) its `max_tags`+1-th tag, all of it when it has fewer; a tag
    of too many attributes loses them, and elements nested too deep their tags (above)."""
    at = -1
    for _ in range(max_tags + 1):
        at = text.find("<", at + 1)
        if at < 0:
            return shallow(tame_tags(text))
    return shallow(tame_tags(text[:at]))
