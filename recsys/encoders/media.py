"""Decode cover images and audio excerpts, reporting every failure as one MediaError line.

Loaders run before any batch is formed, so a bad file is named by the loader that read it
("cover.png: not an image (cannot identify image file)") instead of failing a whole batch
inside an encoder.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from recsys.catalog.model import AudioSpan, file_stat
from recsys.encoders import downmix, spans
from recsys.encoders.image_memory import TRIM_AT, as_8bit, decode_budget, fitted, pixel_bytes, release_memory
from recsys.errors import EncoderError, MediaError
from recsys.text import escaped

#: What an audio encoder that declares no ``sample_rate`` / ``duration`` is given.
DEFAULT_SAMPLE_RATE = 22050
DEFAULT_DURATION = 30.0

#: Seconds decoded before the excerpt after a seek and then dropped: decoders need some history
#: to give exact samples (mp3's bit reservoir, Opus's 80 ms pre-roll), and seeks land on packets.
_PREROLL_S = 0.5
#: The longest read (``duration=None``, or a stream whose length is unknown): 3 h of audio.
MAX_AUDIO_SECONDS = 3 * 3600
#: Packets allowed per second of audio up to the window's end (codecs send 2 to ~400): past it a
#: stream is taken to loop or never end.
_PACKETS_PER_SECOND = 1000
#: Undecodable packets tolerated before the first good one.
_MAX_BAD_PACKETS = 200


def _fail(where: str | os.PathLike[str], what: str) -> MediaError:
    # Exception texts can span lines (PIL, FFmpeg); the CLI prints one line per error. So can a
    # file's name: its line breaks and other unprintable characters are written as escapes, as
    # the catalog quotes values in its problem lines.
    one_line = " ".join(str(what).split())
    return MediaError(f"{escaped(where)}: {one_line}")


def _check_file(path: Path) -> int:
    """Missing, unreadable and empty files get a message of their own, not a decoder's guess.
    Whether it is a regular file at all (a FIFO blocks on open, a device never ends) is the
    catalog's one check, so a file is described the same way by whichever stage meets it.
    Returns the file's size (one stat: each system call gives the GIL up and waits to take it
    back, see ``_read_in_one_piece``)."""
    info, problem = file_stat(path)
    if problem is not None or info is None:
        raise _fail(path, problem or "cannot read")
    if info.st_size == 0:
        raise _fail(path, "empty file (0 bytes)")
    return info.st_size


def check_media_file(path: str | os.PathLike[str]) -> None:
    """A MediaError unless ``path`` is a readable, non-empty regular file: what a query checks
    before it loads a model (seconds) only to find the file missing."""
    _check_file(Path(path))


# --------------------------------------------------------------------------- images

#: Covers are downscaled right after decoding so their longest side is at most this: no encoder
#: here reads more than ~518 px (EfficientNet-Lite0, CLIP and DINOv2 crop 224), and a batch of
#: covers then holds ~4 MB per cover instead of the file's full size (a 13000x13000 PNG is
#: 680 MB decoded). Smaller images are left untouched, so their vectors do not change.
MAX_IMAGE_SIDE = 1024



def _quiet_bomb_warning() -> None:
    """Pillow warns (on stderr) about images between MAX_IMAGE_PIXELS and twice it; load_image
    turns every image over the limit into a MediaError instead, so the warning is only noise.
    Set before each open: a ``warnings.catch_warnings`` block around an import would drop a
    filter set once (and the block itself is not thread-safe, so it is not used here)."""
    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)



def _to_rgb(img: Image.Image, where: str | os.PathLike[str], size: int | None = None) -> Image.Image:
    """Decode ``img`` (fresh from ``Image.open`` of a file of ``size`` bytes, or of a BytesIO),
    shrink it to ``MAX_IMAGE_SIDE`` and make it RGB."""
    w, h = img.size
    limit = Image.MAX_IMAGE_PIXELS
    if limit and w * h > limit:
        raise _fail(where, f"image too large ({w}x{h}, {w * h} pixels; the limit is {limit})")
    try:
        if img.format == "JPEG" and max(w, h) > MAX_IMAGE_SIDE:
            # JPEG decodes at 1/2, 1/4 or 1/8 scale for free: ask for at least twice the target.
            img.draft(img.mode if img.mode == "CMYK" else "RGB", fitted((w, h), 2 * MAX_IMAGE_SIDE))
        # Nearest-neighbour is all a palette or 1-bit image can be resized with: expand them first.
        expand = img.mode in ("P", "PA", "1")
        # the full-size pixels, plus ~30% for the resize's own temporaries (a 2x box reduction
        # first, then Lanczos through one intermediate)
        cost = int(img.size[0] * img.size[1] * (pixel_bytes(img.mode) + (4 if expand else 0)) * 1.3)
        with decode_budget.hold(cost):
            # Decode now: PIL is lazy, and a truncated file only fails on first pixel access.
            _read_in_one_piece(img, size)
            img.load()
            full = img
            if expand:
                transparent = img.mode == "PA" or "transparency" in img.info
                img = img.convert("RGBA" if transparent else ("L" if img.mode == "1" else "RGB"))
            if max(img.size) > MAX_IMAGE_SIDE:
                img = img.resize(fitted(img.size, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
            if img is not full:
                full.close()  # the full-size pixels go now, before another decode may start
                if cost >= TRIM_AT:
                    release_memory()
        # Phone photos and some scans carry an EXIF rotation; the encoder should see it upright.
        # In place: without a rotation, the copy exif_transpose makes otherwise cost as much as
        # the JPEG's decoding (a 600x600 cover: 0.74 ms each, of 3.5).
        ImageOps.exif_transpose(img, in_place=True)
        if img.mode in ("I", "F") or img.mode.startswith("I;16"):
            img = as_8bit(img)
        if img.mode in ("RGBA", "LA", "La", "RGBa"):
            # Transparent regions would turn black under convert("RGB"); covers are shown on white.
            rgba = img.convert("RGBA")
            background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            img = Image.alpha_composite(background, rgba)
        # convert() of an RGB image is a copy too; the decoded image is ours to hand on as it is
        # (leaving ``with Image.open(...)`` closes its file, not its pixels)
        rgb = img if img.mode == "RGB" else img.convert("RGB")
    except Image.DecompressionBombError as exc:
        raise _fail(where, f"image too large ({exc})") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise _fail(where, f"corrupt image ({exc or type(exc).__name__})") from None
    if rgb.width == 0 or rgb.height == 0:
        raise _fail(where, "image has no pixels")
    return rgb


#: image files up to this size are read and decoded in one piece (``_read_in_one_piece``)
ONE_PIECE_MAX_BYTES = 32 * 1024 * 1024


def _read_in_one_piece(img: Image.Image, size: int | None) -> None:
    """Have Pillow read the rest of the file (``size`` bytes in all; None: a BytesIO's own) in
    one block instead of 64 KB ones, so that a JPEG decodes in one call. Each block's decode
    gives the GIL up and takes it back, and every taking can wait a whole switch interval
    (5 ms) while another thread runs Python: beside such a thread, two threads decoded 500 KB
    covers at 36-43 a second in 64 KB blocks, 47-62 in one (``bench/bench_host_pixels.py``,
    docs/benchmarks.md)."""
    fp = getattr(img, "fp", None)
    if fp is None or not hasattr(img, "decodermaxblock"):
        return
    try:
        if size is None:  # a BytesIO: no system call to ask
            with fp.getbuffer() as view:
                size = view.nbytes
        rest = size - fp.tell()
    except (AttributeError, OSError, ValueError, BufferError):
        return
    if img.decodermaxblock < rest <= ONE_PIECE_MAX_BYTES:
        img.decodermaxblock = rest


def _open_image(
    source: str | os.PathLike[str] | io.BytesIO, where: str | os.PathLike[str], size: int | None = None
) -> Image.Image:
    _quiet_bomb_warning()
    try:
        img = Image.open(source)
    except UnidentifiedImageError:
        raise _fail(where, "not an image (cannot identify image file)") from None
    except Image.DecompressionBombError as exc:  # over twice the limit: Pillow's own refusal
        claimed = re.search(r"\d+", str(exc))
        size = f"{claimed.group()} pixels; " if claimed else ""
        raise _fail(where, f"image too large ({size}the limit is {Image.MAX_IMAGE_PIXELS})") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise _fail(where, f"corrupt image ({exc or type(exc).__name__})") from None
    with img:
        return _to_rgb(img, where, size)


def load_image(path: str | os.PathLike[str]) -> Image.Image:
    """Read an image file as a decoded RGB PIL image (alpha flattened onto white), its longest
    side at most ``MAX_IMAGE_SIDE`` (larger images are shrunk with a Lanczos filter; JPEGs are
    decoded at a reduced scale first). An animated image gives its first frame; an EXIF
    rotation is applied. Images over ``PIL.Image.MAX_IMAGE_PIXELS`` are a MediaError."""
    path = Path(path)
    size = _check_file(path)
    return _open_image(path, path, size)


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


@dataclass
class _Decoded:
    """What one read of a file gave: mono float32 samples at the file's own rate, and how much
    of the file it took (``packets`` read, whether it ``seeked``), so tests can check that an
    excerpt is read without decoding the whole file."""

    samples: np.ndarray
    rate: int
    packets: int = 0
    seeked: bool = False
    #: the samples the read decoded, kept or not (``_read_span``'s ``keep``)
    decoded: int = 0


def _av_message(exc: BaseException) -> str:
    # FFmpegError's str() repeats the path; its strerror is the reason alone.
    return str(getattr(exc, "strerror", None) or exc or type(exc).__name__)


def _open_container(path: Path) -> Any:
    import av

    try:
        # An absolute path: a relative name with a colon ("Live: Paris.mp3") would be read by
        # FFmpeg as a protocol prefix.
        return av.open(str(path.absolute()), metadata_errors="ignore")
    except Exception as exc:  # av.FFmpegError and its subclasses, OSError, ...
        raise _fail(path, f"cannot decode audio ({_av_message(exc)})") from None


def _stream_seconds(container: Any, stream: Any) -> float | None:
    """The stream's length in seconds as its header gives it (None when the format does not say);
    a file cut short can claim more than it holds, which the reader copes with."""
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / 1_000_000  # av.time_base: microseconds
    return None


def _frame_mono(frame: Any, mixer: downmix.Mixer | None = None) -> np.ndarray:
    """One decoded frame as mono float32: a stereo one's channels averaged (as soundfile's path
    did), more channels downmixed by ``mixer`` (``downmix``: BS.775 weights, the LFE dropped;
    the read's samples are then multiplied by ``mixer.gain()``); without a mixer, averaged."""
    channels = max(1, frame.layout.nb_channels)
    if frame.format.name == "fltp" and channels <= 2:
        # What mp3, aac, vorbis and opus decode to. Views on the planes skip ``to_ndarray``'s
        # copy and stack: a third of this function's time, which holds the GIL. Same samples.
        planes, n = frame.planes, frame.samples
        left = np.frombuffer(planes[0], np.float32, n)
        if channels == 1:
            return left
        return (left + np.frombuffer(planes[1], np.float32, n)) * np.float32(0.5)
    a = frame.to_ndarray()
    planar = frame.format.is_planar
    if not planar:  # packed formats come as one row of interleaved samples
        a = a.reshape(-1, channels)
    if a.dtype.kind == "f":
        a = a.astype(np.float32, copy=False)
    elif a.dtype == np.uint8:
        a = (a.astype(np.float32) - np.float32(128.0)) * np.float32(1 / 128)
    else:  # s16 / s32 / s64: full scale is 2**(bits-1), as libsndfile scales them
        a = a.astype(np.float32) * np.float32(2.0 ** (1 - 8 * a.dtype.itemsize))
    if channels == 1:
        return a.reshape(-1)
    if channels == 2:
        pair = (a[0], a[1]) if planar else (a[:, 0], a[:, 1])
        return (pair[0] + pair[1]) * np.float32(0.5)
    if mixer is None:
        return a.mean(axis=0 if planar else 1, dtype=np.float32)
    return mixer.add(a, tuple(c.name for c in frame.layout.channels), planar)


class _NoTimestamps(Exception):
    """The first frame after a seek carries no timestamp, so the samples cannot be placed; or a
    seek failed and left the stream where nothing more is read (the caller reads it again)."""


def _read_span(path: Path, container: Any, stream: Any, start_s: float, length_s: float | None, seek: bool,
               keep: tuple[int, int | None] | None = None) -> _Decoded:
    """Decode ``length_s`` seconds (None: to the end) from ``start_s``, seeking when ``seek``.
    ``keep`` (first, stop): of what the read gives, only the samples from index ``first`` up to
    ``stop`` (None: the end) are kept, and the read ends at ``stop``; (0, 0) counts them alone.

    After a seek the first frame's timestamp places the samples; frames are then laid end to end
    and the decoding stops as soon as the window is full. Bounded: at most
    ``_PACKETS_PER_SECOND`` packets per second up to the window's end, and no read longer than
    ``MAX_AUDIO_SECONDS``, so an endless or looping stream ends in a MediaError, not a hang.
    """
    tb = stream.time_base
    origin = stream.start_time or 0  # mp3 and others start at the encoder delay, not at 0
    seek_s = max(0.0, start_s - _PREROLL_S)
    seeked = seek_failed = False
    if seek and seek_s > 0 and tb:
        try:
            container.seek(origin + int(seek_s / tb), stream=stream, backward=True)
            seeked = True
        except Exception:  # an unseekable stream: decode from where it stands (the start, or see below)
            seeked, seek_failed = False, True
    end_s = MAX_AUDIO_SECONDS if length_s is None else min(start_s + length_s, MAX_AUDIO_SECONDS)
    max_packets = int((end_s + 10.0) * _PACKETS_PER_SECOND)
    chunks: list[np.ndarray] = []
    rate = 0
    have = 0
    need: int | None = None
    first_index = 0
    pos: int | None = None  # the index (at ``rate``, from the stream's start) of the next sample
    packets = bad = 0
    last_error: BaseException | None = None
    done = False
    mixer = downmix.Mixer()  # used by frames of more than two channels only
    for packet in container.demux(stream):
        packets += 1
        if packets > max_packets:
            if length_s is None and pos is not None and pos >= MAX_AUDIO_SECONDS * rate:
                raise _fail(path, f"cannot decode audio (longer than {MAX_AUDIO_SECONDS / 3600:g} h)")
            raise _fail(path, f"cannot decode audio (no end found after {max_packets} packets)")
        try:
            frames = packet.decode()
        except Exception as exc:  # a damaged packet: skip it, as players do, unless all are
            bad += 1
            last_error = exc
            if bad > _MAX_BAD_PACKETS and not rate:
                break
            continue
        for frame in frames:
            if not frame.samples:
                continue
            mono = _frame_mono(frame, mixer)
            if not rate:
                rate = int(frame.sample_rate)
                first_index = int(round(start_s * rate))
                need = None if length_s is None else int(round(length_s * rate))
            elif frame.sample_rate != rate:  # a stream that changes rate midway (rare)
                mono = _resample(mono, int(frame.sample_rate), rate)
            if pos is None:
                if frame.pts is None:
                    if seeked:
                        raise _NoTimestamps
                    pos = 0
                else:
                    pos = int(round(float((frame.pts - origin) * (frame.time_base or tb)) * rate))
            skip = first_index - pos
            pos += mono.size
            if skip >= mono.size:
                continue  # before the window (the pre-roll after a seek)
            if skip > 0:
                mono = mono[skip:]
            if keep is None:
                chunks.append(mono)
            elif (kept := mono[max(0, keep[0] - have):None if keep[1] is None else max(0, keep[1] - have)]).size:
                chunks.append(kept.copy())  # not a view that holds the whole frame
            have += mono.size
            if (need is not None and have >= need) or (keep is not None and keep[1] and have >= keep[1]):
                done = True
                break
            if length_s is None and pos > MAX_AUDIO_SECONDS * rate:
                raise _fail(path, f"cannot decode audio (longer than {MAX_AUDIO_SECONDS / 3600:g} h)")
        if done:
            break
    if not rate and seek_failed:
        # FFmpeg's RealMedia demuxer, asked for a time its file has no index for, fails the
        # seek at the end of the file, not where it stood: nothing was read, not "no audio"
        raise _NoTimestamps
    if not rate and last_error is not None and not seeked:  # after a seek: the caller reads from the start
        raise _fail(path, f"cannot decode audio ({_av_message(last_error)})")
    y = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if mixer.used:  # one gain for the read (a copy made by concatenate: no frame's buffer)
        y *= np.float32(mixer.gain())
    return _Decoded(y[:need] if need is not None else y, rate, packets, seeked, have)


#: Files tried with libsndfile when FFmpeg will not open them: its own formats. Not mp3 (its
#: mpg123 prints "Illegal Audio-MPEG-Header" notes on stderr for a file that is no mp3).
_LIBSNDFILE_SUFFIXES = frozenset({".ogg", ".oga", ".opus", ".flac", ".wav", ".aiff", ".aif"})


def _decode_libsndfile(path: Path, offset: float | None, duration: float | None) -> _Decoded | None:
    """The excerpt read with libsndfile (soundfile's wheel bundles it), for a file FFmpeg will
    not open; None when libsndfile cannot read it either. FFmpeg's Ogg demuxer refuses some
    valid Vorbis files ("Header processing failed": a comment header laid out over pages in a
    way it does not expect) that libvorbis, and so every player, plays: three pieces of
    Debian's hyperrogue-music are such files."""
    if path.suffix.lower() not in _LIBSNDFILE_SUFFIXES:
        return None
    try:
        import soundfile

        with soundfile.SoundFile(str(path.absolute())) as f:
            rate, frames = int(f.samplerate), int(f.frames)
            start_s, length_s = _window(frames / rate if rate else 0.0, offset, duration)
            first = min(int(round(start_s * rate)), frames)
            if length_s is None and frames - first > MAX_AUDIO_SECONDS * rate:
                raise _fail(path, f"cannot decode audio (longer than {MAX_AUDIO_SECONDS / 3600:g} h)")
            if first:
                f.seek(first)
            y = f.read(-1 if length_s is None else int(round(length_s * rate)), dtype="float32", always_2d=True)
    except MediaError:
        raise
    except Exception:  # noqa: BLE001 - soundfile.LibsndfileError, RuntimeError, ...: not readable
        return None
    # libsndfile gives no channel layout: more than two channels are downmixed alike, sounding ones
    mono = y.mean(axis=1, dtype=np.float32) if y.shape[1] <= 2 else downmix.downmix_block(y)
    return _Decoded(np.ascontiguousarray(mono), rate, 0, bool(first))


def _decode(path: Path, offset: float | None, duration: float | None) -> _Decoded:
    """The excerpt ``load_audio`` returns, before resampling: mono float32 at the file's rate."""
    try:
        container = _open_container(path)
    except MediaError:
        got = _decode_libsndfile(path, offset, duration)
        if got is None:
            raise
        return got
    with container:
        if not container.streams.audio:
            raise _fail(path, "cannot decode audio (no audio stream)")
        stream = container.streams.audio[0]
        total = _stream_seconds(container, stream)
        if total is not None or offset is not None or duration is None:
            start_s, length_s = _window(total or 0.0, offset, duration)
            try:
                got = _read_span(path, container, stream, start_s, length_s, seek=True)
            except _NoTimestamps:
                got = None
            full = got is not None and (length_s is None or got.samples.size >= round(length_s * got.rate))
            if got is not None and (full or offset is not None or start_s == 0):
                return got
    # The middle cannot be found from the header (a length it does not give, or a file cut
    # short, whose header promises more than it holds and whose window ends past its real end):
    # decode from the start and take the middle of what is there. For an excerpt, in two reads:
    # one that counts the samples, one that keeps the window's. Kept whole, a hi-res file's
    # samples at its own rate filled the memory: a 24/192 FLAC written to a pipe (no length in
    # its header) or a download cut short took 450 MB a 5 minutes, a DSD64 file 850 MB a 10.
    whole_file = duration is None and offset is None
    with _open_container(path) as container:
        stream = container.streams.audio[0]
        whole = _read_span(path, container, stream, 0.0, None, seek=False, keep=None if whole_file else (0, 0))
    if not whole.rate or whole_file:
        return whole
    start_s, length_s = _window(whole.decoded / whole.rate, offset, duration)
    first = int(round(start_s * whole.rate))
    stop = None if length_s is None else first + int(round(length_s * whole.rate))
    with _open_container(path) as container:
        stream = container.streams.audio[0]
        return _read_span(path, container, stream, 0.0, None, seek=False, keep=(first, stop))


def audio_duration(path: str | os.PathLike[str]) -> float | None:
    """A file's length in seconds as its header gives it, for any format ``load_audio`` reads;
    None when it is not a readable audio file or the header does not say (nothing is decoded)."""
    path = Path(path)
    try:
        _check_file(path)  # a FIFO, a device, a missing or empty file: never opened
    except MediaError:
        return None
    try:
        with _open_container(path) as container:
            if not container.streams.audio:
                return None
            return _stream_seconds(container, container.streams.audio[0])
    except MediaError:
        pass
    if path.suffix.lower() not in _LIBSNDFILE_SUFFIXES:
        return None
    try:  # a file only libsndfile opens (_decode_libsndfile)
        import soundfile

        info = soundfile.info(str(path.absolute()))
        return float(info.frames) / info.samplerate if info.samplerate and info.frames > 0 else None
    except Exception:  # noqa: BLE001 - not readable by libsndfile either
        return None


def load_audio(
    path: str | os.PathLike[str],
    sr: int = 22050,
    offset: float | None = None,
    duration: float | None = 30.0,
) -> np.ndarray:
    """Read a mono float32 excerpt of an audio file, resampled to ``sr``.

    When the file is longer than ``duration`` seconds the excerpt is taken from the middle
    (from its start or end, the louder, when the middle is silent: ``_louder_excerpt``),
    or from ``offset`` seconds when given; ``duration=None`` reads the whole file (at most
    ``MAX_AUDIO_SECONDS``). Every format FFmpeg decodes (mp3, ogg/vorbis, opus, flac, wav,
    aiff, m4a/aac, wma, ...) is read through PyAV, whose wheel bundles FFmpeg: it seeks to
    the excerpt and decodes only that (plus half a second of pre-roll), channels averaged, and
    resamples the excerpt in one piece with soxr. A file cut short gives the audio it holds. A
    file FFmpeg will not open is tried with libsndfile (``_decode_libsndfile``).
    """
    path = Path(path)
    _check_file(path)
    got = _decode(path, offset, duration)
    if offset is None and duration is not None and _quiet(got.samples):
        got = _louder_excerpt(path, got, duration)
    return _finished(path, got, sr, offset)


def _finished(path: Path, got: _Decoded, sr: int, offset: float | None) -> np.ndarray:
    """``load_audio``'s excerpt from what ``_decode`` gave: resampled to ``sr``, checked."""
    y = got.samples
    if got.rate and got.rate != sr and y.size:
        y = _resample(y, got.rate, sr)
    y = np.asarray(y, dtype=np.float32)
    if not np.isfinite(y).all():  # one pass; nan_to_num makes five, on every clip
        y = np.nan_to_num(y, nan=0.0, posinf=0.0, neginf=0.0)
    if y.size == 0:
        raise _fail(path, "no audio samples (zero length" + (f" after offset {offset}s)" if offset else ")"))
    if not np.any(y):
        raise _fail(path, "silent (every sample of the excerpt is zero)")
    return np.ascontiguousarray(y)


#: An excerpt whose loudest sample is below this (-60 dBFS) holds no music: digital silence, or
#: the dither and codec noise a lossy encoder leaves in it.
_QUIET_PEAK = 1e-3


def _quiet(samples: np.ndarray) -> bool:
    return samples.size == 0 or float(np.max(np.abs(samples))) < _QUIET_PEAK


def _louder_excerpt(path: Path, middle: _Decoded, duration: float, first: float = 0.0,
                    last: float | None = None) -> _Decoded:
    """The file's first or last ``duration`` seconds when its middle is silent, whichever is
    louder. Real files are like that: a game's 18 s jingle padded with a minute of digital
    silence (Colobot's music010.ogg), a CD track with a hidden track after minutes of silence.
    Their middle gave no audio vector at all, or one of silence that made them all alike. A
    fixed rule, so that an ingest and a query of the same file read the same samples. Of a
    span of the file (``spans.load_span``), the span's first or last: ``first`` to ``last``."""
    last = audio_duration(path) if last is None else last
    if last is None or last - first <= duration:
        return middle  # the middle was the whole file
    best = middle
    loudest = float(np.sqrt(np.mean(np.square(middle.samples)))) if middle.samples.size else 0.0
    for start in (first, last - duration):
        try:
            got = _decode(path, start, duration)
        except MediaError:
            continue
        level = float(np.sqrt(np.mean(np.square(got.samples)))) if got.samples.size else 0.0
        if level > loudest:
            best, loudest = got, level
    return best


#: Where a track's audio windows are centred (fractions of its length), how long each is, and
#: the shortest track that gets them: below 40 s the middle 30 s already hold most of it.
#: where the windows lie: one near the start (what ``ffmpeg -t 20`` cuts), the middle, near the
#: end. On 133 real tracks (bench/bench_audio_excerpts.py) these found a 20 s excerpt's track
#: first 0.835 of the time from a random place and 0.677 from a track's start, against 0.789 and
#: 0.421 with windows at 1/6, 1/2 and 5/6
WINDOW_FRACTIONS = (0.08, 0.5, 0.85)
WINDOW_SECONDS = 10.0
WINDOWS_MIN_SECONDS = 40.0


def load_windows(
    source: str | os.PathLike[str] | AudioSpan,
    sr: int = DEFAULT_SAMPLE_RATE,
    fractions: tuple[float, ...] = WINDOW_FRACTIONS,
    seconds: float = WINDOW_SECONDS,
) -> list[np.ndarray | None]:
    """The ``seconds``-long windows of an audio file centred at ``fractions`` of its length (of
    a span, of the span's: ``spans.window_starts``), each as ``load_audio`` reads it, in order;
    None in place of a silent (below -60 dBFS) or undecodable window, so window i stays window
    i. A file shorter than ``WINDOWS_MIN_SECONDS``, or whose header gives no length, has none
    (an empty list)."""
    path = Path(source.path if isinstance(source, AudioSpan) else source)
    start, end = spans.bounds(source, audio_duration) if isinstance(source, AudioSpan) else (0.0, audio_duration(path))
    out: list[np.ndarray | None] = []
    for at in spans.window_starts(start, end, fractions, seconds, WINDOWS_MIN_SECONDS):
        try:
            y = load_audio(path, sr=sr, offset=at, duration=seconds)
        except MediaError:
            y = None
        out.append(None if y is None or _quiet(y) else y)
    return out


def _windows_or_none(source: Any, sr: int, seconds: float,
                     fractions: tuple[float, ...] = WINDOW_FRACTIONS, step: Any = None) -> list[Any]:
    """What a decode worker process runs for one file's windows (or one span's): each as its
    encoder's ``worker_step`` makes it where the encoder has one."""
    windows = load_windows(source if isinstance(source, AudioSpan) else Path(source), sr=sr, fractions=fractions,
                           seconds=seconds)
    return windows if step is None else [None if y is None else step(y, sr, seconds) for y in windows]


def decode_windows_many(encoder: Any, sources: list[Any], seconds: float = WINDOW_SECONDS,
                        fractions: tuple[float, ...] = WINDOW_FRACTIONS) -> list[list[Any]]:
    """``load_windows`` of each audio file at the encoder's sample rate, in order, in the decode
    worker processes where ``decode_many`` would use them (else on a few threads); a file that
    crashes its worker has no windows."""
    from concurrent.futures import ThreadPoolExecutor

    from recsys.encoders import decode_pool
    from recsys.encoders.base import preprocess_workers

    sr = _audio_args(getattr(encoder, "sample_rate", None), None)[0]
    processes = decode_pool.decode_processes()
    if processes > 1 and len(sources) > 1 and not decode_pool.unavailable():
        try:
            return decode_pool.map_in_processes(_windows_or_none, sources, processes, lambda _: [],
                                                args=(sr, seconds, fractions, _worker_step(encoder)))
        except decode_pool.StartFailed as exc:
            decode_pool.mark_unavailable(exc)
    workers = min(preprocess_workers(), max(1, len(sources)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="recsys-windows") as pool:
        return list(pool.map(lambda s: _windows_or_none(s, sr, seconds, fractions), sources))


def _resample(y: np.ndarray, orig_sr: int, target_sr: int) -> np.ndarray:
    import soxr  # librosa's resampler; called directly, librosa's first call costs seconds

    # soxr_hq: fast and deterministic; the same file always gives the same samples, those
    # librosa.resample(res_type="soxr_hq") gave, so vectors computed before stay the same. The
    # length is ceil(n * ratio) as there, computed in integers (librosa's float ratio can add a
    # zero sample: 30 s at 44.1 kHz gave 1 440 001 samples at 48 kHz).
    out = soxr.resample(np.asarray(y, dtype=np.float32), orig_sr, target_sr, quality="soxr_hq")
    size = -(-y.shape[-1] * target_sr // orig_sr)  # ceil in integers: 30 s stay 30 s
    if out.shape[-1] < size:
        out = np.pad(out, (0, size - out.shape[-1]))
    return np.asarray(out[:size], dtype=np.float32)


# --------------------------------------------------------------------------- one input, any encoder


def _wanted(encoder_or_modality: Any) -> tuple[str, int | None, float | None]:
    """(input kind, sample rate, duration) of an encoder or a modality name."""
    if isinstance(encoder_or_modality, str):
        return encoder_or_modality, None, None
    e = encoder_or_modality
    return e.input_kind, e.sample_rate, e.duration


def _audio_args(sample_rate: int | None, duration: float | None) -> tuple[int, float]:
    return (DEFAULT_SAMPLE_RATE if sample_rate is None else sample_rate,
            DEFAULT_DURATION if duration is None else duration)


def decode_input(encoder_or_modality: Any, source: Any) -> Any:
    """One source as the item an encoder's ``encode`` takes, by the encoder's ``input_kind`` (or a
    modality name): a text stays the string; an image path becomes an RGB PIL image; an audio
    path a mono float32 waveform at the encoder's ``sample_rate``, its middle ``duration``
    seconds; a graph item (``GraphNode``) is already decoded. Ingest and queries both decode
    here, so a track and a query clip read the same samples. A bad file raises MediaError."""
    kind, sample_rate, duration = _wanted(encoder_or_modality)
    if kind == "text":
        if not isinstance(source, str):
            raise EncoderError(f"a text input must be a string, got {type(source).__name__}")
        return source
    if kind == "image":
        return load_image(Path(source))
    if kind == "audio":
        return _audio_of(source, *_audio_args(sample_rate, duration))
    if kind == "graph":
        return source
    raise EncoderError(f"no decoder for '{kind}' inputs")


def _audio_or_error(source: Any, sr: int, duration: float) -> Any:
    """What a decode worker process runs for one file: its waveform, or its MediaError."""
    try:
        return _audio_of(source, sr, duration)
    except MediaError as exc:
        return exc


def _audio_of(source: Any, sr: int, duration: float) -> np.ndarray:
    """A file's excerpt (``load_audio``), or a span's, read as a file is within the span's
    bounds (``spans``): its middle, else its louder start or end, decoded from a seek."""
    if not isinstance(source, AudioSpan):
        return load_audio(Path(source), sr=sr, duration=duration)
    path = Path(source.path)
    _check_file(path)
    start, end = spans.bounds(source, audio_duration)
    offset, length = spans.excerpt(start, end, duration)
    got = _decode(path, offset, length)
    if end is not None and _quiet(got.samples):
        got = _louder_excerpt(path, got, duration, start, end)
    return _finished(path, got, sr, offset)


def _worker_step(encoder: Any) -> Any:
    """The encoder's per-clip CPU work that the decode workers run too (Encoder.worker_step),
    unless RECSYS_WORKER_STEPS=0 (``decode_pool.worker_steps``); None for a modality name."""
    from recsys.encoders import decode_pool

    return getattr(encoder, "worker_step", None) if decode_pool.worker_steps() else None


def _stepped_or_error(source: Any, sr: int, duration: float, step: Any) -> Any:
    """What a decode worker runs for an encoder with a ``worker_step``: that step's item made
    of the file's waveform, or the file's MediaError."""
    try:
        return step(_audio_of(source, sr, duration), sr, duration)
    except MediaError as exc:
        return exc


def _decoder_crashed(source: Any) -> MediaError:
    return _fail(source, "the audio decoder crashed on this file (its worker process died)")


def decode_many(encoder_or_modality: Any, sources: list[Any], workers: int | None = None) -> list[Any]:
    """``decode_input`` of each source, in order. A source that cannot be decoded gives its
    ``MediaError`` in its place instead of an item, so one bad file costs one track; any other
    error is raised.

    Audio files go to worker processes (``decode_pool``: PyAV holds the GIL, so threads do not
    scale), and a file whose decoder crashes its worker is a MediaError too. Everything else is
    decoded on a pool of ``workers`` threads (image decoding and resizing run in C and release
    the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    from recsys.encoders import decode_pool
    from recsys.encoders.base import preprocess_workers

    kind, sample_rate, duration = _wanted(encoder_or_modality)
    processes = decode_pool.decode_processes() if kind == "audio" else 0
    if processes > 1 and len(sources) > 1 and not decode_pool.unavailable():
        step = _worker_step(encoder_or_modality)
        fn, args = (_audio_or_error, _audio_args(sample_rate, duration)) if step is None else (
            _stepped_or_error, (*_audio_args(sample_rate, duration), step))
        try:
            return decode_pool.map_in_processes(fn, sources, processes, _decoder_crashed, args=args)
        except decode_pool.StartFailed as exc:  # said once; this batch and the next go to threads
            decode_pool.mark_unavailable(exc)

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
