"""What a collection's points add up to (its facets, its points per named vector), kept beside
its shard until the next write, so a command that asks for them again reads a small file.

Edge counts a facet exactly, value by value: `recsys facets artists` took 10.9 s on a million
tracks (100,000 artists; docs/benchmarks.md, "The artist facet counts credited artists"), and
`recsys info` counts the points holding each named vector. Both change only when points are
written. ``derived.json`` in the collection's folder keeps each answer with the number of
points it was made from; every write through this backend deletes the file *before* it
writes (a write killed halfway leaves no file to trust), and an answer computed while a write
ran in another thread is not kept (a generation counter, per collection). A file whose point
count is not the shard's (written to by something else) is not used. A facet under a filter (a
clean server's, ``recsys facets --clean``) is kept under its own name (``facet_entry``), never
read for the whole facet's or another filter's.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from pathlib import Path
from typing import Any, Callable, TypeVar

from recsys.store.base import QueryFilter

T = TypeVar("T")

DERIVED_FILE = "derived.json"
DERIVED_FORMAT = 1


def _plain(value: Any) -> bool:
    """Whether JSON gives ``value`` back as it is (facet values are strings and numbers)."""
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float))


def facet_entry(key: str, flt: QueryFilter | None) -> str:
    """The kept answer's name of ``key``'s facet under ``flt``: "facet:genres" for the whole
    facet (as kept before filters were), and the filter's set fields after it otherwise
    ("facet:genres|{\"clean\": true}"): two filters that differ are two entries."""
    if flt is None or flt.is_empty():
        return f"facet:{key}"
    default = QueryFilter()
    fields = {f.name: getattr(flt, f.name) for f in dataclasses.fields(flt)
              if getattr(flt, f.name) != getattr(default, f.name)}
    return f"facet:{key}|{json.dumps(fields, sort_keys=True, ensure_ascii=False)}"


class EdgeDerived:
    """EdgeBackend's kept counts (a mixin: it uses the backend's ``_coll_dir``, ``_lock``,
    ``_native_count`` and ``_check_count``, and answers ``_facet_rows`` and ``count`` from the
    kept file before ``BaseBackend`` computes them)."""

    _lock: threading.RLock
    _coll_dir: Callable[[str], Path]
    _native_count: Callable[[str, Any], int]
    _check_count: Callable[[str, str], None]

    def _init_derived(self) -> None:
        #: each open collection's kept answers, as read from (or written to) its file
        self._derived: dict[str, dict[str, Any]] = {}
        #: writes made to each collection by this backend (an answer computed across one is not kept)
        self._generation: dict[str, int] = {}

    def _derived_path(self, name: str) -> Path:
        return self._coll_dir(name) / DERIVED_FILE

    def _forget_derived(self, name: str) -> None:
        """Before any write to ``name``: its kept answers are no longer true."""
        with self._lock:
            self._generation[name] = self._generation.get(name, 0) + 1
            self._derived.pop(name, None)
            try:
                self._derived_path(name).unlink()
            except FileNotFoundError:
                pass

    def _close_derived(self, name: str) -> None:
        self._derived.pop(name, None)

    def _kept(self, name: str) -> dict[str, Any]:
        """The kept answers of ``name`` (read once per open), empty unless they were made from
        as many points as the shard holds."""
        kept = self._derived.get(name)
        if kept is None:
            points = int(self._native_count(name, None))
            try:
                data = json.loads(self._derived_path(name).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            ok = isinstance(data, dict) and data.get("format") == DERIVED_FORMAT and data.get("points") == points
            entries = data.get("entries") if ok else None
            kept = {"format": DERIVED_FORMAT, "points": points, "entries": entries if isinstance(entries, dict) else {}}
            self._derived[name] = kept
        return kept

    def _derived_value(self, name: str, key: str, compute: Callable[[], T], encode: Callable[[T], Any],
                       decode: Callable[[Any], T]) -> T:
        """The kept answer ``key`` of ``name``, else ``compute()``, kept (as ``encode`` makes it
        JSON; ``decode`` reads it back) when no write ran meanwhile."""
        with self._lock:
            generation = self._generation.get(name, 0)
            entries = self._kept(name)["entries"]
            if key in entries:
                return decode(entries[key])
        value = compute()
        stored = encode(value)
        if not _plain(stored):
            return value
        with self._lock:
            if self._generation.get(name, 0) != generation:
                return value
            kept = self._kept(name)
            kept["entries"][key] = stored
            path = self._derived_path(name)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            try:
                # no fsync: a file lost in a crash is only computed again
                tmp.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, path)
            except OSError:
                pass  # a folder that cannot be written to only costs the next command its speed
        return value

    # --- the answers kept: a facet's rows, the points per named vector (before BaseBackend's
    # own, which compute them; EdgeBackend's class order puts this mixin in front)

    def _facet_rows(self, name: str, key: str, flt: QueryFilter | None = None) -> list[tuple[Any, int]]:
        # kept until the next write (edge_derived): 10.9 s for the artists of a million tracks;
        # a filtered facet (a clean server's) kept under its filter, never read for another's
        return self._derived_value(
            name, facet_entry(key, flt), lambda: super(EdgeDerived, self)._facet_rows(name, key, flt),
            encode=lambda rows: [[v, n] for v, n in rows], decode=lambda rows: [(v, int(n)) for v, n in rows],
        )

    def count(self, name: str, using: str | None = None, flt: QueryFilter | None = None) -> int:
        if using is None or (flt is not None and not flt.is_empty()):
            # the whole count is what the kept answers are checked against: never kept itself
            return super().count(name, using, flt)
        self._check_count(name, using)  # a bad name fails as on any backend, before a kept answer
        return self._derived_value(name, f"count:{using}", lambda: super(EdgeDerived, self).count(name, using),
                                   encode=int, decode=int)
