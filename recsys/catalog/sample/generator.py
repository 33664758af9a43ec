"""The sample catalog: a small, fully synthetic music collection that exercises every feature.

``write_sample_catalog(dir)`` writes ``manifest.jsonl`` plus ``audio/`` (wav, some flac and
ogg), ``covers/`` (PNG) and two query files for the demo. Eight genres differ in sound, cover
and words, so recommendations can be checked by eye and by test; the catalog also holds
versions of songs (live, remaster, radio edit), instrumental tracks without any text, and
playlists. Everything is synthesised here and depends only on ``seed``.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
from mutagen.ogg import OggPage
from PIL import Image

from recsys.catalog.sample import text as words
from recsys.catalog.sample.art import draw_cover, remaster_cover
from recsys.catalog.sample.audio import GENRES, SR, Params, draw_params, synthesise

MANIFEST = "manifest.jsonl"
QUERY_COVER = "sample_query_cover.png"
QUERY_CLIP = "sample_query_clip.wav"
QUERIES = "sample_queries.json"
VERSION_SUFFIX = {"live": " (Live)", "remaster": " - Remastered 2011", "radio": " (Radio Edit)"}
#: genres where a track without words is natural: these get the instrumental tracks
INSTRUMENTAL_GENRES = ("ambient", "techno", "classical-piano", "chiptune", "jazz")
#: a playlist is mostly one genre plus a track of a related one, as people make them
NEIGHBOUR = {
    "ambient": "classical-piano", "techno": "chiptune", "folk": "reggae", "metal": "techno",
    "jazz": "classical-piano", "classical-piano": "ambient", "reggae": "jazz", "chiptune": "techno",
}
OGG_SERIAL = 0x5A3C0FFE  # libsndfile picks a random Ogg stream serial; a fixed one keeps files identical


@dataclass
class _Track:
    track_id: str
    genre: str
    params: Params
    title: str
    artist: str
    album: str
    year: int
    fmt: str
    cover_seed: int
    version: str = ""
    version_of: "_Track | None" = None
    instrumental: bool = False
    themes: list[str] = field(default_factory=list)
    moods: list[str] = field(default_factory=list)
    lyrics: str = ""
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    playlists: list[str] = field(default_factory=list)


def _artists(rng: np.random.Generator) -> dict[str, list[tuple[str, list[tuple[str, int]]]]]:
    """genre -> [(artist, [(album, year)])]: 2-3 artists a genre, 1-2 albums each."""
    out: dict[str, list[tuple[str, list[tuple[str, int]]]]] = {}
    for genre in GENRES:
        vocab = words.VOCAB[genre]
        names = words.pick(rng, vocab.artists, int(rng.integers(2, 4)))
        out[genre] = []
        for name in names:
            albums = [(words.album(vocab, rng), int(rng.integers(*vocab.years)))
                      for _ in range(int(rng.integers(1, 3)))]
            out[genre].append((name, albums))
    return out


def _plan(n_tracks: int, rng: np.random.Generator) -> list[_Track]:
    n_versions = max(1, round(0.05 * n_tracks)) if n_tracks >= 12 else 0
    n_base = n_tracks - n_versions
    roster = _artists(rng)
    tracks: list[_Track] = []
    seen_titles: set[str] = set()
    for i in range(n_base):
        genre = GENRES[i % len(GENRES)]
        vocab = words.VOCAB[genre]
        artist, albums = roster[genre][(i // len(GENRES)) % len(roster[genre])]
        album, year = albums[int(rng.integers(len(albums)))]
        title = words.title(vocab, rng)
        while title in seen_titles:
            title = words.title(vocab, rng)
        seen_titles.add(title)
        fmt = {3: "flac", 7: "ogg"}.get(i % 10, "wav")
        track = _Track(f"t{i + 1:03d}", genre, draw_params(genre, rng), title, artist, album, year,
                       fmt, int(rng.integers(2**31)))
        track.themes = words.pick(rng, vocab.themes, 5)
        track.moods = words.pick(rng, vocab.moods, 5)
        track.lyrics = words.lyrics(vocab, title, rng)
        track.summary = words.summary(vocab, track.themes, track.moods, rng)
        track.tags = [*words.pick(rng, vocab.tags, 2), words.era_tag(year)]
        tracks.append(track)

    candidates = [t for t in tracks if t.genre in INSTRUMENTAL_GENRES]
    n_instrumental = max(1, n_tracks // 20)
    for track in (candidates[int(k)] for k in rng.choice(len(candidates), n_instrumental, replace=False)):
        track.instrumental = True
        track.themes, track.moods, track.lyrics, track.summary = [], [], "", ""
        track.tags = [*track.tags, "instrumental"]

    sung = [t for t in tracks if not t.instrumental]
    kinds = tuple(VERSION_SUFFIX)
    for k, index in enumerate(rng.choice(len(sung), n_versions, replace=False)):
        tracks.append(_version(sung[int(index)], kinds[k % len(kinds)], len(tracks) + 1, rng))
    _playlists(tracks, rng)
    return tracks


def _version(base: _Track, kind: str, number: int, rng: np.random.Generator) -> _Track:
    """Another release of ``base``: same song (notes, words), its own id, file and album."""
    album, year, tag = base.album, base.year, kind
    if kind == "live":
        album = f"Live at {words.pick(rng, words.PLACES)[0]}"
        year, tag = min(2024, base.year + int(rng.integers(2, 15))), "live"
    elif kind == "remaster":
        album, year, tag = f"{base.album} (2011 Remaster)", 2011, "remastered"
    else:
        tag = "radio edit"
    return _Track(
        f"t{number:03d}", base.genre, base.params, base.title + VERSION_SUFFIX[kind], base.artist,
        album, year, "wav", base.cover_seed if kind != "live" else int(rng.integers(2**31)),
        version=kind, version_of=base, themes=base.themes, moods=base.moods, lyrics=base.lyrics,
        summary=base.summary,
        tags=[*(t for t in base.tags if t != words.era_tag(base.year)), words.era_tag(year), tag],
    )


def _playlists(tracks: list[_Track], rng: np.random.Generator) -> None:
    by_genre: dict[str, list[_Track]] = {g: [t for t in tracks if t.genre == g] for g in GENRES}
    for genre in GENRES:
        pool = by_genre[genre]
        count = 2 if len(pool) >= 10 else 1
        for k in range(count):
            size = min(len(pool), int(rng.integers(5, 9)))
            members = [pool[int(i)] for i in rng.choice(len(pool), size, replace=False)]
            guests = by_genre[NEIGHBOUR[genre]]
            if guests:
                members.append(guests[int(rng.integers(len(guests)))])
            for track in members:
                if f"pl-{genre}-{k + 1}" not in track.playlists:
                    track.playlists.append(f"pl-{genre}-{k + 1}")


def _write_audio(path: Path, clip: np.ndarray, fmt: str) -> None:
    if fmt != "ogg":
        sf.write(path, clip, SR, format=fmt.upper(), subtype="PCM_16")
        return
    buffer = io.BytesIO()
    sf.write(buffer, clip, SR, format="OGG", subtype="VORBIS")
    buffer.seek(0)
    out = io.BytesIO()
    while True:  # re-serialise the pages with a fixed stream serial (mutagen redoes the CRCs)
        try:
            page = OggPage(buffer)
        except EOFError:
            break
        page.serial = OGG_SERIAL
        out.write(page.write())
    path.write_bytes(out.getvalue())


def _row(track: _Track, cover: str, audio: str) -> dict:
    vocab = words.VOCAB[track.genre]
    bpm = track.params.bpm * (1.03 if track.version == "live" else 1.0)
    note = {"live": "Recorded live, with crowd noise and room reverb.",
            "remaster": "2011 remaster: louder and brighter.",
            "radio": "Radio edit with a fade-in and fade-out."}.get(track.version, "")
    instrumental = track.instrumental
    return {
        "track_id": track.track_id,
        "title": track.title,
        "artist": track.artist,
        "album": track.album,
        "genres": [track.genre],
        "tags": track.tags,
        "year": track.year,
        "lyrics": track.lyrics,
        "summary": track.summary,
        # instrumentals carry no text at all: the text modality is missing for them
        "description": "" if instrumental else words.description(vocab, track.params.key_name, bpm, note),
        "themes": track.themes,
        "moods": track.moods,
        "audio": audio,
        "cover": cover,
        "playlists": track.playlists,
    }


#: what a sample catalog consists of: a folder holding these alone may be written over
SAMPLE_ENTRIES = frozenset({"manifest.jsonl", "audio", "covers", QUERY_COVER, QUERY_CLIP, QUERIES})


def foreign_entries(dir: Path | str) -> list[str]:
    """The names in ``dir`` that no sample catalog writes (sorted; empty when ``dir`` is new,
    empty, or an earlier sample catalog)."""
    root = Path(dir)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.name not in SAMPLE_ENTRIES)


def write_sample_catalog(dir: Path | str, n_tracks: int = 120, seed: int = 0) -> Path:
    """Write the sample catalog into ``dir`` (created if needed) and return its manifest path.

    Deterministic: the same ``n_tracks`` and ``seed`` give byte-identical files.
    """
    if n_tracks < len(GENRES):
        raise ValueError(f"n_tracks must be at least {len(GENRES)} (one track per genre), got {n_tracks}")
    root = Path(dir)
    (root / "audio").mkdir(parents=True, exist_ok=True)
    (root / "covers").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    tracks = _plan(n_tracks, rng)

    covers: dict[str, Image.Image] = {}
    rows = []
    for track in tracks:
        base = track.version_of
        if track.version == "remaster" and base is not None:
            image = remaster_cover(covers[base.track_id])
        else:
            image = draw_cover(track.genre, np.random.default_rng(track.cover_seed))
        covers[track.track_id] = image
        cover = f"covers/{track.track_id}.png"
        image.save(root / cover, format="PNG", compress_level=1)  # grain defeats compression anyway
        audio = f"audio/{track.track_id}.{track.fmt}"
        _write_audio(root / audio, synthesise(track.params, track.version), track.fmt)
        rows.append(_row(track, cover, audio))

    query_rng = np.random.default_rng([seed, 1])
    cover_genre, clip_genre = (GENRES[int(i)] for i in query_rng.choice(len(GENRES), 2, replace=False))
    draw_cover(cover_genre, query_rng).save(root / QUERY_COVER, format="PNG")
    _write_audio(root / QUERY_CLIP, synthesise(draw_params(clip_genre, query_rng)), "wav")
    # the demo's seed: a song that has other versions, so the demo shows they are left out
    versioned = next((t.version_of for t in tracks if t.version_of is not None), tracks[0])
    queries = {"cover": {"path": QUERY_COVER, "genre": cover_genre},
               "clip": {"path": QUERY_CLIP, "genre": clip_genre},
               "seed": {"title": versioned.title, "artist": versioned.artist, "genre": versioned.genre}}
    (root / QUERIES).write_text(json.dumps(queries, indent=2) + "\n", encoding="utf-8")

    manifest = root / MANIFEST
    temp = root / f".{MANIFEST}.tmp"
    temp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    os.replace(temp, manifest)  # written last and atomically: a manifest means a complete catalog
    return manifest

