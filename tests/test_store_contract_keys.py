"""The store contract, continued: artist and genre filters and facets by ``label_key`` (the
thirteenth real library's band names and genre spellings), and collections made before the
key fields, on every backend (``tests.test_store_contract``'s fixture)."""

from __future__ import annotations

import numpy as np

from recsys.catalog.model import TrackRecord
from recsys.store import PointRecord, QueryFilter, StoreBackend
from tests import test_store_contract as contract
from tests.test_store_contract import NAME, create, e

#: the contract's fixture: every backend (edge, remote, served)
backend = contract.backend

#: one band and one genre, each tagged as a metal collector's files tag them
RECORDS = [
    TrackRecord("t0", "Hells Bells", "AC/DC", genres=("Hard Rock",)),
    TrackRecord("t1", "Go Down", "ACDC", genres=("hard rock",)),  # an untagged rip's folder
    TrackRecord("t2", "Thunderstruck", "AC_DC"),  # a loose file's name
    TrackRecord("t3", "Paradise City", "Guns N' Roses", genres=("Hard Rock",)),
    TrackRecord("t4", "November Rain", "Guns N’ Roses", genres=("Hard Rock",)),
    TrackRecord("t5", "Nightrain (Live)", "Guns ʼnʼ Roses", genres=("Hard-Rock",)),
    TrackRecord("t6", "Storm", "Godspeed You! Black Emperor", genres=("Post-Rock",)),
    TrackRecord("t7", "Providence", "Godspeed You Black Emperor!", genres=("Post Rock",)),
    TrackRecord("t8", "Mountainhead", "65daysofstatic", genres=("Postrock", "post-rock")),
    TrackRecord("t9", "Pilgrim", "MØ", genres=("Electropop",)),
    TrackRecord("t10", "Come Together", "The Beatles", genres=("Rock",)),
    TrackRecord("t11", "Taxman", "Beatles", genres=("Rock",)),
    TrackRecord("t12", "Myth Takes", "!!!", genres=("Dance-Punk",)),
    TrackRecord("t13", "Telepathy", "†‡†", genres=("Witch House",)),
]


def _store(backend: StoreBackend, keyed: bool = True) -> None:
    """RECORDS as ``TrackRecord.payload`` writes them; without ``keyed``, as a collection
    ingested before the key fields (their ``*_norm`` alone)."""
    create(backend)
    points = []
    for i, r in enumerate(RECORDS):
        payload = r.payload()
        if not keyed:
            payload = {k: v for k, v in payload.items() if k not in ("artist_key", "genres_key")}
        points.append(PointRecord(r.track_id, {"audio": e(i % 8)}, payload))
    backend.upsert(NAME, points)


def _found(backend: StoreBackend, flt: QueryFilter) -> set[str]:
    return {h.track_id for h in backend.search(NAME, np.ones(8), "audio", limit=50, flt=flt)}


def test_artist_and_genre_filters_ignore_punctuation_and_spaces(backend: StoreBackend) -> None:
    """`--exclude-artist "ac/dc"` left the "ACDC" folder's and the "AC_DC" file's tracks in;
    `--genre "post rock"` found the "Post Rock" tags alone, not "Post-Rock" nor "Postrock";
    "guns n' roses" missed the curly and the modifier apostrophes; "mo" missed "MØ"."""
    _store(backend)
    assert _found(backend, QueryFilter(artists=("acdc",))) == {"t0", "t1", "t2"}
    assert _found(backend, QueryFilter(artists=("AC/DC",))) == {"t0", "t1", "t2"}
    assert not _found(backend, QueryFilter(exclude_artists=("ac/dc",))) & {"t0", "t1", "t2"}
    assert _found(backend, QueryFilter(artists=("guns n' roses",))) == {"t3", "t4", "t5"}
    assert _found(backend, QueryFilter(genres=("post rock",))) == {"t6", "t7", "t8"}
    assert _found(backend, QueryFilter(genres=("hard rock",))) == {"t0", "t1", "t3", "t4", "t5"}
    assert _found(backend, QueryFilter(artists=("godspeed you black emperor",))) == {"t6", "t7"}
    assert _found(backend, QueryFilter(artists=("mo",))) == {"t9"}
    assert _found(backend, QueryFilter(artists=("beatles",))) == {"t10", "t11"}
    # names of symbols alone stay apart, and match as typed
    assert _found(backend, QueryFilter(artists=("!!!",))) == {"t12"}
    assert _found(backend, QueryFilter(artists=("†‡†",))) == {"t13"}


def test_facets_group_the_spellings_of_one_band_and_one_genre(backend: StoreBackend) -> None:
    """Four rows for Guns N' Roses, three for AC/DC, three for post-rock: one each, in the
    most common spelling, counting what the filter finds (a track tagged "Postrock" and
    "post-rock" counts once)."""
    _store(backend)
    artists = dict(backend.facet(NAME, "artist"))
    assert artists["AC/DC"] == 3 and artists["MØ"] == 1
    assert [n for a, n in artists.items() if a.startswith("Godspeed")] == [2]
    assert sum(n for a, n in artists.items() if "Roses" in a) == 3 and len([a for a in artists if "Roses" in a]) == 1
    assert len([a for a in artists if "Beatles" in a]) == 1 and artists["!!!"] == 1 and artists["†‡†"] == 1
    genres = dict(backend.facet(NAME, "genres"))
    assert len([g for g in genres if "ost" in g.lower() and "rock" in g.lower()]) == 1
    assert max(n for g, n in genres.items() if "rock" in g.lower() and "ost" in g.lower()) == 3
    assert sum(n for g, n in genres.items() if "hard" in g.lower()) == 5


def test_a_collection_made_before_the_keys_filters_as_before(backend: StoreBackend) -> None:
    """A collection ingested before ``artist_key``: its filters match ``artist_norm`` as they
    did (case and accents aside), never nothing; its next ingest adds the keys."""
    _store(backend, keyed=False)
    assert _found(backend, QueryFilter(artists=("ac/dc",))) == {"t0"}
    assert _found(backend, QueryFilter(artists=("Mø",))) == {"t9"}
    assert _found(backend, QueryFilter(genres=("post rock",))) == {"t7"}
    assert "t0" not in _found(backend, QueryFilter(exclude_artists=("AC/DC",)))
    # its facets group the spellings already (they read the tagged values)
    assert dict(backend.facet(NAME, "artist"))["AC/DC"] == 3


#: a listener's library of Russian rock, Brazilian and prog tags, spelled as several taggers do
WORLD = [
    TrackRecord("w0", "Группа крови", "Кино", genres=("Русский рок",)),
    TrackRecord("w1", "Kukushka", "Kino", genres=("Russian Rock",)),  # an English release's spelling
    TrackRecord("w2", "Звезда", "КИНО"),
    TrackRecord("w3", "Беспечный ангел", "Ария", genres=("Heavy Metal",)),
    TrackRecord("w4", "Zorba's Dance", "Μίκης Θεοδωράκης", genres=("Soundtrack",)),
    TrackRecord("w5", "Zorba", "Mikis Theodorakis", genres=("OST",)),
    TrackRecord("w6", "Close to the Edge", "Yes", genres=("Progressive Rock",)),
    TrackRecord("w7", "Roundabout", "Yes", genres=("Prog Rock",)),
    TrackRecord("w8", "Siberian Khatru", "Yes", genres=("Prog-Rock", "Progressive Rock")),
    TrackRecord("w9", "Águas de Março", "Elis Regina", genres=("MPB",)),
    TrackRecord("w10", "Como Nossos Pais", "Elis Regina", genres=("Música Popular Brasileira",)),
    TrackRecord("w11", "Cálice", "Chico Buarque", genres=("MPB",)),
    TrackRecord("w12", "Teardrop", "Massive Attack", genres=("Electronica",)),
    TrackRecord("w13", "Windowlicker", "Aphex Twin", genres=("Electronic",)),
]


def _store_world(backend: StoreBackend, rules: dict[str, dict] | None = None) -> None:
    """WORLD as ``TrackRecord.payload`` writes it; ``rules``: track id -> the key fields an older
    DERIVED_RULES wrote for it."""
    create(backend)
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i % 8)}, r.payload() | (rules or {}).get(r.track_id, {}))
                          for i, r in enumerate(WORLD)])


def test_a_cyrillic_or_greek_artist_is_found_and_counted_as_typed_in_latin(backend: StoreBackend) -> None:
    """`--artist kino` found nothing of "Кино" (and "Кино" and "Kino" were two facet rows):
    Cyrillic and Greek are keyed in Latin letters."""
    _store_world(backend)
    assert _found(backend, QueryFilter(artists=("kino",))) == {"w0", "w1", "w2"}
    assert _found(backend, QueryFilter(artists=("Кино",))) == {"w0", "w1", "w2"}
    assert _found(backend, QueryFilter(artists=("aria",))) == {"w3"}
    assert _found(backend, QueryFilter(artists=("mikis theodorakis",))) == {"w4", "w5"}
    assert not _found(backend, QueryFilter(exclude_artists=("kino",))) & {"w0", "w1", "w2"}
    artists = dict(backend.facet(NAME, "artist"))
    assert len([a for a in artists if a.lower() in ("кино", "kino")]) == 1 and sum(
        n for a, n in artists.items() if a.lower() in ("кино", "kino")) == 3
    assert len([a for a in artists if "theodorakis" in a.lower() or "Θεοδωράκης" in a]) == 1


def test_a_genres_abbreviation_finds_and_counts_the_genre(backend: StoreBackend) -> None:
    """`--genre "prog rock"` missed the "Progressive Rock" tags (and `-g mpb` "Música Popular
    Brasileira"); the facet showed each as two or three genres. One row now, in the library's
    most common spelling, counting a track tagged twice once; distinct genres stay apart."""
    _store_world(backend)
    assert _found(backend, QueryFilter(genres=("prog rock",))) == {"w6", "w7", "w8"}
    assert _found(backend, QueryFilter(genres=("Progressive Rock",))) == {"w6", "w7", "w8"}
    assert _found(backend, QueryFilter(genres=("mpb",))) == {"w9", "w10", "w11"}
    assert _found(backend, QueryFilter(genres=("soundtrack",))) == {"w4", "w5"}
    assert _found(backend, QueryFilter(genres=("electronica",))) == {"w12"}
    genres = dict(backend.facet(NAME, "genres"))
    assert genres["Progressive Rock"] == 3 and "Prog Rock" not in genres and "Prog-Rock" not in genres
    assert genres["MPB"] == 3 and "Música Popular Brasileira" not in genres  # MPB: two tracks, the longer name one
    assert genres["Electronica"] == 1 and genres["Electronic"] == 1


def test_the_genre_facet_of_keys_older_rules_wrote_counts_them_as_their_genre(backend: StoreBackend) -> None:
    """A collection ingested before the genre table (DERIVED_RULES 4: "progrock" stored apart
    from "progressiverock") shows one row until its next ingest rewrites the keys (a track
    holding both old keys counts twice until then), not a row short of the "Prog Rock" tracks;
    its artists, stored with Cyrillic keys, are one row already (read from the tagged names)."""
    old = {"w7": {"genres_key": ["progrock"]}, "w8": {"genres_key": ["progrock", "progressiverock"]},
           "w9": {"genres_key": ["mpb"]}, "w11": {"genres_key": ["mpb"]},
           "w0": {"artist_key": "кино"}, "w2": {"artist_key": "кино"}}
    _store_world(backend, old)
    genres = dict(backend.facet(NAME, "genres"))
    assert genres["MPB"] == 3 and "Música Popular Brasileira" not in genres
    assert genres["Progressive Rock"] == 4 and len([g for g in genres if "rog" in g]) == 1
    assert dict(backend.facet(NAME, "artist"))["Kino"] == 3  # one track each spelling: the least string shown
