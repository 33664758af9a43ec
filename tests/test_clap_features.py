"""CLAP's input features computed in torch (``ClapEncoder.features``) against transformers'
``ClapFeatureExtractor``, which they replace; and CLAP in fp16.

The port keeps the FFT in float64 and stores it in complex64, as the extractor does, so the two
agree to float32 rounding of the dB values (about 1e-5 dB); the tests allow 1e-4 dB."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from tests.support.tiny_encoders import tiny_clap

pytest.importorskip("transformers")
torch = pytest.importorskip("torch")

SR = 48000
TOL_DB = 1e-4


def waveforms(n: int) -> dict[str, np.ndarray]:
    """Windows of at most ``n`` samples: full ones, and shorter ones that get padded."""
    rng = np.random.default_rng(7)
    t = np.arange(n) / SR
    return {
        "tone": (0.5 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32),
        "chord": (0.2 * np.sin(2 * np.pi * 261.6 * t) + 0.2 * np.sin(2 * np.pi * 3520.0 * t)).astype(np.float32),
        "noise": (0.1 * rng.standard_normal(n)).astype(np.float32),
        "short tone": (0.3 * np.sin(2 * np.pi * 1000.0 * t[: int(0.3 * SR)])).astype(np.float32),
        "short noise": (0.1 * rng.standard_normal(n // 2 + 123)).astype(np.float32),
        "silence": np.zeros(n, dtype=np.float32),
        "short silence": np.zeros(n // 3, dtype=np.float32),
        "float64 noise": 0.2 * rng.standard_normal(n - 4801),
        "loud clipped": np.clip(3.0 * rng.standard_normal(n), -1, 1).astype(np.float32),
    }


def extractor_features(fe, pieces) -> np.ndarray:
    return np.asarray(fe(pieces, sampling_rate=SR, return_tensors="np")["input_features"], dtype=np.float32)


def check_against_extractor(enc) -> None:
    fe = enc.feature_extractor
    assert enc.torch_features
    waves = waveforms(enc.window)
    for name, w in waves.items():
        ours = enc.features([w])
        assert ours.dtype == torch.float32 and str(ours.device) == enc.device
        diff = np.abs(ours.numpy() - extractor_features(fe, [w]))
        assert diff.max() <= TOL_DB, f"{name}: {diff.max()} dB"
    batch = list(waves.values())  # one batch of mixed lengths: rows do not affect each other
    ours = enc.features(batch).numpy()
    theirs = extractor_features(fe, batch)
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).max() <= TOL_DB


@pytest.fixture(scope="module")
def clap():
    return tiny_clap()


@pytest.mark.parametrize("padding", ["repeatpad", "repeat", "pad"])
def test_tiny_clap_features_match_the_extractor(clap, padding, monkeypatch):
    monkeypatch.setattr(clap.feature_extractor, "padding", padding)
    assert clap.feature_extractor.truncation == "rand_trunc"
    assert clap.features([np.zeros(100, np.float32)]).shape == (1, 1, 201, 16)  # 2 s windows, 16 mels
    check_against_extractor(clap)


def test_real_clap_extractor_defaults_are_those_of_laion_clap():
    from transformers import ClapFeatureExtractor

    fe = ClapFeatureExtractor()
    assert (fe.feature_size, fe.sampling_rate, fe.hop_length, fe.max_length_s, fe.fft_window_size) == (
        64, 48000, 480, 10, 1024,
    )
    assert (fe.padding, fe.truncation, fe.nb_max_samples, fe.top_db) == ("repeatpad", "fusion", 480000, None)


@pytest.mark.parametrize("truncation", ["rand_trunc", "fusion"])
@pytest.mark.parametrize("frequency_min", [0, 50])  # the class default; the hub configs' value
def test_real_clap_features_match_the_extractor(clap, truncation, frequency_min):
    """The laion/clap-htsat-* extractor (64 mels, 10 s): "rand_trunc" (unfused checkpoints) gives
    one mel per window with Slaney filters, "fusion" the same HTK-filtered mel four times."""
    from transformers import ClapFeatureExtractor

    from recsys.encoders.clap import ClapEncoder

    fe = ClapFeatureExtractor(truncation=truncation, frequency_min=frequency_min)
    enc = ClapEncoder(clap.model, fe, clap.tokenizer, name="clap-real-features", model_id="test")
    assert enc.window == 480000
    assert enc.features([np.zeros(100, np.float32)]).shape == (1, 1 if truncation == "rand_trunc" else 4, 1001, 64)
    check_against_extractor(enc)


def test_vectors_with_torch_features_equal_those_with_the_extractors(clap, monkeypatch):
    rng = np.random.default_rng(3)
    t = np.arange(int(5.3 * SR)) / SR
    clips = [
        (0.4 * np.sin(2 * np.pi * 330.0 * t)).astype(np.float32),
        (0.1 * rng.standard_normal(int(7.5 * SR))).astype(np.float32),  # cut to its middle 6 s
        (0.3 * np.sin(2 * np.pi * 880.0 * t[: int(0.4 * SR)])).astype(np.float32),  # repeat-padded
        np.zeros(3 * SR, dtype=np.float32),
    ]
    ours = clap.encode(clips)
    monkeypatch.setattr(clap, "torch_features", False)
    theirs = clap.encode(clips)
    np.testing.assert_allclose(ours, theirs, atol=1e-4)


def test_what_is_not_ported_goes_to_the_extractor(clap):
    """A window longer than the extractor's maximum (never made by ``windows``) is cropped at
    random by the extractor; an extractor subclass may compute anything: both use it."""
    from transformers import ClapFeatureExtractor

    from recsys.encoders.clap import ClapEncoder

    long = np.zeros(clap.window + 10, dtype=np.float32)
    assert clap.features([long]).shape == (1, 1, 201, 16)

    class Custom(ClapFeatureExtractor):
        pass

    fe = Custom(feature_size=16, max_length_s=2, truncation="rand_trunc")
    assert not ClapEncoder(clap.model, fe, clap.tokenizer, name="custom", model_id="test").torch_features
    fe = ClapFeatureExtractor(feature_size=16, max_length_s=2, truncation="rand_trunc", padding="wrap")
    assert not ClapEncoder(clap.model, fe, clap.tokenizer, name="odd-padding", model_id="test").torch_features


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_clap_in_fp16_on_cpu_agrees_with_fp32():
    """``half=True`` builds the model in fp16 even on CPU; features are cast to what the audio
    tower's first layer takes (``input_dtype``), so fp16 and fp32 give nearly the same vectors."""
    from recsys.encoders.clap import ClapEncoder

    config = tiny_clap().model.config
    torch.manual_seed(11)
    full = ClapEncoder.from_config(config, name="clap-fp32", duration=6.0, batch_size=4, half=False)
    torch.manual_seed(11)
    half = ClapEncoder.from_config(config, name="clap-fp16", duration=6.0, batch_size=4, half=True)
    assert full.dtype == torch.float32 and half.dtype == torch.float16
    assert next(half.model.audio_model.parameters()).dtype == torch.float16
    for key, value in full.model.state_dict().items():  # the same weights, rounded
        assert torch.equal(value.to(half.model.state_dict()[key].dtype), half.model.state_dict()[key]), key

    rng = np.random.default_rng(5)
    t = np.arange(int(4.5 * SR)) / SR
    clips = [
        (0.4 * np.sin(2 * np.pi * 330.0 * t)).astype(np.float32),
        (0.1 * rng.standard_normal(int(6.0 * SR))).astype(np.float32),
        (0.3 * np.sin(2 * np.pi * 880.0 * t[: int(0.5 * SR)])).astype(np.float32),
    ]
    audio32, audio16 = full.encode(clips), half.encode(clips)
    assert audio16.dtype == np.float32 and np.all(np.isfinite(audio16))
    assert cosines(audio32, audio16).min() >= 0.99

    captions = ["slow sad piano", "fast loud drums and guitar", "a quiet string quartet"]
    text32, text16 = full.encode_text(captions), half.encode_text(captions)
    assert np.all(np.isfinite(text16))
    assert cosines(text32, text16).min() >= 0.99


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs an NVIDIA GPU (torch.cuda.is_available() is False)")
def test_features_on_cuda_match_the_extractor_and_stay_there(clap):
    """On cuda the features are made on the GPU (pinned host batch, float64 FFT and projection,
    immune to TF32) and agree with the extractor as on CPU; the fp16 model gets the same vectors
    from them as from the extractor's features."""
    from transformers import ClapFeatureExtractor

    from recsys.encoders.clap import ClapEncoder

    for truncation in ("rand_trunc", "fusion"):
        fe = ClapFeatureExtractor(truncation=truncation, frequency_min=50)
        enc = ClapEncoder(clap.model, fe, clap.tokenizer, name="clap-cuda-features", model_id="test", device="cuda")
        assert enc.features([np.zeros(10, np.float32)]).device.type == "cuda"
        waves = list(waveforms(enc.window).values())
        ours = enc.features(waves).cpu().numpy()
        assert np.abs(ours - extractor_features(fe, waves)).max() <= TOL_DB

    gpu = tiny_clap()
    gpu.model.to("cuda").half()
    gpu.device, gpu.dtype = "cuda", torch.float16
    rng = np.random.default_rng(3)
    clips = [(0.1 * rng.standard_normal(int(s * SR))).astype(np.float32) for s in (0.4, 3.0, 6.0, 7.5)]
    ours = gpu.encode(clips)
    gpu.torch_features = False
    np.testing.assert_allclose(ours, gpu.encode(clips), atol=1e-3)


@pytest.mark.parametrize("torch_features", [True, False])
def test_padding_the_next_batch_ahead_gives_the_same_vectors(clap, monkeypatch, torch_features):
    """Off the CPU, ``encode`` pads batch k+1 in a side thread while the device runs batch k
    (``_embed_batches``); forced on here, the vectors equal those made one batch at a time,
    with the torch features and with the extractor alike, whatever the batch size."""
    rng = np.random.default_rng(11)
    clips = [(0.2 * rng.standard_normal(int(s * SR))).astype(np.float32) for s in (6.0, 0.7, 3.1, 9.0, 2.0, 4.4, 5.0)]
    monkeypatch.setattr(clap, "torch_features", torch_features)
    threads: set[str] = set()
    host_input = clap._host_input

    def noted(pieces):
        threads.add(threading.current_thread().name)
        return host_input(pieces)

    monkeypatch.setattr(clap, "_host_input", noted)
    for batch_size in (1, 3, 4, 64):
        monkeypatch.setattr(clap, "batch_size", batch_size)
        monkeypatch.setattr(clap, "prefetch", False)
        one_by_one = clap.encode(clips)
        monkeypatch.setattr(clap, "prefetch", True)
        ahead = clap.encode(clips)
        np.testing.assert_array_equal(ahead, one_by_one)
    assert {t.rsplit("_", 1)[0] for t in threads} == {"recsys-clap-pad"}
