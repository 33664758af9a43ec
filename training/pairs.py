"""Training pairs: which tracks should land close in the fused space, and which far apart.

The paper's mining: a track's nearest neighbours in each single-modality space are its
positives, and the least similar tracks of a random sample of 64 (per modality) its
negatives. We add metadata positives (same album, same artist, playlist co-occurrence and,
when asked, a shared first genre). Every source is restricted to ``candidates``: in the
held-out protocol only training tracks are mined, so no held-out vector or label reaches
the trainer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from recsys.encoders.graph import album_node, artist_node
from training.data import ModalityData, TiedScorer, TiedSubsetScorer

#: pair sources, in the order of ``Pairs.source`` codes
SOURCES: tuple[str, ...] = (
    "knn:text",
    "knn:image",
    "knn:audio",
    "knn:graph",
    "album",
    "artist",
    "playlist",
    "genre",
    "negative",
    "file",
)
_CODE = {s: i for i, s in enumerate(SOURCES)}
#: rows of the similarity matrix computed at once when mining neighbours
_BLOCK = 2048


@dataclass(frozen=True)
class PairConfig:
    #: nearest neighbours per modality taken as positives (the paper: 10, self excluded)
    knn: int = 10
    #: modalities mined for neighbours; None = every modality of the data
    knn_modalities: tuple[str, ...] | None = None
    #: negatives: the ``negatives_per_modality`` least similar of ``negative_sample`` random tracks
    negative_sample: int = 64
    negatives_per_modality: int = 10
    same_album: bool = True
    same_artist: bool = True
    playlists: bool = True
    #: a shared first genre makes a positive. Genres are labels: in the held-out protocol they
    #: are read for training tracks only (``candidates``), never for the evaluated ones.
    genres: bool = False
    #: at most this many metadata partners per track and source (a 40-track artist would
    #: otherwise contribute 1,560 pairs and drown the content neighbours)
    metadata_cap: int = 10
    seed: int = 0


@dataclass(frozen=True)
class Pairs:
    """(anchor, other, label) rows over track indices of one ``ModalityData``."""

    anchor: np.ndarray  # int64 (m,)
    other: np.ndarray  # int64 (m,)
    label: np.ndarray  # float32 (m,): 1 positive, 0 negative
    source: np.ndarray  # int8 (m,): index into SOURCES
    n_tracks: int

    def __len__(self) -> int:
        return int(self.anchor.shape[0])

    def _take(self, keep: np.ndarray) -> "Pairs":
        return Pairs(self.anchor[keep], self.other[keep], self.label[keep], self.source[keep], self.n_tracks)

    def positives(self) -> "Pairs":
        return self._take(self.label > 0.5)

    def negatives(self) -> "Pairs":
        return self._take(self.label <= 0.5)

    def restrict(self, tracks: Sequence[int] | np.ndarray) -> "Pairs":
        """Only the pairs whose two ends are both in ``tracks``."""
        inside = np.zeros(self.n_tracks, dtype=bool)
        inside[np.asarray(tracks, dtype=np.int64)] = True
        return self._take(inside[self.anchor] & inside[self.other])

    def without_sources(self, names: Sequence[str]) -> "Pairs":
        drop = np.isin(self.source, [_CODE[n] for n in names])
        return self._take(~drop)

    def positive_matrix(self) -> np.ndarray:
        """Dense symmetric (n, n) bool: i and j form a positive pair (protocol A's relevance
        for mined pairs; fine for thousands of tracks, use ``positive_keys`` beyond)."""
        pos = self.positives()
        mat = np.zeros((self.n_tracks, self.n_tracks), dtype=bool)
        mat[pos.anchor, pos.other] = True
        mat[pos.other, pos.anchor] = True
        return mat

    def positive_keys(self) -> np.ndarray:
        """Sorted unique int64 keys ``i * n_tracks + j`` of the positive pairs, both
        directions (the in-batch InfoNCE must not push these apart as negatives). A sorted
        key array rather than an (n, n) matrix: it stays small for large catalogs."""
        pos = self.positives()
        n = self.n_tracks
        keys = np.concatenate([pos.anchor * n + pos.other, pos.other * n + pos.anchor])
        return np.unique(keys.astype(np.int64))

    def counts(self) -> dict[str, int]:
        codes, n = np.unique(self.source, return_counts=True)
        return {SOURCES[int(c)]: int(k) for c, k in zip(codes, n)}

    def to_json(self, track_ids: Sequence[str]) -> dict[str, dict[str, list[str]]]:
        """The authors' pairs.json layout: {id: {positives: [...], negatives: [...]}}."""
        out: dict[str, dict[str, list[str]]] = {t: {"positives": [], "negatives": []} for t in track_ids}
        for a, o, lab in zip(self.anchor, self.other, self.label):
            out[track_ids[a]]["positives" if lab > 0.5 else "negatives"].append(track_ids[o])
        return out


def _pairs(rows: list[tuple[int, int, float, int]], n: int) -> Pairs:
    if not rows:
        e = np.zeros(0, dtype=np.int64)
        return Pairs(e, e.copy(), np.zeros(0, np.float32), np.zeros(0, np.int8), n)
    arr = np.asarray(rows, dtype=np.float64)
    return Pairs(
        arr[:, 0].astype(np.int64),
        arr[:, 1].astype(np.int64),
        arr[:, 2].astype(np.float32),
        arr[:, 3].astype(np.int8),
        n,
    )


def read_pairs_json(path: Path | str, track_ids: Sequence[str]) -> Pairs:
    """The authors' pairs.json (or pairs_small.json), mapped onto our row order. Ids not in
    ``track_ids`` and self pairs (one track lists itself as a negative) are dropped;
    duplicates (a neighbour in two modalities) are kept once."""
    data = json.loads(Path(path).read_text())
    index = {t: i for i, t in enumerate(track_ids)}
    seen: set[tuple[int, int]] = set()
    rows: list[tuple[int, int, float, int]] = []
    for tid, entry in data.items():
        a = index.get(tid)
        if a is None:
            continue
        for key, label in (("positives", 1.0), ("negatives", 0.0)):
            for other in entry.get(key, []):
                o = index.get(other)
                if o is None or o == a or (a, o) in seen:
                    continue
                seen.add((a, o))
                rows.append((a, o, label, _CODE["file"] if label else _CODE["negative"]))
    return _pairs(rows, len(track_ids))


def relevance_from_json(path: Path | str, track_ids: Sequence[str]) -> np.ndarray:
    """(n, n) bool: j is a listed positive of i in the authors' file (protocol A's truth)."""
    pos = read_pairs_json(path, track_ids).positives()
    rel = np.zeros((len(track_ids), len(track_ids)), dtype=bool)
    rel[pos.anchor, pos.other] = True
    return rel


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def mine_pairs(
    data: ModalityData, config: PairConfig = PairConfig(), candidates: Sequence[int] | np.ndarray | None = None
) -> Pairs:
    """Positives and negatives among ``candidates`` (default: every track). Seeded: the same
    data, config and candidates give the same pairs."""
    n = data.n
    cand = np.arange(n) if candidates is None else np.unique(np.asarray(candidates, dtype=np.int64))
    rng = np.random.default_rng(config.seed)
    positives: dict[tuple[int, int], int] = {}

    def add(a: int, o: int, source: str) -> None:
        if a != o and (a, o) not in positives:
            positives[(a, o)] = _CODE[source]

    normed = data.normalised()
    modalities = config.knn_modalities or data.modalities
    for m in modalities:
        if m not in normed:
            continue
        present = cand[data.masks[m][cand]]
        if len(present) < 2 or config.knn <= 0:
            continue
        x = normed[m][present]
        k = min(config.knn, len(present) - 1)
        # identical rows (shared covers) scored alike, bit for bit, and ties broken by index:
        # BLAS's last bits and argpartition's order among equals change from run to run
        scores = TiedScorer(x)
        for start in range(0, len(present), _BLOCK):  # blocks: no (n, n) matrix at once
            s = scores(x[start : start + _BLOCK])
            s[np.arange(s.shape[0]), np.arange(start, start + s.shape[0])] = -np.inf
            kth = -np.partition(-s, k - 1, axis=1)[:, k - 1]  # each row's k-th highest score
            for r in range(s.shape[0]):
                near = np.flatnonzero(s[r] >= kth[r])  # the top k and any equal to the k-th
                for c in near[np.argsort(-s[r, near], kind="stable")][:k]:
                    add(int(present[start + r]), int(present[c]), f"knn:{m}")

    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i in cand:
        t = data.tracks[int(i)]
        # the graph's own artist and album nodes: the groups the graph and the folds use (a
        # blank name is no artist or album, not one shared by every blank-named track)
        album, artist = album_node(t), artist_node(t)
        if config.same_album and album:
            groups["album"][album].append(int(i))
        if config.same_artist and artist:
            groups["artist"][artist].append(int(i))
        if config.playlists:
            for p in t.playlists:
                groups["playlist"][p].append(int(i))
        if config.genres and t.genres:
            groups["genre"][_norm(t.genres[0])].append(int(i))
    for source in ("album", "artist", "playlist", "genre"):
        for members in groups[source].values():
            if len(members) < 2:
                continue
            arr = np.asarray(members)
            for a in arr:
                others = arr[arr != a]
                if len(others) > config.metadata_cap:
                    others = rng.choice(others, config.metadata_cap, replace=False)
                for o in others:
                    add(int(a), int(o), source)

    rows = [(a, o, 1.0, code) for (a, o), code in positives.items()]
    rows.extend(_negatives(cand, normed, data, config, rng, set(positives)))
    return _pairs(rows, n)


def _negatives(
    cand: np.ndarray,
    normed: dict[str, np.ndarray],
    data: ModalityData,
    config: PairConfig,
    rng: np.random.Generator,
    positives: set[tuple[int, int]],
) -> list[tuple[int, int, float, int]]:
    """Per modality, the least similar of a random sample: the paper's "hard to confuse"
    negatives (a random track is already far; these are surely unrelated)."""
    rows: list[tuple[int, int, float, int]] = []
    modalities = config.knn_modalities or data.modalities
    size = min(config.negative_sample, len(cand) - 1)
    if size <= 0:
        return rows
    # each modality's distinct rows found once: every anchor's sample is a subset of them
    scorers = {m: TiedSubsetScorer(normed[m]) for m in modalities if m in normed}
    for a in cand:
        sample = rng.choice(cand[cand != a], size, replace=False)
        chosen: set[int] = set()
        for m in modalities:
            if m not in normed or not data.masks[m][a]:
                continue
            ok = sample[data.masks[m][sample]]
            if len(ok) == 0:
                continue
            s = scorers[m](normed[m][a][None, :], ok)[0]
            chosen.update(int(x) for x in ok[np.argsort(s, kind="stable")[: config.negatives_per_modality]])
        for o in sorted(chosen):
            if (int(a), o) not in positives:
                rows.append((int(a), o, 0.0, _CODE["negative"]))
    return rows
