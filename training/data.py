"""Modality matrices and presence masks, the one input every trainer and evaluator reads.

A track's modality is *missing* when its row is all zeros or not finite (the Fairouz text
matrix has 49 zero rows: tracks without lyrics). The mask is computed once here so that no
later stage mistakes a zero row for a real vector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import os
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np

from recsys.catalog.model import Catalog, TrackRecord
from recsys.errors import CatalogError
from recsys.encoders.graph import GraphConfig, RandNE, build_graph, remove_genre_edges
from recsys.modalities import AUDIO, GRAPH, IMAGE, MODALITIES, TEXT

#: where the paper's data lives: ``RECSYS_FAIROUZ``, else ../shared/fairouz beside the project
DEFAULT_FAIROUZ = Path(
    os.environ.get("RECSYS_FAIROUZ") or Path(__file__).resolve().parent.parent.parent / "shared" / "fairouz"
)


def presence_mask(matrix: np.ndarray) -> np.ndarray:
    """True where a row is a real vector: finite and not all zeros."""
    finite = np.isfinite(matrix).all(axis=1)
    nonzero = np.abs(np.nan_to_num(matrix)).sum(axis=1) > 0
    return finite & nonzero


def l2_rows(matrix: np.ndarray) -> np.ndarray:
    """Row-normalised float32 copy; missing (zero / non-finite) rows become zeros."""
    m = np.nan_to_num(np.asarray(matrix, dtype=np.float32))
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.where(norms > 0, m / np.maximum(norms, 1e-12), 0.0).astype(np.float32)


class TiedScorer:
    """``queries @ targets.T``, where targets equal bit for bit score equal bit for bit.

    A BLAS product gives two identical rows different last bits depending on where they sit
    in memory, and that changes between runs (403 of Fairouz's 822 tracks share a cover with
    another: which twin ranked first, and so recall@1, the mined pairs and every model trained
    on them, moved from run to run). Each distinct row is scored once; a stable sort then
    breaks the ties by row index, the same in every run. Built once per set of targets (the
    distinct rows are a sort of them), called per block of queries."""

    def __init__(self, targets: np.ndarray):
        self.targets = targets
        uniq, inverse = np.unique(targets, axis=0, return_inverse=True)
        #: None where every row differs: the plain product, without gathering its columns
        self._distinct = (uniq, inverse.reshape(-1)) if len(uniq) < len(targets) else None

    def __call__(self, queries: np.ndarray) -> np.ndarray:
        if self._distinct is None:
            return queries @ self.targets.T
        uniq, inverse = self._distinct
        return (queries @ uniq.T)[:, inverse]


class TiedSubsetScorer:
    """``tied_scores(queries, matrix[rows])`` for many subsets ``rows`` of one matrix, bit for
    bit, with the matrix's distinct rows found once instead of once per subset.

    Pair mining scores each anchor against its own random sample of 64 tracks: a
    ``TiedScorer`` per anchor sorted the sample's rows each time (``np.unique(axis=0)``, 4 ms),
    3,239 times for Fairouz's 822 tracks, 13.5 s of the 14 s of mining on 2 cores. Here a
    subset's distinct rows are the matrix's distinct rows it holds, in the same (sorted)
    order, so the product is the same one ``TiedScorer`` makes."""

    def __init__(self, matrix: np.ndarray):
        self.matrix = matrix
        uniq, inverse = np.unique(matrix, axis=0, return_inverse=True)
        self._uniq, self._inverse = uniq, inverse.reshape(-1)

    def __call__(self, queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
        ids, where = np.unique(self._inverse[rows], return_inverse=True)
        if len(ids) == len(rows):  # every row differs: the plain product, as TiedScorer's
            return queries @ self.matrix[rows].T
        return (queries @ self._uniq[ids].T)[:, where.reshape(-1)]


def tied_scores(queries: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """``TiedScorer(targets)(queries)``: one product whose twins tie exactly."""
    return TiedScorer(targets)(queries)


@dataclass(frozen=True)
class ModalityData:
    """Row i of every matrix, mask and ``tracks`` is the same track."""

    tracks: tuple[TrackRecord, ...]
    vectors: Mapping[str, np.ndarray]
    masks: Mapping[str, np.ndarray]
    #: modality -> encoder name, saved in the fusion checkpoint
    encoders: Mapping[str, str] = field(default_factory=dict)
    #: label-free variants of a modality, same shape (e.g. graph vectors of a graph without
    #: any genre edge). The trainer swaps them in at random (``TrainConfig.alternate_swap``)
    #: so that the model cannot learn to read a label that only some tracks' vectors carry.
    alternates: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.tracks)
        for m, v in self.vectors.items():
            if v.ndim != 2 or v.shape[0] != n:
                raise CatalogError(f"{m} vectors have shape {v.shape}, expected ({n}, dim)")
            if self.masks[m].shape != (n,):
                raise CatalogError(f"{m} mask has shape {self.masks[m].shape}, expected ({n},)")
        for m, v in self.alternates.items():
            if m not in self.vectors or v.shape != self.vectors[m].shape:
                raise CatalogError(f"alternate {m} vectors have shape {v.shape}, expected that of the {m} vectors")

    @property
    def n(self) -> int:
        return len(self.tracks)

    @property
    def modalities(self) -> tuple[str, ...]:
        return tuple(m for m in MODALITIES if m in self.vectors) + tuple(
            m for m in self.vectors if m not in MODALITIES
        )

    @property
    def dims(self) -> dict[str, int]:
        return {m: int(self.vectors[m].shape[1]) for m in self.modalities}

    @property
    def track_ids(self) -> list[str]:
        return [t.track_id for t in self.tracks]

    def first_genres(self) -> list[str | None]:
        """The label of the genre protocols: a track's first genre, None when it has none."""
        return [t.genres[0] if t.genres else None for t in self.tracks]

    def select(self, modalities: Iterable[str]) -> "ModalityData":
        keep = [m for m in modalities if m in self.vectors]
        return ModalityData(
            self.tracks,
            {m: self.vectors[m] for m in keep},
            {m: self.masks[m] for m in keep},
            {m: e for m, e in self.encoders.items() if m in keep},
            {m: a for m, a in self.alternates.items() if m in keep},
        )

    def with_modality(
        self, modality: str, matrix: np.ndarray, encoder: str = "", alternate: np.ndarray | None = None
    ) -> "ModalityData":
        """A copy with one modality replaced (e.g. the graph re-embedded per fold), with
        its label-free ``alternate`` if given (else the modality has none)."""
        vectors = dict(self.vectors)
        masks = dict(self.masks)
        vectors[modality] = np.asarray(matrix, dtype=np.float32)
        masks[modality] = presence_mask(vectors[modality])
        encoders = dict(self.encoders)
        if encoder:
            encoders[modality] = encoder
        alternates = {m: a for m, a in self.alternates.items() if m != modality}
        if alternate is not None:
            alternates[modality] = np.asarray(alternate, dtype=np.float32)
        return ModalityData(self.tracks, vectors, masks, encoders, alternates)

    def normalised(self) -> dict[str, np.ndarray]:
        """L2-normalised copies (the untrained baselines and the pair mining compare
        directions: the raw text rows have norm ~17, graph rows ~12)."""
        return {m: l2_rows(v) for m, v in self.vectors.items()}


def from_catalog(catalog: Catalog, modalities: Sequence[str] = MODALITIES) -> ModalityData:
    """The precomputed vectors of a catalog (any reader that fills ``Catalog.precomputed``)."""
    vectors = {m: np.array(catalog.precomputed[m], dtype=np.float32) for m in modalities if m in catalog.precomputed}
    if not vectors:
        raise CatalogError(f"catalog {catalog.name} has no precomputed vectors for {', '.join(modalities)}")
    masks = {m: presence_mask(v) for m, v in vectors.items()}
    encoders = {m: e for m, e in catalog.precomputed_encoders.items() if m in vectors}
    return ModalityData(tuple(catalog.tracks), vectors, masks, encoders)


def load_fairouz(folder: Path | str = DEFAULT_FAIROUZ, graph: str = "randne") -> ModalityData:
    """The Fairouz tracks with the published text/image/audio vectors and ``graph_<graph>``
    (the published graph vectors carry every track's genre edges: protocol B replaces them)."""
    from recsys.catalog.fairouz import read_fairouz

    return from_catalog(read_fairouz(Path(folder), graph=graph))


def our_graph_vectors(
    tracks: Sequence[TrackRecord],
    hide_genres_of: Iterable[str] = (),
    randne: RandNE = RandNE(),
    config: GraphConfig = GraphConfig(),
) -> np.ndarray:
    """Our RandNE track vectors, with the genre edges of ``hide_genres_of`` removed first
    (protocol B: a held-out track's genre edge would hand its label to the graph vector)."""
    g = build_graph(tracks, config)
    hidden = list(hide_genres_of)
    if hidden:
        g = remove_genre_edges(g, hidden)
    return randne.embed_tracks(g, [t.track_id for t in tracks])


def synthetic_clusters(
    n: int = 120,
    clusters: int = 4,
    dims: Mapping[str, int] | None = None,
    noise: float = 0.5,
    missing: Mapping[str, float] | None = None,
    seed: int = 0,
) -> ModalityData:
    """Tracks in ``clusters`` groups with a known structure, for tests and demos: each track
    has a latent point near its cluster centre, and each modality is a fixed random linear
    view of that latent point plus noise. The cluster is the track's genre; each cluster has
    two artists with two albums each. ``missing``: modality -> share of tracks lacking it."""
    rng = np.random.default_rng(seed)
    dims = dict(dims or {TEXT: 32, IMAGE: 24, AUDIO: 16, GRAPH: 8})
    latent_dim = 8
    centres = rng.normal(size=(clusters, latent_dim)) * 2.0
    label = np.arange(n) % clusters
    latent = centres[label] + rng.normal(size=(n, latent_dim)) * 0.7
    tracks = tuple(
        TrackRecord(
            track_id=f"t{i:04d}",
            title=f"Track {i}",
            artist=f"Artist {label[i]}-{(i // clusters) % 2}",
            album=f"Album {label[i]}-{(i // clusters) % 4}",
            genres=(f"genre{label[i]}",),
        )
        for i in range(n)
    )
    vectors: dict[str, np.ndarray] = {}
    masks: dict[str, np.ndarray] = {}
    for m, d in dims.items():
        proj = rng.normal(size=(latent_dim, d))
        v = (latent @ proj + rng.normal(size=(n, d)) * noise * np.sqrt(latent_dim)).astype(np.float32)
        mask = rng.random(n) >= (missing or {}).get(m, 0.0)
        v[~mask] = 0.0
        vectors[m], masks[m] = v, mask
    return ModalityData(tracks, vectors, masks, {m: f"synthetic-{m}" for m in dims})
