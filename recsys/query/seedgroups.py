"""Many seeds (a playlist of 300 tracks) as a few groups of similar ones, so that a query asks
the store a few questions instead of one per seed.

A recommend with 300 positives made Qdrant's best-score recommend compare every candidate with
300 vectors, and a playlist asked one MMR query per seed (2.7 s and 900 new tracks for a
300-track playlist at 20,000 tracks: docs/benchmarks.md, "A playlist as seeds"). Up to
MAX_QUERY_SEEDS seeds, every seed is its own group and nothing changes; past that, the seeds'
vectors are clustered by spherical k-means into MAX_QUERY_SEEDS groups. Clustering rather than
sampling: a sample of 16 of 300 tracks can miss a style that a tenth of the playlist is, a
group cannot (its size says how much of the playlist it is). Deterministic: the first centre
is the seed closest to the seeds' mean, each next one the seed farthest from the centres so
far (no random start, so one playlist gives one answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

#: the most seeds queried one by one; more are grouped into this many
MAX_QUERY_SEEDS = 16
#: k-means rounds: 300 seeds settle in a handful
_ROUNDS = 20


@dataclass(frozen=True)
class SeedGroup:
    """Seeds alike: their indices (in the seeds' order), the unit mean of their vectors, and
    the member closest to it (the one a per-seed query starts from)."""

    members: tuple[int, ...]
    centre: np.ndarray
    medoid: int


def group_seeds(vectors: Sequence[np.ndarray], max_groups: int = MAX_QUERY_SEEDS) -> list[SeedGroup]:
    """The seeds as at most ``max_groups`` groups, ordered by their first member (the playlist's
    order); each seed its own group where there are no more seeds than that."""
    n = len(vectors)
    if not n:
        return []
    unit = np.stack([np.asarray(v, dtype=np.float64).reshape(-1) for v in vectors])
    unit /= np.where((norms := np.linalg.norm(unit, axis=1)) == 0, 1.0, norms)[:, None]
    if n <= max_groups:
        return [SeedGroup((i,), unit[i], i) for i in range(n)]
    centres = _first_centres(unit, max_groups)
    labels = np.full(n, -1)
    for _ in range(_ROUNDS):
        new = np.argmax(unit @ centres.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for k in range(len(centres)):
            mean = unit[labels == k].sum(axis=0)
            norm = np.linalg.norm(mean)
            if norm > 0:  # an emptied group keeps its centre (a seed) and may win seeds back
                centres[k] = mean / norm
    groups = []
    for k in range(len(centres)):
        members = np.flatnonzero(labels == k)
        if len(members):
            medoid = int(members[np.argmax(unit[members] @ centres[k])])
            groups.append(SeedGroup(tuple(int(i) for i in members), centres[k].copy(), medoid))
    return sorted(groups, key=lambda g: g.members[0])


def _first_centres(unit: np.ndarray, k: int) -> np.ndarray:
    """k seeds spread over the set: the one closest to the mean, then each time the one
    least similar to its closest centre so far (ties: the earlier seed)."""
    mean = unit.sum(axis=0)
    first = int(np.argmax(unit @ mean))
    chosen = [first]
    closest = unit @ unit[first]
    for _ in range(1, k):
        nxt = int(np.argmin(closest))
        chosen.append(nxt)
        closest = np.maximum(closest, unit @ unit[nxt])
    return unit[chosen].copy()


def shares(groups: Sequence[SeedGroup], per_seed: int) -> list[int]:
    """How many tracks each group brings to a playlist: ``per_seed`` a group on average, in
    proportion to its size (a style that is half the playlist brings half the new tracks),
    at least one each; largest remainders round. One seed a group: ``per_seed`` each."""
    if all(len(g.members) == 1 for g in groups):
        return [per_seed] * len(groups)
    total = per_seed * len(groups)
    seeds = sum(len(g.members) for g in groups)
    exact = [total * len(g.members) / seeds for g in groups]
    out = [max(1, int(e)) for e in exact]
    by_remainder = sorted(range(len(groups)), key=lambda i: (-(exact[i] - int(exact[i])), i))
    for i in by_remainder[: max(0, total - sum(out))]:
        out[i] += 1
    return out


def query_vectors(vectors: Sequence[np.ndarray], max_groups: int = MAX_QUERY_SEEDS) -> tuple[np.ndarray, ...]:
    """The positives of one recommend for ``vectors``: the seeds' own up to ``max_groups``,
    else the centre of each group (the store's best-score recommend then compares a candidate
    with 16 vectors, not 300)."""
    if len(vectors) <= max_groups:
        return tuple(vectors)
    return tuple(g.centre.astype(np.float32) for g in group_seeds(vectors, max_groups))
