"""The ingest job's stages overlapped across chunks: the next chunk's inputs are read and
decoded while this one is encoded (``ReadAhead`` running a ``ChunkReader``), and a chunk's upsert
runs in one writer thread while the next chunk is read and encoded (``WriteBehind``). The
writer is then the only thread that uses the store, until the job drains it.

Both are bounded, so memory stays that of a few chunks: the reader runs at most one chunk
ahead of the encoders, and at most ``depth`` written chunks wait for the writer while it
writes another. Both hand their errors to the thread that drives the job at its next hand-off,
so a failure stops the job as it did before the stages overlapped.

``RECSYS_INGEST_OVERLAP=0`` (or ``false``, ``no``, ``off``) runs every stage in turn in the
calling thread, through the same code: for comparisons and for debugging.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterator, Sequence, TypeVar

#: the environment variable that turns the overlap off
OVERLAP_ENV = "RECSYS_INGEST_OVERLAP"

C = TypeVar("C")  # a chunk
R = TypeVar("R")  # what reading a chunk gives
W = TypeVar("W")  # what the writer writes


def overlap_enabled() -> bool:
    """Whether the ingest overlaps its stages (the default), per ``RECSYS_INGEST_OVERLAP``."""
    return os.environ.get(OVERLAP_ENV, "").strip().lower() not in ("0", "false", "no", "off")


@dataclass(frozen=True)
class ModalityInputs:
    """One modality's inputs of a chunk, read ahead: each track's cache key (with a cache), and
    the decoded input (or its MediaError) of each track the cache did not hold at that time."""

    keys: dict[str, str | None]
    decoded: dict[str, Any]


@dataclass(frozen=True)
class ChunkInputs:
    """What reading a chunk gives the encoders: each modality's inputs, the published vectors
    (precomputed; track_id -> vector, a missing one left out) and each track's sync fields."""

    modalities: dict[str, ModalityInputs]
    published: dict[str, dict[str, Any]]
    sync: dict[str, dict]


class ChunkReader(Generic[C]):
    """The ``read`` a ReadAhead runs: ``read(chunk, cache_of)``, timed, where ``cache_of(modality)``
    is the reader's own embedding cache for that modality (``open_cache``'s, opened on first use
    in the reading thread: a SQLite connection stays in the thread that opened it), which
    ``close`` (ReadAhead's ``finish``, run in that thread) closes."""

    def __init__(self, read: Callable[[C, Callable[[str], Any]], ChunkInputs], open_cache: Callable[[str], Any]) -> None:
        self._read, self._open = read, open_cache
        self._caches: dict[str, Any] = {}
        #: seconds spent reading, in whichever thread read
        self.seconds = 0.0

    def cache_of(self, modality: str) -> Any:
        if modality not in self._caches:
            self._caches[modality] = self._open(modality)
        return self._caches[modality]

    def read(self, chunk: C) -> ChunkInputs:
        t0 = time.perf_counter()
        try:
            return self._read(chunk, self.cache_of)
        finally:
            self.seconds += time.perf_counter() - t0

    def close(self) -> None:
        caches, self._caches = self._caches, {}
        for cache in caches.values():
            if cache is not None:
                cache.close()


class ReadAhead(Generic[C, R]):
    """Iterates ``(chunk, read(chunk))`` over ``chunks``; with ``enabled``, ``read`` of the next
    chunk runs in one background thread while the caller works on the current one, never more
    than one chunk ahead. ``read``'s error is raised to the caller when it reaches that chunk.

    ``finish`` runs after the last read, in the thread that read (resources ``read`` opened
    there, such as SQLite connections, must close in their own thread). Use it as a context
    manager, so that leaving early waits for the read under way and runs ``finish``.
    """

    def __init__(
        self,
        read: Callable[[C], R],
        chunks: Sequence[C],
        *,
        enabled: bool = True,
        finish: Callable[[], None] | None = None,
    ) -> None:
        self._read, self._chunks, self._finish = read, list(chunks), finish
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recsys-read-ahead") if enabled else None
        self._pending: Future | None = None
        self._closed = False
        #: seconds the caller waited for a chunk's inputs
        self.waited = 0.0

    def __enter__(self) -> "ReadAhead[C, R]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[tuple[C, R]]:
        if self._pool is None:
            for chunk in self._chunks:
                t0 = time.perf_counter()
                result = self._read(chunk)
                self.waited += time.perf_counter() - t0
                yield chunk, result
            return
        if self._chunks:
            self._pending = self._pool.submit(self._read, self._chunks[0])
        for i, chunk in enumerate(self._chunks):
            t0 = time.perf_counter()
            try:
                result = self._pending.result()
            finally:
                self._pending = None
                self.waited += time.perf_counter() - t0
            if i + 1 < len(self._chunks):  # the next chunk is read while the caller has this one
                self._pending = self._pool.submit(self._read, self._chunks[i + 1])
            yield chunk, result

    def close(self) -> None:
        """Wait for the read under way (its result, or error, is dropped) and run ``finish``."""
        if self._closed:
            return
        self._closed = True
        if self._pool is None:
            if self._finish is not None:
                self._finish()
            return
        try:
            if self._pending is not None:
                self._pending.cancel()
                try:
                    self._pending.exception()  # waits: the thread may still be reading
                except BaseException:
                    pass  # the caller is leaving already; what it raised is the error to report
            if self._finish is not None:
                self._pool.submit(self._finish).result()
        finally:
            self._pool.shutdown(wait=True)


_STOP = object()


class WriteBehind(Generic[W]):
    """``write(item)`` of each submitted item, in order, in one writer thread (with ``enabled``;
    else at once, in the caller's thread), while the caller goes on. At most ``depth`` items
    wait while the writer writes one; ``submit`` blocks until there is room.

    The caller acknowledges an item only once its write has returned: ``submit``, ``collect``
    and ``drain`` return the items written since the last call. A write that raises stops the
    writer: that item and every later one stay unwritten, and the error is raised to the caller
    at its next ``submit`` or ``drain``, so a failed write never goes unnoticed. ``close`` (also
    on the way out of an error of the caller's own) writes what was already handed over and
    stops the thread.
    """

    def __init__(self, write: Callable[[W], None], *, depth: int = 1, enabled: bool = True) -> None:
        if depth < 1:
            raise ValueError("depth must be at least 1")
        self._write = write
        self._done: deque[W] = deque()
        self._error: BaseException | None = None
        self._closed = False
        #: seconds spent in ``write`` (the writer thread's busy time)
        self.writing = 0.0
        #: seconds the caller waited for room in the queue or for the last writes
        self.waited = 0.0
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        if enabled:
            self._queue = queue.Queue(maxsize=depth)
            self._thread = threading.Thread(target=self._run, name="recsys-ingest-writer", daemon=True)
            self._thread.start()

    def __enter__(self) -> "WriteBehind[W]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _STOP:
                    return
                if self._error is not None:
                    continue  # after a failed write nothing more is written; the caller will raise
                t0 = time.perf_counter()
                try:
                    self._write(item)
                except BaseException as exc:  # handed to the caller, raised there
                    self._error = exc
                else:
                    self._done.append(item)
                finally:
                    self.writing += time.perf_counter() - t0
            finally:
                self._queue.task_done()  # what ``flush`` waits for

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def collect(self) -> list[W]:
        """The items written since the last call, in order."""
        out = []
        while self._done:
            out.append(self._done.popleft())
        return out

    def submit(self, item: W) -> list[W]:
        """Hand ``item`` to the writer; returns the items written since the last call. Raises
        the writer's error, if a write failed."""
        if self._closed:
            raise RuntimeError("the writer is closed")
        self._raise_error()
        if self._queue is None:
            t0 = time.perf_counter()
            try:
                self._write(item)
            finally:
                self.writing += time.perf_counter() - t0
            self._done.append(item)
            return self.collect()
        t0 = time.perf_counter()
        self._queue.put(item)  # blocks while ``depth`` items wait
        self.waited += time.perf_counter() - t0
        self._raise_error()
        return self.collect()

    def flush(self) -> list[W]:
        """Wait until every item handed over is written, the writer left running; returns the
        items written since the last call. Until the next ``submit`` no write is under way: the
        caller may read the store (a reprepared chunk's kept vectors, ``ingest.preparation``).
        Raises the writer's error, if a write failed."""
        if self._queue is not None and not self._closed:
            t0 = time.perf_counter()
            self._queue.join()
            self.waited += time.perf_counter() - t0
        self._raise_error()
        return self.collect()

    def drain(self) -> list[W]:
        """Wait until every item handed over is written and stop the writer; returns the items
        written since the last call. Raises the writer's error, if a write failed."""
        t0 = time.perf_counter()
        self.close()
        self.waited += time.perf_counter() - t0
        self._raise_error()
        return self.collect()

    def close(self) -> None:
        """Write what was handed over (unless a write failed) and stop the writer thread."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
