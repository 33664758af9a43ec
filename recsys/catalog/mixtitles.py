"""A 12-inch single's tracks titled by their mix alone.

Discogs lists a one-song 12" by its mixes: "A1 Original Mix", "A2 Vocal Mix", "B1 Dub", "B2
Bonus Beats", the song's name being the release's ("Rain"). Its taggers copy the tracklist as it
is, so the tracks were four songs called "Original Mix", "Dub"...: a seed "Rain" found the
compilation's "Rain (Original Mix)" and listed the 12"'s "Original Mix" as another song beside
it, and every house 12" of the library shared the title "Dub".

Where two tracks or more of one album (one album artist, one folder) are titled by a mix alone
(``mix_alone``: "Original Mix", "Dub", "Instrumental", "Radio Edit", "Bonus Beats"), each such
track, and each one titled by a remixer's mix ("Kerri Chandler Remix"), is "<album> (<mix>)":
"Rain (Original Mix)", "Rain (Dub)", a version of the song "Rain" to the results' dedup. An album
of two songs ("Washing Machine / Can You Feel It") names no one song: its titles stay, as does a
lone "Instrumental" on an album (a title of its own as often).
"""

from __future__ import annotations

import re
from dataclasses import replace

from recsys.catalog.model import TrackRecord, normalise_title

_WORDS = r"(?:original|vocal|dub|club|extended|radio|instrumental|acapella|a\s?cappella|bonus|main|album|long|short|single|" \
         r"deep|mix|version|edit|beats|12\s*(?:''|\"|inch)?|7\s*(?:''|\"|inch)?)"
#: a title of mix words alone, one of them naming a mix ("Original Mix", "Dub", "Bonus Beats")
_MIX_ALONE = re.compile(rf"^\s*{_WORDS}(?:\s+{_WORDS})*\s*$", re.IGNORECASE)
_A_MIX = re.compile(r"\b(?:mix|version|edit|dub|beats|instrumental|acapella|cappella)\b", re.IGNORECASE)
#: a remixer's mix on such a 12": "Kerri Chandler Remix", "Larry Heard's Dub"
_REMIXER = re.compile(r"^\s*\S.*\s(?:remix|mix|dub|rework|edit)\s*$", re.IGNORECASE)
#: what an album title carries beside the song's name: " EP", "(Remixes)", "[12'']"
_ALBUM_MARKS = re.compile(r"\s*(?:[\(\[][^\)\]]*[\)\]]|\bEP\b|\b12\s*(?:''|\"|inch))\s*$", re.IGNORECASE)


def mix_alone(title: str) -> bool:
    """Whether a title is a mix's name and nothing else: "Original Mix", "Dub", "Radio Edit"."""
    return bool(_MIX_ALONE.match(title)) and bool(_A_MIX.search(title))


def _song(album: str) -> str:
    song = album.strip()
    while (cut := _ALBUM_MARKS.sub("", song)) != song and cut.strip():
        song = cut.strip()
    return song


def with_song_names(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks`` with a 12"'s mix titles named after its song ("Original Mix" on "Rain": "Rain
    (Original Mix)")."""
    groups: dict[tuple[str, str, str], int] = {}
    for t in tracks:
        if t.album and mix_alone(t.title):
            key = _key(t)
            groups[key] = groups.get(key, 0) + 1
    if not any(n >= 2 for n in groups.values()):
        return tracks
    out = []
    for t in tracks:
        song = _song(t.album) if t.album else ""
        if song and groups.get(_key(t), 0) >= 2 and " / " not in song and (mix_alone(t.title) or _REMIXER.match(t.title)):
            t = replace(t, title=f"{song} ({t.title.strip()})")
        out.append(t)
    return out


def _key(track: TrackRecord) -> tuple[str, str, str]:
    folder = track.source.rpartition("/")[0]
    return normalise_title(track.album), normalise_title(track.album_artist or track.artist), folder
