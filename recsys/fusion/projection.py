"""A compact fused vector: a fixed linear map from the concatenated modality vector
(``fuser.concat_vector``, 1,792-1,960 dims with the default encoders) down to D dims.

Two kinds behind one interface (``FusedProjection.project``):

- ``pca``: the first D principal axes of a seeded sample of at most S concat vectors of the
  collection. ``centre=True`` subtracts the sample mean before projecting (and the cosine is
  then taken between centred vectors); ``centre=False`` projects the raw vectors on the
  top-D axes of their uncentred second-moment matrix (a truncated SVD), which keeps the
  common direction all tracks share. docs/fused_draft.md measures both. ``per_block=True``
  fits the axes of each modality block apart (the output dims split evenly between the
  blocks), so that no modality is drowned by another: a joint PCA of the concat spends its
  axes on the wide, varied blocks (text, image) and keeps little of an audio block whose
  vectors all point nearly the same way; each block's projection is then made unit length,
  so every modality present weighs the same, as in the concat.
- ``random``: a data-free, seeded random map with orthonormal columns (Johnson-Lindenstrauss):
  the Q factor of a Gaussian (input_dim, D) matrix drawn from ``seed`` and the two dims, so
  it depends on nothing but them.

Both are saved as a folder like a fusion checkpoint: ``projection_config.json`` (kind, dims,
seed, the modality blocks of the input, how it was fitted) + ``projection.safetensors`` (the
matrix and the mean). The matrix is stored even for the random kind: a checkpoint must give
bit-identical vectors on another machine, and a QR factorisation need not (BLAS builds
differ in the last bits). Nothing here imports torch: projecting is one matrix product.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from recsys.errors import EncoderError

CONFIG_FILE = "projection_config.json"
WEIGHTS_FILE = "projection.safetensors"
FORMAT = "recsys-fused-projection"
FORMAT_VERSION = 1
KIND_PCA = "pca"
KIND_RANDOM = "random"
KINDS = (KIND_PCA, KIND_RANDOM)
#: the sample a PCA is fitted on at most: 20k x 1,960 float64 moments take ~4 s on 2 cores,
#: and the leading axes of a music catalog are stable well before that
DEFAULT_SAMPLE = 20_000


@dataclass(frozen=True)
class ProjectionConfig:
    """What a projection is; the matrix aside."""

    kind: str
    input_dim: int
    out_dim: int
    seed: int = 0
    #: pca: the sample mean is subtracted before projecting
    centre: bool = False
    #: (modality, dim) blocks of the concatenated input, in order (empty: not recorded)
    parts: tuple[tuple[str, int], ...] = ()
    #: pca: rows the axes were fitted on, and the share of the sample's variance (or second
    #: moment, uncentred) they keep
    fitted_rows: int = 0
    kept_variance: float = 0.0
    #: pca per block: the output dims of each block of ``parts`` (empty: one joint PCA)
    block_dims: tuple[int, ...] = ()

    @property
    def per_block(self) -> bool:
        return bool(self.block_dims)

    def blocks(self) -> list[tuple[str, slice, slice]]:
        """(modality, input columns, output columns) of each block (per-block PCA only)."""
        out, i0, o0 = [], 0, 0
        for (m, d), k in zip(self.parts, self.block_dims):
            out.append((m, slice(i0, i0 + d), slice(o0, o0 + k)))
            i0, o0 = i0 + d, o0 + k
        return out

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise EncoderError(f"unknown fused projection kind '{self.kind}' (known: {', '.join(KINDS)})")
        if self.out_dim < 1 or self.input_dim < 1:
            raise EncoderError(f"a fused projection needs positive dims, got {self.input_dim} -> {self.out_dim}")
        if self.out_dim > self.input_dim:
            raise EncoderError(
                f"a fused projection maps down: {self.out_dim} dims out is more than {self.input_dim} in"
            )
        if self.parts and sum(d for _, d in self.parts) != self.input_dim:
            raise EncoderError(
                f"the input blocks {dict(self.parts)} add up to {sum(d for _, d in self.parts)} dims, "
                f"not {self.input_dim}"
            )
        if self.block_dims:
            if len(self.block_dims) != len(self.parts) or sum(self.block_dims) != self.out_dim:
                raise EncoderError(
                    f"per-block dims {list(self.block_dims)} do not split {self.out_dim} dims over the "
                    f"{len(self.parts)} input blocks"
                )
            if any(k < 1 or k > d for k, (_, d) in zip(self.block_dims, self.parts)):
                raise EncoderError(f"per-block dims {list(self.block_dims)} do not fit the blocks {dict(self.parts)}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["parts"] = [[m, dim] for m, dim in self.parts]  # a list of pairs: the order matters
        d["block_dims"] = list(self.block_dims)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "ProjectionConfig":
        return cls(
            kind=str(d["kind"]),
            input_dim=int(d["input_dim"]),
            out_dim=int(d["out_dim"]),
            seed=int(d.get("seed", 0)),
            centre=bool(d.get("centre", False)),
            parts=tuple((str(m), int(v)) for m, v in d.get("parts", ())),
            fitted_rows=int(d.get("fitted_rows", 0)),
            kept_variance=float(d.get("kept_variance", 0.0)),
            block_dims=tuple(int(k) for k in d.get("block_dims", ())),
        )


class FusedProjection:
    """A fixed linear map concat vector -> ``out_dim`` L2-normalised dims."""

    def __init__(self, config: ProjectionConfig, matrix: np.ndarray, mean: np.ndarray | None = None) -> None:
        matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        if matrix.shape != (config.input_dim, config.out_dim):
            raise EncoderError(
                f"fused projection matrix has shape {matrix.shape}, expected ({config.input_dim}, {config.out_dim})"
            )
        if mean is None:
            mean = np.zeros(config.input_dim, dtype=np.float32)
        mean = np.ascontiguousarray(mean, dtype=np.float32).reshape(-1)
        if mean.shape != (config.input_dim,):
            raise EncoderError(f"fused projection mean has {mean.shape[0]} dims, expected {config.input_dim}")
        if not (np.isfinite(matrix).all() and np.isfinite(mean).all()):
            raise EncoderError("fused projection holds non-finite numbers")
        self.config = config
        self.matrix = matrix
        self.mean = mean
        # the offset (mean @ W) is subtracted after the product: the same result as
        # centring every row first, without a copy of the input
        self._offset = (mean.astype(np.float64) @ matrix.astype(np.float64)).astype(np.float32)

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def random(
        cls, input_dim: int, out_dim: int, seed: int = 0, parts: Sequence[tuple[str, int]] = ()
    ) -> "FusedProjection":
        """The seeded random orthonormal map: the same (seed, input_dim, out_dim) always give
        the same matrix on one machine."""
        config = ProjectionConfig(KIND_RANDOM, int(input_dim), int(out_dim), int(seed), parts=tuple(parts))
        rng = np.random.default_rng([int(seed), int(input_dim), int(out_dim)])
        gauss = rng.standard_normal((input_dim, out_dim))
        q, r = np.linalg.qr(gauss)
        # QR is unique up to column signs; fix them (diag(R) > 0) so that the map is a
        # function of the Gaussian draw alone, whatever the LAPACK
        q *= np.where(np.diag(r) < 0, -1.0, 1.0)
        return cls(config, q)

    @classmethod
    def fit_pca(
        cls,
        vectors: np.ndarray,
        out_dim: int,
        *,
        centre: bool = True,
        seed: int = 0,
        max_sample: int = DEFAULT_SAMPLE,
        parts: Sequence[tuple[str, int]] = (),
        per_block: bool = False,
    ) -> "FusedProjection":
        """The first ``out_dim`` principal axes of a seeded sample of at most ``max_sample``
        rows of ``vectors`` (zero and non-finite rows, i.e. tracks with nothing to fuse, are
        left out of the sample). ``per_block``: the axes of each block of ``parts`` apart,
        each fitted on the sampled rows that have that block, as unit vectors."""
        x = np.asarray(vectors)
        if x.ndim != 2 or x.shape[0] == 0:
            raise EncoderError(f"a PCA projection is fitted on a matrix of concat vectors; got shape {x.shape}")
        input_dim = int(x.shape[1])
        parts = tuple((str(m), int(d)) for m, d in parts)
        if per_block and not parts:
            raise EncoderError("a per-block PCA projection needs the (modality, dim) blocks of its input")
        block_dims = split_dims(int(out_dim), [d for _, d in parts]) if per_block else ()
        config = ProjectionConfig(KIND_PCA, input_dim, int(out_dim), int(seed), bool(centre), parts, block_dims=block_dims)
        usable = np.flatnonzero(np.isfinite(x).all(axis=1) & (np.abs(np.nan_to_num(x)).sum(axis=1) > 0))
        if len(usable) > max_sample:
            usable = np.sort(np.random.default_rng(seed).choice(usable, size=max_sample, replace=False))
        if not per_block:
            axes, mean, kept = _principal_axes(x[usable], int(out_dim), centre, "")
        else:
            axes = np.zeros((input_dim, int(out_dim)))
            mean = np.zeros(input_dim)
            shares = []
            for m, cols, outs in config.blocks():
                block = np.nan_to_num(x[usable, cols].astype(np.float64))
                norms = np.linalg.norm(block, axis=1, keepdims=True)
                has = norms[:, 0] > 0
                a, mu, share = _principal_axes(block[has] / norms[has], outs.stop - outs.start, centre, f" of {m}")
                axes[cols, outs], mean[cols] = a, mu
                shares.append(share)
            kept = float(np.mean(shares))
        config = ProjectionConfig(
            KIND_PCA, input_dim, int(out_dim), int(seed), bool(centre), parts, len(usable), kept, block_dims
        )
        return cls(config, axes, mean)

    # -- use ----------------------------------------------------------------------------
    @property
    def input_dim(self) -> int:
        return self.config.input_dim

    @property
    def out_dim(self) -> int:
        return self.config.out_dim

    def project(self, matrix: np.ndarray) -> np.ndarray:
        """(n, input_dim) concat vectors -> (n, out_dim) L2-normalised float32 rows. A zero or
        non-finite input row (nothing to fuse) gives a zero row, as it would never be stored."""
        x = np.asarray(matrix, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.input_dim:
            raise EncoderError(f"fused projection expects rows of {self.input_dim} dims, got shape {x.shape}")
        finite = np.isfinite(x).all(axis=1)
        if not finite.all():
            x = np.nan_to_num(x)
        empty = ~finite | ~x.any(axis=1)
        if self.config.per_block:
            y = self._project_blocks(x)
        else:
            y = x @ self.matrix
            if self.config.centre:
                y -= self._offset
        norms = np.linalg.norm(y, axis=1, keepdims=True)
        y = np.divide(y, norms, out=np.zeros_like(y), where=norms > 0)
        y[empty] = 0.0
        return y

    def _project_blocks(self, x: np.ndarray) -> np.ndarray:
        """Each block as a unit vector (centred if asked), projected on its own axes and
        made unit length again: the concat of the modalities' reduced vectors, each present
        modality weighing the same (centred, a block whose tracks all sit near their mean,
        like VGGish audio, would otherwise shrink to nothing). A missing (zero) block stays
        zero: centring it would turn "no audio" into minus the mean audio vector."""
        y = np.zeros((len(x), self.out_dim), dtype=np.float32)
        for _, cols, outs in self.config.blocks():
            block = x[:, cols]
            norms = np.linalg.norm(block, axis=1, keepdims=True)
            has = norms > 0
            unit = np.divide(block, norms, out=np.zeros_like(block), where=has)
            proj = unit @ self.matrix[cols, outs]
            if self.config.centre:
                # (unit - mean) @ W, only where the block is present
                proj -= has * (self.mean[cols] @ self.matrix[cols, outs])
            length = np.linalg.norm(proj, axis=1, keepdims=True)
            y[:, outs] = np.divide(proj, length, out=np.zeros_like(proj), where=length > 0)
        return y

    def check_parts(self, parts: Sequence[tuple[str, int]]) -> None:
        """Fail, naming the difference, when a collection's concat blocks are not those the
        projection was made for (another encoder or another modality order)."""
        parts = tuple((str(m), int(d)) for m, d in parts)
        if sum(d for _, d in parts) != self.input_dim:
            raise EncoderError(
                f"fused projection reads {self.input_dim}-d concat vectors; the collection's are "
                f"{sum(d for _, d in parts)}-d ({', '.join(f'{m} {d}' for m, d in parts)})"
            )
        if self.config.parts and parts != self.config.parts:
            raise EncoderError(
                f"fused projection was made for blocks {', '.join(f'{m} {d}' for m, d in self.config.parts)}; "
                f"the collection has {', '.join(f'{m} {d}' for m, d in parts)}"
            )

    # -- files --------------------------------------------------------------------------
    def save(self, folder: Path | str) -> Path:
        from safetensors.numpy import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "config": self.config.to_dict()}
        (folder / CONFIG_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        save_file({"matrix": self.matrix, "mean": self.mean}, str(folder / WEIGHTS_FILE), metadata={"format": FORMAT})
        return folder

    @classmethod
    def load(cls, folder: Path | str) -> "FusedProjection":
        from safetensors import SafetensorError
        from safetensors.numpy import load_file

        folder = Path(folder)
        cfg_path, w_path = folder / CONFIG_FILE, folder / WEIGHTS_FILE
        if not cfg_path.is_file() or not w_path.is_file():
            raise EncoderError(f"{folder} is not a fused projection (needs {CONFIG_FILE} and {WEIGHTS_FILE})")
        try:
            meta = json.loads(cfg_path.read_text())
            if meta.get("format") != FORMAT:
                raise ValueError(f"format is {meta.get('format')!r}, expected {FORMAT!r}")
            config = ProjectionConfig.from_dict(meta["config"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EncoderError(f"cannot read fused projection config {cfg_path}: {exc}") from None
        try:
            tensors = load_file(str(w_path))
            matrix, mean = tensors["matrix"], tensors["mean"]
        except (OSError, ValueError, KeyError, SafetensorError) as exc:
            raise EncoderError(f"cannot read fused projection weights {w_path}: {exc}") from None
        return cls(config, matrix, mean)


def split_dims(out_dim: int, block_dims: Sequence[int]) -> tuple[int, ...]:
    """``out_dim`` split as evenly as possible over blocks of these input dims (a block
    never gets more dims than it has; what it cannot take goes to the others, first blocks
    first)."""
    if not block_dims:
        raise EncoderError("no input blocks to split the output dims over")
    if out_dim < len(block_dims) or out_dim > sum(block_dims):
        raise EncoderError(
            f"cannot split {out_dim} dims over {len(block_dims)} blocks of {', '.join(map(str, block_dims))} dims"
        )
    share = [0] * len(block_dims)
    left = out_dim
    while left:
        open_ = [i for i, d in enumerate(block_dims) if share[i] < d]
        each, extra = divmod(left, len(open_))
        for j, i in enumerate(open_):
            take = min(each + (j < extra), block_dims[i] - share[i])
            share[i] += take
            left -= take
    return tuple(share)


def _principal_axes(sample: np.ndarray, out_dim: int, centre: bool, what: str) -> tuple[np.ndarray, np.ndarray, float]:
    """(axes (d, out_dim), mean (d,), share of the variance kept) of sample rows. Needs more
    rows than axes: centred, n rows span at most n-1 axes, and an axis taken from the
    eigen-solver's choice in a null space would depend on the LAPACK, not on the data."""
    n, d = sample.shape
    if n <= out_dim:
        raise EncoderError(
            f"a {out_dim}-d PCA projection{what} needs more than {out_dim} non-empty sample vectors, "
            f"got {n}: fit it on a larger collection or use the random projection"
        )
    x = sample.astype(np.float64)
    mean = x.mean(axis=0) if centre else np.zeros(d)
    x -= mean
    values, axes = np.linalg.eigh(x.T @ x)
    order = np.argsort(values)[::-1]
    values = values[order]
    axes = axes[:, order[:out_dim]]
    # each axis' sign: its largest-magnitude coordinate positive (deterministic output)
    flip = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(out_dim)])
    axes *= np.where(flip == 0, 1.0, flip)
    total = float(np.clip(values, 0, None).sum())
    kept = float(np.clip(values[:out_dim], 0, None).sum() / total) if total > 0 else 0.0
    return axes, mean, kept


__all__ = ["FusedProjection", "ProjectionConfig", "KIND_PCA", "KIND_RANDOM", "split_dims"]
