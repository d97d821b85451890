"""Engines, sessions and migrations, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session

if TYPE_CHECKING:
    # Imported where used: a database already at the newest migration (every command but the
    # first) never loads alembic.
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseError(Exception):
    """The database URL is unusable or the database cannot be reached or migrated."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets `figwatch history` read while the service writes; busy_timeout rides out the
    # short write locks of a concurrent `figwatch check`.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, *, create: bool = True) -> Engine:
    """Create an engine for `url` (sqlite:///FILE or postgresql+psycopg://...).

    A SQLite file that does not exist is created, mode 0600, when `create` is true; its
    directory must exist (figwatch never creates directories: a typo in the path should not
    quietly start a second, empty database somewhere else).

    Raises DatabaseError for a malformed URL, a driver that is not installed, a SQLite file
    whose directory is missing or not writable, or (`create` false) a SQLite file that does
    not exist.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise DatabaseError(f"invalid database URL: {e}") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                _sqlite_file(Path(parsed.database).expanduser(), create=create)
            engine = create_engine(parsed, connect_args={"timeout": 10})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(parsed, pool_pre_ping=True)
    except ImportError as e:
        raise DatabaseError(f"database driver missing for {parsed.drivername}: {e}") from None


def _sqlite_file(path: Path, *, create: bool) -> None:
    """Check that the SQLite file `path` can be opened; create it 0600 (`create`) if missing.

    SQLite gives its -wal and -shm files the mode of the database file, so they are 0600 too.
    An existing file's mode is left alone. Raises DatabaseError with one line that names the
    problem.
    """
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"database path {str(path)!r} is a directory, not a file")
        return
    folder = path.parent
    if not folder.is_dir():
        what = "is not a directory" if folder.exists() else "does not exist"
        raise DatabaseError(
            f"database directory {str(folder)!r} {what} (figwatch does not create directories)"
        )
    if not create:
        raise DatabaseError(f"no database at {str(path)!r} (`figwatch check` creates it)")
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return  # another process created it first
    except OSError as e:
        raise DatabaseError(f"cannot create database {str(path)!r}: {e.strerror or e}") from None


def alembic_config(engine: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration. Raises DatabaseError when it cannot.

    Safe to call from several processes at once: they migrate one after the other (PostgreSQL:
    an advisory lock in migrations/env.py; a SQLite file: an exclusive flock on the file).
    """
    if at_head(engine):
        return
    from alembic import command

    try:
        with _sqlite_file_lock(engine):
            command.upgrade(alembic_config(engine), "head")
    except Exception as e:  # noqa: BLE001 - any driver error becomes one clear message
        raise DatabaseError(
            f"cannot migrate {engine.url.render_as_string()}: {first_line(e)}"
        ) from e


def head_revision() -> str:
    """The newest migration's revision: migrations are numbered in order, one per file
    (`0005_cluster.py` is revision "0005"), and each follows the one before."""
    numbered = (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")
    return max(path.name[:4] for path in numbered)


def at_head(engine: Engine) -> bool:
    """Whether the schema is already at the newest migration (read without alembic: loading it
    and its migration scripts costs a one-shot command more than the rest of its start)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return False  # no schema yet, or unreachable: migrate() says which
    return [row[0] for row in rows] == [head_revision()]


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """Hold an exclusive flock on a SQLite database's directory while migrating.

    The directory, not the file: closing any descriptor of the database file would drop the
    POSIX locks SQLite itself holds on it in this process. A no-op for other databases.
    """
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        yield
        return
    fd = os.open(Path(path).expanduser().resolve().parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def session_factory(engine: Engine) -> Callable[[], Session]:
    """A factory of sessions that keep loaded objects usable after commit."""

    def make() -> Session:
        return Session(engine, expire_on_commit=False)

    return make


def first_line(e: BaseException) -> str:
    """An error's first line (its type's name when it says nothing), for one-line reports."""
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__
