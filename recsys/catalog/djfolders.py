"""What DJ software keeps beside a DJ's music: the sampler's one-shots and loops. Not tracks;
one line a folder says so.

rekordbox installs its sampler's sounds in the music folder it is given
(``PioneerDJ/Sampler/OSC_SAMPLER/PRESET ONESHOT/NOISE.wav``, ``.../PRESET LOOP/LOOP 1.wav``) and
Traktor its remix decks' (``Native Instruments/Traktor 3.x/Remix Sets/...``). Read as songs, a
2-second "SIREN" by the artist "OSC_SAMPLER" came up in a radio of trance tracks. The DJ
software itself never lists them among the DJ's tracks: recsys does the same, one problem line
a folder with the count and how to bring them in (move them out of that folder). They count as
skipped.

Only these folders below a folder of that software's: a DJ's own ``Sampler/`` or ``Remix Sets/``
elsewhere stays music. The software's recordings (``_Serato_/Recording/``,
``PioneerDJ/Recording/``, ``Traktor Recordings/``) are the DJ's recorded sets, tracks as a mix is
(``categoryfolders`` keeps those folders' names from being their artist).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from recsys.catalog.notices import not_music_line

#: a folder of DJ software's sounds -> the names of the software's folders one may lie in
_SOUNDS = {
    "sampler": ("pioneerdj", "pioneer dj", "pioneer", "rekordbox"),
    "remix sets": ("traktor", "native instruments"),
}


def _owned_by(name: str, owners: tuple[str, ...]) -> bool:
    """Whether a folder is one of the software's: its name, or its name and a version ("Traktor
    3.10.0"); "Pioneers of Sound", a band's folder, is none."""
    return any(name == o or name.startswith(o + " ") for o in owners)


def dj_sounds_folder(folder: PurePosixPath) -> str | None:
    """The folder to name (relative, as ``folder`` is) when an audio file in ``folder`` is DJ
    software's sampler sound or remix set sample; None for any other (music)."""
    parts = folder.parts
    for depth in range(1, len(parts)):
        owners = _SOUNDS.get(parts[depth].casefold())
        if owners and any(_owned_by(p.casefold(), owners) for p in parts[:depth]):
            return PurePosixPath(*parts[: depth + 1]).as_posix()
    return None


def dj_sounds_lines(found: dict[str, int]) -> list[tuple[str, str]]:
    """(folder, message) for each folder: ``found`` maps a folder to its count of sounds."""
    return [(folder, not_music_line(n, "DJ software sound", "a sampler's one-shots and loops",
                                    "the DJ software lists none among its tracks"))
            for folder, n in sorted(found.items())]
