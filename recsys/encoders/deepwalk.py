"""DeepWalk graph embedding: weighted random walks on the catalog graph, trained with gensim's
skip-gram Word2Vec (Perozzi et al., KDD 2014), the random-walk family the paper compared
against RandNE.

How it differs from our RandNE (``recsys.encoders.graph``), which the ingest uses by default:

- **Not id-stable across retrains.** Word2Vec's space is learnt: any change to the graph (or
  to the walks) gives a new, rotated space. The seed fixes the result for one graph and one
  config (with ``workers=1``; gensim's threads race otherwise), not across graphs.
- **Incremental by neighbour averaging.** A fitted model keeps its vectors. A node it was not
  trained on gets the edge-weighted mean of its neighbours' vectors, those neighbours being
  trained nodes or nodes filled in the round before (``max_hops`` rounds), which places a new
  track beside its artist, album and genre without moving anything else. Trained nodes keep
  their trained vectors even if their edges changed since. After many additions, ``fit`` again
  and re-embed *every* track: old and new vectors from two trainings must not be mixed.
- **Needs the model kept.** ``save``/``load`` persist the trained vectors; a fresh process
  that calls ``embed_tracks`` on an unfitted model trains on the graph it is given.

Nodes that no walk reaches and no neighbour explains (isolated, or too far from trained
nodes) get a zero vector, as RandNE gives an isolated node.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import networkx as nx
import numpy as np

from recsys.encoders.graph import GraphEncoder, graph_digest, track_node


def _stable_hash(text: str) -> int:
    # gensim seeds each word's initial vector with hash(word + seed); Python's str hash changes
    # per process (PYTHONHASHSEED), which would make "same seed, same vectors" false.
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")


@dataclass
class DeepWalk:
    """Weighted DeepWalk: ``walks_per_node`` walks of ``walk_length`` nodes from every node, each
    step to a neighbour with probability proportional to the edge weight (so playlist and tag
    weights count), then skip-gram with negative sampling over the walks."""

    dim: int = 128
    walk_length: int = 40
    walks_per_node: int = 10
    window: int = 5
    epochs: int = 5
    negative: int = 5
    seed: int = 42
    workers: int = 1  # >1 trains faster but is no longer reproducible
    max_hops: int = 2  # neighbour-averaging rounds for nodes the model was not trained on
    _vectors: dict[str, np.ndarray] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        return f"deepwalk-d{self.dim}-l{self.walk_length}-n{self.walks_per_node}-w{self.window}-s{self.seed}"

    @property
    def fitted(self) -> bool:
        return self._vectors is not None

    # ----------------------------------------------------------------------- training

    def walks(self, graph: nx.Graph) -> list[list[str]]:
        """All walks, as node-id sequences. Nodes are sorted first, so the walks depend on the
        graph and the seed, not on the order in which the graph was built."""
        nodes = sorted(graph.nodes, key=str)
        if not nodes:
            return []
        adj = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", format="csr")
        indptr, indices = adj.indptr, adj.indices
        weights = np.maximum(adj.data.astype(np.float64), 0.0)
        cum = np.cumsum(weights)  # global running sum; a row's slice picks by weight
        row_start = np.concatenate([[0.0], cum])[indptr[:-1]]
        row_total = np.concatenate([[0.0], cum])[indptr[1:]] - row_start
        rng = np.random.default_rng(self.seed)
        starts = np.tile(np.arange(len(nodes)), self.walks_per_node)
        path = np.empty((len(starts), self.walk_length), dtype=np.int64)
        path[:, 0] = starts
        alive = np.ones(len(starts), dtype=bool)
        for step in range(1, self.walk_length):
            cur = np.where(alive, path[:, step - 1], 0)  # stopped walks compute on node 0, unused
            alive &= row_total[cur] > 0  # a walk stops at a node without (positive) edges
            target = row_start[cur] + rng.random(len(cur)) * row_total[cur]
            pick = np.searchsorted(cum, target, side="right")
            pick = np.clip(pick, indptr[cur], np.maximum(indptr[cur + 1] - 1, indptr[cur]))
            nxt = indices[np.minimum(pick, len(indices) - 1)] if len(indices) else cur
            path[:, step] = np.where(alive, nxt, -1)
        return [[nodes[i] for i in row if i >= 0] for row in path]

    def fit(self, graph: nx.Graph) -> DeepWalk:
        """Train on ``graph`` (replacing any earlier training)."""
        try:
            from gensim.models import Word2Vec
        except ImportError as exc:
            raise ImportError(f"DeepWalk needs gensim (pip install 'recsys[hub]'): {exc}") from None
        walks = [w for w in self.walks(graph) if len(w) > 1]
        if not walks:
            self._vectors = {}
            return self
        model = Word2Vec(
            sentences=walks,
            vector_size=self.dim,
            window=self.window,
            min_count=0,
            sg=1,  # skip-gram, as DeepWalk
            hs=0,
            negative=self.negative,
            epochs=self.epochs,
            workers=self.workers,
            seed=self.seed,
            hashfxn=_stable_hash,
        )
        kv = model.wv
        self._vectors = {str(n): kv[n].astype(np.float32) for n in kv.index_to_key}
        return self

    # ----------------------------------------------------------------------- embedding

    def embed_nodes(self, graph: nx.Graph, nodes: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors of ``nodes``: trained vectors, neighbour means for
        nodes the model has not seen (fitting on ``graph`` first if it was never fitted)."""
        if not nodes:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._vectors is None:
            self.fit(graph)
        trained = self._vectors or {}
        missing = [n for n in nodes if n not in trained and n in graph]
        filled: dict[str, np.ndarray] = {}
        vicinity = [n for n in _within(graph, missing, self.max_hops) if n not in trained]
        for _ in range(max(self.max_hops, 0)):
            # Jacobi rounds: a round reads only vectors from before it, so the result does not
            # depend on the order of ``nodes``; a node keeps the first vector it gets.
            new: dict[str, np.ndarray] = {}
            for n in vicinity:
                if n in filled:
                    continue
                acc = np.zeros(self.dim, dtype=np.float64)
                total = 0.0
                for nb, data in graph[n].items():
                    v = trained.get(nb, filled.get(nb))
                    if v is not None:
                        w = float(data.get("weight", 1.0))
                        acc += w * v
                        total += w
                if total > 0:
                    new[n] = (acc / total).astype(np.float32)
            if not new:
                break
            filled.update(new)
        out = np.zeros((len(nodes), self.dim), dtype=np.float32)
        for i, n in enumerate(nodes):
            v = trained.get(n, filled.get(n))
            if v is not None:
                out[i] = v
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.maximum(norms, 1e-12)).astype(np.float32)

    def embed_tracks(self, graph: nx.Graph, track_ids: Sequence[str]) -> np.ndarray:
        return self.embed_nodes(graph, [track_node(t) for t in track_ids])

    # ----------------------------------------------------------------------- persistence

    def save(self, path: str | Path) -> None:
        """Config and trained vectors in one ``.npz``."""
        if self._vectors is None:
            raise ValueError("DeepWalk.save: the model is not fitted")
        keys = sorted(self._vectors)
        matrix = np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)
        np.savez(Path(path), nodes=np.array(keys, dtype=np.str_), vectors=matrix, config=json.dumps(self.config()))

    @classmethod
    def load(cls, path: str | Path) -> DeepWalk:
        with np.load(Path(path), allow_pickle=False) as data:  # no pickle: a file is data, never code
            model = cls(**json.loads(str(data["config"])))
            model._vectors = {str(k): v for k, v in zip(data["nodes"], data["vectors"].astype(np.float32), strict=True)}
        return model

    def config(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.init}


def _within(graph: nx.Graph, sources: Sequence[str], radius: int) -> list[str]:
    """Nodes within ``radius`` hops of ``sources``, sorted (a stable order for the rounds)."""
    seen = set(sources)
    layer = set(sources)
    for _ in range(max(radius, 0)):
        layer = {nb for n in layer for nb in graph.neighbors(n)} - seen
        seen |= layer
    return sorted(seen, key=str)


class DeepWalkEncoder(GraphEncoder):
    """DeepWalk (``deepwalk``) behind the encoder contract: trained on the graph of the nodes it
    is given, once per graph (same nodes and weighted edges, same training), so the vectors of
    one graph never mix two trainings; a changed graph is trained on again, and the ingest then
    re-embeds every track (``id_stable`` is False)."""

    id_stable = False

    def __init__(self, method: DeepWalk, *, name: str) -> None:
        super().__init__(method, name=name)
        self._trained_on: str | None = None
        self._lock = threading.Lock()

    def _embed(self, graph: nx.Graph, track_ids: list[str]) -> np.ndarray:
        digest = graph_digest(graph)
        with self._lock:  # one cached encoder may serve several threads
            if digest != self._trained_on:
                self.method = DeepWalk(**self.method.config()).fit(graph)
                self._trained_on = digest
            method = self.method
        return method.embed_tracks(graph, track_ids)
