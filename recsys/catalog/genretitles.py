"""A genre named in a title: "Abalele (Amapiano)", "Mnike (Amapiano) Ft. DJ Maphorisa", YouTube's
"Abalele (Official Audio) | Amapiano".

South Africa's download sites (Fakaza, Zamusic) and the uploads of amapiano, gqom and kwaito put
the song's genre in brackets after its title, and a channel's video title names it after a bar.
It says what the song is, not which version: a real library's "Abalele (Amapiano)" beside
Kabza De Small's "Abalele (Official Audio) | Amapiano" were two titles, "Abalele" as a seed was
an error naming both, and a YouTube rip without a genre tag had no genre to filter by.

A bracket, or a part after a last bar, holding a genre the library's tags name alone is no part
of the title; a track without a genre of its own takes it. Not where it marks a version: a word
a version is named by ("Live", "Acoustic", "Instrumental", "Remix", "... Mix", "... Version",
"... Edit") stays, and so does a genre that other copies of the song (its title without the
mark, by any artist) or the track's own tag do not all have: "Kesariya (LoFi)" beside the film's "Kesariya"
tagged Bollywood is the lo-fi version, not a lo-fi song.
"""

from __future__ import annotations

import re
from dataclasses import replace

from recsys.catalog.filenames import without_video_words
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.labels import genre_key

_BRACKET = re.compile(r"\s*[(\[]\s*([^()\[\]]{2,40}?)\s*[)\]]")
_BAR = re.compile(r"\s+[|\uff5c]\s*([^|\uff5c]{2,40}?)\s*$")
#: the words a version is named by, which a library may also use as a genre
_VERSION = re.compile(r"\b(?:live|acoustic|instrumental|remix|mix|version|edit|demo|unplugged|karaoke|cover|"
                      r"a\s?cappella|reprise|remaster(?:ed)?|radio|extended|dub|bootleg|slowed|reverb|sped\s?up)\b",
                      re.IGNORECASE)


def _marks(title: str, genres: frozenset[str]) -> tuple[str, str] | None:
    """(the title without its genre mark, the genre as written), or None where it has none."""
    if "(" not in title and "[" not in title and "|" not in title and "\uff5c" not in title:
        return None
    for rx in (_BAR, _BRACKET):
        for m in rx.finditer(title):
            word = m.group(1)
            if genre_key(word) in genres and not _VERSION.search(word):
                rest = (title[:m.start()] + title[m.end():]).strip()
                if rx is _BAR:  # "Abalele (Official Audio) | Amapiano": the video's words before it go too
                    rest = without_video_words(rest)
                if any(c.isalnum() for c in rest):
                    return rest, word
    return None


def genre_titles(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks`` with the genre their titles name taken out of them (see the module)."""
    genres = frozenset(genre_key(g) for t in tracks for g in t.genres)
    found = {i: m for i, t in enumerate(tracks) if genres and (m := _marks(t.title, genres))}
    if not found:
        return tracks
    # each song's genres, by its title without the mark: a version's mark is a genre the song's
    # copies (this one's tag included) do not all have
    songs: dict[str, set[str]] = {}
    for i, t in enumerate(tracks):
        songs.setdefault(normalise_title(found[i][0] if i in found else t.title), set()).update(genre_key(g) for g in t.genres)
    out = list(tracks)
    for i, (rest, word) in found.items():
        if songs.get(normalise_title(rest), set()) - {genre_key(word)}:
            continue  # the song is of another genre too: the mark names a version of it
        out[i] = replace(tracks[i], title=rest, genres=tracks[i].genres or (word,))
    return out
