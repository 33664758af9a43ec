"""One recording, one audio vector, whatever rate it was made at (``mir-librosa-v2``, the
default audio encoder since 2026-11-27). At 22 050 Hz the band above about 10 kHz says how a file
was made: the resampler empties it for a 44.1 kHz file, a 22.05 kHz file keeps it full. With it
(``mir-librosa``) the same recording as a 22.05 kHz WAV stood at cosine 0.907 (median of 63
real recordings) from its 44.1 kHz original, and 22.05 kHz files of different recordings found
each other first; the band-limited descriptor gives 1.000 (docs/encoders.md)."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from recsys.encoders import get_encoder
from recsys.encoders.profiles import PROFILES

scipy_signal = pytest.importorskip("scipy.signal")
pytest.importorskip("av")

from recsys.encoders.media import load_audio  # noqa: E402


def _song(sr: int, seconds: float = 12.0) -> np.ndarray:
    """Tones up to 10.5 kHz and bursts of noise: content across the whole band."""
    rng = np.random.default_rng(0)
    t = np.arange(int(sr * seconds)) / sr
    tones = sum(0.1 * np.sin(2 * np.pi * f * t) for f in (220, 440, 660, 1320, 2640, 5280, 9000, 10500))
    bursts = rng.standard_normal(t.size) * 0.05 * (np.sin(2 * np.pi * 2 * t) > 0.7)
    return (tones + bursts).astype(np.float32)


def test_a_recording_made_at_22_khz_is_its_44_khz_original(tmp_path):
    original = _song(44100)
    sf.write(tmp_path / "original.wav", original, 44100)
    # what a 22.05 kHz file holds: the band to 11 kHz, cut by a steep filter of its own
    sf.write(tmp_path / "made_at_22k.wav", scipy_signal.resample_poly(original, 1, 2, window=("kaiser", 14.0)), 22050)
    cosines = {}
    for name in ("mir-librosa", "mir-librosa-v2"):
        encoder = get_encoder(name)
        a, b = (encoder.encode([load_audio(tmp_path / f, sr=22050)])[0] for f in ("original.wav", "made_at_22k.wav"))
        cosines[name] = float(a @ b)
    assert cosines["mir-librosa-v2"] > 0.999
    assert cosines["mir-librosa"] < 0.995  # the band the files differ in, which v2 leaves out


def test_v2_is_the_default_and_v1_stays_for_the_collections_made_with_it():
    assert PROFILES["offline"]["audio"] == "mir-librosa-v2"
    v1, v2 = get_encoder("mir-librosa"), get_encoder("mir-librosa-v2")
    assert (v1.info.model, v2.info.model) == ("librosa-mir-v1", "librosa-mir-v2-9500hz")
    assert v1.dim == v2.dim == 168
