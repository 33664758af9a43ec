"""A live-concert taper's show folders: untagged files named the etree way, read with their show.

etree.org's traders and the Live Music Archive (archive.org's ``etree`` collection) keep a show
in a folder of its own ("gd1977-05-08.sbd.hicks.4982.sbeok.shnf", "ph1997-12-31.mtx.flac16"),
its files named by band abbreviation, date, disc and track ("gd77-05-08d1t01.flac",
"ph971231d2t05.flac", "moe2003-07-04t12.flac") and mostly untagged. Read alone each was a song
titled "gd77-05-08d1t01" by no one, of no album: a whole archive of nameless tracks. What names
them lies beside them:

- the info file (``showinfo``): band, date, venue, setlist; each song matched to its file by
  disc and track ("d2t01", or "01." under "Disc 2"), by track alone where the files number
  across the show ("moe2003-07-04t12"), else by order where the setlist has as many songs as
  the folder has recordings;
- an Archive download's ``<identifier>_files.xml`` (each file's ``<title>``, ``<creator>``,
  ``<album>``; a derivative's, "_vbr.mp3", names its original too) and ``_meta.xml`` (the
  item's ``creator``, ``date``, ``venue``, ``coverage``).

A file so read takes the song's title, the band as its artist, the show as its album ("1977-05-08
- Barton Hall, Cornell University": the Archive's own album shape, as its tagged MP3
derivatives carry it, so a show's FLACs and its MP3s are one album), and the show's year. A
file's own tags win: only a file whose tags give no title, artist nor album is read so, and only
where its name follows the scheme (a real date among them) and the text beside it writes that
date (``showinfo``). Two shows' "Bertha" are versions of one song to the results' dedup, as a
"(Live)" title is today (``recsys.query.titles``): the album and year tell the shows apart.

A folder with no such text (a trade's bare FLACs) names the band by its files' abbreviation
where it is one of the most-taped bands' (``etreebands``: "gd" the Grateful Dead, "wsp"
Widespread Panic), unless a folder above names a band ("Grateful Dead/gd1977-05-08/"; not
"Tapes/" or "Live/", which sort shows): such a file keeps its name as its title and takes the
band, the show's date as its album ("1977-05-08"; a folder's name a person gave, "gd77-05-08
Barton Hall", stays its album) and its year. Not where an info file is the show's: a band line
the abbreviation does not fit leaves the band unnamed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import date as Date
from pathlib import Path

from recsys.catalog.categoryfolders import container_folder
from recsys.catalog.etreebands import etree_band, tape_folder
from recsys.catalog.folderlayout import Tagged
from recsys.catalog.listing import FolderFiles
from recsys.catalog.model import TrackRecord, read_small, small_text
from recsys.catalog.showinfo import SetlistEntry, ShowInfo, full_year, read_show_info
from recsys.catalog.suffixes import recording_name
from recsys.catalog.xmlfiles import parse_xml

#: "gd77-05-08d1t01", "ph971231d2t05", "moe2003-07-04t12", "sts92005-12-31d1t01", "ph1997-12-31s2t03"
SHOW_FILE = re.compile(
    r"^(?P<band>[a-z][a-z0-9]*?)(?P<year>(?:19|20)\d{2}|\d{2})-?(?P<month>\d{2})-?(?P<day>\d{2})"
    r"[._]?(?:d(?P<disc>\d{1,2})|s\d)?t(?P<track>\d{1,3})$",
    re.IGNORECASE,
)
#: an info file, a checksum list, an Archive item's XML: read beside a show's files up to this
MAX_SHOW_TEXT_BYTES = 256 * 1024
MAX_ITEM_XML_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class ShowFile:
    """What an etree file name says: the band's abbreviation, the show's date, disc and track."""

    band: str
    date: Date
    disc: int | None
    track: int


@dataclass(frozen=True)
class ItemFile:
    """One ``<file>`` of an Archive item's ``_files.xml``: the names the Archive gave it."""

    title: str
    creator: str
    album: str


@dataclass(frozen=True)
class ItemMeta:
    """An Archive item's ``_meta.xml``: its creator (the band), date, venue and coverage (city)."""

    creator: str
    date: str
    venue: str
    coverage: str


def show_file(name: str) -> ShowFile | None:
    """The show a file's name names ("gd77-05-08d1t01.flac"; an Archive derivative's "_vbr"
    left out), or None where it follows no etree scheme or its date is no date."""
    match = SHOW_FILE.match(recording_name(name))
    if match is None:
        return None
    try:
        when = Date(full_year(int(match["year"])), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    disc = int(match["disc"]) if match["disc"] else None
    return ShowFile(match["band"].casefold(), when, disc, int(match["track"]))


def _xml(path: Path) -> ET.Element | None:
    """An item XML's root; None where it is too large, declares entities, or is no XML."""
    data = read_small(path, MAX_ITEM_XML_BYTES)
    return parse_xml(data) if data is not None else None


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def item_files(path: Path) -> dict[str, ItemFile]:
    """An Archive ``_files.xml``'s titled files by their recording's name, lowercased: a file's
    own entry, else a derivative's of the same recording ("x_vbr.mp3" names "x.flac")."""
    root = _xml(path)
    found: dict[str, ItemFile] = {}
    if root is None:
        return found
    for element in root.iter("file"):
        name, title = element.get("name", ""), _text(element, "title")
        if not name or not title:
            continue
        entry = ItemFile(title, _text(element, "creator"), _text(element, "album"))
        key = recording_name(Path(name).name).casefold()
        if element.get("source") == "original" or key not in found:
            found[key] = entry
    return found


def item_meta(path: Path) -> ItemMeta | None:
    """An Archive ``_meta.xml``'s creator, date, venue and coverage; None without a creator."""
    root = _xml(path)
    if root is None or not _text(root, "creator"):
        return None
    return ItemMeta(_text(root, "creator"), _text(root, "date"), _text(root, "venue"), _text(root, "coverage"))


@dataclass(frozen=True)
class _Show:
    """What a folder says of the show its files name."""

    info: ShowInfo | None
    files: dict[str, ItemFile]
    meta: ItemMeta | None


def _read_show(folder: Path, listed: FolderFiles, first: ShowFile, stems: set[str]) -> _Show:
    files: dict[str, ItemFile] = {}
    meta: ItemMeta | None = None
    for path in listed.ending(folder, ("_files.xml",)):
        files.update(item_files(path))
    for path in listed.ending(folder, ("_meta.xml",)):
        found = item_meta(path)
        if found is not None and found.date[:10] == first.date.isoformat():
            meta = found
    info = None
    # the show's own text first ("gd1977-05-08....txt", "info.txt"); a track's lyrics are not
    texts = sorted((p for p in listed.ending(folder, (".txt",)) if p.stem.casefold() not in stems),
                   key=lambda p: (first.date.isoformat() not in p.name and p.name.casefold() != "info.txt", p.name))
    for path in texts:
        data = read_small(path, MAX_SHOW_TEXT_BYTES)
        if not data:
            continue
        # written on Windows, as most were: cp1252, or Notepad's "Unicode" (UTF-16)
        info = read_show_info(small_text(data), first.date, first.band)
        if info is not None:
            break
    return _Show(info, files, meta)


def _setlist_titles(names: list[ShowFile], entries: tuple[SetlistEntry, ...]) -> list[str]:
    """Each recording's song ("" for none): by disc and track, by track across the show, else
    by order where the setlist has one song for each recording."""
    by_disc = {(e.disc, e.number): e.title for e in entries if e.number is not None}
    numbers = [e.number for e in entries if e.number is not None]
    by_number = {e.number: e.title for e in entries} if len(set(numbers)) == len(numbers) == len(entries) else {}
    # "1. Bertha" with no disc named, beside one disc's "d1t01": numbered across the show
    one_disc = len({n.disc for n in names}) == 1 and all(e.disc is None for e in entries)
    titles = [by_disc.get((n.disc, n.track)) or (by_number.get(n.track, "") if n.disc is None or one_disc else "")
              for n in names]
    if all(titles):
        return titles
    if len(entries) == len(names):  # the same count: by order
        return [e.title for e in entries]
    return titles


def _album(date: Date, venue: str) -> str:
    return f"{date.isoformat()} - {venue}" if venue else date.isoformat()


def _identifier(folder: str, name: ShowFile) -> bool:
    """Whether a folder's name is the show's etree identifier, no album a person named: the
    files' band abbreviation and date, then source marks, no space ("gd1977-05-08.sbd.hicks.4982
    .sbeok.shnf", "ph971231.flac16"), unlike "gd77-05-08 Barton Hall"."""
    folder = folder.casefold()
    if any(c.isspace() for c in folder) or not folder.startswith(name.band):
        return False
    d = name.date
    dates = {f"{y}{sep}{d.month:02d}{sep}{d.day:02d}" for y in (f"{d.year}", f"{d.year % 100:02d}") for sep in ("-", "")}
    return any(folder[len(name.band):].startswith(when) for when in dates)


def _bare_show(track: TrackRecord, tags: Tagged, name: ShowFile) -> tuple[TrackRecord, Tagged]:
    """A file of a show with no text beside it, read by its name alone where its abbreviation
    is a listed band's (``etreebands``): that band, unless a folder above names one
    ("Grateful Dead/gd1977-05-08/"; not one that sorts shows: "Tapes/", "Live/"); the album a
    folder's name gives where a person named it ("gd77-05-08 Barton Hall"; not "1977", nor the
    show's etree identifier), else the show's date; the show's year. Its title stays its name.
    Any other file as it is."""
    band = etree_band(name.band)
    if not band:
        return track, tags
    from_table = not track.artist or tape_folder(track.artist)
    keep_album = bool(track.album) and not (container_folder(track.album) or tape_folder(track.album)
                                            or _identifier(track.album, name))
    out = replace(track, artist=band if from_table else track.artist,
                  album=track.album if keep_album else _album(name.date, ""),
                  year=track.year if track.year is not None else name.date.year)
    return out, Tagged(artist=from_table, title=tags.title, album=tags.album or not keep_album)


def with_show_info(tracks: list[TrackRecord], tagged: list[Tagged],
                   listed: FolderFiles) -> tuple[list[TrackRecord], list[Tagged]]:
    """``tracks`` and ``tagged``, each untagged file named the etree way read with its show's
    info file or Archive XML beside it (title, band, show as album, year), or, with neither, by
    the band its name abbreviates (``_bare_show``)."""
    folders: dict[Path, list[tuple[int, ShowFile]]] = {}
    for i, (t, tags) in enumerate(zip(tracks, tagged)):
        if t.audio_path is None or t.audio_start is not None or tags.title or tags.artist or tags.album:
            continue
        path = Path(t.audio_path)
        name = show_file(path.name)
        if name is not None:
            folders.setdefault(path.parent, []).append((i, name))
    tracks, tagged = list(tracks), list(tagged)
    for folder, members in folders.items():
        first = members[0][1]
        # one show a folder: files of another band or date beside them are left as they are
        members = [(i, n) for i, n in members if (n.band, n.date) == (first.band, first.date)]
        stems = {recording_name(Path(tracks[i].audio_path or "").name).casefold() for i, _ in members}
        show = _read_show(folder, listed, first, stems)
        if show.info is None and not show.files and show.meta is None:
            # nothing beside the files is the show's: the band its abbreviation names ("gd").
            # Not where an info file is: its band line that the abbreviation does not fit
            # ("Trey Anastasio" over "ph") may name the band better than the table
            for i, n in members:
                tracks[i], tagged[i] = _bare_show(tracks[i], tagged[i], n)
            continue
        # one recording in several formats (x.flac, x.mp3) is one song of the setlist
        recordings = sorted({(n.disc or 0, n.track): n for _, n in members}.values(), key=lambda n: (n.disc or 0, n.track))
        sung = dict(zip(((n.disc, n.track) for n in recordings),
                        _setlist_titles(recordings, show.info.entries) if show.info else [""] * len(recordings)))
        band = (show.meta.creator if show.meta else "") or (show.info.band if show.info else "")
        venue = (show.meta.venue if show.meta else "") or (show.info.venue if show.info else "")
        for i, n in members:
            item = show.files.get(recording_name(Path(tracks[i].audio_path or "").name).casefold())
            title = (item.title if item else "") or sung[(n.disc, n.track)]
            artist = (item.creator if item else "") or band
            album = (item.album if item else "") or _album(n.date, venue)
            t = tracks[i]
            tracks[i] = replace(t, title=title or t.title, artist=artist or t.artist, album=album,
                                year=t.year if t.year is not None else n.date.year)
            tagged[i] = Tagged(artist=bool(artist), title=bool(title), album=True)
    return tracks, tagged
