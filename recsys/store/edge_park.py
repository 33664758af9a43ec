"""Shards parked until the process exits, instead of closed.

Qdrant Edge evicts a shard's files from the page cache when the shard is closed or freed
(Qdrant's "disk cache hygiene", written for the segments an optimizer has just replaced:
``fadvise(DONTNEED)`` on every vector, graph and index file). For a command that opens a
collection, answers and exits, that eviction is the next command's cost: its open reads the
fused vectors back from disk (``MADV_POPULATE_READ``). At a million tracks, an open after a
close took 0.50-0.74 s, an open after a parked exit 0.22 s (docs/benchmarks.md, "The command
line at a million tracks").

A process about to exit therefore parks its shards: each is flushed (nothing is pending), then
kept open with the collection's lock until the exit, when the OS releases both. The shard
object is never freed (an extra reference), so its Drop, which would evict, never runs. An
open of the same collection later in the same process takes the shard and the lock back.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

#: collection folder -> (its open shard, the flock descriptor of its lock file)
_parked: dict[str, tuple[Any, int]] = {}
_guard = threading.Lock()


def park(key: str, shard: Any, lock_fd: int) -> None:
    """Keep ``shard`` (flushed by the caller) and its lock open until the process exits."""
    with _guard:
        # one reference more than anybody will give back: the object outlives the
        # interpreter's own teardown, which would otherwise free it and evict its files
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(shard))
        _parked[key] = (shard, lock_fd)


def take(key: str) -> tuple[Any, int] | None:
    """The shard and lock descriptor parked for ``key``, handed back (None: none parked)."""
    with _guard:
        got = _parked.pop(key, None)
        if got is not None:
            ctypes.pythonapi.Py_DecRef(ctypes.py_object(got[0]))
        return got


def parked() -> list[str]:
    with _guard:
        return sorted(_parked)
