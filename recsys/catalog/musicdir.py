"""The music-folder reader: audio files and their tags, no manifest needed.

The walk (``folderwalk``) lists the audio files; each is read as a track (``fileread``: its tags
by mutagen, its embedded cover and lyrics, the cover and lyrics files beside it; the tag values
made fields by ``tagfields``' rules); then the passes over the whole library's tracks, here and
in ``librarypasses``, give each what the others tell of it.

Untagged files: artist and album come from the layout ``Artist/Album/NN Title.ext`` (the last
two folders above the file; a ``CD1`` / ``Disc 2`` folder is skipped), the artist only when the
tags beneath that folder do not show it is no artist's (``drop_category_artists``) and its name
is no container's nor, where the library sorts by them, a genre's or a letter's ("Soulseek",
"Sound Effects", "2019", "Rock" beside "Jazz": ``categoryfolders``); a file one folder deep
gets neither (that folder may be "Downloads" as well as an artist) unless the library's tags
or its album folders vouch for it (``artistfolders``: "Radiohead/x.flac" beside Radiohead's
tagged album, the band "1990s", "Artist - Album" folders), and a title from the file
name loses its leading track number
("01 ", "01 - ", "1. "). A loose file at the root without an artist tag keeps an empty artist:
there is no shared "Unknown Artist" (it would make every such file one artist's work, to the
graph and to the artist cap), and ``build_graph`` gives an artist-less track a node of its own.
A file without an artist tag whose name says more ("Daft Punk - One More Time.mp3",
"Album - 03 - Title.flac") takes its artist and title from the name, read with the other names
of its folder after the walk (``recsys.catalog.filenames``, which states the rules); an artist
found so is a real artist to ``drop_category_artists``.

``Catalog.stats`` counts the walk: ``seen`` (files, hidden ones excepted), ``audio`` (audio
files, each one a track but an album image, which its cue sheet splits: ``cuesheets``),
``skipped`` (not audio by suffix: covers, sidecars, anything else) and ``failed`` (audio files
whose tags could not be read; still tracks, one problem line each).
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from recsys.catalog.model import Catalog, CatalogProblem, TrackRecord, remembered_titles
from recsys.errors import CatalogError
from recsys.catalog.manifest import catalog_name
from recsys.catalog.filenames import NUMBERED_NAME, explorer_copy
from recsys.catalog.categoryfolders import sorting_folders
from recsys.catalog.folderlayout import Tagged, drop_category_artists, names_give_artists
from recsys.catalog.copies import copies_lines, copies_of_files_beside
from recsys.catalog.cuesheets import CueSheet, with_cue_sheets
from recsys.catalog.chapters import Chapter, with_chapters
from recsys.catalog.listing import FolderFiles, folder_text, relative_text
from recsys.catalog.playlistfiles import playlist_names
from recsys.catalog.tagcache import TagCache
from recsys.catalog.suffixes import ALL_AUDIO_SUFFIXES
from recsys.catalog.sidecars import FolderCovers
from recsys.catalog.artistfolders import vouched_artists
from recsys.catalog.itemfiles import with_sibling_tags
from recsys.catalog.tapershows import with_show_info
from recsys.catalog.youtubeinfo import with_info_files
from recsys.catalog.librarypasses import library_passes
from recsys.catalog.folderwalk import scan_folder
from recsys.catalog.fileread import read_file, unusable_file


def _numbers_kept(tracks: list[TrackRecord], tagged: list[Tagged], file_stats: dict[str, list[int]]) -> list[TrackRecord]:
    """``tracks`` with the " (n)" of a name-given title put back where the file is no copy:
    no file beside it of the name without a number (or with another) has its size. A second
    download of one file ("Song (1)" beside "Song") is a copy; Windows' batch rename ("Chill
    (1)", "Chill (2)") and Voice Recorder ("Recording (2)") name different files so
    (``filenames.without_copy_marks`` takes " (n)" off every name)."""
    sizes: dict[tuple[str, str], list[tuple[str, int | None]]] = {}
    for t in tracks:
        if t.audio_path is not None:
            # the reader's Path as it is (a Path made again from one is parsed again), its
            # folder from its text (``listing.folder_text``)
            p = t.audio_path if isinstance(t.audio_path, Path) else Path(t.audio_path)
            stat = file_stats.get(str(p))
            sizes.setdefault((folder_text(p), NUMBERED_NAME.sub("", p.stem)), []).append((p.name, stat[0] if stat else None))
    out = []
    for t, tags in zip(tracks, tagged):
        p = None if tags.title or t.audio_path is None or t.audio_start is not None \
            else t.audio_path if isinstance(t.audio_path, Path) else Path(t.audio_path)
        match = None if p is None or explorer_copy(p.stem) else NUMBERED_NAME.search(p.stem)
        if match is not None and not t.title.endswith(match.group(0).strip()):
            stat = file_stats.get(str(p))
            twins = [size for name, size in sizes[(folder_text(p), p.stem[:match.start()])] if name != p.name]
            if stat is None or stat[0] not in twins:
                t = replace(t, title=f"{t.title} {match.group(0).strip()}")
        out.append(t)
    return out


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block, and run again after it as it was.
    A read builds the library's records and keeps them: every 700 objects made, the collector
    looked for cycles among them, and its full passes walked every record made so far (nine
    of them in a warm read of 50,000 files, 1.5 s of its 7). The read makes next to no cycles
    (43 objects in a read of 50,000 files, cold or warm; its peak memory the same): they are
    freed at the collector's next pass, after the read. Memory freed by reference counting, all
    the rest, is freed as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_music_folder(folder: Path | str, cover_cache: Path, tag_cache: Path | None = None) -> Catalog:
    """Read every mp3/flac/ogg/wav/m4a file under ``folder`` (recursively).

    Embedded covers are written to ``cover_cache``. With ``tag_cache`` (a folder), what each
    file's tags gave is kept there and a file whose size and mtime are unchanged is not opened
    again (``tagcache``). Raises CatalogError when the folder does not exist or holds no audio
    file.
    """
    # a read builds, and keeps, what it makes; its passes key the same names again and again
    with _no_cycle_collection(), remembered_titles():
        return _read_music_folder(folder, cover_cache, tag_cache)


def _read_music_folder(folder: Path | str, cover_cache: Path, tag_cache: Path | None) -> Catalog:
    folder = Path(os.path.normpath(Path(folder).absolute()))
    if not folder.is_dir():
        raise CatalogError(f"music folder {folder} does not exist")
    problems: list[CatalogProblem] = []
    playlist_files: list[Path] = []
    listed = FolderFiles()  # each folder listed once: for its audio, covers, lyrics and cue sheets
    files, others = scan_folder(folder, problems, playlist_files, listed)
    if not files:
        raise CatalogError(
            f"no catalog found in {folder}: no manifest.jsonl or manifest.csv, no Fairouz files"
            f" (ids.json, tracks.json, embeddings/) and no audio files ({', '.join(ALL_AUDIO_SUFFIXES)})"
        )
    covers = FolderCovers(folder, listed)
    cache = TagCache(tag_cache, folder) if tag_cache is not None else None
    tracks: list[TrackRecord] = []
    tagged: list[Tagged] = []
    chapters: dict[str, tuple[Chapter, ...]] = {}  # by the file's path in the folder
    embedded: dict[str, CueSheet] = {}  # an album image's sheet in its tags, alike
    file_stats: dict[str, list[int]] = {}
    failed = 0
    seen = len(files) + others
    cover_folder = Path(cover_cache)  # made once, not once a file
    for path in files:
        relative = relative_text(path, folder)  # from the texts: ``relative_to`` made two Paths a file
        # Checked before mutagen opens it: a FIFO named x.mp3 would block the read forever, a
        # link to /dev/zero never ends, a symlink loop fails. Such a file is no track.
        unusable, info = unusable_file(relative, path)
        if unusable is not None:
            problems.append(unusable)
            others += 1
            continue
        if info is not None:
            file_stats[str(path)] = [int(info.st_size), int(info.st_mtime_ns)]
        before = len(problems)
        track, tags, marks, sheet = read_file(path, relative, cover_folder, covers, problems, info, cache)
        tracks.append(track)
        tagged.append(tags)
        if marks:
            chapters[relative] = marks
        if sheet is not None:
            embedded[relative] = sheet
        failed += any("cannot read tags" in p.message for p in problems[before:])
    if cache is not None:
        cache.save()
    # "Song - Copy.mp3" beside "Song.mp3", byte for byte: no track of its own (``copies``)
    # the reader's paths as they are: a Path made again from a Path is parsed again (``cuesheets``)
    paths = [t.audio_path if isinstance(t.audio_path, Path) else Path(t.audio_path) for t in tracks]
    copied = copies_of_files_beside(paths, {k: v[0] for k, v in file_stats.items()})
    if copied:
        per_folder: dict[str, int] = {}
        for i in copied:
            where = tracks[i].source.rpartition("/")[0] or "."  # the library's own folder, as other lines name it
            per_folder[where] = per_folder.get(where, 0) + 1
        problems.extend(CatalogProblem(where, message, notice=True) for where, message in copies_lines(per_folder))
        tracks = [t for i, t in enumerate(tracks) if i not in copied]
        tagged = [t for i, t in enumerate(tagged) if i not in copied]
        others += len(copied)  # skipped: seen is still audio + skipped
    tracks = _numbers_kept(tracks, tagged, file_stats)  # "Chill (1)", "Chill (2)": no copies
    # an Internet Archive item's untagged "track01.flac" beside its tagged "track01.mp3" (``itemfiles``)
    tracks, tagged = with_sibling_tags(tracks, tagged)
    # a taper's "gd77-05-08d1t01.flac": its show's info file or Archive XML beside it (``tapershows``)
    tracks, tagged = with_show_info(tracks, tagged, listed)
    # yt-dlp's untagged "Reckoner [_Rx4JvmSBWA].opus": its ".info.json" beside it (``youtubeinfo``)
    tracks, tagged = with_info_files(tracks, tagged, listed)
    problems.extend(covers.problems)  # a cover file passed over: one line for its folder
    if playlist_files:  # the playlists saved beside the music: graph edges, training pairs
        held = playlist_names(folder, playlist_files, [t.audio_path for t in tracks if t.audio_path], problems)
        tracks = [replace(t, playlists=held[t.audio_path]) if t.audio_path in held else t for t in tracks]
    tracks, from_layout = names_give_artists(tracks, tagged)
    sorting = sorting_folders(t.source for t in tracks)
    tracks = drop_category_artists(tracks, from_layout, sorting)
    # "Xmoto Team/x.ogg", "1990s/Album/x.mp3": a folder its tagged tracks name (``artistfolders``)
    tracks = vouched_artists(tracks, [t.artist for t in tagged])
    audio = len(tracks)  # files: an album in one file is one (its sheet's tracks come next)
    # an album in one file, its sheet beside it or in its tags
    tracks = with_cue_sheets(tracks, [(t.artist, t.album) for t in tagged], problems, listed, embedded)
    tracks = with_chapters(tracks, chapters, problems)  # an album or a mix in one file, marked inside it
    # what the whole library tells of each track: genres, kinds, advisories, names (``librarypasses``)
    tracks = library_passes(tracks, sorting)
    # an unusable audio-named entry counts as skipped, not as audio: seen = audio + skipped
    stats = {"seen": seen, "audio": audio, "skipped": others, "failed": failed}
    return Catalog(
        name=catalog_name(folder), root=folder, kind="music-folder", tracks=tracks, problems=problems,
        stats=stats, file_stats=file_stats,
    )
