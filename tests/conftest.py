"""Shared fixtures.

Database: every store test runs on SQLite, and on PostgreSQL when reachable. Models: one real
spaCy quote extractor and one MiniLM embedder for the whole run, as the bot itself shares them.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from summaries.store import Store
from summaries.times import utcnow
from summaries.understand.embed import MiniLMEmbedder
from summaries.understand.quotes import QuoteExtractor
from tests.samples import SEED, SEED_URL, ingest_texts

# Database fixtures ----------------------------------------------------------------------------

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


@functools.cache
def postgres_url() -> str | None:
    """A PostgreSQL URL that accepts connections (env NEWSBRIEF_TEST_POSTGRES_URL), or None."""
    configured = os.environ.get("NEWSBRIEF_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    candidates = [configured]
    if "NEWSBRIEF_TEST_POSTGRES_URL" not in os.environ:
        candidates.append(DEFAULT_POSTGRES_URL.replace("//postgres@", "//root@"))
    for url in candidates:
        try:
            with psycopg.connect(url, connect_timeout=3):
                return url
        except psycopg.Error:
            continue
    return None


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    base = postgres_url()
    if base is None:
        if os.environ.get("NEWSBRIEF_REQUIRE_POSTGRES"):  # CI must cover PostgreSQL, not skip it
            pytest.fail("PostgreSQL not reachable and NEWSBRIEF_REQUIRE_POSTGRES is set")
        pytest.skip("PostgreSQL not reachable (set NEWSBRIEF_TEST_POSTGRES_URL)")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def _url_for(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if kind == "sqlite-memory":
        return "sqlite://"
    if kind == "sqlite-file":
        return f"sqlite:///{tmp_path / 'db' / 'newsbrief.db'}"
    return str(request.getfixturevalue("postgres_schema_url"))


@pytest.fixture(
    params=[
        "sqlite-memory",
        "sqlite-file",
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for an empty database, on each backend."""
    return _url_for(request.param, request, tmp_path)


@pytest.fixture(params=["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for an empty database that several Store instances can open at once."""
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open Store on an empty database, on each backend."""
    with Store(store_url) as opened:
        yield opened


@pytest.fixture(autouse=True)
def data_home_in_tmp(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The default database lives in the user's data folder: during tests (and the processes
    they start) that folder is a temporary one, so nothing is written to the real home."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.getbasetemp() / "xdg-data"))


# Model fixtures -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def articles_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings read from the environment read articles in the test's own process, with the
    session's models; the tests of the worker processes start them themselves."""
    monkeypatch.setenv("NEWSBRIEF_ARTICLE_WORKERS", "0")


@pytest.fixture(scope="session")
def quote_extractor() -> QuoteExtractor:
    """The real spaCy quote extractor (loaded on first use), shared by every test: thread-safe."""
    return QuoteExtractor()


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    """The real all-MiniLM-L6-v2 embedder (loaded on first use), shared by every test.

    Thread-safe; its cache is keyed by the text alone, so tests can share it.
    """
    return MiniLMEmbedder()


@pytest.fixture
def shared_models(
    monkeypatch: pytest.MonkeyPatch, quote_extractor: QuoteExtractor, embedder: MiniLMEmbedder
) -> None:
    """QuoteExtractors and MiniLMEmbedders that the code under test makes for itself (the CLI's
    `main`) use the session's loaded models rather than loading their own copies.

    Each object still keeps its own settings and text cache; one given its own spaCy pipeline or
    model folder still uses that.
    """
    own_model = QuoteExtractor.model
    own_load = MiniLMEmbedder._load

    def model(self: QuoteExtractor) -> Any:
        return own_model(self if self._nlp is not None else quote_extractor)

    def load(self: MiniLMEmbedder) -> tuple[Any, Any]:
        own_load(embedder)  # settles its runtime (an ONNX Runtime that can't load falls back)
        mine = (self.model_dir, self.device, self.runtime, self.precision)
        same = mine == (embedder.model_dir, embedder.device, embedder.runtime, embedder.precision)
        return own_load(embedder if same else self)

    monkeypatch.setattr(QuoteExtractor, "model", model)
    monkeypatch.setattr(MiniLMEmbedder, "_load", load)


# The seed article, stored ---------------------------------------------------------------------


def _ingest_seed(url: str, quote_finder: QuoteExtractor) -> None:
    """Store the seed article at `url` as the bot would: lead summary, its quotes, no vectors."""
    with Store(url) as store:
        ingest_texts(store, [(SEED.read_text(encoding="utf-8"), SEED_URL, None)], quote_finder)


@pytest.fixture(scope="session")
def seeded_template(
    tmp_path_factory: pytest.TempPathFactory, quote_extractor: QuoteExtractor
) -> Callable[[], Path]:
    """The SQLite file `_ingest_seed` makes, made once per UTC day (the seed is news of today)."""
    made: dict[date, Path] = {}

    def template() -> Path:
        today = utcnow().date()
        if today not in made:
            path = tmp_path_factory.mktemp("seeded") / "seeded.db"
            _ingest_seed(f"sqlite:///{path}", quote_extractor)
            made[today] = path
        return made[today]

    return template


@pytest.fixture
def seeded_db(seeded_template: Callable[[], Path], tmp_path: Path) -> Path:
    """A SQLite file of this test's own holding the seed article, as `_ingest_seed` stores it."""
    target = tmp_path / "seeded.db"
    with (
        contextlib.closing(sqlite3.connect(seeded_template())) as source,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
    return target
