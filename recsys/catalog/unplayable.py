"""Music files recsys cannot decode: MIDI, tracker modules, chiptune dumps.

They hold notes and instruments, not sound: FFmpeg (PyAV's wheel) has no synthesiser for
them, so they are no tracks. They were counted among "skipped by type (not audio)" with the
covers and playlists, and a person whose folder held a MIDI collection or a demoscene shelf
had no word of why none of it was in the catalog. One problem line a folder and a kind says
how many there are and how to bring them in: render them to an audio file first.
"""

from __future__ import annotations

from pathlib import PurePosixPath

#: kind -> (suffixes, how to render them)
KINDS = {
    "MIDI file": ((".mid", ".midi", ".kar", ".rmi"), "timidity or fluidsynth"),
    "tracker module": ((".mod", ".xm", ".it", ".s3m", ".mptm", ".669", ".mtm", ".med", ".okt"),
                       "openmpt123, or ffmpeg built with libopenmpt"),
    "chiptune dump": ((".sid", ".nsf", ".nsfe", ".spc", ".vgm", ".vgz", ".gbs", ".ay", ".hes"),
                      "a player of the format (game-music-emu, sidplayfp)"),
}
_KIND_OF = {suffix: kind for kind, (suffixes, _) in KINDS.items() for suffix in suffixes}


def unplayable_kind(name: str) -> str | None:
    """The kind of music file ``name`` is that recsys cannot decode; None for any other."""
    return _KIND_OF.get(PurePosixPath(name).suffix.lower())


def unplayable_lines(found: dict[tuple[str, str], list[str]]) -> list[tuple[str, str]]:
    """(folder, message) for each folder and kind: ``found`` maps (folder, kind) to the
    suffixes of the files seen."""
    lines = []
    for (folder, kind), suffixes in sorted(found.items()):
        n, names = len(suffixes), ", ".join(sorted(set(suffixes)))
        how = KINDS[kind][1]
        them = "them" if n > 1 else "it"
        lines.append((folder or ".", f"{n} {kind}{'s' if n > 1 else ''} ({names}): notes, not sound, which recsys"
                      f" cannot decode; not tracks. Render {them} to audio (FLAC, Ogg) with {how} to include {them}"))
    return lines
