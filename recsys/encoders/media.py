"""Decode cover images and audio excerpts, reporting every failure as one MediaError line.

Loaders run before any batch is formed, so a bad file is named by the loader that read it
("cover.png: not an image (cannot identify image file)") instead of failing a whole batch
inside an encoder.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from recsys.errors import EncoderError, MediaError

_WARNINGS_LOCK = threading.Lock()

#: What an audio encoder that declares no ``sample_rate`` / ``duration`` is given.
DEFAULT_SAMPLE_RATE = 22050
DEFAULT_DURATION = 30.0

#: Formats libsndfile decodes itself (mp3 since libsndfile 1.1); others (m4a, ...) need librosa's
#: audioread fallback, and a failure there is reported as librosa's rather than libsndfile's.
_SNDFILE_FORMATS = {".wav", ".flac", ".ogg", ".oga", ".opus", ".aiff", ".aif", ".mp3", ".au", ".caf"}


def _fail(where: str | os.PathLike[str], what: str) -> MediaError:
    # Exception texts can span lines (libsndfile, audioread); the CLI prints one line per error.
    one_line = " ".join(str(what).split())
    return MediaError(f"{where}: {one_line}")


def _check_file(path: Path) -> None:
    """Missing, unreadable and empty files get a message of their own, not a decoder's guess."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _fail(path, "file not found") from None
    except OSError as exc:
        raise _fail(path, f"cannot read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise _fail(path, "is a directory, not a file")
    if size == 0:
        raise _fail(path, "empty file (0 bytes)")


# --------------------------------------------------------------------------- images


def _to_rgb(img: Image.Image, where: str | os.PathLike[str]) -> Image.Image:
    try:
        # Decode now: PIL is lazy, and a truncated file only fails on first pixel access.
        img.load()
        # Phone photos and some scans carry an EXIF rotation; the encoder should see it upright.
        img = ImageOps.exif_transpose(img)
        if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
            # Transparent regions would turn black under convert("RGB"); covers are shown on white.
            rgba = img.convert("RGBA")
            background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            img = Image.alpha_composite(background, rgba)
        rgb = img.convert("RGB")
    except Image.DecompressionBombError as exc:
        raise _fail(where, f"image too large ({exc})") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise _fail(where, f"corrupt image ({exc})") from None
    if rgb.width == 0 or rgb.height == 0:
        raise _fail(where, "image has no pixels")
    return rgb


def _open_image(source: str | os.PathLike[str] | io.BytesIO, where: str | os.PathLike[str]) -> Image.Image:
    try:
        img = Image.open(source)
    except UnidentifiedImageError:
        raise _fail(where, "not an image (cannot identify image file)") from None
    except Image.DecompressionBombError as exc:
        raise _fail(where, f"image too large ({exc})") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise _fail(where, f"corrupt image ({exc})") from None
    with img:
        return _to_rgb(img, where)


def load_image(path: str | os.PathLike[str]) -> Image.Image:
    """Read an image file as a fully decoded RGB PIL image (alpha flattened onto white)."""
    path = Path(path)
    _check_file(path)
    return _open_image(path, path)


def load_image_bytes(data: bytes, where: str) -> Image.Image:
    """Decode image bytes (e.g. cover art embedded in an audio file); ``where`` names them in
    errors, e.g. ``"song.mp3 (embedded cover)"``."""
    if not data:
        raise _fail(where, "empty image data (0 bytes)")
    return _open_image(io.BytesIO(data), where)


# --------------------------------------------------------------------------- audio


def _window(total_s: float, offset: float | None, duration: float | None) -> tuple[float, float | None]:
    """(start, length) in seconds of the excerpt to read; length None means to the end.

    Without an explicit offset a long file is read from its middle: intros and fade-outs say
    little about a track, and a fixed rule makes ingest and query read the same samples.
    """
    if offset is not None:
        start = max(0.0, float(offset))
        return start, duration
    if duration is None or total_s <= duration:
        return 0.0, None
    return (total_s - duration) / 2.0, duration


def _read_soundfile(path: Path, offset: float | None, duration: float | None) -> tuple[np.ndarray, int]:
    import soundfile as sf

    with sf.SoundFile(str(path)) as fh:
        native_sr = int(fh.samplerate)
        frames = int(fh.frames)
        start_s, length_s = _window(frames / native_sr if native_sr else 0.0, offset, duration)
        start = min(int(round(start_s * native_sr)), frames)
        count = frames - start if length_s is None else min(int(round(length_s * native_sr)), frames - start)
        # mp3 decodes silence for the first frames after a seek (the bit reservoir refers to
        # frames before it), so seek a quarter second early and drop that pre-roll.
        preroll = min(start, native_sr // 4)
        if fh.seekable() and start:
            fh.seek(start - preroll)
        elif start:
            preroll = 0
            fh.read(start, dtype="float32", always_2d=True)  # unseekable stream: skip by reading
        data = fh.read(max(count, 0) + preroll, dtype="float32", always_2d=True)[preroll:]
    return data.mean(axis=1), native_sr


def _read_librosa(path: Path, sr: int, offset: float | None, duration: float | None) -> np.ndarray:
    import librosa

    # catch_warnings swaps process-wide state: with files decoded on threads (decode_many) two
    # overlapping blocks could leave the filter on or off for good, so one at a time
    with _WARNINGS_LOCK, warnings.catch_warnings():
        # librosa warns that its audioread fallback is deprecated; the fallback is the point here.
        warnings.simplefilter("ignore")
        total = librosa.get_duration(path=str(path))
        start_s, length_s = _window(total, offset, duration)
        y, _ = librosa.load(str(path), sr=sr, mono=True, offset=start_s, duration=length_s, dtype=np.float32)
    return y


def load_audio(
    path: str | os.PathLike[str],
    sr: int = 22050,
    offset: float | None = None,
    duration: float | None = 30.0,
) -> np.ndarray:
    """Read a mono float32 excerpt of an audio file, resampled to ``sr``.

    When the file is longer than ``duration`` seconds the excerpt is taken from the middle,
    or from ``offset`` seconds when given; ``duration=None`` reads the whole file.
    wav/flac/ogg/mp3 decode through libsndfile; other formats (m4a, ...) through librosa's
    audioread fallback, which needs ffmpeg or GStreamer installed.
    """
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    y: np.ndarray | None = None
    sndfile_error = ""
    try:  # libsndfile first for every file: it is fast, seeks, and fails at once when it cannot
        raw, native_sr = _read_soundfile(path, offset, duration)
        y = raw if native_sr == sr or raw.size == 0 else _resample(raw, native_sr, sr)
    except Exception as exc:  # libsndfile raises several types; any of them means "try librosa"
        sndfile_error = str(exc).replace(f"'{path}'", "file").replace(str(path), "file")
    if y is None:
        try:
            y = _read_librosa(path, sr, offset, duration)
        except Exception as exc:
            if suffix in _SNDFILE_FORMATS and sndfile_error:
                detail = sndfile_error  # a format libsndfile knows: its complaint is the real one
            elif type(exc).__name__ == "NoBackendError":
                detail = f"no decoder for {suffix or 'this file'} (install ffmpeg)"
            else:
                detail = str(exc) or type(exc).__name__
            raise _fail(path, f"cannot decode audio ({detail})") from None
    y = np.nan_to_num(np.asarray(y, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    if y.size == 0:
        raise _fail(path, "no audio samples (zero length" + (f" after offset {offset}s)" if offset else ")"))
    if not np.any(y):
        raise _fail(path, "silent (every sample of the excerpt is zero)")
    return np.ascontiguousarray(y)


def _resample(y: np.ndarray, orig_sr: int, target_sr: int) -> np.ndarray:
    import librosa

    # soxr_hq: fast and deterministic; the same file always gives the same samples.
    return librosa.resample(y, orig_sr=orig_sr, target_sr=target_sr, res_type="soxr_hq").astype(np.float32)


# --------------------------------------------------------------------------- one input, any encoder


def decode_input(encoder_or_modality: Any, source: Any) -> Any:
    """One source as the item an encoder's ``encode`` takes, by the encoder's ``input_kind`` (or a
    modality name): a text stays the string; an image path becomes an RGB PIL image; an audio
    path a mono float32 waveform at the encoder's ``sample_rate``, its middle ``duration``
    seconds; a graph item (``GraphNode``) is already decoded. Ingest and queries both decode
    here, so a track and a query clip read the same samples. A bad file raises MediaError."""
    if isinstance(encoder_or_modality, str):
        kind, sample_rate, duration = encoder_or_modality, None, None
    else:
        kind = encoder_or_modality.input_kind
        sample_rate, duration = encoder_or_modality.sample_rate, encoder_or_modality.duration
    if kind == "text":
        if not isinstance(source, str):
            raise EncoderError(f"a text input must be a string, got {type(source).__name__}")
        return source
    if kind == "image":
        return load_image(Path(source))
    if kind == "audio":
        return load_audio(
            Path(source),
            sr=DEFAULT_SAMPLE_RATE if sample_rate is None else sample_rate,
            duration=DEFAULT_DURATION if duration is None else duration,
        )
    if kind == "graph":
        return source
    raise EncoderError(f"no decoder for '{kind}' inputs")


def decode_many(encoder_or_modality: Any, sources: list[Any], workers: int | None = None) -> list[Any]:
    """``decode_input`` of each source, in order, on a pool of threads (file reading, image
    and audio decoding and resampling run in C and release the GIL). A source that cannot be
    decoded gives its ``MediaError`` in its place instead of an item, so one bad file costs
    one track; any other error is raised."""
    from concurrent.futures import ThreadPoolExecutor

    from recsys.encoders.base import preprocess_workers

    def one(source: Any) -> Any:
        try:
            return decode_input(encoder_or_modality, source)
        except MediaError as exc:
            return exc

    workers = workers or preprocess_workers()
    if workers <= 1 or len(sources) <= 1:
        return [one(s) for s in sources]
    with ThreadPoolExecutor(max_workers=min(workers, len(sources)), thread_name_prefix="recsys-decode") as pool:
        return list(pool.map(one, sources))

