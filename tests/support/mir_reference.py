"""The MIR descriptor as ``recsys.encoders.audio`` computed it with librosa (0.11.0) before its
features were ported to numpy (``recsys.encoders.mir_features``): the reference the ports are
held to, kept here so only the tests import librosa (and numba). ``reference_describe`` is the
old ``describe``, call for call; vectors stored by earlier ingests were made by it.
"""

from __future__ import annotations

import functools

import numpy as np

from recsys.encoders import audio
from recsys.encoders.audio import HOP, N_CONTRAST_BANDS, N_FFT, N_MELS, N_MFCC, ONSET_DELTA_DB


@functools.lru_cache(maxsize=8)
def reference_filters(sr: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import librosa

    mel = librosa.filters.mel(sr=sr, n_fft=N_FFT, n_mels=N_MELS, dtype=np.float32)
    chroma = librosa.filters.chroma(sr=sr, n_fft=N_FFT, tuning=0.0, dtype=np.float32)
    return mel, chroma, librosa.fft_frequencies(sr=sr, n_fft=N_FFT)


def _centroid_bandwidth_rolloff(mag: np.ndarray, freqs: np.ndarray):
    import librosa

    weights = librosa.util.normalize(mag, norm=1, axis=-2)
    f = freqs[:, None]
    centroid = np.sum(f * weights, axis=-2, keepdims=True)
    bandwidth = np.sum(weights * np.abs(f - centroid) ** 2, axis=-2) ** 0.5
    energy = np.cumsum(mag, axis=-2)
    reached = np.where(energy < 0.85 * energy[-1:, :], np.nan, 1)
    rolloff = np.nanmin(reached * f, axis=-2)
    return centroid[0], bandwidth, rolloff


def reference_features(y: np.ndarray, sr: int) -> dict[str, np.ndarray]:
    """The old ``_blocks``' raw librosa features (before the scaling into blocks)."""
    import librosa

    if y.size < N_FFT:
        y = np.pad(y, (0, N_FFT - y.size))
    stft = librosa.stft(y, n_fft=N_FFT, hop_length=HOP)
    mag = np.abs(stft)
    power = mag**2
    mel_basis, chroma_basis, freqs = reference_filters(sr)
    mel = mel_basis @ power
    mel_db = librosa.power_to_db(mel, ref=max(float(mel.max()), 1e-10), top_db=80.0)
    mfcc = librosa.feature.mfcc(S=mel_db, n_mfcc=N_MFCC)[1:]
    chroma = librosa.util.normalize(chroma_basis @ power, norm=np.inf, axis=-2)
    contrast = librosa.feature.spectral_contrast(S=mag, sr=sr, n_bands=N_CONTRAST_BANDS)
    centroid, bandwidth, rolloff = _centroid_bandwidth_rolloff(mag, freqs)
    flatness = librosa.feature.spectral_flatness(S=mag)[0]
    rms = librosa.feature.rms(S=mag, frame_length=N_FFT)[0]
    rms_db = librosa.amplitude_to_db(rms, ref=max(float(rms.max()), 1e-10), top_db=80.0)
    onset = librosa.onset.onset_strength(S=mel_db, sr=sr, hop_length=HOP)
    peaks = librosa.onset.onset_detect(
        onset_envelope=onset, sr=sr, hop_length=HOP, normalize=False, delta=ONSET_DELTA_DB
    )
    tempo = float(np.atleast_1d(librosa.feature.tempo(onset_envelope=onset, sr=sr, hop_length=HOP))[0])
    return {
        "y": y, "stft": stft, "mag": mag, "mel": mel, "mel_db": mel_db, "mfcc": mfcc, "chroma": chroma,
        "contrast": contrast, "centroid": centroid, "bandwidth": bandwidth, "rolloff": rolloff,
        "flatness": flatness, "rms": rms, "rms_db": rms_db, "onset": onset, "peaks": peaks, "tempo": tempo,
    }


def reference_blocks(y: np.ndarray, sr: int) -> dict[str, np.ndarray]:
    """The old ``_blocks``: librosa's features, scaled into the descriptor's blocks."""
    f = reference_features(y, sr)
    mel_db, mfcc, chroma, contrast = f["mel_db"], f["mfcc"], f["chroma"], f["contrast"]
    centroid, bandwidth, rolloff, flatness = f["centroid"], f["bandwidth"], f["rolloff"], f["flatness"]
    rms_db, onset = f["rms_db"], f["onset"]
    k = np.arange(1, N_MFCC, dtype=np.float64)
    shift = int(np.argmax(chroma.mean(axis=1)))
    chroma = np.roll(chroma, -shift, axis=0)
    zcr = audio._zero_crossing_rate(f["y"])
    seconds = max(f["y"].size / sr, 1e-3)
    _safe_log2, _zscore = audio._safe_log2, audio._zscore
    return {
        "mel_mean": _zscore(mel_db.mean(axis=1), floor=3.0),
        "mel_std": (mel_db.std(axis=1) - 8.0) / 5.0,
        "mfcc_mean": mfcc.mean(axis=1) * k / 60.0,
        "mfcc_std": (mfcc.std(axis=1) * np.sqrt(k) / 10.0) - 1.0,
        "chroma_mean": (chroma.mean(axis=1) - 0.5) / 0.25,
        "chroma_std": (chroma.std(axis=1) - 0.2) / 0.1,
        "contrast_mean": (contrast.mean(axis=1) - 20.0) / 8.0,
        "contrast_std": (contrast.std(axis=1) - 5.0) / 3.0,
        "spectral": np.array(
            [
                _safe_log2(float(centroid.mean()), 2000.0),
                float(centroid.std() / max(centroid.mean(), 1e-6)) / 0.3 - 1.0,
                _safe_log2(float(bandwidth.mean()), 2000.0),
                _safe_log2(float(rolloff.mean()), 4000.0),
                (float(np.log10(max(flatness.mean(), 1e-6))) + 2.0),
                _safe_log2(float(zcr.mean()), 0.08),
                (float(rms_db.std()) - 6.0) / 4.0,
            ]
        ),
        "rhythm": np.array(
            [
                float(np.log1p(onset.mean())) - 1.0,
                float(onset.std() / max(onset.mean(), 1e-6)) - 1.0,
                _safe_log2(len(f["peaks"]) / seconds + 0.25, 2.0),
                _safe_log2(f["tempo"], 120.0) * 2.0,
                audio._pulse_clarity(onset, sr) * 4.0 - 2.0,
            ]
        ),
    }


def reference_describe(y: np.ndarray, sr: int = audio.SAMPLE_RATE) -> np.ndarray:
    """The old ``describe``: weighted, unnormalised, float64."""
    blocks = reference_blocks(y, sr)
    parts = [audio._soft_clip(blocks[name]) * (weight / np.sqrt(size)) for name, size, weight in audio.BLOCKS]
    return np.nan_to_num(np.concatenate(parts))


def reference_encode(waves: list[np.ndarray], sr: int = audio.SAMPLE_RATE) -> np.ndarray:
    """The old ``MirDescriptorEncoder().encode``: excerpt, describe, L2-normalise."""
    from recsys.encoders.base import l2_normalise, middle_excerpt, mono_waveforms

    out = np.stack([reference_describe(middle_excerpt(y, audio.DURATION, sr), sr) for y in mono_waveforms(waves)])
    return l2_normalise(out)
