"""The evaluation protocols.

A (the paper's): rank all tracks by the fused vector; relevant = a track's positives in the
  authors' pairs.json. Two variants: the authors' (L2 distance, the query itself included in
  its own ranking, nDCG's ideal computed over the relevant tracks found in the top 50, as
  torchmetrics does on their top-50 lists) and the clean one (cosine, query excluded, ideal
  DCG over min(k, |relevant|)). The positives are nearest neighbours in the single-modality
  spaces, so A rewards staying close to the inputs: it is circular, and reported as such.
B (held-out genre): 5 folds by track; per fold the graph is rebuilt without the held-out
  tracks' genre edges and re-embedded (our RandNE replaces the published graph vectors,
  which saw every genre), the model sees only training tracks, and each held-out track's
  first genre is predicted by a 10-NN vote among the training tracks.
C (cross-modal): each modality of a track, alone, embedded into the fused space and ranked
  against every track's full fused vector: recall@1/@10 of the track itself, genre P@10.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import networkx as nx
import numpy as np

from recsys.catalog.model import TrackRecord
from recsys.fusion.model import FusionModel
from recsys.encoders.graph import GraphConfig, RandNE, album_node, artist_node, build_graph, remove_genre_edges, track_node
from recsys.modalities import GRAPH
from training.data import ModalityData, l2_rows, tied_scores

# --------------------------------------------------------------------------- metrics


def rank_metrics(
    ranked: Sequence[Sequence[int]],
    relevant: Sequence[set[int] | frozenset[int]],
    k: int = 10,
    ideal: Sequence[int] | None = None,
) -> dict[str, float]:
    """HR@k, P@k, MRR@k and nDCG@k (binary gains), averaged over queries.

    ``ranked[q]``: the ranked result ids of query q (at least k unless fewer exist);
    ``relevant[q]``: its relevant ids; ``ideal[q]``: how many relevant items the ideal
    ranking holds (default ``len(relevant[q])``), capped at k.
    """
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    hr = p = mrr = ndcg = 0.0
    for q, (res, rel) in enumerate(zip(ranked, relevant)):
        hits = np.array([r in rel for r in list(res)[:k]], dtype=bool)
        hr += float(hits.any())
        p += hits.sum() / k
        if hits.any():
            mrr += 1.0 / (int(np.argmax(hits)) + 1)
        n_ideal = min(k, len(rel) if ideal is None else int(ideal[q]))
        if n_ideal > 0:
            ndcg += float((hits * disc[: len(hits)]).sum() / disc[:n_ideal].sum())
    n = max(len(ranked), 1)
    return {"hr": hr / n, "precision": p / n, "mrr": mrr / n, "ndcg": ndcg / n}


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Row-wise indices of the k highest scores, best first (ties: lower index first)."""
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def protocol_a(
    vectors: np.ndarray, relevance: np.ndarray, variant: str = "clean", k: int = 10,
    present: np.ndarray | None = None,
) -> dict[str, float]:
    """Protocol A on one set of vectors. ``relevance`` (n, n) bool: j is a positive of i.
    ``present`` (n,) bool: only these tracks are queries and candidates (a modality's own
    row: a track without the modality would query with a zero vector, its top 10 the first
    rows, and stand among the candidates as one)."""
    if present is not None:
        keep = np.flatnonzero(present)
        vectors, relevance = vectors[keep], relevance[np.ix_(keep, keep)]
    n = vectors.shape[0]
    v = np.asarray(vectors, dtype=np.float64)
    if variant == "authors":
        # exact differences, not |a|^2+|b|^2-2ab: near-duplicate tracks tie with the query
        # at distance ~0 and the expansion's rounding would reorder them
        scores = np.empty((n, n))
        for s in range(0, n, 128):
            scores[s : s + 128] = -np.sqrt(((v[s : s + 128, None, :] - v[None, :, :]) ** 2).sum(-1))
        top50 = _top(scores, 50)
        ideal = np.take_along_axis(relevance, top50, axis=1).sum(axis=1)
    elif variant == "clean":
        u = l2_rows(v).astype(np.float64)
        scores = tied_scores(u, u)
        np.fill_diagonal(scores, -np.inf)
        ideal = None
    else:
        raise ValueError(f"unknown protocol A variant {variant!r}")
    ranked = _top(scores, k)
    relevant = [frozenset(np.flatnonzero(relevance[i]).tolist()) for i in range(n)]
    return rank_metrics(ranked.tolist(), relevant, k, ideal)


# --------------------------------------------------------------------------- genre


def knn_vote(
    train_vectors: np.ndarray, train_labels: Sequence[str], queries: np.ndarray, k: int = 10
) -> list[str]:
    """Majority genre of each query's k nearest training tracks (cosine); ties go to the
    label with the larger summed similarity, then alphabetically (deterministic)."""
    s = tied_scores(l2_rows(queries), l2_rows(train_vectors))
    top = _top(s, k)
    out = []
    for r, row in enumerate(top):
        votes: dict[str, float] = defaultdict(float)
        sims: dict[str, float] = defaultdict(float)
        for j in row:
            votes[train_labels[j]] += 1
            sims[train_labels[j]] += float(s[r, j])
        out.append(min(votes, key=lambda g: (-votes[g], -sims[g], g)))
    return out


def macro_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    """Unweighted mean F1 over the labels seen in truth or prediction (sklearn's 'macro')."""
    labels = sorted(set(y_true) | set(y_pred))
    f1s = []
    for lab in labels:
        tp = sum(t == lab and p == lab for t, p in zip(y_true, y_pred))
        fp = sum(t != lab and p == lab for t, p in zip(y_true, y_pred))
        fn = sum(t == lab and p != lab for t, p in zip(y_true, y_pred))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s)) if f1s else 0.0


#: what protocol B's folds hold out together: single tracks (the paper's), or every track of an
#: artist or of an album (a held-out artist's tracks cannot vote for each other)
FOLD_UNITS = ("track", "artist", "album")


def fold_groups(tracks: Sequence[TrackRecord], by: str) -> list[str] | None:
    """The group of each track that a fold keeps together (None: by track). A track without
    the name is a group of its own, not one "unknown" artist."""
    if by == "track":
        return None
    if by not in FOLD_UNITS:
        raise ValueError(f"unknown fold unit {by!r}; known: {', '.join(FOLD_UNITS)}")
    # the graph's own nodes: tracks that share an artist (or album) node are held out together
    node = artist_node if by == "artist" else album_node
    return [node(t) or track_node(t.track_id) for t in tracks]


def genre_folds(n: int, folds: int = 5, seed: int = 0, groups: Sequence[str] | None = None) -> list[np.ndarray]:
    """Held-out track indices of each fold. By track: a seeded permutation cut in ``folds``
    parts. With ``groups`` (one key per track), each group's tracks fall in one fold: the
    groups in a seeded order, largest first, each to the fold holding fewest tracks so far."""
    if groups is None:
        perm = np.random.default_rng(seed).permutation(n)
        return [np.sort(f) for f in np.array_split(perm, folds)]
    if len(groups) != n:
        raise ValueError(f"{len(groups)} group keys for {n} tracks")
    members: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        members[g].append(i)
    if len(members) < folds:
        raise ValueError(f"{len(members)} groups cannot fill {folds} folds")
    keys = list(members)
    order = np.random.default_rng(seed).permutation(len(keys))
    # stable sort by size: the seeded order breaks ties between groups of one size
    ranked = sorted((keys[i] for i in order), key=lambda g: -len(members[g]))
    held: list[list[int]] = [[] for _ in range(folds)]
    for g in ranked:
        smallest = min(range(folds), key=lambda f: (len(held[f]), f))
        held[smallest].extend(members[g])
    return [np.array(sorted(h), dtype=np.int64) for h in held]


def fold_graph(tracks: Sequence[TrackRecord], held_out: Sequence[str], config: GraphConfig = GraphConfig()) -> nx.Graph:
    """The catalog graph of one fold: every relation, minus the held-out tracks' genre edges."""
    return remove_genre_edges(build_graph(tracks, config), held_out)


def fold_data(data: ModalityData, held_out: np.ndarray, randne: RandNE = RandNE()) -> ModalityData:
    """``data`` with its graph modality replaced by our RandNE of the fold graph, and as its
    label-free alternate the RandNE of the graph without any genre edge (a trainer may swap
    it in so the model cannot learn genre from the edges only training tracks have)."""
    ids = [data.tracks[int(i)].track_id for i in held_out]
    g = fold_graph(data.tracks, ids)
    vectors = randne.embed_tracks(g, data.track_ids)
    label_free = randne.embed_tracks(fold_graph(data.tracks, data.track_ids), data.track_ids)
    return data.with_modality(GRAPH, vectors, randne.name + " (fold graph)", alternate=label_free)


#: a method of protocol B: (fold data, training rows) -> vectors of every track, or a
#: fusion model trained on the training rows (then embedded here, and C measured too)
Method = Callable[[ModalityData, np.ndarray], "np.ndarray | FusionModel"]


@dataclass
class GenreResult:
    accuracy: float
    macro_f1: float
    fold_accuracy: list[float] = field(default_factory=list)
    fold_macro_f1: list[float] = field(default_factory=list)
    seconds: float = 0.0
    #: protocol C on held-out queries (models only): modality -> metric -> value
    cross_modal: dict[str, dict[str, float]] = field(default_factory=dict)
    fold_cross_modal: list[dict[str, dict[str, float]]] = field(default_factory=list)


def protocol_b(
    data: ModalityData,
    methods: Mapping[str, Method],
    folds: int = 5,
    seed: int = 0,
    k: int = 10,
    randne: RandNE = RandNE(),
    progress: Callable[[str], None] | None = None,
    max_folds: int | None = None,
    by: str = "track",
    present: Mapping[str, np.ndarray] | None = None,
) -> dict[str, GenreResult]:
    """Held-out genre accuracy and macro-F1 of each method, mean over folds. Tracks without a
    genre are neither evaluated nor voters (they still train the models: they carry no label).
    ``max_folds``: run only the first folds of the same ``folds``-way split (cheaper runs stay
    comparable with the full one fold by fold). ``by``: what a fold holds out together (see
    ``FOLD_UNITS``). ``present``: method -> (n,) bool, the tracks its vectors describe (a
    modality's own row): the others neither vote nor are evaluated in that row."""
    labels = data.first_genres()
    acc: dict[str, list[float]] = defaultdict(list)
    f1: dict[str, list[float]] = defaultdict(list)
    secs: dict[str, float] = defaultdict(float)
    cross: dict[str, list[dict[str, dict[str, float]]]] = defaultdict(list)
    present = present or {}
    split = genre_folds(data.n, folds, seed, fold_groups(data.tracks, by))
    for f, held in enumerate(split[:max_folds]):
        train = np.setdiff1d(np.arange(data.n), held)
        fd = fold_data(data, held, randne)
        for name, method in methods.items():
            has = present.get(name)
            voters = np.array([i for i in train if labels[i] and (has is None or has[i])], dtype=np.int64)
            queries = np.array([i for i in held if labels[i] and (has is None or has[i])], dtype=np.int64)
            if not len(voters) or not len(queries):
                # a modality few tracks have (a music folder with two tracks' lyrics): none of
                # them with a genre among this fold's training rows, or none held out; nothing
                # votes or nothing is asked, so this fold measures nothing for it
                continue
            truth = [labels[i] for i in queries]
            t0 = time.perf_counter()
            out = method(fd, train)
            if isinstance(out, FusionModel):
                vectors = out.embed(fd.vectors, fd.masks)
                cross[name].append(protocol_c(out, fd, query_rows=held, fused=vectors))
            else:
                vectors = out
            pred = knn_vote(vectors[voters], [labels[i] for i in voters], vectors[queries], k)  # type: ignore[misc]
            acc[name].append(float(np.mean([p == t for p, t in zip(pred, truth)])))
            f1[name].append(macro_f1(truth, pred))
            secs[name] += time.perf_counter() - t0
            if progress:
                progress(f"B fold {f + 1}/{folds} {name}: acc {acc[name][-1]:.3f} ({time.perf_counter() - t0:.1f}s)")
    results = {}
    for name in methods:
        if not acc[name]:  # no fold had both voters and queries for it: no figure, not a NaN
            continue
        results[name] = GenreResult(
            float(np.mean(acc[name])), float(np.mean(f1[name])), acc[name], f1[name], secs[name],
            mean_nested(cross[name]) if cross[name] else {},
            cross[name],
        )
    return results


def mean_nested(items: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for m in items[0]:
        out[m] = {key: float(np.mean([it[m][key] for it in items if m in it])) for key in items[0][m]}
    return out


# --------------------------------------------------------------------------- cross-modal


def protocol_c(
    model: FusionModel,
    data: ModalityData,
    k: int = 10,
    query_rows: np.ndarray | None = None,
    fused: np.ndarray | None = None,
) -> dict[str, dict[str, float]]:
    """Per modality: each query track's vector of that modality alone, fused, ranked against
    all tracks' full fused vectors. recall@1/@k: the track itself comes first / in the top k;
    genre_p@k: share of the top k (itself excluded) sharing its first genre (queries with a
    genre only). Queries lacking the modality are skipped."""
    if fused is None:
        fused = model.embed(data.vectors, data.masks)
    rows = np.arange(data.n) if query_rows is None else np.asarray(query_rows, dtype=np.int64)
    labels = data.first_genres()
    out: dict[str, dict[str, float]] = {}
    for m in model.modalities:
        if m not in data.vectors:
            continue
        q = rows[data.masks[m][rows]]
        if len(q) == 0:
            continue
        z = model.embed({m: data.vectors[m][q]}, {m: np.ones(len(q), dtype=bool)})
        out[m] = _self_retrieval(z, fused, q, labels, k)
    return out


def _self_retrieval(
    queries: np.ndarray, targets: np.ndarray, rows: np.ndarray, labels: Sequence[str | None], k: int
) -> dict[str, float]:
    s = tied_scores(l2_rows(queries), l2_rows(targets))
    top = _top(s, k + 1)
    r1 = float(np.mean(top[:, 0] == rows))
    rk = float(np.mean([r in t[:k] for r, t in zip(rows, top)]))
    gp = []
    for r, t in zip(rows, top):
        if labels[r]:
            others = [j for j in t if j != r][:k]
            gp.append(np.mean([labels[j] == labels[r] for j in others]))
    return {"recall@1": r1, f"recall@{k}": rk, f"genre_p@{k}": float(np.mean(gp)) if gp else float("nan")}


def concat_cross_modal(data: ModalityData, modalities: Sequence[str], k: int = 10) -> dict[str, dict[str, float]]:
    """Protocol C for the untrained concatenation: a one-modality query is the concatenation
    with the other parts zero (its scores are that modality's cosine, scaled)."""
    normed = data.normalised()
    full = l2_rows(np.concatenate([normed[m] for m in modalities], axis=1))
    labels = data.first_genres()
    out = {}
    for m in modalities:
        q = np.flatnonzero(data.masks[m])
        parts = [normed[x][q] if x == m else np.zeros_like(normed[x][q]) for x in modalities]
        out[m] = _self_retrieval(np.concatenate(parts, axis=1), full, q, labels, k)
    return out


def concat_vectors(data: ModalityData, modalities: Sequence[str]) -> np.ndarray:
    """The untrained baseline: the L2-normalised modality vectors side by side."""
    normed = data.normalised()
    return l2_rows(np.concatenate([normed[m] for m in modalities], axis=1))


def genre_counts(data: ModalityData) -> Counter[str]:
    return Counter(g for g in data.first_genres() if g)
