"""Folders that sort music rather than name whose it is: "Downloads", "Soulseek", "Sound
Effects", "Rock", "2019", "A-C".

The music-folder reader (``musicdir``) gives an untagged file under ``X/Album/track.ext`` the
artist "X". When tagged tracks beneath X name other artists, X is dropped as a category
(``folderlayout.drop_category_artists``); a folder with no tagged file beneath it was still taken at
its word, and a real library had the artists "Soulseek" and "Sound Effects" (one artist node for
unrelated records, the top of the artist facet, one artist cap over all of them). Names are
compared as ``normalise_title`` gives them (case, accents, punctuation folded). Two kinds:

- **Containers** (``container_folder``) are never an artist, wherever they are: what a system,
  a player or a download tool names a folder ("Downloads", "Music", "My Music", "Musik",
  "iTunes Media", "New folder", "Neuer Ordner", "Soulseek", "slsk", "complete", "incoming",
  "YouTube", "Bandcamp", "Torrents", a phone's "Internal storage", "WhatsApp", "WhatsApp Audio",
  "Telegram Audio", Apple Music's "Media.localized", DJ software's "_Serato_", "PioneerDJ",
  "Native Instruments", "Traktor Recordings", a DJ's "Promos", "Beatport", a producer's
  "GarageBand", "Ableton", "Bounces", "Exports"), what a person sorts by kind ("Unsorted", "Misc",
  "Compilations", "Soundtracks", "OST", "Podcasts", "Audiobooks", "Voice Memos", "Samples",
  "Sound Effects", "SFX", "Ringtones", "Singles", "Albums", "Rips", "Backup", "Genres"), a
  year or a decade ("2019", "1990s", "90's"), a month or a day of one ("2023-05") and a letter range ("A-C", "0-9", "#"). Above an
  album folder, the artist is the nearest folder that is no container (``artist_index``):
  ``Radiohead/Albums/OK Computer/`` is Radiohead's, ``Soulseek/complete/Noiz2sa/`` nobody's.
  A container album folder names no album when no artist is found above it either:
  ``Music/Soundtracks/x.mp3`` has neither, ``Radiohead/Singles/x.mp3`` is Radiohead's "Singles".
- **Sorting names** (``sorting_folder``): a genre ("Rock", "Jazz", "Hip-Hop", "Classical") or
  a single letter. Bands are called "X", "Genesis" is no genre but "Rock" could be a band, so
  such a folder is a category only where the library shows it sorts (``sorting_folders``): a
  folder beside it is a sorting name of the same kind ("Rock" beside "Jazz", "A" beside "B"),
  the folder above it is a container or a sorting name ("Music/Rock/", "Genres/Rock/"), or it
  holds artist-like folders (``Rock/Queen/Greatest Hits/x.flac``: two folders beneath it). A
  genre-named folder alone at the top of a library, over album folders only, stays the artist.

A folder holding two sorting folders or more (``shelf_folders``: GTZAN's ``genres_original/``
over ``blues/`` and ``jazz/``) is no artist either. Datasets shard their files into numbered
folders (FMA's ``000/``..., MTG-Jamendo's ``00/``...): numbers of one width, three or more
side by side and one zero-padded, are sorting names too, never an album, and so are an iPod's
``iPod_Control/Music/F00``..``F49`` (``ipodfolders``). A file without a
genre tag under a genre the library sorts by takes that genre (``folder_genre``).

Names from tags are never touched: only names the reader takes from folders. Accepted risk: a
band named like a container ("Downloads", "Singles") or a decade ("1990s") loses its untagged
files' artist (their folder is still their album).
"""

from __future__ import annotations

import re
from typing import Iterable

from recsys.catalog.discs import album_folders
from recsys.catalog.ipodfolders import IPOD_FOLDERS, ipod_shard
from recsys.catalog.model import normalise_title

_CONTAINERS = frozenset(normalise_title(n) for n in (
    # where systems, players and download tools put music
    "Downloads", "Download", "My Downloads", "Music", "My Music", "Musik", "Meine Musik", "Musique",
    "Ma musique", "Música", "Musica", "Muziek", "Mijn muziek", "Muzyka", "Музыка", "音楽", "iTunes",
    "iTunes Media", "iTunes Music", "Media", "Audio", "Library", "Music Library", "Songs", "Tracks",
    "New folder", "New Folder (2)", "Neuer Ordner", "Nouveau dossier", "Nueva carpeta",
    "Nuova cartella", "Untitled folder", "Desktop", "Documents", "Shared", "Share", "Uploads",
    "Torrents", "Soulseek", "Soulseek Downloads", "slsk", "Nicotine", "complete", "completed",
    "incomplete", "incoming", "YouTube", "yt-dlp", "youtube-dl", "Bandcamp", "Spotify", "SoundCloud",
    "Amazon MP3", "Google Play Music",
    # a Chinese Windows' and the Chinese apps' and video sites' folders ("下载" Downloads, "我的音乐"
    # My Music, "网络歌曲" internet songs): "下载" was the artist of every Bilibili rip in it
    "下载", "我的下载", "音乐", "我的音乐", "歌曲", "网络歌曲", "CloudMusic", "QQMusic", "KuGou", "KGMusic",
    "KwDownload", "bilibili", "Douyin", "抖音",
    # an iPod's own folders (``ipodfolders``), and the P2P programs' of the 2000s: Kazaa's "My
    # Shared Folder" was the album of every untagged download in it
    *IPOD_FOLDERS, "My Shared Folder", "Shared Folder", "Kazaa", "Kazaa Lite", "LimeWire", "FrostWire",
    "BearShare", "My Shared Files", "eMule", "My Documents", "Documents and Settings",
    # a phone's storage copied whole, and its messengers' folders (no one's artist: "WhatsApp"
    # was the artist of every forwarded song)
    "Internal storage", "Internal shared storage", "Phone", "SD card", "WhatsApp", "WhatsApp Audio",
    "WhatsApp Business", "Telegram", "Telegram Audio", "Media.localized", "Android", "com.whatsapp",
    "com.whatsapp.w4b", "org.telegram.messenger",
    # DJ software's folders and a DJ's shops and kinds: "_Serato_" and "PioneerDJ" were the
    # artists of the sets recorded there, "Native Instruments" of Traktor's
    "_Serato_", "Serato", "PioneerDJ", "Pioneer DJ", "PIONEER", "rekordbox", "Native Instruments",
    "Traktor", "Traktor Recordings", "Recording", "Contents", "Promos", "Promo", "Beatport",
    "Traxsource", "Juno Download", "Stems", "Acapellas", "DJ Tools", "Edits", "Bootlegs",
    # a producer's software and where it writes: "Exports" was the artist of the mixes there
    "GarageBand", "Audio Music Apps", "Ableton", "Splice", "Bounces", "Bounce", "Exports", "Export",
    "Mixdowns", "Renders",
    # a hip-hop listener's: tapes and beats downloaded, the stores ripped from ("Beats" was the
    # artist of a producer's untagged type beats)
    "Mixtapes", "Mixtape", "Beats", "Type Beats", "Instrumentals", "Tidal", "Deezer", "Qobuz",
    # what a person sorts by kind
    "Unsorted", "To sort", "To tag", "Untagged", "Inbox", "New Music", "Misc",
    "Miscellaneous", "Other", "Others", "Various", "Compilations", "Compilation", "Soundtracks",
    "Soundtrack", "OST", "OSTs", "Game Music", "Video Game Music", "Games", "Movies",
    "Podcasts", "Podcast", "Audiobooks", "Audio Books", "Audiobook", "Hörbücher", "Voice Memos",
    "Recordings", "Ringtones", "Ringtone", "Notifications", "Alarms", "Samples", "Sample Packs",
    "Sound Effects", "SFX", "Effects", "Sounds", "System Sounds", "Loops", "Rips", "CD Rips",
    "Vinyl Rips", "Singles", "Albums", "EPs", "Playlists", "Mixes", "DJ Mixes", "Temp", "Tmp",
    "Backup", "Music Backup", "Archive", "Collection", "My Collection", "Genres",
    "Lossless", "FLAC", "MP3", "MP3s", "AAC", "Hi-Res", "HiRes",
    # a vinyl and cassette digitiser's: "Vinyl" and "Needle Drops" were the artist of the
    # untagged rips beneath them, "7'' Singles" an album
    "Vinyl", "Vinyl Rip", "Needle Drops", "Needledrops", "Needle Drop", "LP Rips", "LPs", "Records",
    "Tapes", "Cassettes", "Cassette Rips", "Tape Rips", "Digitised", "Digitized", "Transfers",
    "7'' Singles", "7 Inch Singles", "7 Inch", "7s", "12'' Singles", "12 Inch Singles", "12 Inch", "12s",
    "45s", "78s", "MP3 320", "MP3 V0",
))
_MUSIC_GENRES = frozenset(normalise_title(n) for n in (
    "Rock", "Pop", "Jazz", "Classical", "Classic", "Klassik", "Classique", "Electronic",
    "Electronica", "Electro", "Dance", "EDM", "House", "Techno", "Trance", "Ambient", "Hip-Hop",
    "Hip Hop", "HipHop", "Rap", "R&B", "RnB", "Soul", "Funk", "Disco", "Blues", "Country", "Folk",
    "Reggae", "Ska", "Punk", "Metal", "Heavy Metal", "Hard Rock", "Indie", "Alternative",
    "Alternative Rock", "Indie Rock", "Latin", "World", "World Music", "New Age", "Gospel",
    "Christian", "Opera", "Instrumental", "Lounge", "Chillout", "Chill", "Downtempo",
    "Drum and Bass", "Drum & Bass", "DnB", "Dubstep", "Dub", "Grunge", "Emo", "Industrial",
    "Experimental", "Easy Listening", "Oldies", "Chiptune", "Chanson", "Schlager", "J-Pop", "K-Pop",
    "Anime", "Kids", "Children", "Christmas", "Holiday", "Comedy", "Spoken Word", "Vocal",
    "Singer-Songwriter", "Acoustic", "Bluegrass", "Swing", "Big Band", "Bossa Nova", "Salsa",
    "Flamenco", "Fado", "Afrobeat", "Trap", "Grime", "Garage", "Lo-Fi", "Lofi", "Synthwave",
    "Post-Rock", "Shoegaze", "Psychedelic", "Progressive", "Prog", "Baroque", "Romantic",
))
#: what game music and effects are sorted by: a sorting name, but no music's genre
_GAME_GENRES = frozenset(normalise_title(n) for n in (
    "Arcade", "Puzzle", "Shooter", "Shmup", "Strategy", "RPG", "Racing", "Platformer", "Adventure",
))
_GENRES = _MUSIC_GENRES | _GAME_GENRES
#: a year (1900-2099) or a decade: "2019", "1990s", "90s", "1990's", "'90s"; a month or a day
#: of one ("2023-05", "2023-05-12", as a DJ files a month's downloads: ``Beatport/2023-05/``)
_YEAR = re.compile(r"^(?:(?:19|20)\d\d|(?:19|20)?\d0 ?s|(?:19|20)\d\d ?(?:19|20)\d\d"
                   r"|(?:19|20)\d\d (?:0[1-9]|1[0-2])(?: (?:0[1-9]|[12]\d|3[01]))?)$")
#: a range of letters or digits, as a shelf sorted by name has: "A-C", "A - Z", "0-9", "#", "#-C"
_RANGE = re.compile(r"^\s*(?:[^\W_]\s*[-\u2013\u2014]\s*[^\W_]|#|#\s*[-\u2013\u2014]\s*[^\W_]|0-9|123)\s*$")


def music_genre(name: str) -> bool:
    """Whether a genre names a kind of music ("Rock", "Electronic", "Jazz"):
    a track under a spoken-word folder so tagged is music all the same (``spokenword``)."""
    return normalise_title(name) in _MUSIC_GENRES


def container_folder(name: str) -> bool:
    """Whether a folder's name is a container's, never an artist's nor an album's: "Downloads",
    "Soulseek", "Sound Effects", "2019", "1990s", "A-C", "#"."""
    key = normalise_title(name)
    return key in _CONTAINERS or bool(_YEAR.match(key)) or bool(_RANGE.match(name))


#: a dataset's shard folder: "000" of FMA's "fma_small/000/000002.mp3", "00" of MTG-Jamendo's
_NUMBER = re.compile(r"^\d{2,3}$")


def _kind(name: str) -> str:
    """"genre", "letter" (a single letter or digit), "number" (two or three digits), or "" for
    any other name."""
    key = normalise_title(name)
    if key in _GENRES:
        return "genre"
    if len(key) == 1 and key.isalnum():
        return "letter"
    return "number" if _NUMBER.match(name.strip()) else ""


def sorting_folder(name: str) -> bool:
    """Whether a folder's name is a genre or a single letter: a category only where the library
    shows it sorts (``sorting_folders``). Not a number: a shard's name sorts only beside its
    kin (``sorting_folders``), and alone it is as often a band's ("311", "702", "112")."""
    return _kind(name) in ("genre", "letter")


def artist_index(folders: list[str]) -> int | None:
    """Which of a file's folders (``discs.album_folders``: the last is its album folder) gives
    its artist: the nearest above the album folder that is no container, or None."""
    for index in range(len(folders) - 2, -1, -1):
        if not container_folder(folders[index]):
            return index
    return None


def sorting_folders(sources: Iterable[str]) -> set[str]:
    """The folders (paths relative to the music folder, "/"-joined) with a genre or letter name
    that sort the library, from the paths of all its files: one beside another of its kind, one
    under a container or a sorting name (a genre only: "Music/X/" may be the band X), one with
    two folders beneath it."""
    children: dict[str, set[str]] = {}  # folder -> the folders in it
    deep: set[str] = set()  # folders with two folders beneath them
    for source in sources:
        folders = album_folders(source)
        for depth in range(1, len(folders) + 1):
            children.setdefault("/".join(folders[:depth - 1]), set()).add(folders[depth - 1])
            if len(folders) - depth >= 2:
                deep.add("/".join(folders[:depth]))
    found: set[str] = set()
    for parent, names in children.items():
        above = parent.rsplit("/", 1)[-1]
        under_sorting = bool(parent) and (container_folder(above) or sorting_folder(above))
        for name in names:
            path = f"{parent}/{name}" if parent else name
            if ipod_shard(parent, name):  # an iPod's "F07": iTunes' pick at random (``ipodfolders``)
                found.add(path)
                continue
            kind = _kind(name)
            if not kind:
                continue
            if kind == "number":
                # Adele's "19", "21", "25" are albums; a dataset's "000", "001", "002" (or
                # "00"-"99") are shards: numbers of one width, three at least, one zero-padded
                same = [o.strip() for o in names if _kind(o) == "number" and len(o.strip()) == len(name.strip())]
                if len(same) >= 3 and any(o.startswith("0") for o in same):
                    found.add(path)
                continue
            beside = any(
                other != name and (_kind(other) == kind or (kind == "letter" and bool(_RANGE.match(other))))
                for other in names
            )
            if beside or (under_sorting and kind == "genre") or path in deep:
                found.add(path)
    return found


def shelf_folders(sorting: set[str]) -> set[str]:
    """The folders that hold two sorting folders or more (``sorting_folders``): a shelf, never an
    artist. GTZAN's ``genres_original/`` holds ``blues/``, ``jazz/``...; FMA's ``fma_small/``
    holds ``000/``, ``001/``...: as the artist of every untagged file beneath (the nearest folder
    above the album folder that is no container) such a folder was one artist of a thousand
    unrelated clips."""
    count: dict[str, int] = {}
    for path in sorting:
        parent = path.rpartition("/")[0]
        if parent:
            count[parent] = count.get(parent, 0) + 1
    return {parent for parent, n in count.items() if n >= 2}


def folder_genre(source: str, sorting: set[str]) -> str:
    """The genre a file's folders sort it under ("Rock" of ``Music/Rock/Queen/x.mp3``, "blues"
    of GTZAN's ``genres/blues/blues.00000.au``): the name of the deepest of its folders that is
    a genre the library sorts by (``sorting_folders``), or "". For a file with no genre tag:
    the person (or the dataset) that sorted it said what it is, and a track without a genre
    has no genre node in the graph, no --genre filter and no label for ``recsys eval``'s B.
    A game's genre ("Puzzle/LTris/click.wav") sorts a shelf of sound effects: no music genre."""
    folders = source.split("/")[:-1]
    for depth in range(len(folders), 0, -1):
        if normalise_title(folders[depth - 1]) in _MUSIC_GENRES and "/".join(folders[:depth]) in sorting:
            return folders[depth - 1].strip()
    return ""
