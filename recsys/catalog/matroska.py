"""Tags and cover of a Matroska (``.mka``) or WebM (``.webm``) file, which mutagen cannot read.

yt-dlp's audio download of a video is a ``.webm`` (with ``--embed-metadata``: title, artist,
date as ``20060815``, the video's address in ``PURL`` and ``COMMENT``, its ``DESCRIPTION``);
MKVToolNix and ffmpeg write ``.mka`` with ``ARTIST``, ``ALBUM``, ``DATE``, ``GENRE``... and a
cover as an attached picture. mutagen has no Matroska reader, so such a file was titled by its
name alone: a Matroska album's tracks had no artist, album, year or genre. FFmpeg (PyAV, which
the decoder already uses) reads the container's tags: names are case-insensitive there, as in
Vorbis comments, and an attached picture is a stream whose one packet is the image.

``matroska_file`` returns what the reader takes from mutagen's objects: easy-view keys
("title", "artist", "albumartist", "date"...) with lists of values (``tagvalues.tag_values``
reads any such mapping), the Vorbis-like keys of lyrics and comments (``tagvalues.embedded_text``)
and the pictures (``pictures.embedded_pictures``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from recsys.catalog.chapters import container_chapters, may_have_chapters

#: Matroska / FFmpeg tag names (lowercased) -> the easy key the reader asks for. Matroska's
#: own names (ALBUM_ARTIST, DATE_RELEASED, DATE_RECORDED) and what ffmpeg writes from another
#: container's tags ("album_artist", "date") both occur.
_KEYS = {
    "title": "title",
    "artist": "artist",
    "album": "album",
    "album_artist": "albumartist",
    "albumartist": "albumartist",
    "album artist": "albumartist",
    "genre": "genre",
    "date": "date",
    "date_released": "date",
    "date_recorded": "date",
    "year": "date",
    "composer": "composer",
    "artists": "artists",
    "comment": "comment",
    "description": "description",
    "synopsis": "description",
    "lyrics": "lyrics",
    "musicbrainz_trackid": "musicbrainz_trackid",
    "track": "tracknumber",  # its place on the album (``albumplaces``), as FFmpeg names them
    "disc": "discnumber",
    "musicbrainz_artistid": "musicbrainz_artistid",  # one artist however spelled (``artistids``)
    "musicbrainz_albumartistid": "musicbrainz_albumartistid",
    "bpm": "bpm",  # a DJ's tempo and key (``tempokey``); TBPM / TKEY: ffmpeg's names of ID3's
    "tbpm": "bpm",
    "initialkey": "initialkey",
    "key": "initialkey",
    "tkey": "initialkey",
}

MATROSKA_SUFFIXES = (".mka", ".webm")
ATTACHED_PIC = 1024  # AV_DISPOSITION_ATTACHED_PIC: the stream holds one picture, not video
FRONT_COVER = 3


@dataclass(frozen=True)
class MatroskaPicture:
    type: int  # the ID3/FLAC picture type; an attachment has none, so a front cover
    data: bytes


@dataclass(frozen=True)
class MatroskaFile:
    """A Matroska file as the reader meets a mutagen object: ``tags`` (easy keys, lists of
    values) and ``pictures``."""

    tags: dict[str, list[str]] = field(default_factory=dict)
    pictures: tuple[MatroskaPicture, ...] = ()
    #: (start s, title) of its chapters when it is long enough to be an album (``chapters``),
    #: read in the same open: yt-dlp's "full album" downloads are .webm and .mka
    chapters: tuple[tuple[float, str], ...] = ()


def matroska_file(path: Path) -> MatroskaFile:
    """The container's tags and attached pictures; raises what PyAV raises for a file it
    cannot open (the reader reports it as unreadable tags, as for mutagen)."""
    import av  # the decoder's library: imported here, as the reader rarely meets Matroska

    with av.open(str(path), metadata_errors="replace") as container:
        tags: dict[str, list[str]] = {}
        # the container's tags first; a stream's (some muxers tag the audio track) fill in, but
        # for its title: a track's name in Matroska is "Stereo" or "English", not the song's
        sources = [(container.metadata, True), *((s.metadata, False) for s in container.streams if s.type == "audio")]
        for metadata, whole in sources:
            for name, value in metadata.items():
                key = _KEYS.get(name.lower())
                if key is not None and value.strip() and key not in tags and (whole or key != "title"):
                    tags[key] = [value]
        if "date" in tags:
            tags["date"] = [_date(tags["date"][0])]
        pictures: list[MatroskaPicture] = []
        for stream in container.streams:
            if stream.type == "video" and stream.disposition & ATTACHED_PIC:
                for packet in container.demux(stream):
                    data = bytes(packet)
                    if data:
                        pictures.append(MatroskaPicture(FRONT_COVER, data))
                    break
        seconds = container.duration / 1_000_000 if container.duration else None  # AV_TIME_BASE
        marks = container_chapters(container) if may_have_chapters(path, seconds) else ()
    return MatroskaFile(tags=tags, pictures=tuple(pictures), chapters=marks)


def _date(value: str) -> str:
    """yt-dlp's "20060815" as "2006-08-15"; any other date as written."""
    value = value.strip()
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value
