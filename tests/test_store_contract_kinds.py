"""The store contract, continued: the kind filter (``QueryFilter.kind``: spoken word or music)
on every backend (``tests.test_store_contract``'s fixture: edge, remote, served), and on a
collection ingested before the field."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.catalog.model import SPOKEN, TrackRecord
from recsys.store import PointRecord, QueryFilter, StoreBackend
from tests import test_store_contract as contract
from tests.test_store_contract import NAME, create, e

backend = contract.backend

RECORDS = [
    TrackRecord("s1", "Song", "Band", genres=("Rock",)),
    TrackRecord("s2", "Other Song", "Band", genres=("Rock",)),
    TrackRecord("p1", "Episode 1", "Show", genres=("Podcast",), kind=SPOKEN),
    TrackRecord("v1", "New Recording", "Ann's iPhone", kind=SPOKEN),
]


def _found(backend: StoreBackend, kind: str) -> set[str]:
    return {h.track_id for h in backend.search(NAME, np.ones(8), "audio", limit=20, flt=QueryFilter(kind=kind))}


@pytest.mark.parametrize("old", [False, True], ids=["now", "before-kind"])
def test_the_kind_filter_keeps_to_spoken_word_or_to_music(backend: StoreBackend, old: bool) -> None:
    payloads = [r.payload() for r in RECORDS]
    if old:  # an ingest before the field: everything is music, as everything was
        payloads = [{k: v for k, v in p.items() if k != "kind"} for p in payloads]
    create(backend)
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, p) for i, (r, p) in enumerate(zip(RECORDS, payloads))])
    assert _found(backend, "music") == ({"s1", "s2", "p1", "v1"} if old else {"s1", "s2"})
    assert _found(backend, SPOKEN) == (set() if old else {"p1", "v1"})
    assert _found(backend, "any") == _found(backend, "") == {"s1", "s2", "p1", "v1"}
    assert backend.count(NAME, flt=QueryFilter(kind=SPOKEN)) == (0 if old else 2)
    flt = QueryFilter(kind="music", exclude_track_ids=("s1",))  # with the other filters
    assert {h.track_id for h in backend.search(NAME, np.ones(8), "audio", limit=20, flt=flt)} == ({"s2", "p1", "v1"} if old else {"s2"})


def test_a_kind_is_a_filter_any_is_none() -> None:
    assert not QueryFilter(kind="music").is_empty() and not QueryFilter(kind=SPOKEN).is_empty()
    assert QueryFilter(kind="any").is_empty() and QueryFilter().is_empty()
