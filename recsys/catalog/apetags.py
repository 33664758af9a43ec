"""APEv2 tags on an MP3 that has no ID3 tag: what foobar2000 (set to write APE on MP3),
MP3Gain and some older Winamp plugins leave. mutagen's MP3 reader sees ID3 only, so such a
file read as untagged: its artist, album artist and year lost, its album a folder's name."""

from __future__ import annotations

from pathlib import Path

from mutagen.apev2 import APEv2, APENoHeaderError

#: The reader's easy keys and the APEv2 item keys (compared without case) that hold them.
APE_KEYS = {
    "title": ("Title",),
    "artist": ("Artist",),
    "album": ("Album",),
    "albumartist": ("Album Artist", "AlbumArtist"),
    "genre": ("Genre",),
    "style": ("Style",),  # Discogs' styles, as Mp3tag's Discogs source writes them
    "date": ("Year", "Date"),
    "originaldate": ("Original Date", "OriginalDate", "Original Year", "OriginalYear"),
    "composer": ("Composer",),
    "tracknumber": ("Track",),
    "discnumber": ("Disc",),
    "musicbrainz_trackid": ("MUSICBRAINZ_TRACKID",),
    "musicbrainz_artistid": ("MUSICBRAINZ_ARTISTID",),  # one artist however spelled (``artistids``)
    "musicbrainz_albumartistid": ("MUSICBRAINZ_ALBUMARTISTID",),
    "cuesheet": ("Cuesheet",),  # an image's own sheet (``cuesheets.embedded_sheet``)
    "bpm": ("BPM",),  # a DJ's tempo and key (``tempokey``)
    "initialkey": ("InitialKey", "Initial Key", "Key"),
    "itunesadvisory": ("ITUNESADVISORY",),  # the parental advisory (``advisory``)
    "explicit": ("EXPLICIT",),
}


def ape_easy_tags(path: Path) -> dict[str, list[str]] | None:
    """The file's APEv2 text items under the reader's easy keys (several values of one item,
    NUL-separated in APE, as a list); None when the file has no APEv2 tag or none of them."""
    try:
        ape = APEv2(path)
    except APENoHeaderError:
        return None
    out: dict[str, list[str]] = {}
    for key, names in APE_KEYS.items():
        for name in names:
            value = ape.get(name)
            if value is not None and value.kind == 0:  # text, not binary (a cover) or a link
                out[key] = [v for v in value if v.strip()]
                break
    return {k: v for k, v in out.items() if v} or None
