"""bench_ann's engines: one class per search engine, each loading the same data set and
answering search, recommend and filtered recommend. See bench/bench_ann.py for how each
recommends and filters, and why."""

from __future__ import annotations

import math
import os
import sys
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Callable

import numpy as np

from ann_data import CHUNK, N_GENRES, Dataset, Params, best_score, top_k

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the recsys engine imports the project

ENGINES = ("edge", "recsys", "qdrant-local", "faiss", "usearch", "hnswlib", "voyager", "numpy")
#: the Python package each engine needs (an engine whose package is missing is skipped)
PACKAGES = {
    "edge": "qdrant_edge", "recsys": "qdrant_edge", "qdrant-local": "qdrant_client", "faiss": "faiss",
    "usearch": "usearch", "hnswlib": "hnswlib", "voyager": "voyager", "numpy": "numpy",
}


class Engine(ABC):
    """One search engine over the data set. ``insert`` loads the points (for an HNSW
    library this builds the graph as it goes), ``build`` is a separate indexing step where
    the engine has one (Edge's optimize), ``save`` writes its index or store to ``folder``."""

    name: str = ""
    #: how recommend and the filter are done, as the report says it
    recommend_how: str = "native best-score"
    filter_how: str = "pre-filter"

    def __init__(self, data: Dataset, params: Params, folder: Path) -> None:
        self.data = data
        self.p = params
        self.folder = folder
        self.notes: dict[str, object] = {}

    @abstractmethod
    def insert(self) -> None: ...

    def build(self) -> None:
        """The separate index build, where the engine has one."""

    @abstractmethod
    def search(self, q: np.ndarray, k: int) -> list[int]: ...

    @abstractmethod
    def recommend(self, pos: np.ndarray, neg: np.ndarray, k: int, genre: int | None) -> list[int]: ...

    @abstractmethod
    def save(self) -> None:
        """Make everything the engine keeps lie in ``self.folder`` (for the disk size)."""

    def close(self) -> None:
        pass

    def chunks(self) -> range:
        return range(0, self.data.n, self.p.batch)


class ExactNumpy(Engine):
    """A brute-force scan of the float32 matrix (the ground truth's rule, query by query)."""

    name = "numpy"
    recommend_how = "exact best-score"
    filter_how = "pre-filter (rows of the genre)"

    def insert(self) -> None:
        self.x = np.array(self.data.vectors, dtype=np.float32)  # a copy of the matrix in RAM

    def build(self) -> None:
        order = np.argsort(self.data.genre, kind="stable")
        bounds = np.searchsorted(self.data.genre[order], np.arange(N_GENRES + 1))
        self.rows_of = [order[bounds[g] : bounds[g + 1]] for g in range(N_GENRES)]

    def search(self, q: np.ndarray, k: int) -> list[int]:
        return top_k(self.x @ q, k).tolist()

    def recommend(self, pos: np.ndarray, neg: np.ndarray, k: int, genre: int | None) -> list[int]:
        if genre is None:
            x, rows = self.x, None
        else:
            rows = self.rows_of[genre]
            x = self.x[rows]
        scores = best_score(x @ pos.T, x @ neg.T)
        best = top_k(scores, k)
        return (best if rows is None else rows[best]).tolist()

    def save(self) -> None:
        np.save(self.folder / "vectors.npy", self.x)
        np.save(self.folder / "genre.npy", self.data.genre)


class EmulatedRecommend(Engine):
    """An ANN library: recommend is emulated (module docstring), filters by ``allowed``."""

    recommend_how = "emulated: ANN per positive, k x oversample each, rescored best-score"

    @abstractmethod
    def ann(self, q: np.ndarray, k: int, genre: int | None) -> list[int]:
        """Up to ``k`` nearest rows of ``q`` (of genre ``genre`` when given)."""

    def search(self, q: np.ndarray, k: int) -> list[int]:
        return self.ann(q, k, None)

    def recommend(self, pos: np.ndarray, neg: np.ndarray, k: int, genre: int | None) -> list[int]:
        cand: dict[int, None] = {}
        for p in pos:
            cand.update(dict.fromkeys(self.ann(p, k * self.p.oversample, genre)))
        rows = np.fromiter(cand, dtype=np.int64, count=len(cand))
        if len(rows) == 0:
            return []
        x = np.asarray(self.data.vectors[np.sort(rows)], dtype=np.float32)
        rows = np.sort(rows)
        return rows[top_k(best_score(x @ pos.T, x @ neg.T), k)].tolist()

    def genre_fraction(self, genre: int) -> float:
        if not hasattr(self, "_genre_counts"):
            self._genre_counts = np.bincount(self.data.genre, minlength=N_GENRES)
        return max(1, int(self._genre_counts[genre])) / self.data.n

    def post_filtered(self, search: Callable[[np.ndarray, int], list[int]], q: np.ndarray, k: int, genre: int) -> list[int]:
        """For an engine without a filter: ask for enough candidates that about twice ``k``
        match, doubling the ask until ``k`` match or the whole index was asked for."""
        ask = min(self.data.n, max(k, int(math.ceil(2 * k / self.genre_fraction(genre)))))
        while True:
            hits = [r for r in search(q, ask) if self.data.genre[r] == genre]
            if len(hits) >= k or ask >= self.data.n:
                return hits[:k]
            ask = min(self.data.n, ask * 2)


class Faiss(EmulatedRecommend):
    name = "faiss"
    filter_how = "IDSelectorBitmap inside the HNSW search"

    def insert(self) -> None:
        import faiss

        faiss.omp_set_num_threads(os.cpu_count() or 1)
        self.faiss = faiss
        self.index = faiss.IndexHNSWFlat(self.data.dim, self.p.m, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = self.p.ef_construct
        for start in range(0, self.data.n, CHUNK):
            self.index.add(np.ascontiguousarray(self.data.vectors[start : start + CHUNK]))
        faiss.omp_set_num_threads(1)  # queries: one thread, like one request

    def build(self) -> None:
        self.bitmaps = []  # one bit per row, per genre (LSB first, as IDSelectorBitmap reads it)
        for g in range(N_GENRES):
            self.bitmaps.append(np.packbits(self.data.genre == g, bitorder="little"))

    def ann(self, q: np.ndarray, k: int, genre: int | None) -> list[int]:
        if genre is None:
            params = self.faiss.SearchParametersHNSW(efSearch=max(self.p.ef, k))
        else:
            bitmap = self.bitmaps[genre]
            sel = self.faiss.IDSelectorBitmap(len(bitmap), self.faiss.swig_ptr(bitmap))
            params = self.faiss.SearchParametersHNSW(efSearch=max(self.p.ef, k), sel=sel)
        _, ids = self.index.search(q[None, :], k, params=params)
        return [int(i) for i in ids[0] if i >= 0]

    def save(self) -> None:
        self.faiss.write_index(self.index, str(self.folder / "faiss.index"))


class Hnswlib(EmulatedRecommend):
    name = "hnswlib"
    filter_how = "filter callback (Python) inside the HNSW search"

    def insert(self) -> None:
        import hnswlib

        self.index = hnswlib.Index(space="ip", dim=self.data.dim)  # unit vectors: ip = cosine
        self.index.init_index(max_elements=self.data.n, ef_construction=self.p.ef_construct, M=self.p.m)
        for start in range(0, self.data.n, CHUNK):
            x = np.asarray(self.data.vectors[start : start + CHUNK])
            self.index.add_items(x, np.arange(start, start + len(x)), num_threads=-1)
        self.index.set_ef(self.p.ef)

    def ann(self, q: np.ndarray, k: int, genre: int | None) -> list[int]:
        self.index.set_ef(max(self.p.ef, k))
        if genre is None:
            labels, _ = self.index.knn_query(q, k=k, num_threads=1)
        else:
            g = self.data.genre
            k = min(k, int(round(self.genre_fraction(genre) * self.data.n)))
            while True:
                try:
                    labels, _ = self.index.knn_query(q, k=k, num_threads=1, filter=lambda i: g[i] == genre)
                    break
                except RuntimeError:  # it found fewer than k that pass: it refuses to return them
                    if k <= 1:
                        return []
                    k //= 2
        return labels[0].astype(np.int64).tolist()

    def save(self) -> None:
        self.index.save_index(str(self.folder / "hnswlib.bin"))


class Usearch(EmulatedRecommend):
    name = "usearch"
    filter_how = "post-filter (no filter in its Python API): oversample, doubling"

    def insert(self) -> None:
        from usearch.index import Index

        self.index = Index(
            ndim=self.data.dim, metric="cos", dtype="f32",
            connectivity=self.p.m, expansion_add=self.p.ef_construct, expansion_search=self.p.ef,
        )
        for start in range(0, self.data.n, CHUNK):
            x = np.asarray(self.data.vectors[start : start + CHUNK])
            self.index.add(np.arange(start, start + len(x)), x, threads=0)

    def _search(self, q: np.ndarray, k: int) -> list[int]:
        self.index.expansion_search = max(self.p.ef, k)
        return self.index.search(q, k, threads=1).keys.astype(np.int64).tolist()

    def ann(self, q: np.ndarray, k: int, genre: int | None) -> list[int]:
        if genre is None:
            return self._search(q, k)
        return self.post_filtered(self._search, q, k, genre)

    def save(self) -> None:
        self.index.save(str(self.folder / "usearch.index"))


class Voyager(EmulatedRecommend):
    name = "voyager"
    filter_how = "post-filter (no filter in its API): oversample, doubling"

    def insert(self) -> None:
        import voyager

        self.index = voyager.Index(
            voyager.Space.InnerProduct, num_dimensions=self.data.dim, M=self.p.m,
            ef_construction=self.p.ef_construct, max_elements=self.data.n,
        )
        for start in range(0, self.data.n, CHUNK):
            x = np.array(self.data.vectors[start : start + CHUNK])  # writable: voyager refuses a read-only map
            self.index.add_items(x, list(range(start, start + len(x))), num_threads=-1)

    def _search(self, q: np.ndarray, k: int) -> list[int]:
        ids, _ = self.index.query(q, k=k, num_threads=1, query_ef=max(self.p.ef, k))
        return ids.astype(np.int64).tolist()

    def ann(self, q: np.ndarray, k: int, genre: int | None) -> list[int]:
        if genre is None:
            return self._search(q, k)
        return self.post_filtered(self._search, q, k, genre)

    def save(self) -> None:
        self.index.save(str(self.folder / "voyager.index"))


#: how Qdrant filters: its planner estimates the filter's cardinality from the payload index;
#: below full_scan_threshold (10,000 KB of vectors: 20,000 points at 128 dims) it scores the
#: matching points exactly, above it it searches the HNSW graph with the filter
QDRANT_FILTER = "Qdrant's planner: keyword payload index, exact scan of the matches (< 20k) else filtered HNSW"


def folder_mb(folder: Path) -> float:
    """Disk space the files under ``folder`` take, as ``du`` counts it (allocated blocks:
    Edge preallocates sparse WAL and segment files whose apparent size is far larger)."""
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file()) / 2**20


def wal_mb(folder: Path) -> float:
    """Disk space of the write-ahead logs under ``folder``."""
    return sum(folder_mb(d) for d in folder.rglob("wal") if d.is_dir())


def _payload(data: Dataset, i: int) -> dict:
    return {"genre": f"g{int(data.genre[i])}", "artist": f"a{int(data.artist[i])}", "year": int(data.year[i])}


class RawEdge(Engine):
    """Qdrant Edge driven directly: one shard, integer ids, a keyword index on genre, the
    HNSW parameters set (and an indexing threshold of 1 KB, so even 10k points get a graph)."""

    name = "edge"
    filter_how = QDRANT_FILTER

    def insert(self) -> None:
        import qdrant_edge as qe

        self.qe = qe
        config = qe.EdgeConfig(
            vectors={"v": qe.EdgeVectorParams(size=self.data.dim, distance=qe.Distance.Cosine)},
            hnsw_config=qe.HnswIndexConfig(m=self.p.m, ef_construct=self.p.ef_construct, full_scan_threshold=10_000),
            optimizers=qe.EdgeOptimizersConfig(indexing_threshold=1),
        )
        self.shard = qe.EdgeShard.create(str(self.folder / "shard"), config)
        for key in ("genre", "artist"):
            self.shard.update(qe.UpdateOperation.create_field_index(key, qe.PayloadSchemaType.Keyword))
        self.shard.update(qe.UpdateOperation.create_field_index("year", qe.PayloadSchemaType.Integer))
        for start in self.chunks():
            stop = min(self.data.n, start + self.p.batch)
            x = np.asarray(self.data.vectors[start:stop])
            points = [qe.Point(i, {"v": x[i - start]}, _payload(self.data, i)) for i in range(start, stop)]
            self.shard.update(qe.UpdateOperation.upsert_points(points))

    def build(self) -> None:
        self.shard.optimize()
        info = self.shard.info()
        self.notes.update(segments=info.segments_count, indexed_vectors=info.indexed_vectors_count)
        self.params = self.qe.SearchParams(hnsw_ef=self.p.ef)

    def _query(self, query, k: int, genre: int | None) -> list[int]:
        qe = self.qe
        flt = None if genre is None else qe.Filter(must=[qe.FieldCondition(key="genre", match=qe.MatchValue(f"g{genre}"))])
        return [int(p.id) for p in self.shard.query(qe.QueryRequest(limit=k, query=query, filter=flt, params=self.params))]

    def search(self, q: np.ndarray, k: int) -> list[int]:
        return self._query(self.qe.Query.Nearest(q.tolist(), using="v"), k, None)

    def recommend(self, pos: np.ndarray, neg: np.ndarray, k: int, genre: int | None) -> list[int]:
        query = self.qe.Query.RecommendBestScore(self.qe.RecommendQuery(pos.tolist(), neg.tolist()), using="v")
        return self._query(query, k, genre)

    def save(self) -> None:
        self.shard.flush()

    def close(self) -> None:
        self.shard.close()


class RecsysStore(Engine):
    """The project's own store layer (EdgeBackend) with its defaults: what its checks and
    conversions cost over raw Edge. No HNSW parameters are passed: the store's own apply
    (m=16, ef_construct=100, an indexing threshold of 10 MB of vectors, and searches at its
    ``SEARCH_EF`` of 64, not the ``--ef`` the other engines use)."""

    name = "recsys"
    filter_how = QDRANT_FILTER

    def insert(self) -> None:
        from recsys.store import CollectionSpec, PointRecord, open_backend

        self.backend = open_backend(self.folder / "store")
        self.backend.create_collection(CollectionSpec("bench", {"v": self.data.dim}))
        for start in self.chunks():
            stop = min(self.data.n, start + self.p.batch)
            x = np.asarray(self.data.vectors[start:stop])
            records = [
                PointRecord(
                    str(i), {"v": x[i - start]},
                    {"genres": [f"g{int(self.data.genre[i])}"], "artist": f"a{int(self.data.artist[i])}", "year": int(self.data.year[i])},
                )
                for i in range(start, stop)
            ]
            self.backend.upsert("bench", records)

    def build(self) -> None:
        self.backend.optimize("bench")
        info = self.backend._shard("bench").info()  # the figure the report shows beside raw Edge
        self.notes.update(segments=info.segments_count, indexed_vectors=info.indexed_vectors_count)

    def search(self, q: np.ndarray, k: int) -> list[int]:
        return [int(h.track_id) for h in self.backend.search("bench", q, "v", k)]

    def recommend(self, pos: np.ndarray, neg: np.ndarray, k: int, genre: int | None) -> list[int]:
        from recsys.store import QueryFilter

        flt = None if genre is None else QueryFilter(genres=(f"g{genre}",))
        return [int(h.track_id) for h in self.backend.recommend("bench", list(pos), list(neg), "v", k, flt)]

    def save(self) -> None:
        self.backend.close()  # flushes; the next call reopens the shard

    def close(self) -> None:
        self.backend.close()


class QdrantLocal(Engine):
    """qdrant-client's local mode (``QdrantClient(path=...)``): numpy brute force in Python,
    no index; the same API as a server."""

    name = "qdrant-local"
    recommend_how = "native best-score (numpy, in Python)"
    filter_how = "filter each point in Python, then brute force"

    def insert(self) -> None:
        from qdrant_client import QdrantClient, models

        self.models = models
        self.client = QdrantClient(path=str(self.folder / "local"))
        self.client.create_collection(
            "bench", vectors_config={"v": models.VectorParams(size=self.data.dim, distance=models.Distance.COSINE)}
        )
        for start in self.chunks():
            stop = min(self.data.n, start + self.p.batch)
            x = np.asarray(self.data.vectors[start:stop])
            points = [models.PointStruct(id=i, vector={"v": x[i - start].tolist()}, payload=_payload(self.data, i)) for i in range(start, stop)]
            self.client.upsert("bench", points)

    def _query(self, query, k: int, genre: int | None) -> list[int]:
        m = self.models
        flt = None if genre is None else m.Filter(must=[m.FieldCondition(key="genre", match=m.MatchValue(value=f"g{genre}"))])
        res = self.client.query_points("bench", query=query, using="v", limit=k, query_filter=flt)
        return [int(p.id) for p in res.points]

    def search(self, q: np.ndarray, k: int) -> list[int]:
        return self._query(q.tolist(), k, None)

    def recommend(self, pos: np.ndarray, neg: np.ndarray, k: int, genre: int | None) -> list[int]:
        m = self.models
        query = m.RecommendQuery(
            recommend=m.RecommendInput(positive=pos.tolist(), negative=neg.tolist(), strategy=m.RecommendStrategy.BEST_SCORE)
        )
        return self._query(query, k, genre)

    def save(self) -> None:
        pass  # local mode writes its sqlite file as it goes

    def close(self) -> None:
        self.client.close()


ENGINE_CLASSES: dict[str, type[Engine]] = {
    cls.name: cls for cls in (RawEdge, RecsysStore, QdrantLocal, Faiss, Usearch, Hnswlib, Voyager, ExactNumpy)
}


def available(engine: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(PACKAGES[engine]) is not None

