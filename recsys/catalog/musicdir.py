"""The music-folder reader: audio files and their tags, no manifest needed.

Tags come from mutagen; a file whose tags cannot be decoded is kept with fields derived from
its name (and one problem line), because its audio is usually still fine. Cover art is the
file's embedded picture, extracted once into a content-addressed cache, else a
cover/folder/front image beside the file.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
from pathlib import Path
from typing import Any

import mutagen
from mutagen.flac import Picture
from mutagen.id3 import ID3
from PIL import Image

from recsys.catalog.model import Catalog, CatalogProblem, TrackRecord
from recsys.errors import CatalogError
from recsys.catalog.manifest import catalog_name

AUDIO_SUFFIXES = (".mp3", ".flac", ".ogg", ".wav", ".m4a")
#: Beside-file cover names, best first.
COVER_STEMS = ("cover", "folder", "front")
COVER_SUFFIXES = (".jpg", ".jpeg", ".png")
UNKNOWN_ARTIST = "Unknown Artist"
FRONT_COVER = 3  # the picture type of a front cover in ID3 APIC and FLAC/Vorbis pictures

#: ID3 frames for the easy keys, for files whose easy=True view is still raw ID3 (WAVE, AIFF).
ID3_FRAMES = {
    "title": ("TIT2",),
    "artist": ("TPE1", "TPE2"),
    "album": ("TALB",),
    "genre": ("TCON",),
    "date": ("TDRC", "TYER", "TDOR"),
}


def track_id_for(relative: str) -> str:
    """A stable id from the path relative to the folder: the same file gets the same id on
    every machine and every run, and a moved file is a new track."""
    return "f" + hashlib.sha1(relative.encode("utf-8")).hexdigest()[:20]


def audio_files(folder: Path) -> list[Path]:
    """Audio files under ``folder``, sorted; hidden files and folders (``.git``, macOS ``._x``
    resource forks) are skipped."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in AUDIO_SUFFIXES:
                found.append(Path(dirpath) / name)
    return found


def _values(tags: Any, key: str) -> list[str]:
    """All text values of one easy key, whichever tag flavour mutagen returned."""
    if tags is None:
        return []
    if isinstance(tags, ID3):
        for frame_id in ID3_FRAMES[key]:
            frames = tags.getall(frame_id)
            if frames:
                if key == "genre":
                    return [g for f in frames for g in f.genres]
                return [str(t) for f in frames for t in f.text]
        return []
    try:
        raw = tags.get(key)
    except (KeyError, ValueError):
        return []
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    return [str(v) for v in items]


def _first(tags: Any, key: str) -> str:
    for value in _values(tags, key):
        if value.strip():
            return value.strip()
    return ""


def _genres(tags: Any) -> tuple[str, ...]:
    # Several genres arrive as several values, or ';'/NUL-joined in one; '/' is kept because
    # genres such as "Rap/Hip Hop" contain it.
    parts = (p.strip() for v in _values(tags, "genre") for p in re.split(r"[;\x00]", v))
    return tuple(dict.fromkeys(p for p in parts if p))


def _year(tags: Any) -> int | None:
    match = re.match(r"\s*(\d{4})", _first(tags, "date"))
    return int(match.group(1)) if match else None


def _embedded_pictures(path: Path) -> list[tuple[int, bytes]]:
    """(picture type, bytes) of every picture embedded in the file."""
    audio = mutagen.File(path)
    if audio is None:
        return []
    found: list[tuple[int, bytes]] = []
    for pic in getattr(audio, "pictures", None) or []:  # FLAC
        found.append((pic.type, pic.data))
    tags = audio.tags
    if tags is None:
        return found
    if isinstance(tags, ID3):  # MP3, WAVE, AIFF
        found.extend((frame.type, frame.data) for frame in tags.getall("APIC"))
    elif hasattr(tags, "keys"):
        for cover in tags.get("covr", []) if "covr" in tags else []:  # MP4
            found.append((FRONT_COVER, bytes(cover)))
        if "metadata_block_picture" in tags:  # Vorbis comments (Ogg Vorbis, Opus)
            for encoded in tags["metadata_block_picture"]:
                pic = Picture(base64.b64decode(encoded))
                found.append((pic.type, pic.data))
        elif "coverart" in tags:  # the older, pre-standard Vorbis cover field
            found.extend((FRONT_COVER, base64.b64decode(v)) for v in tags["coverart"])
    return found


def _picture_payload(data: bytes) -> tuple[str, bytes]:
    """(".jpg" | ".png", bytes) of a picture; raises when Pillow cannot decode it."""
    if data[:3] == b"\xff\xd8\xff":
        suffix, payload = ".jpg", data
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        suffix, payload = ".png", data
    else:  # GIF, BMP, WebP...: re-encode so that image encoders only meet JPEG or PNG
        buffer = io.BytesIO()
        with Image.open(io.BytesIO(data)) as image:
            image.convert("RGB").save(buffer, format="PNG")
        suffix, payload = ".png", buffer.getvalue()
    with Image.open(io.BytesIO(payload)) as image:
        image.verify()  # a truncated picture must not hide a good cover.jpg beside the file
    return suffix, payload


def _cache_picture(suffix: str, payload: bytes, cover_cache: Path) -> Path:
    """Write picture bytes to ``cover_cache/<sha1>.jpg|png`` (once) and return the path."""
    target = cover_cache / (hashlib.sha1(payload).hexdigest() + suffix)
    if target.exists():
        return target
    try:
        cover_cache.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        temp.write_bytes(payload)
        os.replace(temp, target)  # atomic: a concurrent reader never sees half a file
    except OSError as exc:
        # Every later file would fail the same way: a setup error, not a per-track problem.
        raise CatalogError(f"cannot write to the cover cache {cover_cache}: {exc.strerror}") from None
    return target


class _FolderCovers:
    """cover/folder/front images per folder, listed once per folder."""

    def __init__(self) -> None:
        self._seen: dict[Path, Path | None] = {}

    def get(self, folder: Path) -> Path | None:
        if folder not in self._seen:
            by_name = {
                p.name.lower(): p
                for p in folder.iterdir()
                if p.is_file() and p.suffix.lower() in COVER_SUFFIXES
            }
            choice = None
            for stem in COVER_STEMS:
                for suffix in COVER_SUFFIXES:
                    choice = choice or by_name.get(stem + suffix)
            self._seen[folder] = choice
        return self._seen[folder]


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_file(
    path: Path, relative: str, cover_cache: Path, covers: _FolderCovers, problems: list[CatalogProblem]
) -> TrackRecord:
    tags: Any = None
    readable = True
    try:
        audio = mutagen.File(path, easy=True)
        tags = audio.tags if audio is not None else None
    # mutagen parses untrusted bytes and raises more than MutagenError on malformed input
    # (struct.error, ValueError, IndexError...); any of them means "no usable tags".
    except Exception as exc:  # noqa: BLE001
        readable = False
        problems.append(CatalogProblem(relative, f"cannot read tags ({_describe(exc)}); using the file name"))

    cover: Path | None = None
    if readable:
        try:
            pictures = _embedded_pictures(path)
        except Exception as exc:  # noqa: BLE001 - same reason as above
            pictures = []
            problems.append(CatalogProblem(relative, f"cannot read embedded pictures ({_describe(exc)})"))
        pictures.sort(key=lambda item: item[0] != FRONT_COVER)  # front cover first
        for _, data in pictures:
            try:
                suffix, payload = _picture_payload(data)
            # Pillow raises OSError, SyntaxError, ValueError... for bad bytes: all mean "skip".
            except Exception:  # noqa: BLE001
                problems.append(CatalogProblem(relative, "embedded cover picture cannot be decoded"))
                continue
            cover = _cache_picture(suffix, payload, cover_cache)
            break
    cover = cover or covers.get(path.parent)

    return TrackRecord(
        track_id=track_id_for(relative),
        title=_first(tags, "title") or path.stem,
        artist=_first(tags, "artist") or UNKNOWN_ARTIST,
        album=_first(tags, "album"),
        genres=_genres(tags),
        year=_year(tags),
        audio_path=path,
        cover_path=cover,
        source=relative,
    )


def read_music_folder(folder: Path | str, cover_cache: Path) -> Catalog:
    """Read every mp3/flac/ogg/wav/m4a file under ``folder`` (recursively).

    Embedded covers are written to ``cover_cache``. Raises CatalogError when the folder does
    not exist or holds no audio file.
    """
    folder = Path(os.path.normpath(Path(folder).absolute()))
    if not folder.is_dir():
        raise CatalogError(f"music folder {folder} does not exist")
    files = audio_files(folder)
    if not files:
        raise CatalogError(
            f"no catalog found in {folder}: no manifest.jsonl or manifest.csv, no Fairouz files"
            f" (ids.json, tracks.json, embeddings/) and no audio files ({', '.join(AUDIO_SUFFIXES)})"
        )
    covers = _FolderCovers()
    problems: list[CatalogProblem] = []
    tracks = [
        _read_file(path, path.relative_to(folder).as_posix(), Path(cover_cache), covers, problems)
        for path in files
    ]
    return Catalog(
        name=catalog_name(folder), root=folder, kind="music-folder", tracks=tracks, problems=problems
    )
