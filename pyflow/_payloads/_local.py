"""`LocalPayloadStore`: payloads in memory (the default) or in a directory, for `pyflow.local`
and for workers on one machine that share the directory."""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import Path

from .._exceptions import PayloadStoreError
from ._store import DEFAULT_THRESHOLD, PayloadStore

_KEY = re.compile(r"[0-9a-f]{64}")


class LocalPayloadStore(PayloadStore):
    """Payloads over `threshold` characters, kept in this process's memory, or with
    `directory` as one file per payload (named by its sha256) that any process on the
    machine given the same directory can read.

    Files are written to a temporary name and renamed, so a reader never sees half a payload.
    """

    def __init__(
        self, directory: str | os.PathLike[str] | None = None, *,
        threshold: int = DEFAULT_THRESHOLD,
    ) -> None:
        # In memory, the dictionary is the store: a cache in front of it would double it.
        super().__init__(threshold=threshold, cache_chars=0 if directory is None else None)
        self.directory = None if directory is None else Path(directory)
        self._memory: dict[str, bytes] = {}
        self._lock_memory = threading.Lock()
        if self.directory is not None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise PayloadStoreError(
                    f"cannot create the payload directory {self.directory}: {exc}"
                ) from exc

    def __repr__(self) -> str:
        where = "memory" if self.directory is None else str(self.directory)
        return f"pyflow.LocalPayloadStore({where})"

    @property
    def stored_bytes(self) -> int:
        """UTF-8 bytes of every payload held (each distinct payload once)."""
        if self.directory is None:
            with self._lock_memory:
                return sum(len(v) for v in self._memory.values())
        return sum(p.stat().st_size for p in self.directory.iterdir() if _KEY.fullmatch(p.name))

    def _key(self, sha256: str) -> str:
        return sha256

    def _write(self, key: str, data: bytes) -> bool:
        if self.directory is None:
            with self._lock_memory:
                known = key in self._memory
                self._memory[key] = data
            return not known
        target = self.directory / key
        if target.exists():
            return False  # content-addressed: the same key holds the same bytes
        try:
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, target)
            return True
        except OSError as exc:
            raise PayloadStoreError(
                f"cannot write payload {key} to {self.directory}: {exc}"
            ) from exc

    def _read(self, key: str) -> bytes:
        if not _KEY.fullmatch(key):
            raise PayloadStoreError(f"{key!r} is not a key of a local payload store")
        if self.directory is None:
            with self._lock_memory:
                data = self._memory.get(key)
            if data is None:
                raise PayloadStoreError(f"payload {key} is not in {self!r}", missing=True)
            return data
        try:
            return (self.directory / key).read_bytes()
        except FileNotFoundError:
            raise PayloadStoreError(f"payload {key} is not in {self!r}", missing=True) from None
        except OSError as exc:
            raise PayloadStoreError(f"cannot read payload {key} from {self!r}: {exc}") from exc
