"""One audio file read as a track (``read_file``): what its bytes give, its tags, embedded
cover, lyrics and comments, the chapters of a long file and an album image's cue sheet in its
tags (kept by ``tagcache`` between reads), then the cover and lyrics files beside
it; and an audio-named entry that cannot be a track said in one problem line (``unusable_file``).

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
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import mutagen
from mutagen.apev2 import APEv2
from mutagen.asf import ASFTags
from mutagen.easyid3 import EasyID3
from mutagen.flac import FLAC
from mutagen.id3 import ID3, ID3NoHeaderError

from recsys.catalog.model import SPOKEN, CatalogProblem, TrackRecord, file_stat, normalise_title, with_fields
from recsys.catalog.artiststag import artists_tag
from recsys.catalog.placeholders import (
    placeholder_album, placeholder_album_artist, placeholder_artist, placeholder_title,
)
from recsys.catalog.filenames import title_from_name
from recsys.catalog.folderlayout import Tagged, folder_layout, layout_year, unless
from recsys.catalog.apetags import ape_easy_tags
from recsys.catalog.riffinfo import riff_info
from recsys.catalog.dsdiffinfo import dsdiff_info
from recsys.catalog.broadcastwav import broadcast_tags
from recsys.catalog.imaging import imaging_category
from recsys.catalog.sortnames import title_reading
from recsys.catalog.artistids import named_ids
from recsys.catalog.performers import musicians
from recsys.catalog.personnel import comment_personnel
from recsys.catalog.works import tagged_work, with_work
from recsys.catalog.albumplaces import track_place
from recsys.catalog.cuesheets import CueSheet, embedded_sheet
from recsys.catalog.spokenword import tagged_spoken
from recsys.catalog.advisory import tagged_advisory
from recsys.catalog.chapters import Chapter, listed_chapters, may_have_chapters, read_chapters
from recsys.catalog.tagcache import TagCache
from recsys.catalog.pictures import FRONT_COVER, cache_picture, embedded_pictures, picture_payload
from recsys.catalog.nametempo import tempo_key_in_name, title_without_name_tempo
from recsys.catalog.promomarks import without_promo_marks
from recsys.catalog.tempokey import tempo_and_key
from recsys.catalog.tagvalues import (
    comment_texts, composer_tag, embedded_text, first_value, recording_id, release_year, tag_values,
)
from recsys.catalog.suffixes import name_without_suffix
from recsys.catalog.sitenames import converter_name, site_brands, without_site_brands, without_site_names
from recsys.catalog.dawfolders import package_title
from recsys.catalog.composerlists import join_composers
from recsys.catalog.mislabelled import mislabelled_note
from recsys.catalog.sidecars import FolderCovers, beside_cover
from recsys.catalog.matroska import MATROSKA_SUFFIXES, matroska_file
from recsys.catalog.uploads import upload_credit
from recsys.catalog.id3v1 import whole_fields
from recsys.catalog.slashlists import slashed_artists
from recsys.catalog.youtubeinfo import listed_artists, song_year
from recsys.catalog.channelcount import header_channels
from recsys.catalog.reposts import from_video_site, repost_credit
from recsys.catalog.tagfields import tag_credits, tag_genres, tag_title, without_track_number
from recsys.catalog.trackids import track_id_for


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def read_file(
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
    title_tag = without_track_number(
        unless(placeholder_title, without_promo_marks(without_site_brands(without_site_names(tag_title(tags, path)), brands))), tags, path)
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
    credits = tag_credits(None if upload else tags, getattr(raw, "tags", None), tagged_artist, title, slashed)
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
        genres=tag_genres(tags, getattr(raw, "tags", None)),
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


def unusable_file(relative: str, path: Path) -> tuple[CatalogProblem | None, os.stat_result | None]:
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
