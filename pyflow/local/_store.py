"""The durable engine's SQLite file: opening it safely (one engine per file), its schema, and
one transaction per committed change.

sqlite3 is in the standard library, keeps the engine's only dependency boto3, and gives
atomic, crash-safe transactions: with WAL and `synchronous=FULL` a commit is on disk before
the answer that follows it leaves the process, so `kill -9` loses no answered call.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .._exceptions import PyflowError

if sys.platform == "win32":  # the in-memory engine must import everywhere
    import msvcrt
else:
    import fcntl

SCHEMA_VERSION = 1
APPLICATION_ID = 0x70794C46
"""SQLite's header field naming the file's application ('pyLF'): a pyflow.local database."""
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE domains (name TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE executions (
    seq INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, domain TEXT NOT NULL,
    workflow_id TEXT NOT NULL, open INTEGER NOT NULL, close_ts REAL, data TEXT NOT NULL);
CREATE TABLE events (
    run_id TEXT NOT NULL, event_id INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (run_id, event_id)) WITHOUT ROWID;
"""


class StoreError(PyflowError):
    """The database file cannot be used: in use, missing directory, not a pyflow.local
    database, or from an incompatible version."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        """What to do about it, for one-line error displays."""


@dataclass
class ExecutionRow:
    """One execution as written: its state (open work included) and its new events."""

    run_id: str
    domain: str
    workflow_id: str
    is_open: bool
    close_ts: float | None
    state: dict[str, Any]
    new_events: list[dict[str, Any]]
    first_new_event: int


class Store:
    """An open database file, locked against a second engine until `close()`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        _check_location(self.path)
        self._lock = _take_lock(self.path)
        try:
            self._db = _connect(self.path)
            _check_or_create_schema(self._db, self.path)
        except BaseException:
            self._lock.close()
            raise

    # -- reading, at start ------------------------------------------------------------------
    def domains(self) -> list[dict[str, Any]]:
        return [json.loads(data) for (data,) in
                self._db.execute("SELECT data FROM domains ORDER BY name")]

    def executions(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Each execution's state with its history, in the order they were started."""
        for run_id, data in self._db.execute("SELECT run_id, data FROM executions ORDER BY seq"):
            events = [json.loads(e) for (e,) in self._db.execute(
                "SELECT data FROM events WHERE run_id = ? ORDER BY event_id", (run_id,))]
            yield json.loads(data), events

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # -- writing ----------------------------------------------------------------------------
    def commit(self, domains: list[dict[str, Any]] | None, rows: list[ExecutionRow],
               purged: list[str], clock: float, *, sync: bool = True) -> None:
        """Write one change as one transaction: it is on disk when this returns (with
        `sync=False`, in the operating system's hands: safe from a killed process only)."""
        db = self._db
        if not sync:
            db.execute("PRAGMA synchronous=NORMAL")
        try:
            self._write(domains, rows, purged, clock)
        finally:
            if not sync:
                db.execute("PRAGMA synchronous=FULL")

    def _write(self, domains: list[dict[str, Any]] | None, rows: list[ExecutionRow],
               purged: list[str], clock: float) -> None:
        db = self._db
        with db:
            if domains is not None:
                db.executemany("INSERT OR REPLACE INTO domains (name, data) VALUES (?, ?)",
                               [(d["name"], _dump(d)) for d in domains])
            for row in rows:
                _write_execution(db, row)
            for run_id in purged:
                db.execute("DELETE FROM events WHERE run_id = ?", (run_id,))
                db.execute("DELETE FROM executions WHERE run_id = ?", (run_id,))
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)",
                       (repr(clock),))

    def close(self) -> None:
        self._db.close()
        self._lock.close()


def _write_execution(db: sqlite3.Connection, row: ExecutionRow) -> None:
    db.execute(
        "INSERT INTO executions (run_id, domain, workflow_id, open, close_ts, data) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET open = excluded.open, "
        "close_ts = excluded.close_ts, data = excluded.data",
        (row.run_id, row.domain, row.workflow_id, int(row.is_open), row.close_ts,
         _dump(row.state)))
    db.executemany("INSERT OR REPLACE INTO events (run_id, event_id, data) VALUES (?, ?, ?)",
                   [(row.run_id, row.first_new_event + i, _dump(event))
                    for i, event in enumerate(row.new_events)])


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _check_location(path: Path) -> None:
    hint = "pass --db (or LocalSWF(path=...)) a file in an existing directory"
    if path.is_dir():
        raise StoreError(f"the engine database {path} is a directory, not a file", hint=hint)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise StoreError(f"cannot create the engine database {path}: the directory {parent} "
                         "does not exist", hint=hint)


def _take_lock(path: Path) -> IO[str]:
    """Hold `<file>.lock` for the engine's life; the kernel drops it when the process dies,
    so a `kill -9`ed server never leaves a stale lock behind."""
    real = path.resolve()  # one lock however the file is named (relative, via a symlink)
    lock_path = real.with_name(real.name + ".lock")
    try:
        handle = open(lock_path, "a+")  # noqa: SIM115 - held open until Store.close
    except OSError as exc:
        raise StoreError(f"cannot open the lock file {lock_path}: {exc.strerror or exc}",
                         hint="check the directory's permissions") from exc
    try:
        _lock(handle)
    except OSError as exc:
        holder = _holder(handle)
        handle.close()
        raise StoreError(
            f"the engine database {path} is in use by another pyflow local engine "
            f"(process {holder} holds {lock_path})",
            hint="stop that server first, or pass another --db file") from exc
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def _lock(handle: IO[str]) -> None:
    """Lock `handle`'s file for this process, or raise OSError at once if another holds it."""
    if sys.platform == "win32":
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _holder(handle: IO[str]) -> str:
    """The process id the lock's holder wrote, for the refusal message."""
    try:
        handle.seek(0)
        return handle.read().strip() or "unknown"
    except OSError:
        return "unknown"


def _connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, check_same_thread=False, isolation_level="DEFERRED")
        db.execute("PRAGMA journal_mode=WAL").fetchone()
        db.execute("PRAGMA synchronous=FULL")
    except sqlite3.OperationalError as exc:  # permissions, a full disk, another program's lock
        raise StoreError(f"cannot use the engine database {path}: {exc}",
                         hint="check the file and its directory, or pass another --db") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a pyflow local engine database ({exc})",
                         hint="pass --db a new file, or one a pyflow local engine wrote") from exc
    return db


def _check_or_create_schema(db: sqlite3.Connection, path: Path) -> None:
    hint = "pass --db a new file, or one a pyflow local engine wrote"
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id == 0 and tables == 0:
            with db:
                db.executescript(f"BEGIN; {_SCHEMA} PRAGMA application_id={APPLICATION_ID}; "
                                 f"INSERT INTO meta VALUES ('schema_version', "
                                 f"'{SCHEMA_VERSION}'); COMMIT;")
            return
        if app_id != APPLICATION_ID:
            raise StoreError(f"{path} is an SQLite database, but not a pyflow local engine "
                             "database", hint=hint)
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a pyflow local engine database ({exc})",
                         hint=hint) from exc
    version = row[0] if row else "unknown"
    if version != str(SCHEMA_VERSION):
        raise StoreError(
            f"{path} holds pyflow local engine data in format version {version}; this "
            f"pyflow reads format version {SCHEMA_VERSION}",
            hint="open it with the pyflow version that wrote it, or pass another --db file")
