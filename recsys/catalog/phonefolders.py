"""What a phone keeps beside its music: voice notes, call and voice recordings, its ringtones,
notification and alarm tones. Not tracks; one line a folder says so.

A person who copies an Android phone's storage to a laptop ("Internal storage/") and points
recsys at it has the synced albums under ``Music/`` and the downloads under ``Download/``, but
also WhatsApp's voice notes (``WhatsApp/Media/WhatsApp Voice Notes/202301/PTT-...opus``, and
since Android 11 ``Android/media/com.whatsapp/WhatsApp/Media/...``), the Voice Recorder's and the
dialer's recordings (``Recordings/Voice Recorder/Voice 001.m4a``, ``Recordings/Call/Call@...m4a``,
``Call/``) and the phone's own sounds (``Ringtones/``, ``Notifications/``, ``Alarms/``: tones of a
few seconds). Read as songs, a voice note was "PTT-20230101-WA0002" by the artist "WhatsApp
Voice Notes", a facet row of its own, and a dentist's call or a 1-second notification chime came
up in a radio of film scores.

Android sorts them so itself: its media scanner files what lies in these folders as recordings,
ringtones, notifications and alarms, never as music, and the phone's music player lists none of
them. recsys does the same, and says so: one problem line a folder and kind, with the count and
how to bring them in (move them out of that folder). They count as skipped.

Conservative on purpose: the phone's folders count only below a folder that is a phone's storage,
one holding ``Android/`` and another of the folders Android makes that no computer's home
folder has (``DCIM``, ``Download``, ``Ringtones``, ``Notifications``, ``Alarms``): a library's own ``Recordings/`` (a band's demos) or ``Ringtones/`` folder
elsewhere is music as before. WhatsApp's "Voice Notes" folders need no such witness: no one
files songs under that name. ``.nomedia`` (a sync app hides a folder from the phone's player
with it) is not read: the albums it hides are still the person's music. Podcasts, a phone's
``Music/``, ``Download/``, WhatsApp's ``WhatsApp Audio/`` (forwarded songs) and Telegram's
downloads stay tracks.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Iterable

#: what Android makes at the top of its shared storage, ``Android/`` aside, that a computer's
#: home folder does not have: a Linux home holds Android Studio's ``Android/`` beside its
#: ``Music``, ``Pictures``, ``Documents`` and ``Downloads``, and its ``Recordings`` are music
_STORAGE_FOLDERS = frozenset(n.casefold() for n in (
    "DCIM", "Download", "Ringtones", "Notifications", "Alarms",
))

#: a folder anywhere that holds voice notes only
_VOICE_NOTES = frozenset(n.casefold() for n in ("WhatsApp Voice Notes", "WhatsApp Business Voice Notes"))

#: a top folder of a phone's storage -> the kind of the files below it
_PHONE_KINDS = {
    "ringtones": "ringtone",
    "notifications": "notification sound",
    "alarms": "alarm sound",
    "call": "call recording",
    "recordings": "recording",
}
_CALLS = frozenset(("call", "call recordings", "callrecordings"))


def phone_storage(subfolders: Iterable[str]) -> bool:
    """Whether a folder with these subfolders is a phone's shared storage: ``Android/`` and at
    least one other folder Android makes there."""
    names = {n.casefold() for n in subfolders}
    return "android" in names and bool(names & _STORAGE_FOLDERS)


def phone_kind(folder: PurePosixPath, storages: set[PurePosixPath]) -> tuple[str, str] | None:
    """(kind, the folder to name) for an audio file in ``folder`` (relative to the library) that
    is a phone's voice note, recording or sound, given the phone storage folders found above it;
    None for any other (music)."""
    parts = folder.parts
    for depth, part in enumerate(parts):
        if part.casefold() in _VOICE_NOTES:
            return "voice note", PurePosixPath(*parts[: depth + 1]).as_posix()
    for depth in range(len(parts) - 1, -1, -1) if storages else ():  # most libraries: no phone's storage
        if PurePosixPath(*parts[:depth]) not in storages:
            continue
        below = [p.casefold() for p in parts[depth:]]
        if not below or below[0] not in _PHONE_KINDS:
            return None
        kind = _PHONE_KINDS[below[0]]
        end = depth + 1
        if below[0] == "recordings" and len(below) > 1 and below[1] in _CALLS:
            kind, end = "call recording", depth + 2
        return kind, PurePosixPath(*parts[:end]).as_posix()
    return None


def phone_lines(found: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """(folder, message) for each folder and kind: ``found`` maps (folder, kind) to a count."""
    lines = []
    for (folder, kind), n in sorted(found.items()):
        plural = f"{kind}s" if n > 1 else kind
        them = "them" if n > 1 else "it"
        lines.append((folder, f"{n} {plural}: a phone's {'sounds' if kind.endswith('sound') or kind == 'ringtone' else 'recordings'},"
                      f" not music (the phone's own player lists none of them); not tracks. Move {them} out of this folder to include {them}"))
    return lines
