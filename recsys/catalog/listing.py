"""Each folder's files, listed once per read of a music folder.

The lookups beside a track (its folder's cover, its lyrics sidecars, the folder's cue sheets)
each listed every album folder again, after the walk that found the audio files had listed it,
and made a ``Path`` of every name in it: 40,000 listings and some 180,000 paths for a
50,000-file library, most of them for names none of the lookups wanted. The walk's names are
kept and shared by the lookups; a lookup makes paths of the names it keeps only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

#: folders a disk or a NAS keeps for itself, never music the user keeps: Windows' recycle bins
#: ("$RECYCLE.BIN", XP's "RECYCLER") and restore points, Synology's recycle bin and its
#: per-file index folders ("#recycle", "@eaDir": a folder for every file, as many again to
#: walk), QNAP's and Asustor's, fsck's "lost+found" and an AFP share's trash. A deleted song
#: in a recycle bin was a track to recommend. Compared without case.
SYSTEM_FOLDERS = frozenset(name.casefold() for name in (
    "$RECYCLE.BIN", "RECYCLER", "RECYCLED", "System Volume Information", "#recycle", "#snapshot",
    "@eaDir", "@Recycle", "@Recently-Snapshot", "@sharebin", "lost+found", "Network Trash Folder",
    "Temporary Items",
))


def hidden_name(name: str) -> bool:
    """Whether a file or folder name is a hidden one (``.git``, ``.Trashes``, macOS's
    ``._Song.mp3``): it begins with a dot, but not with an ellipsis and a name, as a band's
    may ("...And You Will Know Us by the Trail of Dead": its every album was left out)."""
    return name.startswith(".") and not (name.startswith("...") and name.strip(".").strip() != "")


def walked_folder(name: str) -> bool:
    """Whether a walk goes into the folder ``name``: not a hidden one (``hidden_name``) nor a
    disk's or a NAS's own (``SYSTEM_FOLDERS``)."""
    return not hidden_name(name) and name.casefold() not in SYSTEM_FOLDERS


def folder_text(path: Path) -> str:
    """``str(path.parent)`` read off the path's text, no Path made (a ``Path`` made, hashed and
    compared for each track's folder, again in each pass, was a tenth of a warm read of 50,000
    files). A path as ``pathlib`` writes it has no "//", "." or trailing "/" inside; a root's
    "//", a file at the root ("/x") or a bare name ("x") ask the Path."""
    text = str(path)
    head = text.rpartition("/")[0]
    return head if head and not text.startswith("//") else str(path.parent)


def relative_text(path: Path, folder: Path) -> str:
    """``path.relative_to(folder).as_posix()`` read off the texts where ``path``'s begins with
    the folder's (a walk's paths do), no Path made ("." for the folder itself); else, and
    outside it (a ValueError), the Path's own."""
    text, root = str(path), str(folder)
    if text == root:
        return "."
    prefix = root if root.endswith("/") else root + "/"
    return text[len(prefix):] if text.startswith(prefix) else path.relative_to(folder).as_posix()


class FolderFiles:
    """The file names of each folder, in the order the folder lists them: those a walk gave
    (``add``), else listed when first asked for; a folder that cannot be listed has none."""

    def __init__(self) -> None:
        #: folder -> (names, whether each is known to be a regular file: a walk's names are
        #: every entry that is not a folder, a FIFO or a broken link among them)
        self._names: dict[Path, tuple[list[str], bool]] = {}
        #: folder -> the folders in it, as the walk found them (or listed when first asked for)
        self._folders: dict[Path, list[str]] = {}

    def add(self, folder: Path, names: Iterable[str], folders: Iterable[str] | None = None) -> None:
        """The names a walk found in ``folder`` (``os.walk``'s files: anything not a folder),
        and the folders in it where given (its ``dirnames``)."""
        self._names[folder] = (list(names), False)
        if folders is not None:
            self._folders[folder] = list(folders)

    def folders(self, folder: Path) -> list[str]:
        """The names of the folders in ``folder`` (links followed): the walk's, else listed
        once; none for a folder that cannot be listed."""
        found = self._folders.get(folder)
        if found is None:
            try:
                with os.scandir(folder) as entries:
                    found = [e.name for e in entries if _is_dir(e)]
            except OSError:
                found = []
            self._folders[folder] = found
        return found

    def ending(self, folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
        """The regular files (links followed) of ``folder`` whose names end with one of
        ``suffixes`` (lowercase, with their dot), compared without case, in the folder's order."""
        names, regular = self._listed(folder)
        paths = [folder / name for name in names if name.lower().endswith(suffixes)]
        return paths if regular else [p for p in paths if p.is_file()]

    def _listed(self, folder: Path) -> tuple[list[str], bool]:
        found = self._names.get(folder)
        if found is None:
            try:
                with os.scandir(folder) as entries:
                    found = ([e.name for e in entries if _is_file(e)], True)
            except OSError:
                found = ([], True)
            self._names[folder] = found
        return found


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # a link to a folder is followed, as the walk follows it
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()  # the type the listing gave; a link is followed
    except OSError:
        return False
