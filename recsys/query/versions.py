"""What makes two stored tracks one song, and whose a track is: the keys the one dedup
(``recsys.query.picker.Picker``) and the artist cap read of every hit."""

from __future__ import annotations

from recsys.catalog.leaders import named_leaders
from recsys.catalog.model import ALBUM_PLACE_FIELD, ARTISTS_AS_FIELD, TITLE_SORT_FIELD
from recsys.catalog.suffixes import DERIVATIVE_MARKS
from recsys.store.base import Hit, PointRecord
from recsys.query.samesongs import joined_name
from recsys.query.titlekeys import other_names, song_key, version_key


def identity(p: PointRecord | Hit) -> tuple[tuple[tuple[str, str], ...], str]:
    """``song_keys`` and ``artist_key`` of one track, from one version key: the dedup of every
    query asks them for each hit (computed apart, they made the picker 3.5 times slower: 0.30
    against 0.08 ms for 200 hits)."""
    primary = primary_artist(p)
    credited = p.get("artists")
    by = primary
    if p.get("composer") and isinstance(credited, list) and len(credited) > 1:
        # a composed work's performance: "Wiener Philharmoniker; Carlos Kleiber" and "Wiener
        # Philharmoniker; Leonard Bernstein" are two recordings of the Fifth, not versions of one
        by = "; ".join(str(a) for a in credited)
    # a cue title ("Main Title", "Finale") is its album's piece (``cues``): two films' are two songs
    # and on an album that repeats it, its place there: one album's four "Battle Theme"s are four
    version = song_key(str(p.get("title", "")), by, str(p.get("album") or ""), str(p.get(ALBUM_PLACE_FIELD) or ""))
    path = str(p.get("audio_path") or "").replace("\\", "/")
    if version[1]:
        key, artist = version, (version[1] if by is primary else version_key("", primary)[1])
    else:
        artist = f"\0track:{p.track_id}"
        key = (version[0], f"\0folder:{path.rpartition('/')[0]}") if path else (version[0], artist)
    keys: tuple[tuple[str, str], ...] = (key,)
    if version[1]:
        # "뚜두뚜두 (DDU-DU DDU-DU)" from a Korean store and "DDU-DU DDU-DU" from an English one:
        # one song's two names (``titlekeys.other_names``)
        # and "アイドル" read "Idol" by its sort tag and a download titled "Idol" (``title_sort``)
        reading = p.get(TITLE_SORT_FIELD)
        names = (*other_names(str(p.get("title", ""))), *((reading,) if isinstance(reading, str) and reading else ()))
        keys += tuple(song_key(name, by, str(p.get("album") or ""), str(p.get(ALBUM_PLACE_FIELD) or ""))
                      for name in names)
    if not version[1] and path and p.get("audio_start") is None:
        # an untagged file and its copy in another folder (a DJ's rekordbox USB export keeps
        # "Contents/UnknownArtist/UnknownAlbum/ID - ID (White Label).mp3" beside the library's
        # own): one title and one size in bytes is one file. "Track 01" of two albums is not:
        # their sizes differ
        size = _size(p)
        if size:
            keys += (("\0copy", f"{version[0]}\0{size}"),)
    if path and p.get("audio_start") is None:
        # "gd77-05-08d1t01.flac" and its ".mp3" and ".ogg" (the Internet Archive's derivatives,
        # "_64kb.mp3" too; a FLAC kept beside its MP3): one recording in several files, however
        # each is tagged. Not the tracks of one album image: they share their file
        # the suffix's case too: one tool named them all. A name without a suffix ("audio/1",
        # a manifest's blob under "/home/jane.doe/") is its own whole: never a folder's dot,
        # nor its last character
        dot = path.rfind(".")
        stem = path[:dot] if dot > path.rfind("/") + 1 else path
        keys += (("\0file", stem[:stem.rfind("_")] if stem.endswith(_DERIVATIVES) else stem),)
    if version[1] and isinstance(credited, list) and len(credited) > 1:
        # "Little Melonae" by Miles Davis and by "Miles Davis & John Coltrane", "Four" by him and
        # by "Miles Davis Quintet": his songs either way, one song's versions in his radio
        # (``catalog.leaders``); the band's own key stays
        # a film song's singers listed with commas ("Arijit Singh, Lofi Boy"), not a composed
        # work's performers ("Berliner Philharmoniker, Herbert von Karajan": ``by`` is their list)
        # the leader by the name the library joined him under ("Fela Ransome-Kuti" of "Fela
        # Ransome-Kuti and the Africa '70" as "Fela Kuti", the payload's ``artists_as``)
        names = tuple(str(a) for a in credited)
        known = p.get(ARTISTS_AS_FIELD)
        known = tuple(str(k) for k in known) if isinstance(known, list) else ()
        for leader in named_leaders(primary, names, by is primary):
            keys += ((version[0], version_key("", joined_name(leader, names, known))[1]),)
    recording = p.get("recording_id")
    if isinstance(recording, str) and recording:
        keys += (("\0recording", recording),)
    return keys, artist



#: what the Internet Archive adds to a derivative's name: "x_64kb.mp3", "x_vbr.mp3"
_DERIVATIVES = DERIVATIVE_MARKS


def _size(p: PointRecord | Hit) -> int | None:
    """The size of a track's audio file as the ingest read it (the payload's ``file_stat``:
    [[size, mtime], cover's]), None without one. Not asked of the disk: the dedup runs on
    every hit of every answer, and a library on a NAS answers a stat in milliseconds."""
    stat = p.get("file_stat")
    audio = stat[0] if isinstance(stat, list) and stat else None
    size = audio[0] if isinstance(audio, list) and audio else None
    return size if isinstance(size, int) and size > 0 else None


#: the payload fields ``identity`` reads: what ``Library.clean_copies`` reads of each clean copy
IDENTITY_KEYS: tuple[str, ...] = ("title", "artist", "artists", "composer", "album", ALBUM_PLACE_FIELD, "audio_path",
                                  "audio_start", "file_stat", "recording_id", "artist_as", TITLE_SORT_FIELD,
                                  ARTISTS_AS_FIELD)



def track_key(p: PointRecord | Hit) -> tuple[str, str]:
    """The version key (base title, artist) of a stored track or a hit. A track with no artist
    (an untagged file) is no artist's: untagged files are not taken for versions of each other
    because their titles match, but for those of one folder. There a title twice is a copy
    ("HCMainTitle_Fast.wav" and Windows' "HCMainTitle_Fast - Copy.wav", both titled by their
    name): a real library's untagged copy was recommended first for its original."""
    return identity(p)[0][0]


def song_keys(*tracks: PointRecord | Hit) -> list[tuple[str, str]]:
    """The keys that make a track a version of another: ``track_key``, and the MusicBrainz
    recording it is where tagged (the payload's ``recording_id``, from Picard's
    MUSICBRAINZ_TRACKID / UFID). One recording on an album and on a compilation may be titled
    or credited otherwise ("Grass Theme" by Wolfire Games, "Grass Theme - Lugaru" by Wolfire):
    the id says they are one."""
    return [key for p in tracks for key in identity(p)[0]]


def artist_key(p: PointRecord | Hit) -> str:
    """Who a track is by, for the artist cap and a playlist's "never twice in a row": its
    primary artist, normalised; the track itself when it has none (artist-less tracks are not
    one artist, nor one folder's: a game's untagged sounds are not capped together)."""
    return identity(p)[1]


def primary_artist(p: PointRecord | Hit) -> str:
    """The artist a stored track is by, for the cap and the versions: the first of its credited
    ``artists`` (a music folder's "Drake feat. Rihanna" is Drake's), else ``artist``; the name
    its MusicBrainz artist id is known by where the tag spells it otherwise (``artist_as``:
    "植松伸夫" is "Nobuo Uematsu"'s, ``catalog.artistids``)."""
    known = p.get("artist_as")
    if isinstance(known, str) and known:
        return known
    credited = p.get("artists")
    if isinstance(credited, list) and credited and isinstance(credited[0], str) and credited[0].strip():
        return credited[0]
    return str(p.get("artist", "") or "")
