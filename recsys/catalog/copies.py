"""Copies of a file beside it: no tracks of their own.

Windows Explorer names a file copied in its own folder "Song - Copy.mp3" ("Song - Copy (2)"),
XP's "Copy of Song.mp3" ("Copy (2) of Song.mp3"), the Finder "Song copy.mp3", a browser's
second download of it "Song (1).mp3" (Firefox's "Song(1).mp3"), Dropbox and
Syncthing their conflict copies. Read as tracks, such a copy was the same song twice: the
answers' dedup left it out, but the artist facet counted it (an album of six tracks counted
twelve), the graph had two nodes of one recording and training paired them as a positive.

A file is a copy when its name without those marks (``filenames.without_copy_marks``) is the
name of an audio file of its folder with the same suffix and the same size, and whose bytes
are its own: its first and last 64 KB first (most files of one size that are no copies differ
there, and a library without such pairs reads no more), then the rest, since a WAV or AIFF of
a revised mix keeps its original's size, header, intro and tail. A copy that was edited
(retagged, cut, remixed in its middle) differs in size or bytes and stays a track. Copies are said, one line a folder (a notice: nothing to repair), and counted as
skipped; deleting them changes nothing, renaming one to a name of its own makes it a track.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from recsys.catalog.filenames import without_copy_marks
from recsys.catalog.suffixes import audio_suffix, name_without_suffix

#: how much of each end of two files of one size is compared
SAMPLE = 64 * 1024


def _same_bytes(a: Path, b: Path, size: int) -> bool:
    try:
        with open(a, "rb") as fa, open(b, "rb") as fb:
            if fa.read(SAMPLE) != fb.read(SAMPLE):
                return False
            if size > SAMPLE:
                fa.seek(max(SAMPLE, size - SAMPLE))
                fb.seek(max(SAMPLE, size - SAMPLE))
                if fa.read(SAMPLE) != fb.read(SAMPLE):
                    return False
                # the ends agree: the middle must too. A WAV or AIFF bounce of a revised mix (or a
                # CBR MP3 of it) has its original's size, header, intro and tail, and differs only
                # where the mix changed: "Mix (1).wav", the second download, is no copy
                fa.seek(SAMPLE)
                fb.seek(SAMPLE)
                left = max(0, size - 2 * SAMPLE)
                while left > 0:
                    n = min(left, _CHUNK)
                    if fa.read(n) != fb.read(n):
                        return False
                    left -= n
            return True
    except OSError:
        return False


_CHUNK = 1 << 20


#: what a copy's name holds somewhere (``filenames._COPY_MARK``'s words, a number in brackets):
#: one search over each name, so that a library without copies pays ~0.3 us a file, not the
#: full rules' 5 us (a quarter of a second at 50,000 files)
_MAYBE_COPY = re.compile(r"c[oó]p(?:y|ie|ia)|kopie|\(\d\)|sync-conflict", re.IGNORECASE)


def copies_of_files_beside(paths: Sequence[Path], sizes: dict[str, int]) -> set[int]:
    """The indexes of ``paths`` that are copies of another of them (module docstring);
    ``sizes``: each path's size, by ``str(path)``."""
    candidates = [i for i, p in enumerate(paths) if _MAYBE_COPY.search(p.name)]
    if not candidates:
        return set()
    by_name = {(p.parent, p.name.casefold()): p for p in paths}
    out: set[int] = set()
    for i in candidates:
        path = paths[i]
        suffix = audio_suffix(path.name)
        stem = name_without_suffix(path.name)
        original = without_copy_marks(stem, bare_prefix=True)  # the original is looked for beside it
        if original == stem or not suffix:
            continue
        twin = by_name.get((path.parent, (original + path.name[len(stem):]).casefold()))
        size = sizes.get(str(path))
        if twin is None or twin == path or size is None or sizes.get(str(twin)) != size:
            continue
        if _same_bytes(path, twin, size):
            out.add(i)
    return out


def copies_lines(found: dict[str, int]) -> list[tuple[str, str]]:
    """(folder, message) for each folder with ``found[folder]`` copies."""
    return [(folder, f"{n} {'copies' if n > 1 else 'copy'} of {'files' if n > 1 else 'a file'} beside"
             f" {'them' if n > 1 else 'it'} (\"Song - Copy\", \"Copy of Song\", \"Song copy\", \"Song (1)\": the same"
             f" bytes as \"Song\"): {'not tracks of their own' if n > 1 else 'not a track of its own'}")
            for folder, n in sorted(found.items())]
