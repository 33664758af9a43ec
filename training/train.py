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

import copy
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
        }


class _Batcher:
    """The training tensors of one run, on the device, with the helpers the losses share."""

    def __init__(self, model: FusionModel, data: ModalityData, rows: np.ndarray, device: torch.device) -> None:
        self.model = model
        self.device = device
        mods = model.modalities
        self.x = {m: torch.from_numpy(np.ascontiguousarray(data.vectors[m][rows], dtype=np.float32)).to(device) for m in mods}
        present = np.stack([data.masks[m][rows] for m in mods], axis=1)
        self.present = torch.from_numpy(present).to(device)
        self.x_alt = {
            m: torch.from_numpy(np.ascontiguousarray(data.alternates[m][rows], dtype=np.float32)).to(device)
            for m in mods
            if m in data.alternates
        }

    def inputs(self, idx: torch.Tensor) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        return self.model.prepare({m: v[idx] for m, v in self.x.items()}, self.present[idx])

    def drop(self, present: torch.Tensor, p: float, gen: torch.Generator) -> torch.Tensor:
        """Hide each present modality with probability p, keeping at least one."""
        if p <= 0:
            return present
        keep = torch.rand(present.shape, generator=gen, device="cpu").to(self.device) >= p
        kept = present & keep
        # a row that lost everything keeps one random modality of those it had
        empty = ~kept.any(dim=1) & present.any(dim=1)
        if empty.any():
            scores = torch.rand(present.shape, generator=gen, device="cpu").to(self.device)
            scores = scores.masked_fill(~present, -1.0)
            pick = F.one_hot(scores.argmax(dim=1), present.shape[1]).bool()
            kept = torch.where(empty.unsqueeze(1), pick, kept)
        return kept


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
            perm = torch.randperm(rows.numel(), generator=gen).to(b.device)
            ones = torch.ones(rows.numel(), device=b.device)
            losses.append(0.5 * (_margin(z_m, target, ones, cfg.margin) + _margin(z_m, target[perm], 0 * ones, cfg.margin)))
    return torch.stack(losses).mean() if losses else tok.new_zeros(())


def _swap_alternates(
    cfg: TrainConfig, b: _Batcher, tracks: torch.Tensor, tok: torch.Tensor, gen: torch.Generator
) -> torch.Tensor:
    """For a random share of the batch's tracks, the token of each modality that has a
    label-free alternate is computed from the alternate instead."""
    if not b.x_alt or cfg.alternate_swap <= 0:
        return tok
    swap = (torch.rand(tracks.numel(), generator=gen) < cfg.alternate_swap).to(b.device)
    x = {m: (b.x_alt[m] if m in b.x_alt else v)[tracks] for m, v in b.x.items()}
    alt_inputs, _ = b.model.prepare(x, b.present[tracks])
    cols = []
    for j, m in enumerate(b.model.modalities):
        if m in b.x_alt:
            alt = b.model.net.token(m, alt_inputs[m])  # type: ignore[operator]
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
        anchors = torch.unique(ia)
        loss = loss + cfg.align_weight * _alignment(cfg, b, tok[anchors], present[anchors], gen)
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
    thread count; deterministic kernels are switched on for the run and restored after).
    """
    # with 2+ CPU threads the backward of a row gather (index_put with accumulate) sums in a
    # racy order; without deterministic kernels two identical runs of the paper arch differ
    was_det = torch.are_deterministic_algorithms_enabled()
    was_warn = torch.is_deterministic_algorithms_warn_only_enabled()
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        return _train(data, config, device, progress_callback, pairs, tracks)
    finally:
        torch.use_deterministic_algorithms(was_det, warn_only=was_warn)


def _train(
    data: ModalityData,
    config: TrainConfig,
    device: str | None,
    progress_callback: Callable[[EpochStats], None] | None,
    pairs: Pairs | None,
    tracks: Sequence[int] | np.ndarray | None,
) -> tuple[FusionModel, TrainHistory]:
    start = time.perf_counter()
    if config.threads:
        torch.set_num_threads(config.threads)
    dev = torch.device(pick_device(device))
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    gen = torch.Generator().manual_seed(config.seed)

    rows = np.arange(data.n) if tracks is None else np.unique(np.asarray(tracks, dtype=np.int64))
    if pairs is None:
        pairs = mine_pairs(data, config.pairs, candidates=rows)
    else:
        pairs = pairs.restrict(rows)
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
    opt = torch.optim.Adam(params, lr=config.lr, weight_decay=config.weight_decay)

    def batch_loss(idx: np.ndarray, train: bool) -> torch.Tensor:
        a = torch.from_numpy(a_all[idx]).to(dev)
        o = torch.from_numpy(o_all[idx]).to(dev)
        y = torch.from_numpy(y_all[idx]).to(dev)
        if config.arch == ARCH_PAPER:
            return _paper_loss(config, b, a, o, y)
        return _binding_loss(config, b, a, o, y, pos_keys, gen, train, genre_head)

    history = TrainHistory(
        train_pairs=len(train_idx), val_pairs=len(val_idx), pair_counts=pairs.counts(), device=str(dev)
    )
    best_state = copy.deepcopy(model.state_dict())
    bad = 0
    for epoch in range(1, config.max_epochs + 1):
        t0 = time.perf_counter()
        model.train()
        order = train_idx[rng.permutation(len(train_idx))]
        total, steps = 0.0, 0
        for s in range(0, len(order), config.batch_size):
            idx = order[s : s + config.batch_size]
            if len(idx) < 2:
                continue
            loss = batch_loss(idx, True)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss.detach())
            steps += 1
        val_loss = _validate(model, val_idx, config.batch_size, batch_loss)
        stats = EpochStats(epoch, total / max(steps, 1), val_loss, time.perf_counter() - t0)
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
    history.seconds = time.perf_counter() - start
    model.training_info = {"seed": config.seed, "loss": config.loss, **history.as_dict()}
    return model, history


def _validate(
    model: FusionModel, val_idx: np.ndarray, batch_size: int, batch_loss: Callable[[np.ndarray, bool], torch.Tensor]
) -> float:
    """Mean loss over fixed batches of the validation pairs (no dropout: comparable epochs)."""
    if len(val_idx) == 0:
        return float("nan")
    model.eval()
    total, weight = 0.0, 0
    with torch.no_grad():
        for s in range(0, len(val_idx), batch_size):
            idx = val_idx[s : s + batch_size]
            if len(idx) < 2:
                continue
            total += float(batch_loss(idx, False)) * len(idx)
            weight += len(idx)
    return total / max(weight, 1)
