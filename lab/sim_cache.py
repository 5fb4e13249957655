"""The simulation's cache: bounded by bytes, shared by threads, one computation per key at a time.

A 100,000-step run holds about 10 MB of arrays, so a cache bounded by entries (128 of them)
could hold a gigabyte in each server process. This one keeps the most recently used runs
up to ``max_bytes``, and when threads ask for the same run at once (a class opening the same
link), one computes it and the others wait for that result instead of computing it again.

Pinned values (the lessons' runs, computed once in the classroom server's master process before
it forks its workers) are kept outside the byte bound and never evicted: every worker shares their
pages, and a whole class opening a lesson costs no simulation at all.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

DEFAULT_MAX_BYTES = int(float(os.environ.get("LAB_SIM_CACHE_MB", "48")) * 2**20)


class RunCache:
    """Least recently used values up to ``max_bytes`` (as ``size`` counts them)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict = OrderedDict()  # key -> (value, size)
        self._pinned: dict = {}  # key -> value: outside the bound, never evicted
        self._running: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key) -> bool:
        """Whether ``key`` is held now (pinned or cached), without counting a hit."""
        with self._lock:
            return key in self._pinned or key in self._items

    def _lookup(self, key):
        pinned = self._pinned.get(key)
        if pinned is not None:
            self.hits += 1
            return (pinned, 0)
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return item

    def get(self, key, compute: Callable[[], object], size: Callable[[object], int],
            keep: Callable[[object], bool] = lambda v: True, wait_s: float = 30.0):
        """The cached value for ``key``, or ``compute()``'s, stored when ``keep`` says so and it fits."""
        with self._lock:
            item = self._lookup(key)
            if item is not None:
                return item[0]
            running = self._running.get(key)
            if running is None:
                self._running[key] = threading.Event()
        if running is not None:  # another thread computes it: wait, then read its result
            running.wait(wait_s)
            with self._lock:
                item = self._lookup(key)
            if item is not None:
                return item[0]
            return compute()  # it was not kept (too big, or cut short): compute our own
        try:
            value = compute()
            self.misses += 1
            nbytes = size(value)
            if keep(value) and nbytes <= self.max_bytes:
                with self._lock:
                    self._items[key] = (value, nbytes)
                    self.bytes += nbytes
                    while self.bytes > self.max_bytes:
                        _, (_, dropped) = self._items.popitem(last=False)
                        self.bytes -= dropped
            return value
        finally:
            with self._lock:
                self._running.pop(key).set()

    def pin(self, key, value) -> None:
        """Keep ``value`` for ``key`` for the life of the process, outside the byte bound."""
        with self._lock:
            self._pinned[key] = value
            dropped = self._items.pop(key, None)
            if dropped is not None:
                self.bytes -= dropped[1]

    @property
    def pinned(self) -> int:
        return len(self._pinned)

    def clear(self) -> None:
        """Forget every value, pinned ones too (the tests and benchmarks start cold with it)."""
        with self._lock:
            self._pinned.clear()
            self._items.clear()
            self.bytes = 0
            self.hits = self.misses = 0
