"""Payloads of recently read points, kept by a long-lived process (``recsys serve``).

Qdrant Edge reads a payload for about as long as it takes to search: 0.13 ms for 16 payloads
against 0.03 ms for the same points without them, most of it turning Edge's payload into
Python objects. A recommend passes over 20-40 hits to keep 10 (the dedup and the artist cap),
so a server answering from the embedded store spent a third of each request reading payloads,
mostly of tracks it had read before. A command answers one query and never turns this on.

The cache is bounded (oldest entries leave first) and exact: every write to the collection
empties it, after the write, and a read that started before a write cannot put what it read
back in (the generation it started from has passed).

Payloads are kept frozen, as tuples (lists become tuples, put back as lists on the way out),
never as dicts: the garbage collector skips a tuple of strings and numbers, but walks every
dict and list it tracks, and a full collection over 50,000 cached payload dicts took 240 ms
of a server that answers a request in one (7 ms for 100,000 frozen ones). Thawing one costs
about 2 us, against 7 us for Edge to read it. A payload holding a dict or a nested list is not
kept (a catalog's never does).
"""

from __future__ import annotations

import threading
from typing import Any, Hashable, Iterable

#: a payload's keys and which of them held lists; shared by every payload of the same shape
Layout = tuple[tuple[str, ...], tuple[str, ...]]
Frozen = tuple[Layout, tuple[Any, ...]]
_ATOMS = (str, int, float, bool, type(None))

#: About what one cached payload of a catalog track costs in memory (measured with
#: tracemalloc on a synthetic Fairouz-layout catalog: 2.9 KB with its key)
PAYLOAD_BYTES = 3 * 1024
#: What ``recsys serve`` keeps by default: 300 MB at most, a whole 100k-track collection
PAYLOAD_CACHE_POINTS = 100_000


def freeze(payload: dict[str, Any], layouts: dict[Layout, Layout]) -> Frozen | None:
    """``payload`` as tuples the garbage collector does not track; None if it holds anything
    but strings, numbers, booleans, None and flat lists of those."""
    values: list[Any] = []
    lists: list[str] = []
    for key, value in payload.items():
        if isinstance(value, list):
            if not all(isinstance(v, _ATOMS) for v in value):
                return None
            lists.append(key)
            values.append(tuple(value))
        elif isinstance(value, _ATOMS):
            values.append(value)
        else:
            return None
    layout = (tuple(payload), tuple(lists))
    return layouts.setdefault(layout, layout), tuple(values)


def thaw(frozen: Frozen) -> dict[str, Any]:
    """A new dict equal to the payload that was frozen."""
    (keys, lists), values = frozen
    out = dict(zip(keys, values))
    for key in lists:
        out[key] = list(out[key])
    return out


class PayloadCache:
    """Point id -> payload, at most ``max_points`` of them; ``get`` hands out a new dict
    each time."""

    def __init__(self, max_points: int):
        if max_points < 1:
            raise ValueError("a payload cache holds at least one point")
        self.max_points = max_points
        self._items: dict[Hashable, Frozen] = {}
        self._layouts: dict[Layout, Layout] = {}
        self._lock = threading.Lock()
        self.generation = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, point_id: Hashable) -> dict[str, Any] | None:
        found = self._items.get(point_id)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        return thaw(found)

    def put(self, generation: int, pairs: Iterable[tuple[Hashable, dict[str, Any]]]) -> None:
        """Keep ``pairs`` read while the cache was at ``generation``; none of them if a write
        has emptied it since (they may be older than the write)."""
        with self._lock:
            if generation != self.generation:
                return
            items = self._items
            for point_id, payload in pairs:
                frozen = freeze(payload, self._layouts)
                if frozen is None:
                    continue
                if point_id not in items and len(items) >= self.max_points:
                    del items[next(iter(items))]  # the oldest: dicts keep insertion order
                items[point_id] = frozen

    def clear(self) -> None:
        """Forget everything (a write changed the collection)."""
        with self._lock:
            self.generation += 1
            self._items.clear()
            self._layouts.clear()
