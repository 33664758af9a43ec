"""Downloads a P2P program left unfinished: no tracks, said once a folder.

LimeWire (and FrostWire, its fork) writes a download into its ``Incomplete`` folder as
"T-<size>-<name>", the size the whole file's in bytes ("T-4523008-Shakira - Hips Dont Lie.mp3"),
and moves it to ``Saved`` under its own name once every byte came; Ares Galaxy names its
unfinished ones "___ARESTRA___<name>". An old PC's music folder holds those left behind when the
program was closed: a third of a song, or none of it. Read as tracks they were songs that stop
mid-verse (or "empty file" problems, one a file), and the untagged ones were by the artist
"T-5120331-Nelly Furtado". Such a file whose size is under the size its name gives (any Ares
one) is no track: one notice a folder says how many and how much of them came. One whose bytes
all came is a track, read by its name without the program's mark (``without_download_mark``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: LimeWire's "T-4523008-" (a preview's "Preview-T-4523008-"), Ares' "___ARESTRA___"
_LIMEWIRE = re.compile(r"^(?:Preview-)?T-(\d{1,12})-(?=\S)")
_ARES = re.compile(r"^___ARESTRA___(?=\S)")


def without_download_mark(stem: str) -> str:
    """A file name without the mark a P2P program put before it while it downloaded
    ("T-4523008-Song" -> "Song")."""
    if not stem.startswith(("T-", "Preview-T-", "___ARESTRA___")):
        return stem
    return _ARES.sub("", _LIMEWIRE.sub("", stem, count=1), count=1)


def incomplete_download(path: Path, name: str) -> tuple[int, int] | None:
    """(bytes there, bytes the whole file has; 0 when the name does not say) when ``name`` is a
    P2P program's unfinished download; None for any other file (a LimeWire name whose bytes all
    came, or one that cannot be read, is left to the reader)."""
    if not name.startswith(("T-", "Preview-T-", "___ARESTRA___")):
        return None
    limewire = _LIMEWIRE.match(name)
    if limewire is None and not _ARES.match(name):
        return None
    try:
        size = os.stat(path).st_size
    except OSError:
        return None
    whole = int(limewire.group(1)) if limewire else 0
    return (size, whole) if limewire is None or size < whole else None


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def incomplete_lines(found: dict[str, list[tuple[int, int]]]) -> list[tuple[str, str]]:
    """(folder, message) for each folder: ``found`` maps a folder to the (bytes there, whole
    size) of its unfinished downloads."""
    lines = []
    for folder, sizes in sorted(found.items()):
        n = len(sizes)
        there, whole = sum(s for s, _ in sizes), sum(w for _, w in sizes)
        came = f", {_megabytes(there)} of {_megabytes(whole)}" if all(w for _, w in sizes) else ""
        lines.append((folder or ".", f"{n} unfinished download{'s' if n > 1 else ''} (LimeWire's \"T-<size>-Song.mp3\","
                      f" Ares' \"___ARESTRA___Song.mp3\"{came}): part of a song at most; not tracks. Download"
                      f" {'them' if n > 1 else 'it'} again to include {'them' if n > 1 else 'it'}"))
    return lines
