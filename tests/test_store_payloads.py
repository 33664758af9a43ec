"""``StoreBackend.payloads``: a few fields of every point, on every backend of the contract
(tests/test_store_contract.py): the ingest's sync read each stored payload whole to look at
eleven of its fields (docs/benchmarks.md, "Opening a large store, and a no-change ingest at 50k")."""

from __future__ import annotations

from recsys.store import QueryFilter, StoreBackend
from tests.test_store_contract import NAME, backend, create, random_catalog  # noqa: F401  (the fixture)


def test_payloads_reads_only_the_fields_asked_for(backend: StoreBackend) -> None:
    """What the ingest's sync and the title index read of every point: a few fields, the
    same points and values as a scroll's, none of the others (absent ones stay absent)."""
    create(backend)
    points = random_catalog(23, seed=5)
    backend.upsert(NAME, points)
    full = {r.track_id: r.payload for r in backend.scroll(NAME, batch_size=5)}
    for keys in (("artist", "year"), ("track_id", "genres"), ()):
        got = {r.track_id: r for r in backend.payloads(NAME, keys, batch_size=4)}
        assert set(got) == set(full)
        for tid, rec in got.items():
            assert rec.vectors == {}
            assert rec.payload == {k: full[tid][k] for k in keys if k in full[tid]}
    flt = QueryFilter(artists=("ann", "cat"))
    want = {r.track_id for r in backend.scroll(NAME, flt=flt)}
    assert {r.track_id for r in backend.payloads(NAME, ("artist",), flt=flt)} == want
