"""Reindex: embed what an older version stored without vectors (the sentences migration 0007
built for articles stored before 0006), so search by meaning covers every article."""

from __future__ import annotations

import logging
from collections.abc import Callable

from summaries.store import Store
from summaries.understand.embed import Embedder
from summaries.understand.text import normalize_whitespace

log = logging.getLogger(__name__)

BATCH = 256  # sentences embedded and stored at a time


def reindex(
    store: Store,
    embedder: Embedder,
    *,
    batch: int = BATCH,
    stop: Callable[[], bool] | None = None,
) -> int:
    """Embed every stored sentence that has no vector by `embedder` yet; returns how many.

    Works in batches, each stored as it is done, so it can be stopped (`stop` is asked before
    each batch) and resumed later without losing or repeating work.
    """
    done = 0
    while not (stop and stop()):
        items = store.sentences_without_vectors(embedder.name, limit=batch)
        if not items:
            break
        # Embedded as ingest embeds them, so the embedder's cache and the vectors agree.
        vectors = embedder.encode([normalize_whitespace(item.text) for item in items])
        store.add_sentence_vectors(embedder.name, items, vectors)
        done += len(items)
        log.debug("reindex: %d sentences embedded so far", done)
    return done
