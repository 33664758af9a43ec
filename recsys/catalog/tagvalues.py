"""Tag values as the music-folder reader takes them, whichever tag flavour mutagen returned
(easy views, raw ID3 of WAVE/AIFF, ASF, MP4, Vorbis, APE): text values of an easy key with
UTF-8 stored as Latin-1 read back (``tagtext.repaired``), control characters made spaces
(``tagtext.visible``); the composer; the lyrics and description of a raw mutagen object."""

from __future__ import annotations

import re
from typing import AbstractSet, Any

from mutagen.asf import ASFTags
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from recsys.catalog.comments import cleaned_description, ripper_note
from recsys.catalog.model import MAX_NAME_CHARS
from recsys.catalog.composerlists import join_composers
from recsys.catalog.homoglyphs import one_script
from recsys.catalog.placeholders import placeholder_artist
from recsys.catalog.lyriccredits import LyricCredits
from recsys.catalog.sidecars import read_lyrics
from recsys.catalog.solaryears import gregorian_year
from recsys.catalog.tagtext import letters_lost, repaired, unescaped, visible

#: ID3 frames for the easy keys, for files whose easy=True view is still raw ID3 (WAVE, AIFF).
ID3_FRAMES = {
    "title": ("TIT2",),
    "artist": ("TPE1", "TPE2"),
    "album": ("TALB",),
    "albumartist": ("TPE2",),
    "genre": ("TCON",),
    "date": ("TDRC", "TYER", "TDOR"),
    "originaldate": ("TDOR", "TORY"),
    "tracknumber": ("TRCK",),
    "discnumber": ("TPOS",),
    "musicbrainz_trackid": (),  # UFID, which holds bytes: ``recording_id`` reads it
    "composer": ("TCOM",),
    # the sort names a Japanese tagger fills with romaji (``scriptnames``, ``sortnames.title_reading``)
    "artistsort": ("TSOP",),
    "titlesort": ("TSOT",),
}

#: ASF (wma) attributes for the easy keys: mutagen has no easy view of ASF.
ASF_KEYS = {
    "title": ("Title",),
    "artist": ("Author", "WM/AlbumArtist"),
    "album": ("WM/AlbumTitle",),
    "albumartist": ("WM/AlbumArtist",),
    "genre": ("WM/Genre",),
    "date": ("WM/Year", "WM/OriginalReleaseYear", "date"),  # "date": ffmpeg's, in the WMA it writes
    "originaldate": ("WM/OriginalReleaseTime", "WM/OriginalReleaseYear"),
    "tracknumber": ("WM/TrackNumber",),
    "discnumber": ("WM/PartOfSet",),
    "musicbrainz_trackid": ("MusicBrainz/Track Id",),
    "composer": ("WM/Composer",),
}

#: Lyrics and comment keys per tag flavour (Vorbis comment keys are case-insensitive).
VORBIS_LYRICS = ("lyrics", "unsyncedlyrics", "unsynced lyrics")
#: yt-dlp's ``--embed-metadata`` writes a video's description as "description" and "synopsis"
#: and its address as "comment", which FFmpeg writes as a Vorbis comment's DESCRIPTION: in a
#: download's .opus, .ogg or .flac the description itself is in SYNOPSIS alone
VORBIS_COMMENTS = ("comment", "description", "synopsis")
#: the TXXX frames FFmpeg writes a description into (yt-dlp's "description", "synopsis")
ID3_DESCRIPTIONS = ("description", "synopsis")
_DESCRIPTION_FREE = frozenset(ID3_DESCRIPTIONS)
MP4_LYRICS = ("\xa9lyr",)
MP4_COMMENTS = ("\xa9cmt", "desc", "ldes")
ASF_LYRICS = ("WM/Lyrics",)
ASF_COMMENTS = ("Description",)


def tag_values(tags: Any, key: str) -> list[str]:
    """All text values of one easy key, whichever tag flavour mutagen returned, UTF-8 stored
    as Latin-1 read back as UTF-8 (``tagtext.repaired``): NUL-joined ones split (ID3v2.4's
    separator, where a tool left it in a Vorbis comment), control characters made spaces
    (``tagtext.visible``), a word of Latin and Cyrillic letters in one alphabet
    (``homoglyphs.one_script``). A value that reads as Korean and as Chinese alike is read with the
    file's other names, which its tagger wrote in the same code page (``tagtext.repaired``).
    Each value is cut to ``model.MAX_NAME_CHARS``, as a manifest's names are."""
    values = [v[:MAX_NAME_CHARS] for v in _tag_values(tags, key)]
    beside = [] if all(v.isascii() for v in values) else [v[:MAX_NAME_CHARS] for k in _NAMES for v in _tag_values(tags, k)]
    # an API's "&quot;" and "&amp;" (``tagtext.unescaped``); "??? ??", a frame's lost letters, is no
    # value; a word typed in two alphabets, "Kино", in the one it is written in (``homoglyphs``)
    parts = (one_script(visible(unescaped(part))) for v in values for part in repaired(v, beside).split("\x00"))
    return ["" if letters_lost(part) else part for part in parts]


#: the keys whose values name the track, which a tagger writes in one code page
_NAMES = ("title", "artist", "album", "albumartist", "composer")


def _tag_values(tags: Any, key: str) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, ASFTags):
        for name in ASF_KEYS.get(key, ()):
            values = [str(v) for v in tags.get(name, [])]
            if values:
                return values
        return []
    if isinstance(tags, ID3):
        for frame_id in ID3_FRAMES.get(key, ()):
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


def composer_tag(tags: Any, raw_tags: Any) -> str:
    """The composer tag (MP4's "\xa9wrt" is in no easy view), a placeholder none. Its several
    values (ID3v2.4's NUL-separated TCOM, a FLAC's several COMPOSER fields) joined with "; ": the
    first alone lost "Paul McCartney" of "John Lennon" + "Paul McCartney" (``composerlists``)."""
    values = [v.strip() for v in tag_values(tags, "composer")]
    if not any(values) and isinstance(raw_tags, MP4Tags):
        values = [visible(repaired(str(v))).strip() for v in raw_tags.get("\xa9wrt", [])]
    return join_composers([v for v in values if v and not placeholder_artist(v)])


#: where a tagger keeps the original release's date beside the release's own (Picard's
#: "originaldate" / "originalyear", in every format), compared without case
#: (an ID3 ``TXXX`` frame's description, an MP4 freeform atom's name: ``freeform_texts``)
_ORIGINAL_FREE = frozenset({"originaldate", "originalyear", "original date", "original year", "original release date"})


def _years(values: list[str], names: tuple[str, ...] = ()) -> list[int]:
    # "1998", "1998-03-12", and a day first as people type it: "12/03/1998", "12.03.1998"
    found = ((v, re.match(r"\s*(\d{4})", v) or re.match(r"\s*\d{1,2}[./-]\d{1,2}[./-]((?:1[89]|20)\d\d)\b", v))
             for v in values)
    # a Persian date's Solar Hijri year ("۱۳۵۵") as its Gregorian one (``solaryears``)
    return [gregorian_year(int(m.group(1)), v, names) for v, m in found if m and int(m.group(1)) > 0]


def release_year(tags: Any, raw_tags: Any, names: tuple[str, ...] = ()) -> int | None:
    """The year a track came out: the original release's (ORIGINALDATE / ORIGINALYEAR, ID3
    TDOR / TORY / TXXX, MP4 freeform, APE "Original Date", WMA WM/OriginalReleaseYear) where a
    tag gives one earlier than the date tag, else the date tag's.

    Picard writes the release's date to DATE and the first release's to ORIGINALDATE: a 2011
    remaster of a 1999 album, or a 2015 compilation of a 2005 song, was listed as 2011 or 2015,
    and ``facets years`` put the album in a decade it was not made in. A person who asks for a
    year means when the music came out (Picard's "use original release date" option, beets'
    ``original_date``, and the year column of most players that read the tag show that one);
    the reissue's own date stays in the file for whoever wants it. ``names`` (the track's
    title, artist, album) say whether a Solar Hijri year is meant (``solaryears``)."""
    dated = _years(tag_values(tags, "date"), names)
    original = _years(tag_values(tags, "originaldate") + tag_values(tags, "originalyear"), names)
    if isinstance(raw_tags, ID3):
        frames = raw_tags.getall("TDOR") + raw_tags.getall("TORY")
        original += _years([str(t) for f in frames for t in f.text], names)
    original += _years([t for _, t in freeform_texts(raw_tags, _ORIGINAL_FREE)], names)
    year = dated[0] if dated else None
    first = min(original) if original else None
    if first is not None and (year is None or first < year):
        return first
    return year


#: the prefix of an MP4 freeform atom's key, casefolded ("----:com.apple.iTunes:STYLE")
MP4_FREEFORM = "----:com.apple.itunes:"


def freeform_texts(raw_tags: Any, names: AbstractSet[str]) -> list[tuple[str, str]]:
    """(name, text) of each value of the free-named tags of ``names`` (casefolded) that ID3 and
    MP4 keep apart from their own frames: ID3 ``TXXX`` frames by description, MP4 freeform atoms
    (``----:com.apple.iTunes:NAME``, bytes read as UTF-8) by name, compared without case; the
    name casefolded. [] for another kind of tag, whose easy keys name such a tag already."""
    if isinstance(raw_tags, ID3):
        return [(f.desc.casefold(), str(t)) for f in raw_tags.getall("TXXX") if f.desc.casefold() in names
                for t in f.text]
    if isinstance(raw_tags, MP4Tags):
        return [(folded[len(MP4_FREEFORM):], bytes(v).decode("utf-8", "replace"))
                for key, values in raw_tags.items()
                if (folded := key.casefold()).startswith(MP4_FREEFORM) and folded[len(MP4_FREEFORM):] in names
                for v in values]
    return []


def style_values(tags: Any, raw_tags: Any) -> list[str]:
    """Discogs' styles ("Krautrock", "Deep House", "Psychedelic Rock"), which its taggers (Mp3tag's
    Discogs source, discogstagger) write to a STYLE tag of their own beside the broad genres
    ("Electronic", "Rock"): Vorbis/APE STYLE, ID3 ``TXXX:STYLE``, MP4 ``----:com.apple.iTunes:STYLE``."""
    return tag_values(tags, "style") + [visible(repaired(t)) for _, t in freeform_texts(raw_tags, {"style"})]


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def recording_id(tags: Any, raw_tags: Any) -> str:
    """The MusicBrainz recording id (Picard's MUSICBRAINZ_TRACKID in Vorbis, APE and
    Matroska, ``UFID:http://musicbrainz.org`` in ID3, "MusicBrainz Track Id" in MP4 and ASF),
    lowercased; "" without a well-formed one."""
    values = tag_values(tags, "musicbrainz_trackid")
    if isinstance(raw_tags, ID3):
        values += [f.data.decode("ascii", "replace") for f in raw_tags.getall("UFID") if f.owner == "http://musicbrainz.org"]
    for value in values:
        value = value.strip().lower()
        if _UUID.match(value):
            return value
    return ""


def first_value(tags: Any, key: str) -> str:
    for value in tag_values(tags, key):
        if value.strip():
            return value.strip()
    return ""


def _tag_texts(tags: Any, keys: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for key in keys:
        try:
            values = tags.get(key) if hasattr(tags, "get") else None
        except (KeyError, ValueError):
            values = None
        if values is None:
            continue
        for v in values if isinstance(values, list) else [values]:
            out.append(v if isinstance(v, str) else str(v))
    return out


def comment_texts(tags: Any) -> list[Any]:
    """The comment and description values of a raw mutagen tag, as they stand (a video's
    description whole: YouTube's generated text too), in every format."""
    if tags is None:
        return []
    if isinstance(tags, ID3):  # MP3, WAVE, AIFF
        return [
            t for f in tags.getall("COMM") if not f.desc.startswith("iTun") for t in f.text
        ] + [  # yt-dlp's description in an .mp3: FFmpeg writes it as TXXX frames, not COMM
            t for _, t in freeform_texts(tags, _DESCRIPTION_FREE)
        ]
    if isinstance(tags, ASFTags):
        return _tag_texts(tags, ASF_COMMENTS)
    if isinstance(tags, MP4Tags):
        return _tag_texts(tags, MP4_COMMENTS)
    return _tag_texts(tags, VORBIS_COMMENTS)  # Vorbis comments (Ogg Vorbis, Opus, FLAC) and anything dict-like


def embedded_text(audio: Any) -> tuple[LyricCredits, str]:
    """(lyrics with the composers their credit lines name, description) from the tags of a raw
    mutagen object (``sidecars.read_lyrics``); empty when absent."""
    tags = getattr(audio, "tags", None) if audio is not None else None
    if tags is None:
        return LyricCredits(""), ""
    if isinstance(tags, ID3):  # MP3, WAVE, AIFF
        lyrics = [f.text for f in tags.getall("USLT")]
    elif isinstance(tags, ASFTags):
        lyrics = _tag_texts(tags, ASF_LYRICS)
    elif isinstance(tags, MP4Tags):
        lyrics = _tag_texts(tags, MP4_LYRICS)
    else:  # Vorbis comments (Ogg Vorbis, Opus, FLAC) and anything dict-like
        lyrics = _tag_texts(tags, VORBIS_LYRICS)
    comments = comment_texts(tags)
    lyric = next((c for c in (read_lyrics(repaired(str(x))) for x in lyrics) if c.lyrics), LyricCredits(""))
    # a ripper's or a shop's note ("Ripped with EAC") is no description (``comments``)
    # a video's description without its links, hashtags and chapter list (``comments``)
    texts = (cleaned_description(repaired(c.strip())) for c in map(str, comments) if c)
    notes = dict.fromkeys(t for t in texts if t and not ripper_note(t))
    return lyric, "\n".join(notes)
