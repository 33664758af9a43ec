"""Which fused vector at scale (issue 10): the concatenation of today, compact projections of it
(PCA, seeded random), the trained model's 128-d output, and Qdrant's prefetch + score fusion of
the per-modality searches (no fused vector at all), measured on one table:

    .venv/bin/python bench/bench_fused.py                    # everything (~5 min on 2 busy cores)
    .venv/bin/python bench/bench_fused.py --no-train --sample-tracks 0 --edge-queries 100   # quick
    .venv/bin/python bench/bench_fused.py --latency-only --latency-tracks 30000          # Edge HNSW build + latency

Columns: Fairouz protocol A, both variants, as bench/fairouz_results.py reports them (clean:
cosine, query excluded; authors': L2, the query ranks itself first, nDCG's ideal over the top
50). Protocol A is circular (its positives are single-modality nearest neighbours), so it
rewards staying close to the inputs; hence also "concat kept": the share of the concat's
top 10 each variant keeps. Genre agreement@10 = the share of a track's 10 nearest neighbours
(itself excluded) that share a genre with it, over the tracks with a genre, on three data sets
whose graph vectors carry no genre edge (the README's second trap):

- Fairouz, with the published graph vectors replaced by our RandNE of the graph without any
  genre edge;
- synthetic: per-modality vectors at the default encoders' dims (text 1024, image 512, audio
  128, graph 128) drawn from a known genre / artist structure with genre-irrelevant nuisance
  factors and noise (``synthetic_catalog``; 6% of the tracks lack text);
- the sample catalog (``write_sample_catalog``) ingested with the tiny deterministic
  encoders of tests/support/tiny_encoders.py (text 64, image 48, audio 24 dims) through the
  real ingest pipeline into an embedded store; graph: our RandNE without genre edges.

PCA rows are fitted on the evaluated collection itself (what an ingest would do with a seeded
sample of it); "block-PCA" fits each modality block apart (recsys.fusion.projection,
``per_block``). "C self R@10": protocol C, each track's one modality alone (a one-modality
query as the Fuser builds it: the concat with the other blocks zero), mapped, finds the track
itself among the top 10 of all 822 fused vectors (t/i/a/g = text/image/audio/graph); a
prefetch fusion answers it with that modality's own search. "prefetch" rows are computed exactly in numpy the way Qdrant fuses (RRF: a
point at 0-based position p of a prefetch list scores 1/(k + p), summed over lists; DBSF:
each list's scores mapped by mean +- 3 sample std to [0, 1], summed; a query lacking a
modality sends no prefetch for it, a track lacking it is in no such list) and checked against
a real Qdrant Edge shard holding the 822 Fairouz tracks (the paragraph after the table).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recsys.errors import RecsysError  # noqa: E402
from recsys.fusion.projection import FusedProjection  # noqa: E402
from recsys.modalities import AUDIO, GRAPH, IMAGE, MODALITIES, TEXT  # noqa: E402
from training.data import DEFAULT_FAIROUZ, l2_rows, load_fairouz, our_graph_vectors  # noqa: E402
from training.evaluate import protocol_a, rank_metrics  # noqa: E402
from training.pairs import relevance_from_json  # noqa: E402

K = 10
TOP = 50  # the authors' nDCG ideal counts the relevant found in the top 50
CLEAN_KEYS = ("hr", "precision", "mrr", "ndcg")


# --------------------------------------------------------------------------- data sets


@dataclass
class Dataset:
    """Row i of every matrix is one track; missing modalities are zero rows, mask False."""

    name: str
    normed: dict[str, np.ndarray]
    masks: dict[str, np.ndarray]
    genres: list[frozenset[str]]
    relevance: np.ndarray | None = None  # protocol A's truth (Fairouz only)
    #: the trained fusion model and the ModalityData it embeds (Fairouz A only)
    model: Any = None  # FusionModel
    model_data: Any = None  # training.data.ModalityData

    @property
    def n(self) -> int:
        return len(self.genres)

    @property
    def modalities(self) -> list[str]:
        return [m for m in MODALITIES if m in self.normed]

    def concat(self) -> np.ndarray:
        """Today's fused vector: the L2-normalised blocks side by side, L2-normalised
        (recsys.fusion.fuser.concat_vector, row-wise)."""
        return l2_rows(np.concatenate([self.normed[m] for m in self.modalities], axis=1))


def fairouz_sets(folder: Path, train: bool, threads: int, log: Callable[[str], None]) -> tuple[Dataset, Dataset]:
    """(protocol A set: published graph vectors; genre set: graph without genre edges)."""
    data = load_fairouz(folder)
    rel = relevance_from_json(folder / "pairs.json", data.track_ids)
    genres = [frozenset(t.genres) for t in data.tracks]
    a = Dataset("fairouz", data.normalised(), {m: np.asarray(v) for m, v in data.masks.items()}, genres, rel)
    if train:
        import torch

        from training.train import TrainConfig, train_fusion

        torch.set_num_threads(threads)
        log("training the default (binding) fusion model on Fairouz")
        t0 = time.perf_counter()
        model, hist = train_fusion(data, TrainConfig(threads=threads), "cpu")
        a.model, a.model_data = model, data
        log(f"trained in {time.perf_counter() - t0:.1f} s, {len(hist.epochs)} epochs")
    label_free = our_graph_vectors(data.tracks, hide_genres_of=data.track_ids)
    g = data.with_modality(GRAPH, label_free, "randne (no genre edges)")
    b = Dataset("fairouz-genre", g.normalised(), {m: np.asarray(v) for m, v in g.masks.items()}, genres)
    return a, b


def synthetic_catalog(n: int = 2000, genres: int = 8, seed: int = 0) -> Dataset:
    """Per-modality vectors with a known structure, at the default encoders' dims.

    Each track has a genre (8) and an artist (3 per genre). Per modality: a latent vector =
    genre centre * g + artist centre * a + nuisance factors (4 genre-irrelevant axes with a
    large spread: loudness, brightness...) + track noise with a decaying spectrum, mapped by
    a random orthonormal basis into the modality's space, plus a direction every track shares
    (real embeddings are anisotropic) and a little isotropic noise. The genre weight differs
    per modality (audio strongest, graph weakest: without genre edges a graph knows artists
    and albums, not genres); 6% of the tracks have no text."""
    rng = np.random.default_rng(seed)
    # modality -> (dim, latent rank, genre weight, artist weight, shared offset)
    # (weights tuned so that one modality alone reaches 0.42-0.62 genre agreement@10 and
    # the concatenation ~0.7: far from both chance, 0.125, and a solved task)
    spec = {
        TEXT: (1024, 48, 0.35, 0.3, 2.0),
        IMAGE: (512, 48, 0.25, 0.4, 2.5),
        AUDIO: (128, 32, 0.45, 0.3, 1.5),
        GRAPH: (128, 24, 0.1, 0.6, 0.5),
    }
    genre = rng.integers(0, genres, size=n)
    artist = genre * 3 + rng.integers(0, 3, size=n)
    normed, masks = {}, {}
    for m, (dim, rank, gw, aw, offset) in spec.items():
        basis = np.linalg.qr(rng.standard_normal((dim, rank)))[0]
        g_c = rng.standard_normal((genres, rank))
        a_c = rng.standard_normal((genres * 3, rank))
        nuisance = np.zeros((n, rank))
        nuisance[:, :4] = rng.standard_normal((n, 4)) * 2.0
        spectrum = 1.0 / np.sqrt(np.arange(1, rank + 1))
        latent = gw * g_c[genre] + aw * a_c[artist] + nuisance + rng.standard_normal((n, rank)) * spectrum
        shared = rng.standard_normal(dim)
        x = latent @ basis.T + offset * shared / np.linalg.norm(shared) * np.sqrt(rank)
        x += 0.5 * rng.standard_normal((n, dim))
        mask = np.ones(n, dtype=bool) if m != TEXT else rng.random(n) >= 0.06
        x[~mask] = 0.0
        normed[m], masks[m] = l2_rows(x), mask
    return Dataset("synthetic", normed, masks, [frozenset({f"genre{g}"}) for g in genre])


def tiny_sample_catalog(n: int, seed: int, workdir: Path, log: Callable[[str], None]) -> Dataset:
    """The sample catalog, ingested with the tiny test encoders; graph without genre edges."""
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.catalog import read_catalog
    from recsys.catalog.sample.generator import write_sample_catalog
    from recsys.store import open_backend
    from tests.support.tiny_encoders import TINY, register_tiny_encoders

    register_tiny_encoders()
    log(f"writing a {n}-track sample catalog and ingesting it with the tiny encoders")
    manifest = write_sample_catalog(workdir / "catalog", n_tracks=n, seed=seed)
    cat = read_catalog(manifest.parent, cover_cache=workdir / "covers")
    backend = open_backend(workdir / "store")
    try:
        ingest_catalog(cat, backend, IngestOptions(collection="sample", **TINY))
        points = {p.track_id: p for p in backend.scroll("sample", with_vectors=True)}
    finally:
        backend.close()
    tracks = list(cat.tracks)
    normed, masks = {}, {}
    for m in (TEXT, IMAGE, AUDIO):
        dim = next(len(p.vectors[m]) for p in points.values() if m in p.vectors)
        x = np.zeros((len(tracks), dim), dtype=np.float32)
        for i, t in enumerate(tracks):
            v = points[t.track_id].vectors.get(m)
            if v is not None:
                x[i] = v
        normed[m] = l2_rows(x)
        masks[m] = np.abs(x).sum(axis=1) > 0
    graph = our_graph_vectors(tracks, hide_genres_of=[t.track_id for t in tracks])
    normed[GRAPH], masks[GRAPH] = l2_rows(graph), np.abs(graph).sum(axis=1) > 0
    return Dataset("sample", normed, masks, [frozenset(t.genres) for t in tracks])


# --------------------------------------------------------------------------- variants


#: a compact fused vector made for one data set from its concat vectors: a map concat rows ->
#: fused rows (the same map serves the tracks and one-modality queries)
Transform = Callable[[np.ndarray], np.ndarray]
VectorVariant = Callable[[Dataset, np.ndarray], Transform]
TRAINED = "trained binding (128)"


def vector_variants() -> dict[str, VectorVariant]:
    def pca(d: int, centre: bool, per_block: bool) -> VectorVariant:
        def make(ds: Dataset, c: np.ndarray) -> Transform:
            parts = [(m, ds.normed[m].shape[1]) for m in ds.modalities]
            return FusedProjection.fit_pca(c, d, centre=centre, seed=0, parts=parts, per_block=per_block).project

        return make

    def rand(d: int) -> VectorVariant:
        return lambda ds, c: FusedProjection.random(c.shape[1], d, seed=0).project

    out: dict[str, VectorVariant] = {"concat (today)": lambda ds, c: l2_rows}
    for per_block in (False, True):
        for d in (128, 256):
            for centre in (True, False):
                name = f"{'block-' if per_block else ''}PCA-{d}, {'centred' if centre else 'uncentred'}"
                out[name] = pca(d, centre, per_block)
    for d in (128, 256):
        out[f"random-{d}"] = rand(d)
    return out


def one_modality_recall(ds: Dataset, transform: Transform, fused: np.ndarray, k: int = K) -> dict[str, float]:
    """Protocol C for a map of the concat: each track's one modality alone (its concat with
    the other blocks zero, as ``concat_vector`` builds a one-modality query), mapped, ranked
    against every track's fused vector: recall@k of the track itself."""
    full = l2_rows(fused)
    out = {}
    for m in ds.modalities:
        q = np.flatnonzero(ds.masks[m])
        parts = [ds.normed[x][q] if x == m else np.zeros_like(ds.normed[x][q]) for x in ds.modalities]
        z = l2_rows(transform(l2_rows(np.concatenate(parts, axis=1))))
        top = np.argsort(-(z @ full.T), axis=1, kind="stable")[:, :k]
        out[m] = float(np.mean([r in t for r, t in zip(q, top)]))
    return out


@dataclass(frozen=True)
class PrefetchFusion:
    """Per-modality nearest-neighbour searches (top ``limit`` each) fused by Qdrant."""

    method: str  # "rrf" | "dbsf"
    limit: int
    k: int = 60  # RRF's k

    @property
    def name(self) -> str:
        return f"prefetch L={self.limit}, RRF k={self.k}" if self.method == "rrf" else f"prefetch L={self.limit}, DBSF"


def modality_lists(ds: Dataset, limit: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """modality -> (ids (n, L), cosine scores (n, L)): each track's top ``limit`` among the
    tracks having that modality (itself included), best first, ties by row; rows of tracks
    lacking it are -1."""
    out = {}
    for m in ds.modalities:
        v, mask = ds.normed[m], ds.masks[m]
        s = v @ v.T
        s[:, ~mask] = -np.inf
        ids = np.argsort(-s, axis=1, kind="stable")[:, :limit]
        sc = np.take_along_axis(s, ids, axis=1)
        ids = np.where(np.isfinite(sc), ids, -1)
        ids[~mask] = -1
        out[m] = (ids, sc)
    return out


def fuse(lists: Sequence[tuple[np.ndarray, np.ndarray]], n: int, f: PrefetchFusion) -> np.ndarray:
    """(n,) fused score of every track from one query's prefetch results (ids, scores),
    each best first, the way Qdrant fuses them; NaN where no list holds the track."""
    total = np.full(n, np.nan)
    for row, s in lists:
        if len(row) == 0:
            continue
        if f.method == "rrf":
            # qdrant lib/segment/src/common/reciprocal_rank_fusion.rs: 1 / (position + k)
            contrib = 1.0 / (f.k + np.arange(len(row)))
        elif len(row) == 1:
            contrib = np.array([0.5])
        else:
            # qdrant lib/segment/src/common/score_fusion.rs (distr_norm): mean +- 3 sample std
            mu, sd = s.mean(), s.std(ddof=1)
            lo, hi = mu - 3 * sd, mu + 3 * sd
            contrib = np.full(len(row), 0.5) if hi == lo else (s - lo) / (hi - lo)
        total[row] = np.where(np.isnan(total[row]), 0.0, total[row]) + contrib
    return total


def query_lists(lists: Mapping[str, tuple[np.ndarray, np.ndarray]], q: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Query q's prefetch results; none for a modality it lacks (no prefetch is sent)."""
    out = []
    for ids, sc in lists.values():
        keep = ids[q] >= 0
        if keep.any():
            out.append((ids[q][keep], sc[q][keep]))
    return out


def fused_scores(lists: Mapping[str, tuple[np.ndarray, np.ndarray]], q: int, n: int, f: PrefetchFusion) -> np.ndarray:
    return fuse(query_lists(lists, q), n, f)


def fused_ranking(scores: np.ndarray, exclude: int | None) -> np.ndarray:
    """Row ids by fused score, best first, ties by row; tracks in no list left out."""
    s = np.where(np.isnan(scores), -np.inf, scores)
    if exclude is not None:
        s[exclude] = -np.inf
    order = np.argsort(-s, kind="stable")
    return order[np.isfinite(s[order])]


def prefetch_rankings(ds: Dataset, f: PrefetchFusion, with_self: bool) -> list[np.ndarray]:
    lists = modality_lists(ds, f.limit)
    return [fused_ranking(fused_scores(lists, q, ds.n, f), None if with_self else q) for q in range(ds.n)]


# --------------------------------------------------------------------------- metrics


def vector_rankings(vectors: np.ndarray, top: int = TOP) -> list[np.ndarray]:
    """Cosine ranking of every track for every query, itself excluded (top ``top``)."""
    u = l2_rows(vectors).astype(np.float64)
    s = u @ u.T
    np.fill_diagonal(s, -np.inf)
    return list(np.argsort(-s, axis=1, kind="stable")[:, :top])


def protocol_a_ranked(clean: list[np.ndarray], with_self: list[np.ndarray], rel: np.ndarray) -> tuple[dict, dict]:
    """Protocol A from ranked lists (for fusions that have no vector): the clean variant
    (itself excluded) and the authors' (itself included, nDCG ideal over the top 50)."""
    relevant = [frozenset(np.flatnonzero(rel[i]).tolist()) for i in range(len(rel))]
    c = rank_metrics([r[:K].tolist() for r in clean], relevant, K)
    ideal = [int(rel[i, r[:TOP]].sum()) for i, r in enumerate(with_self)]
    a = rank_metrics([r[:K].tolist() for r in with_self], relevant, K, ideal)
    return c, a


def genre_agreement(rankings: Sequence[np.ndarray], genres: Sequence[frozenset[str]], k: int = K) -> float:
    shares = [
        np.mean([bool(genres[j] & genres[q]) for j in r[:k]]) for q, r in enumerate(rankings) if genres[q]
    ]
    return float(np.mean(shares))


def kept(rankings: Sequence[np.ndarray], reference: Sequence[np.ndarray], k: int = K) -> float:
    return float(np.mean([len(set(r[:k].tolist()) & set(ref[:k].tolist())) / k for r, ref in zip(rankings, reference)]))


# --------------------------------------------------------------------------- Edge check


def edge_check(ds: Dataset, fusions: Sequence[PrefetchFusion], queries: int, limit: int = TOP) -> list[str]:
    """The same prefetch + fusion through a real Qdrant Edge shard (exact search: the shard is
    never optimised). Per query, Edge's own per-modality results (one plain search per
    prefetch) are fused in numpy and compared with Edge's fused answer: ids in the same
    order, or in an order that differs only among equal fused scores, and the largest
    score difference. Also: how often Edge's per-modality lists differ from numpy's only by
    the order of tied scores (Fairouz has duplicate covers and songs), and how often the
    fused top 10 (itself excluded) is the same set as the table's emulation; with every track
    queried, protocol A (clean) on Edge's own fused answers."""
    import qdrant_edge as qe

    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-fused-edge-") as tmp:
        config = qe.EdgeConfig(
            vectors={m: qe.EdgeVectorParams(size=ds.normed[m].shape[1], distance=qe.Distance.Cosine) for m in ds.modalities}
        )
        shard = qe.EdgeShard.create(str(Path(tmp) / "shard"), config)
        try:
            points = [
                qe.Point(i, {m: ds.normed[m][i].tolist() for m in ds.modalities if ds.masks[m][i]}, {})
                for i in range(ds.n)
            ]
            for s in range(0, len(points), 256):
                shard.update(qe.UpdateOperation.upsert_points(points[s : s + 256]))
            rows = np.linspace(0, ds.n - 1, min(queries, ds.n)).astype(int)
            for f in fusions:
                ours_lists = modality_lists(ds, f.limit)
                same_order = same_up_to_ties = lists_exact = lists_ties = top_same = 0
                worst = 0.0
                n_lists = 0
                t = 0.0
                edge_clean, edge_self = [], []
                for q in rows:
                    q = int(q)
                    present = [m for m in ds.modalities if ds.masks[m][q]]
                    edge_lists = []
                    for m in present:
                        hits = shard.query(qe.QueryRequest(limit=f.limit, query=qe.Query.Nearest(ds.normed[m][q].tolist(), using=m)))
                        ids = np.array([int(p.id) for p in hits])
                        sc = np.array([float(p.score) for p in hits])
                        edge_lists.append((ids, sc))
                        mine_ids, mine_sc = ours_lists[m][0][q], ours_lists[m][1][q]
                        n_lists += 1
                        lists_exact += np.array_equal(ids, mine_ids)
                        lists_ties += len(ids) == len(mine_ids) and bool(np.allclose(sc, mine_sc, atol=1e-5))
                    pre = [qe.Prefetch(limit=f.limit, query=qe.Query.Nearest(ds.normed[m][q].tolist(), using=m)) for m in present]
                    fusion = qe.Fusion.Rrf(k=f.k) if f.method == "rrf" else qe.Fusion.Dbsf()
                    t0 = time.perf_counter()
                    got = shard.query(qe.QueryRequest(limit=limit, prefetches=pre, query=fusion))
                    t += time.perf_counter() - t0
                    ids = [int(p.id) for p in got]
                    edge_scores = np.array([float(p.score) for p in got])
                    mine = fuse(edge_lists, ds.n, f)
                    ranked = fused_ranking(mine, None)[:limit]
                    diff = float(np.max(np.abs(edge_scores - mine[ids])))
                    worst = max(worst, diff)
                    same_order += ids == ranked.tolist()
                    # Edge sums in float32: DBSF's normalised scores (~1 each) differ in the 6th digit
                    same_up_to_ties += diff < 5e-5 and bool(np.allclose(edge_scores, mine[ranked], atol=5e-5))
                    edge_self.append(np.array(ids))
                    edge_clean.append(np.array([i for i in ids if i != q]))
                    table = fused_ranking(fused_scores(ours_lists, q, ds.n, f), q)[:K]
                    top_same += set(table.tolist()) == set([i for i in ids if i != q][:K])
                lines.append(
                    f"- {f.name}: {len(rows)} queries, Edge shard of {ds.n} points, top {limit}. Fusing Edge's own "
                    f"per-modality results in numpy gives Edge's fused ids in the same order for {same_order}, the same "
                    f"up to the order of equal fused scores for {same_up_to_ties}; largest |Edge - numpy| fused score "
                    f"{worst:.1e}. Edge's per-modality lists equal numpy's {lists_exact}/{n_lists}, up to the order of "
                    f"tied scores {lists_ties}/{n_lists}. Fused top 10 (itself excluded) = the table's: {top_same}/{len(rows)}. "
                    f"{1000 * t / len(rows):.2f} ms a fused query ({len(ds.modalities)} prefetches, exact search)."
                )
                if ds.relevance is not None and len(rows) == ds.n:
                    c, a = protocol_a_ranked(edge_clean, edge_self, ds.relevance)
                    lines[-1] += (
                        " Protocol A on Edge's answers: clean " + " / ".join(f"{k} {_f(c[k])}" for k in CLEAN_KEYS)
                        + "; authors' " + " / ".join(f"{k} {_f(a[k])}" for k in CLEAN_KEYS) + "."
                    )
        finally:
            shard.close()
    return lines


def latency_check(n: int, queries: int, log: Callable[[str], None]) -> list[str]:
    """HNSW build time and query latency through Qdrant Edge on ``n`` synthetic tracks, with
    the store's HNSW parameters (m 16, ef_construct 100, search ef 128): one shard holding a
    128-d fused vector (block-PCA of the concat), one holding the four modality vectors that
    a prefetch fusion searches. p50 / p95 of single queries, one at a time."""
    import qdrant_edge as qe

    from recsys.store.edge_config import HNSW_EF_CONSTRUCT, HNSW_FULL_SCAN_KB, HNSW_M, SEARCH_EF

    ds = synthetic_catalog(n, seed=1)
    parts = [(m, ds.normed[m].shape[1]) for m in ds.modalities]
    concat = ds.concat()
    fused = FusedProjection.fit_pca(concat, 128, centre=True, parts=parts, per_block=True).project(concat)
    del concat
    hnsw = qe.HnswIndexConfig(m=HNSW_M, ef_construct=HNSW_EF_CONSTRUCT, full_scan_threshold=HNSW_FULL_SCAN_KB)
    rows = np.linspace(0, n - 1, queries).astype(int)
    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-fused-latency-") as tmp:
        for name, vectors in (("fused 128-d", {"fused": fused}), ("4 modality vectors", {m: ds.normed[m] for m in ds.modalities})):
            config = qe.EdgeConfig(
                vectors={v: qe.EdgeVectorParams(size=x.shape[1], distance=qe.Distance.Cosine) for v, x in vectors.items()},
                hnsw_config=hnsw,
            )
            shard = qe.EdgeShard.create(str(Path(tmp) / name.replace(" ", "-")), config)
            try:
                for s in range(0, n, 512):
                    pts = [
                        qe.Point(i, {v: x[i].tolist() for v, x in vectors.items() if np.any(x[i])}, {})
                        for i in range(s, min(n, s + 512))
                    ]
                    shard.update(qe.UpdateOperation.upsert_points(pts))
                log(f"latency: building HNSW for {name} ({n} points)")
                t0 = time.perf_counter()
                shard.optimize()
                build = time.perf_counter() - t0
                params = qe.SearchParams(hnsw_ef=SEARCH_EF)
                if "fused" in vectors:
                    reqs = {
                        "search k=10": [
                            qe.QueryRequest(limit=K, query=qe.Query.Nearest(fused[q].tolist(), using="fused"), params=params)
                            for q in rows
                        ]
                    }
                else:
                    reqs = {}
                    for limit in (50, 100):
                        ef = qe.SearchParams(hnsw_ef=max(SEARCH_EF, limit))
                        reqs[f"prefetch L={limit} + RRF, k=10"] = [
                            qe.QueryRequest(
                                limit=K,
                                prefetches=[
                                    qe.Prefetch(limit=limit, query=qe.Query.Nearest(ds.normed[m][q].tolist(), using=m), params=ef)
                                    for m in ds.modalities
                                    if ds.masks[m][q]
                                ],
                                query=qe.Fusion.Rrf(k=60),
                            )
                            for q in rows
                        ]
                    reqs["text alone k=10"] = [
                        qe.QueryRequest(limit=K, query=qe.Query.Nearest(ds.normed[TEXT][q].tolist(), using=TEXT), params=params)
                        for q in rows
                        if ds.masks[TEXT][q]
                    ]
                timings = []
                for what, batch in reqs.items():
                    for r in batch[:10]:
                        shard.query(r)  # warm-up: page cache, allocator
                    times = []
                    for r in batch:
                        t0 = time.perf_counter()
                        shard.query(r)
                        times.append(time.perf_counter() - t0)
                    timings.append(f"{what}: p50 {1000 * np.median(times):.2f} ms, p95 {1000 * np.percentile(times, 95):.2f} ms")
                dims = sum(x.shape[1] for x in vectors.values())
                lines.append(f"- {name} ({dims} dims in all), {n} points: HNSW build (optimize) {build:.1f} s; " + "; ".join(timings) + ".")
            finally:
                shard.close()
    return lines


# --------------------------------------------------------------------------- main


def _f(x: float | None) -> str:
    return "n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fairouz", type=Path, default=DEFAULT_FAIROUZ)
    ap.add_argument("--threads", type=int, default=2, help="torch CPU threads (training)")
    ap.add_argument("--no-train", action="store_true", help="leave out the trained model's row")
    ap.add_argument("--synthetic-tracks", type=int, default=2000)
    ap.add_argument("--sample-tracks", type=int, default=300, help="0 leaves out the sample-catalog column")
    ap.add_argument("--edge-queries", type=int, default=822, help="Fairouz queries checked through Qdrant Edge (0: none)")
    ap.add_argument("--latency-tracks", type=int, default=0, help="also time HNSW build and queries through Edge on this many synthetic tracks")
    ap.add_argument("--latency-only", action="store_true", help="only the latency check")
    args = ap.parse_args(argv)
    if not (args.fairouz / "ids.json").is_file():
        print(f"error: {args.fairouz} is not the Fairouz folder (set RECSYS_FAIROUZ)", file=sys.stderr)
        return 2
    t_start = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:6.1f}s] {msg}", file=sys.stderr, flush=True)

    if args.latency_only:
        for line in latency_check(args.latency_tracks or 30_000, 200, log):
            print(line)
        return 0
    fa, fg = fairouz_sets(args.fairouz, not args.no_train, args.threads, log)
    genre_sets = [fg]
    if args.synthetic_tracks:
        genre_sets.append(synthetic_catalog(args.synthetic_tracks))
    tmp_ctx = tempfile.TemporaryDirectory(prefix="bench-fused-")
    try:
        if args.sample_tracks:
            genre_sets.append(tiny_sample_catalog(args.sample_tracks, 0, Path(tmp_ctx.name), log))
    finally:
        tmp_ctx.cleanup()

    fusions = [PrefetchFusion("rrf", 50), PrefetchFusion("rrf", 100), PrefetchFusion("rrf", 100, k=2), PrefetchFusion("dbsf", 100)]
    concat_a = fa.concat()
    ref_clean = vector_rankings(concat_a)
    concat_dims = concat_a.shape[1]
    # sanity: the ranked-list path reproduces training.evaluate.protocol_a on the concat
    check = protocol_a_ranked(ref_clean, [np.concatenate([[i], r]) for i, r in enumerate(ref_clean)], fa.relevance)
    for variant, got in zip(("clean", "authors"), check):
        want = protocol_a(concat_a, fa.relevance, variant)
        if any(abs(got[key] - want[key]) > 1e-9 for key in CLEAN_KEYS):
            raise SystemExit(f"ranked-list protocol A differs from training.evaluate.protocol_a ({variant}): {got} vs {want}")

    rows = []
    genre_names = [ds.name for ds in genre_sets]

    def row(name: str, dims: str, nbytes: str, a_clean: dict, a_auth: dict, kept_share: float,
            c: Mapping[str, float] | None, genre: Sequence[float | None]) -> list[str]:
        c_cell = "/".join(_f(c[m]).lstrip("0") or "0" for m in fa.modalities) if c else "n/a"
        return [name, dims, nbytes, *(_f(a_clean[k]) for k in CLEAN_KEYS), *(_f(a_auth[k]) for k in CLEAN_KEYS),
                _f(kept_share), c_cell, *(_f(g) for g in genre)]

    for name, make in vector_variants().items():
        log(f"variant {name}")
        transform = make(fa, concat_a)
        z = transform(concat_a)
        genre = []
        for ds in genre_sets:
            c = ds.concat()
            try:
                genre.append(genre_agreement(vector_rankings(make(ds, c)(c)), ds.genres))
            except RecsysError as exc:  # e.g. a PCA wider than a small set has tracks
                log(f"{name} on {ds.name}: {exc}")
                genre.append(None)
        rows.append(row(name, str(z.shape[1]), str(4 * z.shape[1]), protocol_a(z, fa.relevance, "clean"),
                        protocol_a(z, fa.relevance, "authors"), kept(vector_rankings(z), ref_clean),
                        one_modality_recall(fa, transform, z), genre))
    if fa.model is not None:
        log(f"variant {TRAINED}")
        from training.evaluate import protocol_c

        z = fa.model.embed(fa.model_data.vectors, fa.model_data.masks)
        c = {m: r["recall@10"] for m, r in protocol_c(fa.model, fa.model_data, fused=z).items()}
        # trained on every Fairouz track's genre (and the published, genre-leaking graph): no
        # honest genre figure on Fairouz; the other sets would need their own training
        rows.append(row(TRAINED, "128", "512", protocol_a(z, fa.relevance, "clean"), protocol_a(z, fa.relevance, "authors"),
                        kept(vector_rankings(z), ref_clean), c, [None] * len(genre_sets)))
    for f in fusions:
        log(f"variant {f.name}")
        clean, with_self = prefetch_rankings(fa, f, False), prefetch_rankings(fa, f, True)
        a_clean, a_auth = protocol_a_ranked(clean, with_self, fa.relevance)
        genre = [genre_agreement(prefetch_rankings(ds, f, False), ds.genres) for ds in genre_sets]
        # a one-modality query is that modality's own search: nothing to fuse
        rows.append(row(f.name, "none (4 searches)", "0", a_clean, a_auth, kept(clean, ref_clean), None, genre))

    header = ["fused variant", "dims", "bytes/track", "A HR@10", "A P@10", "A MRR@10", "A nDCG@10",
              "authors' HR@10", "P@10", "MRR@10", "nDCG@10", "concat top-10 kept",
              "C self R@10 " + "/".join(m[0] for m in fa.modalities),
              *(f"genre agr@10 {n}" for n in genre_names)]
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    sizes = ", ".join(f"{ds.name} {ds.n} tracks, {ds.concat().shape[1]}-d concat" for ds in genre_sets)
    print(f"Genre sets: {sizes}. Fairouz A: {fa.n} tracks, {concat_dims}-d concat (published graph vectors).")
    if args.edge_queries:
        log("checking the prefetch fusion through Qdrant Edge")
        for line in edge_check(fa, fusions, args.edge_queries):
            print(line)
    if args.latency_tracks:
        print()
        for line in latency_check(args.latency_tracks, 200, log):
            print(line)
    print(
        f"\nCommand: `.venv/bin/python bench/bench_fused.py {' '.join(sys.argv[1:])}`; {platform.machine()}, "
        f"{os.cpu_count()} cores, {time.perf_counter() - t_start:.0f} s ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
