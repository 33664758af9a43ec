"""The walk of a music folder: its audio files listed in order, the files that are no tracks by
design (a phone's recordings, DJ software's sampler sounds, a producer's loops and stems, MIDI
and tracker files, unfinished downloads) counted and said once a folder, linked folders followed
once, the playlist files met and each folder's file names kept for the lookups beside the
tracks (``listing.FolderFiles``)."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from recsys.catalog.model import CatalogProblem
from recsys.catalog.listing import FolderFiles, hidden_name, relative_text, walked_folder
from recsys.catalog.playlistfiles import PLAYLIST_SUFFIXES
from recsys.catalog.suffixes import is_audio_name, name_without_suffix
from recsys.catalog.djfolders import dj_sounds_folder, dj_sounds_lines
from recsys.catalog.stemfiles import may_hold_stems, stem_files, stem_lines
from recsys.catalog.dawfolders import daw_kind, daw_lines, project_folder, sample_pack
from recsys.catalog.phonefolders import phone_kind, phone_lines, phone_storage
from recsys.catalog.unplayable import unplayable_kind, unplayable_lines
from recsys.catalog.ipodfolders import ipod_music_folder
from recsys.catalog.incompletes import app_partial, app_partial_lines, incomplete_download, incomplete_lines
from recsys.catalog.vinylsides import position_order


def scan_folder(folder: Path, problems: list[CatalogProblem] | None = None,
                playlists: list[Path] | None = None, listed: FolderFiles | None = None) -> tuple[list[Path], int]:
    """(audio files under ``folder`` sorted, number of other files); hidden files and folders
    (``.git``, macOS ``._x`` resource forks) and a disk's or a NAS's own folders (a recycle
    bin: ``listing.walked_folder``) are neither listed nor counted. The playlist files
    met (``playlistfiles``) are added to ``playlists`` where it is given, and each folder's
    file names to ``listed`` (the lookups beside the tracks then list no folder again).

    Linked folders are followed (an album linked in from another disk is part of the library),
    each real folder once: a link back to a folder above it, or a second link to one folder,
    is one line in ``problems`` instead of a walk without end or every file twice."""
    found: list[Path] = []
    others = 0
    unplayable: dict[tuple[str, str], list[str]] = {}  # (folder, kind) -> suffixes: MIDI, modules
    phone: dict[tuple[str, str], int] = {}  # (folder, kind) -> count: voice notes, ringtones
    dj_sounds: dict[str, int] = {}  # folder -> count: DJ software's sampler sounds (``djfolders``)
    daw: dict[tuple[str, str], int] = {}  # (folder, kind) -> count: loops, one-shots, takes (``dawfolders``)
    stems: dict[str, int] = {}  # folder -> count: a song's parts, Demucs' "vocals.wav" (``stemfiles``)
    partials: dict[str, list[tuple[int, int]]] = {}  # folder -> unfinished P2P downloads' (bytes, whole)
    app_partials: dict[tuple[str, str], list[str]] = {}  # (folder, app) -> suffixes: KuGou's .kgtemp, NetEase's .uc!
    projects: set[PurePosixPath] = set()  # DAW project folders and sample packs met (``dawfolders``)
    packs: set[PurePosixPath] = set()
    storages: set[PurePosixPath] = set()  # a phone's storage folders ("Internal storage/")
    visited: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        try:
            info = os.stat(dirpath)
            key = (info.st_dev, info.st_ino)
        except OSError:
            key = None
        if key is not None and key in visited:
            dirnames[:] = []
            if problems is not None:
                relative = Path(dirpath).relative_to(folder).as_posix()
                problems.append(CatalogProblem(relative, "a link to a folder already read (a loop, or the same folder linked twice): skipped"))
            continue
        if key is not None:
            visited.add(key)
        dirnames[:] = sorted(d for d in dirnames if walked_folder(d))
        base = Path(dirpath)  # made once a folder: its files' paths are made from it
        if listed is not None:
            listed.add(base, filenames, dirnames)
        # its path in the library from the texts (``relative_to`` made two Paths a folder, and
        # again for each file not audio)
        relative = relative_text(base, folder)
        here = PurePosixPath(relative)
        if phone_storage(dirnames):
            storages.add(here)
        kind_here = phone_kind(here, storages)  # a phone's voice notes, recordings, tones (``phonefolders``)
        sounds_here = dj_sounds_folder(here)
        if project_folder(dirnames, filenames):
            projects.add(here)
        if sample_pack(dirnames):
            packs.add(here)
        daw_here = daw_kind(here, projects, packs) if sounds_here is None else None
        # a song's parts ("Night Drive - Vocals.wav" beside its "- Drums"): a set of names says so
        stems_here = stem_files(name_without_suffix(n) for n in filenames if not n.startswith(".") and is_audio_name(n)) \
            if kind_here is None and sounds_here is None and daw_here is None \
            and may_hold_stems(filenames) else set()  # most folders: no name made
        for name in sorted(filenames, key=position_order):  # a record's "A2" before its "A10"
            if hidden_name(name):
                continue
            audio = is_audio_name(name)  # once, not in each test below
            if audio and kind_here is not None:
                others += 1
                phone[kind_here[1], kind_here[0]] = phone.get((kind_here[1], kind_here[0]), 0) + 1
            elif audio and sounds_here is not None:
                others += 1
                dj_sounds[sounds_here] = dj_sounds.get(sounds_here, 0) + 1
            elif audio and daw_here is not None:
                others += 1
                daw[daw_here[1], daw_here[0]] = daw.get((daw_here[1], daw_here[0]), 0) + 1
            elif audio and stems_here and name_without_suffix(name) in stems_here:
                others += 1
                stems[here.as_posix()] = stems.get(here.as_posix(), 0) + 1
            elif audio and (partial := incomplete_download(base, name)) is not None:
                others += 1  # LimeWire's "T-4523008-Song.mp3" a third there (``incompletes``)
                partials.setdefault(relative, []).append(partial)
            elif audio:
                found.append(base / name)
            else:
                others += 1
                if playlists is not None and Path(name).suffix.lower() in PLAYLIST_SUFFIXES:
                    playlists.append(base / name)
                kind = unplayable_kind(name)
                if kind is None and (partial_of := app_partial(name)) is not None:
                    # KuGou's "Song.mp3.kgtemp", NetEase's cache "<id>.uc!" (``incompletes``)
                    app_partials.setdefault((relative, partial_of[0]), []).append(partial_of[1])
                elif kind is not None:
                    # an iPod's purchases and books, strewn over its fifty shards: one line for the iPod
                    where = ipod_music_folder(relative) or relative
                    unplayable.setdefault((where, kind), []).append(Path(name).suffix.lower())
    if problems is not None:
        # files no track by design, each kind said once a folder: notices, nothing to repair
        problems.extend(CatalogProblem(where, message, notice=True) for where, message in unplayable_lines(unplayable))
        problems.extend(CatalogProblem(where, message, notice=True) for where, message in phone_lines(phone))
        problems.extend(CatalogProblem(where, message, notice=True) for where, message in dj_sounds_lines(dj_sounds))
        problems.extend(CatalogProblem(where, message, notice=True) for where, message in daw_lines(daw))
        problems.extend(CatalogProblem(where, message, notice=True) for where, message in stem_lines(stems))
        problems.extend(CatalogProblem(where, message, notice=True) for where, message in incomplete_lines(partials))
        problems.extend(CatalogProblem(where, message, notice=True) for where, message in app_partial_lines(app_partials))
    return found, others


def audio_files(folder: Path) -> list[Path]:
    """Audio files under ``folder``, sorted; hidden files and folders are skipped."""
    return scan_folder(folder)[0]
