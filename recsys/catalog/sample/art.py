"""256x256 album covers for the sample catalog, drawn with Pillow.

Each genre has its own palette and shape vocabulary (ambient: pale blurred circles; metal:
black and red shards; chiptune: a neon pixel grid...), so that an image encoder can group
covers by genre; positions, counts and colour jitter are drawn per cover, plus pixel noise.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZE = 256
RGB = tuple[int, int, int]

PALETTES: dict[str, tuple[RGB, ...]] = {
    "ambient": ((200, 222, 240), (170, 200, 232), (225, 230, 245), (185, 210, 225), (235, 240, 250)),
    "techno": ((10, 10, 18), (0, 240, 255), (255, 0, 200), (60, 60, 90), (200, 200, 220)),
    "folk": ((238, 222, 186), (150, 95, 45), (85, 120, 60), (205, 140, 50), (110, 70, 40)),
    "metal": ((8, 6, 6), (170, 10, 10), (90, 0, 0), (230, 40, 20), (50, 45, 45)),
    "jazz": ((20, 35, 80), (230, 175, 40), (240, 230, 205), (180, 60, 40), (10, 10, 10)),
    "classical-piano": ((246, 240, 225), (20, 20, 20), (190, 155, 80), (120, 100, 80), (225, 215, 195)),
    "reggae": ((200, 20, 30), (250, 210, 0), (20, 140, 50), (15, 15, 15), (240, 180, 40)),
    "chiptune": ((30, 10, 50), (0, 255, 120), (255, 40, 220), (0, 220, 255), (255, 240, 0)),
}


def _jitter(color: RGB, rng: np.random.Generator, amount: int = 18) -> RGB:
    r, g, b = (int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in color)
    return r, g, b


def _xy(rng: np.random.Generator, low: int = 0, high: int = SIZE) -> tuple[int, int]:
    return int(rng.integers(low, high)), int(rng.integers(low, high))


def _vertical_gradient(top: RGB, bottom: RGB) -> Image.Image:
    ramp = np.linspace(0.0, 1.0, SIZE)[:, None, None]
    rows = np.asarray(top)[None, None, :] * (1 - ramp) + np.asarray(bottom)[None, None, :] * ramp
    return Image.fromarray(np.repeat(rows, SIZE, axis=1).astype(np.uint8))


def _ambient(p: tuple[RGB, ...], rng: np.random.Generator) -> Image.Image:
    img = _vertical_gradient(_jitter(p[0], rng), _jitter(p[1], rng))
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(3, 7))):  # soft, large circles: mist, moons, ripples
        x, y = _xy(rng)
        r = int(rng.integers(30, 110))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_jitter(p[int(rng.integers(2, 5))], rng))
    return img.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(8, 16))))


def _techno(p: tuple[RGB, ...], rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (SIZE, SIZE), _jitter(p[0], rng, 8))
    draw = ImageDraw.Draw(img)
    gap = int(rng.integers(10, 26))
    neon = _jitter(p[int(rng.integers(1, 3))], rng)
    for k in range(0, SIZE, gap):  # a thin neon grid or stripes
        draw.line((k, 0, k, SIZE), fill=neon, width=1)
        if rng.random() < 0.5:
            draw.line((0, k, SIZE, k), fill=_jitter(p[3], rng), width=1)
    cx, cy = _xy(rng, 64, 192)
    for r in range(int(rng.integers(20, 40)), 140, int(rng.integers(12, 24))):  # concentric squares
        draw.rectangle((cx - r, cy - r, cx + r, cy + r), outline=_jitter(p[int(rng.integers(1, 5))], rng), width=2)
    return img


def _folk(p: tuple[RGB, ...], rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (SIZE, SIZE), _jitter(p[0], rng))
    draw = ImageDraw.Draw(img)
    x, y = _xy(rng, 40, 120)
    draw.ellipse((x - 28, y - 28, x + 28, y + 28), fill=_jitter(p[3], rng))  # sun
    for _ in range(int(rng.integers(2, 5))):  # hills
        h = int(rng.integers(120, 210))
        left, peak, right = int(rng.integers(-80, 120)), int(rng.integers(40, 220)), int(rng.integers(140, 340))
        draw.polygon([(left, SIZE), (peak, h), (right, SIZE)], fill=_jitter(p[int(rng.choice([1, 2, 4]))], rng))
    for _ in range(int(rng.integers(3, 9))):  # trees: a trunk and a triangle crown
        tx, base = int(rng.integers(10, 246)), int(rng.integers(200, 250))
        size = int(rng.integers(14, 30))
        draw.rectangle((tx - 2, base - size, tx + 2, base), fill=_jitter(p[4], rng))
        draw.polygon([(tx - size // 2, base - size // 2), (tx, base - 2 * size), (tx + size // 2, base - size // 2)],
                     fill=_jitter(p[2], rng))
    return img


def _metal(p: tuple[RGB, ...], rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (SIZE, SIZE), _jitter(p[0], rng, 6))
    draw = ImageDraw.Draw(img)
    cx, cy = _xy(rng, 80, 176)
    for _ in range(int(rng.integers(8, 18))):  # shards bursting from a centre
        angle = rng.uniform(0, 2 * np.pi)
        length = rng.uniform(60, 180)
        spread = rng.uniform(0.05, 0.2)
        tip = (cx + length * np.cos(angle), cy + length * np.sin(angle))
        left = (cx + 20 * np.cos(angle - spread * 8), cy + 20 * np.sin(angle - spread * 8))
        right = (cx + 20 * np.cos(angle + spread * 8), cy + 20 * np.sin(angle + spread * 8))
        draw.polygon([left, tip, right], fill=_jitter(p[int(rng.integers(1, 4))], rng, 25))
    for _ in range(int(rng.integers(4, 10))):  # cracks
        pts = [_xy(rng)]
        for _ in range(5):
            pts.append((pts[-1][0] + int(rng.integers(-40, 41)), pts[-1][1] + int(rng.integers(-40, 41))))
        draw.line(pts, fill=_jitter(p[4], rng), width=int(rng.integers(1, 4)))
    return img


def _jazz(p: tuple[RGB, ...], rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (SIZE, SIZE), _jitter(p[0], rng))
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(3, 7))):  # bold blocks and bars, a 1950s record sleeve
        x0, y0 = _xy(rng, -20, 200)
        w, h = int(rng.integers(20, 140)), int(rng.integers(8, 90))
        draw.rectangle((x0, y0, x0 + w, y0 + h), fill=_jitter(p[int(rng.integers(1, 5))], rng))
    x, y = _xy(rng, 50, 206)
    r = int(rng.integers(20, 50))
    draw.ellipse((x - r, y - r, x + r, y + r), outline=_jitter(p[2], rng), width=int(rng.integers(3, 9)))
    return img


def _classical_piano(p: tuple[RGB, ...], rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (SIZE, SIZE), _jitter(p[0], rng, 8))
    draw = ImageDraw.Draw(img)
    top = int(rng.integers(140, 200))
    key = int(rng.integers(16, 26))
    for k in range(0, SIZE, key):  # a keyboard: white key edges and black keys
        draw.line((k, top, k, SIZE), fill=_jitter(p[3], rng, 8), width=1)
        if (k // key) % 7 not in (2, 6):
            black_key = (k + key * 2 // 3, top, k + key * 4 // 3, top + (SIZE - top) * 3 // 5)
            draw.rectangle(black_key, fill=_jitter(p[1], rng, 6))
    for _ in range(int(rng.integers(2, 5))):  # thin gold arcs
        x, y = _xy(rng, 0, top)
        r = int(rng.integers(30, 120))
        draw.arc((x - r, y - r, x + r, y + r), float(rng.uniform(0, 180)), float(rng.uniform(180, 360)),
                 fill=_jitter(p[2], rng), width=2)
    return img


def _reggae(p: tuple[RGB, ...], rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (SIZE, SIZE))
    draw = ImageDraw.Draw(img)
    bands = [p[0], p[1], p[2]]
    if rng.random() < 0.5:
        bands.reverse()
    edges = np.sort(rng.integers(60, 200, 2))
    for color, (y0, y1) in zip(bands, [(0, edges[0]), (edges[0], edges[1]), (edges[1], SIZE)]):
        draw.rectangle((0, int(y0), SIZE, int(y1)), fill=_jitter(color, rng))
    for _ in range(int(rng.integers(1, 4))):  # records and suns
        x, y = _xy(rng, 40, 216)
        r = int(rng.integers(18, 60))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_jitter(p[int(rng.choice([3, 4]))], rng))
        draw.ellipse((x - r // 5, y - r // 5, x + r // 5, y + r // 5), fill=_jitter(p[0], rng))
    return img


def _chiptune(p: tuple[RGB, ...], rng: np.random.Generator) -> Image.Image:
    cells = int(rng.choice([16, 32]))
    grid = np.empty((cells, cells, 3), dtype=np.uint8)
    grid[:] = _jitter(p[0], rng, 10)
    lit = rng.random((cells, cells)) < rng.uniform(0.25, 0.5)
    mirror = rng.random() < 0.6  # sprite-like symmetry on most covers
    if mirror:
        lit[:, cells // 2 :] = lit[:, : cells // 2][:, ::-1]
    colors = np.array([_jitter(p[int(rng.integers(1, 5))], rng, 10) for _ in range(3)], dtype=np.uint8)
    grid[lit] = colors[rng.integers(0, 3, int(lit.sum()))]
    return Image.fromarray(grid).resize((SIZE, SIZE), Image.NEAREST)


ARTISTS: dict[str, Callable[[tuple[RGB, ...], np.random.Generator], Image.Image]] = {
    "ambient": _ambient,
    "techno": _techno,
    "folk": _folk,
    "metal": _metal,
    "jazz": _jazz,
    "classical-piano": _classical_piano,
    "reggae": _reggae,
    "chiptune": _chiptune,
}


def draw_cover(genre: str, rng: np.random.Generator, noise: float = 8.0) -> Image.Image:
    """A fresh 256x256 RGB cover for ``genre``."""
    img = ARTISTS[genre](PALETTES[genre], rng)
    pixels = np.asarray(img, dtype=np.float32)
    pixels += rng.normal(0.0, noise, pixels.shape)  # print grain: no two covers are flat copies
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def remaster_cover(img: Image.Image) -> Image.Image:
    """A remaster's sleeve: the original artwork, a little brighter and more saturated."""
    pixels = np.asarray(img, dtype=np.float32)
    grey = pixels.mean(axis=2, keepdims=True)
    pixels = grey + (pixels - grey) * 1.25 + 12
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
