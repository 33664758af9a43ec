"""The music-folder reader: audio files and their tags, no manifest needed.

Tags come from mutagen; a file whose tags cannot be decoded is kept with fields derived from
its name (and one problem line), because its audio is usually still fine. Cover art is the
file's embedded picture, extracted once into a content-addressed cache, else a
cover/folder/front image beside the file (for a file in a ``CD1`` / ``Disc 2`` folder without
one, the album folder's above it; ``recsys.catalog.sidecars`` names them).

Text (what the text encoder embeds), first found wins for the lyrics:

1. embedded lyrics: ID3 ``USLT`` (mp3, and aiff/wav with ID3), Vorbis comments ``LYRICS`` /
   ``UNSYNCEDLYRICS`` (ogg, opus, flac), MP4 ``\xa9lyr`` (m4a), ASF ``WM/Lyrics`` (wma);
2. a ``.lrc`` sidecar beside the audio file with the same stem (timestamps such as
   ``[01:02.50]`` and header tags such as ``[ar:...]`` / ``[ti:...]`` removed);
3. a ``.txt`` sidecar with the same stem.

Lyrics that arrive with LRC timestamps from a tag are cleaned the same way. Comment tags (ID3
``COMM`` but iTunes' technical ones, Vorbis ``COMMENT`` / ``DESCRIPTION``, MP4 ``\xa9cmt`` /
``desc``, ASF ``Description``) become the track's description.

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
import hashlib
import os
import re
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

import mutagen
from mutagen.apev2 import APEv2
from mutagen.asf import ASFTags
from mutagen.easyid3 import EasyID3
from mutagen.flac import FLAC
from mutagen.id3 import ID3, ID3NoHeaderError
from mutagen._constants import GENRES as ID3V1_GENRES

from recsys.catalog.model import (
    SPOKEN, Catalog, CatalogProblem, TrackRecord, file_stat, normalise_title, remembered_titles, with_fields,
)
from recsys.errors import CatalogError
from recsys.catalog.manifest import catalog_name
from recsys.catalog.homoglyphs import one_script
from recsys.catalog.tagtext import repaired, visible
from recsys.catalog.credits import credited_artists
from recsys.catalog.artiststag import artists_tag
from recsys.catalog.placeholders import (
    placeholder_album, placeholder_album_artist, placeholder_artist, placeholder_genre, placeholder_title,
)
from recsys.catalog.filenames import NUMBERED_NAME, explorer_copy, title_from_name
from recsys.catalog.categoryfolders import sorting_folders
from recsys.catalog.folderlayout import (
    Tagged, drop_category_artists, folder_layout, layout_year, names_give_artists, unless,
)
from recsys.catalog.apetags import ape_easy_tags
from recsys.catalog.riffinfo import riff_info
from recsys.catalog.dsdiffinfo import dsdiff_info
from recsys.catalog.broadcastwav import broadcast_tags
from recsys.catalog.imaging import imaging_category
from recsys.catalog.sortnames import title_reading
from recsys.catalog.hashtaggenres import hashtag_genres
from recsys.catalog.artistids import named_ids
from recsys.catalog.performers import as_performer_list, musicians, performer_names
from recsys.catalog.personnel import comment_personnel
from recsys.catalog.works import tagged_work, with_work
from recsys.catalog.albumplaces import track_place
from recsys.catalog.copies import copies_lines, copies_of_files_beside
from recsys.catalog.cuesheets import CueSheet, embedded_sheet, with_cue_sheets
from recsys.catalog.spokenword import tagged_spoken
from recsys.catalog.advisory import tagged_advisory
from recsys.catalog.chapters import Chapter, listed_chapters, may_have_chapters, read_chapters, with_chapters
from recsys.catalog.listing import FolderFiles, folder_text, hidden_name, relative_text, walked_folder
from recsys.catalog.playlistfiles import PLAYLIST_SUFFIXES, playlist_names
from recsys.catalog.tagcache import TagCache
from recsys.catalog.pictures import FRONT_COVER, cache_picture, embedded_pictures, picture_payload
from recsys.catalog.nametempo import tempo_key_in_name, title_without_name_tempo
from recsys.catalog.promomarks import without_promo_marks
from recsys.catalog.tempokey import tempo_and_key
from recsys.catalog.tagvalues import (
    comment_texts, composer_tag, embedded_text, first_value, recording_id, release_year, style_values, tag_values,
)
from recsys.catalog.suffixes import ALL_AUDIO_SUFFIXES, is_audio_name, name_without_suffix
from recsys.catalog.sitenames import converter_name, site_brands, without_site_brands, without_site_names
from recsys.catalog.djfolders import dj_sounds_folder, dj_sounds_lines
from recsys.catalog.stemfiles import may_hold_stems, stem_files, stem_lines
from recsys.catalog.dawfolders import daw_kind, daw_lines, package_title, project_folder, sample_pack
from recsys.catalog.phonefolders import phone_kind, phone_lines, phone_storage
from recsys.catalog.unplayable import unplayable_kind, unplayable_lines
from recsys.catalog.ipodfolders import ipod_music_folder
from recsys.catalog.incompletes import app_partial, app_partial_lines, incomplete_download, incomplete_lines
from recsys.catalog.composerlists import join_composers
from recsys.catalog.mislabelled import mislabelled_note
from recsys.catalog.sidecars import FolderCovers, beside_cover
from recsys.catalog.artistfolders import vouched_artists
from recsys.catalog.matroska import MATROSKA_SUFFIXES, matroska_file
from recsys.catalog.uploads import upload_credit
from recsys.catalog.itemfiles import with_sibling_tags
from recsys.catalog.tapershows import with_show_info
from recsys.catalog.vinylsides import POSITION, leading_position, position_order, title_position
from recsys.catalog.id3v1 import whole_fields
from recsys.catalog.slashlists import slashed_artists
from recsys.catalog.youtubeinfo import listed_artists, song_year, with_info_files
from recsys.catalog.librarypasses import library_passes
from recsys.catalog.channelcount import header_channels
from recsys.catalog.reposts import from_video_site, repost_credit


def track_id_for(relative: str) -> str:
    """A stable id from the path relative to the folder: the same file gets the same id on
    every machine and every run, and a moved file is a new track."""
    return "f" + hashlib.sha1(relative.encode("utf-8")).hexdigest()[:20]


#: a music folder's id: a hash of the file's path, and for a track of an album ripped to one
#: file the track's number in its cue sheet ("f0123...#03", ``cuesheets.split_tracks``)
_PATH_ID = re.compile(r"f[0-9a-f]{20}(#\d{2,})?")


def track_label(track_id: str, where: str | None) -> str:
    """A track as a person finds it: a music folder's id is a hash of its path, so its file
    stands for it (with "#03" for a track of an album in one file); any other id (a
    manifest's) is shown with where it is ("t003 (manifest.jsonl:4)")."""
    if not where:
        return track_id
    match = _PATH_ID.fullmatch(track_id)
    if match is None:
        return f"{track_id} ({where})"
    # a removed point's stored file is the whole file: its tracks are told apart by their "#03"
    return where if match.group(1) is None or where.endswith(match.group(1)) else where + match.group(1)


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


def _squeezed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _title(tags: Any, path: Path) -> str:
    """The title tag; of several values, the one the file name names. A tagger that appends
    instead of replacing leaves "Living Caves", "Crossroads", "Desert" in 03 Desert.ogg (a real
    game soundtrack does): the first value would give a whole album one title, and the tracks
    would be versions of one song to the dedup. No value named: the first, as players show."""
    values = list(dict.fromkeys(v.strip() for v in tag_values(tags, "title") if v.strip()))
    if len(values) > 1:
        name = _squeezed(title_from_name(tempo_key_in_name(without_promo_marks(name_without_suffix(path.name)))[0]))
        named = [v for v in values if _squeezed(v) and _squeezed(v) in name]
        exact = [v for v in named if _squeezed(v) == name]
        if exact or named:
            return (exact or sorted(named, key=lambda v: -len(_squeezed(v))))[0]
    title = values[0] if values else ""
    # a title a tagger filled from the file's name, suffix and all: "Song Name.mp3"
    return name_without_suffix(title).rstrip() if is_audio_name(title) else title


#: a title tag that begins with a track number: "04 - Battle", "04. Battle", "4 Battle"
_NUMBERED_TITLE = re.compile(r"^\s*0*(\d{1,3})(?:\s*[-\u2013.)_:]\s*|\s+)(?=\S)")


def _without_track_number(title: str, tags: Any, path: Path) -> str:
    """The title tag without a leading track number where that number is the file's: its
    track-number tag's, or its file name's ("04 Battle.ogg"). A tagger that filled the title
    from the file name ("04 - Battle", as Mp3tag's "Filename - Tag" does when given "%title%")
    left it there: shown in every list, and a seed "Battle" had to match past it. A title that
    begins with another number ("1979", "2 + 2 = 5"), or with the file's number and a space alone
    without a leading zero ("7 Seconds" as track 7, "99 Luftballons.mp3"), or a movement's "1.
    Allegro" (unpadded, with a dot or a parenthesis), keeps it. A vinyl position the file has
    ("A1 - Running Up That Hill", TRACKNUMBER "A1") goes too (``vinylsides``)."""
    title = _without_position(title, tags, path)
    match = _NUMBERED_TITLE.match(title)
    if not match:
        return title
    padded = title.lstrip()[0] == "0"
    # "7 Seconds", "99 Luftballons": a number and a space alone is a title's own unless padded
    if not padded and not match.group(0).strip().rstrip("0123456789"):
        return title
    # "5:15", "1-800-273-8255", "2.0": a number glued to the next by its separator is the title's
    if title[match.end()].isdigit() and not any(c.isspace() for c in title[match.end(1):match.end()]):
        return title
    # "1. Allegro", "2) Largo": a movement's or a list's own numbering, unpadded, which a work's
    # first movements share with their track numbers (the next work's "1. Allegro" on track 4
    # keeps it: one album would list both ways); a file name's number is padded ("01. Battle")
    if not padded and title[match.end(1):match.end()].strip() in (".", ")"):
        return title
    numbers = {m.group(1).lstrip("0") for v in tag_values(tags, "tracknumber") if (m := re.match(r"\s*(\d+)", v))}
    named = re.match(r"\s*(?:\d{1,2}[-.])?(\d{1,3})\b", name_without_suffix(path.name))
    if named:
        numbers.add(named.group(1).lstrip("0"))
    return title[match.end():] if match.group(1).lstrip("0") in numbers else title


def _without_position(title: str, tags: Any, path: Path) -> str:
    """The title tag without a leading vinyl position where it is the file's: its track-number
    tag's ("A1", "B2/5"), or its name's where that has a side and a number ("A1 - Title.flac";
    a single's "A - Title" proves nothing alone)."""
    if leading_position(title) is None:  # most titles: nothing read
        return title
    positions = {v.strip().partition("/")[0] for v in tag_values(tags, "tracknumber")}
    named = leading_position(name_without_suffix(path.name))
    if named is not None and any(c.isdigit() for c in named[0]):
        positions.add(named[0])
    return title_position(title, {p for p in positions if POSITION.fullmatch(p)})


def _genres(tags: Any, raw_tags: Any = None) -> tuple[str, ...]:
    # Several genres arrive as several values, or ';'/NUL-joined in one; '/' is kept because
    # genres such as "Rap/Hip Hop" contain it. Discogs' styles follow its genres ("Electronic",
    # then "Krautrock"): a person asks for the style (``tagvalues.style_values``)
    values = tag_values(tags, "genre") + style_values(tags, raw_tags)
    # a download site's name is no part of a genre ("Bollywood - DJMaza.Info"), nor one alone;
    # nor a SoundCloud uploader's hashtag mark ("#lofi": ``hashtaggenres``)
    parts = (_named_genre(without_site_names(g, alone=True))
             for v in values for p in re.split(r"[;\x00]", v) for g in hashtag_genres(p.strip()))
    return tuple(dict.fromkeys(p for p in parts if p and not placeholder_genre(p)))


#: ID3v1's genre numbers as a converter copied them into another format's tag: "17", "(17)",
#: "(17)Rock" (mutagen reads them so in an ID3 frame alone)
_GENRE_NUMBER = re.compile(r"^(?:\((\d{1,3})\)(.*)|(\d{1,3}))$")


def _named_genre(value: str) -> str:
    match = _GENRE_NUMBER.match(value)
    if match is None:  # "90s Pop", "2 Step": names
        return value
    if (match.group(2) or "").strip():  # "(17)Rock": the name written after the number
        return match.group(2).strip()
    number = int(match.group(1) or match.group(3))
    return ID3V1_GENRES[number] if number < len(ID3V1_GENRES) else ""


def _credits(tags: Any, raw_tags: Any, tagged_artist: str, title: str, slashed: list[str] | None = None) -> tuple[str, ...]:
    """Every artist the tags credit, primary first (``credits.credited_artists``: Picard's
    ARTISTS list where there is one (``artiststag``), else the artist tag's values, each split
    on "feat." and its kin, ";" and " / ", then the title's "(feat. X)"), or () when they
    credit one: only then is ``artists`` in the payload. A track without an artist tag has no
    credits (a title's "(feat. X)" alone names no primary artist)."""
    if not tagged_artist:
        return ()
    # cleaned as every other tag is (``_values``): a control character or a colour code pasted
    # into the list would keep the credited name from matching --artist
    listed = [c for c in (one_script(visible(repaired(v))).strip() for v in artists_tag(raw_tags)) if c and not placeholder_artist(c)]
    # a download site's name after each value too ("Sidhu Moose Wala ft. BYG BYRD (Mr-Jatt.com)"
    # credited "BYG BYRD (Mr-Jatt.com)"), as the artist tag is read without it (``sitenames``)
    # a v2.3 frame's "A/B" list (``slashlists``) as Picard's list is
    listed = listed if len(listed) > 1 or not slashed or tags is None else slashed
    values = listed if len(listed) > 1 else [
        v for v in (without_site_names(v.strip()) for v in tag_values(tags, "artist")) if v and not placeholder_artist(v)
    ] or [tagged_artist]
    # "Berliner Philharmoniker, Herbert von Karajan" beside a CONDUCTOR tag: a list (``performers``)
    performers = performer_names(raw_tags)
    if performers:
        values = [part for v in values for part in as_performer_list(v, performers)]
    credited = credited_artists(values, title)
    return credited if len(credited) > 1 else ()


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_file(
    path: Path, relative: str, cover_cache: Path, covers: FolderCovers, problems: list[CatalogProblem],
    info: os.stat_result | None = None, cache: TagCache | None = None,
) -> tuple[TrackRecord, Tagged, tuple[Chapter, ...], CueSheet | None]:
    """The track of one file, which fields its tags gave, its chapters and the cue sheet in its
    tags: what the file's bytes give (from ``cache`` when its stat is the last read's), then its folder's cover and
    lyrics files."""
    entry = cache.get(relative, info) if cache is not None and info is not None else None
    if entry is None:
        own: list[CatalogProblem] = []
        record, tagged, marks, sheet = _read_tags(path, relative, cover_cache, own)
        entry = (record, tagged, tuple(p.message for p in own), marks, sheet)
        if cache is not None and info is not None:
            cache.put(relative, info, entry)
    record, tagged, messages, marks, sheet = entry
    problems.extend(CatalogProblem(relative, message) for message in messages)
    cover = record.cover_path or beside_cover(covers, path, relative)
    lyrics, composer = record.lyrics, record.composer
    if not lyrics:
        try:
            found = covers.sidecar_lyrics(path)
            lyrics = found.lyrics
            if not composer and found.composers:  # the tags' composer first (``lyriccredits``)
                composer = not_own(join_composers(list(found.composers)), record.artist, record.artists)
        except OSError as exc:
            problems.append(CatalogProblem(relative, f"cannot read the lyrics sidecar ({exc.strerror or exc})"))
    if cover != record.cover_path or lyrics != record.lyrics or composer != record.composer:
        record = with_fields(record, cover_path=cover, lyrics=lyrics, composer=composer)  # ``replace``'s, made faster
    return record, tagged, marks, sheet


def not_own(composer: str, artist: str, credits: tuple[str, ...]) -> str:
    """``composer``, or "" for a songwriter's own recording: the artist says it already."""
    return "" if normalise_title(composer) in {normalise_title(a) for a in (artist, *credits)} else composer


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


def _leading_id3(path: Path) -> EasyID3 | None:
    """An ID3v2 tag written before a FLAC stream, where old taggers put a FLAC's tags as an
    MP3's (FFmpeg and players read it; mutagen's FLAC reader steps over it): the FLAC was read
    as untagged, its title the file name's. None when there is none or it names nothing."""
    try:
        tags = EasyID3(path)
    except ID3NoHeaderError:
        return None
    return tags if any(first_value(tags, k) for k in ("title", "artist", "album")) else None


def _read_tags(
    path: Path, relative: str, cover_cache: Path, problems: list[CatalogProblem]
) -> tuple[TrackRecord, Tagged, tuple[Chapter, ...], CueSheet | None]:
    """What the file's bytes give: its track without the cover and lyrics files beside it, the
    chapters of a long file (``chapters``) and an album image's cue sheet in its tags."""
    tags: Any = None
    raw: Any = None
    readable = True
    marks: tuple[Chapter, ...] = ()
    length: float | None = None
    channels: int | None = None
    category = ""  # a broadcast WAV's cart category (``broadcastwav``): imaging's evidence
    try:
        audio = mutagen.File(path, easy=True)
        length = getattr(getattr(audio, "info", None), "length", None)
        channels = header_channels(audio)  # the cache key's question, asked now (``channelcount``)
        if may_have_chapters(path, length):  # an album or a mix in one file
            marks = read_chapters(path, length)
        tags = audio.tags if audio is not None else None
        # the raw view too: pictures, lyrics and comments are not in the easy view
        raw = audio if isinstance(tags, (ID3, ASFTags)) or audio is None else mutagen.File(path)
        if audio is None and path.suffix.lower() in MATROSKA_SUFFIXES:
            # mutagen has no Matroska reader: FFmpeg's view of the container (``matroska``)
            raw = matroska_file(path)
            tags, marks = raw.tags, raw.chapters
        if (tags is None and path.suffix.lower() == ".mp3") or isinstance(tags, APEv2):
            # foobar2000's or MP3Gain's APEv2 tag, where no ID3 is; WavPack's and Monkey's
            # Audio's own ("Year", "Album Artist"): under the reader's keys
            tags = ape_easy_tags(path)
        if isinstance(audio, FLAC) and not any(first_value(tags, k) for k in ("title", "artist", "album")):
            tags = _leading_id3(path) or tags
        if path.suffix.lower() == ".wav" and not any(first_value(tags, k) for k in ("title", "artist", "album")):
            # Audacity's and Windows' LIST/INFO, which mutagen skips; a playout system's cart
            # and bext chunks (``broadcastwav``) where INFO lacks a name: Rivendell's exports have them alone
            info = riff_info(path)
            cart, category = broadcast_tags(path)
            tags = {**cart, **info} or tags
        if not marks and may_have_chapters(path, length):  # a mix's tracklist in its description (``chapters``)
            marks = listed_chapters([str(t) for t in comment_texts(getattr(raw, "tags", None))], length)
        if path.suffix.lower() == ".dff" and not any(first_value(tags, k) for k in ("title", "artist", "album")):
            tags = dsdiff_info(path) or tags  # sacd_extract's DIIN artist and title, which mutagen skips
    # mutagen parses untrusted bytes and raises more than MutagenError on malformed input
    # (struct.error, ValueError, IndexError...); any of them means "no usable tags".
    except Exception as exc:  # noqa: BLE001
        readable = False
        # an AAC stream named .mp3 (P2P's renamed files): say so, not "can't sync" (``mislabelled``)
        problems.append(CatalogProblem(relative, f"cannot read tags ({_describe(exc)}){mislabelled_note(path)};"
                                                 " using the file name"))

    cover: Path | None = None
    if readable:
        try:
            pictures = embedded_pictures(raw)
        except Exception as exc:  # noqa: BLE001 - same reason as above
            pictures = []
            problems.append(CatalogProblem(relative, f"cannot read embedded pictures ({_describe(exc)})"))
        pictures.sort(key=lambda item: item[0] != FRONT_COVER)  # front cover first
        for _, data in pictures:
            try:
                suffix, payload = picture_payload(data, cover_cache)
            # Pillow raises OSError, SyntaxError, ValueError... for bad bytes: all mean "skip".
            except Exception:  # noqa: BLE001
                problems.append(CatalogProblem(relative, "embedded cover picture cannot be decoded"))
                continue
            cover = cache_picture(suffix, payload, cover_cache)
            break

    lyrics, description, written_by = "", "", ()
    if readable:
        try:
            found, description = embedded_text(raw)
            lyrics, written_by = found.lyrics, found.composers
        except Exception as exc:  # noqa: BLE001 - same reason as above
            problems.append(CatalogProblem(relative, f"cannot read lyrics or comment tags ({_describe(exc)})"))

    layout_artist, layout_album = folder_layout(relative)
    # the album artist stands in for a missing artist in every format (ID3's TPE2 did alone);
    # "Unknown Artist" and its kin are no artist (``placeholders``)
    # a download site's name in a field ("Artist - www.SongsPk.com"; ``sitenames``) is no part of it
    # and its name without the domain where the file names the domain ("Last Last | NaijaLoaded")
    brands = site_brands(first_value(tags, "artist"), first_value(tags, "title"), first_value(tags, "album"), path.name)
    album_artist = unless(placeholder_album_artist, without_site_brands(without_site_names(
        first_value(tags, "albumartist") or first_value(tags, "album artist")), brands))
    artist_tag = without_site_brands(without_site_names(first_value(tags, "artist")), brands)
    # deemix's ID3v2.3 "Gorillaz/De La Soul" under the album artist "Gorillaz", yt-dlp's "Daft
    # Punk, Pharrell Williams" its YouTube Music description lists: a list (``slashlists``, ``youtubeinfo``)
    slashed = slashed_artists(getattr(raw, "tags", None), album_artist) or listed_artists(artist_tag, getattr(raw, "tags", None))
    if slashed:
        artist_tag = slashed[0]
    # "Various Artists" as the artist tag (an old compilation's, whose titles say "Moby -
    # Porcelain"): no artist (``placeholders``), but the album's artist, one album node
    if not album_artist and placeholder_artist(artist_tag) and not placeholder_album_artist(artist_tag):
        album_artist = artist_tag
    tagged_artist = unless(placeholder_artist, artist_tag) or unless(placeholder_artist, album_artist)
    # a promo pool's "[PROMO]", an upload's "(FREE DL)", "PREMIERE:" are no part of it (``promomarks``)
    title_tag = _without_track_number(
        unless(placeholder_title, without_promo_marks(without_site_brands(without_site_names(_title(tags, path)), brands))), tags, path)
    # a DJ's "8A - 128 - Artist - Title", "Title (Tech Mix) 128 8A": the name's tempo and key
    # are no part of its title or artist (``nametempo``), nor of a title tag filled from it
    stem, name_bpm, name_key = tempo_key_in_name(without_promo_marks(name_without_suffix(path.name)))
    title_tag = title_without_name_tempo(title_tag, name_bpm, name_key)
    # a video download's "Artist - Title (Official Video)" by the artist or a channel (``uploads``)
    upload = upload_credit(title_tag, tagged_artist) if title_tag and tagged_artist else None
    # one by another uploader, a video's or a SoundCloud page's: "Seven Lions - Strangers" by
    # "MrSuicideSheep" is Seven Lions's (``reposts``)
    if upload is None and title_tag and tagged_artist and from_video_site(getattr(raw, "tags", None)):
        upload = repost_credit(title_tag, tagged_artist)
    if upload is not None:
        title_tag, tagged_artist = upload
    elif converter_name(tagged_artist):  # "ytmp3", a converter's name, of a title that names no artist
        tagged_artist = ""
    artist = tagged_artist or layout_artist
    # a promo's album "Gunroar (Remixes) - PROMO" is the bought one's (``promomarks``)
    album_tag = album = unless(placeholder_album, without_promo_marks(
        without_site_brands(without_site_names(first_value(tags, "album"), alone=True), brands, alone=True)))
    if not album and artist.casefold() == layout_artist.casefold():  # the folder's album is its artist's
        album = layout_album
    # GarageBand's "Beat 4.band/Output/output.caf": the project's song (``dawfolders``)
    title = title_tag or package_title(relative, stem) or title_from_name(stem)
    # ID3v1 alone cut "Kuch Kuch Hota Hai (Sad Versio": the file's name and folder keep it whole (``id3v1``)
    if title_tag or album_tag:
        title, album = whole_fields(path, title, title_from_name(stem), album, layout_album, artist)
    # "I. Allegro" of a work named in a tag of its own: "<work>: I. Allegro" (``works``)
    title = with_work(title, tagged_work(getattr(raw, "tags", None), title))

    # an upload's artist is its title's, not the channel the artist tag names
    credits = _credits(None if upload else tags, getattr(raw, "tags", None), tagged_artist, title, slashed)
    # a tag's composer, else the one the lyrics' credit lines name ("作曲 : 周杰伦": ``lyriccredits``)
    composer = not_own(composer_tag(tags, getattr(raw, "tags", None)) or join_composers(list(written_by)), artist, credits)
    bpm, key = tempo_and_key(tags, getattr(raw, "tags", None)) if readable else (None, "")
    bpm, key = (name_bpm if bpm is None else bpm), (key or name_key)  # the tags' win
    number, disc = track_place(tag_values(tags, "tracknumber"), tag_values(tags, "discnumber"), relative)
    record = TrackRecord(
        track_id=track_id_for(relative),
        title=title,
        artist=artist,
        artists=credits,
        album=album,
        album_artist=album_artist if album else "",
        composer=composer,
        genres=_genres(tags, getattr(raw, "tags", None)),
        # yt-dlp's upload date of a YouTube Music song: the year its description gives (``youtubeinfo``)
        year=song_year(release_year(tags, getattr(raw, "tags", None), (title, artist, album)), first_value(tags, "date"),
                       getattr(raw, "tags", None)) or layout_year(relative),
        lyrics=lyrics,
        description=description,
        audio_path=path,
        cover_path=cover,
        source=relative,
        recording_id=recording_id(tags, getattr(raw, "tags", None)),
        # Picard's MusicBrainz artist ids, by name: one artist however spelled (``artistids``)
        artist_ids=named_ids(tags, getattr(raw, "tags", None), tagged_artist, credits, album_artist if album else "",
                             artists_tag(getattr(raw, "tags", None))) if readable and tagged_artist else (),
        bpm=bpm,
        key=key,
        track_number=number,
        disc_number=disc,
        # an episode's or a book's flag (``spokenword``); genre and folders are read once all are known
        # a cart filed as imaging ("LEGAL", "SWEEPERS": ``imaging``) is no song either
        kind=SPOKEN if readable and (tagged_spoken(getattr(raw, "tags", None)) or imaging_category(category)) else "",
        # a skit is short (``skits``): a header's length of 0 or less says nothing
        file_seconds=float(length) if isinstance(length, (int, float)) and length > 0 else None,
        file_channels=channels,
        # the tags' advisory (``advisory``); the title's and album's marks are read once they are final
        explicit=tagged_advisory(tags, getattr(raw, "tags", None)) if readable else None,
        # the musicians the tags name, else a comment's personnel line (``performers``, ``personnel``)
        performers=(musicians(getattr(raw, "tags", None)) or comment_personnel(description)) if readable else (),
        # a Japanese tagger's romaji: "Kenshi Yonezu" of "米津玄師" (``scriptnames``), "Yoru ni
        # Kakeru" of "夜に駆ける" (``sortnames.title_reading``)
        artist_sort=first_value(tags, "artistsort") if tagged_artist else "",
        title_sort=title_reading(title, first_value(tags, "titlesort")) if title_tag else "",
    )
    sheet = embedded_sheet(tags, path.name)  # an album image's sheet in its tags (foobar2000's, EAC's)
    return record, Tagged(artist=bool(tagged_artist), title=bool(title_tag), album=bool(album_tag)), marks, sheet


def _unusable(relative: str, path: Path) -> tuple[CatalogProblem | None, os.stat_result | None]:
    """One problem line for an audio-named entry that cannot be a track: not a regular file
    (``file_problem``), an empty one, or a name that is not UTF-8 (no payload or hash could
    hold it); and the file's stat, where it was taken."""
    try:
        relative.encode("utf-8")
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(relative).decode("utf-8", "replace")
        return CatalogProblem(shown, "the file name is not UTF-8 text; rename the file"), None
    info, problem = file_stat(path)
    if problem is None and info is not None and info.st_size == 0:
        # no header, no tags, no sound: nothing a player or an encoder could take; as a track it
        # would be recommended on its file name alone
        problem = "empty file (0 bytes): not a track"
    return (None if problem is None else CatalogProblem(relative, problem)), info


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
        unusable, info = _unusable(relative, path)
        if unusable is not None:
            problems.append(unusable)
            others += 1
            continue
        if info is not None:
            file_stats[str(path)] = [int(info.st_size), int(info.st_mtime_ns)]
        before = len(problems)
        track, tags, marks, sheet = _read_file(path, relative, cover_folder, covers, problems, info, cache)
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
