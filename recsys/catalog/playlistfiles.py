"""The playlists a music folder holds: ``.m3u``, ``.m3u8``, ``.pls`` and ``.xspf`` files a player
or a person saved beside the music.

A playlist is what its owner put together, and recsys uses it as a manifest's ``playlists``
are used: its tracks get co-occurrence edges in the graph (``build_graph``) and training takes
them as positive pairs. Each track of a playlist carries its name: the playlist file's path
under the library, without its suffix ("Playlists/Road Trip"), so two playlists of one name in
two folders stay two.

Entries are read as players write them: relative to the playlist's folder, absolute,
``file://`` URLs (percent-encoded; an XSPF's every ``<location>`` is a URI, so its relative
ones are percent-decoded too), Windows paths with backslashes or a drive letter. A
playlist written on another machine, or before the library moved, names paths that are not
here: an entry is then matched by the longest tail of its path that is a file of the library
("D:\\Music\\Artist\\Album\\01 x.mp3" finds "Artist/Album/01 x.mp3"), and a tail must hold the
file's folder too (a bare file name is too common: "01 Intro.mp3"). Streams (``http://``) and
anything else are passed over. A playlist none of whose entries is a file here is one problem
line (its paths are likely from elsewhere); stale entries among found ones say nothing, as a
player says nothing of them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Mapping
from urllib.parse import unquote, urlsplit

from recsys.catalog.listing import relative_text
from recsys.catalog.model import CatalogProblem, read_small, small_text
from recsys.catalog.xmlfiles import parse_xml

PLAYLIST_SUFFIXES = (".m3u", ".m3u8", ".pls", ".xspf")
#: a playlist file larger than this is no playlist (100k entries of 40 bytes)
MAX_PLAYLIST_BYTES = 4 * 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_PLS_FILE = re.compile(r"^\s*File\d+\s*=\s*(.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Playlist:
    name: str  # its path under the library, without its suffix
    entries: tuple[str, ...]  # as written, in order


def _text(data: bytes, suffix: str) -> str:
    # .m3u8 is UTF-8 by definition; a .m3u or .pls is what the player's system used (Winamp's:
    # the Windows code page), UTF-8 where it decodes as such; one saved as Notepad's "Unicode"
    # (UTF-16 with its byte-order mark) is UTF-16, which no other reading finds a path in
    return small_text(data, "cp1252" if suffix != ".m3u8" else "utf-8")


def read_playlist(path: Path, root: Path) -> Playlist | None:
    """The playlist at ``path`` (under ``root``), or None when it cannot be read or is too
    large to be one."""
    data = read_small(path, MAX_PLAYLIST_BYTES)
    if data is None:
        return None
    suffix = path.suffix.lower()
    if suffix == ".xspf":  # XML: its encoding is its own to declare
        entries = _xspf_locations(data)
    elif suffix == ".pls":
        entries = [m.group(1) for line in _text(data, suffix).splitlines() if (m := _PLS_FILE.match(line))]
    else:
        lines = _text(data, suffix).splitlines()
        entries = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    name = unicodedata.normalize("NFC", path.relative_to(root).with_suffix("").as_posix())
    return Playlist(name=name, entries=tuple(entries))


def _local(tag: object) -> str:
    """An XML element's name without its namespace ("{http://xspf.org/ns/0/}track": "track")."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _xspf_locations(data: bytes) -> list[str]:
    """The first ``<location>`` of each ``<track>`` of an XSPF playlist's ``<trackList>`` (VLC's
    and Rhythmbox's own format; a track's further locations are alternatives of one entry). A
    location is a URI: a ``file://`` URL is kept for ``_entry_path``, a relative one (a path
    from the playlist's folder, "Band/01%20One.flac") is percent-decoded here. A file that is
    not XML, or that declares entities (no player writes any; an "XML bomb" does), has none."""
    root = parse_xml(data)
    if root is None:
        return []
    out: list[str] = []
    for track_list in (e for e in root if _local(e.tag) == "trackList"):
        for track in (e for e in track_list if _local(e.tag) == "track"):
            where = next((e.text.strip() for e in track if _local(e.tag) == "location" and e.text and e.text.strip()),
                         None)
            if where is not None:
                out.append(where if "://" in where[:12] or where.lower().startswith("file:") else unquote(where))
    return out


def _entry_path(entry: str) -> tuple[str, bool] | None:
    """(the entry as a POSIX path, whether it is absolute), or None for a stream or a URL of
    another kind."""
    entry = entry.strip().strip('"')
    if "://" in entry[:12] or entry.lower().startswith("file:"):
        parts = urlsplit(entry)
        if parts.scheme.lower() != "file":
            return None
        entry = unquote(parts.path)
        if _DRIVE.match(entry.lstrip("/")):  # file:///C:/Music/x.mp3
            entry = entry.lstrip("/")
    if _DRIVE.match(entry) or entry.startswith("\\\\"):  # C:\Music\x.mp3, \\server\share\x.mp3
        return entry.replace("\\", "/"), True
    if "\\" in entry and "/" not in entry:  # ..\Album\x.mp3, written on Windows
        entry = entry.replace("\\", "/")
    return entry, entry.startswith("/")


class PlaylistIndex:
    """A library's audio files, by their path under the root and by tails of it, to find a
    playlist entry's file."""

    def __init__(self, root: Path, files: Iterable[Path]):
        self.root = root
        self._by_key: dict[str, Any] = {}
        self._by_tail: dict[str, Any] = {}  # None: two files share the tail
        for f in files:
            self._add(self._key(relative_text(f, root)), f)  # from the texts: no Path made a file

    def _add(self, rel: str, f: Any) -> None:
        self._by_key[rel] = f
        parts = rel.split("/")
        for i in range(len(parts) - 1):  # tails of two parts or more: a folder and the file
            tail = "/".join(parts[i:])
            self._by_tail[tail] = f if tail not in self._by_tail else None

    @classmethod
    def of_paths(cls, paths: Iterable[str], entries: Iterable[str] | None = None) -> PlaylistIndex:
        """An index of files known by their paths as text (a collection's stored paths:
        absolute, or relative to where the ingest ran), rooted at "/": ``find`` gives the path
        as given. With ``entries``, only the files named as one of them is (a tail ends with
        the file's name, so the others could match none): a 300-entry playlist indexes some
        300 files of a collection's 20,000, not all (0.3 s)."""
        names = None if entries is None else {
            cls._key(got[0].rpartition("/")[2]) for e in entries if (got := _entry_path(e)) is not None}
        index = cls(Path("/"), ())
        for path in paths:
            key = cls._key(path.replace(os.sep, "/").lstrip("/"))
            if names is None or key.rpartition("/")[2] in names:
                index._add(key, path)
        return index

    @staticmethod
    def _key(path: str) -> str:
        return unicodedata.normalize("NFC", path).casefold()

    def find(self, entry: str, folder: Path) -> Any:
        """The library file an entry of a playlist in ``folder`` names (as the index was given
        it), or None."""
        got = _entry_path(entry)
        if got is None or not got[0]:
            return None
        text, absolute = got
        rel = _relative(PurePosixPath(text if absolute else (folder / text).as_posix()), self.root)
        if rel is not None and (hit := self._by_key.get(self._key(rel))) is not None:
            return hit
        parts = self._key(text).split("/")
        for i in range(len(parts) - 1):  # the longest tail first
            hit = self._by_tail.get("/".join(parts[i:]))
            if hit is not None:
                return hit
        return None


def _relative(path: PurePosixPath, root: Path) -> str | None:
    """``path`` ("..", "." resolved) under ``root``, or None when it is elsewhere."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts and parts[-1] != "/":
                parts.pop()
        elif part != ".":
            parts.append(part)
    normal = PurePosixPath(*parts) if parts else PurePosixPath(".")
    try:
        return normal.relative_to(PurePosixPath(root.as_posix())).as_posix()
    except ValueError:
        return None


def playlist_names(root: Path, playlist_files: Iterable[Path], audio_files: Iterable[Path],
                   problems: list[CatalogProblem]) -> Mapping[Path, tuple[str, ...]]:
    """Audio file -> the names of the playlists that hold it (in the order of the playlist
    files); one problem line for a playlist none of whose entries is a file here."""
    index = PlaylistIndex(root, audio_files)
    out: dict[Path, list[str]] = {}
    for path in playlist_files:
        playlist = read_playlist(path, root)
        if playlist is None or not playlist.entries:
            continue
        found = [index.find(entry, path.parent) for entry in playlist.entries]
        hits = list(dict.fromkeys(f for f in found if f is not None))
        if not hits:
            where = path.relative_to(root).as_posix()
            problems.append(CatalogProblem(
                where, f"none of its {len(playlist.entries)} entries is an audio file of this library "
                f"(first: {playlist.entries[0][:120]!r}): the playlist links no tracks",
            ))
            continue
        for f in hits:
            out.setdefault(f, []).append(playlist.name)
    return {f: tuple(names) for f, names in out.items()}
