"""Tiny deterministic encoders for tests: real, data-dependent features (so similar inputs
give similar vectors), computed in microseconds, registered under their own names."""

from __future__ import annotations

import hashlib
import re
import time
from typing import Sequence

import numpy as np

from recsys.encoders import EncoderInfo, EncoderSpec, l2_normalise, register_encoder
from recsys.encoders.base import Encoder

TEXT_DIM, IMAGE_DIM, AUDIO_DIM = 64, 48, 24


class HashedWordsEncoder(Encoder):
    """Bag of words hashed into 64 signed buckets."""

    def __init__(self, name="tiny-text"):
        self.info = EncoderInfo(name=name, modality="text", model="hashed-words-64", dim=TEXT_DIM)

    def encode(self, items: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(items), TEXT_DIM), dtype=np.float32)
        for i, text in enumerate(items):
            for word in re.findall(r"[a-z]+", text.lower()):
                h = int.from_bytes(hashlib.md5(word.encode()).digest()[:4], "little")
                out[i, h % TEXT_DIM] += 1.0 if (h >> 16) & 1 else -1.0
        out[np.all(out == 0, axis=1), 0] = 1.0
        return l2_normalise(out)


class ColourGridEncoder(Encoder):
    """The image shrunk to 4x4 RGB, centred."""

    def __init__(self, name="tiny-image"):
        self.info = EncoderInfo(name=name, modality="image", model="colour-grid-4x4", dim=IMAGE_DIM)

    def encode(self, items) -> np.ndarray:
        rows = [np.asarray(im.convert("RGB").resize((4, 4)), dtype=np.float32).ravel() / 255.0 - 0.5 for im in items]
        out = np.stack(rows) + 1e-3
        return l2_normalise(out)


class BandEnergyEncoder(Encoder):
    """Log energy in 24 frequency bands of the first seconds, centred."""

    sample_rate = 8000
    duration = 3.0

    def __init__(self, name="tiny-audio", delay: float = 0.0):
        self.info = EncoderInfo(name=name, modality="audio", model="band-energy-24", dim=AUDIO_DIM)
        self.delay = delay

    def encode(self, items) -> np.ndarray:
        if self.delay:
            time.sleep(self.delay)  # lets a test kill an ingest midway
        out = []
        for y in items:
            spec = np.abs(np.fft.rfft(np.asarray(y, dtype=np.float64)[: self.sample_rate * 3]))
            bands = np.array_split(spec, AUDIO_DIM)
            e = np.log1p(np.array([b.sum() for b in bands]))
            out.append(e - e.mean() + 1e-3)
        return l2_normalise(np.stack(out))


def register_tiny_encoders(audio_delay: float = 0.0) -> None:
    specs = [
        EncoderSpec("tiny-text", "text", "hashed-words-64", TEXT_DIM, lambda s, d, b: HashedWordsEncoder()),
        EncoderSpec("tiny-image", "image", "colour-grid-4x4", IMAGE_DIM, lambda s, d, b: ColourGridEncoder()),
        EncoderSpec(
            "tiny-audio", "audio", "band-energy-24", AUDIO_DIM, lambda s, d, b: BandEnergyEncoder(delay=audio_delay)
        ),
    ]
    for spec in specs:
        register_encoder(spec, replace=True)


TINY = {"text_encoder": "tiny-text", "image_encoder": "tiny-image", "audio_encoder": "tiny-audio"}


COLOUR_WORDS = {"red": (1, 0, 0), "green": (0, 1, 0), "blue": (0, 0, 1), "yellow": (1, 1, 0)}


class TinyColourClip(Encoder):
    """A CLIP-shaped toy: an image's mean colour, and colour words of a text, in one 3-d space
    (centred, so that 'red' is far from 'blue')."""

    text_space = True

    def __init__(self, name="tiny-clip"):
        self.info = EncoderInfo(name=name, modality="image", model="colour-clip-3", dim=3)

    def encode(self, items) -> np.ndarray:
        rgb = np.stack([np.asarray(im.convert("RGB"), dtype=np.float32).mean(axis=(0, 1)) / 255.0 for im in items])
        return l2_normalise(rgb - 1 / 3 + 1e-4)

    def encode_text(self, texts) -> np.ndarray:
        out = []
        for t in texts:
            cols = [COLOUR_WORDS[w] for w in re.findall(r"[a-z]+", t.lower()) if w in COLOUR_WORDS] or [(1, 1, 1)]
            out.append(np.mean(np.array(cols, dtype=np.float32), axis=0) / 1.0 - 1 / 3 + 1e-4)
        return l2_normalise(np.stack(out))


def register_tiny_clip() -> None:
    register_encoder(EncoderSpec("tiny-clip", "image", "colour-clip-3", 3, lambda s, d, b: TinyColourClip()), replace=True)


# --------------------------------------------------------------------------- tiny hub models
# Tiny randomly initialised configurations of the real architectures (OpenL3's layout is fixed:
# its full network with random weights), built offline in well under a second each.

TINY_CLIP = {
    "embed_dim": 24,
    "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "patch_size": 8, "head_width": 16},
    "text_cfg": {"context_length": 16, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1},
}
TINY_CLIP_NAME = "recsys-tiny-clip"


def tiny_clip(name: str = "tiny-clip", batch_size: int = 3, half: bool | None = None, device: str = "cpu"):
    """OpenCLIP with a 24-d space (``TINY_CLIP``), random weights; needs open_clip_torch."""
    import json
    import tempfile
    from pathlib import Path

    import open_clip

    from recsys.encoders.clip import ClipEncoder

    if TINY_CLIP_NAME not in open_clip.list_models():
        # open_clip registers a config from a file it reads at once and keeps what it read,
        # so the file (and its folder) can go: every test session used to leave one in /tmp
        with tempfile.TemporaryDirectory(prefix="recsys-open-clip-") as folder:
            path = Path(folder) / f"{TINY_CLIP_NAME}.json"
            path.write_text(json.dumps(TINY_CLIP))
            open_clip.add_model_config(path)
    return ClipEncoder.from_config(
        TINY_CLIP_NAME, pretrained=None, name=name, batch_size=batch_size, half=half, device=device
    )


def tiny_dinov2(name: str = "tiny-dinov2", batch_size: int = 3, half: bool | None = None, device: str = "cpu"):
    """DINOv2 with a 32-d CLS token on 28-pixel crops, random weights."""
    from transformers import Dinov2Config

    from recsys.encoders.dinov2 import Dinov2Encoder

    config = Dinov2Config(
        hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37, patch_size=7, image_size=28
    )
    return Dinov2Encoder.from_config(config, name=name, batch_size=batch_size, crop=28, half=half, device=device)


def tiny_clap(name: str = "tiny-clap", batch_size: int = 4, duration: float = 6.0, **kw):
    """CLAP with a 24-d space, 2 s windows, a 6 s excerpt and a byte-level tokenizer, random weights."""
    from transformers import ClapConfig

    from recsys.encoders.clap import ClapEncoder

    config = ClapConfig(
        text_config=dict(
            vocab_size=261, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
            intermediate_size=37, max_position_embeddings=80,
        ),
        audio_config=dict(
            spec_size=64, num_mel_bins=16, window_size=4, patch_size=2, patch_stride=2, hidden_size=32,
            patch_embeds_hidden_size=16, depths=[1, 1], num_attention_heads=[2, 2], intermediate_size=37,
        ),
        projection_dim=24,
    )
    return ClapEncoder.from_config(config, name=name, batch_size=batch_size, duration=duration, **kw)


def random_openl3(name: str = "openl3-random", batch_size: int = 2, device: str = "cpu"):
    """The real OpenL3 network (512-d) with random weights; needs torchopenl3."""
    from recsys.encoders.openl3 import OpenL3Encoder

    return OpenL3Encoder.from_config(name=name, batch_size=batch_size, device=device)


def preset_on_minilm(name: str, batch_size: int = 2):
    """A text preset's encoder class and prefix on the bundled MiniLM (no hub weights here)."""
    from recsys.encoders import get_encoder
    from recsys.encoders.presets import TEXT_PRESETS, PresetTextEncoder

    model_id, _, prefix, _, _ = TEXT_PRESETS[name]
    return PresetTextEncoder(get_encoder("minilm", device="cpu").model, name, model_id, "cpu", batch_size, prefix)
