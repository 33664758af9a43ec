"""What a music folder's files' tags gave, kept between reads: a file whose size and mtime
are those of the last read is not opened again.

Reading a 50,000-file folder opens every file with mutagen (about half a millisecond each
from a warm page cache, far more from a laptop's cold disk): 23 s of a re-ingest in which
nothing changed, and of every ``verify``. The sync already trusts size and mtime to call a
track unchanged (``ingest.sync``); the reader does the same here with what only the file's
bytes give (tags, embedded cover and lyrics, the problems met reading them), keyed on its
path relative to the folder. What other files give (a ``cover.jpg``, an ``.lrc`` beside it,
the folder's other names) is read again on every read.

One file per music folder under ``RECSYS_HOME/cache/tags`` (the user's own data folder),
written whole and replaced atomically: two pickles, a small header (the reader's version, the
folder) and the entries. It is thrown away when the reader's rules change: its version is a
hash of the catalog package's source and mutagen's version, so a fixed rule never keeps a
stale record. An embedded cover whose extracted file is gone is read again.

Each read of a folder prunes the others' files (``prune``): those of an older reader, which
no read would use, and those of a folder since renamed or deleted (15 MB for 50,000 files,
kept until someone emptied the folder by hand). A folder whose parent is gone as well (a disk
not mounted now) keeps its file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import mutagen

#: a file modified this recently is read but not kept: a file system's clock ticks in
#: milliseconds (or seconds), so a second save within the tick of the first (same size, same
#: mtime) would look unchanged; git's index does the same with its "racily clean" entries
RACY_NS = 2_000_000_000

#: what one file's read gave: (track, which fields its tags gave, its problem messages, the
#: chapters of a long file: ``chapters``, the cue sheet in an album image's tags: ``cuesheets``)
Entry = tuple[Any, Any, tuple[str, ...], tuple[tuple[float, str], ...], Any]

#: a cache file's name ends so; the ``.pickle`` files of the format before the header are
#: an older reader's, and pruned as such
SUFFIX = ".tags"


@lru_cache(maxsize=1)
def reader_version() -> str:
    """A hash of every module of ``recsys.catalog`` and mutagen's version."""
    h = hashlib.sha256(mutagen.version_string.encode())
    for source in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(source.name.encode())
        h.update(source.read_bytes())
    return h.hexdigest()[:16]


def _stamp(info: os.stat_result) -> tuple[int, int]:
    return info.st_size, info.st_mtime_ns


class TagCache:
    """The entries of one music folder: ``get`` a file's when its stat is unchanged, ``put``
    what a read gave, ``save`` once at the end (entries of files not met again are dropped)."""

    def __init__(self, folder: Path | None, root: Path) -> None:
        self.root = str(root)
        self.path = None if folder is None else folder / (hashlib.sha1(self.root.encode()).hexdigest()[:20] + SUFFIX)
        self._old: dict[str, tuple[tuple[int, int], Entry]] = {}
        self._new: dict[str, tuple[tuple[int, int], Entry]] = {}
        self.hits = self.misses = 0
        if folder is not None:
            prune(folder, keep=self.path)
        if self.path is not None and self.path.is_file():
            try:
                with open(self.path, "rb") as fh:
                    if _header(fh) == (reader_version(), self.root):
                        self._old = pickle.load(fh)
            except Exception:  # noqa: BLE001 - a torn or foreign file is an empty cache
                self._old = {}

    def get(self, relative: str, info: os.stat_result) -> Entry | None:
        found = self._old.get(relative)
        if found is None or found[0] != _stamp(info):
            self.misses += 1
            return None
        cover = found[1][0].cover_path
        if cover is not None and not os.path.exists(cover):  # the extracted cover was removed
            self.misses += 1
            return None
        self.hits += 1
        self._new[relative] = found
        return found[1]

    def put(self, relative: str, info: os.stat_result, entry: Entry) -> None:
        if abs(time.time_ns() - info.st_mtime_ns) < RACY_NS:
            self.misses += 1  # read again next time, when its mtime says something
            return
        self._new[relative] = (_stamp(info), entry)

    def save(self) -> None:
        """Write the entries met in this read, unless nothing changed; a folder that cannot be
        written to only costs the next read its speed."""
        if self.path is None or (self.misses == 0 and len(self._new) == len(self._old)):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tags-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    # the header first, on its own: ``prune`` reads it without the entries
                    pickle.dump((reader_version(), self.root), fh, protocol=pickle.HIGHEST_PROTOCOL)
                    pickle.dump(self._new, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass


def _header(fh: Any) -> tuple[str, str] | None:
    """(reader version, music folder) of an open cache file; None for anything else."""
    head = pickle.load(fh)
    if isinstance(head, tuple) and len(head) == 2 and all(isinstance(x, str) for x in head):
        return head
    return None


def _unused(path: Path) -> bool:
    """Whether the cache file ``path`` can serve no read again: an older reader's (or the
    format before the header), or its music folder is gone while the folder's parent is
    there (renamed or deleted, not a disk that is not mounted now)."""
    if path.suffix != SUFFIX:
        return path.suffix == ".pickle"
    try:
        with open(path, "rb") as fh:
            head = _header(fh)
    except Exception:  # noqa: BLE001 - a torn file: the next write of its folder replaces it
        return False
    if head is None or head[0] != reader_version():
        return True
    root = Path(head[1])
    return not root.exists() and root.parent.is_dir() and not _mount_point(root.parent)


#: where removable disks are mounted, each in a folder of its own (macOS, udisks, by hand)
_MOUNT_BASES = frozenset({"/Volumes", "/media", "/mnt", "/run/media"})


def _mount_point(folder: Path) -> bool:
    """Whether ``folder`` may be where a disk not mounted now goes: a folder of mount points
    ("/Volumes", "/media/<user>"), or an empty folder (an fstab mount point left bare)."""
    if str(folder) in _MOUNT_BASES or str(folder.parent) in {"/media", "/run/media"}:
        return True
    try:
        return not any(folder.iterdir())
    except OSError:
        return True


def prune(folder: Path, keep: Path | None = None) -> list[Path]:
    """Delete the cache files in ``folder`` that no read would use again (``_unused``), but
    ``keep``; the files deleted. A file that cannot be deleted stays (it costs disk space only)."""
    gone: list[Path] = []
    try:
        candidates = [p for p in folder.iterdir() if p.is_file() and p != keep and not p.name.startswith(".")]
    except OSError:
        return gone
    for path in candidates:
        if _unused(path):
            try:
                path.unlink()
                gone.append(path)
            except OSError:
                pass
    return gone
