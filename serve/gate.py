"""The server's store behind a gate that can be shut: what lets a stopping server close the
store while a request still runs.

A request holds the store's read lock (``serve.state.ReadWriteLock``) for its whole life, and
a stopping server used to close the store under the write lock: behind a slow request, a
SIGTERM waited as long as the request did. After the grace (``ServeConfig.grace_seconds``) the
server now closes the store without the lock, and the gate is what keeps that clean: every
store call (and every step of a stream of hits or points) passes it, shutting it refuses the
calls that come after (``StoreError``: the request that made one ends there) and waits for the
one in progress, if any, so the store is never closed under a call and never reopened after
(an Edge backend's next call would open its shard again). A call costs two lock round trips,
well under a microsecond of the recommend fast path's hundreds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, Callable

from recsys.errors import StoreError
from recsys.store.base import StoreBackend


class StoreGate:
    """Counts the store calls in progress; once shut, lets none start."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = 0
        self._shut = False

    def enter(self) -> None:
        with self._cond:
            if self._shut:
                raise StoreError("the server is stopping: its store is closed")
            self._busy += 1

    def leave(self) -> None:
        with self._cond:
            self._busy -= 1
            if not self._busy:
                self._cond.notify_all()

    def shut(self, timeout: float | None = None) -> bool:
        """Refuse every call from now on, and wait up to ``timeout`` seconds (None: as long as
        it takes) for the calls in progress to end: False if one is still running."""
        with self._cond:
            self._shut = True
            return self._cond.wait_for(lambda: not self._busy, timeout)


class GatedBackend:
    """``backend`` with every method call (and every item of a returned stream) passing
    ``gate``; other attributes read through. ``inner`` is the backend itself: closing it is
    the caller's, once the gate is shut."""

    def __init__(self, backend: StoreBackend, gate: StoreGate | None = None):
        self.inner = backend
        self.gate = gate or StoreGate()

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.inner, name)
        if not callable(found):
            return found
        gated = _gated_call(found, self.gate)
        # kept on the instance: the next lookup of this method is a plain attribute read
        self.__dict__[name] = gated
        return gated


def _gated_call(method: Callable[..., Any], gate: StoreGate) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        gate.enter()
        try:
            result = method(*args, **kwargs)
        finally:
            gate.leave()
        # a stream (scroll, neighbours, a cache fill's pages) reads the store as it is consumed
        return _gated_stream(result, gate) if isinstance(result, Iterator) else result

    call.__name__ = getattr(method, "__name__", "call")
    call.__doc__ = getattr(method, "__doc__", None)
    return call


def _gated_stream(items: Iterator[Any], gate: StoreGate) -> Iterator[Any]:
    while True:
        gate.enter()
        try:
            item = next(items, _END)
        finally:
            gate.leave()
        if item is _END:
            return
        yield item


_END = object()
