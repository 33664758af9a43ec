"""Media loaders: decoded output, excerpt windows, and one-line errors that name the file."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from recsys.errors import MediaError
from recsys.encoders.media import load_audio, load_image, load_image_bytes


def one_line_naming(err: pytest.ExceptionInfo[MediaError], name: str) -> str:
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{name}: ") or f"/{name}: " in message, message
    return message


# --------------------------------------------------------------------------- images


def png_bytes(mode: str = "RGB", colour=(200, 30, 30), size=(64, 48), fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, colour).save(buf, fmt)
    return buf.getvalue()


def test_load_image_gives_rgb(tmp_path):
    path = tmp_path / "cover.jpg"
    path.write_bytes(png_bytes(fmt="JPEG"))
    img = load_image(path)
    assert img.mode == "RGB" and img.size == (64, 48)


def test_transparency_is_flattened_onto_white(tmp_path):
    path = tmp_path / "cover.png"
    path.write_bytes(png_bytes("RGBA", (255, 0, 0, 0)))
    img = load_image(path)
    assert img.mode == "RGB" and img.getpixel((0, 0)) == (255, 255, 255)


def test_grey_and_palette_images_become_rgb(tmp_path):
    for mode, colour in (("L", 128), ("P", 3)):
        path = tmp_path / f"{mode}.png"
        path.write_bytes(png_bytes(mode, colour))
        assert load_image(path).mode == "RGB"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("cover.png", b"hello, I am text", "not an image (cannot identify image file)"),
        ("empty.png", b"", "empty file (0 bytes)"),
        ("cut.jpg", None, "corrupt image"),
    ],
)
def test_bad_images_raise_one_line_naming_the_file(tmp_path, name, content, expected):
    if content is None:
        full = png_bytes(fmt="JPEG", size=(300, 300))
        content = full[: len(full) // 3]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(MediaError) as err:
        load_image(path)
    assert expected in one_line_naming(err, name)


def test_missing_image(tmp_path):
    with pytest.raises(MediaError) as err:
        load_image(tmp_path / "nope.png")
    assert "file not found" in one_line_naming(err, "nope.png")


@pytest.mark.parametrize("name", ["two\nlines.png", "tab\there.wav", "esc\x1b[31mred.png", "bell\x07.mp3"])
def test_a_file_name_with_a_line_break_or_a_control_character_stays_on_one_line(tmp_path, name):
    """A manifest may name such a file (a CSV field in quotes holds a line break): the error
    writes those characters as escapes, as the catalog's problem lines quote values."""
    (tmp_path / name).write_bytes(b"not media")
    for load in (load_image, load_audio):
        for path in (tmp_path / name, tmp_path / ("missing-" + name)):
            with pytest.raises(MediaError) as err:
                load(path)
            message = str(err.value)
            assert message.isprintable(), message
            assert repr(name)[1:-1] in message


def test_load_image_bytes():
    assert load_image_bytes(png_bytes(), "song.mp3 (embedded cover)").size == (64, 48)
    for data, expected in ((b"", "empty image data"), (b"junkjunk", "not an image")):
        with pytest.raises(MediaError) as err:
            load_image_bytes(data, "song.mp3 (embedded cover)")
        assert expected in one_line_naming(err, "song.mp3 (embedded cover)")


# --------------------------------------------------------------------------- audio

SR = 22050


def ramp(seconds: float, sr: int, channels: int = 1) -> np.ndarray:
    """A signal whose value tells the time: sample at t seconds is t / 100."""
    y = (np.arange(int(seconds * sr)) / sr / 100.0).astype(np.float32)
    return np.stack([y] * channels, axis=1) if channels > 1 else y


@pytest.mark.parametrize("ext", ["wav", "flac", "ogg", "mp3"])
def test_formats_decode_to_mono_float32_at_sr(tmp_path, ext):
    if ext.upper() not in sf.available_formats():
        pytest.skip(f"this libsndfile cannot write {ext}")
    path = tmp_path / f"tone.{ext}"
    t = np.arange(2 * 44100) / 44100
    stereo = 0.3 * np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 440 * t)], axis=1)
    sf.write(path, stereo, 44100)
    y = load_audio(path, sr=SR)
    assert y.dtype == np.float32 and y.ndim == 1
    slack = SR // 10 if ext == "mp3" else 2  # mp3 frames pad the ends
    assert abs(y.size - 2 * SR) <= slack
    assert 0.25 < np.abs(y).max() < 0.4


def test_long_file_is_read_from_the_middle(tmp_path):
    path = tmp_path / "long.wav"
    sf.write(path, ramp(50.0, SR), SR)
    y = load_audio(path, sr=SR, duration=30.0)
    assert y.size == 30 * SR
    # middle window of 50 s is 10 s .. 40 s
    assert y[100] == pytest.approx(0.1, abs=1e-3) and y[-100] == pytest.approx(0.4, abs=1e-3)


def test_offset_and_full_read(tmp_path):
    path = tmp_path / "long.flac"
    sf.write(path, ramp(20.0, SR), SR)
    y = load_audio(path, sr=SR, offset=3.0, duration=5.0)
    assert y.size == 5 * SR and y[100] == pytest.approx(0.03, abs=1e-3)
    assert load_audio(path, sr=SR, duration=None).size == 20 * SR
    short = load_audio(path, sr=SR, duration=30.0)  # shorter than duration: the whole file
    assert short.size == 20 * SR


def test_resampling_keeps_time(tmp_path):
    path = tmp_path / "hi.wav"
    sf.write(path, ramp(40.0, 44100, channels=2), 44100)
    y = load_audio(path, sr=SR, duration=10.0)
    assert abs(y.size - 10 * SR) <= 2
    assert y[SR] == pytest.approx(0.16, abs=2e-3)  # window 15 s .. 25 s, one second in


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("empty.wav", lambda p: p.write_bytes(b""), "empty file (0 bytes)"),
        ("bad.wav", lambda p: p.write_bytes(b"RIFF1234WAVEjunk" * 20), "cannot decode audio"),
        ("bad.flac", lambda p: p.write_bytes(b"fLaC" + bytes(300)), "cannot decode audio"),
        ("noise.ogg", lambda p: p.write_bytes(np.random.default_rng(0).bytes(4000)), "cannot decode audio"),
        ("silent.wav", lambda p: sf.write(p, np.zeros(2000, dtype=np.float32), SR), "silent"),
        ("zero.wav", lambda p: sf.write(p, np.zeros(0, dtype=np.float32), SR), "no audio samples"),
        ("song.m4a", lambda p: p.write_bytes(b"\x00\x00\x00\x20ftypM4A " + bytes(400)), "cannot decode audio"),
    ],
)
def test_bad_audio_raises_one_line_naming_the_file(tmp_path, name, make, expected):
    path = tmp_path / name
    make(path)
    with pytest.raises(MediaError) as err:
        load_audio(path)
    message = one_line_naming(err, name)
    assert expected in message


def test_missing_audio_and_offset_past_the_end(tmp_path):
    with pytest.raises(MediaError) as err:
        load_audio(tmp_path / "gone.mp3")
    assert "file not found" in one_line_naming(err, "gone.mp3")
    path = tmp_path / "short.wav"
    sf.write(path, ramp(2.0, SR) + 0.1, SR)
    with pytest.raises(MediaError) as err:
        load_audio(path, offset=10.0)
    assert "no audio samples" in one_line_naming(err, "short.wav")


# --------------------------------------------------------------------------- many at once


@pytest.mark.parametrize("workers", [1, 4])
def test_decode_many_keeps_order_and_gives_each_bad_file_its_error(tmp_path, workers):
    from recsys.encoders.media import decode_input, decode_many

    paths = []
    for i in range(9):
        path = tmp_path / f"clip{i}.wav"
        if i in (2, 7):
            path.write_bytes(b"RIFF not really a wave file")
        else:
            sf.write(path, ramp(0.2 + 0.05 * i, 8000), 8000)
        paths.append(path)
    out = decode_many("audio", paths, workers=workers)
    assert len(out) == len(paths)
    for i, (path, item) in enumerate(zip(paths, out)):
        if i in (2, 7):
            assert isinstance(item, MediaError) and path.name in str(item)
        else:
            np.testing.assert_array_equal(item, decode_input("audio", path))


# --------------------------------------------------------------------------- files that are not files


def finishes_quickly(fn) -> BaseException | None:
    """Run ``fn`` on a daemon thread; fail (rather than hang the suite) if it blocks."""
    import threading

    box: list[BaseException | None] = []

    def run() -> None:
        try:
            fn()
            box.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "the loader blocked"
    return box[0]


@pytest.mark.parametrize("loader", [load_audio, load_image])
def test_a_fifo_or_a_device_is_refused_without_blocking(tmp_path, loader):
    import os

    fifo = tmp_path / "pipe.mp3"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    device = tmp_path / "zero.flac"
    device.symlink_to("/dev/zero")  # endless zeros
    for path, kind in ((fifo, "a FIFO"), (device, "a device or socket")):
        err = finishes_quickly(lambda: loader(path))
        assert isinstance(err, MediaError), err
        assert str(err) == f"{path}: not a regular file ({kind})"


def test_a_directory_named_like_audio(tmp_path):
    (tmp_path / "album.flac").mkdir()
    with pytest.raises(MediaError) as err:
        load_audio(tmp_path / "album.flac")
    assert "is a directory, not a file" in one_line_naming(err, "album.flac")


def test_a_relative_name_with_a_colon_is_a_file_not_a_protocol(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sf.write(tmp_path / "Live: Paris.wav", ramp(2.0, SR) + 0.1, SR)
    assert load_audio("Live: Paris.wav", sr=SR).size == 2 * SR


def test_audio_resampling_matches_librosa_soxr_hq(tmp_path):
    """Vectors stored before decoding moved to PyAV stay valid: same samples as librosa gave."""
    import librosa

    for n in (44100 * 3 + 17, 44100 * 30):
        path = tmp_path / f"hi{n}.wav"
        y = np.random.default_rng(0).uniform(-0.5, 0.5, n).astype(np.float32)
        sf.write(path, y, 44100, subtype="FLOAT")
        for sr in (16000, 22050, 48000):
            expected = librosa.resample(y, orig_sr=44100, target_sr=sr, res_type="soxr_hq").astype(np.float32)
            got = load_audio(path, sr=sr, duration=None)
            assert got.size == -(-n * sr // 44100)  # librosa's float ratio gives 30 s one zero more
            np.testing.assert_array_equal(got, expected[: got.size])


def test_a_silent_middle_takes_the_louder_end_of_the_file(tmp_path):
    """A jingle padded with silence (a real game soundtrack's 18 s of music, then 65 s of
    digital silence) had its middle read: "silent", no audio vector. Its start is read instead;
    a hidden track after the silence, its end. Both ingest and query read the same samples."""
    tone = (0.3 * np.sin(np.linspace(0, 800, 4 * SR))).astype(np.float32)
    silence = np.zeros(30 * SR, dtype=np.float32)
    sf.write(tmp_path / "jingle.flac", np.concatenate([tone, silence]), SR)
    sf.write(tmp_path / "hidden.flac", np.concatenate([silence, 0.5 * tone]), SR)
    sf.write(tmp_path / "quiet.flac", np.concatenate([silence, silence]), SR)
    y = load_audio(tmp_path / "jingle.flac", sr=SR, duration=10.0)
    assert y.size == 10 * SR and np.abs(y[: 4 * SR]).max() == pytest.approx(0.3, abs=0.01)
    np.testing.assert_array_equal(y, load_audio(tmp_path / "jingle.flac", sr=SR, duration=10.0))
    end = load_audio(tmp_path / "hidden.flac", sr=SR, duration=10.0)
    assert np.abs(end[-4 * SR:]).max() == pytest.approx(0.15, abs=0.01)
    with pytest.raises(MediaError, match="silent"):
        load_audio(tmp_path / "quiet.flac", sr=SR, duration=10.0)
