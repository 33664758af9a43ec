"""What an album folder's name says beyond the album: the year and the format that Soulseek
and other shares put in it, and sometimes the artist.

"Kenta Cho - 2002 - Noiz2sa", "Noiz2sa (2002) [FLAC 24-96]", "(2004) Tumiki Fighters",
"2004 - Tumiki Fighters", "Noiz2sa [2002] [MP3 320]": an untagged file in such a folder took
the whole name as its album (so the same album from two shares was two albums), and its
artist from the folder above, which for a share's downloads is "Soulseek" or "Downloads".
The year (1900-2099, alone in brackets, or between spaced dashes) and trailing format notes in
brackets ("[FLAC]", "[24-96]", "(320 kbps)", "[WEB]", "[V0]"; a needle drop's "[Vinyl 24-96]",
"[LP]", "(Vinyl Rip)", "[FLAC 24bit-96kHz]", "[7'' Single]", "[Mono]", a tape's "[Cassette Rip]",
"(C60)", the tagger's "[Discogs]", and a catalog number in braces, "{Catalog No. SHVL 804}") are
no part of the album; an artist before "- YEAR -", or before " - Album (YEAR)" (the shares'
"Artist - Album (Year) [Format]", as every vinyl rip is named), is the album's artist, and a
year the album's year. A name without a year is left as it is: "Artist - Album" cannot be told
from an album title with a dash in it.
A scene release's "Kenta_Cho-Torus_Trooper-(ANJ123)-WEB-2023-ZzZz" is the artist's album
"Torus Trooper" of 2023 (``scenenames``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recsys.catalog.scenenames import release_folder

_YEAR = r"(?:19|20)\d\d"
#: a trailing note of format or source in brackets: "[FLAC 24-96]", "(320 kbps)", "[WEB]"
_FORMAT = re.compile(
    r"\s*[\(\[\{]\s*(?:(?:flac|mp3|aac|alac|ogg|opus|wav|ape|wv|lossless|hi-?res|web|cd|vinyl|v0|v2|"
    r"\d{2,3}(?:\.\d)?\s*khz|\d{2,3}\s*k(?:bps)?|320|256|192|\d{2}\s*bits?|\d{2}\s*[-/]\s*\d{2,3}(?:\.\d)?(?:\s*khz)?|"
    # a needle drop's and a tape's: "[LP]", "[2LP]", "(Vinyl Rip)", "[7'' Single]", "[12\"]",
    # "[Mono]", "[Cassette Rip]", "(C60)", and the tagger it was tagged from, "[Discogs]"
    r"\d?\s*x?\s*lp|rip|needle\s?drop|cassette|tape|mono|single|discogs|c(?:46|60|90|100|120)|"
    r"\d{1,2}\s*(?:''|\"|\u201d|inch\b))(?:[\s,._/-]+|(?=[\)\]\}])))+\s*[\)\]\}]\s*$"
    # a catalog number in braces, as shares write it: "{Catalog No. SHVL 804}", "{SHVL 804}"
    r"|\s*\{[^{}]*\}\s*$",
    re.IGNORECASE,
)
_ARTIST_YEAR_ALBUM = re.compile(rf"^(?P<artist>.+?)\s+[-\u2013]\s+[\(\[]?(?P<year>{_YEAR})[\)\]]?\s+[-\u2013]\s+(?P<album>.+)$")
_YEAR_FIRST = re.compile(rf"^(?:[\(\[](?P<year>{_YEAR})[\)\]]\s*|(?P<bare>{_YEAR})\s*[-\u2013.]\s+)(?P<album>.+)$")
_YEAR_LAST = re.compile(rf"^(?P<album>.+?)\s*[\(\[](?P<year>{_YEAR})[\)\]]$")
#: "Joni Mitchell - Blue (1971)": the shares' "Artist - Album (Year)", the year last and alone in
#: its brackets (the first spaced dash splits: "Album - Live" has no year after it)
_ARTIST_ALBUM_YEAR = re.compile(rf"^(?P<artist>.+?)\s+[-\u2013]\s+(?P<album>.+?)\s*[\(\[](?P<year>{_YEAR})[\)\]]$")


@dataclass(frozen=True)
class AlbumFolder:
    album: str
    artist: str = ""
    year: int | None = None


def album_folder(name: str) -> AlbumFolder:
    """The album, artist ("" when the name gives none) and year an album folder's name gives;
    a name with no year nor format note gives itself as the album."""
    scene = release_folder(name)
    if scene is not None:
        return AlbumFolder(scene[1], scene[0], scene[2])
    text = name.strip()
    while (cut := _FORMAT.sub("", text)) != text and cut.strip():
        text = cut.strip()
    for form in (_ARTIST_YEAR_ALBUM, _YEAR_FIRST, _ARTIST_ALBUM_YEAR, _YEAR_LAST):
        match = form.match(text)
        if match and match.group("album").strip():
            parts = match.groupdict()
            year = int(parts.get("year") or parts["bare"])
            return AlbumFolder(parts["album"].strip(), (parts.get("artist") or "").strip(), year)
    return AlbumFolder(text)
