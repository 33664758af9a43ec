"""A live show's info file: the text a taper ships beside a show's files (etree.org trading, the
Live Music Archive), read for its band, date, venue and setlist.

There is no one format. The header comes first: the band, the date ("1977-05-08", "May 8,
1977", "12/31/97", "Phish - December 31, 1997"), the venue and its city, in that order or with
the venue before the date; a blank line ends it. Then the source and lineage lines ("SBD > Reel
> DAT > CD > EAC > SHN", "Taper:", "Transfer:"), then the setlist, each song on its line:

- by file: "d1t01 - Bertha", "d1t01. Bertha", "gd77-05-08d1t01 Bertha", "t05 Bertha";
- numbered: "01. Bertha", "1) Bertha", under "Disc 2" / "CD 2" headers where each disc
  numbers from 1, or once across the show ("6. Recreational Chemistry" under "Set 2:");
- by order alone: "Bertha >" lines under a "Set I:" or "Encore:" header, up to a blank line.

"Set 1:", "Set II", "E:", "Encore:" head a set or prefix a song ("E: Johnny B. Goode"); segue
marks (">", "->"), durations ("[5:32]", "(5:32)") and a note's mark ("Bertha*") are no part
of a title. An unnumbered song among numbered ones (the encore "E: Johnny B. Goode" after
"11. Sugar Magnolia") is the next number of its disc.

Conservative by design: a text is read as the show's only where its header names the date the
show's file names carry (``read_show_info``'s ``date``), so a ripper's log, lyrics or notes
beside the files are not taken for a setlist; and its band only where the file names'
abbreviation fits it ("gd": Grateful Dead, "ph": Phish, "sts9": Sound Tribe Sector 9).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date

#: the month names a header spells ("May 8, 1977", "8 May 1977", "Dec. 31, 1997")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"\b((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})\b")
_SLASHED = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})\b")  # 05/08/77, 12-31-1997, 8.5.77
_SPELLED = re.compile(r"\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b")
_SPELLED_EU = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3})[a-z]*\.?,?\s+((?:19|20)\d{2})\b")


@dataclass(frozen=True)
class SetlistEntry:
    """One song of a setlist: its disc and number where the line gives them, and its title."""

    disc: int | None
    number: int | None
    title: str


@dataclass(frozen=True)
class ShowInfo:
    """What a show's info file says: its band (""where no header line fits the file names'
    abbreviation), venue, city and its setlist in order."""

    band: str
    venue: str
    city: str
    entries: tuple[SetlistEntry, ...]


def full_year(year: int) -> int:
    """A two-digit year of a show's name as a year: tapes begin in the 1960s ("gd66", "ph97")."""
    return year if year >= 100 else (1900 + year if year >= 60 else 2000 + year)


def _dates_in(line: str, wanted: Date) -> re.Match[str] | None:
    """The part of ``line`` that writes the date ``wanted``, in whichever order it is written."""
    for pattern, order in ((_ISO, "ymd"), (_SPELLED, "mdy"), (_SPELLED_EU, "dmy"), (_SLASHED, None)):
        for match in pattern.finditer(line):
            a, b, c = match.groups()
            if order == "ymd":
                parts = [(int(a), int(b), int(c))]
            elif order in ("mdy", "dmy"):
                month, day = (a, b) if order == "mdy" else (b, a)
                if month[:3].lower() not in _MONTHS:
                    continue
                parts = [(int(c), _MONTHS[month[:3].lower()], int(day))]
            else:  # 05/08/77 (US) or 08.05.77 (Europe): whichever is the date wanted
                parts = [(full_year(int(c)), int(a), int(b)), (full_year(int(c)), int(b), int(a))]
            if (wanted.year, wanted.month, wanted.day) in parts:
                return match
    return None


def fits_abbreviation(name: str, abbreviation: str) -> bool:
    """Whether an etree band abbreviation ("gd", "ph", "sts9", "moe") abbreviates ``name``: its
    first character begins the name and the others follow in order ("Grateful Dead"). A
    leading "The" is no part of it: "sci" is "The String Cheese Incident", "abb" "The Allman
    Brothers Band" (the Archive's own names for them, ``etreebands``)."""
    return any(_fits(n, abbreviation) for n in (name, _THE.sub("", name)))


#: a band name's leading article, which its etree abbreviation leaves out
_THE = re.compile(r"^\s*the\s+", re.IGNORECASE)


def _fits(name: str, abbreviation: str) -> bool:
    letters = re.sub(r"[^a-z0-9]", "", name.casefold())
    abbreviation = abbreviation.casefold()
    if not letters or not abbreviation or letters[0] != abbreviation[0]:
        return False
    rest = iter(letters[1:])
    return all(ch in rest for ch in abbreviation[1:])


#: a line of the source and lineage (no venue nor band): "Source: ...", "SBD > Reel > DAT"
_LINEAGE = re.compile(r"^\s*(?:source|lineage|transfer|taper|taped|recorded|recording|equipment|mics?|"
                      r"seeded|shnid|generation|notes?|conversion|encoded|checksums?)\b|\s>\s", re.IGNORECASE)
#: "Disc 2", "CD One", "Disc II:", "Disc 1 (74:12)"
_DISC = re.compile(r"^\s*(?:disc|disk|cd)\s*(\d{1,2}|one|two|three|four|five|i{1,3}|iv|v)\b[^A-Za-z]*$", re.IGNORECASE)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
#: "Set 1:", "Set II", "Encore:", "E:", "Encore 2", "Second Set:"; with a song after it or alone
_SET = re.compile(r"^\s*(?:set\s*(?:\d|i{1,3}|iv|one|two|three)|(?:first|second|third)\s+set|"
                  r"encore(?:\s*\d)?|e\d?(?=\s*:))\s*:?\s*", re.IGNORECASE)
#: a song by its file's disc and track: "d1t01", "gd77-05-08d1t01", "t05", "s2t03"
_BY_FILE = re.compile(r"^\s*(?:[a-z][a-z0-9]*?(?:19|20)?\d{2}-?\d{2}-?\d{2})?(?:d(\d{1,2})|s\d)?t(\d{1,3})"
                      r"(?:\.(?:flac|shn|wav|mp3))?(?:\s*[-.:)]+\s*|\s+)(\S.*)$", re.IGNORECASE)
#: a numbered song: "01. Bertha", "1) Bertha", "01 - Bertha", "01 Bertha" (padded)
_NUMBERED = re.compile(r"^\s*(?:(\d{1,2})\s*[.):]\s*|(\d{1,2})\s+-\s+|(0\d)\s+)(\S.*)$")
_DURATION = re.compile(r"\s*[\[({]?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*[\])}]?\s*$")
_SEGUE = re.compile(r"\s*(?:-+>|=+>|>+|\u2192|\u00bb)\s*$")
_NOTE_MARK = re.compile(r"(?<=\S)\s*[*#%^@~]+\s*$")


def song_title(text: str) -> str:
    """A setlist line's song without what it marks around it: segues (">", "->"), durations
    ("[5:32]"), a note's "*", a leading ">" or "E:"."""
    title = _SET.sub("", text, count=1) if _SET.match(text) else text
    title = re.sub(r"^\s*(?:-+>|>)\s*", "", title)
    previous = None
    while previous != title:
        previous = title
        title = _NOTE_MARK.sub("", _SEGUE.sub("", _DURATION.sub("", title))).strip()
    return title


def _song_line(line: str) -> tuple[int | None, int | None, str] | None:
    """(disc, number, title) of a numbered or file-named setlist line; None for another."""
    match = _BY_FILE.match(line)
    if match:
        return (int(match.group(1)) if match.group(1) else None), int(match.group(2)), match.group(3)
    match = _NUMBERED.match(line)
    if match:
        return None, int(match.group(1) or match.group(2) or match.group(3)), match.group(4)
    return None


def _entries(lines: list[str]) -> tuple[SetlistEntry, ...]:
    numbered: list[SetlistEntry] = []  # the numbered and file-named lines, unnumbered songs between
    by_order: list[SetlistEntry] = []  # the songs under set headers, numbered or not
    disc: int | None = None
    in_set = False
    seen: set[tuple[int | None, int]] = set()
    for raw in lines:
        line = raw.strip()
        if not line:
            in_set = False
            continue
        if (d := _DISC.match(line)) is not None:
            word = d.group(1).casefold()
            disc, in_set = (int(word) if word.isdigit() else _WORDS[word]), False
            continue
        rest = line
        headed = _SET.match(line)
        if headed is not None:
            in_set, rest = True, line[headed.end():].strip()
            if not rest:
                continue
        song = _song_line(rest)
        if song is not None:
            d, number, text = song
            d = d if d is not None else disc
            if (d, number) in seen and d is not None:
                continue  # a number twice on one disc: a second list (the notes'), not this one
            if (d, number) in seen and disc is None:
                disc = d = (max((e.disc or 1) for e in numbered) + 1) if numbered else 2  # numbering begins again
            seen.add((d, number))
            title = song_title(text)
            if title:
                numbered.append(SetlistEntry(d, number, title))
                by_order.append(SetlistEntry(d, number, title))
        elif in_set and not _LINEAGE.search(rest) and len(rest) <= 80:
            title = song_title(rest)
            if title and not title.startswith(("*", "(", "[")):
                last = numbered[-1] if numbered else None
                follows = last is not None and last.number is not None and last.disc == disc
                if follows:  # the encore after "11. Sugar Magnolia": the next file of that disc
                    numbered.append(SetlistEntry(disc, last.number + 1, title))
                    seen.add((disc, last.number + 1))
                by_order.append(SetlistEntry(disc, None, title))
    return tuple(numbered) if numbered else tuple(by_order)


def _venue_and_city(lines: list[str]) -> tuple[str, str]:
    """The venue and city of the header's other lines: the first is the venue, the next the
    city; "Three Sisters Park, Chillicothe, IL" in one line is the venue and its city."""
    if not lines:
        return "", ""
    venue, city = lines[0], (lines[1] if len(lines) > 1 else "")
    parts = [p.strip() for p in venue.split(",")]
    if len(parts) >= 3 and re.fullmatch(r"[A-Z]{2}", parts[-1]):  # "..., New York, NY": a US city
        venue, city = ", ".join(parts[:-2]), city or ", ".join(parts[-2:])
    return venue, city


#: the parts of a one-line header after its date: " - Madison Square Garden - New York, NY"
_HEADER_PARTS = re.compile(r"\s+[-\u2013|]\s+")


def read_show_info(text: str, show_date: Date, abbreviation: str) -> ShowInfo | None:
    """The show ``text`` describes, where its header writes ``show_date`` (the date of the
    show's file names); None where it does not: no info file of this show."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    header: list[str] = []
    end = start
    for end in range(start, min(len(lines), start + 8)):
        line = lines[end].strip()
        if not line or _LINEAGE.search(line) or _DISC.match(line) or _SET.match(line) or _song_line(line):
            break
        header.append(line)
    else:
        end = min(len(lines), start + 8)
    dated = [i for i, line in enumerate(header) if _dates_in(line, show_date)]
    if not dated:
        return None
    band, others = "", []
    for i, line in enumerate(header):
        pieces = [line]
        if i in dated:
            match = _dates_in(line, show_date)
            assert match is not None
            # a header in one line, "Phish - 12/31/97 - Madison Square Garden - New York, NY":
            # what is before the date and each dash-part after it, a line of its own
            pieces = [line[:match.start()], *_HEADER_PARTS.split(line[match.end():])]
        for plain in (p.strip(" -\u2013,:/|\t") for p in pieces):
            if not band and plain and fits_abbreviation(plain, abbreviation) and i <= dated[0] + 1:
                band = plain
            elif plain and (band or i > 0):
                others.append(plain)
    venue, city = _venue_and_city(others)
    return ShowInfo(band=band, venue=venue, city=city, entries=_entries(lines[end:]))
