"""How Qdrant Edge's payloads reach the caller: read lazily, a chunk at a time as the hits
are taken, and kept by a long-lived process (``recsys serve``) in a payload cache
(``recsys.store.payload_cache``) that it can fill ahead of its requests."""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterator, Sequence
from uuid import UUID

import qdrant_edge as qe

from recsys.store.base import Hit, PayloadCacheStats
from recsys.store.filters import to_numpy_vectors
from recsys.store.payload_cache import CachedHit, PayloadCache, frozen_get
from recsys.store.records import track_id_of

#: a lazily read query's payloads come this many at a time for its first four chunks, then
#: as many as have been read so far, up to 1,024 (see ``EdgeBackend._with_payloads``)
LAZY_PAYLOAD_CHUNK = 16
#: points a payload cache's fill reads at a time: 5-7 ms of a server's one interpreter,
#: the most a request waits for it (``fill_payload_cache``)
PAYLOAD_FILL_PAGE = 256


class EdgePayloads:
    """EdgeBackend's payload reads and caches (a mixin: it uses the backend's ``_shard``,
    ``_call`` and ``_lock``)."""

    _lock: threading.RLock
    _shard: Callable[[str], qe.EdgeShard]
    _call: Callable[[str, Callable[[], Any]], Any]

    def _init_payload_caches(self) -> None:
        #: the payloads read by queries, per collection, when ``cache_payloads`` asked for them
        self._payload_cache_size = 0
        self._payload_caches: dict[str, PayloadCache] = {}

    def cache_payloads(self, max_points: int) -> bool:
        with self._lock:
            self._payload_cache_size = max(0, int(max_points))
            self._payload_caches.clear()
        return True

    def _payload_cache(self, name: str) -> PayloadCache | None:
        if not self._payload_cache_size:
            return None
        cache = self._payload_caches.get(name)
        if cache is None:
            cache = self._payload_caches.setdefault(name, PayloadCache(self._payload_cache_size))
        return cache

    def fill_payload_cache(self, name: str) -> Iterator[int]:
        cache = self._payload_cache(name)
        if cache is None:
            return
        generation = cache.generation
        offset: Any = None
        while self._payload_caches.get(name) is cache:  # not replaced by cache_payloads since
            shard = self._shard(name)
            req = qe.ScrollRequest(offset=offset, limit=PAYLOAD_FILL_PAGE, with_payload=True, with_vector=False)
            points, offset = self._call(name, lambda: shard.scroll(req))
            # kept by the UUID's integer, as _with_payloads looks them up
            room = cache.fill(generation, ((p.id.int if type(p.id) is UUID else p.id, p.payload) for p in points))
            if cache.generation != generation:
                return  # a write emptied it: what the fill read may be older than the write
            yield len(cache)
            if not room or offset is None:
                return

    def payload_cache_stats(self, name: str) -> PayloadCacheStats | None:
        cache = self._payload_cache(name)
        return None if cache is None else cache.stats()

    def _forget_payloads(self, name: str) -> None:
        cache = self._payload_caches.get(name)
        if cache is not None:
            cache.clear()

    def _with_payloads(self, name: str, points: Sequence[Any], with_vectors: bool) -> Iterator[Hit]:
        shard = self._shard(name)
        cache = self._payload_cache(name)
        start = 0
        while start < len(points):
            # a few small chunks first (a dedup and artist cap typically pass over 20 to
            # 40 hits to keep 10), then larger ones for a long walk
            size = LAZY_PAYLOAD_CHUNK if start < 4 * LAZY_PAYLOAD_CHUNK else min(start, 1024)
            part = points[start : start + size]
            ids = [p.id for p in part]  # each .id makes a new uuid.UUID: once per point
            payloads: list[Any]
            if cache is None:
                payloads = self._read_payloads(name, shard, ids)
            else:
                # kept by the UUID's integer: hashed and compared in C, unlike uuid.UUID
                keys = [i.int if type(i) is UUID else i for i in ids]
                generation = cache.generation  # before the read (see PayloadCache.put)
                payloads = [cache.get_frozen(k) for k in keys]  # left frozen (CachedHit)
                missing = [j for j, pl in enumerate(payloads) if pl is None]
                if missing:
                    read = self._read_payloads(name, shard, [ids[j] for j in missing])
                    cache.put(generation, ((keys[j], pl) for j, pl in zip(missing, read) if pl is not None))
                    for j, pl in zip(missing, read):
                        payloads[j] = pl
            for p, payload in zip(part, payloads):
                if payload is None:
                    continue  # deleted since the search (a write between two reads)
                vectors = to_numpy_vectors(p.vector) if with_vectors else {}
                if type(payload) is dict:
                    yield Hit(track_id_of(payload, p), float(p.score), payload, vectors)
                else:  # kept frozen: thawed only if the caller takes it (CachedHit)
                    tid = frozen_get(payload, "track_id")
                    yield CachedHit(str(p.id if tid is None else tid), float(p.score), None, vectors, frozen=payload)
            start += size

    def _read_payloads(self, name: str, shard: qe.EdgeShard, ids: list[Any]) -> list[dict | None]:
        """The payloads of points ``ids``, in order, None for a point no longer stored."""
        records = self._call(name, lambda: shard.retrieve(ids, with_payload=True, with_vector=False))
        if len(records) == len(ids):
            # Edge answers in the order asked and leaves out the ids it does not have
            # (lib/edge/src/read_view/ops/retrieve.rs): as many answers as ids is all of
            # them, in order, with no id objects to compare
            return [r.payload for r in records]
        by_id = {r.id: r.payload for r in records}
        return [by_id.get(i) for i in ids]
