"""What a producer's music software keeps beside their music: sample libraries (loops and
one-shots), impulse responses, and a project's raw audio. Not tracks; one line a folder says so.

A producer's Mac ``~/Music`` holds Apple Music's albums and their own bounces, but also what
their software installs and records there: GarageBand's and Logic's Apple Loops
(``GarageBand/Apple Loops/``, ``Audio Music Apps/Apple Loops/``), Logic's ``Samples/`` and
``Impulse Responses/``, Ableton's ``User Library/`` and ``Factory Packs/``, Splice's downloads
(``Splice/sounds/packs/<Pack>/..._Kick_01.wav``), Native Instruments' expansions, a sample pack
bought as a zip (``Samples/Vengeance Essential House Vol.1/Kicks/VEH1 Kick 001.wav``), and in
each project the takes recorded into it (a ``.logicx`` or ``.band`` package's ``Media/``, a
project folder's ``Audio Files/`` or Ableton's ``Samples/Recorded/``). Read as songs, thousands
of half-second kicks by the artist "drums" and 4-bar loops by "126 BPM" filled the artist facet
and every radio. No DAW's browser lists them as songs, nor does recsys: one problem line a
folder, with the count and how to bring them in (move them out of that folder). They count as
skipped. What the producer made of them stays music: a project's ``Bounces/``, an export beside
the project (Ableton writes ``My Song Project/My Song.wav``), ``Bounces/`` and masters anywhere.

Conservative on purpose, by names no one files songs under, or a witness:

- ``Apple Loops/`` and ``Impulse Responses/`` anywhere;
- below the software's own folder: ``Audio Music Apps/Samples/``, ``Ableton/User Library/``,
  ``Ableton/Factory Packs/``, ``Splice/sounds/`` (``Splice/Samples/`` before 2020),
  ``Native Instruments/Expansions/`` and ``Native Instruments/.../Samples/``;
- a sample pack: a folder holding two drum one-shot folders or more (``Kicks/`` and ``Snares/``,
  ``Kick/`` and ``Clap/``, ``808s/``, ``One Shots/``); a stems folder's ``Drums/`` or ``Vocals/``
  is no such folder;
- a project's raw audio: ``Media/``, ``Audio Files/``, ``Freeze Files/`` and ``Samples/`` in a
  project, a ``.logicx`` or ``.band`` package or a folder holding one or an Ableton set
  (``.als``). A ``Samples/`` folder elsewhere (a container: ``categoryfolders``) stays music.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Iterable

from recsys.catalog.notices import not_music_line

LIBRARY = "sample library sound"
IMPULSE = "impulse response"
PROJECT = "project audio file"

#: a folder of this name anywhere holds these
_ANYWHERE = {"apple loops": LIBRARY, "impulse responses": IMPULSE}
#: a folder of the software's -> its folders of sounds below it (at any depth)
_SOFTWARE = {
    "audio music apps": ("samples",),
    "ableton": ("user library", "factory packs"),
    "splice": ("sounds", "samples"),
    "native instruments": ("expansions", "samples"),
}
#: a project's package (Logic, GarageBand)
_PACKAGES = (".logicx", ".band")
#: a project's folders of raw audio: takes, frozen tracks, imported and processed samples
_PROJECT_AUDIO = frozenset(("media", "audio files", "freeze files", "freeze files.nosync", "samples"))
#: a sample pack's folders of drum one-shots: "Kicks", "Kick", "Hi-Hats", "808s", "One Shots"
_ONE_SHOTS = re.compile(
    r"(?:kick|snare|clap|hat|hihat|hi hat|hi-hat|open hat|closed hat|perc|percussion|tom|cymbal|crash"
    r"|ride|shaker|rim|rimshot|snap|808|one shot|one-shot|oneshot|drum hit)s?")


def project_folder(subfolders: Iterable[str], files: Iterable[str]) -> bool:
    """Whether a folder with these subfolders and files is a DAW project's: it holds a Logic
    package (``Song.logicx``) or an Ableton set (``Song.als``)."""
    return (any(d.casefold().endswith(".logicx") for d in subfolders)
            or any(f.casefold().endswith(".als") for f in files))


def sample_pack(subfolders: Iterable[str]) -> bool:
    """Whether a folder with these subfolders is a sample pack: two drum one-shot folders or more."""
    return len({d.casefold() for d in subfolders if _ONE_SHOTS.fullmatch(d.casefold().strip())}) >= 2


def daw_kind(folder: PurePosixPath, projects: set[PurePosixPath], packs: set[PurePosixPath]) -> tuple[str, str] | None:
    """(kind, the folder to name) for an audio file in ``folder`` (relative to the library)
    that is a sample library's sound, an impulse response or a project's raw audio, given the
    project and sample pack folders found above it; None for any other (music)."""
    parts = folder.parts
    folded = [p.casefold() for p in parts]
    for depth, part in enumerate(folded):
        if part in _ANYWHERE:
            kind = _ANYWHERE[part]
        elif part in _PROJECT_AUDIO and (
                (depth and folded[depth - 1].endswith(_PACKAGES)) or PurePosixPath(*parts[:depth]) in projects):
            kind = PROJECT
        elif any(part in _SOFTWARE.get(owner, ()) for owner in folded[:depth]):
            kind = LIBRARY
        # most libraries have no sample pack: no path made to look for one
        elif packs and PurePosixPath(*parts[: depth + 1]) in packs:
            kind = LIBRARY
        else:
            continue
        return kind, PurePosixPath(*parts[: depth + 1]).as_posix()
    return None


#: a DAW's own folders: what lies below them is the producer's, in project folders named
#: after songs ("Night Drive.logicx", "My Song Project"), never after an artist or an album
_DAW_HOMES = frozenset(("garageband", "audio music apps", "ableton"))
#: a DAW's bounce folder, a project's ("Late Show/Bounces/") or the producer's own
_BOUNCES = frozenset(("bounces", "bounce"))


def daw_made(folders: list[str]) -> bool:
    """Whether a file in these folders (``discs.album_folders``: the last is its album folder)
    is one a DAW wrote, a bounce or an export: it lies below a DAW's folder (``GarageBand/``,
    ``Audio Music Apps/``, ``Ableton/``) or a project's package (``Song.logicx``, ``Song.band``),
    or in a ``Bounces/`` folder. Its folders name no artist and no album: "Night Drive.logicx"
    was the artist of its bounces and "Bounces" their album, "Projects" the artist and "My Song
    Project" the album of Ableton's export. The producer's own tags still do."""
    folded = [f.casefold() for f in folders]
    return (bool(folded) and folded[-1] in _BOUNCES) or any(
        f in _DAW_HOMES or f.endswith(_PACKAGES) for f in folded)


_WHAT = {
    LIBRARY: ("a sample library's loops and one-shots", "a DAW's browser lists them as sounds, never as songs"),
    IMPULSE: ("a reverb's recordings of rooms", "a DAW loads them into its reverb, never plays them as songs"),
    PROJECT: ("a DAW project's recorded takes and samples", "its bounces are the songs"),
}


#: the names a DAW gives a project's render whatever the song ("output.caf" in GarageBand's
#: ``Output/``, Logic's "Untitled.wav"): titles that say nothing of it
_RENDER_NAMES = frozenset(("output", "untitled", "mixdown", "bounce", "export", "master", "render"))


def package_title(relative: str, stem: str) -> str | None:
    """The song a project's render is of, where its own name says nothing: the project
    package's name ("Beat 4.band/Output/output.caf" is "Beat 4"); None for any other file."""
    if stem.casefold().strip() not in _RENDER_NAMES:
        return None
    for folder in reversed(PurePosixPath(relative).parts[:-1]):
        for suffix in _PACKAGES:
            if folder.casefold().endswith(suffix) and len(folder) > len(suffix):
                return folder[: -len(suffix)].strip() or None
    return None


def daw_lines(found: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """(folder, message) for each folder and kind: ``found`` maps (folder, kind) to a count."""
    return [(folder, not_music_line(n, kind, *_WHAT[kind])) for (folder, kind), n in sorted(found.items())]
