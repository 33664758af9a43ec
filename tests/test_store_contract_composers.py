"""The store contract, continued: the composer filter and facet of a classical collection, on
every backend (``tests.test_store_contract``'s fixture)."""

from __future__ import annotations

import numpy as np

from recsys.catalog.model import TrackRecord
from recsys.store import PointRecord, QueryFilter, StoreBackend
from tests import test_store_contract as contract
from tests.test_store_contract import NAME, create, e

#: the contract's fixture: every backend (edge, remote, served)
backend = contract.backend

#: Karajan's and Kleiber's Fifth, an old rip by "Beethoven", a Bach suite, a pop song
RECORDS = [
    TrackRecord("k1", "Symphony No. 5: I. Allegro con brio", "Berliner Philharmoniker, Herbert von Karajan",
                composer="Ludwig van Beethoven"),
    TrackRecord("k2", "Symphony No. 5: II. Andante con moto", "Wiener Philharmoniker; Carlos Kleiber",
                composer="ludwig van BEETHOVEN"),
    TrackRecord("b1", "Symphony No. 9", "Beethoven"),
    TrackRecord("f1", "Cello Suite No. 1: Prélude", "Pierre Fournier", composer="Johann Sebastian Bach"),
    TrackRecord("p1", "One More Time", "Daft Punk"),
    TrackRecord("d1", "Clair de lune", "Someone", composer="Claude Débussy"),
]


def _found(backend: StoreBackend, flt: QueryFilter) -> set[str]:
    return {h.track_id for h in backend.search(NAME, np.ones(8), "audio", limit=20, flt=flt)}


def _store(backend: StoreBackend, payloads: list[dict]) -> None:
    create(backend)
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, p) for i, (r, p) in enumerate(zip(RECORDS, payloads))])


def test_a_composer_filter_ignores_case_and_accents_and_finds_the_performers_recordings(
    backend: StoreBackend,
) -> None:
    """--composer "Ludwig van Beethoven" finds Karajan's and Kleiber's recordings (their artist
    is the performers), not a track by an artist "Beethoven" naming no composer; case and
    accents do not matter, as with --genre; tracks naming no composer carry no composer field."""
    _store(backend, [r.payload() for r in RECORDS])
    assert _found(backend, QueryFilter(composers=("LUDWIG VAN BEETHOVEN",))) == {"k1", "k2"}
    assert _found(backend, QueryFilter(composers=("claude debussy", "Johann Sebastian Bach"))) == {"d1", "f1"}
    assert _found(backend, QueryFilter(composers=("Beethoven",))) == set()  # a whole name, as --only-artist
    assert _found(backend, QueryFilter(composers=("ludwig van beethoven",), artists=("Wiener Philharmoniker; Carlos Kleiber",))) == {"k2"}
    assert _found(backend, QueryFilter(genres=("rock",))) == set() and len(_found(backend, QueryFilter())) == 6
    assert backend.count(NAME, flt=QueryFilter(composers=("Ludwig van Beethoven",))) == 2
    assert "composer_norm" not in RECORDS[4].payload() and "composer" not in RECORDS[4].payload()
    assert "composer_norm" not in RECORDS[0].payload(derived=False)  # the hashes leave it out


def test_the_composer_facet_groups_spellings(backend: StoreBackend) -> None:
    """One row a composer (its spellings summed, shown in the least on a tie); no row for the
    tracks naming none."""
    _store(backend, [r.payload() for r in RECORDS])
    assert backend.facet(NAME, "composer") == [
        ("Ludwig van Beethoven", 2), ("Claude Débussy", 1), ("Johann Sebastian Bach", 1),
    ]


def test_a_collection_ingested_before_composer_norm_matches_the_exact_composer(backend: StoreBackend) -> None:
    """Payloads written before ``composer_norm`` (its next ingest adds it): the filter matches
    the exact ``composer``, as artist filters of a collection before ``artist_norm`` did."""
    _store(backend, [{k: v for k, v in r.payload().items() if k != "composer_norm"} for r in RECORDS])
    assert _found(backend, QueryFilter(composers=("Ludwig van Beethoven",))) == {"k1"}
    assert _found(backend, QueryFilter(composers=("Claude Débussy",))) == {"d1"}
    # the next ingest's payloads: the filter ignores case and accents from then on
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, r.payload()) for i, r in enumerate(RECORDS)])
    assert _found(backend, QueryFilter(composers=("Ludwig van Beethoven",))) == {"k1", "k2"}


def test_a_composer_filter_travels_over_the_wire() -> None:
    from recsys.store.served import filter_from_wire, filter_to_wire

    flt = QueryFilter(composers=("Bach",), artists=("Fournier",))
    assert filter_from_wire(filter_to_wire(flt)) == flt
