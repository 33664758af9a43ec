"""A channel's or a label's repost: "Alan Walker - Faded (Lyrics)" uploaded by "7clouds".

Lyric and promo channels (7clouds, MrSuicideSheep, Proximity, Majestic Casual), labels'
channels and pages (Sub Pop, Captured Tracks, Mixmag's premieres, Chillhop Music's and Lofi
Girl's Bandcamp compilations) and remixers on SoundCloud ("Bonobo - Kerala (Dusky Remix)" by
Dusky) upload other artists' songs titled "Artist - Title". yt-dlp's ``--embed-metadata`` and
scdl write the uploader as the artist tag and the whole video's title as the title tag, and a
label's Bandcamp compilation tags every track by the label. A downloader's library read so
had "7clouds" as an artist of three unrelated songs (one artist node, one cap over them), the
songs' own artists missing from ``--artist`` and ``facets artists``, titles nobody types
("Alan Walker - Faded (Lyrics)"), and no dedup with the song's other copies.
``uploads.upload_credit`` reads only an artist's own channel ("Adele - Hello" by "AdeleVEVO").

A tagged file's title "X - Y" (a spaced dash, once) by an artist tag that is not X is X's "Y"
where the file is a YouTube video's or a SoundCloud track's download (``from_video_site``: its
PURL, comment or WOAR names the page; ``repost_credit``, as the file is read: "Seven Lions -
Strangers" by "MrSuicideSheep"), but for a record label's channel and a title with pipes
(``labeluploads``' to read: "Kesariya - Brahmāstra | ..." names a song and a film). After the
walk (``with_reposted_artists``), any tagged track's such title is X's "Y" where the library
vouches for X:

- X is an artist of the library on its own (another track's artist or album artist, read from
  its tags or folders, not from such a title), or
- the artist tag is a channel: two or more of its titles name two different artists this way,
  one of them the library's (7clouds' "Alan Walker - ...", "Illenium - ...", "The Weeknd - ...";
  Chillhop Music's compilation of Philanthrope, Aso and Sleepy Fish).

Y is the song without what the video appended (``filenames.without_video_words``: "(Lyrics)",
"(Official Video)", yt-dlp's id); the uploader is no credit of it (a remixer's remix is named
in the title). Kept as tagged: a Y that is a version ("Song - Live", "Song - Remastered 2011",
"Song - Radio Edit", Spotify's "Song - From \\"Film\\""), an X that is the track's album
("Chillhop Essentials Summer 2019 - Mix"), a work, a type beat or a side
(``worknames``, ``typebeats``, ``vinylsides``), and any title where no artist vouches for X.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from typing import Any

from mutagen._vorbis import VComment
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from recsys.catalog.credits import credited_artists
from recsys.catalog.filenames import without_video_words
from recsys.catalog.labeluploads import label_channel
from recsys.catalog.model import TrackRecord
from recsys.catalog.typebeats import names_a_type_beat
from recsys.catalog.uploads import PIPES
from recsys.catalog.vinylsides import names_a_side
from recsys.catalog.worknames import names_a_work
from recsys.labels import label_key

#: a spaced hyphen, en dash or em dash: never the "-" of "Jay-Z"
_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")
#: a title's second part that names a version of the song, not the song: "Live", "Remastered
#: 2011", "2011 Remaster", "Radio Edit", "Single Version", "From \"Film\"", "Live at Wembley"
_VERSION = re.compile(
    r"^\s*(?:(?:19|20)\d\d\s+)?(?:(?:radio|single|album|extended|original|club|acoustic|live|remaster(?:ed)?|mono|"
    r"stereo|demo|instrumental|deluxe|bonus|unplugged|edit|version|mix|remix|take|session|reprise|track|digital|"
    r"explicit|clean|cut)\b[\s,.]*)+(?:(?:19|20)\d\d)?\s*$"
    r"|^\s*(?:live\s+(?:at|in|from|on)|from|recorded\s+(?:at|live)|bonus\s+track|remastered\s+(?:in\s+)?(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _split(title: str) -> tuple[str, str] | None:
    """("X", "Y") of a title "X - Y" (one spaced dash), or None."""
    if "-" not in title and "\u2013" not in title and "\u2014" not in title:
        return None  # most titles: no dash, no split (the pass asks of every track)
    parts = _DASH.split(title.strip())
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        return None
    named, rest = parts[0].strip(), parts[1].strip()
    if _VERSION.match(rest) or _VERSION.match(named) or names_a_work(named) or names_a_type_beat(named) or names_a_side(named):
        return None
    return named, rest


#: a video's or a SoundCloud track's page, as yt-dlp (PURL, COMMENT) and scdl (WOAR) write it
_SITE_PAGE = re.compile(r"(?:youtube\.com/(?:watch|shorts/)|youtu\.be/|soundcloud\.com/)", re.IGNORECASE)
#: the Vorbis and freeform keys those addresses stand in, compared without case
_PAGE_KEYS = frozenset({"purl", "comment", "website", "url", "\xa9cmt", "source"})
#: ID3's frames of a page's address (the artist's, the source's, a user's)
_URL_FRAMES = frozenset({"WOAR", "WOAS", "WXXX"})


def from_video_site(tags: Any) -> bool:
    """Whether a raw mutagen tag names a YouTube video's or a SoundCloud track's page: the
    file is a download of an upload, its artist tag the uploader."""
    if tags is None:
        return False
    # asked of every tagged file a cold read opens: the frames walked once (five ``getall``
    # walked them five times), a Vorbis comment's pairs as they are (its dict view built a
    # list of every key's values), 8-10 us a file before
    if isinstance(tags, ID3):
        texts = []
        for f in tags.values():
            kind = f.FrameID
            if kind in _URL_FRAMES:
                texts.append(f.url)
            elif kind == "COMM" or (kind == "TXXX" and f.desc.casefold() in _PAGE_KEYS):
                texts.extend(f.text)
    elif isinstance(tags, VComment):
        texts = [v for k, v in tags if k.casefold() in _PAGE_KEYS]
    else:
        try:
            items = list(tags.items()) if isinstance(tags, MP4Tags) or hasattr(tags, "items") else []
        except Exception:  # noqa: BLE001 - a tag that cannot list its items names no page
            return False
        texts = [v for k, vs in items if str(k).casefold() in _PAGE_KEYS
                 for v in (vs if isinstance(vs, list) else [vs])]
    return any(_SITE_PAGE.search(str(t)) for t in texts)


def repost_credit(title: str, artist: str) -> tuple[str, str] | None:
    """(title, artist) of an upload's title tag "X - Y" by an uploader that is not X
    ("Seven Lions - Strangers (feat. Tyler Graves)" by "MrSuicideSheep"), for a file whose tags
    say it is a video's or a SoundCloud track's download (``from_video_site``): its title names
    the song's artist whoever uploaded it. None for any other title (a version, a work, a type
    beat: ``_split``), and for X the artist tag itself (``uploads.upload_credit`` reads those)."""
    # a label's "Song - Film | Cast | Composer | Singer" by "T-Series" is ``labeluploads``' to read
    if PIPES.search(title) or label_channel(artist):
        return None
    split = _split(title)
    if split is None or label_key(split[0]) in ("", label_key(artist)):
        return None
    return without_video_words(split[1]), split[0]


def _own_artists(tracks: list[TrackRecord], titled: dict[int, tuple[str, str]]) -> set[str]:
    """The keys of the artists the library has on their own: every track's artist and album
    artist, and the credits of those whose title names no other artist."""
    own: set[str] = set()
    for i, track in enumerate(tracks):
        if track.album_artist:
            own.add(label_key(track.album_artist))
        if i in titled:
            continue  # its artist tag may be the channel that uploaded it: no vouching by itself
        own.add(label_key(track.artist))
        own.update(label_key(a) for a in track.artists)
    own.discard("")
    return own


def with_reposted_artists(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """The tracks, each channel's or label's repost "X - Y" read as X's "Y" where the library
    vouches for X (see the module's rules)."""
    titled: dict[int, tuple[str, str]] = {}
    for i, track in enumerate(tracks):
        if not track.artist or " " not in track.title:
            continue
        split = _split(track.title)
        if split is None:
            continue
        named = label_key(split[0])
        if not named or named == label_key(track.artist) or named == label_key(track.album):
            continue
        titled[i] = split
    if not titled:
        return tracks
    own = _own_artists(tracks, titled)
    # a channel: an artist tag whose titles name two artists or more, one of them the library's
    named_by: dict[str, set[str]] = defaultdict(set)
    for i, (named, _) in titled.items():
        named_by[label_key(tracks[i].artist)].add(label_key(named))
    channels = {c for c, names in named_by.items() if len(names) >= 2 and names & own}
    out = list(tracks)
    for i, (named, rest) in titled.items():
        track = tracks[i]
        if label_key(named) not in own and label_key(track.artist) not in channels:
            continue
        title = without_video_words(rest)
        credits = credited_artists([named], title)
        out[i] = replace(track, title=title, artist=named, artists=credits if len(credits) > 1 else ())
    return out
