"""``--only-artist`` and ``--exclude-artist`` (the API's ``only_artists``, ``exclude_artists``)
read a name typed in Latin letters for an artist the collection names in another script alone:
"yorushika" for "ヨルシカ", "Marcel Khalife" for "مارسيل خليفة", "Yolka" for "Ёлка" (whose key,
"elka", the typed "yolka" is not), "Haris Alexiou" for "Χάρις Αλεξίου", and "Kaneko Ayano" for
the "カネコアヤノ" a library joined with "Ayano Kaneko" (family name first: its key is
"kanekoayano", the tracks' "ayanokaneko"). The seeds' ``--artist`` read them so
(``titles.TitleIndex._script_hit``); the filters matched the typed key alone, found nothing, and
said "no track ... has the artist" (an exclusion silently excluded nothing).

A value some track's key matches stays as typed: one exact count of it on the store's index,
and nothing more is read (the common case). Only a value that matches none is read against the
collection's artists (``abjadnames``, ``cyrillicnames``, ``greeknames``, ``kananames``): where it
reads as exactly one of them, the filter names that artist as the collection spells it (its
key, and so every track keyed with it: the spellings of it a library joined carry it too,
``catalog.artistids``); where it reads as none, or as several (which one?), it stays as typed,
and the filter-typo message names it (``facets.unmatched_filter``)."""

from __future__ import annotations

from dataclasses import replace

from recsys.catalog.abjadnames import latin_letters
from recsys.catalog.typednames import typed_script_keys
from recsys.labels import SAME_ARTIST, label_key
from recsys.store.base import QueryFilter, StoreBackend
from recsys.store.filters import KEYED_FIELDS


class _CollectionArtists:
    """A collection's artist names, read once and only when a value needs them."""

    def __init__(self, backend: StoreBackend, collection: str):
        self.backend, self.collection = backend, collection
        self._names: dict[str, str] | None = None  # key -> a name of it as the collection spells it

    def names(self) -> dict[str, str]:
        if self._names is None:
            # the facet shows a joined artist in one spelling ("Ayano Kaneko"): its others
            # ("カネコアヤノ") are read of the tracks marked joined, a few of the collection's
            spelled = [str(v) for v, _ in self.backend.facet(self.collection, "artist") if isinstance(v, str)]
            joined = QueryFilter(match=((KEYED_FIELDS["artist"], (SAME_ARTIST,)),))
            for p in self.backend.payloads(self.collection, ("artist", "artists"), flt=joined):
                credited = p.payload.get("artists")
                spelled += [n for n in (p.payload.get("artist"), *(credited if isinstance(credited, list) else ()))
                            if isinstance(n, str)]
            self._names = {}
            for name in spelled:
                if name.strip():
                    self._names.setdefault(label_key(name), name)
        return self._names


def _read(typed: str, matched: bool, artists: _CollectionArtists) -> str:
    """``typed`` as the filter names it: the collection's one artist its Latin letters read as,
    where no track's key is ``typed``'s (``matched``); else ``typed``."""
    if matched:
        return typed
    names = artists.names()
    found = typed_script_keys(typed, names.values())
    return names[found.pop()] if len(found) == 1 else typed


def artist_filter(backend: StoreBackend, collection: str, flt: QueryFilter) -> QueryFilter:
    """``flt`` with each of its only and excluded artists that no track's key matches read as
    the collection's one artist it is a Latin reading of (the module's rules); ``flt`` itself
    without such a value."""
    if not (flt.artists or flt.exclude_artists):
        return flt
    artists = _CollectionArtists(backend, collection)
    memo: dict[str, str] = {}

    def read(values: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for typed in values:
            if typed not in memo:
                # a value with no Latin letter is no reading of another script: asked nothing
                matched = not latin_letters(typed) or backend.count(collection, flt=QueryFilter(artists=(typed,))) > 0
                memo[typed] = _read(typed, matched, artists)
            out.append(memo[typed])
        return tuple(dict.fromkeys(out))

    only, excluded = read(flt.artists), read(flt.exclude_artists)
    if only == flt.artists and excluded == flt.exclude_artists:
        return flt
    return replace(flt, artists=only, exclude_artists=excluded)


def with_artists(backend: StoreBackend, collection: str, req):
    """A query's request (any with a ``flt``) with its artists read by ``artist_filter``;
    ``req`` itself when it names none (the id-seed recommend's fast path reads nothing more)."""
    if not (req.flt.artists or req.flt.exclude_artists):
        return req
    flt = artist_filter(backend, collection, req.flt)
    return req if flt is req.flt else replace(req, flt=flt)
