"""The MIR descriptor's features are librosa's: its shortcuts (filter banks built once, the
spectrum normalised once) and its numpy ports of librosa's code (``recsys.encoders.mir_features``)
give librosa's own numbers, bit for bit, and ``describe`` gives the vectors the librosa-based
version gave (``tests/support/mir_reference.py``), so vectors stored before stay valid. Onsets
and tempo are discrete (a threshold, an argmax): they are checked for equality, not closeness."""

from __future__ import annotations

import numpy as np
import pytest

librosa = pytest.importorskip("librosa")

from recsys.encoders import audio  # noqa: E402
from recsys.encoders import mir_features as mf  # noqa: E402
from tests.support.mir_reference import reference_describe, reference_encode, reference_features  # noqa: E402

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


def _same(ours, theirs):
    """Equal to the bit, with the same dtype and shape."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def _rhythmic(seconds: float, bpm: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(SR * seconds)) / SR
    period = int(SR * 60 / bpm)
    decay = np.tile(np.exp(-np.arange(period) / (SR * 0.02)), t.size // period + 1)[: t.size]
    return (0.5 * decay * rng.standard_normal(t.size) + 0.1 * np.sin(2 * np.pi * 110 * t)).astype(np.float32)


def _more_clips() -> list[np.ndarray]:
    clicks = np.zeros(SR * 6, dtype=np.float32)
    clicks[:: int(SR * 60 / 174)] = 1.0
    return _clips() + [_rhythmic(6, 128, 1), _rhythmic(5, 90, 2), clicks, np.zeros(SR * 2, dtype=np.float32)]


@pytest.mark.parametrize("sr", [SR, 16000, 44100, 48000])
def test_the_filter_banks_and_windows_are_librosas(sr):
    _same(mf.mel_filters(sr, audio.N_FFT, audio.N_MELS),
          librosa.filters.mel(sr=sr, n_fft=audio.N_FFT, n_mels=audio.N_MELS, dtype=np.float32))
    _same(mf.chroma_filters(sr, audio.N_FFT),
          librosa.filters.chroma(sr=sr, n_fft=audio.N_FFT, tuning=0.0, dtype=np.float32))
    _same(mf.fft_frequencies(sr, audio.N_FFT), librosa.fft_frequencies(sr=sr, n_fft=audio.N_FFT))
    import scipy.signal

    for n in (1, 2, 7, 344, 2048):
        _same(mf.hann(n), scipy.signal.get_window("hann", n, fftbins=True))


@pytest.mark.parametrize("which", range(8))
def test_the_ports_give_librosas_features_to_the_bit(which):
    ref = reference_features(_more_clips()[which], SR)
    y = ref["y"]
    stft = mf.stft(y, n_fft=audio.N_FFT, hop_length=audio.HOP)
    _same(stft, ref["stft"])
    assert stft.flags.f_contiguous == ref["stft"].flags.f_contiguous  # the matrix products see the same layout
    mag = np.abs(stft)
    mel_basis, chroma_basis, _ = audio._filters(SR)
    mel = mel_basis @ mag**2
    mel_db = mf.power_to_db(mel, ref=max(float(mel.max()), 1e-10))
    _same(mel_db, ref["mel_db"])
    _same(mf.mfcc(mel_db, n_mfcc=audio.N_MFCC)[1:], ref["mfcc"])
    _same(mf.normalize(chroma_basis @ mag**2, norm=np.inf, axis=-2), ref["chroma"])
    _same(mf.spectral_contrast(mag, SR, n_bands=audio.N_CONTRAST_BANDS), ref["contrast"])
    _same(mf.spectral_flatness(mag)[0], ref["flatness"])
    rms = mf.rms(mag, frame_length=audio.N_FFT)[0]
    _same(rms, ref["rms"])
    _same(mf.amplitude_to_db(rms, ref=max(float(rms.max()), 1e-10)), ref["rms_db"])
    onset = mf.onset_strength(mel_db, n_fft=audio.N_FFT, hop_length=audio.HOP)
    _same(onset, ref["onset"])
    _same(mf.onset_detect(onset, sr=SR, hop_length=audio.HOP, delta=audio.ONSET_DELTA_DB), ref["peaks"])
    assert mf.tempo(onset, sr=SR, hop_length=audio.HOP) == ref["tempo"]
    theirs = librosa.feature.tempogram(onset_envelope=onset, sr=SR, hop_length=audio.HOP, win_length=344)
    _same(mf.tempogram(onset, 344), theirs)


def test_a_float64_waveform_takes_librosas_float64_path():
    y = np.random.default_rng(5).standard_normal(SR * 2) * 0.1
    ref = reference_features(y, SR)
    _same(mf.stft(y, n_fft=audio.N_FFT, hop_length=audio.HOP), ref["stft"])
    np.testing.assert_array_equal(audio.describe(y), reference_describe(y))


@pytest.mark.parametrize("seed", range(6))
def test_the_peak_picker_is_librosas(seed):
    """librosa's is a numba loop (window means summed in float32 in order): the port must pick
    the same peaks on envelopes full of ties, plateaus and values at the threshold."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 400))
    x = np.round(rng.exponential(2.0, size) * 4) / 4  # coarse steps: ties and plateaus
    x = x.astype(np.float32 if seed % 2 == 0 else np.float64)
    for pre_max, post_max, pre_avg, post_avg, delta, wait in [
        (1, 1, 4, 5, 2.0, 1), (0, 1, 0, 1, 0.0, 0), (3, 2, 10, 11, 0.5, 4),
        (1, 1, 4, 5, 0.07, 1), (5, 5, 1, 1, 1.25, 0),
    ]:
        theirs = librosa.util.peak_pick(x, pre_max=pre_max, post_max=post_max, pre_avg=pre_avg,
                                        post_avg=post_avg, delta=delta, wait=wait)
        ours = mf.peak_pick(x, pre_max, post_max, pre_avg, post_avg, delta, wait)
        np.testing.assert_array_equal(ours, theirs)


def test_describe_gives_the_librosa_versions_vectors():
    """``describe`` as it was with librosa (moved into tests/support/mir_reference.py) and as it
    is: the same numbers, so the vectors stored and cached before stay valid."""
    clips = _more_clips() + [_rhythmic(30, 140, 3)]
    for y in clips:
        np.testing.assert_array_equal(audio.describe(y), reference_describe(y))
    np.testing.assert_allclose(audio.MirDescriptorEncoder().encode(clips), reference_encode(clips), rtol=0, atol=1e-7)


def test_describe_imports_neither_librosa_nor_numba():
    """The decode workers compute ``describe``: numba cost each of them about 210 MB."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, numpy as np\n"
        "from recsys.encoders.audio import MirDescriptorEncoder, described_clip\n"
        "y = np.random.default_rng(0).standard_normal(22050 * 3).astype(np.float32)\n"
        "MirDescriptorEncoder().encode([described_clip(y, 22050, 30.0), y])\n"
        "print(sorted(m for m in ('librosa', 'numba', 'llvmlite', 'scipy.signal') if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_a_non_finite_waveform_is_refused():
    from recsys.errors import EncoderError

    y = np.zeros(SR, dtype=np.float32)
    y[100] = np.nan
    with pytest.raises(EncoderError, match="non-finite"):
        audio.describe(y)


def _band_limited_reference(y: np.ndarray, sr: int, limit: float) -> np.ndarray:
    """``describe`` of ``mir-librosa-v2`` made with librosa's own calls: the mel bank to
    ``limit`` (fmax), every spectral feature on the bins up to it (spectral_contrast's
    ``freq``), the loudness on the whole spectrum."""
    from tests.support import mir_reference as ref

    f = ref.reference_features(y, sr)
    freqs = librosa.fft_frequencies(sr=sr, n_fft=audio.N_FFT)
    k = int(np.searchsorted(freqs, limit, side="right"))
    mag = f["mag"][:k]
    power = mag**2
    mel = librosa.filters.mel(sr=sr, n_fft=audio.N_FFT, n_mels=audio.N_MELS, fmax=limit, dtype=np.float32)[:, :k] @ power
    mel_db = librosa.power_to_db(mel, ref=max(float(mel.max()), 1e-10), top_db=80.0)
    chroma_basis = librosa.filters.chroma(sr=sr, n_fft=audio.N_FFT, tuning=0.0, dtype=np.float32)[:, :k]
    centroid, bandwidth, rolloff = ref._centroid_bandwidth_rolloff(mag, freqs[:k])
    onset = librosa.onset.onset_strength(S=mel_db, sr=sr, hop_length=audio.HOP)
    f.update(
        mel_db=mel_db, mfcc=librosa.feature.mfcc(S=mel_db, n_mfcc=audio.N_MFCC)[1:],
        chroma=librosa.util.normalize(chroma_basis @ power, norm=np.inf, axis=-2),
        contrast=librosa.feature.spectral_contrast(S=mag, sr=sr, freq=freqs[:k], n_bands=audio.N_CONTRAST_BANDS),
        centroid=centroid, bandwidth=bandwidth, rolloff=rolloff, flatness=librosa.feature.spectral_flatness(S=mag)[0],
        onset=onset, peaks=librosa.onset.onset_detect(onset_envelope=onset, sr=sr, hop_length=audio.HOP,
                                                      normalize=False, delta=audio.ONSET_DELTA_DB),
        tempo=float(np.atleast_1d(librosa.feature.tempo(onset_envelope=onset, sr=sr, hop_length=audio.HOP))[0]),
    )
    blocks = audio._scaled(f, sr)
    return np.nan_to_num(np.concatenate(
        [audio._soft_clip(blocks[name]) * (weight / np.sqrt(size)) for name, size, weight in audio.BLOCKS]))


def test_the_band_limited_descriptor_is_librosas():
    """``mir-librosa-v2``'s spectral features, cut at ``BAND_LIMIT``, are librosa's with its own
    fmax and freq arguments, to the bit."""
    for y in _more_clips()[:6]:
        np.testing.assert_array_equal(audio.describe(y, SR, audio.BAND_LIMIT), _band_limited_reference(y, SR, audio.BAND_LIMIT))
