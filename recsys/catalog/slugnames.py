"""A download site's file name made of its post's address: "Burna-Boy-Last-Last-[NaijaLoaded.com.ng].mp3",
"Wizkid-Ft-Tems-Essence-[TooXclusive.com].mp3", "Olamide-Wo-[TooXclusive.com].mp3".

The Nigerian, Ghanaian and South African download blogs (NaijaLoaded, TooXclusive, JustNaija,
NetNaija, Fakaza) run on WordPress and name each MP3 after its post's slug: the artist's and the
song's words joined by hyphens, no dash between them, the site's name glued on. Such a name has
no spaced dash to cut it at, so an untagged one was a title "Burna-Boy-Last-Last" with no
artist, or by its folder ("Loose"), and it kept a folder of well-named downloads beside it from
reading theirs (one name that fits no rule: none takes anything from its name).

Where the first words of such a name are an artist the library's tags name ("Burna Boy"), the
name reads "Burna Boy - Last Last"; a guest after "Ft", "Feat", "X" or "And" that the tags name
too joins the artist ("Wizkid Ft Tems - Essence"). A slug is a name of letter-and-digit words
joined by single hyphens, the first a capital's, and a word or more left after the artist's: a scene release's lowercase "01-artist-title-(original_mix)" is
``scenenames``' and "Jay-Z", "Wu-Tang" alone are names. No artist of the library's: as it was.
"""

from __future__ import annotations

import re

from recsys.catalog.sitenames import without_site_names
from recsys.labels import label_key

_SLUG = re.compile(r"[A-Z0-9][^\W_]*(?:-[^\W_]+)+")
#: the words a slug writes between an artist and a guest
_JOINS = frozenset(("ft", "feat", "featuring", "x", "and"))


def slug_name(stem: str, known: frozenset[str]) -> str:
    """``stem`` without the site's name (``sitenames``) as "Artist - Title" where it is a
    post's slug whose first words are an artist of ``known`` (``label_key``\\ s); else as it is."""
    bare = without_site_names(stem) if known else stem
    if not known or _SLUG.fullmatch(bare) is None or bare[0].isdigit():
        return stem
    words = bare.split("-")
    end = _artist_end(words, 0, known)
    if end is None:
        return stem
    while end < len(words) - 1 and words[end].casefold() in _JOINS:
        guest = _artist_end(words, end + 1, known)
        if guest is None:
            break
        end = guest
    return " ".join(words[:end]) + " - " + " ".join(words[end:])


def _artist_end(words: list[str], start: int, known: frozenset[str]) -> int | None:
    """Where the longest artist of ``known`` that ``words`` name from ``start`` ends, leaving
    a word after it; None where none does."""
    for end in range(len(words) - 1, start, -1):
        if label_key(" ".join(words[start:end])) in known:
            return end
    return None
