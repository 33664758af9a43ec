"""The payload cache a server keeps over the embedded store: answers identical to reading
Edge, bounded, emptied by every write, never refilled by a read older than a write."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recsys.store import NeighbourQuery, PointRecord
from recsys.store.edge import EdgeBackend
from recsys.store.payload_cache import PayloadCache
from tests.test_store_contract import NAME, create, random_catalog


def test_bounded_oldest_first() -> None:
    cache = PayloadCache(3)
    cache.put(cache.generation, [(i, {"i": i}) for i in range(5)])
    assert len(cache) == 3
    assert [cache.get(i) for i in range(5)] == [None, None, {"i": 2}, {"i": 3}, {"i": 4}]
    cache.put(cache.generation, [(3, {"i": 33})])  # a key already held takes no room
    assert len(cache) == 3 and cache.get(2) == {"i": 2} and cache.get(3) == {"i": 33}
    with pytest.raises(ValueError):
        PayloadCache(0)


def test_the_least_recently_used_leaves_first() -> None:
    cache = PayloadCache(3)
    cache.put(cache.generation, [("a", {"v": 1}), ("b", {"v": 2}), ("c", {"v": 3})])
    assert cache.get("a") == {"v": 1}  # "a" is now the most recently used
    cache.put(cache.generation, [("d", {"v": 4})])
    assert cache.get("b") is None and cache.get("a") == {"v": 1} and cache.get("d") == {"v": 4}
    # what comes out is a new dict with lists, whatever was frozen inside
    cache.put(cache.generation, [("e", {"genres": ["jazz"], "year": 1999})])
    got = cache.get("e")
    got["genres"].append("rock")
    assert cache.get("e") == {"genres": ["jazz"], "year": 1999}
    # nested lists and dicts (file_stat is [[mtime, size], None]) come back as they went in
    nested = {"file_stat": [[1700000000, 4096], None], "extra": {"bpm": 120, "keys": ["A", "E"]}, "tags": []}
    cache.put(cache.generation, [("f", nested)])
    assert cache.get("f") == nested
    cache.put(cache.generation, [("g", {"when": object()})])  # not JSON-like: not kept
    assert cache.get("g") is None


def test_a_read_older_than_a_write_is_not_kept() -> None:
    cache = PayloadCache(10)
    started = cache.generation  # a read begins
    cache.clear()  # a write lands while it reads
    cache.put(started, [("a", {"title": "before the write"})])
    assert cache.get("a") is None and len(cache) == 0
    cache.put(cache.generation, [("a", {"title": "after"})])
    assert cache.get("a") == {"title": "after"}


def _titles(b: EdgeBackend, q: np.ndarray) -> list[tuple[str, str]]:
    return [(h.track_id, h.payload["title"]) for h in b.neighbours(NAME, NeighbourQuery("audio", (q,)), 40)]


def test_edge_answers_the_same_with_and_without_it_and_writes_empty_it(tmp_path: Path) -> None:
    points = random_catalog(60, seed=31)
    queries = [np.random.default_rng(s).normal(size=8) for s in range(5)]
    plain = EdgeBackend(tmp_path / "plain")
    cached = EdgeBackend(tmp_path / "cached")
    assert cached.cache_payloads(25)
    try:
        for b in (plain, cached):
            create(b)
            b.upsert(NAME, points)
        for q in queries * 2:  # the second round reads from the cache
            want = list(plain.neighbours(NAME, NeighbourQuery("audio", (q,)), 40))
            got = list(cached.neighbours(NAME, NeighbourQuery("audio", (q,)), 40))
            assert [(h.track_id, h.payload, h.score) for h in got] == [(h.track_id, h.payload, h.score) for h in want]
        cache = cached._payload_caches[NAME]
        assert 0 < len(cache) <= 25 and cache.hits > 0

        assert cached.cache_payloads(100)  # room for every point: nothing leaves but by a write
        _titles(cached, queries[0])
        assert len(cached._payload_caches[NAME]) == 40

        # a hit's payload is the caller's own: changing it changes nothing stored or cached
        first = next(cached.neighbours(NAME, NeighbourQuery("audio", (queries[0],)), 40))
        first.payload["title"] = "scribbled on"
        assert all(t != "scribbled on" for _, t in _titles(cached, queries[0]))

        # a changed payload is read anew, a deleted point is gone
        top = _titles(cached, queries[0])
        changed, deleted = top[0][0], top[1][0]
        old = next(p for p in points if p.track_id == changed)
        cached.upsert(NAME, [PointRecord(changed, old.vectors, {**old.payload, "title": "renamed"})])
        cached.delete_points(NAME, [deleted])
        after = dict(_titles(cached, queries[0]))
        assert after[changed] == "renamed" and deleted not in after

        assert cached.cache_payloads(0)  # off again: nothing kept, same answers
        assert dict(_titles(cached, queries[0])) == after and not cached._payload_caches
    finally:
        plain.close()
        cached.close()


def test_a_read_during_a_write_cannot_leave_a_stale_payload(tmp_path: Path) -> None:
    """A write that lands between the search and the payload read of a hit (another thread,
    in a server) leaves nothing stale behind: the read's payloads are not kept."""
    b = EdgeBackend(tmp_path / "store")
    b.cache_payloads(100)
    try:
        create(b)
        points = random_catalog(40, seed=32)
        b.upsert(NAME, points)
        q = np.random.default_rng(33).normal(size=8)
        real = b._shard(NAME)
        top = b.search(NAME, q, "audio", 1)[0].track_id
        old = next(p for p in points if p.track_id == top)

        class WriteFirst:  # the shard, with a write landing just before the payloads are read
            def __getattr__(self, attr):
                return getattr(real, attr)

            def retrieve(self, ids, **kw):
                found = real.retrieve(ids, **kw)  # what the read saw: the old payloads
                b._shards[NAME] = real
                b.upsert(NAME, [PointRecord(top, old.vectors, {**old.payload, "title": "new"})])
                return found

        b._shards[NAME] = WriteFirst()
        seen = dict(_titles(b, q))
        assert seen[top] == old.payload["title"]  # this read answers with what it read
        assert dict(_titles(b, q))[top] == "new"  # and the next one is not served it again
    finally:
        b.close()


def test_the_server_keeps_a_whole_collection_or_what_it_is_told() -> None:
    from serve.state import payload_cache_size
    from recsys.store.payload_cache import PAYLOAD_CACHE_POINTS

    assert payload_cache_size(None, 5_000) == PAYLOAD_CACHE_POINTS
    assert payload_cache_size(None, PAYLOAD_CACHE_POINTS + 1) == 0
    assert payload_cache_size(500, 1_000_000) == 500
    assert payload_cache_size(0, 10) == 0


def test_a_cached_hit_reads_one_field_or_its_whole_payload() -> None:
    from dataclasses import replace

    from recsys.store.base import Hit
    from recsys.store.payload_cache import CachedHit, freeze

    payload = {"track_id": "t1", "title": "Song", "genres": ["jazz", "soul"], "file_stat": [[1, 2], None],
               "extra": {"bpm": 120}, "year": None}
    hit = CachedHit("t1", 0.5, None, {}, frozen=freeze(payload, {}))
    for key in (*payload, "absent"):
        assert hit.get(key, "dflt") == payload.get(key, "dflt")
    assert hit.get("genres") is not hit.get("genres")  # a new list each time, never the kept one
    assert hit.payload == payload and hit == Hit("t1", 0.5, payload) and Hit("t1", 0.5, payload) == hit
    assert hit != Hit("t1", 0.5, {**payload, "title": "Other"})
    moved = replace(hit, score=0.25)  # what a caller may do to any Hit
    assert moved.payload == payload and moved.score == 0.25
    with pytest.raises(TypeError):
        CachedHit("t1", 0.5)


def test_the_fill_reads_the_collection_in_until_full_and_ends_at_a_write(tmp_path: Path, monkeypatch) -> None:
    from recsys.store import edge_payloads

    monkeypatch.setattr(edge_payloads, "PAYLOAD_FILL_PAGE", 16)
    points = random_catalog(60, seed=34)
    queries = [np.random.default_rng(s).normal(size=8) for s in range(3)]
    plain, cached = EdgeBackend(tmp_path / "plain"), EdgeBackend(tmp_path / "cached")
    try:
        for b in (plain, cached):
            create(b)
            b.upsert(NAME, points)
        assert list(plain.fill_payload_cache(NAME)) == []  # no cache asked for: nothing to read

        cached.cache_payloads(100)
        assert list(cached.fill_payload_cache(NAME)) == [16, 32, 48, 60]
        for q in queries:  # every payload now comes from the cache, and the same as Edge's
            want = [(h.track_id, h.payload, h.score) for h in plain.neighbours(NAME, NeighbourQuery("audio", (q,)), 40)]
            got = list(cached.neighbours(NAME, NeighbourQuery("audio", (q,)), 40))
            assert [(h.track_id, h.payload, h.score) for h in got] == want
        stats = cached.payload_cache_stats(NAME)
        assert stats.misses == 0 and stats.hits == 120 and stats.points == 60

        cached.cache_payloads(25)  # a smaller cache: filled to the brim, nothing evicted for it
        assert list(cached.fill_payload_cache(NAME)) == [16, 25]

        cached.cache_payloads(100)
        pages = cached.fill_payload_cache(NAME)
        assert next(pages) == 16
        top = _titles(cached, queries[0])[0][0]
        old = next(p for p in points if p.track_id == top)
        cached.upsert(NAME, [PointRecord(top, old.vectors, {**old.payload, "title": "renamed"})])
        assert next(pages, None) is None  # the write emptied the cache: the fill is over
        assert len(cached._payload_caches[NAME]) == 0
        assert dict(_titles(cached, queries[0]))[top] == "renamed"
    finally:
        plain.close()
        cached.close()


def test_writes_leave_no_layouts_behind() -> None:
    """Each payload shape is interned once: a server emptied by every write of an ingest
    through it must not gather a field map per write."""
    from recsys.store import payload_cache
    from recsys.store.payload_cache import CachedHit

    cache = PayloadCache(10)
    for i in range(3):
        cache.put(cache.generation, [(i, {"track_id": f"t{i}", "title": "x", "genres": ["a"]})])
        assert CachedHit(f"t{i}", 1.0, frozen=cache.get_frozen(i)).get("title") == "x"
        if i == 0:
            after_first = len(payload_cache._POSITIONS)
        cache.clear()
    assert len(payload_cache._POSITIONS) == after_first
