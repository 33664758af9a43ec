"""Every common audio format decodes through PyAV: a short tone file of each is written with PyAV
itself (no fixtures on disk), then read back by ``load_audio``: mono float32 at the asked rate,
the excerpt's length, and its pitch, which shows the seek landed in the right place."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

av = pytest.importorskip("av")

from recsys.catalog.suffixes import is_audio_name  # noqa: E402
from recsys.encoders import media  # noqa: E402
from recsys.encoders.media import load_audio  # noqa: E402
from recsys.errors import MediaError  # noqa: E402

LOW, HIGH = 440.0, 880.0

#: suffix: (encoder, container format, native rate, codec options); ``exact``: an excerpt read by
#: seeking has the very samples of the whole-file decode (wma's timestamps are in ms: within 5 ms)
FORMATS = {
    "mp3": ("libmp3lame", "mp3", 44100, {}),
    "ogg": ("vorbis", "ogg", 44100, {"strict": "-2"}),  # FFmpeg's own vorbis encoder is experimental
    "oga": ("flac", "ogg", 44100, {}),
    "opus": ("libopus", "opus", 48000, {}),
    "flac": ("flac", "flac", 44100, {}),
    "wav": ("pcm_s16le", "wav", 44100, {}),
    "aiff": ("pcm_s16be", "aiff", 44100, {}),
    "aif": ("pcm_s16be", "aiff", 22050, {}),
    "m4a": ("aac", "ipod", 44100, {}),
    "aac": ("aac", "adts", 44100, {}),
    "wma": ("wmav2", "asf", 44100, {}),
    # the fifth real library's: WavPack, TTA, Matroska audio, yt-dlp's WebM, an audiobook
    "wv": ("wavpack", "wv", 44100, {}),
    "tta": ("tta", "tta", 44100, {}),
    "mka": ("flac", "matroska", 44100, {}),
    "webm": ("libopus", "webm", 48000, {}),
    "m4b": ("aac", "ipod", 44100, {}),
    # datasets' and archives' formats: GTZAN's Sun audio (.au, also .snd), AIFF-C (little-endian
    # PCM in an AIFF is AIFF-C's "sowt"), MPEG-1 Layer II, Apple's Core Audio File
    "au": ("pcm_s16be", "au", 22050, {}),
    "snd": ("pcm_mulaw", "au", 8000, {}),
    "aifc": ("pcm_s16le", "aiff", 44100, {}),
    "mp2": ("mp2", "mp2", 44100, {}),
    "caf": ("alac", "caf", 44100, {}),
    # older shelves: Sony Wave64 (a WAV past 4 GiB), RealAudio (AC-3 is its "dnet" codec; its
    # own older codecs FFmpeg decodes but does not write into a file it can seek)
    "w64": ("pcm_s16le", "w64", 44100, {}),
    "ra": ("ac3", "rm", 44100, {}),
    # an audiophile's surround shelf: a DVD's or a DTS music disc's elementary streams (and
    # E-AC-3, a Blu-ray's and a streaming service's Dolby Digital Plus)
    "ac3": ("ac3", "ac3", 48000, {}),
    "eac3": ("eac3", "eac3", 48000, {}),
    "dts": ("dca", "dts", 48000, {"strict": "-2"}),  # FFmpeg's DTS encoder is experimental
}
# Matroska and RealMedia timestamps are in ms too; mp2 within an LSB; a raw AC-3 or DTS stream has
# no index: its seek lands by its bit rate, its frames placed within 5 ms
INEXACT = {"wma", "mka", "webm", "mp2", "ra", "ac3", "eac3", "dts"}


def tone(seconds: float, rate: int) -> np.ndarray:
    """LOW Hz for the first half, HIGH Hz for the second, phase-continuous."""
    t = np.arange(int(seconds * rate))
    freq = np.where(t < t.size / 2, LOW, HIGH)
    return (0.4 * np.sin(2 * np.pi * np.cumsum(freq) / rate)).astype(np.float32)


def write_tone(path: Path, seconds: float, channels: int = 2) -> Path:
    codec, fmt, rate, options = FORMATS[path.suffix[1:]]
    try:
        av.codec.Codec(codec, "w")
    except Exception:
        pytest.skip(f"this FFmpeg has no {codec} encoder")
    data = np.stack([tone(seconds, rate)] * channels)
    layout = "stereo" if channels == 2 else "mono"
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout, options=dict(options))
        if codec in ("libmp3lame", "aac", "wmav2", "mp2", "ac3", "eac3"):
            stream.bit_rate = 128_000
        mux_samples(out, stream, data, rate, layout)
    return path


def mux_samples(out, stream, data: np.ndarray, rate: int, layout: str) -> None:
    """Encode ``data`` (channels x samples, float32) with ``stream`` and mux it into ``out``,
    the encoder flushed at the end."""
    for i in range(0, data.shape[1], 4096):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data[:, i : i + 4096]), format="fltp", layout=layout)
        frame.sample_rate = rate
        frame.pts = i
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)


def pitch(y: np.ndarray, sr: int) -> float:
    spectrum = np.abs(np.fft.rfft(y * np.hanning(y.size)))
    return float(np.fft.rfftfreq(y.size, 1 / sr)[np.argmax(spectrum)])


@pytest.fixture(scope="module")
def tones(tmp_path_factory) -> dict[str, Path]:
    """One 20 s stereo tone file per format (10 s at LOW, then 10 s at HIGH)."""
    folder = tmp_path_factory.mktemp("tones")
    made = {}
    for ext in FORMATS:
        try:
            made[ext] = write_tone(folder / f"tone.{ext}", 20.0)
        except pytest.skip.Exception:
            continue
    return made


def tone_file(tones: dict[str, Path], ext: str) -> Path:
    if ext not in tones:
        pytest.skip(f"cannot write .{ext} here")
    return tones[ext]


@pytest.mark.parametrize("ext", list(FORMATS))
def test_each_format_decodes_the_asked_window(tones, ext):
    path = tone_file(tones, ext)
    sr = 16000
    y = load_audio(path, sr=sr, offset=12.0, duration=5.0)  # inside the second half
    assert y.dtype == np.float32 and y.ndim == 1 and y.flags.c_contiguous
    assert y.size == 5 * sr
    assert abs(pitch(y, sr) - HIGH) < 5, "the seek did not land in the second half"
    assert 0.3 < np.abs(y).max() < 0.5
    early = load_audio(path, sr=sr, offset=2.0, duration=5.0)
    assert abs(pitch(early, sr) - LOW) < 5


@pytest.mark.parametrize("ext", list(FORMATS))
def test_each_format_is_a_music_folder_track(ext):
    """A format that decodes is of no use while the music-folder reader skips its files."""
    assert is_audio_name(f"Song.{ext}") and is_audio_name(f"SONG.{ext.upper()}")


@pytest.mark.parametrize("ext", list(FORMATS))
def test_the_middle_of_a_long_file_is_read(tones, ext):
    path = tone_file(tones, ext)
    sr = 8000
    y = load_audio(path, sr=sr, duration=8.0)  # the middle 8 s of 20: 6 s .. 14 s
    assert y.size == 8 * sr
    assert abs(pitch(y[: 3 * sr], sr) - LOW) < 5 and abs(pitch(y[-3 * sr :], sr) - HIGH) < 5
    whole = load_audio(path, sr=sr, duration=None)
    assert abs(whole.size - 20 * sr) <= sr // 10


@pytest.mark.parametrize("ext", list(FORMATS))
def test_a_seek_gives_the_samples_of_a_whole_decode(tones, ext):
    path = tone_file(tones, ext)
    window = media._decode(path, 12.0, 3.0)
    whole = media._decode(path, None, None)
    assert window.seeked and window.rate == whole.rate
    first = int(round(12.0 * whole.rate))
    if ext not in INEXACT:
        np.testing.assert_array_equal(window.samples, whole.samples[first : first + window.samples.size])
        return
    lag_max = whole.rate // 200  # 5 ms
    errors = [
        np.abs(whole.samples[first + lag : first + lag + window.samples.size] - window.samples).max()
        for lag in range(-lag_max, lag_max + 1)
    ]
    assert min(errors) < 0.05


@pytest.mark.parametrize("sr", [16000, 22050, 44100, 48000])
def test_any_target_rate(tones, sr):
    for ext in ("mp3", "opus"):
        y = load_audio(tone_file(tones, ext), sr=sr, offset=11.0, duration=2.0)
        assert y.dtype == np.float32 and y.size == 2 * sr
        assert abs(pitch(y, sr) - HIGH) < 5


def test_mono_files_and_stereo_are_averaged(tmp_path):
    mono = write_tone(tmp_path / "mono.flac", 4.0, channels=1)
    stereo = write_tone(tmp_path / "stereo.flac", 4.0, channels=2)
    np.testing.assert_array_equal(load_audio(mono, sr=44100), load_audio(stereo, sr=44100))


@pytest.mark.parametrize("ext", ["flac", "mp3", "ogg", "m4a"])
def test_an_excerpt_reads_a_bounded_part_of_a_long_file(tmp_path, ext):
    path = write_tone(tmp_path / f"long.{ext}", 120.0)
    middle = media._decode(path, None, 30.0)
    whole = media._decode(path, None, None)
    assert middle.seeked and middle.samples.size == 30 * middle.rate
    # 30 s of 120, plus the pre-roll and a packet or two: well under a third of the packets
    assert middle.packets < 0.3 * whole.packets, (middle.packets, whole.packets)
    late = media._decode(path, 100.0, 5.0)
    assert late.packets < 0.1 * whole.packets


def test_a_file_whose_length_is_unknown_is_decoded_from_the_start(tones, monkeypatch):
    path = tone_file(tones, "wav")
    expected = load_audio(path, sr=8000, duration=8.0)
    monkeypatch.setattr(media, "_stream_seconds", lambda container, stream: None)
    np.testing.assert_array_equal(load_audio(path, sr=8000, duration=8.0), expected)


# --------------------------------------------------------------------------- damaged files


def test_a_wav_cut_to_300_bytes_gives_what_it_holds(tones, tmp_path):
    path = tmp_path / "cut.wav"
    path.write_bytes(tone_file(tones, "wav").read_bytes()[:300])
    y = load_audio(path, sr=44100)  # the header promises 20 s; 64 stereo frames are there
    assert y.dtype == np.float32 and 0 < y.size < 100


@pytest.mark.parametrize("ext", ["ogg", "opus", "flac", "mp3", "wav", "wma"])
def test_a_file_cut_to_a_quarter_gives_the_middle_of_what_it_holds(tones, tmp_path, ext):
    data = tone_file(tones, ext).read_bytes()
    path = tmp_path / f"cut.{ext}"
    path.write_bytes(data[: len(data) // 4])
    sr = 8000
    y = load_audio(path, sr=sr, duration=30.0)
    assert 3 * sr < y.size < 6 * sr  # about 5 s of the 20
    assert abs(pitch(y, sr) - LOW) < 5
    y = load_audio(path, sr=sr, duration=2.0)  # the middle of what is there, not an empty window
    assert y.size == 2 * sr


def test_an_m4a_cut_short_is_an_error_naming_it(tones, tmp_path):
    data = tone_file(tones, "m4a").read_bytes()  # its index (moov) comes last: cut, it is lost
    path = tmp_path / "cut.m4a"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError, match=r"cut\.m4a: cannot decode audio \("):
        load_audio(path)


@pytest.mark.parametrize("ext", ["mp3", "ogg", "flac", "m4a"])
def test_a_damaged_middle_is_skipped_not_fatal(tones, tmp_path, ext):
    data = bytearray(tone_file(tones, ext).read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2000] = np.random.default_rng(0).bytes(2000)
    path = tmp_path / f"damaged.{ext}"
    path.write_bytes(bytes(data))
    y = load_audio(path, sr=8000, duration=None)
    assert 17 * 8000 < y.size < 21 * 8000 and np.isfinite(y).all()  # a page or a few frames lost


def test_a_stream_that_never_ends_is_cut_off(tones, monkeypatch):
    path = tone_file(tones, "wav")
    monkeypatch.setattr(media, "_PACKETS_PER_SECOND", 0.5)  # 13 packets for a window ending at 17 s
    with pytest.raises(MediaError, match=r"tone\.wav: cannot decode audio \(no end found after 13 packets\)"):
        load_audio(path, offset=15.0, duration=2.0)
    monkeypatch.undo()
    monkeypatch.setattr(media, "MAX_AUDIO_SECONDS", 5)
    with pytest.raises(MediaError, match=r"tone\.wav: cannot decode audio \(longer than"):
        load_audio(path, duration=None)


def test_audio_duration_reads_the_header(tones, tmp_path):
    assert media.audio_duration(tone_file(tones, "flac")) == pytest.approx(20.0, abs=0.05)
    assert media.audio_duration(tone_file(tones, "opus")) == pytest.approx(20.0, abs=0.05)
    (tmp_path / "junk.mp3").write_bytes(b"junk" * 100)
    assert media.audio_duration(tmp_path / "junk.mp3") is None
    assert media.audio_duration(tmp_path / "missing.mp3") is None


def test_an_ogg_ffmpeg_refuses_is_read_with_libsndfile(tmp_path):
    """Three files of Debian's hyperrogue-music repeat their Vorbis headers on a page of their
    own: FFmpeg refuses them ("Invalid data found when processing input"), every player plays
    them. They are read with libsndfile instead: the middle excerpt, the header's length."""
    import soundfile

    from tests.support.ogg_pages import repeat_vorbis_headers

    path = tmp_path / "odd.ogg"
    soundfile.write(str(path), np.stack([tone(20.0, 44100)] * 2, axis=1), 44100, format="OGG", subtype="VORBIS")
    repeat_vorbis_headers(path)
    with pytest.raises(av.error.InvalidDataError):
        av.open(str(path))
    y = load_audio(path, sr=22050, duration=4.0)
    assert y.shape == (4 * 22050,) and y.dtype == np.float32
    assert pitch(y[: 22050], 22050) == pytest.approx(LOW, abs=5) and pitch(y[-22050:], 22050) == pytest.approx(HIGH, abs=5)
    assert pitch(load_audio(path, sr=22050, offset=14.0, duration=2.0), 22050) == pytest.approx(HIGH, abs=5)
    assert media.audio_duration(path) == pytest.approx(20.0, abs=0.05)

