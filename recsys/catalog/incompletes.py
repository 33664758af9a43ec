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

The Chinese apps leave theirs beside their downloads (``app_partial``): KuGou's "Song.mp3.kgtemp",
NetEase Cloud Music's "Song.ncm.tmp", a player's or QQ Music's "Song.flac.tmp", and NetEase's
song cache ("186016-320-<hash>.uc!" while it fills, ".uc" once whole: the app's own scrambled
copy, named by the song's id). They were "not audio" without a word, or none: one notice a
folder says how many and from which app, as the encrypted downloads' (``unplayable``).
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


def incomplete_download(folder: Path, name: str) -> tuple[int, int] | None:
    """(bytes there, bytes the whole file has; 0 when the name does not say) when the file
    ``name`` in ``folder`` is a P2P program's unfinished download; None for any other file (a
    LimeWire name whose bytes all came, or one that cannot be read, is left to the reader).
    The folder and the name apart: the walk asks of every audio file, and a path made for
    each (``folder / name``) cost 50,000 Paths a read of a 50,000-file folder."""
    if not name.startswith(("T-", "Preview-T-", "___ARESTRA___")):
        return None
    limewire = _LIMEWIRE.match(name)
    if limewire is None and not _ARES.match(name):
        return None
    try:
        size = os.stat(os.path.join(folder, name)).st_size
    except OSError:
        return None
    whole = int(limewire.group(1)) if limewire else 0
    return (size, whole) if limewire is None or size < whole else None


#: the suffix of an app's unfinished download or cache file -> the app; ".tmp" only after a
#: music file's own suffix ("Song.flac.tmp": any program's download not yet whole)
_APP_PARTIALS = {".kgtemp": "KuGou", ".uc!": "NetEase Cloud Music", ".uc": "NetEase Cloud Music"}
_TMP_OF = {".ncm": "NetEase Cloud Music", ".kgm": "KuGou", ".kgma": "KuGou", ".qmcflac": "QQ Music", ".qmc0": "QQ Music",
           ".qmc3": "QQ Music", ".mflac": "QQ Music", ".mgg": "QQ Music", ".kwm": "Kuwo"}
_MUSIC_SUFFIXES = frozenset((".mp3", ".flac", ".m4a", ".ape", ".wav", ".ogg", ".aac", ".wma"))


def app_partial(name: str) -> tuple[str, str] | None:
    """(the app, the suffix) of an unfinished download or cache file ``name``
    ("Song.mp3.kgtemp": "KuGou", ".kgtemp"; "Song.flac.tmp": "a download program",
    ".flac.tmp"), else None."""
    lowered = name.lower()
    dot = lowered.rfind(".")
    if dot <= 0:
        return None
    suffix = lowered[dot:]
    if suffix in _APP_PARTIALS:
        return _APP_PARTIALS[suffix], suffix
    if suffix != ".tmp":
        return None
    inner = lowered[lowered.rfind(".", 0, dot):dot] if lowered.rfind(".", 0, dot) > 0 else ""
    app = _TMP_OF.get(inner) or ("a download program" if inner in _MUSIC_SUFFIXES else None)
    return (app, inner + suffix) if app else None


def app_partial_lines(found: dict[tuple[str, str], list[str]]) -> list[tuple[str, str]]:
    """(folder, message) for each folder and app: ``found`` maps (folder, app) to the suffixes
    of its unfinished downloads and cache files there (``app_partial``)."""
    lines = []
    for (folder, app), suffixes in sorted(found.items()):
        n, names = len(suffixes), ", ".join(sorted(set(suffixes)))
        many = "s" if n > 1 else ""
        lines.append((folder or ".", f"{n} unfinished download{many} or cache file{many} of {app} ({names}): part of a"
                      f" song, or the app's own copy of one; not tracks"))
    return lines


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
