"""The pictures a music file holds: its embedded covers, checked and kept in the cover cache.

Each tag flavour keeps its pictures its own way (ID3 APIC frames, FLAC PICTURE blocks, Vorbis
``METADATA_BLOCK_PICTURE``, MP4 ``covr``, ASF ``WM/Picture``, APEv2 "Cover Art" items); a
picture is taken only once Pillow has read it (a cut JPEG would fail the image encoder later,
with the cache's file name), and written once, under its bytes' hash, as JPEG or PNG.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from pathlib import Path
from typing import Any

from mutagen.apev2 import BINARY as APE_BINARY, APEv2
from mutagen.asf import ASFTags
from mutagen.flac import Picture
from mutagen.id3 import ID3
from PIL import Image

from recsys.errors import CatalogError

FRONT_COVER = 3  # the picture type of a front cover in ID3 APIC and FLAC/Vorbis pictures


def embedded_pictures(audio: Any) -> list[tuple[int, bytes]]:
    """(picture type, bytes) of every picture embedded in the file (a raw mutagen object)."""
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
    elif isinstance(tags, ASFTags):  # WMA
        found.extend(_asf_picture(bytes(v.value)) for v in tags.get("WM/Picture", []))
    elif isinstance(tags, APEv2):  # WavPack, Monkey's Audio, Musepack: foobar2000's covers
        for key, kind in (("Cover Art (Front)", FRONT_COVER), ("Cover Art (Other)", 0), ("Cover Art (Back)", 4)):
            value = tags.get(key)  # a binary item: the file's name, a NUL, the image's bytes
            if value is not None and getattr(value, "kind", None) == APE_BINARY:
                found.append((kind, bytes(value.value).partition(b"\0")[2]))
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


def _asf_picture(raw: bytes) -> tuple[int, bytes]:
    """(picture type, bytes) of an ASF ``WM/Picture`` value: the type (1 byte), the data's
    length (4 bytes, little-endian), the MIME type and the description (UTF-16LE, each ending in
    two zero bytes), then the data."""
    pos = 5
    for _ in range(2):  # skip the MIME type and the description
        while pos + 1 < len(raw) and raw[pos:pos + 2] != b"\x00\x00":
            pos += 2
        pos += 2
    size = int.from_bytes(raw[1:5], "little")
    return raw[0], raw[pos:pos + size]


def picture_payload(data: bytes, cover_cache: Path) -> tuple[str, bytes]:
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
    if suffix == ".jpg" and not _cache_target(suffix, payload, cover_cache).exists():
        # verify() reads a JPEG's headers only: a cut one passed, the image encoder failed on it
        # with the cover cache's file name, and the cover beside it was never tried. Decoded
        # once, at 1/8 scale, when it first enters the cache.
        with Image.open(io.BytesIO(payload)) as image:
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    return suffix, payload


def _cache_target(suffix: str, payload: bytes, cover_cache: Path) -> Path:
    return cover_cache / (hashlib.sha1(payload).hexdigest() + suffix)


def cache_picture(suffix: str, payload: bytes, cover_cache: Path) -> Path:
    """Write picture bytes to ``cover_cache/<sha1>.jpg|png`` (once) and return the path."""
    target = _cache_target(suffix, payload, cover_cache)
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
