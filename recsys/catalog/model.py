"""The catalog model: what a track is, before any encoder sees it."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterator

import numpy as np

from recsys.labels import double_name, fold_letters, genre_key, label_key, name_keys
from recsys.modalities import IMAGE, TEXT


@dataclass(frozen=True)
class Performer:
    """A musician a track's tags name ("Paul Chambers"), with what he plays on it as the tags
    say it (("double bass",); none where they name no instrument): ``catalog.performers``."""

    name: str
    instruments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """One track of a catalog, with every field the encoders and the graph read.

    Slotted: past 30 attributes an instance's ``__dict__`` no longer shares its keys with the
    class's other instances, and each record held a table of its own (1,584 bytes against 350
    for its slots): a cold read of 50,000 files peaked 107 MB higher once a 31st field came."""

    track_id: str
    title: str
    artist: str
    album: str = ""
    #: the album's artist when the tags name one (a soundtrack's "Wesnoth Project", a
    #: compilation's "Various Artists"): the album is one graph node across its tracks' artists
    album_artist: str = ""
    #: who wrote the music when the tags say so and it is not the artist (a concerto's
    #: "Antonio Vivaldi", played by "I Solisti di Praga"): a graph edge of its own
    composer: str = ""
    #: every artist the tags credit, primary first, when they credit more than one ("Drake
    #: feat. Rihanna": Drake, Rihanna; a music folder only, ``recsys.catalog.credits``); empty
    #: for one artist. ``artist`` stays the string the tags show
    artists: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    year: int | None = None
    lyrics: str = ""
    summary: str = ""
    description: str = ""
    #: themes and moods (the paper's "context" and "emotional" keywords)
    themes: tuple[str, ...] = ()
    moods: tuple[str, ...] = ()
    audio_path: Path | None = None
    cover_path: Path | None = None
    playlists: tuple[str, ...] = ()
    #: where the record came from, for messages: "manifest.jsonl:12"
    source: str = ""
    #: the track's part of ``audio_path`` in seconds, for a track of an album ripped to one
    #: file (``recsys.catalog.cuesheets``): from ``audio_start``, to ``audio_end`` (None: to the
    #: file's end). None for a track that is its whole file, as every other track is
    audio_start: float | None = None
    audio_end: float | None = None
    #: the MusicBrainz recording id the tags give (Picard's MUSICBRAINZ_TRACKID, ID3 UFID):
    #: one recording on an album and on a compilation, or in a FLAC and an MP3 copy, is one
    #: song to the results' dedup however it is titled or credited (``recsys.query.library``)
    recording_id: str = ""
    #: the tempo and the key (Camelot: "8A") its tags give, as DJ software writes them
    #: (``recsys.catalog.tempokey``): None and "" without them
    bpm: float | None = None
    key: str = ""
    #: ``SPOKEN`` for spoken word (a podcast episode, an audiobook, a voice memo: read on clear
    #: evidence alone, ``recsys.catalog.spokenword``), "" for music: a song's radio leaves
    #: spoken word out, an episode's keeps to it (``recsys.query.kinds``)
    kind: str = ""
    #: the audio file's length in seconds as its header gives it (a music folder's file; None
    #: where it does not say): evidence for the reader alone (a skit is short, ``skits``), in
    #: no payload and no hash, so a collection's tracks hash as before it was read
    file_seconds: float | None = None
    #: the audio file's channel count as the header mutagen read gives it, where that is the
    #: count a decoder gives (``recsys.catalog.channelcount``; None elsewhere, and for a
    #: manifest's track): what the embedding cache's key asks of a multichannel file
    #: (``ingest.inputs``) without opening the file again. In no payload and no hash
    file_channels: int | None = None
    #: the track's place on its album as its tags, its file's name or its cue sheet number it
    #: (``recsys.catalog.albumplaces``: "3", "a1" of a record's side; "" unknown), and its disc's
    #: ("" for none named). Read for ``album_place`` alone: in no payload and no hash
    track_number: str = ""
    disc_number: str = ""
    #: "<disc>-<track>" ("1-3"), only where the album holds this title by this artist at another
    #: place too (four "Battle Theme"s of a game music collection): what tells them apart to the
    #: results' dedup (``recsys.query.cues``). A derived payload field, out of the hashes: a
    #: sibling's coming or going changes it, not the track
    album_place: str = ""
    #: the parental advisory its tags or its title's and album's marks give
    #: (``recsys.catalog.advisory``): True explicit, False clean, None where nothing says (most
    #: files): ``--clean`` leaves explicit tracks out and plays a song's clean copy
    explicit: bool | None = None
    #: the musicians its tags name (Picard's PERFORMER "Name (instrument)", ID3 TMCL, a
    #: comment's personnel line: ``catalog.performers``, ``catalog.personnel``), the leader among
    #: them; never credited as artists. In the payload as derived fields (names and keys: no
    #: hash, so naming them re-encodes nothing), for ``--performer`` and its facet
    performers: tuple[Performer, ...] = ()
    #: (name, MusicBrainz artist id) of each artist its tags give an id for (Picard's
    #: MUSICBRAINZ_ARTISTID beside ARTISTS, and the album artist's): evidence for the reader
    #: alone (``recsys.catalog.artistids``), in no payload and no hash
    artist_ids: tuple[tuple[str, str], ...] = ()
    #: the payload's ``artist_key`` where those ids make its artist one with other spellings of
    #: the library, or one of two artists of one name (``artistids``); () keys it by its names.
    #: Derived, as ``artist_as``, the name its primary artist is known by where the tag spells
    #: it otherwise (the artist cap and the version dedup read it): neither is in a hash
    id_keys: tuple[str, ...] = ()
    artist_as: str = ""
    #: the same of each credited artist, in ``artists``' order ("" for one known as tagged),
    #: only where one of them is known otherwise: a band's leader ("Fela Ransome-Kuti" of "Fela
    #: Ransome-Kuti and the Africa '70", joined as "Fela Kuti" by his folder) is the joined artist
    #: to the version dedup and the seed lookup, as he is to the filters. Derived, in no hash
    artists_as: tuple[str, ...] = ()
    #: the artist's sort name as its tags give it (ARTISTSORT, ID3 TSOP, MP4 soar), read by
    #: ``recsys.catalog.scriptnames`` alone (a Japanese tagger's romaji "Kenshi Yonezu" of
    #: "米津玄師"): in no payload and no hash
    artist_sort: str = ""
    #: the title's reading in Latin letters as its sort tag gives it (TITLESORT, ID3 TSOT, MP4
    #: sonm: "Yoru ni Kakeru" of "夜に駆ける"), only where the title is written in another script
    #: (``recsys.catalog.sortnames.title_reading``): what a listener types finds it (``title_norm``
    #: holds it too). A derived payload field, out of the hashes (no vector reads it): a
    #: collection gains it at its next ingest without encoding
    title_sort: str = ""

    @property
    def seconds(self) -> float | None:
        """The track's length in seconds: its span's for a part of a file (a cue sheet's track,
        to the file's end for the last), else its file's; None where the record does not know."""
        if self.audio_start is None:
            return self.file_seconds
        end = self.audio_end if self.audio_end is not None else self.file_seconds
        return end - self.audio_start if end is not None else None

    @property
    def primary_artist(self) -> str:
        """The artist a track is by, for the graph's artist node and the artist cap: the first
        credited artist ("Drake" of "Drake feat. Rihanna"), else ``artist`` as written."""
        return self.artists[0] if self.artists else self.artist

    @property
    def featured_artists(self) -> tuple[str, ...]:
        """The other credited artists ("Rihanna" of "Drake feat. Rihanna")."""
        return self.artists[1:]

    def text_document(self) -> str:
        """The text the text encoder embeds, composed as the paper did: context, then the
        lyric summary, themes, moods and description. Empty when the track has no text."""
        parts: list[str] = []
        body = [self.summary or self.lyrics[:1000]]
        if self.themes:
            body.append("Themes: " + ", ".join(self.themes) + ".")
        if self.moods:
            body.append("Moods: " + ", ".join(self.moods) + ".")
        if self.description:
            body.append(self.description)
        body = [b for b in body if b and b.strip()]
        if not body:
            return ""
        parts.append(f"{self.title} by {self.artist}." if self.artist else f"{self.title}.")
        parts.extend(body)
        return " ".join(parts)

    def payload(self, derived: bool = True) -> dict:
        """The Qdrant payload of this track (no vectors); without the ``derived`` fields
        (DERIVED_PAYLOAD_KEYS) with False: the hashes leave them out, and normalising every
        label of 50,000 tracks was a third of an unchanged re-ingest's hashing."""
        payload = {
            "track_id": self.track_id,
            "title": self.title,
            "artist": self.artist,
            "album": self.album,
            "genres": list(self.genres),
            "tags": list(self.tags),
            "year": self.year,
            "audio_path": str(self.audio_path) if self.audio_path else None,
            "cover_path": str(self.cover_path) if self.cover_path else None,
            "playlists": list(self.playlists),
        }
        if derived:
            # what case- and accent-insensitive filters and facets match (recsys.store.filters)
            payload["artist_norm"] = self._artist_norm()
            payload["genres_norm"] = list(dict.fromkeys(normalise_label(g) for g in self.genres))
            # what they match and group by where the collection has these (punctuation, spaces
            # and a leading "The" aside: "AC/DC" and "ACDC", "Post-Rock" and "Postrock" one)
            payload["artist_key"] = list(self.id_keys) if self.id_keys else self._artist_key()
            payload["genres_key"] = list(dict.fromkeys(genre_key(g) for g in self.genres))
            # what an exact title seed matches (recsys.query.titles), without scanning; and its
            # reading in Latin letters where its sort tag gives one ("yoru ni kakeru" of
            # "夜に駆ける": a list field matches on any element)
            payload["title_norm"] = normalise_title(self.title) if not self.title_sort \
                else list(dict.fromkeys((normalise_title(self.title), normalise_title(self.title_sort))))
            # which rules made the fields above: an ingest rewrites a payload of older ones
            payload[DERIVED_RULES_KEY] = DERIVED_RULES
        if self.album_artist:
            # only when set: a track without one hashes as before (content_hash), so a
            # collection ingested before the field existed is not re-encoded for it
            payload["album_artist"] = self.album_artist
        if self.artists:
            # the same: a one-artist track hashes as before the field existed
            payload["artists"] = list(self.artists)
        if self.composer:
            payload["composer"] = self.composer  # the same again
            if derived:  # what --composer matches; only here, so other payloads stay as they were
                payload["composer_norm"] = normalise_label(self.composer)
        if self.kind and derived:
            # only on spoken word, and out of the hashes (a derived field: SPARSE_DERIVED_KEYS):
            # every other payload is as it was, and a collection ingested before the field
            # gains it at its next ingest without encoding
            payload[KIND_FIELD] = self.kind
        if self.album_place and derived:
            # only where the album repeats the title, and out of the hashes (SPARSE_DERIVED_KEYS)
            # as ``kind`` is: every other payload is as it was
            payload[ALBUM_PLACE_FIELD] = self.album_place
        if self.explicit is not None and derived:
            # the same: only where the tags or the marks say, and out of the hashes
            payload[ADVISORY_FIELD] = EXPLICIT if self.explicit else CLEAN
        if self.performers and derived:
            # out of the hashes as ``kind`` is (SPARSE_DERIVED_KEYS): a track's musicians feed
            # no vector, and a collection ingested before them gains them without encoding
            payload[PERFORMERS_FIELD] = [p.name for p in self.performers]
            payload[PERFORMERS_KEY_FIELD] = list(dict.fromkeys(label_key(p.name) for p in self.performers))
        if self.artist_as and derived:  # the same again: only where the tag spells it otherwise
            payload["artist_as"] = self.artist_as
        if self.artists_as and derived:  # the same: only where a credited artist is known otherwise
            payload[ARTISTS_AS_FIELD] = list(self.artists_as)
        if self.title_sort and derived:
            payload[TITLE_SORT_FIELD] = self.title_sort  # the same: only where a sort tag gives it
        if self.recording_id:
            payload["recording_id"] = self.recording_id  # the same again
        if self.bpm is not None:
            payload["bpm"] = self.bpm  # the same again: a filter (--bpm) and --mixable read it
        if self.key:
            payload["key"] = self.key  # the same again (--key, --mixable)
        if self.audio_start is not None:
            # the same: a track that is its whole file hashes as before the span existed
            payload["audio_start"] = self.audio_start
            if self.audio_end is not None:
                payload["audio_end"] = self.audio_end
        return payload

    def audio_span(self) -> "AudioSpan | None":
        """The track's part of its audio file, or None when it is the whole file (or has none)."""
        if self.audio_path is None or self.audio_start is None:
            return None
        return AudioSpan(Path(self.audio_path), self.audio_start, self.audio_end)

    def _artist_norm(self) -> str | list[str]:
        """The artist as filters match it; with several credited artists, the tagged string
        and each credited name ("Drake feat. Rihanna", "Drake", "Rihanna"), so that
        ``--only-artist Rihanna`` finds the feature (a list field matches on any element); a
        name in two scripts, each of its names too ("BLACKPINK(블랙핑크)", "blackpink",
        "블랙핑크": ``labels.double_name``)."""
        names = [n for a in (self.artist, *self.artists) for n in _with_halves(a)]
        if len(names) == 1:  # most tracks: one artist, one name, as before
            return normalise_label(self.artist)
        return list(dict.fromkeys(normalise_label(a) for a in names))

    def _artist_key(self) -> str | list[str]:
        """``_artist_norm`` as ``label_key`` writes it."""
        if not self.artists and double_name(self.artist) is None:  # most tracks, as before
            return label_key(self.artist)
        return list(dict.fromkeys(k for a in (self.artist, *self.artists) for k in name_keys(a)))

    def content_hash(self) -> str:
        """A hash of everything that feeds this track's vectors: fields and file contents.
        Unchanged tracks are skipped on re-ingest by comparing it."""
        h = hashlib.sha256()
        for key, value in sorted(self.payload(derived=False).items()):
            if key in ("audio_path", "cover_path"):
                continue
            h.update(f"{key}={value!r}\n".encode())
        h.update(self.text_document().encode())
        for path in (self.audio_path, self.cover_path):
            h.update(b"file:")
            h.update(file_digest(path).encode() if path else b"-")
        return h.hexdigest()[:32]


#: The version of the rules the derived fields are made by (``normalise_label``,
#: ``normalise_title``, ``labels.label_key``, ``labels.genre_key``, ``translit``): **bump it
#: when one of them changes what it gives**. A stored payload of another version is rewritten
#: by the next ingest, with its stored vectors (``ingest.sync``: a refresh, nothing encoded),
#: so that its keys are the rules' of the code that filters on them. 2: "and" keyed as "&", letters NFKD keeps folded;
#: 3: "e", "y", "et", "und" keyed as "and" is. Bump it too when the spoken-word rules
#: (``catalog.spokenword``) change what they find: ``kind`` is out of the hashes as well, and
#: a refresh writes the payload as the reader reads the track now. 4: a music genre keeps a
#: flagged podcast (a DJ's mix show), a "Spoken Word" track and a band's folder named
#: "Audiobooks" music; "Comedy" under "Podcasts/" is spoken word. 5: a hip-hop album's skits
#: ("Workout Plan (Skit)", "Lil Jimmy Skit") are spoken word (``catalog.skits``). 6: Cyrillic
#: and Greek keyed in Latin letters ("Кино" is "kino"), a genre's abbreviations keyed as its
#: name ("Prog Rock" is "Progressive Rock", ``labels.GENRE_SPELLINGS``).
#: 7: ``album_place``, the place of a track whose album repeats its title
#: (``catalog.albumplaces``), which older stores lack.
#: 8: the advisory (``catalog.advisory``: ``explicit``, the payload's ``advisory``, is out of the
#: hashes too): a collection before it gains ``advisory`` at its next ingest, nothing encoded.
#: 9: a track's musicians (``performers``, ``performers_key``: ``catalog.performers``).
#: 10: an artist the library spells two ways under one MusicBrainz artist id keyed as one, two of
#: one name under two ids keyed apart as well (``catalog.artistids``: ``artist_key``, ``artist_as``).
#: 11: an honorific before a name is no part of its key (``labels.without_honorific``: "Ustad
#: Nusrat Fateh Ali Khan" is "Nusrat Fateh Ali Khan"'s ``artist_key``).
#: 12: an album's swear word marks none of its tracks explicit (Miles Davis's "Bitches Brew").
#: 13: a name in two scripts keyed by each of its names too ("BLACKPINK(블랙핑크)" is "blackpink"
#: and "블랙핑크": ``labels.name_keys``), a kana's voicing mark kept in the keys ("バード" is not
#: "ハート"), a title's reading from its sort tag (``title_sort``, in ``title_norm`` too:
#: ``catalog.sortnames.title_reading``).
#: 14: "Qawali" keyed as "Qawwali", "Sound Effect" as "Sound Effects" (``labels.GENRE_SPELLINGS``);
#: "Mom and Dad Skit" a skit ("and" between two names is the scene's: ``catalog.skits``).
#: 15: Arabic and Persian folded as Arabic search folds them (tatweel off, ى and ی as ي, ک as ك,
#: ة as ه, Arabic-Indic and Persian digits as ASCII: ``labels.fold_letters``), rai's "Cheb" an
#: honorific ("Cheb Khaled" is "Khaled"), an artist the library names in Arabic, Persian or
#: Hebrew letters and in Latin ones one artist (``catalog.abjadnames``: "فيروز" and "Fairuz"),
#: "طرب" keyed as "Tarab", "Türk Pop" as "Turkish Pop" (``labels.GENRE_SPELLINGS``).
#: 16: Chinese keyed in simplified characters ("周杰倫" is "周杰伦" in ``artist_key``,
#: ``title_norm`` and ``genres_key``: ``recsys.hanzi``).
#: 17: an abjad name's article "ال" read as written or not ("زياد الرحباني" is "Ziad Rahbani"),
#: a family's "الأخوين" as "Brothers" ("Rahbani Brothers"): more Latin names join their abjad
#: artist (``catalog.abjadnames``).
#: 18: a name without a MusicBrainz id that spells exactly one id of the library keyed as that
#: id's (an untagged "Nobuo Uematsu" beside Picard's "植松伸夫": ``catalog.artistids``).
#: 19: an artist the library names in Cyrillic and in a Latin spelling of its own one artist
#: (``catalog.cyrillicnames``: "Мумий Тролль" and "Mumiy Troll", "Цеца" and "Ceca"); a genre's
#: Russian, Ukrainian, Bulgarian and Serbian words keyed as the English genre's ("Рок" as
#: "Rock", "Русский рок" as "Russian Rock", "Хип-хоп" as "Hip-Hop": ``labels._GENRE_WORDS``).
#: 20: an MP4 freeform atom of MusicBrainz artist ids read whatever its case ("----:com.apple.iTunes:
#: MUSICBRAINZ ARTIST ID", as a TXXX frame always was: ``catalog.artistids``).
#: 21: a radio station's imaging (jingles, station IDs, sweepers, PSAs, spots: its genre, its
#: cart chunk's category or its folder) is spoken word, no song (``kind``: ``catalog.imaging``);
#: an "and" word between initials is a letter of them ("R.E.M." is "rem" in ``artist_key``, not "rm").
#: 22: an abjad name of one word joins a Latin one only with five letters written, and a long
#: vowel written as vowels has its own ("Cream" is no "كريم", "Camel" no "كمال":
#: ``catalog.abjadnames``).
#: 23: a Latin name beside a Chinese one without a bracket a name in two scripts ("G.E.M.邓紫棋"
#: keyed "邓紫棋" and "G.E.M." too: ``labels.double_name``); the Chinese apps' genres keyed as
#: their genre ("粵語流行音樂" as "Cantopop", "流行" as "Pop": ``labels.GENRE_SPELLINGS``).
#: 24: an artist folder's longer names of its artist keyed as that artist ("Fela Ransome-Kuti",
#: "Fela Anikulapo Kuti" in ``Fela Kuti/``: ``catalog.foldernames``).
#: 25: the Malaysian titles before a name no part of its key ("Dato' Sri Siti Nurhaliza",
#: "Datuk Siti Nurhaliza" and "Tan Sri P. Ramlee" are "Siti Nurhaliza" and "P. Ramlee":
#: ``labels.without_honorific``); Thai genres' Thai and English spellings keyed as one ("ลูกทุ่ง"
#: as "Luk Thung", "หมอลำ" as "Mor Lam": ``labels.GENRE_SPELLINGS``).
#: 26: a leading Spanish "Los" / "Las" keyed as "The" is ("Los Tigres del Norte" and "Tigres del
#: Norte" one artist: ``labels._ARTICLES``); Apple's Spanish names of Latin genres keyed as their
#: English ones ("Urbano latino" as "Latin Urban": ``labels.GENRE_SPELLINGS``).
#: 27: each credited artist's joined name where the library knows it otherwise (``artists_as``:
#: a band's leader "Fela Ransome-Kuti" as "Fela Kuti", ``catalog.artistids``), which older stores lack.
#: 28: a Nigerian "Chief" ("Chief Commander") or "Alhaji" before a name of two words or more no
#: part of its key ("Chief Commander Ebenezer Obey" is "Ebenezer Obey"; "Chief Keef" stays:
#: ``labels.without_honorific``).
#: 29: an artist the library names in kana and in romaji one artist (``catalog.kananames``:
#: "ヨルシカ" and "Yorushika", "カネコアヤノ" and "Ayano Kaneko").
#: 30: an artist the library names in Greek and in a Latin spelling of its own one artist
#: (``catalog.greeknames``: "Χάρις Αλεξίου" and "Haris Alexiou", "Xaris Aleksiou").
#: 31: Greek genres' Greek and greeklish spellings keyed as one ("Έντεχνο" and "Entexno" as
#: "Entechno", "Ρεμπέτικο" as "Rebetiko", "Ελληνικό Pop" as "Greek Pop": ``labels.GENRE_SPELLINGS``).
DERIVED_RULES = 31
DERIVED_RULES_KEY = "derived_rules"
#: payload fields computed from others (filter keys): they never change what a track is, so
#: hashes leave them out and collections written before they existed still match
DERIVED_PAYLOAD_KEYS = frozenset({"artist_norm", "genres_norm", "title_norm", "artist_key", "genres_key",
                                  DERIVED_RULES_KEY})
#: derived fields only a track with their source field carries (``composer_norm``: a track
#: naming a composer; ``kind``: spoken word, read from its genre, folder and tags, none of which
#: it changes; ``album_place``: a track whose album repeats its title; ``advisory``: the track's
#: ``explicit``, read from its tags and marks; ``performers`` and ``performers_key``: a track
#: naming its musicians; ``artist_as``, ``artists_as``: an artist the tag spells otherwise, ``catalog.artistids``;
#: ``title_sort``: a title's reading in Latin letters, which no vector reads): hashes leave them
#: out too, and a track without one (a source field None, "" or ()) gains nothing
SPARSE_DERIVED_KEYS: dict[str, str] = {"composer_norm": "composer", "kind": "kind", "album_place": "album_place",
                                       "advisory": "explicit", "performers": "performers",
                                       "performers_key": "performers", "artist_as": "artist_as",
                                       "artists_as": "artists_as",
                                       "title_sort": "title_sort"}
#: the payload field of each credited artist's joined name (``TrackRecord.artists_as``)
ARTISTS_AS_FIELD = "artists_as"
#: the payload field of a track's place on an album that repeats its title (``album_place``)
ALBUM_PLACE_FIELD = "album_place"
#: the payload fields of a track's musicians: their names as tagged, and each one's ``label_key``
#: (what ``--performer`` matches)
PERFORMERS_FIELD = "performers"
PERFORMERS_KEY_FIELD = "performers_key"
#: the payload field of a track's kind, and its one value: spoken word (music has no field)
KIND_FIELD = "kind"
SPOKEN = "spoken"
#: the payload field of a track's advisory (``explicit``), and its values: "explicit" or "clean"
#: (absent where nothing says). A keyword, as ``recsys.store.base.ADVISORY_FIELD`` says why
ADVISORY_FIELD = "advisory"
EXPLICIT = "explicit"
CLEAN = "clean"
#: the payload field of a title's reading in Latin letters, from its sort tag (``title_sort``)
TITLE_SORT_FIELD = "title_sort"

#: the longest name (title, artist, album, a list's item) a catalog keeps, in characters: a
#: manifest's longer value is cut with a problem line, a tag's is cut (a corrupt tag of 20,000
#: spaces took the name rules 20 s on one file: regexes that backtrack over a run of spaces)
MAX_NAME_CHARS = 1_000

#: TrackRecord's fields, for ``with_fields``
_TRACK_FIELD_NAMES = tuple(f.name for f in fields(TrackRecord))
_TRACK_FIELDS = frozenset(_TRACK_FIELD_NAMES)


def with_fields(track: TrackRecord, **changes: object) -> TrackRecord:
    """``dataclasses.replace(track, **changes)`` without its ``__init__``: a copy of the
    record's fields with ``changes`` over them. ``replace`` runs ``__init__`` with every one of
    TrackRecord's 36 fields, each set through ``object.__setattr__`` (it is frozen): 6.8 us a
    record against about 2, 0.2 s of a warm read of 50,000 files, which gives 35,000 of them the
    cover and lyrics beside them. TrackRecord has no ``__post_init__`` and no field left out of
    ``__init__`` (``tests/test_music_folder_scale.py`` checks that both give the same)."""
    if not changes.keys() <= _TRACK_FIELDS:
        raise TypeError(f"TrackRecord has no field {sorted(changes.keys() - _TRACK_FIELDS)[0]!r}")
    copy = object.__new__(TrackRecord)
    for name in _TRACK_FIELD_NAMES:  # slots: set one by one, past the frozen __setattr__
        object.__setattr__(copy, name, changes[name] if name in changes else getattr(track, name))
    return copy


_PUNCT = re.compile(r"[^\w\s]")


def _strip_accents(text: str) -> str:
    """``text`` decomposed (NFKD) without its combining marks. ASCII text is its own
    decomposition: most titles skip the per-character pass (every hit of every query is
    normalised for its dedup key)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


@dataclass(frozen=True)
class AudioSpan:
    """A part of an audio file, ``start`` to ``end`` seconds (``end`` None: to the file's end):
    the audio input of one track of an album ripped to one file. The media decoder
    (``recsys.encoders.spans``) reads it as it reads a file, within the span; the audio cache's
    key says the span (``ingest.inputs.input_key``). Picklable: it travels to the decode workers."""

    path: Path
    start: float
    end: float | None = None

    def __str__(self) -> str:
        """The file and the span, as messages name it ("Album.flac [3:12.40-7:01.13]")."""
        return f"{self.path} [{clock(self.start)}-{clock(self.end) if self.end is not None else 'end'}]"

    def as_text(self) -> str:
        """The span as one string, for a row of text (the ``--ray`` stage's): a NUL, which no
        path holds, then its fields; ``source_from_text`` reads it back."""
        return f"\0span\0{self.start!r}\0{self.end!r}\0{self.path}"


def source_from_text(text: str) -> str | AudioSpan:
    """``AudioSpan.as_text`` read back; any other text (a path, a document) as it is."""
    if not text.startswith("\0span\0"):
        return text
    _, _, start, end, path = text.split("\0", 4)
    return AudioSpan(Path(path), float(start), None if end == "None" else float(end))


def clock(seconds: float) -> str:
    """Seconds as m:ss.cc, how a span is shown."""
    minutes, rest = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes)}:{rest:05.2f}"


def input_source(modality: str, track: TrackRecord) -> str | Path | AudioSpan | None:
    """A track's input for a modality (text, image or audio), before decoding: its text
    document, its file's path, or for a track of an album in one file its ``AudioSpan``; None
    where it has none. What an ingest encodes, what verify expects a vector of, what a retried
    point may lack: one answer for all three."""
    if modality == TEXT:
        return track.text_document() or None
    if modality != IMAGE and track.audio_start is not None and track.audio_path is not None:
        return track.audio_span()
    path = track.cover_path if modality == IMAGE else track.audio_path
    return None if path is None else Path(path)


def _with_halves(name: str) -> tuple[str, ...]:
    """``name``, and the two names of a name in two scripts (``labels.double_name``)."""
    halves = double_name(name) if name else None
    return (name,) if halves is None else (name, *halves)


#: ``normalise_title``'s answers while a music folder is read (``remembered_titles``), by
#: the text; None at any other time
_REMEMBERED: dict[str, str] | None = None


@contextmanager
def remembered_titles() -> Iterator[None]:
    """``normalise_title`` answers each text once for the block: a music folder's passes key
    the same albums, artists, genres and folder names again and again (half a million calls
    for 49,000 texts in a read of 50,000 files). Forgotten after it; a block inside another
    (or beside it, in another thread) shares the outer one's."""
    global _REMEMBERED
    outer = _REMEMBERED is None
    if outer:
        _REMEMBERED = {}
    try:
        yield
    finally:
        if outer:
            _REMEMBERED = None


def normalise_title(text: str) -> str:
    """A title (or artist) as seed lookup compares it: lowercased, accents stripped (NFKD),
    punctuation made spaces, whitespace collapsed. "Café-Society!" -> "cafe society". The one
    implementation: ``recsys.query.titlekeys.normalise`` is this function, and the payload's
    ``title_norm`` holds it for the title.

    A name of punctuation alone ("...", "?", "!!!", "%") keeps it, casefolded: it would be ""
    otherwise, one key for every such title, so the seed "..." found the song "?" and the
    dedup took "...", "?" and "!" by one artist for versions of one song."""
    remembered = _REMEMBERED
    if remembered is not None and type(text) is str:  # a music folder's read (``remembered_titles``)
        found = remembered.get(text)
        if found is None:
            found = remembered[text] = _normalised_title(text)
        return found
    return _normalised_title(str(text))


def _normalised_title(text: str) -> str:
    # the letters NFKD keeps folded too: "Óðinn" is typed "odinn", "Mø" "mo"
    folded = " ".join(_PUNCT.sub(" ", fold_letters(text).lower()).split())
    return folded or " ".join(text.casefold().split())


def normalise_label(text: str) -> str:
    """An artist or genre as filters compare it: casefolded, accents stripped (NFKD),
    whitespace collapsed. The store cannot import the catalog, so
    ``recsys.store.filters.normalise_label`` is its twin; tests check they agree."""
    return " ".join(_strip_accents(str(text)).casefold().split())


def file_problem(path: Path | str) -> str | None:
    """Why ``path`` (symlinks followed) cannot be read as a catalog file, or None when it is a
    regular file. A FIFO would block whoever opens it, a device (a link to /dev/zero) never
    ends, a symlink loop is an error from the kernel (bounded, never a hang). The media decoder
    (``recsys.encoders.media._check_file``) calls this too, so a file is described the same way
    by whichever stage meets it first."""
    return file_stat(path)[1]


def file_stat(path: Path | str) -> tuple[os.stat_result | None, str | None]:
    """``(os.stat(path), file_problem(path))`` from one stat: the stat is None where it failed."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None, "file not found"
    except OSError as exc:  # ELOOP, EACCES, ENAMETOOLONG...
        return None, f"cannot read ({exc.strerror or exc})"
    except ValueError:  # an embedded NUL
        return None, "cannot read (the path contains a NUL character)"
    return info, mode_problem(info.st_mode)


def mode_problem(mode: int) -> str | None:
    """``file_problem`` for a mode already stat'ed: None for a regular file."""
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if not stat.S_ISREG(mode):
        return "not a regular file (" + ("a FIFO" if stat.S_ISFIFO(mode) else "a device or socket") + ")"
    return None


class NotARegularFile(OSError):
    """Raised by ``open_regular``; its message is ``file_problem``'s."""


def open_regular(path: Path | str):
    """Open a regular file for binary reading without ever blocking: opened non-blocking (a FIFO
    opens at once instead of waiting for a writer) and checked with fstat on the open descriptor
    (no race between the check and the open). Raises NotARegularFile, or OSError from open."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        problem = mode_problem(os.fstat(fd).st_mode)
        if problem is not None:
            raise NotARegularFile(problem)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_small(path: Path | str, limit: int) -> bytes | None:
    """A small file's bytes (a cue sheet, a playlist), read as ``open_regular`` opens it; None
    when it cannot be read or holds more than ``limit`` bytes (then it is no such file)."""
    try:
        with open_regular(path) as fh:
            data = fh.read(limit + 1)
    except OSError:
        return None
    return None if len(data) > limit else data


def small_text(data: bytes, fallback: str = "cp1252") -> str:
    """A small text file's bytes as text, as the tools of a music folder write them: UTF-16
    where it begins with a byte-order mark (Notepad's "Unicode", EAC's Unicode cue sheets),
    else UTF-8 (a UTF-8 mark dropped), else ``fallback`` (the Windows code page most such files
    were written in), an undecodable byte replaced."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(fallback, "replace")


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or a marker when it cannot be read (the encoder reports why).

    Only regular files are read (``open_regular``), and only as many bytes as the file had
    when it was opened: a FIFO, a device or a file that keeps growing never blocks or spins."""
    try:
        with open_regular(path) as fh:
            left = os.fstat(fh.fileno()).st_size
            h = hashlib.sha256()
            while left > 0:
                chunk = fh.read(min(left, 1 << 20))
                if not chunk:
                    break
                h.update(chunk)
                left -= len(chunk)
            return h.hexdigest()
    except (OSError, ValueError):
        return "unreadable"


@dataclass(frozen=True)
class CatalogProblem:
    """One bad input, reported as one line: where it is and what is wrong. A ``notice`` is a
    file that is no track by design (a MIDI file, a protected .m4p, a phone's voice notes),
    said so: nothing for the user to fix, which ``recsys verify`` does not count as a problem."""

    where: str
    message: str
    notice: bool = False

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Catalog:
    """Tracks read from one source, with the problems met while reading them.

    ``precomputed`` holds published modality vectors (row i belongs to tracks[i]); a row of
    zeros or NaN means the modality is missing for that track.
    """

    name: str
    root: Path
    kind: str
    tracks: list[TrackRecord]
    problems: list[CatalogProblem] = field(default_factory=list)
    precomputed: dict[str, np.ndarray] = field(default_factory=dict)
    precomputed_encoders: dict[str, str] = field(default_factory=dict)
    #: counts of the read, for the ingest summary; the music-folder reader fills ``seen``,
    #: ``audio``, ``skipped`` (not audio) and ``failed`` (tags unreadable), others leave it empty
    stats: dict[str, int] = field(default_factory=dict)
    #: [size, mtime_ns] of each audio file (by ``str(path)``) as the reader stat'ed it (a music
    #: folder's reader stats every file it reads): the ingest's sync compares them with the
    #: stored ones rather than stat every file again (50,000 stats at 50,000 files)
    file_stats: dict[str, list[int]] = field(default_factory=dict)

    def by_id(self) -> dict[str, TrackRecord]:
        return {t.track_id: t for t in self.tracks}
