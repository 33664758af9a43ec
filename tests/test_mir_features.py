"""The MIR descriptor's shortcuts (filter banks built once, the spectrum normalised once) give
librosa's own features: the vectors stored by an ingest before them stay valid."""

from __future__ import annotations

import numpy as np
import pytest

librosa = pytest.importorskip("librosa")

from recsys.encoders import audio  # noqa: E402

SR = audio.SAMPLE_RATE


def _clips() -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    t = np.arange(SR * 4) / SR
    chord = sum(0.2 * np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6)) * (1 + 0.5 * np.sin(2 * np.pi * 2 * t))
    return [
        chord.astype(np.float32),
        (0.1 * rng.standard_normal(SR * 3)).astype(np.float32),
        np.concatenate([np.zeros(SR), 0.3 * rng.standard_normal(SR)]).astype(np.float32),  # silent frames first
        (0.05 * rng.standard_normal(700)).astype(np.float32),  # shorter than one window
    ]


@pytest.mark.parametrize("which", range(4))
def test_the_shortcuts_give_librosas_features(which):
    y = _clips()[which]
    y = np.pad(y, (0, max(0, audio.N_FFT - y.size)))
    mag = np.abs(librosa.stft(y, n_fft=audio.N_FFT, hop_length=audio.HOP))
    power = mag**2
    mel_basis, chroma_basis, freqs = audio._filters(SR)
    np.testing.assert_allclose(mel_basis @ power, librosa.feature.melspectrogram(S=power, sr=SR, n_mels=audio.N_MELS),
                               rtol=1e-5, atol=1e-9)
    ours = librosa.util.normalize(chroma_basis @ power, norm=np.inf, axis=-2)
    np.testing.assert_allclose(ours, librosa.feature.chroma_stft(S=power, sr=SR, tuning=0.0), rtol=1e-4, atol=1e-5)
    centroid, bandwidth, rolloff = audio._centroid_bandwidth_rolloff(mag, freqs)
    theirs = librosa.feature.spectral_centroid(S=mag, sr=SR)
    np.testing.assert_allclose(centroid, theirs[0], rtol=1e-9)
    np.testing.assert_allclose(bandwidth, librosa.feature.spectral_bandwidth(S=mag, sr=SR, centroid=theirs)[0], rtol=1e-9)
    np.testing.assert_allclose(rolloff, librosa.feature.spectral_rolloff(S=mag, sr=SR)[0], rtol=1e-9)


@pytest.mark.parametrize("which", range(4))
def test_the_zero_crossing_rate_is_librosas(which):
    y = _clips()[which]
    y = np.pad(y, (0, max(0, audio.N_FFT - y.size)))
    theirs = librosa.feature.zero_crossing_rate(y, frame_length=audio.N_FFT, hop_length=audio.HOP)[0]
    np.testing.assert_array_equal(audio._zero_crossing_rate(y), theirs)
