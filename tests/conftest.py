"""Shared fixtures. Database: every store test runs on SQLite, and on PostgreSQL when reachable."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from summaries.store import Store

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
