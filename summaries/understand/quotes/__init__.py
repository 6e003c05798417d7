"""Who said what: direct quotations in news text and the people who said them.

Quote marks are found by rules (`summaries.understand.text.quotation_spans`); only the
sentences that hold them are parsed with spaCy, with each long quotation replaced by a one-word
placeholder so the parse sees the attribution frame (`"Q," Secretary Blinken said.`), not the
quoted words. Short forms and pronouns are resolved with a cheap registry of the names in the
whole article.

The modules, in the order a text goes through them: `extractor` (the entry point),
`headline` (a headline's `Claim: Name`), `marks` (plain-text steps: quote pieces, interrupted
quotes, signatures), `frames` (what is parsed), `cues` (speech verbs and their subjects in the
parse), `speakers` (a token to a speaker), `focus` (pronouns and bare quotes, no parse),
`attribute` (which quotes count, who said each), `confidence` (the learned speaker model:
who a pronoun stands for, and whether a speaker is sure enough to show; its weights are
`speaker_model.json`, from bench/train_speaker_model.py). `words` holds the word lists,
`persons` the people of one text (`summaries.understand.people` matches names), `article` the
state of reading one text.
"""

from summaries.understand.quotes.confidence import SpeakerModel
from summaries.understand.quotes.extractor import (
    MAX_CHARS,
    MODEL,
    QuoteError,
    QuoteExtractor,
    extract,
)

__all__ = ["MAX_CHARS", "MODEL", "QuoteError", "QuoteExtractor", "SpeakerModel", "extract"]
