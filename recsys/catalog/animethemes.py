"""An anime's opening or ending named in a download's file name, its show no artist.

Video downloads of anime themes are named for the show and the theme's place in it, then the
song: "Shingeki no Kyojin OP1 - Guren no Yumiya.mp3", "Naruto Shippuden Opening 16 -
Silhouette.mp3", "Jujutsu Kaisen ED1 - Lost in Paradise feat. AKLO.mp3", "Oshi no Ko OP Full -
YOASOBI - Idol.mp3". Read by ``filenames``' "Artist - Title" rule, the show's part was the
artist ("Shingeki no Kyojin OP1", "Tokyo Ghoul OP": seven such artists in a real library's
anime folder). Such a part names the show, not who sings: the show is the track's album (its
openings and endings are one album's), the rest its title, or, where the rest is "Artist -
Title" itself, the artist's title.

A part is a show's theme where it ends in "OP" or "ED" (capitals, maybe a number: "OP1",
"ED 2"), or "Opening" or "Ending" with a number ("Opening 16"), maybe "Full" or "TV Size"
after: "Grand Opening" (a band) and "Happy Ending" (a title) are no show's.
"""

from __future__ import annotations

import re

from recsys.catalog.filenames import NameCredit

_THEME = re.compile(
    r"^(?P<show>.*\S)\s+(?:(?-i:OP|ED)\s*\d{0,2}|(?:opening|ending)\s*\d{1,2})(?:\s+(?:full|tv\s*size|tv\s*ver\.?|short))?$",
    re.IGNORECASE,
)
#: "Artist - Title" in what follows the show's part
_ARTIST_TITLE = re.compile(r"^(?P<artist>\S.*?)\s+[-\u2013]\s+(?P<title>\S.*)$")


def anime_show(part: str) -> str:
    """The show a file name's part names as its opening's or ending's ("Shingeki no Kyojin
    OP1" -> "Shingeki no Kyojin"), else ""."""
    match = _THEME.match(" ".join(part.split()))
    return match.group("show") if match else ""


def theme_credit(credit: NameCredit) -> NameCredit | None:
    """What a name whose artist part is a show's theme gives (see the module): the show as the
    album, the title, and an artist only where the rest names one; None for any other name."""
    show = anime_show(credit.artist) if credit.artist else ""
    if not show:
        return None
    named = _ARTIST_TITLE.match(credit.title)
    if named is not None:
        return NameCredit(title=named.group("title"), artist=named.group("artist"), album=show)
    return NameCredit(title=credit.title, album=show)
