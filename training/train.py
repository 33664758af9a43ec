"""Training the fusion model: pairs in, a ``FusionModel`` and its history out.

Two objectives:

- ``margin`` (the paper's): contrastive loss on the L2 distance of (anchor, other, label)
  pairs, 0.5*y*d^2 + (1-y)*max(0, margin-d)^2, margin 0.5, Adam lr 1e-3.
- ``infonce`` (default): each positive pair is a classification among the batch (every other
  track of the batch is a negative, known positives excepted), with a temperature. Plus an
  ImageBind-style alignment term: each modality *alone* must retrieve its own track's fused
  vector among the batch, which is what puts single-modality queries into the fused space.
  Modality dropout hides random modalities of both views so the model learns to fuse any
  subset.

Two more terms for the default model, both built so that held-out evaluation stays honest:

- genre supervision: a cosine classifier over the *training* tracks' first genres on the
  fused vectors (the head is discarded after training);
- label-free swap: when the data carries a label-free variant of a modality (the graph
  embedded without any genre edge), training views use it half of the time. Without it the
  model learns to read genre off the genre edges that training tracks have and new tracks
  lack, and generalises worse to them (held-out genre accuracy -3 to -4 points).

The paper arch is always trained with the margin loss on its raw outputs, as published.
Early stopping watches the loss on the pairs of a held-out tenth of the training tracks
(anchors), and the best epoch's weights are kept.
"""

from __future__ import annotations

import contextlib
import copy
import os
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from recsys.device import pick_device
from recsys.errors import RecsysError
from recsys.fusion.model import (
    ARCH_BINDING,
    ARCH_PAPER,
    DEFAULT_CONTRACTION,
    DEFAULT_EXPANSION,
    DEFAULT_HIDDEN,
    DEFAULT_INPUT_DROPOUT,
    DEFAULT_MASK_MISSING,
    DEFAULT_OUT_DIM,
    FusionConfig,
    FusionModel,
)
from training.data import ModalityData
from training.pairs import PairConfig, Pairs, mine_pairs


@dataclass(frozen=True)
class TrainConfig:
    # the model's part: defaults from recsys.fusion.model, turned into a FusionConfig by
    # ``fusion_config``
    arch: str = ARCH_BINDING
    out_dim: int = DEFAULT_OUT_DIM
    hidden: int = DEFAULT_HIDDEN
    contraction: int = DEFAULT_CONTRACTION
    expansion: int = DEFAULT_EXPANSION
    #: dropout on each head's input features: the strongest guard against over-fitting the
    #: ~600 labelled training tracks of a fold (held-out genre accuracy, protocol B)
    input_dropout: float = DEFAULT_INPUT_DROPOUT
    #: False: missing modalities become zero vectors counted as present (ablation)
    mask_missing: bool = DEFAULT_MASK_MISSING
    #: "infonce" or "margin"
    loss: str = "infonce"
    temperature: float = 0.05
    margin: float = 0.5
    #: weight of the modality -> fused alignment term (0: off)
    align_weight: float = 1.0
    #: weight of a genre classification term on the fused vectors of training tracks (a
    #: cosine classifier over their first genres; 0: off). Labels come from the trained
    #: tracks only, so held-out tracks' genres never reach the model.
    genre_weight: float = 3.0
    #: probability that a training track's modality is replaced by its label-free alternate
    #: (``ModalityData.alternates``, e.g. the graph without genre edges) for a step
    alternate_swap: float = 0.5
    #: probability of hiding each modality of a training view (at least one stays)
    modality_dropout: float = 0.5
    lr: float = 1e-3
    weight_decay: float = 1e-4
    batch_size: int = 256
    #: a CPU budget: 8 passes over the positive pairs take ~40 s for Fairouz on 2 cores
    max_epochs: int = 8
    patience: int = 4
    #: share of training tracks whose pairs are held out for early stopping
    val_fraction: float = 0.1
    seed: int = 0
    pairs: PairConfig = PairConfig()
    #: torch threads (None: leave torch's default)
    threads: int | None = None

    @classmethod
    def paper(cls, **overrides: object) -> "TrainConfig":
        """The published recipe: paper arch (c=2, e=4), margin loss, no dropout or alignment."""
        base = cls(
            arch=ARCH_PAPER,
            input_dropout=0.0,
            mask_missing=False,
            loss="margin",
            align_weight=0.0,
            genre_weight=0.0,
            alternate_swap=0.0,
            modality_dropout=0.0,
            weight_decay=0.0,
            batch_size=256,
            # one pass over the authors' 49k pairs already matches their published P@10
            max_epochs=2,
            patience=2,
            pairs=PairConfig(same_album=False, same_artist=False, playlists=False),
        )
        return replace(base, **overrides)  # type: ignore[arg-type]

    @classmethod
    def for_arch(cls, arch: str, **overrides: object) -> "TrainConfig":
        """The default recipe of an architecture by name (``binding`` or ``paper``)."""
        if arch not in (ARCH_BINDING, ARCH_PAPER):
            raise RecsysError(f"unknown arch '{arch}'; choose binding or paper")
        base = cls.paper() if arch == ARCH_PAPER else cls()
        return replace(base, **overrides)  # type: ignore[arg-type]

    def fusion_config(self, dims: dict[str, int]) -> FusionConfig:
        if self.arch == ARCH_PAPER:
            return replace(FusionConfig.paper(dims, self.contraction, self.expansion), out_dim=self.out_dim)
        return FusionConfig(
            input_dims=tuple(dims.items()),
            arch=self.arch,
            out_dim=self.out_dim,
            hidden=self.hidden,
            input_dropout=self.input_dropout,
            mask_missing=self.mask_missing,
        )


@dataclass(frozen=True)
class EpochStats:
    epoch: int
    train_loss: float
    val_loss: float
    seconds: float


@dataclass
class TrainHistory:
    epochs: list[EpochStats] = field(default_factory=list)
    best_epoch: int = 0
    best_val_loss: float = float("inf")
    seconds: float = 0.0
    train_pairs: int = 0
    val_pairs: int = 0
    pair_counts: dict[str, int] = field(default_factory=dict)
    device: str = "cpu"
    #: phase timings: pair mining (0 for given pairs), setup (tensors to the device, model,
    #: optimiser), and the epochs themselves (training + validation, summed)
    mining_seconds: float = 0.0
    setup_seconds: float = 0.0
    epoch_seconds: float = 0.0
    #: training steps replayed as a CUDA graph (``_GraphedStep``)
    cuda_graphs: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "best_epoch": self.best_epoch,
            "best_val_loss": self.best_val_loss,
            "epochs_run": len(self.epochs),
            "seconds": round(self.seconds, 2),
            "train_pairs": self.train_pairs,
            "val_pairs": self.val_pairs,
            "pair_counts": self.pair_counts,
            "device": self.device,
            "mining_seconds": round(self.mining_seconds, 2),
            "setup_seconds": round(self.setup_seconds, 2),
            "epoch_seconds": round(self.epoch_seconds, 2),
            "cuda_graphs": self.cuda_graphs,
        }


def _sync_free(device: torch.device) -> bool:
    """Whether the losses take their sync-free forms: no Python ``if`` on a device value,
    no boolean indexing or ``nonzero`` (each one waits for the device to catch up, and a
    step had ~8 of them). Off the CPU only: the CPU's forms are kept bit for bit, so CPU
    results stay those of every earlier run (the sync-free forms are the same losses up to
    float rounding; tests/test_fusion.py checks them on the CPU)."""
    return device.type != "cpu"


#: up to this many training tracks, a sync-free step computes the tokens of every track
#: rather than of the batch's distinct ones: no ``unique`` (which waits for its size), and
#: every shape of a step fixed, so that the step can be captured as a CUDA graph
_STATIC_MAX_TRACKS = 2048


class _Batcher:
    """The training tensors of one run, on the device, with the helpers the losses share."""

    def __init__(self, model: FusionModel, data: ModalityData, rows: np.ndarray, device: torch.device) -> None:
        self.model = model
        self.device = device
        self.sync_free = _sync_free(device)
        self.static = self.sync_free and len(rows) <= _STATIC_MAX_TRACKS
        mods = model.modalities
        self.x = {m: torch.from_numpy(np.ascontiguousarray(data.vectors[m][rows], dtype=np.float32)).to(device) for m in mods}
        present = np.stack([data.masks[m][rows] for m in mods], axis=1)
        self.present = torch.from_numpy(present).to(device)
        self.x_alt = {
            m: torch.from_numpy(np.ascontiguousarray(data.alternates[m][rows], dtype=np.float32)).to(device)
            for m in mods
            if m in data.alternates
        }
        # the network's inputs, prepared once for every row (``prepare`` is row-wise and has
        # no parameter): a step gathers its rows instead of re-normalising them (~50 small
        # kernels a step, which on a GPU cost launch time, not compute)
        with torch.no_grad():
            self.prepared, self.pool = model.prepare(self.x, self.present)
            alt, _ = model.prepare({m: self.x_alt.get(m, v) for m, v in self.x.items()}, self.present)
        self.prepared_alt = {m: alt[m] for m in self.x_alt}

    def inputs(self, idx: torch.Tensor) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        return {m: v[idx] for m, v in self.prepared.items()}, self.pool[idx]

    def drop(self, present: torch.Tensor, p: float, gen: torch.Generator) -> torch.Tensor:
        """Hide each present modality with probability p, keeping at least one."""
        if p <= 0:
            return present
        keep = torch.rand(present.shape, generator=gen, device=gen.device).to(self.device) >= p
        kept = present & keep
        # a row that lost everything keeps one random modality of those it had
        empty = ~kept.any(dim=1) & present.any(dim=1)
        # CPU: draw the scores only when needed (the random stream of every CPU run so far).
        # Sync-free: always draw, so that no `if` reads the device.
        if not self.sync_free and not bool(empty.any()):
            return kept
        scores = torch.rand(present.shape, generator=gen, device=gen.device).to(self.device)
        scores = scores.masked_fill(~present, -1.0)
        pick = F.one_hot(scores.argmax(dim=1), present.shape[1]).bool()
        return torch.where(empty.unsqueeze(1), pick, kept)


def _view(b: _Batcher, tok: torch.Tensor, keep: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Tokens and pooling mask of a view that shows only the ``keep`` modalities.

    Masked model: hidden modalities leave the mean. Zero-filled model (ablation and the
    paper's convention): a hidden modality is a zero input that still counts as present.
    """
    if b.model.config.mask_missing:
        return tok, keep
    zeros = {m: torch.zeros(1, v.shape[1], device=b.device) for m, v in b.x.items()}
    zero_tok = b.model.net.tokens(b.model.prepare(zeros, torch.ones(1, len(zeros), dtype=torch.bool, device=b.device))[0])  # type: ignore[operator]
    return torch.where(keep.unsqueeze(-1), tok, zero_tok.expand_as(tok)), torch.ones_like(keep)


def _fused(b: _Batcher, tok: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
    t, pool = _view(b, tok, keep)
    return F.normalize(b.model.net.fuse(t, pool), dim=-1)  # type: ignore[operator]


def _info_nce(za: torch.Tensor, zb: torch.Tensor, t: float, exclude: torch.Tensor | None) -> torch.Tensor:
    """Symmetric InfoNCE; ``exclude`` (B, B) bool marks off-diagonal cells that are not
    negatives (known positives, the same track twice)."""
    logits = za @ zb.T / t
    if exclude is not None:
        logits = logits.masked_fill(exclude, float("-inf"))
    target = torch.arange(za.shape[0], device=za.device)
    return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))


def _margin(za: torch.Tensor, zb: torch.Tensor, y: torch.Tensor, margin: float) -> torch.Tensor:
    d = F.pairwise_distance(za, zb, p=2)
    return (0.5 * y * d.pow(2) + (1 - y) * F.relu(margin - d).pow(2)).mean()


def _alignment(
    cfg: TrainConfig, b: _Batcher, tok: torch.Tensor, present: torch.Tensor, gen: torch.Generator
) -> torch.Tensor:
    """Each modality alone must find its own track's full fused vector among the batch.
    ``tok`` (n, M, D) and ``present`` (n, M) are the batch's distinct anchor tracks."""
    z_full = _fused(b, tok, present if b.model.config.mask_missing else torch.ones_like(present))
    if cfg.loss == "infonce" and b.sync_free:
        return _alignment_batched(cfg, b, tok, present, z_full)
    eye = torch.eye(present.shape[1], dtype=torch.bool, device=b.device)
    losses = []
    for j in range(present.shape[1]):
        rows = present[:, j].nonzero().squeeze(1)
        if rows.numel() < 2:
            continue
        z_m = _fused(b, tok[rows], eye[j].expand(rows.numel(), -1))
        target = z_full[rows]
        if cfg.loss == "infonce":
            losses.append(_info_nce(z_m, target, cfg.temperature, None))
        else:
            perm = torch.randperm(rows.numel(), generator=gen, device=gen.device).to(b.device)
            ones = torch.ones(rows.numel(), device=b.device)
            losses.append(0.5 * (_margin(z_m, target, ones, cfg.margin) + _margin(z_m, target[perm], 0 * ones, cfg.margin)))
    return torch.stack(losses).mean() if losses else tok.new_zeros(())


def _alignment_batched(
    cfg: TrainConfig, b: _Batcher, tok: torch.Tensor, present: torch.Tensor, z_full: torch.Tensor
) -> torch.Tensor:
    """The InfoNCE alignment of ``_alignment`` for all modalities at once, with no
    data-dependent shape (the loop's ``nonzero`` reads the device 4 times a step): each
    modality's view is computed for every anchor, and the anchors lacking the modality are
    masked out of its logits (rows and columns) and of its mean. The same loss up to float
    rounding (tests/test_fusion.py compares the two); used off the CPU, where the CPU keeps
    the loop and so its bit-exact results."""
    n, n_mod = present.shape
    eye = torch.eye(n_mod, dtype=torch.bool, device=tok.device)
    tok_m = tok.unsqueeze(0).expand(n_mod, -1, -1, -1).reshape(n_mod * n, n_mod, tok.shape[-1])
    keep = eye.unsqueeze(1).expand(n_mod, n, n_mod).reshape(n_mod * n, n_mod)
    z_m = _fused(b, tok_m, keep).reshape(n_mod, n, -1)
    logits = torch.matmul(z_m, z_full.T) / cfg.temperature  # (M, n, n)
    valid = present.T  # (M, n): anchor i has modality m
    # a finite fill: a fully masked row then gives finite (discarded) values, never NaN
    logits = logits.masked_fill(~(valid.unsqueeze(2) & valid.unsqueeze(1)), -1e9)
    diag = torch.diagonal(logits, dim1=1, dim2=2)
    per = 0.5 * ((torch.logsumexp(logits, dim=2) - diag) + (torch.logsumexp(logits, dim=1) - diag))
    count = valid.sum(dim=1)
    per_mod = torch.where(valid, per, torch.zeros_like(per)).sum(dim=1) / count.clamp(min=1)
    used = count >= 2  # the loop skips a modality with fewer than 2 anchors
    return (per_mod * used).sum() / used.sum().clamp(min=1)


def _swap_alternates(
    cfg: TrainConfig, b: _Batcher, tracks: torch.Tensor, tok: torch.Tensor, gen: torch.Generator
) -> torch.Tensor:
    """For a random share of the batch's tracks, the token of each modality that has a
    label-free alternate is computed from the alternate instead."""
    if not b.x_alt or cfg.alternate_swap <= 0:
        return tok
    swap = (torch.rand(tracks.numel(), generator=gen, device=gen.device) < cfg.alternate_swap).to(b.device)
    cols = []
    for j, m in enumerate(b.model.modalities):
        if m in b.x_alt:
            alt = b.model.net.token(m, b.prepared_alt[m][tracks])  # type: ignore[operator]
            cols.append(torch.where(swap.unsqueeze(1), alt, tok[:, j]))
        else:
            cols.append(tok[:, j])
    return torch.stack(cols, dim=1)


def _is_positive(keys: torch.Tensor, a: torch.Tensor, o: torch.Tensor, n: int) -> torch.Tensor:
    """(B, B) bool: (a_i, o_j) is a known positive pair (``keys``: sorted i * n + j)."""
    query = (a.unsqueeze(1) * n + o.unsqueeze(0)).reshape(-1)
    if keys.numel() == 0:
        return torch.zeros(a.numel(), o.numel(), dtype=torch.bool, device=a.device)
    at = torch.searchsorted(keys, query).clamp(max=keys.numel() - 1)
    return (keys[at] == query).reshape(a.numel(), o.numel())


def _binding_loss(
    cfg: TrainConfig, b: _Batcher, a: torch.Tensor, o: torch.Tensor, y: torch.Tensor,
    pos_keys: torch.Tensor, gen: torch.Generator, train: bool, genre: "_GenreHead | None",
) -> torch.Tensor:
    """One batch of the binding arch: pair loss on two modality-dropped views + alignment."""
    if b.static:
        # every track's token (the same loss: a track's token, its dropout and its swap are
        # drawn once a step either way; the others' get no gradient)
        tracks = torch.arange(b.present.shape[0], device=b.device)
        ia, io = a, o
        tok = b.model.net.tokens(b.prepared)  # type: ignore[operator]
        present = b.present
    else:
        tracks, inv = torch.unique(torch.cat([a, o]), return_inverse=True)
        ia, io = inv[: a.numel()], inv[a.numel():]
        inputs, _ = b.inputs(tracks)
        tok = b.model.net.tokens(inputs)  # type: ignore[operator]
        present = b.present[tracks]
    if train:
        tok = _swap_alternates(cfg, b, tracks, tok, gen)
    p = cfg.modality_dropout if train else 0.0
    za = _fused(b, tok[ia], b.drop(present[ia], p, gen))
    zo = _fused(b, tok[io], b.drop(present[io], p, gen))
    if cfg.loss == "infonce":
        # off-diagonal cells that are positives too (or the same track) are not negatives
        exclude = _is_positive(pos_keys, a, o, b.present.shape[0])
        exclude |= (a.unsqueeze(1) == o.unsqueeze(0)) | (o.unsqueeze(1) == o.unsqueeze(0))
        exclude |= a.unsqueeze(1) == a.unsqueeze(0)
        exclude.fill_diagonal_(False)
        loss = _info_nce(za, zo, cfg.temperature, exclude)
    else:
        loss = _margin(za, zo, y, cfg.margin)
    if cfg.align_weight > 0:
        if b.static and cfg.loss == "infonce":
            # the anchors as a mask: the batched alignment leaves the other rows out
            is_anchor = torch.zeros(present.shape[0], dtype=torch.bool, device=b.device)
            is_anchor.index_fill_(0, ia, True)
            align = _alignment(cfg, b, tok, present & is_anchor.unsqueeze(1), gen)
        else:
            anchors = torch.unique(ia)
            align = _alignment(cfg, b, tok[anchors], present[anchors], gen)
        loss = loss + cfg.align_weight * align
    if genre is not None and cfg.genre_weight > 0:
        # on the modality-dropped views: a partial description must also find its genre
        loss = loss + cfg.genre_weight * 0.5 * (genre(za, a) + genre(zo, o))
    return loss


class _GenreHead(torch.nn.Module):
    """A cosine classifier over the training tracks' first genres (training only: it is not
    part of the saved model). Cosine, so that genres become directions of the same sphere
    the retrieval compares on."""

    def __init__(self, labels: np.ndarray, n_classes: int, dim: int, temperature: float, device: torch.device) -> None:
        super().__init__()
        self.labels = torch.from_numpy(labels).to(device)
        self.weight = torch.nn.Parameter(torch.randn(n_classes, dim, device=device) * 0.1)
        self.temperature = temperature

    def forward(self, z: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        y = self.labels[rows]
        if _sync_free(z.device):
            # no boolean indexing and no `if` on the device's data: unlabelled rows are
            # ignored by the loss (the same mean over labelled rows; 0 when there are none)
            logits = z @ F.normalize(self.weight, dim=-1).T / self.temperature
            total = F.cross_entropy(logits, y, ignore_index=-1, reduction="sum")
            return total / (y >= 0).sum().clamp(min=1)
        keep = y >= 0
        if not bool(keep.any()):
            return z.new_zeros(())
        logits = z[keep] @ F.normalize(self.weight, dim=-1).T / self.temperature
        return F.cross_entropy(logits, y[keep])


def _paper_loss(cfg: TrainConfig, b: _Batcher, a: torch.Tensor, o: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The published objective on the raw (unnormalised) outputs, as the authors trained."""
    tracks, inv = torch.unique(torch.cat([a, o]), return_inverse=True)
    inputs, pool = b.inputs(tracks)
    z = b.model.net(inputs, pool)
    return _margin(z[inv[: a.numel()]], z[inv[a.numel():]], y, cfg.margin)


def _cuda_graphs(dev: torch.device, config: TrainConfig, b: _Batcher) -> bool:
    """Whether training steps run as a replayed CUDA graph: on CUDA, for the binding arch's
    InfoNCE step in its static form (the only one with fixed shapes and no sync).
    ``RECSYS_CUDA_GRAPHS=0`` turns it off."""
    return (
        dev.type == "cuda"
        and b.static
        and config.arch != ARCH_PAPER
        and config.loss == "infonce"
        and os.environ.get("RECSYS_CUDA_GRAPHS", "1") != "0"
    )


class _GraphedStep:
    """A training step (forward, backward, optimiser) as a CUDA graph: the step is ~500 small
    kernels, and launching them one by one from Python costs ~10x the GPU's time for them.
    A few eager warm-up steps first (on a side stream, as CUDA graph capture requires), then
    the step is captured once on a fixed index buffer and replayed for every full batch; a
    last partial batch runs eagerly. Random draws stay seeded: the model's dropout uses the
    default CUDA generator and the masks ``gen``, both registered with the graph."""

    warmup = 3

    def __init__(
        self, step: Callable[[torch.Tensor], torch.Tensor], batch_size: int, gen: torch.Generator, device: torch.device
    ) -> None:
        self.step = step
        self.gen = gen
        self.idx = torch.zeros(batch_size, dtype=torch.long, device=device)
        self.graph: torch.cuda.CUDAGraph | None = None
        self.loss: torch.Tensor | None = None
        self.warm = 0

    def __call__(self, idx: torch.Tensor) -> torch.Tensor:
        if idx.numel() != self.idx.numel():
            return self.step(idx)
        if self.graph is None and self.warm < self.warmup:
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):
                loss = self.step(idx)
            torch.cuda.current_stream().wait_stream(side)
            self.warm += 1
            return loss
        self.idx.copy_(idx)
        if self.graph is None:
            graph = torch.cuda.CUDAGraph()
            graph.register_generator_state(self.gen)
            with torch.cuda.graph(graph):
                self.loss = self.step(self.idx)
            self.graph = graph
        self.graph.replay()
        assert self.loss is not None
        return self.loss


def _split_anchors(rows: int, fraction: float, rng: np.random.Generator) -> np.ndarray:
    n_val = int(round(rows * fraction))
    val = np.zeros(rows, dtype=bool)
    if n_val > 0 and rows - n_val >= 2:
        val[rng.choice(rows, n_val, replace=False)] = True
    return val


def train_fusion(
    data: ModalityData,
    config: TrainConfig = TrainConfig(),
    device: str | None = None,
    progress_callback: Callable[[EpochStats], None] | None = None,
    *,
    pairs: Pairs | None = None,
    tracks: Sequence[int] | np.ndarray | None = None,
) -> tuple[FusionModel, TrainHistory]:
    """Train a fusion model on ``tracks`` (row indices; default all) of ``data``.

    ``pairs``: given pairs (e.g. the authors' pairs.json), restricted to ``tracks``; when
    None, pairs are mined from ``tracks`` alone with ``config.pairs``. Only the rows of
    ``tracks`` are copied to the device, so nothing of another track can reach the model.
    Seeded: the same inputs and config give the same weights (on the same device and
    thread count; on the CPU deterministic kernels are switched on for the run and restored
    after).
    """
    dev = torch.device(pick_device(device))
    # with 2+ CPU threads the backward of a row gather (index_put with accumulate) sums in a
    # racy order; without deterministic kernels two identical runs of the paper arch differ.
    # CPU only. On CUDA the switch would need CUBLAS_WORKSPACE_CONFIG set before CUDA starts
    # (a library cannot do that; in warn-only mode every cuBLAS call warns instead) and it
    # swaps in slower deterministic kernels (+10% epoch time on an H200, eager). A CUDA run
    # is seeded (same pairs, split, order, device generator for the masks); two runs on an
    # H200 gave identical weights, but CUDA does not promise the last bits.
    if dev.type != "cpu":
        # cuda:N made current: the CUDA graph's streams (and its capture's) are made on the
        # current device, which would otherwise stay cuda:0 and capture none of the step
        with torch.cuda.device(dev) if dev.type == "cuda" else contextlib.nullcontext():
            return _train(data, config, dev, progress_callback, pairs, tracks)
    was_det = torch.are_deterministic_algorithms_enabled()
    was_warn = torch.is_deterministic_algorithms_warn_only_enabled()
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        return _train(data, config, dev, progress_callback, pairs, tracks)
    finally:
        torch.use_deterministic_algorithms(was_det, warn_only=was_warn)


def _train(
    data: ModalityData,
    config: TrainConfig,
    dev: torch.device,
    progress_callback: Callable[[EpochStats], None] | None,
    pairs: Pairs | None,
    tracks: Sequence[int] | np.ndarray | None,
) -> tuple[FusionModel, TrainHistory]:
    start = time.perf_counter()
    if config.threads:
        torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    # the masks' and swaps' random numbers: drawn where they are used. On CUDA a CPU
    # generator would mean a host -> device copy (and a sync on the draw's outcome) per
    # draw; on the CPU this is the generator every CPU run so far has used.
    gen = torch.Generator(device=dev) if dev.type == "cuda" else torch.Generator()
    gen.manual_seed(config.seed)

    rows = np.arange(data.n) if tracks is None else np.unique(np.asarray(tracks, dtype=np.int64))
    t_mine = time.perf_counter()
    if pairs is None:
        pairs = mine_pairs(data, config.pairs, candidates=rows)
    else:
        pairs = pairs.restrict(rows)
    mining_seconds = time.perf_counter() - t_mine
    if config.loss == "infonce" and config.arch != ARCH_PAPER:
        pairs_used = pairs.positives()
    else:
        pairs_used = pairs
    if len(pairs_used) == 0:
        raise RecsysError(f"no training pairs among the {len(rows)} training tracks: too few tracks or vectors")
    # local indices: row r of the device tensors is track rows[r]
    local = np.full(data.n, -1, dtype=np.int64)
    local[rows] = np.arange(len(rows))
    a_all, o_all = local[pairs_used.anchor], local[pairs_used.other]
    y_all = pairs_used.label

    is_val = _split_anchors(len(rows), config.val_fraction, rng)
    val_pair = is_val[a_all]
    train_idx, val_idx = np.flatnonzero(~val_pair), np.flatnonzero(val_pair)

    dims = {m: data.dims[m] for m in data.modalities}
    model = FusionModel(config.fusion_config(dims), encoders=data.encoders).to(dev)
    b = _Batcher(model, data, rows, dev)
    # positive pairs as sorted keys over local indices (not an (n, n) matrix: big catalogs)
    n_local = len(rows)
    pos = pairs.positives()
    pa, po = local[pos.anchor], local[pos.other]
    pos_keys = torch.from_numpy(np.unique(np.concatenate([pa * n_local + po, po * n_local + pa]))).to(dev)
    params = list(model.parameters())
    genre_head: _GenreHead | None = None
    if config.genre_weight > 0 and config.arch != ARCH_PAPER:
        names = [data.tracks[int(r)].genres[0] if data.tracks[int(r)].genres else None for r in rows]
        classes = sorted({g for g in names if g})
        if len(classes) >= 2:
            index = {g: i for i, g in enumerate(classes)}
            labels = np.array([index[g] if g else -1 for g in names], dtype=np.int64)
            genre_head = _GenreHead(labels, len(classes), config.out_dim, config.temperature, dev)
            params += list(genre_head.parameters())
    # one fused kernel per step on CUDA instead of a dozen multi-tensor ones (CPU: unchanged)
    graphs = _cuda_graphs(dev, config, b)
    fused = {"fused": True, "capturable": graphs} if dev.type == "cuda" else {}
    opt = torch.optim.Adam(params, lr=config.lr, weight_decay=config.weight_decay, **fused)
    # the pair arrays live on the device: a step slices them there, nothing is copied per step
    a_dev = torch.from_numpy(a_all).to(dev)
    o_dev = torch.from_numpy(o_all).to(dev)
    y_dev = torch.from_numpy(np.ascontiguousarray(y_all, dtype=np.float32)).to(dev)
    val_dev = torch.from_numpy(val_idx).to(dev)

    def batch_loss(idx: torch.Tensor, train: bool) -> torch.Tensor:
        a, o, y = a_dev[idx], o_dev[idx], y_dev[idx]
        if config.arch == ARCH_PAPER:
            return _paper_loss(config, b, a, o, y)
        return _binding_loss(config, b, a, o, y, pos_keys, gen, train, genre_head)

    def train_step(idx: torch.Tensor) -> torch.Tensor:
        loss = batch_loss(idx, True)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.detach()

    step = _GraphedStep(train_step, config.batch_size, gen, dev) if graphs else train_step

    history = TrainHistory(
        train_pairs=len(train_idx), val_pairs=len(val_idx), pair_counts=pairs.counts(), device=str(dev),
        cuda_graphs=graphs,
    )
    best_state = copy.deepcopy(model.state_dict())
    bad = 0
    history.mining_seconds = mining_seconds
    history.setup_seconds = time.perf_counter() - start - mining_seconds
    for epoch in range(1, config.max_epochs + 1):
        t0 = time.perf_counter()
        model.train()
        # the permutation is drawn on the host (the seeded stream of every run so far) and
        # copied once per epoch
        order = torch.from_numpy(train_idx[rng.permutation(len(train_idx))]).to(dev)
        # the loss is summed on the device (in float64, as the Python float sum it replaces)
        # and read once per epoch: no device -> host sync per step
        total = torch.zeros((), dtype=torch.float64, device=dev)
        steps = 0
        for s in range(0, len(order), config.batch_size):
            idx = order[s : s + config.batch_size]
            if len(idx) < 2:
                continue
            total += step(idx).double()
            steps += 1
        val_loss = _validate(model, val_dev, config.batch_size, batch_loss)
        stats = EpochStats(epoch, float(total) / max(steps, 1), val_loss, time.perf_counter() - t0)
        history.epochs.append(stats)
        if progress_callback is not None:
            progress_callback(stats)
        if np.isnan(val_loss):  # no validation pairs: nothing to select on, keep the last
            best_state, history.best_epoch = copy.deepcopy(model.state_dict()), epoch
        elif val_loss < history.best_val_loss - 1e-4:
            history.best_val_loss, history.best_epoch, bad = val_loss, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad += 1
            if bad >= config.patience:
                break
    model.load_state_dict(best_state)
    model.eval()
    history.epoch_seconds = sum(e.seconds for e in history.epochs)
    history.seconds = time.perf_counter() - start
    model.training_info = {"seed": config.seed, "loss": config.loss, **history.as_dict()}
    return model, history


def _validate(
    model: FusionModel, val_idx: torch.Tensor, batch_size: int, batch_loss: Callable[[torch.Tensor, bool], torch.Tensor]
) -> float:
    """Mean loss over fixed batches of the validation pairs (no dropout: comparable epochs).
    The batches stay those of training's size (InfoNCE's negatives are the batch, so a
    bigger batch would be another loss); their sum stays on the device, read once."""
    if len(val_idx) == 0:
        return float("nan")
    model.eval()
    total = torch.zeros((), dtype=torch.float64, device=val_idx.device)
    weight = 0
    with torch.no_grad():
        for s in range(0, len(val_idx), batch_size):
            idx = val_idx[s : s + batch_size]
            if len(idx) < 2:
                continue
            total += batch_loss(idx, False).double() * len(idx)
            weight += len(idx)
    return float(total) / max(weight, 1)
