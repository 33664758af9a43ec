"""2-D projections of an embedding space: UMAP, with PCA and t-SNE as fallbacks.

Up to ``FIT_LIMIT`` points the method sees them all. Beyond that (a 100k-track library) UMAP
and t-SNE are fitted on a seeded sample of ``FIT_LIMIT`` points and every other point is
placed at the similarity-weighted mean of its ``NEIGHBOURS`` nearest sampled points (cosine,
computed in chunks), both on the sample's first ``REDUCED_DIM`` principal axes; and PCA takes its axes from the sample and projects everything in
chunks: time and memory grow linearly, not with the square of the library.
"""

from __future__ import annotations

import warnings

import numpy as np

METHODS = ("auto", "umap", "tsne", "pca")
#: "auto": UMAP from this many points, t-SNE below. UMAP compiles its numba code on first use
#: in a process, about 11 s whatever the size (30 points: 11.6 s; t-SNE 1.1 s), and t-SNE
#: stays quick well past a small library (1,000 points: 2.8 s against UMAP's 12.2 s)
AUTO_UMAP_FROM = 2_000
#: points a method is fitted on at most; the others are placed by their nearest sampled points
FIT_LIMIT = 5_000
NEIGHBOURS = 5
#: principal axes a large space is reduced to before a sample is fitted and the rest placed
REDUCED_DIM = 64
_CHUNK = 4096


def project_2d(
    vectors: np.ndarray, method: str = "auto", seed: int = 42, fit_limit: int = FIT_LIMIT
) -> tuple[np.ndarray, str]:
    """(n, 2) coordinates scaled to [0, 1], and the method that produced them. "auto" is UMAP
    from ``AUTO_UMAP_FROM`` points and t-SNE below. UMAP needs a few dozen points and the
    umap-learn package; otherwise t-SNE, and PCA below 5 points."""
    x = np.asarray(vectors, dtype=np.float32)
    n = len(x)
    if method not in METHODS:
        raise ValueError(f"unknown projection '{method}'; choose one of {', '.join(METHODS)}")
    if method == "auto":
        method = "umap" if n >= AUTO_UMAP_FROM else "tsne"
    if n < 5:
        method = "pca"
    if method == "umap":
        try:
            import umap  # noqa: F401
        except ImportError:
            method = "tsne"
    if method == "pca":
        xy = _pca(x, seed, fit_limit)
    elif n > fit_limit:
        sample = np.sort(np.random.default_rng(seed).choice(n, size=fit_limit, replace=False))
        # the neighbour search of UMAP/t-SNE and the placement run on the first principal
        # axes (of the sample): a 1,960-d fused space costs them 30x more than 64 axes, for
        # neighbourhoods that are nearly the same
        z = _principal(x, x[sample], REDUCED_DIM)
        xy_sample, method = _fit(z[sample], method, seed)
        xy = _place(z, sample, xy_sample)
    else:
        xy, method = _fit(x, method, seed)
    xy = np.asarray(xy, dtype=np.float64)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    return (xy - lo) / np.where(hi > lo, hi - lo, 1.0), method


def _fit(x: np.ndarray, method: str, seed: int) -> tuple[np.ndarray, str]:
    n = len(x)
    if method == "umap" and n >= 15:
        import umap

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # n_jobs/seed notices
            xy = umap.UMAP(n_neighbors=min(15, n - 1), metric="cosine", random_state=seed).fit_transform(x)
        return xy, "umap"
    from sklearn.manifold import TSNE

    xy = TSNE(n_components=2, perplexity=min(30.0, (n - 1) / 3), metric="cosine", init="pca",
              random_state=seed).fit_transform(x)
    return xy, "tsne"


def _pca(x: np.ndarray, seed: int, fit_limit: int) -> np.ndarray:
    """The first two principal axes, from a seeded sample when there are more than
    ``fit_limit`` points (all of them otherwise, as an exact SVD), applied to every point."""
    fit = x
    if len(x) > fit_limit:
        fit = x[np.random.default_rng(seed).choice(len(x), size=fit_limit, replace=False)]
    return _principal(x, fit, 2)


def _principal(x: np.ndarray, fit: np.ndarray, k: int) -> np.ndarray:
    """Every row of ``x`` on the first ``k`` principal axes of ``fit``, in chunks."""
    mean = fit.mean(axis=0)
    _, _, vt = np.linalg.svd(fit - mean, full_matrices=False)
    axes = vt[:k].T
    return np.concatenate([(x[s : s + _CHUNK] - mean) @ axes for s in range(0, len(x), _CHUNK)])


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _place(x: np.ndarray, sample: np.ndarray, xy_sample: np.ndarray) -> np.ndarray:
    """Sampled points keep their fitted coordinates; each other point goes to the mean of its
    nearest sampled points' coordinates, weighted by cosine similarity."""
    xy = np.empty((len(x), 2), dtype=np.float64)
    xy[sample] = xy_sample
    rest = np.setdiff1d(np.arange(len(x)), sample, assume_unique=True)
    ref = _unit(x[sample])
    k = min(NEIGHBOURS, len(sample))
    for s in range(0, len(rest), _CHUNK):
        rows = rest[s : s + _CHUNK]
        sims = _unit(x[rows]) @ ref.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        w = np.maximum(np.take_along_axis(sims, top, axis=1), 0.0) + 1e-6
        xy[rows] = (w[:, :, None] * xy_sample[top]).sum(axis=1) / w.sum(axis=1, keepdims=True)
    return xy
