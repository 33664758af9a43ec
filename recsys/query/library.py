"""A collection opened for queries: seed lookup, neighbour fetching, the one dedup and artist cap."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from recsys.catalog.suffixes import AUDIO_SUFFIXES as MUSIC_FOLDER_SUFFIXES, DERIVATIVE_MARKS, is_audio_name
from recsys.catalog.leaders import named_leaders
from recsys.catalog.model import ALBUM_PLACE_FIELD, TITLE_SORT_FIELD
from recsys.collection import CollectionMeta, physical_vector
from recsys.errors import NotFoundError, RecsysError
from recsys.labels import label_key
from recsys.modalities import MODALITIES
from recsys.store.base import ADVISORY_FIELD, CLEAN, SPOKEN, Hit, NeighbourQuery, PointRecord, QueryFilter, StoreBackend
from recsys.query.clean import CLEAN_ONLY, EXPLICIT_ONLY, explicit_of
from recsys.query.titles import (AmbiguousTitleError, TitleEntry, TitleIndex, artist_keys, normalise, other_names, pick,
                                 song_key, version_key)


@dataclass(frozen=True)
class Result:
    """One recommended track, with the cosine similarity to the seeds per modality when
    explained (None where the track or the seed lacks that modality)."""

    track_id: str
    title: str
    artist: str
    album: str
    genres: tuple[str, ...]
    year: int | None
    score: float
    explanation: dict[str, float | None] | None = None
    seed: str | None = None  # for playlists: the seed this track came from
    #: the audio and cover files, absolute (None when the catalog has none for this track)
    audio_path: str | None = None
    cover_path: str | None = None
    is_seed: bool = False  # an ordered playlist's own seed tracks
    #: a track of an album ripped to one file: its part of ``audio_path``, in seconds (the
    #: payload's ``audio_start`` / ``audio_end``; the end None: to the file's end)
    audio_start: float | None = None
    audio_end: float | None = None
    #: the MusicBrainz recording id its tags give (the payload's ``recording_id``), for scripts
    #: that join results with MusicBrainz or ListenBrainz; None without one
    recording_id: str | None = None
    #: the tempo and the Camelot key its tags give (the payload's ``bpm`` / ``key``), for a
    #: DJ picking the next track; None without them
    bpm: float | None = None
    key: str | None = None
    #: the parental advisory its tags or marks give (the payload's ``advisory``): True
    #: explicit, False clean, None where nothing says
    explicit: bool | None = None

    def as_dict(self) -> dict:
        d = {
            "track_id": self.track_id,
            "title": self.title,
            "artist": self.artist,
            "album": self.album,
            "genres": list(self.genres),
            "year": self.year,
            "score": round(self.score, 6),
            "audio_path": self.audio_path,
            "cover_path": self.cover_path,
        }
        if self.explanation is not None:
            d["explanation"] = {m: (None if v is None else round(v, 6)) for m, v in self.explanation.items()}
        if self.seed is not None:
            d["seed"] = self.seed
        if self.is_seed:
            d["is_seed"] = True
        if self.recording_id:  # only then, as the span below
            d["recording_id"] = self.recording_id
        if self.bpm is not None:  # the same
            d["bpm"] = self.bpm
        if self.key:
            d["key"] = self.key
        if self.explicit is not None:  # the same
            d["explicit"] = self.explicit
        if self.audio_start is not None:  # only then: every other track's answer is as it was
            d["audio_start"] = self.audio_start
            d["audio_end"] = self.audio_end
        return d


def _identity(p: PointRecord | Hit) -> tuple[tuple[tuple[str, str], ...], str]:
    """``song_keys`` and ``artist_key`` of one track, from one version key: the dedup of every
    query asks them for each hit (computed apart, they made the picker 3.5 times slower: 0.30
    against 0.08 ms for 200 hits)."""
    primary = primary_artist(p)
    credited = p.get("artists")
    by = primary
    if p.get("composer") and isinstance(credited, list) and len(credited) > 1:
        # a composed work's performance: "Wiener Philharmoniker; Carlos Kleiber" and "Wiener
        # Philharmoniker; Leonard Bernstein" are two recordings of the Fifth, not versions of one
        by = "; ".join(str(a) for a in credited)
    # a cue title ("Main Title", "Finale") is its album's piece (``cues``): two films' are two songs
    # and on an album that repeats it, its place there: one album's four "Battle Theme"s are four
    version = song_key(str(p.get("title", "")), by, str(p.get("album") or ""), str(p.get(ALBUM_PLACE_FIELD) or ""))
    path = str(p.get("audio_path") or "").replace("\\", "/")
    if version[1]:
        key, artist = version, (version[1] if by is primary else version_key("", primary)[1])
    else:
        artist = f"\0track:{p.track_id}"
        key = (version[0], f"\0folder:{path.rpartition('/')[0]}") if path else (version[0], artist)
    keys: tuple[tuple[str, str], ...] = (key,)
    if version[1]:
        # "뚜두뚜두 (DDU-DU DDU-DU)" from a Korean store and "DDU-DU DDU-DU" from an English one:
        # one song's two names (``titles.other_names``)
        # and "アイドル" read "Idol" by its sort tag and a download titled "Idol" (``title_sort``)
        reading = p.get(TITLE_SORT_FIELD)
        names = (*other_names(str(p.get("title", ""))), *((reading,) if isinstance(reading, str) and reading else ()))
        keys += tuple(song_key(name, by, str(p.get("album") or ""), str(p.get(ALBUM_PLACE_FIELD) or ""))
                      for name in names)
    if not version[1] and path and p.get("audio_start") is None:
        # an untagged file and its copy in another folder (a DJ's rekordbox USB export keeps
        # "Contents/UnknownArtist/UnknownAlbum/ID - ID (White Label).mp3" beside the library's
        # own): one title and one size in bytes is one file. "Track 01" of two albums is not:
        # their sizes differ
        size = _size(p)
        if size:
            keys += (("\0copy", f"{version[0]}\0{size}"),)
    if path and p.get("audio_start") is None:
        # "gd77-05-08d1t01.flac" and its ".mp3" and ".ogg" (the Internet Archive's derivatives,
        # "_64kb.mp3" too; a FLAC kept beside its MP3): one recording in several files, however
        # each is tagged. Not the tracks of one album image: they share their file
        # the suffix's case too: one tool named them all. A name without a suffix ("audio/1",
        # a manifest's blob under "/home/jane.doe/") is its own whole: never a folder's dot,
        # nor its last character
        dot = path.rfind(".")
        stem = path[:dot] if dot > path.rfind("/") + 1 else path
        keys += (("\0file", stem[:stem.rfind("_")] if stem.endswith(_DERIVATIVES) else stem),)
    if version[1] and isinstance(credited, list) and len(credited) > 1:
        # "Little Melonae" by Miles Davis and by "Miles Davis & John Coltrane", "Four" by him and
        # by "Miles Davis Quintet": his songs either way, one song's versions in his radio
        # (``catalog.leaders``); the band's own key stays
        # a film song's singers listed with commas ("Arijit Singh, Lofi Boy"), not a composed
        # work's performers ("Berliner Philharmoniker, Herbert von Karajan": ``by`` is their list)
        for leader in named_leaders(primary, tuple(str(a) for a in credited), by is primary):
            keys += ((version[0], version_key("", leader)[1]),)
    recording = p.get("recording_id")
    if isinstance(recording, str) and recording:
        keys += (("\0recording", recording),)
    return keys, artist


def _place_in_file(entry: TitleEntry) -> tuple[int, str]:
    """A track of an album or a mix in one file by its number there (its id's "#03"); others last."""
    number = entry.track_id.rpartition("#")[2]
    return (int(number), entry.track_id) if "#" in entry.track_id and number.isdigit() else (1 << 30, entry.track_id)


#: what the Internet Archive adds to a derivative's name: "x_64kb.mp3", "x_vbr.mp3"
_DERIVATIVES = DERIVATIVE_MARKS


def _cosine(score: float) -> float:
    """A similarity as shown: a track's vector stored in float16 against itself (a query by its
    own audio clip) scored 1.000065; a cosine is at most 1."""
    score = float(score)
    return 1.0 if 1.0 < score <= 1.001 else score


def _size(p: PointRecord | Hit) -> int | None:
    """The size of a track's audio file as the ingest read it (the payload's ``file_stat``:
    [[size, mtime], cover's]), None without one. Not asked of the disk: the dedup runs on
    every hit of every answer, and a library on a NAS answers a stat in milliseconds."""
    stat = p.get("file_stat")
    audio = stat[0] if isinstance(stat, list) and stat else None
    size = audio[0] if isinstance(audio, list) and audio else None
    return size if isinstance(size, int) and size > 0 else None


#: the payload fields ``_identity`` reads: what ``Library.clean_copies`` reads of each clean copy
IDENTITY_KEYS: tuple[str, ...] = ("title", "artist", "artists", "composer", "album", ALBUM_PLACE_FIELD, "audio_path",
                                  "audio_start", "file_stat", "recording_id", "artist_as", TITLE_SORT_FIELD)


def track_key(p: PointRecord | Hit) -> tuple[str, str]:
    """The version key (base title, artist) of a stored track or a hit. A track with no artist
    (an untagged file) is no artist's: untagged files are not taken for versions of each other
    because their titles match, but for those of one folder. There a title twice is a copy
    ("HCMainTitle_Fast.wav" and Windows' "HCMainTitle_Fast - Copy.wav", both titled by their
    name): a real library's untagged copy was recommended first for its original."""
    return _identity(p)[0][0]


def song_keys(*tracks: PointRecord | Hit) -> list[tuple[str, str]]:
    """The keys that make a track a version of another: ``track_key``, and the MusicBrainz
    recording it is where tagged (the payload's ``recording_id``, from Picard's
    MUSICBRAINZ_TRACKID / UFID). One recording on an album and on a compilation may be titled
    or credited otherwise ("Grass Theme" by Wolfire Games, "Grass Theme - Lugaru" by Wolfire):
    the id says they are one."""
    return [key for p in tracks for key in _identity(p)[0]]


def artist_key(p: PointRecord | Hit) -> str:
    """Who a track is by, for the artist cap and a playlist's "never twice in a row": its
    primary artist, normalised; the track itself when it has none (artist-less tracks are not
    one artist, nor one folder's: a game's untagged sounds are not capped together)."""
    return _identity(p)[1]


def primary_artist(p: PointRecord | Hit) -> str:
    """The artist a stored track is by, for the cap and the versions: the first of its credited
    ``artists`` (a music folder's "Drake feat. Rihanna" is Drake's), else ``artist``; the name
    its MusicBrainz artist id is known by where the tag spells it otherwise (``artist_as``:
    "植松伸夫" is "Nobuo Uematsu"'s, ``catalog.artistids``)."""
    known = p.get("artist_as")
    if isinstance(known, str) and known:
        return known
    credited = p.get("artists")
    if isinstance(credited, list) and credited and isinstance(credited[0], str) and credited[0].strip():
        return credited[0]
    return str(p.get("artist", "") or "")


def excluding(flt: QueryFilter, track_ids: Iterable[str]) -> QueryFilter:
    """``flt`` that also leaves out ``track_ids`` (the seeds) in the store itself."""
    return replace(flt, exclude_track_ids=tuple(sorted(set(flt.exclude_track_ids) | set(track_ids))))


class Picker:
    """The one dedup and artist-cap rule: a hit is taken unless it is an excluded track, a
    version of an excluded or already taken song, or past ``max_per_artist`` tracks of its
    artist (0: no cap), or, under ``--clean``, a copy not marked clean of a song of
    ``clean_songs`` (its clean copy stands for it: ``recsys.query.clean``). Taking a hit
    records it."""

    def __init__(
        self, max_per_artist: int = 0, exclude_keys: Iterable[tuple[str, str]] = (), exclude_ids: Iterable[str] = (),
        clean_songs: frozenset[tuple[str, str]] = frozenset(),
    ):
        self.max_per_artist = max_per_artist
        self.keys: set[tuple[str, str]] = set(exclude_keys)
        self.ids: set[str] = set(exclude_ids)
        self.per_artist: dict[str, int] = {}
        self.clean_songs = clean_songs

    def copy(self, max_per_artist: int | None = None) -> Picker:
        """An independent copy, with another cap if given."""
        other = Picker(self.max_per_artist if max_per_artist is None else max_per_artist, self.keys, self.ids,
                       self.clean_songs)
        other.per_artist = dict(self.per_artist)
        return other

    def count(self, p: PointRecord | Hit) -> None:
        """Count ``p`` toward its artist's cap (a playlist's seeds) without taking it."""
        artist = artist_key(p)
        self.per_artist[artist] = self.per_artist.get(artist, 0) + 1

    def take(self, h: Hit) -> bool:
        if h.track_id in self.ids:
            return False
        keys, artist = _identity(h)
        if not self.keys.isdisjoint(keys):
            return False
        if self.clean_songs and h.get(ADVISORY_FIELD) != CLEAN and not self.clean_songs.isdisjoint(keys):
            return False  # the unmarked copy of a song owned clean too: the clean copy plays
        taken = self.per_artist.get(artist, 0)
        if 0 < self.max_per_artist <= taken:
            return False
        self.keys.update(keys)
        self.ids.add(h.track_id)
        self.per_artist[artist] = taken + 1
        return True


#: One neighbour query for the store (a nearest search, a recommend or MMR).
Neighbours = NeighbourQuery


#: An artist radio (``--artist`` without a title) seeds with up to this many of the artist's songs.
RADIO_SEEDS = 10


#: The last suffixes of the audio files a track or an upload may have (a stem file's is ".mp4":
#: served as it is, its first stream the mix)
AUDIO_SUFFIXES = frozenset(MUSIC_FOLDER_SUFFIXES) | {".mp4"}


#: The payload field holding ``titles.normalise(title)`` (written at ingest by
#: ``TrackRecord.payload``, keyword-indexed): exact title seeds are one filtered scroll on it.
TITLE_KEY = "title_norm"
#: The payload field with a full-text (BM25) index that a fuzzy title's candidates come from,
#: and how many of them the fuzzy matcher scores (the best by BM25)
TITLE_TEXT_FIELD = "title"
FUZZY_CANDIDATES = 500


def _looks_like_path(seed: str) -> bool:
    return "/" in seed or os.sep in seed or is_audio_name(seed)  # an audio file's name is never a title


#: the payload fields a ``TitleEntry`` is made of: a pass over every title reads these alone
ENTRY_KEYS: tuple[str, ...] = ("title", "artist", "audio_path", "artists", "recording_id", "album", ALBUM_PLACE_FIELD,
                               "artist_as", "composer", TITLE_SORT_FIELD)


#: what an artist radio's seeds read of each of the artist's tracks under ``--clean``
RADIO_KEYS: tuple[str, ...] = tuple(dict.fromkeys((*ENTRY_KEYS, *IDENTITY_KEYS, ADVISORY_FIELD)))


def _entry(p: PointRecord) -> TitleEntry:
    credited = p.payload.get("artists")
    return TitleEntry(
        p.track_id,
        str(p.payload.get("title", "")),
        str(p.payload.get("artist", "")),
        str(p.payload["audio_path"]) if p.payload.get("audio_path") else None,
        # an artist radio takes the songs an artist is featured on, after its own
        tuple(str(a) for a in credited) if isinstance(credited, list) else (),
        str(p.payload.get("recording_id") or ""),
        str(p.payload.get("album") or ""),
        str(p.payload.get(ALBUM_PLACE_FIELD) or ""),
        str(p.payload.get("artist_as") or ""),
        # a composed work's performance ("Berliner Philharmoniker, Herbert von Karajan"), as the dedup reads it
        bool(p.payload.get("composer")),
        str(p.payload.get(TITLE_SORT_FIELD) or ""),
    )


class Library:
    """A collection opened for queries: its metadata, its titles and its neighbours."""

    def __init__(self, backend: StoreBackend, collection: str, *, files: bool = True):
        """``files``: a seed may name an audio file of this machine (the command line); a
        server passes False, so a request's seed is never looked up as a path (whether a
        path exists on the server is nobody's business)."""
        if not backend.collection_exists(collection):
            known = ", ".join(backend.list_collections()) or "none yet; run `recsys ingest`"
            raise NotFoundError(f"no collection '{collection}' (collections: {known})")
        self.backend = backend
        self.name = collection
        self.files = files
        self.spec = backend.get_spec(collection)
        self.meta = CollectionMeta.from_dict(self.spec.metadata)
        # built lazily, only for what the store cannot answer by itself
        self._titles: TitleIndex | None = None
        self._title_keys: bool | None = None
        self._spoken: bool | None = None
        self._explicit: bool | None = None
        self._clean: frozenset[tuple[str, str]] | None = None
        #: logical vector -> named vector, checked once (a Library lives while its spec does)
        self._vectors: dict[str, str] = {}

    # -- finding seeds -------------------------------------------------------------------
    def titles(self) -> TitleIndex:
        """Every track's (id, title, artist, audio file): a scroll of the whole collection,
        made once and only when needed (fuzzy titles, audio files, artist radios, and every
        title of a collection ingested before ``title_norm`` existed)."""
        if self._titles is None:
            self._titles = TitleIndex(
                _entry(p) for p in self.backend.payloads(self.name, ENTRY_KEYS)
            )
        return self._titles

    def has_title_keys(self) -> bool:
        """Whether every point carries ``title_norm`` (collections ingested before it do not):
        one exact count of the points lacking it, remembered."""
        if self._title_keys is None:
            self._title_keys = self.backend.count(self.name, flt=QueryFilter(missing=(TITLE_KEY,))) == 0
        return self._title_keys

    def has_spoken(self) -> bool:
        """Whether any point is spoken word (the payload's ``kind``, ``recsys.query.kinds``):
        one count on its payload index, remembered (a server opens its Library again after
        a write)."""
        if self._spoken is None:
            self._spoken = self.backend.count(self.name, flt=QueryFilter(kind=SPOKEN)) > 0
        return self._spoken

    def has_explicit(self) -> bool:
        """Whether any point is marked explicit (the payload's ``advisory``, ``recsys.query.clean``):
        one count on its payload index, remembered as ``has_spoken``."""
        if self._explicit is None:
            self._explicit = self.backend.count(self.name, flt=EXPLICIT_ONLY) > 0
        return self._explicit

    def clean_copies(self) -> frozenset[tuple[str, str]]:
        """The song keys (``song_keys``) of every track marked clean or not explicit: the songs
        whose unmarked copy ``--clean`` leaves to the clean one. One filtered pass over those
        tracks' few fields, remembered (most collections have none or a few dozen)."""
        if self._clean is None:
            found = self.backend.payloads(self.name, IDENTITY_KEYS, flt=CLEAN_ONLY)
            self._clean = frozenset(song_keys(*found))
        return self._clean

    def resolve(
        self, seeds: Sequence[str], artist: str | None = None, vectors: Sequence[str] | None = None,
        clean: bool = False,
    ) -> list[PointRecord]:
        """The tracks meant by ``seeds``: each a track id, an audio file (absolute, or relative
        to the current folder or the catalog) or a title (exact, then fuzzy; ``artist`` narrows
        it). No seeds but an ``artist``: an artist radio's seeds, up to RADIO_SEEDS of that
        artist's songs (with ``clean``, a parent's radio: those not marked explicit, where the
        artist has any). The points come with every named vector, or only ``vectors``'
        (logical names, as ``using`` takes them)."""
        if not seeds and artist:
            entries = self._artist_tracks(artist, clean)
        else:
            # seeds given as track ids (what the API and the page send) are found with their
            # vectors in one lookup; the others are resolved one by one, then read
            found = self.points_by_id(seeds, vectors)
            if found is not None:
                return found
            entries = [self.find(s, artist) for s in seeds]
        points = {p.track_id: p for p in self.backend.retrieve(self.name, [e.track_id for e in entries],
                                                                with_vectors=self._fetch(vectors))}
        return [points[e.track_id] for e in entries]

    def points_by_id(self, seeds: Sequence[str], vectors: Sequence[str] | None = None) -> list[PointRecord] | None:
        """The stored tracks whose ids are ``seeds``, in order, with every named vector or
        only ``vectors``' (one point lookup); None unless every seed is a stored track's id
        (then ``resolve`` reads titles or paths)."""
        if not seeds:
            return None
        by_id = {p.track_id: p for p in self.backend.retrieve(self.name, list(seeds), with_vectors=self._fetch(vectors))}
        return [by_id[s] for s in seeds] if all(s in by_id for s in seeds) else None

    def _fetch(self, vectors: Sequence[str] | None) -> bool | list[str]:
        return True if vectors is None else [self.vector(v) for v in vectors]

    def find(self, seed: str, artist: str | None = None) -> TitleEntry:
        """One seed: an exact track id, else an audio file (with ``files``), else a title (an
        exact title is one filtered scroll on ``title_norm``; only a fuzzy one reads every title)."""
        entry = self._by_id(seed)
        if entry is not None:
            return entry
        if self.files and _looks_like_path(seed):
            entry = self._by_path(seed)
            if entry is not None:
                return entry
            if Path(seed).expanduser().exists() or is_audio_name(seed):
                raise NotFoundError(f"no track of collection '{self.name}' has the audio file '{seed}'")
        if self._titles is None and self.has_title_keys():
            entry = self._exact_title(seed, artist) or self._fuzzy_title(seed, artist)
            if entry is not None:
                return entry
        try:
            return self.titles().resolve(seed, artist)
        except NotFoundError:
            if self.backend.count(self.name) == 0:  # asked only when nothing matched
                raise NotFoundError(f"collection '{self.name}' has no tracks yet (an ingest stopped before"
                                    " writing any?); run `recsys ingest`") from None
            raise

    def _fuzzy_title(self, seed: str, artist: str | None) -> TitleEntry | None:
        """``TitleIndex.resolve``'s fuzzy step over candidates from the store's full-text
        index on titles (the FUZZY_CANDIDATES titles sharing the most words with the seed, by
        BM25; with ``artist``, only that artist's). None when the store has no such index, or
        no title shares a word with the seed (a typo in every word): the caller then reads
        every title."""
        flt = QueryFilter(artists=(artist,)) if artist else None
        found = self.backend.text_search(self.name, TITLE_TEXT_FIELD, seed, FUZZY_CANDIDATES, flt)
        if not found:
            return None
        return TitleIndex(_entry(p) for p in found).resolve(seed, artist)

    def radio_composer(self, artist: str) -> str | None:
        """The composer an artist radio's ``artist`` means where it names no artist but a
        composer ("Ludwig van Beethoven", "Tchaikovsky", whose symphonies are by their
        performers): that composer as the composers facet shows him; None where some track's
        artist is ``artist`` or no composer is (``composers.ComposerIndex``: a surname that fits
        several composers is an error naming them)."""
        from recsys.query.composers import ComposerIndex

        if self.backend.count(self.name, flt=QueryFilter(artists=(artist,))):
            return None
        found = ComposerIndex.read(self.backend, self.name).resolve(artist, self.name)
        if found is None:
            return None
        spellings = {label_key(s) for s in found.spellings}
        if label_key(artist) not in spellings:
            # a surname or another spelling ("Williams", "Tschaikowsky"): an artist of that
            # surname ("Robbie Williams") is as likely meant, and neither wins in silence
            namesakes = self._artist_namesakes(artist)
            if any(label_key(n) in spellings for n in namesakes):
                # the composer is an artist of the collection too ("coltrane"): one man, whose
                # artist radio holds his own records (and the artist path names any namesake)
                return None
            if namesakes:
                artists = ", ".join(f"'{a}'" for a in namesakes)
                raise RecsysError(
                    f"'{artist}' names the composer {found.name} and the artist {artists} of collection"
                    f" '{self.name}'; give the full name (--artist \"{found.name}\" or --artist \"{namesakes[0]}\")"
                )
        return found.name

    def _artist_namesakes(self, surname: str, limit: int = 3) -> list[str]:
        """The collection's artists whose last word is ``surname`` ("Robbie Williams" for
        "Williams"), most tracks first; at most ``limit``."""
        want = label_key(surname)
        found = []
        for value, _ in self.backend.facet(self.name, "artist"):
            words = str(value).split()
            if len(words) > 1 and label_key(words[-1]) == want:
                found.append(str(value))
                if len(found) == limit:
                    break
        return found

    def radio_performer(self, artist: str) -> str | None:
        """The musician an artist radio's ``artist`` means where it names no artist but a
        musician the tags credit (a sideman: "Paul Chambers"): that musician as the performers
        facet shows him; None where some track's artist is ``artist`` or no musician is
        (``performers.PerformerIndex``: a surname that fits several is an error naming them).
        Asked after ``radio_composer``: a composer's radio comes first, as it did."""
        from recsys.query.performers import AmbiguousPerformerError, PerformerIndex

        if self.backend.count(self.name, flt=QueryFilter(artists=(artist,))):
            return None
        found = PerformerIndex.read(self.backend, self.name).matching(artist)
        if not found:
            return None
        if label_key(artist) != found[0].key:
            # a surname ("Chambers", "Jones"): an artist of that surname ("Norah Jones") is as
            # likely meant, and neither wins in silence. A musician who is that artist (a
            # leader the tags credit on his own albums: "Coltrane", "Davis") is his artist's radio
            namesakes = self._artist_namesakes(artist)
            leaders = {label_key(a) for a in namesakes}
            found = tuple(m for m in found if m.key not in leaders)
            if not found:
                return None
            if namesakes:
                artists = ", ".join(f"'{a}'" for a in namesakes)
                raise RecsysError(
                    f"'{artist}' names the performer {' and '.join(m.name for m in found)} and the artist {artists} of"
                    f" collection '{self.name}'; give the full name (--artist \"{found[0].name}\" or --artist"
                    f" \"{namesakes[0]}\")"
                )
        if len(found) > 1:
            raise AmbiguousPerformerError(artist, found, self.name)
        return found[0].name

    def _composer_tracks(self, composer: str, clean: bool = False) -> list[TitleEntry]:
        """A composer's radio's seeds: up to RADIO_SEEDS of the composer's tracks, one a title,
        spread evenly over them in work and movement order (``titles.listing_order``), so that
        they span the works rather than the first symphony's movements (with ``clean``, of
        those ``_clean_seeds`` keeps)."""
        from recsys.query.composers import composer_filter

        flt = composer_filter(self.backend, self.name, QueryFilter(composers=(composer,)))  # his every spelling
        return _spread(self._radio_points(flt, clean))

    def _performer_tracks(self, performer: str, clean: bool = False) -> list[TitleEntry]:
        """A musician's radio's seeds: up to RADIO_SEEDS of the tracks he plays on, one a title,
        spread over them as a composer's are (his sessions under every leader, not one album's)."""
        return _spread(self._radio_points(QueryFilter(performers=(performer,)), clean))

    def _radio_points(self, flt: QueryFilter, clean: bool) -> list[PointRecord]:
        """The tracks ``flt`` keeps, as a radio's seeds read them; with ``clean``, a parent's
        radio's (``_clean_seeds``)."""
        if not clean:
            return list(self.backend.payloads(self.name, ENTRY_KEYS, flt=flt))
        return self._clean_seeds(list(self.backend.payloads(self.name, RADIO_KEYS, flt=flt)))

    def _artist_tracks(self, artist: str, clean: bool = False, fuzzy: bool = True) -> list[TitleEntry]:
        """An artist radio's seeds: the artist's songs through the keyword index on the
        normalised artist, or, for a name only close to a stored one, the full title index; a
        name no artist has but a composer (``radio_composer``): the composer's tracks. With
        ``clean``, of the artist's tracks those ``_clean_seeds`` keeps."""
        composer = self.radio_composer(artist)
        if composer is not None:
            return self._composer_tracks(composer, clean)
        performer = self.radio_performer(artist)  # a sideman's: the sessions he plays on
        if performer is not None:
            return self._performer_tracks(performer, clean)
        if self._titles is None or clean:
            found = list(self.backend.payloads(self.name, RADIO_KEYS if clean else ENTRY_KEYS,
                                               flt=QueryFilter(artists=(artist,))))
            if found:
                return TitleIndex(_entry(p) for p in (self._clean_seeds(found) if clean else found)).artist_tracks(
                    artist, RADIO_SEEDS)
        entries = self.titles().artist_tracks(artist, RADIO_SEEDS)
        if clean and fuzzy and entries:
            # a name only close to a stored one ("kendrick"): the radio of the artist it found
            return self._artist_tracks(entries[0].primary_artist, clean, fuzzy=False) or entries
        return entries

    def _clean_seeds(self, found: list[PointRecord]) -> list[PointRecord]:
        """An artist's tracks as a parent's radio's seeds: none marked explicit, and of a song
        owned clean, the clean copy (``clean_copies``); all of them where that leaves none (an
        artist whose every track is explicit still has a radio, of clean tracks)."""
        clean = self.clean_copies()
        kept = [p for p in found if explicit_of(p.payload) is False
                or (explicit_of(p.payload) is None and clean.isdisjoint(song_keys(p)))]
        return kept or found

    def _by_id(self, seed: str) -> TitleEntry | None:
        """The track whose id is exactly ``seed``: one point lookup."""
        if self._titles is not None:
            return self._titles.by_id(seed)
        for p in self.backend.retrieve(self.name, [seed], with_vectors=False):
            if p.track_id == seed:
                return _entry(p)
        return None

    def _exact_title(self, seed: str, artist: str | None) -> TitleEntry | None:
        """``TitleIndex.resolve``'s exact step, answered by the store: the tracks whose
        normalised title is the seed's (with ``artist``: crediting exactly that normalised artist).
        None when there are none, and the caller falls back to the full index (fuzzy titles,
        or an artist only close to the one given)."""
        q = normalise(seed)
        if not q:
            return None
        flt = QueryFilter(match=((TITLE_KEY, (q,)),))
        found = [_entry(p) for p in self.backend.payloads(self.name, ENTRY_KEYS, batch_size=256, flt=flt)]
        if artist:
            # the artist's own song first, else one it is featured on (TitleIndex.resolve)
            # as the artist filter matches it ("acdc" for "AC/DC", "blackpink" for "BLACKPINK(블랙핑크)")
            want = label_key(artist)
            found = ([e for e in found if want in artist_keys((e.artist, *e.artists[:1]))]
                     or [e for e in found if want in artist_keys(e.artists[1:]) - artist_keys((e.artist, *e.artists[:1]))])
        return pick(seed, found) if found else None

    def _by_path(self, seed: str) -> TitleEntry | None:
        """The track whose payload ``audio_path`` is the file ``seed``, compared as absolute
        paths (a relative stored path is tried from the current folder and the catalog)."""
        root = Path(self.meta.catalog_path).expanduser() if self.meta.catalog_path else None
        if root is not None and not root.is_absolute():
            root = Path.cwd() / root

        def forms(path: str, stored: bool) -> set[str]:
            p = Path(path).expanduser()
            if p.is_absolute():
                return {os.path.normpath(p)}
            out = {os.path.normpath(Path.cwd() / p)}
            if root is not None:
                out.add(os.path.normpath(root / p))
                if stored and self.meta.catalog_path:
                    try:  # stored with the catalog's own relative prefix
                        out.add(os.path.normpath(root / p.relative_to(Path(self.meta.catalog_path))))
                    except ValueError:
                        pass
            return out

        want = forms(seed, stored=False)
        want |= {os.path.realpath(w) for w in want if os.path.exists(w)}
        found = [e for e in self.titles().entries if e.audio_path and forms(e.audio_path, stored=True) & want]
        if len(found) > 1:  # an album or a mix in one file, read as its cue sheet's or chapters' tracks: which one?
            found.sort(key=_place_in_file)  # "#01", "#02"...: in the file's order
            raise AmbiguousTitleError(
                seed, found,
                how="The file holds several tracks (an album or a mix, split by its cue sheet or its"
                " chapters): give a title",
            )
        return found[0] if found else None

    def vector(self, using: str) -> str:
        """The named vector that holds the logical vector ``using`` (checked to exist)."""
        found = self._vectors.get(using)
        if found is None:
            found = self._vectors[using] = physical_vector(self.spec, using)
        return found

    def seed_vector(self, seed: PointRecord, using: str) -> np.ndarray:
        v = seed.vectors.get(self.vector(using))
        if v is None:
            raise RecsysError(
                f'"{seed.payload.get("title")}" has no {using} vector (that modality is missing '
                f"for this track); try --using fused"
            )
        return v

    # -- the result loop -----------------------------------------------------------------
    def collect(self, q: Neighbours, k: int, picker: Picker, max_fetch: int = 5000) -> list[Hit]:
        """The first ``k`` neighbours that ``picker`` takes, asking the store for more until
        enough are found. ``picker`` itself is left as it was."""
        if q.diversity is None and q.flt.exclude_track_ids:
            # The picker leaves the excluded tracks out as well as the store would: a filtered
            # search checks every candidate against their ids (1 ms of a genre-filtered
            # search at 1M tracks). MMR keeps them out in the store: they would otherwise
            # count in its diversity.
            picker = picker.copy()
            picker.ids |= set(q.flt.exclude_track_ids)
            k_extra = len(q.flt.exclude_track_ids)
            q = replace(q, flt=replace(q.flt, exclude_track_ids=()))
        else:
            k_extra = 0
        limit = max(k * 4, k + 20) + k_extra
        while True:
            attempt = picker.copy()
            out: list[Hit] = []
            seen = 0
            # the hits are read as they are taken: a store that reads payloads lazily
            # reads only those up to the k-th taken
            for h in self.backend.neighbours(self.name, q, limit):
                seen += 1
                if attempt.take(h):
                    out.append(h)
                    if len(out) == k:
                        return out
            if seen < limit or limit >= max_fetch:
                return out
            limit = min(limit * 4, max_fetch)

    def to_results(
        self,
        hits: Sequence[Hit | PointRecord],
        seeds: Sequence[PointRecord] = (),
        explain: bool = False,
        seed_label: str | None = None,
        scores: Sequence[float] | None = None,
        is_seed: bool = False,
    ) -> list[Result]:
        """Results for ``hits`` (or stored points, with ``scores``), each with its files as
        absolute paths (``CollectionMeta.media_path``)."""
        out = []
        for i, h in enumerate(hits):
            p = h.payload
            out.append(
                Result(
                    track_id=h.track_id,
                    title=str(p.get("title", "")),
                    artist=str(p.get("artist", "")),
                    album=str(p.get("album", "") or ""),
                    genres=tuple(p.get("genres") or ()),
                    year=p.get("year"),
                    score=_cosine(scores[i] if scores is not None else getattr(h, "score", 0.0)),
                    explanation=explain_hit(h.vectors, seeds) if explain else None,
                    seed=seed_label,
                    audio_path=self.meta.media_path(p.get("audio_path")),
                    cover_path=self.meta.media_path(p.get("cover_path")),
                    is_seed=is_seed,
                    audio_start=_seconds(p.get("audio_start")),
                    audio_end=_seconds(p.get("audio_end")),
                    recording_id=p.get("recording_id") if isinstance(p.get("recording_id"), str) else None,
                    bpm=_seconds(p.get("bpm")),
                    key=p.get("key") if isinstance(p.get("key"), str) and p.get("key") else None,
                    explicit=explicit_of(p),
                )
            )
        return out


def _seconds(value: object) -> float | None:
    """A payload's span bound (or tempo), or None where there is none (or it is no number)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return float(np.dot(a, b) / (na * nb))


def explain_hit(vectors: dict[str, np.ndarray], seeds: Sequence[PointRecord]) -> dict[str, float | None]:
    """Per modality, the best cosine similarity between this track and any seed: the bars
    of ``--explain`` (the paper's demo drew them as a radar plot)."""
    out: dict[str, float | None] = {}
    for m in MODALITIES:
        v = vectors.get(m)
        sims = [cosine(v, s.vectors[m]) for s in seeds if v is not None and m in s.vectors]
        out[m] = max(sims) if sims else None
    return out


def _spread(points) -> list[TitleEntry]:
    """A radio's seeds of ``points`` (a composer's, a musician's tracks): one track a title, up to
    RADIO_SEEDS spread evenly over them in work and movement order (``titles.listing_order``)."""
    from recsys.query.titles import listing_order

    by_title: dict[str, TitleEntry] = {}
    for e in sorted((_entry(p) for p in points), key=listing_order):
        by_title.setdefault(normalise(e.title), e)
    works = list(by_title.values())
    if len(works) <= RADIO_SEEDS:
        return works
    return [works[i * len(works) // RADIO_SEEDS] for i in range(RADIO_SEEDS)]
