"""What a collection holds: its genres, artists, years, composers, performers or playlists,
each with its number of tracks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recsys.errors import RecsysError
from recsys.query.clean import store_filter
from recsys.query.library import Library
from recsys.store.base import QueryFilter, StoreBackend
from recsys.labels import label_key

#: facet name -> payload field
FACET_FIELDS: dict[str, str] = {
    "genres": "genres", "artists": "artist", "years": "year", "composers": "composer", "playlists": "playlists",
    "performers": "performers",
}
#: the facets an ingest counts ahead for the next command (``keep_counts``): not the playlists,
#: which have no payload index (a scroll of every payload; only `--from-playlist` and
#: `recsys facets playlists` ask for them)
COUNTED_AHEAD = ("genres", "artists", "years", "composers", "performers")


@dataclass(frozen=True)
class FacetsResponse:
    facet: str
    values: list[tuple[Any, int]]  # (value as shown, number of tracks), most common first
    total: int  # distinct values in the collection (``values`` may be cut by the limit)

    def as_dict(self) -> dict:
        return {
            "facet": self.facet,
            "total": self.total,
            "values": [{"value": v, "count": n} for v, n in self.values],
        }


def keep_counts(backend: StoreBackend, name: str) -> None:
    """Make what `recsys facets` and `recsys info` ask of collection ``name`` (every facet, the
    points of each named vector) where the backend keeps them until its next write (Edge), so
    the first command after an ingest reads them: the artists of a million tracks took 10.9 s
    to count. Where they are kept already, this reads them back (milliseconds)."""
    if not backend.keeps_counts:
        return
    from recsys.query.info import collection_info

    for facet in COUNTED_AHEAD:
        backend.facet(name, FACET_FIELDS[facet])
    collection_info(backend, name)


def facets(lib: Library, facet: str, limit: int | None = None, clean: bool = False) -> FacetsResponse:
    """The values of ``facet`` (genres, artists, years, composers, performers or playlists) in the collection with their
    track counts, exact, most common first (ties by value); genres, artists and composers grouped
    by ``label_key`` (case, accents, punctuation and spaces aside: "Post-Rock" and "Post Rock",
    "Guns N' Roses" and "Guns N’ Roses"; Cyrillic and Greek as Latin: "Кино" and "Kino"; a
    genre's abbreviations too, ``genre_key``: "Prog Rock" and "Progressive Rock"), each shown in
    its most common spelling; artists as credited ("A
    feat. B" counts for A and for B), each counting what ``--only-artist`` finds (the store's
    ``facet``). ``clean`` (``--clean``, a clean server): only the tracks not marked explicit
    are counted, and a value none of them holds is no row, as what a click on it finds
    (``recsys.query.clean``); a collection without a track marked explicit answers as without."""
    key = FACET_FIELDS.get(facet)
    if key is None:
        raise RecsysError(f"unknown facet {facet!r}: choose {', '.join(FACET_FIELDS)}")
    flt = store_filter(lib, QueryFilter(clean=True)) if clean else None
    flt = None if flt is None or flt.is_empty() else flt
    # a track without an artist (an untagged file) is no artist's: a blank row is no value to
    # filter on, and untagged files would look like one artist's work
    if facet == "composers":  # one composer once, whatever his spellings ("Tschaikowsky", "Čajkovskij")
        from recsys.query.composers import ComposerIndex

        # the composers as the whole collection names them (what --composer resolves against),
        # each counting the tracks ``flt`` keeps
        composers = ComposerIndex.read(lib.backend, lib.name)
        rows = composers.rows() if flt is None else composers.rows(lib.backend.facet(lib.name, key, flt=flt))
    elif facet == "performers":  # one musician once, whatever his spellings
        from recsys.query.performers import PerformerIndex

        musicians = PerformerIndex.read(lib.backend, lib.name)
        rows = musicians.rows() if flt is None else musicians.rows(lib.backend.facet(lib.name, key, flt=flt))
    else:
        rows = lib.backend.facet(lib.name, key) if flt is None else lib.backend.facet(lib.name, key, flt=flt)
    values = [(v, n) for v, n in rows if not (isinstance(v, str) and not v.strip())]
    return FacetsResponse(facet, values if limit is None else values[:limit], len(values))


#: the words a missing value is named with, by facet
_NAMED = {"genres": "genre", "artists": "artist", "composers": "composer", "performers": "performer"}


def unmatched_filter(lib: Library, flt: QueryFilter) -> str | None:
    """Why a query with ``flt`` found nothing, where a filter names only values no track has (a
    typo: ``--genre rokc``): that value, the closest ones the collection has, and where the rest
    are listed; None when each filter names a value some track has (the filters together, or
    the seeds, leave nothing). Asked only of an empty answer: it reads the facet's counts."""
    for facet, wanted in (("genres", flt.genres), ("artists", flt.artists), ("composers", flt.composers),
                          ("performers", flt.performers)):
        if not wanted:
            continue
        # asked of the store as the query's filter matches: the facet has no row for a tagged
        # "Rihanna feat. Drake" (its rows are the credited names), which --only-artist matches
        asked = QueryFilter(**{facet: tuple(wanted)})
        if facet == "artists":  # as the query read them: "yorushika" is the library's "ヨルシカ"
            from recsys.query.artistfilter import artist_filter

            asked = artist_filter(lib.backend, lib.name, asked)
        if facet == "composers":  # as the query read them: "bach" is every spelling of his
            from recsys.query.composers import composer_filter

            asked = composer_filter(lib.backend, lib.name, asked)
        if facet == "performers":  # as the query read them: "chambers" is Paul Chambers
            from recsys.query.performers import performer_filter

            asked = performer_filter(lib.backend, lib.name, asked)
        if lib.backend.count(lib.name, flt=asked):
            continue  # any of the values matches: some track has one of them
        known: dict[str, str] = {}
        for value, _ in facets(lib, facet).values:
            known.setdefault(label_key(value), str(value))
        if facet == "performers" and not known:  # no track names its musicians
            return (f"no track in collection '{lib.name}' names its performers (PERFORMER, TMCL tags; a collection"
                    " ingested before they were read gains them at its next `recsys ingest`)")
        from rapidfuzz import fuzz, process

        close = process.extract(label_key(wanted[0]), list(known), scorer=fuzz.WRatio, limit=3, score_cutoff=70)
        hint = f" (closest: {', '.join(known[c] for c, _, _ in close)})" if close else ""
        names = " or ".join(f"'{w}'" for w in wanted)
        return (f"no track in collection '{lib.name}' has the {_NAMED[facet]} {names}{hint};"
                f" `recsys facets {facet}` lists them")
    return None
