"""Tag values and folder names that name nothing: what rippers and players write when they know
no better.

Windows Media Player files a CD it cannot look up under "Unknown Artist/Unknown Album (27/11/2026
10:00:00)/01 Track 1.wma", iTunes under "Unknown Artist/Unknown Album/", and both write such
values into the tags; a tagger leaves "<unknown>", "Artist" or "Track 01". Taken as written,
"Unknown Artist" is one artist node of the graph for every such rip, the top of the artist
facet and one artist cap over unrelated recordings: the hub the music-folder reader avoids for
untagged files (``musicdir``), under another name. So such a value is no value: the artist and
album are as for an untagged file (none, or what the file name gives: ``filenames``), a
placeholder title gives way to the file name's, a placeholder genre is dropped.

An album placeholder with a suffix ("Unknown Album (27/11/2026 10:00:00)", one folder per rip) is
kept: it tells one rip's tracks from another's. "Various Artists" stays an album artist (a
compilation's); as a track's artist it is a placeholder. Values are compared as
``normalise_title`` gives them (case, accents and punctuation folded).
"""

from __future__ import annotations

import re

from recsys.catalog.model import normalise_title

_ARTISTS = frozenset({
    "unknown", "unknown artist", "unknown artists", "no artist", "none", "n a",
    # rekordbox's USB export files an untagged track under "Contents/UnknownArtist/UnknownAlbum/";
    # "ID" is a DJ's word for an unknown artist or title ("ID - ID", a white label)
    "unknownartist", "id",
    "various", "various artists", "va", "v a",
    "unbekannter interpret", "unbekannter kunstler", "artiste inconnu", "artista desconocido",
    "artista sconosciuto", "artista desconhecido", "onbekende artiest", "nieznany wykonawca",
    "неизвестный исполнитель", "不明なアーティスト", "未知艺术家",
    # China's stores and players: KuGou's and QQ Music's "未知歌手" (unknown singer), "未知艺人";
    # "群星" (many stars) is their "Various Artists". Compared simplified: "未知藝人" is "未知艺人"
    "未知歌手", "未知艺人", "未知", "群星",
    # a Douyin (TikTok) or Kuaishou playlist's name a rip's file or tag puts where the artist
    # goes: "抖音热歌 - 起风了" (Douyin's hot songs), "网络歌曲" (internet songs)
    "抖音", "抖音热歌", "抖音神曲", "抖音歌曲", "快手热歌", "快手神曲", "网络歌曲", "网络红歌", "热门歌曲",
})
_ALBUMS = frozenset({
    "unknown", "unknown album", "no album", "none", "n a", "unknownalbum",
    "unbekanntes album", "album inconnu", "album desconocido", "album sconosciuto",
    "album desconhecido", "onbekend album", "nieznany album", "неизвестный альбом",
    "不明なアルバム", "未知专辑",
})
#: "Other": ID3v1's genre 12, the catch-all a ripper's default left on albums of every kind
_GENRES = frozenset({"unknown", "unknown genre", "genre", "none", "n a", "unbekannt", "other"})
#: "Track 01", "Piste 3", "Audio Track 12": what a ripper names a track it could not look up
_TRACK_TITLE = re.compile(
    r"^(?:(?:audio\s*)?track|piste|titel|pista|traccia|faixa|spur|nummer|трек|дорожка)\s*\d{1,3}$"
)


_COMPILATION = frozenset({"various", "various artists", "va", "v a", "群星"})


#: an e-mail address alone: whom to write to, not an artist's name (a Freesound recordist's
#: "lmh.0013@gmail.com" in a real game's sound effects). A web address stays: "http://zhaymusic.com/"
#: names the musician's site, and ties his tracks together
_ADDRESS = re.compile(r"^\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$")


def placeholder_artist(value: str) -> bool:
    """Whether an artist tag or folder name names no artist ("Unknown Artist", "<unknown>", an
    e-mail address)."""
    if not value.strip():
        return False
    return normalise_title(value) in _ARTISTS or bool(_ADDRESS.match(value))


def placeholder_album_artist(value: str) -> bool:
    """Whether an album-artist tag names no one: as ``placeholder_artist``, but "Various
    Artists" is a compilation's album artist, which keeps its tracks one album."""
    return placeholder_artist(value) and normalise_title(value) not in _COMPILATION


def placeholder_album(value: str) -> bool:
    """Whether an album tag or folder name names no album ("Unknown Album"); one with a
    suffix ("Unknown Album (27/11/2026 10:00:00)") names one rip and is kept."""
    return normalise_title(value) in _ALBUMS if value.strip() else False


def placeholder_title(value: str) -> bool:
    """Whether a title tag is a ripper's "Track 01"."""
    return bool(_TRACK_TITLE.match(normalise_title(value))) if value.strip() else False


def placeholder_genre(value: str) -> bool:
    return normalise_title(value) in _GENRES if value.strip() else False
