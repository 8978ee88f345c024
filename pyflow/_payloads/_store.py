"""`PayloadStore`: what every payload store does (offload long text, resolve references,
check what it reads back), leaving only reading and writing objects to each kind of store."""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from dataclasses import dataclass

from .._exceptions import InvalidArgumentError, PayloadStoreError
from .._workflow._payload import MAX_DATA, STORE_HINT
from ._reference import Reference, digest, parse_reference

DEFAULT_THRESHOLD = 32_000
"""Payloads longer than this (characters of JSON) are offloaded: below SWF's 32,768, so a
payload that fits is never offloaded and one near the limit never races it."""
DEFAULT_CACHE_CHARS = 64_000_000
"""How much payload text a store keeps in memory: the decider reads the same outputs at
every decision task of an execution, and content-addressed objects never change."""


@dataclass
class StoreStats:
    """What a store did in this process, for benchmarks and logs."""

    writes: int = 0
    """Objects written (a payload already written or read here is not written again)."""
    bytes_written: int = 0
    """UTF-8 bytes of the objects written."""
    reads: int = 0
    """Objects read from the store (cache hits not counted)."""


class PayloadStore(ABC):
    """Holds payloads longer than `threshold` characters; SWF carries a reference instead.

    Subclasses write and read objects by key; everything else (content addresses, the
    cache, integrity checks) is here, so every store behaves the same.
    """

    def __init__(
        self, *, threshold: int = DEFAULT_THRESHOLD, cache_chars: int | None = None
    ) -> None:
        if isinstance(threshold, bool) or not isinstance(threshold, int) or not (
            0 < threshold <= MAX_DATA
        ):
            raise InvalidArgumentError(
                f"threshold must be a whole number of characters from 1 to {MAX_DATA} (SWF's "
                f"limit), not {threshold!r}"
            )
        self.threshold = threshold
        self.stats = StoreStats()
        self._cache = _Cache(DEFAULT_CACHE_CHARS if cache_chars is None else cache_chars)
        self._lock = threading.Lock()

    @abstractmethod
    def _key(self, sha256: str) -> str:
        """The object key of the payload with this digest."""

    @abstractmethod
    def _write(self, key: str, data: bytes) -> bool:
        """Store `data` under `key` (False if it was there already); PayloadStoreError if
        the store refused."""

    @abstractmethod
    def _read(self, key: str) -> bytes:
        """The object under `key`; PayloadStoreError (missing=True if it is not there)."""

    def offload(self, text: str) -> str:
        """`text` itself if it fits under the threshold, else the reference to it, stored."""
        if len(text) <= self.threshold or parse_reference(text) is not None:
            return text
        sha = digest(text)
        key = self._key(sha)
        if not self._cache.has(key):
            data = text.encode("utf-8")
            if self._write(key, data):
                with self._lock:
                    self.stats.writes += 1
                    self.stats.bytes_written += len(data)
            self._cache.put(key, text)
        return Reference(key=key, size=len(text), sha256=sha).text()

    def resolve(self, text: str) -> str:
        """The payload `text` refers to if it is a reference, else `text` itself."""
        ref = parse_reference(text)
        return text if ref is None else self.fetch(ref)

    def fetch(self, ref: Reference) -> str:
        """The payload of `ref`, checked against its digest."""
        cached = self._cache.get(ref.key)
        if cached is not None:
            return cached
        if not ref.key.endswith(ref.sha256):
            # Keys are content addresses: any other key is not one pyflow wrote.
            raise PayloadStoreError(
                f"payload reference key {ref.key!r} does not end with its sha256; it was not "
                "written by pyflow"
            )
        data = self._read(ref.key)
        with self._lock:
            self.stats.reads += 1
        if digest_bytes(data) != ref.sha256:
            raise PayloadStoreError(
                f"payload {ref.key!r} in {self} does not match its sha256: the object was "
                "changed after pyflow wrote it"
            )
        text = data.decode("utf-8")
        self._cache.put(ref.key, text)
        return text


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def offload(text: str, store: PayloadStore | None) -> str:
    """`text`, or its reference when a store is configured and it is over the threshold."""
    return text if store is None else store.offload(text)


def resolve(text: str, store: PayloadStore | None, *, where: str = "pyflow") -> str:
    """`text`, or the payload it refers to. A reference with no store to read it from is
    an error naming the setting (`where` says what lacks it)."""
    if store is not None:
        return store.resolve(text)
    ref = parse_reference(text)
    if ref is None:
        return text
    raise PayloadStoreError(
        f"{where} got a reference to an offloaded payload ({ref.key!r}, {ref.size} "
        f"characters) but has no payload store: {STORE_HINT}"
    )


class _Cache:
    """A thread-safe LRU of payload texts by key, bounded by their total characters."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def get(self, key: str) -> str | None:
        with self._lock:
            text = self._texts.get(key)
            if text is not None:
                self._texts.move_to_end(key)
            return text

    def put(self, key: str, text: str) -> None:
        if len(text) > self.max_chars:
            return
        with self._lock:
            old = self._texts.pop(key, None)
            if old is not None:
                self._chars -= len(old)
            self._texts[key] = text
            self._chars += len(text)
            while self._chars > self.max_chars:
                _, dropped = self._texts.popitem(last=False)
                self._chars -= len(dropped)
