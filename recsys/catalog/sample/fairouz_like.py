"""A seeded synthetic catalog in the Fairouz layout, at any size (scale benchmarks, tests;
command: bench/make_fairouz_like.py).

``ids.json``, ``tracks.json`` (title, artist, album, genres; no lyrics) and
``embeddings/*.npy`` at the paper's published dims (text 1024, image 512, audio 128, graph
128), written in chunks so a million tracks never sit in memory at once. The vectors have the
structure real embeddings have, so that neighbour search and recall mean something: each
track's vector in each modality is its genre's centre plus its artist's offset plus noise
(every modality sees the genre, with a different noise level), then L2-normalised. About 3% of
text rows are zero (tracks without lyrics, as in the real data). Titles repeat across artists
the way real titles do ("Intro", "Home") but are mostly unique.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DIMS = {"text_mxbai_large": 1024, "image_openclip_vitb32": 512, "audio_vggish": 128, "graph_randne": 128}
#: per modality, the weight of the genre centre, of the artist offset and of the noise
MIX = {
    "text_mxbai_large": (1.0, 0.6, 0.9),
    "image_openclip_vitb32": (0.8, 0.9, 1.0),
    "audio_vggish": (1.0, 0.5, 0.8),
    "graph_randne": (0.7, 1.2, 0.5),
}
GENRES = 300
WORDS = (
    "love night heart fire rain blue gold city road dream light home river storm sky wild "
    "summer winter shadow dance ghost glass moon sun star electric silver broken paper young "
    "lonely golden secret midnight ocean desert garden velvet neon thunder echo empty sweet"
).split()
CHUNK = 50_000


def _names(rng: np.random.Generator, n: int, prefix: str) -> list[str]:
    a = rng.integers(0, len(WORDS), n)
    b = rng.integers(0, len(WORDS), n)
    return [f"{WORDS[x].title()} {WORDS[y].title()} {prefix}{i}" for i, (x, y) in enumerate(zip(a, b))]


def write_catalog(out: Path, tracks: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "embeddings").mkdir(exist_ok=True)
    n_artists = max(1, tracks // 10)
    n_albums = max(1, tracks // 5)
    artists = _names(rng, n_artists, "Band ")
    album_artist = rng.integers(0, n_artists, n_albums)
    track_album = rng.integers(0, n_albums, tracks)
    track_artist = album_artist[track_album]
    artist_genre = rng.integers(0, GENRES, n_artists)
    track_genre = artist_genre[track_artist]
    # a second genre for a third of the tracks
    second = np.where(rng.random(tracks) < 0.33, rng.integers(0, GENRES, tracks), -1)
    ids = [f"id{seed:02d}{i:010d}" for i in range(tracks)]
    (out / "ids.json").write_text(json.dumps(ids), encoding="utf-8")

    common = [w.title() for w in WORDS]
    with open(out / "tracks.json", "w", encoding="utf-8") as fh:
        fh.write("{")
        for start in range(0, tracks, CHUNK):
            stop = min(tracks, start + CHUNK)
            a = rng.integers(0, len(WORDS), stop - start)
            b = rng.integers(0, len(WORDS), stop - start)
            plain = rng.random(stop - start) < 0.05  # a common one-word title, shared widely
            parts = []
            for j, i in enumerate(range(start, stop)):
                title = common[a[j]] if plain[j] else f"{common[a[j]]} {common[b[j]]} {i}"
                genres = [f"genre {track_genre[i]}"] + ([f"genre {second[i]}"] if second[i] >= 0 else [])
                entry = {
                    "track_title": title,
                    "artist_name": artists[track_artist[i]],
                    "album_name": f"Album {track_album[i]}",
                    "genres": genres,
                }
                parts.append(("," if i else "") + json.dumps(ids[i]) + ":" + json.dumps(entry))
            fh.write("".join(parts))
        fh.write("}")

    for name, dim in DIMS.items():
        g, a, e = MIX[name]
        mrng = np.random.default_rng([seed, dim, len(name)])
        centres = mrng.standard_normal((GENRES, dim), dtype=np.float32)
        offsets = mrng.standard_normal((n_artists, dim), dtype=np.float32)
        mat = np.lib.format.open_memmap(out / "embeddings" / f"{name}.npy", "w+", np.float32, (tracks, dim))
        for start in range(0, tracks, CHUNK):
            stop = min(tracks, start + CHUNK)
            block = g * centres[track_genre[start:stop]] + a * offsets[track_artist[start:stop]]
            block += e * mrng.standard_normal((stop - start, dim), dtype=np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            if name.startswith("text"):
                block[mrng.random(stop - start) < 0.03] = 0.0
            mat[start:stop] = block
        mat.flush()
        del mat
