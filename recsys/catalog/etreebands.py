"""The bands a taper's file names abbreviate: "gd77-05-08d1t01" is the Grateful Dead's.

etree.org's traders and the Live Music Archive (archive.org's ``etree`` collection) name a show's
files by an abbreviation of the band ("gd", "ph", "wsp", "sts9"), then the date, disc and track
(``tapershows``). A show folder with its info file or the Archive's XML names the band in full;
one without any (a trade's bare FLACs, a folder copied without its text) named no one: its files
were tracks by no artist, each of no album. For the most-taped bands the abbreviation is a
convention every trader and the Archive share, so it names the band itself.

Only this short list, each one sure; an abbreviation not in it names no one, as before (a
guessed one would give a whole archive the wrong band). The names are as the Archive's items
write their creator ("moe.", "The String Cheese Incident").
"""

from __future__ import annotations

from recsys.catalog.model import normalise_title

#: the etree abbreviation (as the file name writes it, casefolded) -> the band
ETREE_BANDS: dict[str, str] = {
    "gd": "Grateful Dead",
    "jgb": "Jerry Garcia Band",
    "dso": "Dark Star Orchestra",
    "ph": "Phish",
    "phish": "Phish",
    "tab": "Trey Anastasio Band",
    "dmb": "Dave Matthews Band",
    "wsp": "Widespread Panic",
    "abb": "The Allman Brothers Band",
    "sci": "The String Cheese Incident",
    "ymsb": "Yonder Mountain String Band",
    "moe": "moe.",
    "um": "Umphrey's McGee",
    "umphreys": "Umphrey's McGee",
    "sts9": "Sound Tribe Sector 9",
    "jrad": "Joe Russo's Almost Dead",
    "gsbg": "Greensky Bluegrass",
    "rre": "Railroad Earth",
    "kw": "Keller Williams",
    "mmw": "Medeski Martin & Wood",
    "lotus": "Lotus",
}

#: the folders a taper files shows under, which the folder layout reads as their artist
#: ("Tapes/gd1977-05-08.sbd/"): no band's name where the file's own name gives one
TAPE_FOLDERS = frozenset(normalise_title(n) for n in (
    "Live", "Lives", "Live Shows", "Live Recordings", "Shows", "Concerts", "Live Concerts", "Tapes",
    "Live Tapes", "Bootlegs", "Boots", "Soundboards", "SBD", "AUD", "etree", "Live Music Archive", "LMA",
    "Archive", "Tapers", "Trades",
))


def etree_band(abbreviation: str) -> str:
    """The band an etree abbreviation names ("gd": "Grateful Dead"), "" for one not listed."""
    return ETREE_BANDS.get(abbreviation.casefold(), "")


def tape_folder(name: str) -> bool:
    """Whether a folder's name ("Tapes", "Live", "Bootlegs") sorts shows and names no band."""
    return normalise_title(name) in TAPE_FOLDERS
