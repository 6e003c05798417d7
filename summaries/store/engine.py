"""Connections: engines for SQLite and PostgreSQL, schema upgrades, and read/write transactions."""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from summaries.types import NewsbriefError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any fixed 64-bit number: every newsbrief process serialises its schema upgrades on it.
_MIGRATION_LOCK_KEY = 0x6E657773_62726966

R = TypeVar("R", bound="DataclassInstance")
T = TypeVar("T")


BACKENDS = ("sqlite", "postgresql")
CONNECT_TIMEOUT = 10  # seconds to reach a PostgreSQL server before giving up


class DatabaseError(NewsbriefError):
    """The database can't be opened: a URL that names none, a backend newsbrief does not
    speak, or a server that does not answer. The message says which, in one line."""


def shown(url: str) -> str:
    """A database URL fit to print: its password hidden."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):  # ValueError: a port that is no number
        pass
    # Not a URL SQLAlchemy reads, so no password can be picked out: past its scheme it is
    # shown only when it holds no "@" and fits on one short line.
    scheme, sep, rest = url.partition("://")
    if "@" not in rest and url.isprintable() and len(url) <= 200:
        return url
    if sep and scheme.isprintable() and len(scheme) <= 30:
        return f"{scheme}://…"
    return f"a value of {len(url):,} characters"


def engine_for(url: str) -> Engine:
    """An engine for a store URL: ``sqlite:///file``, ``sqlite://`` (memory), ``postgresql://``.

    ``postgresql://`` (and ``postgres://``) use psycopg 3. The parent directory of a SQLite file
    is created. SQLite connections get foreign keys, WAL, a busy timeout, and real transactions.
    """
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):  # ValueError: "host:port" with a bad port
        what = repr(url) if shown(url) == url else shown(url)
        raise DatabaseError(
            f"{what} is not a database URL: give sqlite:///path/to/file.db "
            "or postgresql://user@host/database"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in BACKENDS:
        raise DatabaseError(
            f"newsbrief stores its data in SQLite or PostgreSQL, not {parsed.get_backend_name()} "
            f"({shown(url)})"
        )
    if parsed.get_backend_name() != "sqlite":
        try:
            engine = sa.create_engine(
                parsed, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT}
            )
        except (ImportError, sa.exc.NoSuchModuleError) as exc:
            raise DatabaseError(f"can't use {shown(url)}: {exc}") from exc
        sa.event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
        return engine

    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if in_memory:
        # One shared connection, or each thread would see its own empty database.
        engine = sa.create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"can't make the folder of {database}: {exc}") from exc
        engine = sa.create_engine(parsed, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (pysqlite skips DDL).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            _enable_wal(cursor)
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front: a deferred BEGIN that later writes can fail
        # with "database is locked" instead of waiting its turn.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _without_nul(
    conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
) -> tuple[str, Any]:
    """The statement's text parameters without NUL characters, which PostgreSQL can't hold in
    text (psycopg raised DataError where SQLite stores them): a NUL in a command's words, a
    filter, a feed's address or a channel's id was an internal error on PostgreSQL alone. Each
    is dropped, on every query, so a lookup finds what was stored."""
    # Read the shape, not `many`: SQLAlchemy's insertmanyvalues batches come with many=True
    # and one mapping of all the batch's values.
    if (
        many
        and isinstance(parameters, (list, tuple))
        and all(isinstance(p, (dict, list, tuple)) for p in parameters)
    ):
        return statement, [_nul_free(p) for p in parameters]
    return statement, _nul_free(parameters)


def _nul_free(parameters: Any) -> Any:
    if isinstance(parameters, dict):
        if not any(isinstance(v, str) and "\0" in v for v in parameters.values()):
            return parameters
        return {k: v.replace("\0", "") if isinstance(v, str) else v for k, v in parameters.items()}
    if isinstance(parameters, (list, tuple)):
        if not any(isinstance(v, str) and "\0" in v for v in parameters):
            return parameters
        return type(parameters)(
            v.replace("\0", "") if isinstance(v, str) else v for v in parameters
        )
    return parameters


def _enable_wal(cursor: Any, attempts: int = 300) -> None:
    """Switch a SQLite file to WAL; the switch needs a moment alone with the file.

    SQLite answers "database is locked" at once, without its busy timeout, when another
    connection is mid-transaction (as when two processes open a new database together).
    The mode is stored in the file, so once any connection has switched it, it stays.
    """
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to `revision` in one transaction, one process at a time."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if engine.dialect.name == "postgresql":
                # Released at commit; a second process waits here, then finds nothing to do.
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
            command.upgrade(alembic_config(conn), revision)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for newsbrief's migrations, built in code; env.py uses `connection`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def insert_new(
    conn: Connection, table: sa.Table, keys: list[str]
) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into `table` that skips rows whose `keys` (a unique constraint) are taken."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=keys)


def row_record(cls: type[R], row: Any) -> R:
    """A row as the record (a dataclass) whose fields are its columns, read by name."""
    return cls(**{name: row._mapping[name] for name in _field_names(cls)})


@functools.cache
def _field_names(cls: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


class Database:
    """One database, upgraded to the latest schema; safe to share between threads and processes.

    The store's parts (articles, quotes, channels, ...) are mixins over this class.
    """

    def __init__(self, url: str) -> None:
        """Open (creating if needed) the database at `url` and upgrade it to the latest schema.

        Raises DatabaseError, in one line, when it can't be opened or reached."""
        self.engine = engine_for(url)
        self._is_sqlite = self.engine.dialect.name == "sqlite"
        # A shared in-memory connection must not run two transactions at once.
        self._lock: threading.Lock | None = (
            threading.Lock() if isinstance(self.engine.pool, StaticPool) else None
        )
        try:
            with self._serialised():
                migrate(self.engine)
        except sa.exc.OperationalError as exc:
            self.engine.dispose()
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise DatabaseError(f"can't open the database {shown(url)}: {reason}") from exc

    def ping(self) -> None:
        """Check that the database answers; raises DatabaseError when it does not."""
        try:
            with self.reading() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise DatabaseError(f"the database does not answer: {reason}") from exc

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def analyze(self) -> None:
        """Refresh the planner's statistics (ANALYZE): after a bulk load, a table the planner
        thinks empty can turn an indexed lookup into a scan of every row. On PostgreSQL the
        GIN (full-text) indexes' pending lists are merged first: rows inserted in bulk wait
        there, read in full by every search, and the planner prices the index past a scan of
        the whole table until autovacuum merges them."""
        with self.writing() as conn:
            if not self._is_sqlite:
                conn.execute(
                    sa.text(
                        "SELECT gin_clean_pending_list(c.oid::regclass) FROM pg_class c "
                        "JOIN pg_am a ON a.oid = c.relam "
                        "WHERE a.amname = 'gin' AND pg_table_is_visible(c.oid)"
                    )
                )
            conn.execute(sa.text("ANALYZE"))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _serialised(self) -> Iterator[None]:
        if self._lock is None:
            yield
        else:
            with self._lock:
                yield

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads (serialised on a shared in-memory database)."""
        with self._serialised(), self.engine.connect() as conn:
            yield conn

    def _by_ids(
        self, query: sa.Select[Any], table: sa.Table, ids: Sequence[int], record: Callable[[Any], T]
    ) -> list[T]:
        """The rows of `query` with these ids (of `table`) as records, in the order given;
        unknown ids are left out."""
        if not ids:
            return []
        with self.reading() as conn:
            rows = conn.execute(query.where(table.c.id.in_(list(ids)))).all()
        by_id = {row.id: record(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection inside one write transaction, committed on exit, rolled back on error."""
        with self._serialised(), self.engine.connect() as conn:
            if self._is_sqlite:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn
