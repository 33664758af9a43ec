"""bench_ann's data: the seeded synthetic vectors and payload, the queries, the exact answers
(Qdrant's best-score recommend computed in numpy) and recall@k. See bench/bench_ann.py."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

N_GENRES = 40
#: vectors are generated in chunks of this many rows (fixed, so the data depends on seed and N only)
CHUNK = 65_536
#: the score every best-score loser gets below every winner (cosine is within [-1, 1])
LOSER_OFFSET = -3.0


@dataclass(frozen=True)
class Params:
    """What every engine is asked to do the same way."""

    k: int = 10
    m: int = 16
    ef_construct: int = 100
    ef: int = 100
    #: candidates per positive example of an emulated recommend, as a multiple of k
    oversample: int = 4
    #: points per insert call
    batch: int = 1000
    #: warm-up queries per kind, not timed
    warmup: int = 5


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class Dataset:
    """The vectors (row i is point i), their payload and the queries, all in one folder."""

    vectors: np.ndarray  # (n, dim) float32, unit rows; a read-only memory map when loaded
    genre: np.ndarray  # (n,) int16, 0..N_GENRES-1
    artist: np.ndarray  # (n,) int32
    year: np.ndarray  # (n,) int16
    queries: np.ndarray  # (q, dim) float32: search queries (not points of the set)
    pos: np.ndarray  # (q, 2) int64: rows of the positive examples of each recommend
    neg: np.ndarray  # (q, 1) int64: rows of the negative example
    qgenre: np.ndarray  # (q,) int16: the genre of each filtered recommend (its first positive's)

    @property
    def n(self) -> int:
        return int(self.vectors.shape[0])

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def pos_vectors(self, i: int) -> np.ndarray:
        return np.asarray(self.vectors[self.pos[i]], dtype=np.float32)

    def neg_vectors(self, i: int) -> np.ndarray:
        return np.asarray(self.vectors[self.neg[i]], dtype=np.float32)


ARRAYS = ("genre", "artist", "year", "queries", "pos", "neg", "qgenre")


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def make_dataset(n: int, dim: int, n_queries: int, seed: int, folder: Path) -> Dataset:
    """Write the seeded data set to ``folder`` (vectors.npy is filled chunk by chunk through a
    memory map, so 1M x 128 needs its 512 MB on disk, not twice that in RAM) and load it."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_clusters = int(min(300, max(8, n // 20)))
    centers = _unit(rng.standard_normal((n_clusters, dim)))
    weights = rng.dirichlet(np.full(n_clusters, 2.0))  # uneven cluster sizes
    cluster_genre = rng.integers(0, N_GENRES, n_clusters)
    spread = 0.8  # noise norm: two points of one cluster have cosine ~ 1 / (1 + spread^2)

    def draw(count: int) -> tuple[np.ndarray, np.ndarray]:
        c = rng.choice(n_clusters, size=count, p=weights)
        noise = rng.standard_normal((count, dim)) * (spread / math.sqrt(dim))
        return _unit(centers[c] + noise), c

    vectors = np.lib.format.open_memmap(folder / "vectors.npy", mode="w+", dtype=np.float32, shape=(n, dim))
    cluster = np.empty(n, dtype=np.int32)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        vectors[start:stop], cluster[start:stop] = draw(stop - start)
    vectors.flush()
    del vectors
    own_genre = rng.random(n) < 0.8  # most points have their cluster's genre, the rest any
    genre = np.where(own_genre, cluster_genre[cluster], rng.integers(0, N_GENRES, n)).astype(np.int16)
    artist = rng.integers(0, max(1, n // 10), n).astype(np.int32)
    year = rng.integers(1960, 2025, n).astype(np.int16)
    queries, _ = draw(n_queries)
    # recommend: two points of one cluster liked, one point of another cluster disliked
    pos = np.empty((n_queries, 2), dtype=np.int64)
    neg = np.empty((n_queries, 1), dtype=np.int64)
    order = np.argsort(cluster, kind="stable")
    bounds = np.searchsorted(cluster[order], np.arange(n_clusters + 1))
    for i in range(n_queries):
        a = int(rng.integers(n))
        members = order[bounds[cluster[a]] : bounds[cluster[a] + 1]]
        pos[i] = (a, int(members[rng.integers(len(members))]))
        b = int(rng.integers(n))
        while cluster[b] == cluster[a] and n_clusters > 1:
            b = int(rng.integers(n))
        neg[i, 0] = b
    qgenre = genre[pos[:, 0]].astype(np.int16)
    for name, arr in zip(ARRAYS, (genre, artist, year, queries, pos, neg, qgenre)):
        np.save(folder / f"{name}.npy", arr)
    return load_dataset(folder)


def load_dataset(folder: Path) -> Dataset:
    arrays = {name: np.load(folder / f"{name}.npy") for name in ARRAYS}
    return Dataset(vectors=np.load(folder / "vectors.npy", mmap_mode="r"), **arrays)


# --------------------------------------------------------------------------- exact answers


def best_score(sims_pos: np.ndarray, sims_neg: np.ndarray) -> np.ndarray:
    """Qdrant's best-score recommend, as an order: a candidate closer to its nearest positive
    than to its nearest negative scores that similarity (Qdrant: sigmoid of it), any other one
    scores below every such candidate, the closer to a negative the lower (Qdrant: minus the
    sigmoid of its negative similarity). Arrays: (..., candidates, examples)."""
    best_pos = sims_pos.max(axis=-1)
    if sims_neg.shape[-1] == 0:
        return best_pos
    best_neg = sims_neg.max(axis=-1)
    return np.where(best_pos > best_neg, best_pos, LOSER_OFFSET - best_neg)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, best first."""
    k = min(k, len(scores))
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def exact_answers(data: Dataset, k: int, chunk: int = 32_768) -> dict[str, np.ndarray]:
    """The exact top-k rows of every search, recommend and filtered recommend, computed in
    one batched pass over the vectors (chunk by chunk: 1M rows never sit in RAM twice)."""
    q = len(data.queries)
    pos = np.stack([data.pos_vectors(i) for i in range(q)])  # (q, 2, dim)
    neg = np.stack([data.neg_vectors(i) for i in range(q)])  # (q, 1, dim)
    best: dict[str, tuple[np.ndarray, np.ndarray]] = {
        kind: (np.full((q, 0), -np.inf, dtype=np.float32), np.zeros((q, 0), dtype=np.int64))
        for kind in ("search", "recommend", "filtered")
    }
    for start in range(0, data.n, chunk):
        x = np.asarray(data.vectors[start : start + chunk], dtype=np.float32)
        rows = np.arange(start, start + len(x))
        s_search = (x @ data.queries.T).T  # (q, c)
        sp = np.einsum("cd,qed->qce", x, pos)  # (q, c, 2)
        sn = np.einsum("cd,qed->qce", x, neg)
        s_rec = best_score(sp, sn)  # (q, c)
        s_flt = np.where(data.genre[start : start + len(x)][None, :] == data.qgenre[:, None], s_rec, -np.inf)
        for kind, scores in (("search", s_search), ("recommend", s_rec), ("filtered", s_flt)):
            old_s, old_i = best[kind]
            all_s = np.concatenate([old_s, scores.astype(np.float32)], axis=1)
            all_i = np.concatenate([old_i, np.broadcast_to(rows, scores.shape)], axis=1)
            keep = np.stack([top_k(all_s[i], k) for i in range(q)])
            best[kind] = (np.take_along_axis(all_s, keep, 1), np.take_along_axis(all_i, keep, 1))
    out = {}
    for kind, (scores, ids) in best.items():
        # a filtered recommend whose genre has fewer than k points: only the real matches
        out[kind] = np.where(np.isfinite(scores), ids, -1)
    return out


def recall_at_k(found: list[list[int]], truth: np.ndarray) -> float:
    """Mean over queries of |found ∩ exact| / |exact| (exact rows of -1 are padding)."""
    total = 0.0
    for got, want in zip(found, truth):
        want_set = {int(w) for w in want if w >= 0}
        if want_set:
            total += len(want_set & {int(g) for g in got}) / len(want_set)
        else:
            total += 1.0
    return total / max(1, len(found))


