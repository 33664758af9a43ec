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
    """The old ``_blocks``: librosa's features, scaled into the descriptor's blocks as the
    descriptor scales its own (``audio._scaled``: the scaling is not what the ports change)."""
    return audio._scaled(reference_features(y, sr), sr)


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
