"""2-D projections of an embedding space: UMAP, with PCA and t-SNE as fallbacks."""

from __future__ import annotations

import warnings

import numpy as np

METHODS = ("umap", "tsne", "pca")


def project_2d(vectors: np.ndarray, method: str = "umap", seed: int = 42) -> tuple[np.ndarray, str]:
    """(n, 2) coordinates scaled to [0, 1], and the method that produced them. UMAP needs a
    few dozen points and the umap-learn package; otherwise t-SNE, and PCA below 5 points."""
    x = np.asarray(vectors, dtype=np.float32)
    n = len(x)
    if method not in METHODS:
        raise ValueError(f"unknown projection '{method}'; choose one of {', '.join(METHODS)}")
    if n < 5:
        method = "pca"
    if method == "umap":
        try:
            import umap  # noqa: F401
        except ImportError:
            method = "tsne"
    if method == "umap" and n >= 15:
        import umap

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # n_jobs/seed notices
            xy = umap.UMAP(n_neighbors=min(15, n - 1), metric="cosine", random_state=seed).fit_transform(x)
    elif method in ("umap", "tsne"):
        from sklearn.manifold import TSNE

        method = "tsne"
        xy = TSNE(n_components=2, perplexity=min(30.0, (n - 1) / 3), metric="cosine", init="pca",
                  random_state=seed).fit_transform(x)
    else:
        centred = x - x.mean(axis=0)
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        xy = centred @ vt[:2].T
    xy = np.asarray(xy, dtype=np.float64)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    return (xy - lo) / np.where(hi > lo, hi - lo, 1.0), method
