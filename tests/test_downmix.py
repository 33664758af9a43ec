"""A multichannel file's mono (``recsys.encoders.downmix``): ITU-R BS.775's weights, the LFE
dropped, normalised by the channels that sound, so a 5.1 master of a stereo mix decodes at its
stereo's level; stereo and mono files decode as they did, to the bit; the embedding cache keys a
multichannel file apart from the vectors its plain average gave."""

from __future__ import annotations

import shutil
import subprocess
import wave

import numpy as np
import pytest
import soundfile as sf

from recsys.encoders import downmix, media

RATE = 44100
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg command")


def _stereo(seconds: float = 3.0) -> np.ndarray:
    """Two different, uncorrelated channels that sound like something: tones and noise."""
    t = np.arange(int(seconds * RATE)) / RATE
    rng = np.random.default_rng(7)
    left = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(t.size)
    right = 0.3 * np.sin(2 * np.pi * 330 * t + 1.0) + 0.05 * rng.standard_normal(t.size)
    return np.stack([left, right], axis=1).astype(np.float32)


def _level_db(a: np.ndarray, b: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(a, dtype=np.float64))) / np.sqrt(np.mean(np.square(b, dtype=np.float64)))))


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    n = min(a.size, b.size)
    return float(np.corrcoef(a[:n], b[:n])[0, 1])


def _decoded(path) -> np.ndarray:
    return media.load_audio(path, sr=RATE, duration=None)


@needs_ffmpeg
@pytest.mark.parametrize("pan, tolerance_db", [
    # the stereo in the fronts alone, the rest silent (a DTS / DVD-Audio disc of a stereo album)
    ("FL=c0|FR=c1", 0.05),
    # /tmp/lib26/build.py's 5.1 of a stereo: centre and surrounds made of it, the lows in the LFE
    ("FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0.3*c0+0.3*c1|BL=0.6*c0|BR=0.6*c1", 1.5),
])
def test_a_5_1_flac_made_of_a_stereo_decodes_at_the_stereo_level(tmp_path, pan, tolerance_db):
    """Before, the six channels were averaged, LFE and silent ones too: the fronts-only file
    came out 9.5 dB quieter than its stereo, build.py's mix 1.9 dB."""
    src = tmp_path / "stereo.wav"
    sf.write(src, _stereo(), RATE, subtype="PCM_16")
    multi = tmp_path / "surround.flac"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(src), "-af", f"pan=5.1|{pan}",
                    "-c:a", "flac", "-sample_fmt", "s16", str(multi)], check=True)
    assert downmix.audio_channels(multi) == 6
    stereo, surround = _decoded(src), _decoded(multi)
    assert abs(_level_db(surround, stereo)) <= tolerance_db
    assert _corr(surround, stereo) > 0.99


def test_the_lfe_is_dropped(tmp_path):
    """A 5.1 file whose LFE holds a loud 40 Hz tone the fronts lack: the mono is the fronts'
    (the plain average made the tone a third of what the encoders heard)."""
    lr = _stereo()
    t = np.arange(lr.shape[0]) / RATE
    lfe = (0.9 * np.sin(2 * np.pi * 40 * t)).astype(np.float32)
    silent = np.zeros_like(lfe)
    six = np.stack([lr[:, 0], lr[:, 1], silent, lfe, silent, silent], axis=1)
    path = tmp_path / "lfe.flac"
    sf.write(path, six, RATE, subtype="PCM_24")
    got = _decoded(path)
    want = lr.mean(axis=1)
    assert _corr(got, want) > 0.999
    assert abs(_level_db(got, want)) < 0.05


def test_a_wav_without_a_channel_mask_averages_its_sounding_channels(tmp_path):
    """Six channels in no known order (a WAV without WAVE_FORMAT_EXTENSIBLE's mask): each weighs
    the same, and the silent ones do not dilute the rest (before: a sixth of each)."""
    lr = (_stereo() * 32767).astype("<i2")
    six = np.zeros((lr.shape[0], 6), dtype="<i2")
    six[:, 0], six[:, 1] = lr[:, 0], lr[:, 1]
    path = tmp_path / "nomask.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(6)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(six.tobytes())
    got = _decoded(path)
    want = lr.astype(np.float32).mean(axis=1) / 32768
    assert abs(_level_db(got, want)) < 0.05
    assert _corr(got, want) > 0.9999


def test_stereo_and_mono_files_never_go_through_the_downmix(tmp_path, monkeypatch):
    """Their decode is the one it was: the channels averaged as (L + R) * 0.5, to the bit."""
    def refuse(*_a, **_k):
        raise AssertionError("a stereo or mono file was downmixed")

    monkeypatch.setattr(downmix.Mixer, "add", refuse)
    monkeypatch.setattr(downmix, "downmix_block", refuse)
    lr = (_stereo() * 32767).astype(np.int16)
    stereo, mono = tmp_path / "s.wav", tmp_path / "m.flac"
    sf.write(stereo, lr, RATE, subtype="PCM_16")
    sf.write(mono, lr[:, 0], RATE, subtype="PCM_16")
    scaled = lr.astype(np.float32) * np.float32(2.0**-15)
    assert np.array_equal(_decoded(stereo), (scaled[:, 0] + scaled[:, 1]) * np.float32(0.5))
    assert np.array_equal(_decoded(mono), scaled[:, 0])


def test_weights_of_the_layouts_ffmpeg_names():
    """BS.775 for 5.1; the documented rule for layouts it has no map for."""
    w = downmix.channel_weights(("FL", "FR", "FC", "LFE", "BL", "BR"))
    assert np.allclose(w, [0.5, 0.5, np.sqrt(0.5), 0.0, np.sqrt(0.5) / 2, np.sqrt(0.5) / 2])
    seven_one = downmix.channel_weights(("FL", "FR", "FC", "LFE", "BL", "BR", "SL", "SR"))
    assert np.allclose(seven_one[4:], np.sqrt(0.5) / 2)  # side and back pairs alike, as FFmpeg
    four_oh = downmix.channel_weights(("FL", "FR", "FC", "BC"))
    assert np.allclose(four_oh, [0.5, 0.5, np.sqrt(0.5), 0.5])
    assert np.allclose(downmix.channel_weights(("NONE",) * 6), 1.0)


def test_one_gain_for_the_read_from_the_channels_that_sounded():
    mixer = downmix.Mixer()
    names = ("FL", "FR", "FC", "LFE", "BL", "BR")
    quiet = np.zeros((6, 100), dtype=np.float32)
    fronts = quiet.copy()
    fronts[:2] = 0.5
    mixer.add(quiet, names, planar=True)
    assert np.allclose(mixer.add(fronts, names, planar=True), 0.5)  # 0.5 * 0.5 + 0.5 * 0.5
    assert mixer.gain() == pytest.approx(1.0)  # only the fronts sounded: their weights sum to 1
    centre = quiet.copy()
    centre[2] = 0.5
    mixer.add(centre, names, planar=True)
    assert mixer.gain() == pytest.approx(1 / (1 + np.sqrt(0.5)))


@needs_ffmpeg
def test_a_multichannel_file_has_a_cache_key_of_its_own(tmp_path):
    """Vectors of 5.1 files cached from the plain average are not served: their key carries the
    downmix's mark, a FLAC's (keyed by its sound) and an AC-3's (keyed by its bytes) alike; a
    stereo file's key is the one it had."""
    from ingest.inputs import input_key
    from recsys.catalog.model import TrackRecord, file_digest
    from recsys.encoders.audio_key import audio_stream_key
    from recsys.modalities import AUDIO

    src = tmp_path / "stereo.flac"
    sf.write(src, _stereo(1.0), RATE, subtype="PCM_16")
    flac, ac3 = tmp_path / "surround.flac", tmp_path / "surround.ac3"
    for out, codec in ((flac, ["-c:a", "flac"]), (ac3, ["-c:a", "ac3", "-b:a", "448k"])):
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(src), "-af", "pan=5.1|FL=c0|FR=c1",
                        *codec, str(out)], check=True)

    def key(path):
        return input_key(AUDIO, TrackRecord(track_id=path.name, title="T", artist="A", audio_path=path))

    assert key(src) == audio_stream_key(src)
    assert key(flac) == audio_stream_key(flac) + downmix.CACHE_MARK
    assert key(ac3) == file_digest(ac3) + downmix.CACHE_MARK
