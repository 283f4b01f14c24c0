"""SQLite backend for the embedded shape: writers queue on a lock instead of SQLite's sleeping busy handler.

Each web thread and the job consumer hold their own connection. Concurrent ``BEGIN IMMEDIATE`` calls would
wait in SQLite's busy handler, which sleeps with back-off (1, 2, 5 ... 100 ms) and turns sub-millisecond
waits into long tails. Before ``BEGIN`` a writer takes a lock: a thread lock inside the process, then an
``flock`` on a file beside the database shared by every process (web and job consumer). The next writer
starts as soon as the previous one commits. A write outside a transaction (``.update()`` in autocommit) is
its own transaction and takes the same lock, or it would sit in the busy handler while the others run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_THREAD_LOCK = threading.Lock()
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")
_LOCK_FILES: dict[str, int] = {}


def _lock_file(database_name: str) -> int | None:
    if database_name in ("", ":memory:") or database_name.startswith("file:"):
        return None  # an in-memory test database lives in one process
    descriptor = _LOCK_FILES.get(database_name)
    if descriptor is None:
        descriptor = os.open(f"{database_name}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
        _LOCK_FILES[database_name] = descriptor
    return descriptor


class _WriteLockingCursor(base.SQLiteCursorWrapper):
    database: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        with self.database.lock_autocommit_write(query):
            return super().execute(query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        with self.database.lock_autocommit_write(query):
            return super().executemany(query, param_list)


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False
    _locked_file: int | None = None

    def _acquire_write_lock(self) -> None:
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 20))
        deadline = time.monotonic() + timeout
        if not _THREAD_LOCK.acquire(timeout=timeout):
            raise OperationalError("database is locked (another writer in this process)")
        descriptor = _lock_file(str(self.settings_dict["NAME"]))
        pause = 0.0001
        while descriptor is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._locked_file = descriptor
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    _THREAD_LOCK.release()
                    raise OperationalError("database is locked (another process is writing)") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.001)  # wake within a millisecond of the other writer's commit
        self._holds_write_lock = True

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            if self._locked_file is not None:
                fcntl.flock(self._locked_file, fcntl.LOCK_UN)
                self._locked_file = None
            _THREAD_LOCK.release()

    def create_cursor(self, name: str | None = None) -> _WriteLockingCursor:
        cursor: _WriteLockingCursor = self.connection.cursor(factory=_WriteLockingCursor)
        cursor.database = self
        return cursor

    @contextlib.contextmanager
    def lock_autocommit_write(self, query: str) -> Iterator[None]:
        if self._holds_write_lock or not self.get_autocommit() or query.lstrip()[:6].upper() not in _WRITES:
            yield
            return
        self._acquire_write_lock()
        try:
            yield
        finally:
            self._release_write_lock()

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in django-stubs
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_write_lock()

    def _set_autocommit(self, autocommit: Any) -> None:
        super()._set_autocommit(autocommit)  # type: ignore[misc]  # private in django-stubs
        if autocommit:
            self._release_write_lock()
