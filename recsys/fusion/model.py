"""The fusion model: modality vectors of a track -> one 128-d L2-normalised vector.

Two architectures behind one interface (``FusionModel.embed``):

- ``paper``: the published model (Tabaza et al. 2024), exactly: per modality
  Linear(d, d//c) + ReLU, concatenation, Linear(cat, cat*e) + ReLU, Linear(cat*e, 128).
  A missing modality is a zero vector, as the authors fed it.
- ``binding`` (default): per-modality projection heads into one shared space, a masked,
  learned-weight mean over the modalities a track *has*, and a residual MLP. A missing
  modality is masked out of the mean, never zero-filled, so a track with one modality (a
  query made of one cover image or one audio clip) goes through the same path and lands in
  the same space as the fully described tracks it is compared with.

A checkpoint is a folder: ``fusion_config.json`` (architecture, input dims, hyperparameters,
encoder names, metrics) + ``fusion.safetensors`` (weights), like a sentence-transformers
module, so it loads without pickle and is checked against a collection before use.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from recsys.errors import EncoderError

CONFIG_FILE = "fusion_config.json"
WEIGHTS_FILE = "fusion.safetensors"
FORMAT = "recsys-fusion"
FORMAT_VERSION = 1
ARCH_PAPER = "paper"
ARCH_BINDING = "binding"
ARCHS = (ARCH_PAPER, ARCH_BINDING)

# The architecture's defaults, one source for ``FusionConfig`` and the trainer's
# ``training.train.TrainConfig`` (which builds a FusionConfig from its own fields).
DEFAULT_OUT_DIM = 128
DEFAULT_CONTRACTION = 2
DEFAULT_EXPANSION = 4
DEFAULT_HIDDEN = 256
DEFAULT_INPUT_DROPOUT = 0.2
DEFAULT_MASK_MISSING = True


@dataclass(frozen=True)
class FusionConfig:
    """Everything needed to rebuild the network (weights aside)."""

    #: (modality, input dim) in the order the model reads them
    input_dims: tuple[tuple[str, int], ...]
    arch: str = ARCH_BINDING
    out_dim: int = DEFAULT_OUT_DIM
    # paper arch
    contraction: int = DEFAULT_CONTRACTION
    expansion: int = DEFAULT_EXPANSION
    # binding arch
    hidden: int = DEFAULT_HIDDEN
    #: dropout on the input features of each head (training only)
    input_dropout: float = DEFAULT_INPUT_DROPOUT
    #: L2-normalise each modality vector first: encoders differ in scale (raw mxbai rows
    #: have norm ~17, VGGish ~1) and the mean must not be dominated by the loudest one
    normalize_inputs: bool = True
    #: False: zero-fill missing modalities and count them as present (the paper's way; an
    #: ablation of the binding arch)
    mask_missing: bool = DEFAULT_MASK_MISSING

    def __post_init__(self) -> None:
        if self.arch not in ARCHS:
            raise EncoderError(f"unknown fusion architecture '{self.arch}' (known: {', '.join(ARCHS)})")
        if not self.input_dims:
            raise EncoderError("a fusion model needs at least one input modality")

    @property
    def dims(self) -> dict[str, int]:
        return dict(self.input_dims)

    @property
    def modalities(self) -> tuple[str, ...]:
        return tuple(m for m, _ in self.input_dims)

    @classmethod
    def paper(
        cls, dims: Mapping[str, int], contraction: int = DEFAULT_CONTRACTION, expansion: int = DEFAULT_EXPANSION
    ) -> "FusionConfig":
        """The published architecture: raw inputs, zeros for missing modalities."""
        return cls(
            input_dims=tuple(dims.items()),
            arch=ARCH_PAPER,
            contraction=contraction,
            expansion=expansion,
            input_dropout=0.0,
            normalize_inputs=False,
            mask_missing=False,
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        # a list of pairs, not an object: the order is the concatenation order of the paper
        # arch and must survive JSON writers that sort keys
        d["input_dims"] = [[m, dim] for m, dim in self.input_dims]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "FusionConfig":
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in d.items() if k in known}
        dims = d["input_dims"]
        items = dims.items() if isinstance(dims, Mapping) else dims
        kwargs["input_dims"] = tuple((str(m), int(v)) for m, v in items)
        return cls(**kwargs)


class _PaperNet(nn.Module):
    def __init__(self, cfg: FusionConfig) -> None:
        super().__init__()
        c, e = cfg.contraction, cfg.expansion
        self.encoders = nn.ModuleDict(
            {m: nn.Sequential(nn.Linear(d, d // c), nn.ReLU()) for m, d in cfg.input_dims}
        )
        cat = sum(d // c for _, d in cfg.input_dims)
        self.combined = nn.Sequential(nn.Linear(cat, cat * e), nn.ReLU(), nn.Linear(cat * e, cfg.out_dim))

    def forward(self, x: dict[str, torch.Tensor], present: torch.Tensor) -> torch.Tensor:
        del present  # zero-filled inputs stand for missing modalities, as in the paper
        return self.combined(torch.cat([enc(x[m]) for m, enc in self.encoders.items()], dim=1))


class _BindingNet(nn.Module):
    def __init__(self, cfg: FusionConfig) -> None:
        super().__init__()
        self.modalities = cfg.modalities
        self.heads = nn.ModuleDict(
            {
                m: nn.Sequential(
                    nn.Dropout(cfg.input_dropout),
                    nn.Linear(d, cfg.hidden),
                    nn.GELU(),
                    nn.Linear(cfg.hidden, cfg.out_dim),
                )
                for m, d in cfg.input_dims
            }
        )
        # one learned weight per modality: the mean is a weighted mean over those present
        self.modality_logits = nn.Parameter(torch.zeros(len(cfg.input_dims)))
        self.mixer = nn.Sequential(
            nn.LayerNorm(cfg.out_dim),
            nn.Linear(cfg.out_dim, cfg.hidden),
            nn.GELU(),
            nn.Linear(cfg.hidden, cfg.out_dim),
        )

    def token(self, modality: str, x: torch.Tensor) -> torch.Tensor:
        """(n, out): one modality projected alone, unit length so that no head can dominate
        the mean by scale."""
        return F.normalize(self.heads[modality](x), dim=-1)

    def tokens(self, x: dict[str, torch.Tensor]) -> torch.Tensor:
        """(n, M, out): every modality's token."""
        return torch.stack([self.token(m, x[m]) for m in self.modalities], dim=1)

    def fuse(self, tokens: torch.Tensor, present: torch.Tensor) -> torch.Tensor:
        """Weighted mean over present modalities + residual MLP. ``present`` (n, M) bool.
        Rows with nothing present come out as zeros."""
        logits = self.modality_logits.expand(tokens.shape[0], -1)
        logits = logits.masked_fill(~present, float("-inf"))
        any_present = present.any(dim=1, keepdim=True)
        w = torch.softmax(logits.masked_fill(~any_present, 0.0), dim=1) * present
        pooled = (w.unsqueeze(-1) * tokens).sum(dim=1)
        out = pooled + self.mixer(pooled)
        return out * any_present

    def forward(self, x: dict[str, torch.Tensor], present: torch.Tensor) -> torch.Tensor:
        return self.fuse(self.tokens(x), present)


class FusionModel(nn.Module):
    """A fusion network with its config, the encoders whose vectors it reads and the
    metrics it was saved with."""

    def __init__(
        self,
        config: FusionConfig,
        encoders: Mapping[str, str] | None = None,
        metrics: Mapping[str, Any] | None = None,
        training: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.encoders: dict[str, str] = dict(encoders or {})
        self.metrics: dict[str, Any] = dict(metrics or {})
        self.training_info: dict[str, Any] = dict(training or {})
        self.net: nn.Module = _PaperNet(config) if config.arch == ARCH_PAPER else _BindingNet(config)

    @property
    def modalities(self) -> tuple[str, ...]:
        return self.config.modalities

    @property
    def out_dim(self) -> int:
        return self.config.out_dim

    # -- tensors ----------------------------------------------------------------------
    def prepare(
        self, x: Mapping[str, torch.Tensor], present: torch.Tensor
    ) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        """Inputs the network may read: missing rows replaced by zeros (so whatever they
        held, NaN included, cannot reach the output), optionally L2-normalised; and the
        presence matrix the network pools with (all True when missing means zeros)."""
        out: dict[str, torch.Tensor] = {}
        for j, m in enumerate(self.modalities):
            v = x[m]
            if self.config.normalize_inputs:
                v = F.normalize(torch.nan_to_num(v), dim=-1)
            out[m] = torch.where(present[:, j : j + 1], v, torch.zeros((), dtype=v.dtype, device=v.device))
        pool = present if self.config.mask_missing else torch.ones_like(present)
        return out, pool

    def forward(self, x: Mapping[str, torch.Tensor], present: torch.Tensor) -> torch.Tensor:
        """Raw (not normalised) fused vectors. ``present`` (n, M) bool in ``modalities`` order."""
        inputs, pool = self.prepare(x, present)
        return self.net(inputs, pool)

    # -- numpy interface ----------------------------------------------------------------
    def embed(
        self,
        vectors: Mapping[str, np.ndarray],
        mask: Mapping[str, np.ndarray] | None = None,
        *,
        device: str | torch.device | None = None,
        batch_size: int = 2048,
    ) -> np.ndarray:
        """Fused, L2-normalised float32 vectors (n, out_dim).

        ``vectors``: modality -> (n, d). A modality the model reads but ``vectors`` lacks is
        missing for every track; modalities the model does not read are ignored.
        ``mask``: modality -> (n,) bool, True = present. Missing rows never influence the
        output. Without a mask, all-zero and non-finite rows count as missing. A track with
        no modality present gets a zero row.
        """
        present_arrays = [m for m in self.modalities if m in vectors]
        if not present_arrays:
            raise EncoderError(
                f"fusion model reads {', '.join(self.modalities)}; none of them was given"
                f" (got {', '.join(vectors) or 'nothing'})"
            )
        n = int(np.asarray(vectors[present_arrays[0]]).shape[0])
        dims = self.config.dims
        cols: list[np.ndarray] = []
        mats: dict[str, np.ndarray] = {}
        for m in self.modalities:
            if m not in vectors:
                mats[m] = np.zeros((n, dims[m]), dtype=np.float32)
                cols.append(np.zeros(n, dtype=bool))
                continue
            v = np.asarray(vectors[m], dtype=np.float32)
            if v.ndim != 2 or v.shape[1] != dims[m]:
                raise EncoderError(f"fusion model expects {m} {dims[m]}-d, got shape {v.shape}")
            if v.shape[0] != n:
                raise EncoderError(f"{m} has {v.shape[0]} rows, expected {n}")
            finite = np.isfinite(v).all(axis=1)
            if mask is not None and m in mask:
                keep = np.asarray(mask[m], dtype=bool).reshape(n) & finite
            else:
                keep = finite & (np.abs(np.nan_to_num(v)).sum(axis=1) > 0)
            mats[m] = v
            cols.append(keep)
        present = np.stack(cols, axis=1)
        dev = torch.device(device) if device is not None else next(self.parameters()).device
        was_training = self.training
        self.to(dev).eval()
        out = np.zeros((n, self.out_dim), dtype=np.float32)
        try:
            with torch.inference_mode():
                for s in range(0, n, batch_size):
                    xb = {m: torch.from_numpy(mats[m][s : s + batch_size]).to(dev) for m in self.modalities}
                    pb = torch.from_numpy(present[s : s + batch_size]).to(dev)
                    z = F.normalize(self(xb, pb), dim=-1)
                    out[s : s + batch_size] = z.float().cpu().numpy()
        finally:
            self.train(was_training)
        out[~present.any(axis=1)] = 0.0
        return out

    # -- files --------------------------------------------------------------------------
    def save(self, folder: Path | str) -> Path:
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "config": self.config.to_dict(),
            "encoders": self.encoders,
            "metrics": self.metrics,
            "training": self.training_info,
        }
        (folder / CONFIG_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True, default=_jsonable) + "\n")
        state = {k: v.detach().cpu().contiguous() for k, v in self.state_dict().items()}
        save_file(state, str(folder / WEIGHTS_FILE), metadata={"format": FORMAT})
        return folder

    @classmethod
    def load(
        cls,
        folder: Path | str,
        expected_dims: Mapping[str, int] | None = None,
        device: str | torch.device = "cpu",
    ) -> "FusionModel":
        """Read a checkpoint; with ``expected_dims`` (the collection's modality -> dim),
        fail with a message naming the mismatch before any vector is fused."""
        from safetensors.torch import load_file

        folder = Path(folder)
        cfg_path, w_path = folder / CONFIG_FILE, folder / WEIGHTS_FILE
        if not cfg_path.is_file() or not w_path.is_file():
            raise EncoderError(f"{folder} is not a fusion checkpoint (needs {CONFIG_FILE} and {WEIGHTS_FILE})")
        try:
            meta = json.loads(cfg_path.read_text())
            if meta.get("format") != FORMAT:
                raise ValueError(f"format is {meta.get('format')!r}, expected {FORMAT!r}")
            config = FusionConfig.from_dict(meta["config"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EncoderError(f"cannot read fusion config {cfg_path}: {exc}") from None
        if expected_dims is not None:
            check_dims(config.dims, expected_dims)
        model = cls(config, meta.get("encoders"), meta.get("metrics"), meta.get("training"))
        try:
            state = load_file(str(w_path))
            model.load_state_dict(state, strict=True)
        except (OSError, RuntimeError, ValueError) as exc:
            raise EncoderError(f"fusion weights {w_path} do not match {CONFIG_FILE}: {exc}") from None
        return model.to(device).eval()


def check_dims(checkpoint: Mapping[str, int], collection: Mapping[str, int]) -> None:
    """A modality both sides have must have the same dimension; at least one must be shared.
    (A modality only one side has is fine: the binding model masks it out.)"""
    for m, d in checkpoint.items():
        if m in collection and int(collection[m]) != int(d):
            raise EncoderError(f"checkpoint expects {m} {d}-d, collection has {collection[m]}-d")
    if not set(checkpoint) & set(collection):
        raise EncoderError(
            f"checkpoint reads {', '.join(checkpoint)}; collection has {', '.join(collection) or 'no vectors'}"
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


__all__ = [
    "ARCH_BINDING",
    "ARCH_PAPER",
    "FusionConfig",
    "FusionModel",
    "check_dims",
]
