"""The store contract, continued: filters and facets that ignore case and accents, credited
artists, exact facet counts, on every backend (``tests.test_store_contract``'s fixture)."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.errors import NotFoundError, StoreError
from recsys.store import PointRecord, QueryFilter, StoreBackend
from tests import test_store_contract as contract
from tests.test_store_contract import NAME, create, e, expected_ids, random_catalog

#: the contract's fixture: every backend (edge, remote, served)
backend = contract.backend

# --- case- and accent-insensitive filters, facets --------------------------------------------


def _labelled(points: list[PointRecord], normalised: bool) -> list[PointRecord]:
    """``points`` with mixed spellings of artists and genres ("Ann", "ÁNN", "Jazz", " jazz "),
    and, with ``normalised``, the *_norm fields ingest writes (TrackRecord.payload)."""
    from recsys.store.filters import normalise_label

    artist_spellings = {"ann": ["ann", "Ann", "ÁNN"], "bob": ["bob", "Bób"]}
    genre_spellings = {"jazz": ["jazz", "Jazz", " JAZZ "], "rock": ["rock", "Rock"]}
    out = []
    for i, p in enumerate(points):
        pl = dict(p.payload)
        options = artist_spellings.get(pl["artist"])
        if options:
            pl["artist"] = options[i % len(options)]
        pl["genres"] = [
            genre_spellings[g][i % len(genre_spellings[g])] if g in genre_spellings else g
            for g in pl["genres"]
        ]
        if normalised:
            pl["artist_norm"] = normalise_label(pl["artist"])
            pl["genres_norm"] = list(dict.fromkeys(normalise_label(g) for g in pl["genres"]))
        out.append(PointRecord(p.track_id, p.vectors, pl))
    return out


def _stored_labelled(backend: StoreBackend, normalised: bool) -> tuple[list[PointRecord], np.ndarray]:
    """40 labelled points in a new collection (with the *_norm fields or without), and a query."""
    create(backend)
    points = _labelled(random_catalog(40, seed=6), normalised=normalised)
    backend.upsert(NAME, points)
    return points, np.random.default_rng(7).normal(size=8)


def test_filters_ignore_case_and_accents_when_the_normalised_fields_are_there(
    backend: StoreBackend,
) -> None:
    from recsys.store.filters import normalise_label

    points, q = _stored_labelled(backend, normalised=True)
    by_norm = [
        PointRecord(p.track_id, p.vectors, p.payload | {
            "artist": normalise_label(p.payload["artist"]),
            "genres": [normalise_label(g) for g in p.payload["genres"]],
        })
        for p in points
    ]
    for flt, same in [
        (QueryFilter(genres=("JAZZ",)), QueryFilter(genres=("jazz",))),
        (QueryFilter(artists=("Ánn", "CAT")), QueryFilter(artists=("ann", "cat"))),
        (QueryFilter(exclude_artists=("BOB",)), QueryFilter(exclude_artists=("bob",))),
        (QueryFilter(genres=("Rock", "jazz"), exclude_artists=("ann",)),
         QueryFilter(genres=("rock", "jazz"), exclude_artists=("ann",))),
    ]:
        got = [h.track_id for h in backend.search(NAME, q, "audio", limit=100, flt=flt)]
        assert got == expected_ids(by_norm, q, "audio", same), flt
        assert got  # the filter matched something


def test_an_artist_filter_finds_every_track_crediting_the_artist(backend: StoreBackend) -> None:
    """A music folder's "Drake feat. Rihanna" (several credited artists) is found by
    --only-artist Drake, Rihanna or the tagged string, and left out by --exclude-artist
    Rihanna; "Drake" alone is not found by Rihanna. Points as ``TrackRecord.payload`` writes
    them."""
    from recsys.catalog.model import TrackRecord

    create(backend)
    records = [
        TrackRecord("t0", "Take Care", "Drake feat. Rihanna", artists=("Drake", "Rihanna")),
        TrackRecord("t1", "Hotline Bling", "Drake"),
        TrackRecord("t2", "Umbrella", "Rihanna"),
        TrackRecord("t3", "Work", "Rihanna; Drake", artists=("Rihanna", "Drake")),
        TrackRecord("t4", "Mrs Robinson", "Simon & Garfunkel"),
    ]
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, r.payload()) for i, r in enumerate(records)])

    def found(flt: QueryFilter) -> set[str]:
        return {h.track_id for h in backend.search(NAME, np.ones(8), "audio", limit=10, flt=flt)}

    assert found(QueryFilter(artists=("rihanna",))) == {"t0", "t2", "t3"}
    assert found(QueryFilter(artists=("DRAKE",))) == {"t0", "t1", "t3"}
    assert found(QueryFilter(artists=("Drake feat. Rihanna",))) == {"t0"}
    assert found(QueryFilter(exclude_artists=("Rihanna",))) == {"t1", "t4"}
    assert found(QueryFilter(artists=("Simon",))) == set()
    # the facet counts each credited artist, also where two spellings merge ("drake", "Drake")
    backend.upsert(NAME, [PointRecord("t5", {"audio": e(5)}, TrackRecord("t5", "Headlines", "drake").payload())])
    assert dict(backend.facet(NAME, "artist")) == {"Drake": 4, "Rihanna": 3, "Simon & Garfunkel": 1}


def test_a_guest_no_track_credits_any_more_is_no_row(backend: StoreBackend) -> None:
    """A track read anew credits another guest ("Jujutsu Kaisen ED1 feat. AKLO" read as no
    one's, a real library's re-ingest): the old guest stayed in the artist facet with 0 tracks,
    as Qdrant Edge keeps a value its last point lost."""
    from recsys.catalog.model import TrackRecord

    create(backend)
    before = TrackRecord("t0", "Lost in Paradise", "Show ED1 feat. AKLO", artists=("Show ED1", "AKLO"))
    after = TrackRecord("t0", "Lost in Paradise", "Band feat. Guest", artists=("Band", "Guest"))
    backend.upsert(NAME, [PointRecord("t0", {"audio": e(0)}, before.payload()),
                          PointRecord("t1", {"audio": e(1)}, TrackRecord("t1", "Song", "Band").payload())])
    backend.upsert(NAME, [PointRecord("t0", {"audio": e(0)}, after.payload())])
    assert dict(_facet_rows(backend)) == {"Band": 2, "Guest": 1}


def _credit_catalog() -> list:
    """Tracks as the music-folder reader makes them (``artists`` only when the tag and the
    title credit several, recsys.catalog.tagfields.tag_credits): single-artist tracks, "A feat.
    B", a title's "(feat. C)", "A feat. B & C", two spellings of one artist (case, accents; one
    also credited as a guest), a band name, an untagged track."""
    from recsys.catalog.credits import credited_artists
    from recsys.catalog.model import TrackRecord

    tags = [
        ("Drake", ""), ("drake", ""), ("Drake feat. Rihanna", ""), ("Drake", "Jumpman (feat. Future)"),
        ("Rihanna", ""), ("Beyoncé", ""), ("Beyoncé", ""), ("BEYONCE", ""), ("Jay-Z feat. Beyoncé", ""),
        ("Kanye West feat. Jay-Z & Nicki Minaj", ""), ("Simon & Garfunkel", ""), ("", "untagged"),
    ]
    out = []
    for i, (tag, title) in enumerate(tags):
        names = credited_artists([tag], title) if tag else ()
        out.append(TrackRecord(f"t{i:02d}", title or f"Song {i}", tag, artists=names if len(names) > 1 else ()))
    return out


def _facet_rows(backend: StoreBackend) -> list[tuple[str, int]]:
    """``recsys facets artists``' rows (recsys.query.facets, which reads the store's facet)."""
    from types import SimpleNamespace

    from recsys.query.facets import facets

    return facets(SimpleNamespace(backend=backend, name=NAME), "artists").values  # type: ignore[arg-type]


def test_the_artist_facet_counts_credited_artists_as_the_artist_filter_finds_them(
    backend: StoreBackend,
) -> None:
    """"Drake feat. Rihanna" is one track of Drake's and one of Rihanna's, and no row of its
    own; a title's "(feat. Future)" credits Future. Each row's count is the number of tracks
    ``--only-artist <row>`` finds; two spellings are one row in the most common; an untagged
    track is no row."""
    create(backend)
    records = _credit_catalog()
    assert records[2].artists == ("Drake", "Rihanna") and records[3].artists == ("Drake", "Future")
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i % 8)}, r.payload()) for i, r in enumerate(records)])
    rows = _facet_rows(backend)
    assert rows == [
        ("Beyoncé", 4), ("Drake", 4), ("Jay-Z", 2), ("Rihanna", 2), ("Future", 1), ("Kanye West", 1),
        ("Nicki Minaj", 1), ("Simon & Garfunkel", 1),
    ]
    for value, n in rows:
        assert backend.count(NAME, flt=QueryFilter(artists=(value,))) == n, value
    # the same rows where the store cannot facet the credits (a collection made before their
    # index: the next ingest makes it), or any field (every count from the scrolled payloads)
    store = getattr(backend, "edge", backend)  # the one answering a served backend's calls
    native = store._native_facet
    store._native_facet = lambda name, key, flt=None: None if key == "artists" else native(name, key, flt)
    assert _facet_rows(backend) == rows
    store._native_facet = lambda name, key, flt=None: None
    assert _facet_rows(backend) == rows


#: ``recsys facets artists --json`` of ``_one_artist_records`` as the code before credited
#: artists wrote it (the same on Edge and qdrant-client)
#: (since lib30: a spelling differing by accents alone is shown with them, "Zoë" for "Zoe" and
#: "Zoë", "Bób" for "Bob" and "Bób": ``facet_rows.accents_kept``)
ONE_ARTIST_FACET = (
    '{"facet": "artists", "total": 7, "values": [{"value": "Ann", "count": 15}, {"value": "Bób", "count": 8}, '
    '{"value": "Zoë", "count": 4}, {"value": "  Eve  Ray ", "count": 3}, {"value": "AC/DC", "count": 3}, '
    '{"value": "Simon & Garfunkel", "count": 3}, {"value": "Cat Power", "count": 2}]}'
)


def _one_artist_records() -> list:
    from recsys.catalog.model import TrackRecord

    names = ["Ann", "ann", "ÁNN", "Bob", "Bób", "bob", "Cat Power", "Simon & Garfunkel", "AC/DC", "", "Zoë", "Zoe",
             "  Eve  Ray "]
    return [
        TrackRecord(f"t{i:02d}", f"Song {i}", names[(i * 7) % len(names)] if i % 5 else names[i % 3],
                    genres=("Rock",) if i % 2 else ("rock", "Jazz"))
        for i in range(40)
    ]


def test_the_artist_facet_of_one_artist_tracks_is_as_before(backend: StoreBackend) -> None:
    """A collection where no track credits several artists (a manifest's, Fairouz's, or a
    music folder's without features) gives the facet it gave before credited artists, byte
    for byte; and so does a collection ingested before them, its "A feat. B" one row."""
    import json
    from types import SimpleNamespace

    from recsys.query.facets import facets

    create(backend)
    records = _one_artist_records()
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i % 8)}, r.payload()) for i, r in enumerate(records)])
    got = facets(SimpleNamespace(backend=backend, name=NAME), "artists").as_dict()  # type: ignore[arg-type]
    assert json.dumps(got, ensure_ascii=False) == ONE_ARTIST_FACET


def test_the_artist_facet_of_a_collection_ingested_before_credits(backend: StoreBackend) -> None:
    """Points written before ``artists`` existed (artist_norm the tagged string alone) keep
    their facet: the tagged string is the artist, "Drake feat. Rihanna" a row, and each row
    still counts what ``--only-artist`` finds."""
    from recsys.store.filters import normalise_label

    create(backend)
    old = [r.payload() | {"artist_norm": normalise_label(r.artist)} for r in _credit_catalog()]
    # nor the keys (``artist_key``), which came after the credits
    later = ("artists", "artist_key", "genres_key")
    backend.upsert(NAME, [PointRecord(f"t{i}", {"audio": e(i % 8)}, {k: v for k, v in pl.items() if k not in later})
                          for i, pl in enumerate(old)])
    rows = _facet_rows(backend)
    assert ("Drake feat. Rihanna", 1) in rows and ("Drake", 3) in rows and ("Beyoncé", 3) in rows
    for value, n in rows:
        assert backend.count(NAME, flt=QueryFilter(artists=(value,))) == n, value


def test_filters_of_a_collection_without_the_normalised_fields_stay_exact(
    backend: StoreBackend,
) -> None:
    """A collection made before the *_norm fields keeps working, with exact matching."""
    points, q = _stored_labelled(backend, normalised=False)
    for flt in (QueryFilter(genres=("Jazz",)), QueryFilter(exclude_artists=("Ann", "bob"))):
        got = [h.track_id for h in backend.search(NAME, q, "audio", limit=100, flt=flt)]
        assert got == expected_ids(points, q, "audio", flt), flt


def _brute_facet(points: list[PointRecord], key: str) -> dict:
    from recsys.store.filters import normalise_label

    counts: dict = {}
    for p in points:
        value = p.payload.get(key)
        values = value if isinstance(value, list) else [value]
        if key in ("artist", "genres"):
            values = [normalise_label(v) for v in values]
        for v in set(v for v in values if v is not None):
            counts[v] = counts.get(v, 0) + 1
    return counts


@pytest.mark.parametrize("normalised", [True, False])
def test_facet_counts_every_value_exactly(backend: StoreBackend, normalised: bool) -> None:
    from recsys.store.filters import normalise_label

    create(backend)
    points = _labelled(random_catalog(60, seed=8), normalised=normalised)
    backend.upsert(NAME, points)
    for key in ("artist", "genres", "year", "album"):
        got = backend.facet(NAME, key)
        counts = [n for _, n in got]
        assert counts == sorted(counts, reverse=True), key
        grouped = key in ("artist", "genres")
        as_dict = {(normalise_label(v) if grouped else v): n for v, n in got}
        assert len(as_dict) == len(got), key  # one entry per normalised value
        assert as_dict == _brute_facet(points, key), key
        assert backend.facet(NAME, key, limit=2) == got[:2]
    # each artist is shown in its most common spelling
    spelled = dict(backend.facet(NAME, "artist"))
    assert len({"ann", "Ann", "ÁNN"} & set(spelled)) == 1
    assert backend.facet(NAME, "no_such_field") == []


def test_facet_without_the_clients_facet_counts_by_scrolling(backend: StoreBackend) -> None:
    """A field the client cannot facet (no payload index on a server or on Edge) is counted
    from the scrolled payloads, with the same answer."""
    create(backend)
    points = _labelled(random_catalog(30, seed=9), normalised=True)
    backend.upsert(NAME, points)
    native = {key: backend.facet(NAME, key) for key in ("artist", "genres", "year")}
    backend._native_facet = lambda name, key, flt=None: None  # type: ignore[attr-defined]
    for key, expected in native.items():
        assert backend.facet(NAME, key) == expected, key
    with pytest.raises(NotFoundError):
        backend.facet("missing", "artist")
    with pytest.raises(StoreError):
        backend.facet(NAME, "artist", limit=0)


def test_the_two_label_normalisers_agree() -> None:
    """The store's normalise_label (filters) and the catalog's (the *_norm payload fields)
    are twins: the store cannot import the catalog."""
    from recsys.catalog.model import normalise_label as catalog_norm
    from recsys.store.filters import normalise_label as store_norm

    for text in ["Jazz", " JAZZ ", "Café  Society", "Björk", "ÅSA-NISSE", "Straße", "ﬁre", "Mötley Crüe", ""]:
        assert catalog_norm(text) == store_norm(text), text
    assert store_norm("  Café  Society ") == "cafe society" and store_norm("Straße") == "strasse"
