"""Audio encoder: OpenL3 (the paper's other audio model) through ``torchopenl3``, a PyTorch port
of openl3's network (no TensorFlow; the ``openl3`` package itself downloads its weights in
setup, so it cannot be installed offline).

Optional: ``pip install 'recsys[openl3]'``. The weights (``torchopenl3_mel256_music_512.pth.tar``,
about 19 MB) come from the torchopenl3-models repository on GitHub through ``torch.hub`` and are
cached in torch's hub directory; ``HF_HUB_OFFLINE=1`` forbids that download like the others.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from recsys.encoders.base import Encoder, EncoderInfo, l2_normalise, middle_excerpt, split_waveforms
from recsys.errors import EncoderError

SAMPLE_RATE = 48000  # openl3's only rate: one frame is one second of 48 kHz audio
DURATION = 30.0
INPUT_REPR, CONTENT_TYPE, EMBEDDING_SIZE = "mel256", "music", 512
WEIGHTS_URL = "https://github.com/torchopenl3/torchopenl3-models/raw/master/torchopenl3_{}_{}_{}.pth.tar"


def _import_network() -> Any:
    """``torchopenl3.models.PytorchOpenl3``, or a one-line error saying what to install.

    torchopenl3 pins resampy<0.3, whose import needs ``pkg_resources`` (setuptools < 81). The
    ``openl3`` extra pins that: once resampy is installed, librosa's lazy import of it can be
    set off by any module scan (``inspect.getmodule``, as torch does when it registers ops), so
    without pkg_resources a process using librosa and transformers could fail far from here.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "pkg_resources is deprecated", from resampy
            return importlib.import_module("torchopenl3.models").PytorchOpenl3
    except ModuleNotFoundError as exc:
        if exc.name == "pkg_resources":
            raise EncoderError(
                "cannot load audio encoder openl3: torchopenl3's resampy<0.3 needs pkg_resources "
                "(pip install 'setuptools<81', or pip install 'recsys[openl3]')"
            ) from None
        raise EncoderError(
            f"cannot load audio encoder openl3: {exc.name or exc} is not installed (pip install 'recsys[openl3]')"
        ) from None


def _build(network: Any) -> Any:
    with warnings.catch_warnings():
        # librosa notes empty mel bands of openl3's 256-band filterbank: part of the trained model.
        warnings.simplefilter("ignore", UserWarning)
        return network(content_type=CONTENT_TYPE, input_repr=INPUT_REPR, embedding_size=EMBEDDING_SIZE)


class OpenL3Encoder(Encoder):
    """OpenL3 (music, mel256, 512-d) frame embeddings, mean-pooled, L2-normalised.

    Input: mono 48 kHz waveforms. The middle ``duration`` seconds are cut into frames of one
    second every ``hop`` seconds: openl3's own default is 0.1 s, but one frame costs about 0.4 s
    of CPU (2 cores), and for a 30 s mean non-overlapping frames (``hop=1.0``) lose little; a
    trailing frame shorter than half a second is dropped unless it is the only one, shorter
    frames are zero-padded. Always fp32: the kapre-style spectrogram layer
    sums squared 2048-sample DFTs, which overflows fp16.
    """

    sample_rate: int = SAMPLE_RATE

    def __init__(
        self,
        model: Any,
        *,
        name: str = "openl3",
        model_id: str = f"torchopenl3 {INPUT_REPR}/{CONTENT_TYPE}/{EMBEDDING_SIZE}",
        device: str = "cpu",
        batch_size: int = 32,
        duration: float = DURATION,
        hop: float = 1.0,
        dim: int = EMBEDDING_SIZE,
    ) -> None:
        self.model = model.eval().to(device)
        self.device = device
        self.batch_size = batch_size
        self.duration = float(duration)
        self.hop = float(hop)
        self.info = EncoderInfo(name=name, modality="audio", model=model_id, dim=dim)

    @classmethod
    def from_config(
        cls, *, name: str = "openl3", device: str = "cpu", batch_size: int = 32, hop: float = 1.0
    ) -> OpenL3Encoder:
        """The real network with random weights (its layout is fixed: there is no tiny one)."""
        model = _build(_import_network())
        return cls(model, name=name, model_id="openl3 (random init)", device=device, batch_size=batch_size, hop=hop)

    @classmethod
    def from_pretrained(cls, *, name: str = "openl3", device: str = "cpu", batch_size: int = 32) -> OpenL3Encoder:
        import torch

        from recsys.encoders.hub import hub_offline, one_line, weights_error

        network = _import_network()
        url = WEIGHTS_URL.format(INPUT_REPR, CONTENT_TYPE, EMBEDDING_SIZE)
        cache = Path(torch.hub.get_dir()) / "checkpoints"
        cached = cache / url.rsplit("/", 1)[1]
        model_id = f"torchopenl3 {INPUT_REPR}/{CONTENT_TYPE}/{EMBEDDING_SIZE}"
        where = f"the torch hub cache {cache}"
        try:
            if cached.exists():
                state = torch.load(cached, map_location="cpu", weights_only=True)
            elif hub_offline():
                raise weights_error("audio", name, model_id, "not downloaded", where)
            else:
                state = torch.hub.load_state_dict_from_url(url, map_location="cpu", progress=False)
        except EncoderError:
            raise
        except Exception as exc:
            raise weights_error("audio", name, model_id, one_line(exc), where) from None
        model = _build(network)
        model.load_state_dict(state, strict=True)
        return cls(model, name=name, model_id=model_id, device=device, batch_size=batch_size)

    def frames(self, y: np.ndarray) -> np.ndarray:
        """(n_frames, SAMPLE_RATE) one-second frames of the excerpt."""
        y = middle_excerpt(y, self.duration, SAMPLE_RATE)
        step = max(1, int(self.hop * SAMPLE_RATE))
        starts = list(range(0, max(y.size - SAMPLE_RATE, 0) + 1, step))
        tail = starts[-1] + step
        if y.size > SAMPLE_RATE and y.size - tail >= SAMPLE_RATE // 2:
            starts.append(tail)  # a last, partial frame worth keeping
        out = np.zeros((len(starts), SAMPLE_RATE), dtype=np.float32)
        for i, s in enumerate(starts):
            piece = y[s : s + SAMPLE_RATE]
            out[i, : piece.size] = piece
        return out

    def encode(self, items: Sequence[np.ndarray]) -> np.ndarray:
        import torch

        frames, owner = split_waveforms(items, self.frames)
        if not frames:
            return np.zeros((0, self.dim), dtype=np.float32)
        batch = np.stack(frames)
        rows: list[np.ndarray] = []
        with torch.inference_mode():
            for s in range(0, len(batch), self.batch_size):
                x = torch.from_numpy(batch[s : s + self.batch_size]).unsqueeze(1).to(self.device)
                rows.append(self.model(x).float().cpu().numpy())
        # Mean of the raw frame embeddings, as the paper mean-pooled VGGish frames.
        pooled = np.zeros((len(items), self.dim), dtype=np.float64)
        np.add.at(pooled, owner, np.concatenate(rows))
        pooled /= np.bincount(owner, minlength=len(items))[:, None]
        return l2_normalise(pooled)
