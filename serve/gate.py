"""The server's store behind a gate that can be shut: what lets a stopping server close the
store while a request still runs.

A request holds the store's read lock (``serve.state.ReadWriteLock``) for its whole life, and
a stopping server used to close the store under the write lock: behind a slow request, a
SIGTERM waited as long as the request did. After the grace (``ServeConfig.grace_seconds``) the
server now closes the store without the lock, and the gate is what keeps that clean: every
store call (and every step of a stream of hits or points) passes it, shutting it refuses the
calls that come after (``StoreError``: the request that made one ends there) and waits for the
one in progress, if any, so the store is never closed under a call and never reopened after
(an Edge backend's next call would open its shard again). A call or a streamed item costs
a few tenths of a microsecond more (a recommend makes a few dozen: under 1 % of it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, Callable

from recsys.errors import StoreError
from recsys.store.base import StoreBackend


class StoreGate:
    """Counts the store calls in progress; once shut, lets none start.

    Lock-free, as the recommend path makes a dozen calls a request: a call appends to a list
    and pops from it (each atomic under the GIL) around its run, and checks the flag after
    appending, so a call either sees the gate shut and never reaches the store, or is
    counted before ``shut`` looks. ``shut`` polls the count (every millisecond): it runs once."""

    def __init__(self) -> None:
        self.calls: list[None] = []
        self.is_shut = False

    def shut(self, timeout: float | None = None) -> bool:
        """Refuse every call from now on, and wait up to ``timeout`` seconds (None: as long as
        it takes) for the calls in progress to end: False if one is still running."""
        self.is_shut = True
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.calls:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.001)
        return True


CLOSED = "the server is stopping: its store is closed"


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
    calls = gate.calls

    def call(*args: Any, **kwargs: Any) -> Any:
        calls.append(None)
        try:
            if gate.is_shut:
                raise StoreError(CLOSED)
            result = method(*args, **kwargs)
        finally:
            calls.pop()
        # a stream (scroll, neighbours, a cache fill's pages) reads the store as it is consumed
        return _gated_stream(result, gate) if isinstance(result, Iterator) else result

    call.__name__ = getattr(method, "__name__", "call")
    call.__doc__ = getattr(method, "__doc__", None)
    return call


def _gated_stream(items: Iterator[Any], gate: StoreGate) -> Iterator[Any]:
    calls, step = gate.calls, items.__next__
    while True:
        calls.append(None)
        try:
            if gate.is_shut:
                raise StoreError(CLOSED)
            item = step()
        except StopIteration:
            return
        finally:
            calls.pop()
        yield item
