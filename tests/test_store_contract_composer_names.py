"""The store contract, continued: a composer filter typed as a listener types it ("tchaikovsky",
"dvorak") read as the collection's composer, on every backend, in a collection ingested now
and in one ingested before ``composer_norm`` (``recsys.query.composers``)."""

from __future__ import annotations

import pytest

from recsys.catalog.model import TrackRecord
from recsys.query.composers import AmbiguousComposerError, ComposerIndex, composer_filter
from recsys.store import PointRecord, QueryFilter, StoreBackend
from tests import test_store_contract as contract
from tests.test_store_contract import NAME, create, e

#: the contract's fixture: every backend (edge, remote, served)
backend = contract.backend

RECORDS = [
    TrackRecord("t1", "Piano Concerto No. 1: I.", "Martha Argerich", composer="Pyotr Ilyich Tchaikovsky"),
    TrackRecord("t2", "Swan Lake: Scene", "Česká filharmonie", composer="Petr Iljič Čajkovskij"),
    TrackRecord("t3", "Symphony No. 6: I.", "Mravinsky", composer="Chaikovsky, Pyotr Il'yich"),
    TrackRecord("d1", "String Quartet No. 12: I.", "Emerson String Quartet", composer="Antonín Dvořák"),
    TrackRecord("j1", "Cello Suite No. 1: Prélude", "Pierre Fournier", composer="Johann Sebastian Bach"),
    TrackRecord("j2", "Goldberg Variations: Aria", "Glenn Gould", composer="Bach, J. S."),
    TrackRecord("c1", "Solfeggietto", "Someone", composer="Carl Philipp Emanuel Bach"),
    TrackRecord("p1", "One More Time", "Daft Punk"),
]


def _count(backend: StoreBackend, *typed: str) -> set[str]:
    flt = composer_filter(backend, NAME, QueryFilter(composers=typed))
    return {p.track_id for p in backend.payloads(NAME, ("title",), flt=flt)}


@pytest.mark.parametrize("old", [False, True], ids=["now", "before-composer_norm"])
def test_a_surname_without_accents_finds_every_spelling_of_its_composer(backend: StoreBackend, old: bool) -> None:
    payloads = [r.payload() for r in RECORDS]
    if old:  # an ingest before composer_norm: the filter matches the composer exactly
        payloads = [{k: v for k, v in p.items() if k != "composer_norm"} for p in payloads]
    create(backend)
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, p) for i, (r, p) in enumerate(zip(RECORDS, payloads))])
    assert _count(backend, "tchaikovsky") == {"t1", "t2", "t3"}
    assert _count(backend, "Tschaikowsky", "DVORAK") == {"t1", "t2", "t3", "d1"}
    assert _count(backend, "J.S. Bach") == {"j1", "j2"} and _count(backend, "C. P. E. Bach") == {"c1"}
    assert _count(backend, "Mahler") == set()  # no composer: as typed, nothing (the typo message says so)
    with pytest.raises(AmbiguousComposerError):
        _count(backend, "bach")
    assert ComposerIndex.read(backend, NAME).rows() == [
        ("Pyotr Ilyich Tchaikovsky", 3), ("Johann Sebastian Bach", 2), ("Antonín Dvořák", 1),
        ("Carl Philipp Emanuel Bach", 1),
    ]


LISTS = [
    TrackRecord("m1", "'Round Midnight", "Miles Davis", composer="Thelonious Monk, Cootie Williams & Bernie Hanighen"),
    TrackRecord("m2", "Straight, No Chaser", "Miles Davis", composer="Thelonious Monk"),
    TrackRecord("r1", "My Funny Valentine", "Chet Baker", composer="Richard Rodgers; Lorenz Hart"),
    TrackRecord("r2", "My Favorite Things", "John Coltrane", composer="Rodgers & Hammerstein"),
    TrackRecord("r3", "Blue Moon", "Billie Holiday", composer="Richard Rodgers"),
    TrackRecord("b1", "Yesterday", "Someone", composer="Lennon/McCartney"),
    TrackRecord("b2", "Michelle", "Someone Else", composer="John Lennon; Paul McCartney"),
    TrackRecord("p1", "One More Time", "Daft Punk"),
]


@pytest.mark.parametrize("old", [False, True], ids=["now", "before-composer_norm"])
def test_each_composer_of_a_list_finds_its_track(backend: StoreBackend, old: bool) -> None:
    payloads = [r.payload() for r in LISTS]
    if old:
        payloads = [{k: v for k, v in p.items() if k != "composer_norm"} for p in payloads]
    create(backend)
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, p) for i, (r, p) in enumerate(zip(LISTS, payloads))])
    assert _count(backend, "Thelonious Monk") == {"m1", "m2"} and _count(backend, "hanighen") == {"m1"}
    assert _count(backend, "Richard Rodgers") == {"r1", "r2", "r3"} and _count(backend, "Lorenz Hart") == {"r1"}
    assert _count(backend, "Rodgers & Hammerstein") == {"r2"}  # a typed list: their songs together
    assert _count(backend, "Richard Rodgers; Lorenz Hart") == {"r1"}
    assert _count(backend, "mccartney") == _count(backend, "Lennon/McCartney") == {"b1", "b2"}
    assert _count(backend, "Paul McCartney", "Lorenz Hart") == {"b1", "b2", "r1"}
    rows = dict(ComposerIndex.read(backend, NAME).rows())
    assert rows["Thelonious Monk"] == 2 and rows["Richard Rodgers"] == 3 and rows["John Lennon"] == 2
    assert not any(("/" in c or ";" in c or "&" in c) for c in rows)


BANDS = [
    TrackRecord("s1", "The Boxer", "Simon & Garfunkel"),
    TrackRecord("s2", "Mrs. Robinson (cover)", "The Lemonheads", composer="Simon & Garfunkel"),
    TrackRecord("s3", "Still Crazy After All These Years", "Someone", composer="Paul Simon"),
    TrackRecord("e1", "September (cover)", "Someone Else", composer="Earth, Wind & Fire"),
    TrackRecord("r1", "My Favorite Things", "John Coltrane", composer="Rodgers & Hammerstein"),
]


def test_a_band_named_in_the_composer_tag_is_one_composer(backend: StoreBackend) -> None:
    """A cover's composer tag naming the band the library holds ("Simon & Garfunkel" beside
    their own track) is the band, not a "Simon" counted for Paul Simon nor a "Garfunkel"; a
    band of single words ("Earth, Wind & Fire") without the library's word; a team stays its
    surnames."""
    create(backend)
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, r.payload()) for i, r in enumerate(BANDS)])
    rows = ComposerIndex.read(backend, NAME).rows()
    assert rows == [
        ("Earth, Wind & Fire", 1), ("Hammerstein", 1), ("Paul Simon", 1), ("Rodgers", 1), ("Simon & Garfunkel", 1),
    ]
    assert _count(backend, "Simon & Garfunkel") == {"s2"} and _count(backend, "Paul Simon") == {"s3"}
    assert _count(backend, "Earth, Wind & Fire") == {"e1"} and _count(backend, "Hammerstein") == {"r1"}
