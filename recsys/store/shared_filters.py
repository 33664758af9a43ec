"""A QueryFilter as a backend's native filter, on the fields a collection's points carry.

``filters`` turns a QueryFilter into backend-neutral conditions; ``NativeFilters`` picks the
fields those conditions match on a given collection (its normalised and keyed fields, once
every point carries them: one exact count each, remembered until the next upsert) and builds
the client's filter through the backend's condition hooks.
"""

from __future__ import annotations

from typing import Any

from recsys.store.base import QueryFilter
from recsys.store.filters import (
    KEYED_FIELDS,
    NORMALISED_FIELDS,
    Conditions,
    HasIdCond,
    HasVectorCond,
    IsEmptyCond,
    MatchAnyCond,
    RangeCond,
    to_conditions,
)
from recsys.store.shared_hooks import BackendHooks


class NativeFilters(BackendHooks):
    """Payload filters on the fields each collection has, as the client's filters."""

    def _native_filter(
        self, conds: Conditions, must: list[Any] | None = None, must_not: list[Any] | None = None
    ) -> Any:
        """``conds`` as the client's filter, and with them the native conditions ``must`` and
        ``must_not`` (a facet's own: the tracks crediting several artists, under the
        listener's filter); None where there is no condition at all."""
        def one(c: Any) -> Any:
            if isinstance(c, MatchAnyCond):
                return self._match_any(c.key, list(c.values))
            if isinstance(c, RangeCond):
                return self._range(c.key, c.gte, c.lte)
            if isinstance(c, HasVectorCond):
                return self._has_vector(c.name)
            if isinstance(c, IsEmptyCond):
                return self._is_empty(c.key)
            if isinstance(c, HasIdCond):
                return self._has_id(c.point_ids)
            raise TypeError(f"unknown condition {c!r}")

        if conds.is_empty() and not must and not must_not:
            return None
        return self._filter(
            [one(c) for c in conds.must] + list(must or ()) or None,
            [one(c) for c in conds.must_not] + list(must_not or ()) or None,
        )

    def _normalised(self, name: str, key: str = "artist") -> bool:
        """Whether every point of ``name`` carries the normalised field of ``key`` (collections
        made before it do not: their filters match the exact field). Artists and genres: one
        exact count of the points lacking ``artist_norm``; a composer: of the points naming one
        without ``composer_norm``. Remembered until the next upsert."""
        with self._lock:
            known = self._norm.setdefault(name, {})
            key = "composer" if key == "composer" else "artist"
            if key not in known:
                if key == "composer":
                    flt = self._filter([self._is_empty(NORMALISED_FIELDS[key])], [self._is_empty(key)])
                else:
                    flt = self._filter([self._is_empty(NORMALISED_FIELDS[key])], None)
                known[key] = int(self._native_count(name, flt)) == 0
            return known[key]

    def _keyed(self, name: str) -> bool:
        """Whether every point of ``name`` carries the KEYED_FIELDS (collections ingested before
        them do not, until their next ingest: their filters match the normalised fields). One
        exact count of the points lacking ``artist_key``, remembered until the next upsert."""
        with self._lock:
            known = self._norm.setdefault(name, {})
            if "keyed" not in known:
                flt = self._filter([self._is_empty(KEYED_FIELDS["artist"])], None)
                known["keyed"] = int(self._native_count(name, flt)) == 0
            return known["keyed"]

    def _conditions(
        self, name: str, flt: QueryFilter | None, has_vector: str | None = None
    ) -> Conditions:
        """``flt`` as conditions on collection ``name``: on the normalised fields it has."""
        if flt is None or not (flt.genres or flt.artists or flt.exclude_artists or flt.composers):
            return to_conditions(flt, has_vector=has_vector)
        fields = [k for k in NORMALISED_FIELDS if k != "composer"] if self._normalised(name) else []
        if flt.composers and self._normalised(name, "composer"):
            fields.append("composer")
        keyed = bool(flt.genres or flt.artists or flt.exclude_artists) and self._keyed(name)
        return to_conditions(flt, has_vector=has_vector, normalised=fields, keyed=keyed)
