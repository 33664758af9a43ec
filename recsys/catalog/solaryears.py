"""A Persian (Solar Hijri) year in a date tag: "۱۳۵۵" is 1976, not 1355.

Iran dates by the Solar Hijri calendar, and a Persian tagger or download site writes a song's
year so, in Persian digits ("۱۳۵۵") or in ASCII ones beside Persian words ("1355", "۱۳۵۵ ش",
"1355 خورشیدی"). Read as a Gregorian year, Googoosh's 1970s songs were dated 1352 to 1356, a
row of their own at the top of ``facets years`` and no year a ``--year 1976`` finds.

A year of the Solar Hijri range that recordings have (``SOLAR_YEARS``, 1900 to 2041 in
Gregorian years) is read as the Gregorian year it mostly overlaps (a Solar Hijri year begins at
Nowruz, March 20 or 21: 1355 is March 1976 to March 1977, mostly 1976; +621) where the
date is Persian: written in Persian digits, or in a tag whose date or names use Persian letters
(``PERSIAN_LETTERS``, which Arabic has not). An early-music track's "1350" in a Latin-lettered
tag stays 1350, and so does an Arab's date in Arabic-Indic digits ("١٩٦٧"), which is Gregorian.
"""

from __future__ import annotations

from typing import Iterable

#: the Persian digits (Arabic script's "Extended Arabic-Indic" digits, U+06F0-06F9)
PERSIAN_DIGITS = frozenset("۰۱۲۳۴۵۶۷۸۹")
#: the letters Persian writes and Arabic does not: peh, tcheh, jeh, gaf, keheh, Farsi yeh
PERSIAN_LETTERS = frozenset("پچژگکی")
#: the Solar Hijri years of recorded music: 1279 (1900) to 1420 (2041)
SOLAR_YEARS = range(1279, 1421)
#: a Solar Hijri year plus this is the Gregorian year it mostly overlaps
SOLAR_OFFSET = 621


def persian(text: str) -> bool:
    """Whether ``text`` has a Persian digit or a letter of Persian's own."""
    return any(c in PERSIAN_DIGITS or c in PERSIAN_LETTERS for c in text)


def gregorian_year(year: int, written: str, names: Iterable[str] = ()) -> int:
    """``year``, read of the date tag's text ``written``, as a Gregorian year: a Solar Hijri
    year's Gregorian one where the date is Persian (its text, or one of the track's ``names``,
    its title, artist or album, says so), else ``year`` itself."""
    if year in SOLAR_YEARS and (persian(written) or any(persian(n) for n in names)):
        return year + SOLAR_OFFSET
    return year
