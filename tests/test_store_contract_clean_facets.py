"""The store contract, continued: facets under a filter (``facet(..., flt=QueryFilter(clean=True))``,
a clean server's and ``recsys facets --clean``'s) on every backend (``tests.test_store_contract``'s
fixture: edge, remote, served). Each is checked against the unfiltered facet of a collection
holding only the tracks the filter keeps: the same rows, spelled and counted alike, on every
path the artist facet takes (credited artists, MusicBrainz ids, a manifest's one artist a
track, a collection before the keys), through the client's facet and through scrolled payloads;
a kept answer (Edge's ``derived.json``) is one filter's alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from recsys.catalog.model import Performer, TrackRecord
from recsys.labels import SAME_ARTIST
from recsys.query.facets import facets
from recsys.query.library import Library
from recsys.store import PointRecord, QueryFilter, StoreBackend
from tests import test_store_contract as contract
from tests.test_store_contract import NAME, create, e

backend = contract.backend

CLEAN = QueryFilter(clean=True)
#: the same tracks, less those marked explicit: what the clean facet must count
KEPT = "kept"
KEYS = ("artist", "genres", "composer", "performers", "year")

#: one id spelled two ways (``catalog.artistids``): each track's ``artist_key``
UEMATSU_KEYS = ["nobuouematsu", "植松伸夫", SAME_ARTIST + "植松伸夫", SAME_ARTIST]

#: Skarn's every track marked explicit; Drake's and Rihanna's duets, one marked; Beethoven's
#: Fifth spelled two ways, one copy marked; Bach's and Vexholm's only work marked; Paul
#: Chambers on a marked track and (spelled otherwise) on an unmarked one
RECORDS = [
    TrackRecord("s1", "Blast", "Skarn", genres=("Metal",), year=1999, explicit=True, composer="Erik Vexholm",
                performers=(Performer("Vex Ruin"),)),
    TrackRecord("s2", "Blast II", "Skarn", genres=("metal",), year=1999, explicit=True),
    TrackRecord("g1", "Doom", "Grave", genres=("Metal",), year=2001, explicit=False),
    TrackRecord("d1", "Hype", "Drake feat. Rihanna", artists=("Drake", "Rihanna"), genres=("Hip-Hop",), year=2016,
                explicit=True),
    TrackRecord("d2", "Hype [Clean]", "Drake", genres=("Hip Hop",), year=2016, explicit=False),
    TrackRecord("d3", "Views", "Drake", genres=("Hip-Hop", "Pop"), year=2016),
    TrackRecord("r1", "Work", "Rihanna feat. Drake", artists=("Rihanna", "Drake"), genres=("Pop",), year=2016),
    TrackRecord("k1", "Symphony No. 5", "Karajan", composer="Ludwig van Beethoven", explicit=True,
                performers=(Performer("Paul Chambers"),)),
    TrackRecord("k2", "Symphony No. 5: II", "Kleiber", composer="ludwig van BEETHOVEN",
                performers=(Performer("paul chambers"), Performer("Miles Davis"))),
    TrackRecord("b1", "Cello Suite", "Fournier", composer="Johann Sebastian Bach", explicit=True),
]
#: the same id spelled two ways, the Japanese spelling's track marked
UEMATSU = [
    TrackRecord("u1", "Prelude", "植松伸夫", explicit=True),
    TrackRecord("u2", "Prelude (Remaster)", "Nobuo Uematsu", explicit=False),
    TrackRecord("u3", "Terra", "Nobuo Uematsu"),
]

VARIANTS = ("credits", "same-artist", "one-artist", "before-keys")


def _payloads(variant: str) -> list[tuple[str, dict]]:
    records = list(RECORDS)
    if variant == "same-artist":
        records += UEMATSU
    if variant == "one-artist":  # a manifest's: the credits never read, "A feat. B" one artist
        records = [replace(r, artists=()) for r in records]
    out = []
    for r in records:
        payload = r.payload()
        if variant == "same-artist" and r in UEMATSU:
            payload["artist_key"] = list(UEMATSU_KEYS)
        if variant == "before-keys":  # ingested before artist_key and genres_key
            payload = {k: v for k, v in payload.items() if k not in ("artist_key", "genres_key")}
        out.append((r.track_id, payload))
    return out


def _store(backend: StoreBackend, variant: str) -> None:
    """The tracks in NAME, and those not marked explicit alone in KEPT."""
    points = [PointRecord(tid, {"audio": e(i % 8)}, p) for i, (tid, p) in enumerate(_payloads(variant))]
    for name, kept in ((NAME, points), (KEPT, [p for p in points if p.payload.get("advisory") != "explicit"])):
        create(backend, name)
        backend.upsert(name, kept)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_clean_facet_counts_the_clean_tracks_alone(backend: StoreBackend, variant: str) -> None:
    """Every facet under the clean filter is the facet of the clean tracks alone: an artist
    whose every track is marked explicit is no row, each count drops by the marked tracks,
    and each row counts what the clean filter and an artist filter of it find together. The
    unfiltered facet is as it was."""
    _store(backend, variant)
    for key in KEYS:
        assert backend.facet(NAME, key, flt=CLEAN) == backend.facet(KEPT, key), key
    artists = dict(backend.facet(NAME, "artist", flt=CLEAN))
    everyone = dict(backend.facet(NAME, "artist"))
    assert "Skarn" in everyone and "Skarn" not in artists and artists["Grave"] == 1
    if variant != "one-artist":  # credited: "Drake feat. Rihanna" counts for both
        assert (everyone["Drake"], artists["Drake"]) == (4, 3) and (everyone["Rihanna"], artists["Rihanna"]) == (2, 1)
    if variant == "same-artist":  # one artist by its id, its marked spelling gone
        assert (everyone.get("Nobuo Uematsu"), artists.get("Nobuo Uematsu")) == (3, 2) and "植松伸夫" not in artists
    for value, n in artists.items():
        assert backend.count(NAME, flt=QueryFilter(artists=(value,), clean=True)) == n, value
    genres = dict(backend.facet(NAME, "genres", flt=CLEAN))
    assert dict(backend.facet(NAME, "genres"))["Metal"] == 3 and genres["Metal"] == 1
    # one genre spelled "Hip-Hop" twice and "Hip Hop" once; of the clean tracks once each (the least shown)
    assert dict(backend.facet(NAME, "genres"))["Hip-Hop"] == 3 and genres["Hip Hop"] == 2
    assert dict(backend.facet(NAME, "year", flt=CLEAN)) == {2016: 3, 2001: 1}
    # a limit cuts the filtered rows; an empty filter is none
    assert backend.facet(NAME, "artist", limit=2, flt=CLEAN) == backend.facet(KEPT, "artist")[:2]
    assert backend.facet(NAME, "artist", flt=QueryFilter()) == backend.facet(NAME, "artist")


@pytest.mark.parametrize("variant", ("credits", "same-artist"))
def test_a_clean_facet_reads_the_payloads_where_the_store_cannot_facet(backend: StoreBackend, variant: str) -> None:
    """The same rows where the store cannot facet the credits (a collection made before their
    index), or any field (every count from the scrolled payloads of the clean tracks)."""
    _store(backend, variant)
    expected = {key: backend.facet(KEPT, key) for key in KEYS}
    store = getattr(backend, "edge", backend)  # the one answering a served backend's calls
    native = store._native_facet
    try:
        store._native_facet = lambda name, key, flt=None: None if key == "artists" else native(name, key, flt)
        assert backend.facet(NAME, "artist", flt=CLEAN) == expected["artist"]
        store._native_facet = lambda name, key, flt=None: None
        for key in KEYS:
            assert backend.facet(NAME, key, flt=CLEAN) == expected[key], key
    finally:
        store._native_facet = native


def test_a_kept_facet_is_one_filters_answer(backend: StoreBackend) -> None:
    """Asked in turn, unfiltered and clean, each facet answers its own rows: a backend that
    keeps facets until the next write (Edge's ``derived.json``, the server's) keeps each
    filter's apart, and a write drops both."""
    _store(backend, "credits")
    whole = {key: backend.facet(NAME, key) for key in KEYS}
    clean = {key: backend.facet(KEPT, key) for key in KEYS}
    for _ in range(2):
        for key in KEYS:
            assert backend.facet(NAME, key, flt=CLEAN) == clean[key], key
            assert backend.facet(NAME, key) == whole[key], key
    backend.upsert(NAME, [PointRecord("g2", {"audio": e(1)}, TrackRecord("g2", "Doom II", "Skarn").payload())])
    assert dict(backend.facet(NAME, "artist", flt=CLEAN))["Skarn"] == 1
    assert dict(backend.facet(NAME, "artist"))["Skarn"] == 3


def test_the_facets_of_a_clean_library_count_composers_and_musicians_of_clean_tracks(backend: StoreBackend) -> None:
    """``recsys facets ... --clean`` (``recsys.query.facets.facets(clean=True)``): the composers
    and the musicians count the clean tracks' credits, each shown as the whole collection names
    him (what --composer and --performer read), one whose every track is marked no row; a
    collection without a track marked explicit answers as without ``clean``."""
    _store(backend, "credits")
    lib = Library(backend, NAME)
    assert facets(lib, "composers").values == [("Ludwig van Beethoven", 2), ("Erik Vexholm", 1),
                                               ("Johann Sebastian Bach", 1)]
    # the clean copy spells him "ludwig van BEETHOVEN": one composer still, as the collection shows him
    assert facets(lib, "composers", clean=True).values == [("Ludwig van Beethoven", 1)]
    assert facets(lib, "performers").values == [("Paul Chambers", 2), ("Miles Davis", 1), ("Vex Ruin", 1)]
    assert facets(lib, "performers", clean=True).values == [("Miles Davis", 1), ("Paul Chambers", 1)]
    clean_artists = facets(lib, "artists", clean=True)
    assert "Skarn" not in dict(clean_artists.values) and clean_artists.total == len(backend.facet(KEPT, "artist"))
    assert facets(lib, "genres", clean=True).values == facets(Library(backend, KEPT), "genres").values
    kept = Library(backend, KEPT)
    for facet in ("artists", "genres", "composers", "performers"):
        assert facets(kept, facet, clean=True) == facets(kept, facet), facet


def test_a_server_of_an_older_recsys_is_refused_a_filtered_facet(tmp_path, monkeypatch) -> None:
    """A command beside a `recsys serve` started before facets took a filter: that server reads
    none and would count every track, so the command says to restart it rather than show the
    whole facet as a clean one. Unfiltered facets are answered as before."""
    pytest.importorskip("fastapi")
    import serve.routes_store as routes
    from recsys.errors import StoreError
    from tests.test_serve_cli import served_over

    def before(b, a):  # the route as it was: the filter not read
        return [[v, n] for v, n in b.facet(a["name"], a["key"], a.get("limit"))]

    monkeypatch.setitem(routes.READS, "facet", before)
    b = served_over(tmp_path / "store")
    try:
        _store(b, "credits")
        assert dict(b.facet(NAME, "artist"))["Skarn"] == 2
        with pytest.raises(StoreError, match="older recsys"):
            b.facet(NAME, "artist", flt=CLEAN)
    finally:
        b.close()
