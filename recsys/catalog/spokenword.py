"""Spoken word in a music folder: podcast episodes, audiobooks, voice memos, lectures.

A person's music folder holds them beside the songs (iTunes' and Music.app's "Podcasts/",
"Audiobooks/" and "Voice Memos/", a phone's "Podcasts/"). As tracks like any other, a song's
radio listed a podcast episode or an audiobook's chapter, which a listener calls wrong; and the
listener who seeds with an episode wants other episodes. A track is spoken word (``kind``
"spoken", the payload's ``kind``) on clear evidence alone (an ``.m4b`` first, then a music genre):

- its tags say so: MP4's podcast flag (``pcst``) or its media kind (``stik`` 2 audiobook, 21
  podcast, 23 iTunes U), ID3's podcast frame (``PCST``);
- it is an audiobook file (``.m4b``);
- its genre is a spoken-word one ("Podcast", "Audiobook", "Hörbuch", "Voice Memo", "Spoken
  Word"...: ``SPOKEN_NAMES``);
- it is a hip-hop album's skit: its title says so ("Workout Plan (Skit)", "Lil Jimmy Skit",
  ``skits``), whatever its genre, and it is short where its length is known;
- it is a radio station's imaging: a jingle, a station ID, a sweeper, a PSA, a spot, its genre,
  its cart chunk's category or its folder says so (``imaging``; a short one whatever its genre);
- a folder above it is one of the players' spoken-word folders ("Podcasts", "Audiobooks",
  "Voice Memos": ``SPOKEN_FOLDERS``) that is not named for the track's own artist ("Audiobooks"
  is a band too: its albums under "Audiobooks/" stay music, whatever their genre).

The tags' flag, a spoken-word genre and the folders yield to another genre of the track that
names a kind of music (``categoryfolders.music_genre``, less "Comedy", "Spoken Word", "Kids",
"Children": a podcast's or a book's genres too): a DJ's mix show is a podcast to iTunes
(``pcst``) and music to a listener, so its "Trance" episode stays music, and so does poetry over
a band ("Jazz" and "Spoken Word"); a podcast's "Technology" is no music genre. A skit's title
does not yield: the "Hip-Hop" it is tagged with is its album's genre, not its own.

Everything else is music, as every track was before. The chapter splitter
(``chapters.with_chapters``) asks ``kept_whole``, a wider test of the same list: a file left
whole by mistake costs little, a song hidden from every radio costs more.

A change of these rules that changes what they find bumps ``model.DERIVED_RULES``: ``kind`` is
out of the hashes, so only that makes the next ingest rewrite the stored payloads.
"""

from __future__ import annotations

from typing import Any

from recsys.catalog.categoryfolders import music_genre
from recsys.catalog.imaging import imaging_evidence, short
from recsys.catalog.model import SPOKEN, TrackRecord, normalise_title
from recsys.catalog.skits import is_skit

#: genres (and, for the chapter splitter, folder names) that say a file is spoken word
SPOKEN_NAMES = frozenset(normalise_title(n) for n in (
    "Podcast", "Podcasts", "Audiobook", "Audiobooks", "Audio Book", "Audio Books", "Hörbuch", "Hörbücher",
    "Hörspiel", "Speech", "Spoken Word", "Spoken", "Lectures", "Books", "Books & Spoken", "Voice Memo",
    "Voice Memos",
))
#: the folders of ``SPOKEN_NAMES`` that players and phones make for spoken word, which make a
#: track spoken word by themselves. Not "Spoken", "Books", "Speech", "Lectures": an album or a
#: band is called so ("Spoken", the band; a "Lectures" EP), a player never names its folders so
SPOKEN_FOLDERS = frozenset(normalise_title(n) for n in (
    "Podcasts", "Audiobooks", "Audio Books", "Hörbücher", "Voice Memos",
)) & SPOKEN_NAMES
#: genres the music genres list that are no kind of music to this test: a podcast's, a record's
_NO_MUSIC = frozenset(normalise_title(n) for n in ("Comedy", "Spoken Word", "Kids", "Children"))
#: the MP4 media kinds (``stik``) of spoken word: audiobook, podcast, iTunes U
_SPOKEN_STIK = frozenset({2, 21, 23})
#: audiobook files: Apple's container for them
AUDIOBOOK_SUFFIXES = (".m4b",)


def _folders(track: TrackRecord) -> list[str]:
    return [normalise_title(n) for n in track.source.replace("\\", "/").split("/")[:-1]]


def kept_whole(track: TrackRecord) -> bool:
    """Whether a file's chapters are a podcast's or a book's topics, never songs: its genre or a
    folder above it is one of ``SPOKEN_NAMES`` (the chapter splitter's test), or it is spoken
    word by ``kind_of``."""
    names = [normalise_title(g) for g in track.genres] + _folders(track)
    return kind_of(track) == SPOKEN or any(n in SPOKEN_NAMES for n in names)


def tagged_spoken(raw_tags: Any) -> bool:
    """Whether mutagen's raw tags flag the file as a podcast episode or an audiobook: MP4's
    ``pcst`` or ``stik``, ID3's ``PCST``. False for any other tag or a malformed one."""
    try:
        if hasattr(raw_tags, "getall"):  # ID3: iTunes writes a PCST frame (value 1) on an episode
            return any(getattr(f, "value", 0) for f in raw_tags.getall("PCST"))
        if hasattr(raw_tags, "get") and type(raw_tags).__name__ == "MP4Tags":
            if raw_tags.get("pcst") is True:  # mutagen gives the flag as a bool, not a list
                return True
            return any(int(v) in _SPOKEN_STIK for v in raw_tags.get("stik") or ())
    except Exception:  # noqa: BLE001 - tags of malformed bytes say nothing: the file is music
        return False
    return False


def _music(track: TrackRecord) -> bool:
    """Whether a genre of the track names a kind of music (not "Comedy", "Spoken Word", "Kids",
    "Children": a podcast's or an audiobook's genres as often)."""
    return any(music_genre(g) and normalise_title(g) not in _NO_MUSIC for g in track.genres)


def _artists(track: TrackRecord) -> set[str]:
    return {normalise_title(n) for n in (track.artist, track.album_artist, *track.artists) if n}


def kind_of(track: TrackRecord) -> str:
    """``SPOKEN`` where the evidence above says so (the tags' flag is ``track.kind`` as read),
    else "" (music)."""
    if track.audio_path is not None and str(track.audio_path).lower().endswith(AUDIOBOOK_SUFFIXES):
        return SPOKEN
    if is_skit(track):  # its album's "Hip-Hop" genre is no evidence against its title's mark
        return SPOKEN
    # station imaging (``imaging``): a short one whatever its genre (a jingle package's "Pop");
    # the length asked first, the evidence only where it can decide (a song is no jingle's length)
    if short(track) and imaging_evidence(track):
        return SPOKEN
    if _music(track):  # a music show's episode, poetry over a band, a band's album under a folder of its name
        return ""
    genres = [normalise_title(g) for g in track.genres if str(g).strip()]
    if any(g in SPOKEN_NAMES for g in genres) or imaging_evidence(track, genres):
        return SPOKEN
    if track.kind == SPOKEN:
        return SPOKEN
    # a podcast's feed genre ("Technology", "History") under "Podcasts/"; not the band Audiobooks' folder
    artists = _artists(track)
    if any(n in SPOKEN_FOLDERS and n not in artists for n in _folders(track)):
        return SPOKEN
    return ""
