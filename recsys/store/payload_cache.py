"""Payloads of recently read points, kept by a long-lived process (``recsys serve``).

Qdrant Edge reads a payload for about as long as it takes to search: 0.13 ms for 16 payloads
against 0.03 ms for the same points without them, most of it turning Edge's payload into
Python objects. A recommend passes over 20-40 hits to keep 10 (the dedup and the artist cap),
so a server answering from the embedded store spent a third of each request reading payloads,
mostly of tracks it had read before. A command answers one query and never turns this on.

The cache is bounded (the least recently used entries leave first) and exact: every write to the collection
empties it, after the write, and a read that started before a write cannot put what it read
back in (the generation it started from has passed).

Payloads are kept frozen, as tuples (lists and nested dicts become tuples, put back as
they were on the way out), never as dicts: the garbage collector skips a tuple of strings and
numbers, but walks every dict and list it tracks, and a full collection over 50,000 cached
payload dicts took 240 ms of a server that answers a request in one (7 ms for 100,000 frozen
ones). Thawing one costs about 2 us, against 7 us for Edge to read it. The shape of a payload
(its keys, where its lists and dicts are) is kept once for all the payloads that share it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Hashable, Iterable

import numpy as np

from recsys.store.base import Hit, PayloadCacheStats

#: Where a frozen value's containers were: None for a plain value, FLAT for a list of plain
#: values, ("L", shapes of the items) for any other list, ("D", keys, shapes of the values)
#: for a dict
Shape = Any
#: A payload's keys and, for each value that is not plain, (key, position, shape): shared by
#: every payload of the same shape
Layout = tuple[tuple[str, ...], tuple[tuple[str, int, Shape], ...]]
Frozen = tuple[Layout, tuple[Any, ...]]
#: the shape of a list of plain values (most lists of a catalog's payload: genres, tags)
FLAT = "l"
_ATOM_TYPES = frozenset((str, int, float, bool, type(None)))

#: What ``recsys serve`` keeps by default: a whole 100k-track collection, 300 MB at most (a
#: catalog track's cached payload is about 3 KB with its key: tracemalloc, on a synthetic
#: Fairouz-layout catalog)
PAYLOAD_CACHE_POINTS = 100_000


class _Unfreezable(Exception):
    pass


def _freeze(value: Any) -> tuple[Any, Shape]:
    kind = type(value)
    if kind in _ATOM_TYPES:
        return value, None
    if kind is list:
        if all(type(v) in _ATOM_TYPES for v in value):
            return tuple(value), FLAT
        parts = [_freeze(v) for v in value]
        return tuple(f for f, _ in parts), ("L", tuple(s for _, s in parts))
    if kind is dict and all(type(k) is str for k in value):
        parts = [_freeze(v) for v in value.values()]
        return tuple(f for f, _ in parts), ("D", tuple(value), tuple(s for _, s in parts))
    raise _Unfreezable


def _thaw(frozen: Any, shape: Shape) -> Any:
    if shape is None:
        return frozen
    if shape == FLAT:
        return list(frozen)
    if shape[0] == "L":
        return [_thaw(f, s) for f, s in zip(frozen, shape[1])]
    return {k: _thaw(f, s) for k, f, s in zip(shape[1], frozen, shape[2])}


def freeze(payload: dict[str, Any], layouts: dict[Layout, Layout]) -> Frozen | None:
    """``payload`` as tuples the garbage collector does not track (``layouts`` interns the
    shapes); None if it holds anything but strings, numbers, booleans, None, and lists and
    dicts of those."""
    values: list[Any] = []
    nested: list[tuple[str, int, Shape]] = []
    try:
        for i, (key, value) in enumerate(payload.items()):
            frozen, shape = _freeze(value)
            values.append(frozen)
            if shape is not None:
                nested.append((key, i, shape))
    except (_Unfreezable, RecursionError):
        return None
    layout = (tuple(payload), tuple(nested))
    return layouts.setdefault(layout, layout), tuple(values)


def thaw(frozen: Frozen) -> dict[str, Any]:
    """A new dict equal to the payload that was frozen."""
    (keys, nested), values = frozen
    out = dict(zip(keys, values))
    for key, i, shape in nested:
        out[key] = _thaw(values[i], shape)
    return out


#: id of a layout -> (the layout, {key: (position, shape)}). Keyed by id because a layout's
#: own hash is recomputed over all its keys on every lookup; the entry holds the layout, so
#: that id cannot pass to another while the entry lives. One entry per kind of payload.
_POSITIONS: dict[int, tuple[Layout, dict[str, tuple[int, Shape]]]] = {}


def _positions(layout: Layout) -> dict[str, tuple[int, Shape]]:
    found = _POSITIONS.get(id(layout))
    if found is not None and found[0] is layout:
        return found[1]
    keys, nested = layout
    shapes = {k: shape for k, _, shape in nested}
    positions = {k: (i, shapes.get(k)) for i, k in enumerate(keys)}
    _POSITIONS[id(layout)] = (layout, positions)
    return positions


def frozen_get(frozen: Frozen, key: str, default: Any = None) -> Any:
    """``thaw(frozen).get(key, default)`` without thawing the rest."""
    layout, values = frozen
    found = _positions(layout).get(key)
    if found is None:
        return default
    i, shape = found
    return values[i] if shape is None else _thaw(values[i], shape)


class CachedHit(Hit):
    """A hit whose payload stays frozen until something asks for all of it: ``get`` reads one
    field, as the dedup and the artist cap do for the 20-40 hits they pass over to keep 10
    (thawing every one of them was a tenth of a served request)."""

    def __init__(
        self, track_id: str, score: float, payload: dict[str, Any] | None = None,
        vectors: dict[str, np.ndarray] | None = None, *, frozen: Frozen | None = None,
    ):
        # dataclasses.replace() passes the four fields; the cache passes ``frozen``
        if (payload is None) == (frozen is None):
            raise TypeError("CachedHit takes a payload or a frozen one")
        object.__setattr__(self, "track_id", track_id)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "vectors", {} if vectors is None else vectors)
        object.__setattr__(self, "_frozen", frozen)
        object.__setattr__(self, "_payload", payload)

    @property
    def payload(self) -> dict[str, Any]:  # type: ignore[override]
        if self._payload is None:
            object.__setattr__(self, "_payload", thaw(self._frozen))
        return self._payload

    def get(self, key: str, default: Any = None) -> Any:
        if self._payload is not None:
            return self._payload.get(key, default)
        return frozen_get(self._frozen, key, default)

    def __eq__(self, other: object) -> bool:
        # equal to a plain Hit of the same fields (a dataclass compares its own class only)
        if not isinstance(other, Hit):
            return NotImplemented
        return (self.track_id, self.score, self.payload, self.vectors) == (
            other.track_id, other.score, other.payload, other.vectors
        )

    __hash__ = None  # type: ignore[assignment]  # as Hit's: a payload dict is unhashable


class PayloadCache:
    """Point id -> payload, at most ``max_points`` of them, the least recently used leaving
    first; ``get`` hands out a new dict each time. An OrderedDict, not a dict: taking a
    dict's oldest key (``next(iter(d))``) walks over every slot deleted before it, and a
    full cache that turns over (a million tracks, 100,000 kept) slowed each request by more
    than a millisecond that way."""

    def __init__(self, max_points: int):
        if max_points < 1:
            raise ValueError("a payload cache holds at least one point")
        self.max_points = max_points
        self._items: OrderedDict[Hashable, Frozen] = OrderedDict()
        self._layouts: dict[Layout, Layout] = {}
        self._lock = threading.Lock()
        self.generation = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, point_id: Hashable) -> dict[str, Any] | None:
        found = self.get_frozen(point_id)
        return None if found is None else thaw(found)

    def get_frozen(self, point_id: Hashable) -> Frozen | None:
        """The payload as kept, for ``thaw`` once it is needed (a caller that stops early
        never pays for the rest)."""
        found = self._items.get(point_id)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        try:
            self._items.move_to_end(point_id)
        except KeyError:  # emptied by a write in another thread since
            pass
        return found

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
                if point_id in items:
                    items.move_to_end(point_id)
                elif len(items) >= self.max_points:
                    items.popitem(last=False)
                items[point_id] = frozen

    def fill(self, generation: int, pairs: Iterable[tuple[Hashable, dict[str, Any]]]) -> bool:
        """Keep those of ``pairs`` not kept yet, read while the cache was at ``generation``,
        as long as there is room (nothing is evicted for them): a server reading its
        collection in before the requests ask. False once the cache is full or a write has
        emptied it since ``generation`` (the fill is then over)."""
        with self._lock:
            if generation != self.generation:
                return False
            items = self._items
            for point_id, payload in pairs:
                if len(items) >= self.max_points:
                    return False
                if point_id not in items:
                    frozen = freeze(payload, self._layouts)
                    if frozen is not None:
                        items[point_id] = frozen
            return len(items) < self.max_points

    def stats(self) -> PayloadCacheStats:
        return PayloadCacheStats(len(self._items), self.max_points, self.hits, self.misses)

    def clear(self) -> None:
        """Forget every payload (a write changed the collection). The layouts stay: they are
        shapes, not data, and a layout made anew after every write would leave one more
        entry in ``_POSITIONS`` each time."""
        with self._lock:
            self.generation += 1
            self._items.clear()
