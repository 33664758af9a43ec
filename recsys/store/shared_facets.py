"""``facet``: every value of a payload field with its exact count, on every backend.

The client's facet where it can (an indexed field), else a scroll of the payloads; the artist
facet counts the credited artists of a track crediting several and groups an artist's
spellings (``facet_rows``), and a normalised field's facet groups its spellings the way its
filter matches them. Under a QueryFilter (a clean server's: ``QueryFilter.clean``) every count
is of the points it matches, each part of the artist facet's (the credits, the tracks crediting
one artist, the keys) under it alike, so a row counts what the filter and an artist filter of
it find together, and a value no such point holds is no row.
"""

from __future__ import annotations

from typing import Any

from recsys.errors import StoreError
from recsys.labels import SAME_ARTIST, label_key
from recsys.store.base import CREDITS_FIELD, QueryFilter
from recsys.store.facet_rows import by_spelling, credited_rows, same_artist_rows
from recsys.store.filters import KEYED_FIELDS, KEYS, NORMALISED_FIELDS, Conditions, check_limit, normalise_label
from recsys.store.shared_filters import NativeFilters


class Facets(NativeFilters):
    """The facet call, checked, over the backend's facet and scroll hooks."""

    def facet(
        self, name: str, key: str, limit: int | None = None, flt: QueryFilter | None = None
    ) -> list[tuple[Any, int]]:
        if limit is not None:
            check_limit(limit)
        if not isinstance(key, str) or not key:
            raise StoreError(f"facet in {name!r}: give a payload field name, got {key!r}")
        self._open(name)
        # an empty filter is none: the answer (and the kept one, edge_derived) is the whole facet's
        items = self._facet_rows(name, key, None if flt is None or flt.is_empty() else flt)
        return items if limit is None else items[:limit]

    def _facet_rows(self, name: str, key: str, flt: QueryFilter | None = None) -> list[tuple[Any, int]]:
        """Every row of ``facet(name, key, flt=flt)``, most common first."""
        conds = self._conditions(name, flt)
        if key == "artist":
            raw = self._artist_facet(name, conds)
        elif key in NORMALISED_FIELDS:
            raw = self._grouped(name, key, self._facet_counts(name, key, self._native_filter(conds)), conds)
        else:
            raw = self._facet_counts(name, key, self._native_filter(conds))
        return sorted(raw.items(), key=lambda kv: (-kv[1], str(kv[0])))

    def _facet_counts(self, name: str, key: str, flt: Any = None) -> dict[Any, int]:
        """Every value of ``key`` with its exact count, on the points the native filter
        ``flt`` matches (all with None): the client's facet, else a scroll of their payloads
        (no vectors)."""
        counts = self._native_facet(name, key, flt)
        if counts is not None:
            # a value whose last point was deleted or retagged stays in Edge's index with a
            # count of 0 (an artist renamed in the tags was listed under its old name too)
            return {value: n for value, n in counts.items() if n > 0}
        counts = {}
        page = self._native_pager(name, 1024, False, flt)
        offset: Any = None
        while True:
            recs, offset = page(offset)
            for rec in recs:
                value = (rec.payload or {}).get(key)
                values = value if isinstance(value, list) else [value]
                for v in dict.fromkeys(v for v in values if v is not None and not isinstance(v, (dict, list))):
                    counts[v] = counts.get(v, 0) + 1
            if offset is None:
                return counts

    def _credits(self, name: str, conds: Conditions) -> tuple[dict[Any, int], Any, Any]:
        """The names credited by the tracks that credit several artists (of those ``conds``
        match), each with its number of tracks, and two native filters: those tracks, the
        others (each under ``conds``). Read through the index on CREDITS_FIELD; a collection
        made before it (the next ingest makes it) tells those tracks by their artist_norm,
        which holds two values or more on them alone (``TrackRecord.payload``), and reads the
        credits from their payloads only."""
        credited = self._native_facet(name, CREDITS_FIELD, self._native_filter(conds))
        if credited is not None:
            empty = self._is_empty(CREDITS_FIELD)
            # a name no track credits now (its tracks retagged: "AKLO" of a title read anew)
            # stays in Edge's index with a count of 0, as ``_facet_counts`` says: no row of its own
            credited = {value: n for value, n in credited.items() if n > 0}
            return credited, self._native_filter(conds, must_not=[empty]), self._native_filter(conds, must=[empty])
        several = self._values_at_least(NORMALISED_FIELDS["artist"], 2)
        crediting = self._native_filter(conds, must=[several])
        return (self._facet_counts(name, CREDITS_FIELD, crediting), crediting,
                self._native_filter(conds, must_not=[several]))

    def _same_artists(self, name: str) -> bool:
        """Whether MusicBrainz artist ids made spellings one artist on some point of ``name``
        (its ``artist_key`` holds ``labels.SAME_ARTIST``): one count on the key's index,
        remembered until the next upsert."""
        with self._lock:
            known = self._norm.setdefault(name, {})
            if "same" not in known:
                flt = self._filter([self._match_any(KEYED_FIELDS["artist"], [SAME_ARTIST])], None)
                known["same"] = int(self._native_count(name, flt)) > 0
            return known["same"]

    def _artist_facet(self, name: str, conds: Conditions) -> dict[Any, int]:
        """The artist facet: the credited artists of a track crediting several, the artist of
        any other, each row counting what an artist filter of it matches (with ``conds``)."""
        credited, crediting, others = self._credits(name, conds)
        every = self._native_filter(conds)
        if self._keyed(name) and self._same_artists(name):
            # "植松伸夫" and "Nobuo Uematsu" one artist by its id: a point is counted by its
            # keys, not by the spelling it is tagged with (``catalog.artistids``)
            one = self._facet_counts(name, "artist", others if credited else every)
            return same_artist_rows(one, credited, self._facet_counts(name, KEYED_FIELDS["artist"], every))
        if not credited:
            # no track credits several artists (a manifest's, Fairouz's, a collection read
            # before credits were): the facet of the tagged artist, as it always was
            return self._grouped(name, "artist", self._facet_counts(name, "artist", every), conds)
        one = self._facet_counts(name, "artist", others)
        # a crediting track's artist_norm (artist_key) holds each credited name and the tagged
        # string, and an artist filter matches any of them: counting it keeps each row's count
        # the filter's
        field = (KEYED_FIELDS if self._keyed(name) else NORMALISED_FIELDS)["artist"]
        among = self._facet_counts(name, field, crediting)
        return credited_rows(one, credited, among)

    def _grouped(self, name: str, key: str, raw: dict[Any, int], conds: Conditions) -> dict[Any, int]:
        """``raw`` (a NORMALISED_FIELDS facet, of the points ``conds`` match) as one entry per
        normalised value, shown in its most common spelling."""
        # composers as --composer matches them (composer_norm), the others by their key (a
        # genre's reads its abbreviations: "Prog Rock" is a row of "Progressive Rock"'s)
        keyed_as = normalise_label if key == "composer" else KEYS.get(key, label_key)
        spelling, summed = by_spelling(raw, keyed_as, accented=key == "artist")
        counts = summed
        if len(summed) < len(raw) and key == "genres" and self._keyed(name):
            # a point holding two spellings of one genre counts once: count the key field.
            # Not for the artist or the composer, one string a point: the sums are exact. Its
            # values keyed again: keys older rules wrote ("progrock") are counted as their
            # genre's until the next ingest rewrites them (a key is its own key otherwise)
            keys = self._facet_counts(name, KEYED_FIELDS[key], self._native_filter(conds))
            _, counts = by_spelling(keys, keyed_as)
        elif len(summed) < len(raw) and key == "genres" and self._normalised(name):
            # an older collection: its norm field, keyed (a point holding "Jazz" and "jazz"
            # counts once, one holding "Post-Rock" and "Post Rock" twice until its next ingest)
            norms = self._facet_counts(name, NORMALISED_FIELDS[key], self._native_filter(conds))
            _, counts = by_spelling(norms, keyed_as)
        return {spelling[k]: n for k, n in counts.items() if k in spelling}
