"""The store contract, continued: the clean filter (``QueryFilter.clean``: no track marked
explicit) and a match on the payload's ``advisory`` on every backend (``tests.test_store_contract``'s
fixture: edge, remote, served), and on a collection ingested before the field."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.catalog.model import TrackRecord
from recsys.store import PointRecord, QueryFilter, StoreBackend
from recsys.store.served import filter_from_wire, filter_to_wire
from tests import test_store_contract as contract
from tests.test_store_contract import NAME, create, e

backend = contract.backend

RECORDS = [
    TrackRecord("x1", "Hype", "Drake", explicit=True),
    TrackRecord("c1", "Hype [Clean]", "Drake", explicit=False),
    TrackRecord("u1", "Song", "Band"),
    TrackRecord("u2", "Other Song", "Band"),
]


def _found(backend: StoreBackend, flt: QueryFilter) -> set[str]:
    return {h.track_id for h in backend.search(NAME, np.ones(8), "audio", limit=20, flt=flt)}


@pytest.mark.parametrize("old", [False, True], ids=["now", "before-explicit"])
def test_clean_leaves_the_explicit_out_and_keeps_the_unmarked(backend: StoreBackend, old: bool) -> None:
    payloads = [r.payload() for r in RECORDS]
    if old:  # an ingest before the field: nothing is marked, nothing left out
        payloads = [{k: v for k, v in p.items() if k != "advisory"} for p in payloads]
    create(backend)
    backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, p) for i, (r, p) in enumerate(zip(RECORDS, payloads))])
    everything = {"x1", "c1", "u1", "u2"}
    assert _found(backend, QueryFilter(clean=True)) == (everything if old else {"c1", "u1", "u2"})
    assert _found(backend, QueryFilter()) == everything
    marked = QueryFilter(match=(("advisory", ("explicit",)),))
    clean = QueryFilter(match=(("advisory", ("clean",)),))
    assert _found(backend, marked) == (set() if old else {"x1"})
    assert backend.count(NAME, flt=marked) == (0 if old else 1)
    assert backend.count(NAME, flt=clean) == (0 if old else 1)
    assert [p.track_id for p in backend.payloads(NAME, ["title"], flt=clean)] == ([] if old else ["c1"])
    flt = QueryFilter(clean=True, exclude_track_ids=("u1",))  # with the other filters
    assert _found(backend, flt) == ({"x1", "c1", "u2"} if old else {"c1", "u2"})


def test_clean_is_a_filter_and_crosses_the_wire() -> None:
    assert not QueryFilter(clean=True).is_empty() and QueryFilter().is_empty()
    for flt in (QueryFilter(clean=True, genres=("Rap",)), QueryFilter(match=(("advisory", ("clean",)),)), QueryFilter()):
        assert filter_from_wire(filter_to_wire(flt)) == flt
