"""What an article says: sentences, people, quotes and who said them, summaries, embeddings."""

from summaries.understand.threads import quiet_waits

quiet_waits()  # before torch (or spaCy's thinc, which imports it) loads: see threads.py
