"""MusicBrainz artist ids: one artist however the library spells it, and two artists of one name apart.

Picard writes each credited artist's MusicBrainz id beside the names: Vorbis
``MUSICBRAINZ_ARTISTID`` (one value per credited artist, in the order of ARTISTS) and
``MUSICBRAINZ_ALBUMARTISTID``, ID3 ``TXXX:MusicBrainz Artist Id`` / ``TXXX:MusicBrainz Album
Artist Id`` (values joined by "/" in v2.3, NUL in v2.4), MP4 ``----:com.apple.iTunes:MusicBrainz
Artist Id``, APEv2 and Matroska ``MUSICBRAINZ_ARTISTID``, ASF ``MusicBrainz/Artist Id``. A
collector's library names one artist in two scripts or two names: "植松伸夫" on a Japanese
release, "Nobuo Uematsu" on the others; "Prince" and "The Artist Formerly Known as Prince"; "Cat
Stevens" and "Yusuf". ``label_key`` cannot know they are one (it keys the letters), so the
artist facet showed two rows and ``--artist "Nobuo Uematsu"`` found half of his tracks. With one
id on both they are one artist here.

Only the derived key moves (the payload's ``artist_key``, which the filters, the facet and the
credits match), never a name as tagged: the tracks of an id the library spells several ways
(``Spellings``) are keyed by one spelling of it, the library's most common as an artist (the
facet's row shows it; ties go to the one in Latin letters, what a keyboard types), and carry
every other spelling's key too, marked (``labels.SAME_ARTIST``), so that ``--artist`` by any
spelling finds them all and the facet counts them once; ``artist_as`` names the primary artist
by that spelling where the tag spells it otherwise (the artist cap and the version dedup read
it). One
name under two ids (Nirvana, the 1960s British band and the 1990s American one) is two
artists: each keeps the name's key (the facet's one row, as before) and gains the key of
"Nirvana [5b11f4ce]" (its id's first eight digits), which ``--artist`` takes to name one, and an
artist radio of the bare name is an error naming both with their albums
(``query.titles.AmbiguousArtistError``).

A name without an id of its own (an untagged "Nobuo Uematsu - Prelude.mp3" named by its file,
an iTunes purchase's "植松伸夫") is that id's where it is a spelling of exactly one id the
library spells several ways (``same_artists``): keyed as the id's tagged tracks are, so that
``--artist "Nobuo Uematsu"`` finds it and the facet counts it in his row, not in a row of its
own. A name two ids share stays as it was (an untagged "Nirvana" may be either band), and a
library without Picard reads as it did. MusicBrainz's special artists ("Various Artists",
"[unknown]", "[anonymous]", "[traditional]"...) are many people: their ids join nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Callable, Iterable

from mutagen.asf import ASFTags
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from recsys.catalog.model import TrackRecord, with_fields
from recsys.catalog.tagtext import repaired, visible
from recsys.catalog.tagvalues import freeform_texts, tag_values
from recsys.labels import SAME_ARTIST, label_key

#: ``label_key``, remembered: a library of 50,000 Picard files names some 2,500 artists, and the
#: pass keys each track's names twice (0.49 s against 0.28 s at 50,000 tracks)
_key = lru_cache(maxsize=1 << 16)(label_key)

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

#: the reader's key -> the name of the ID3 TXXX frame and the MP4 freeform atom
#: (``----:com.apple.iTunes:MusicBrainz Artist Id``) Picard writes it to, compared without case
#: (``tagvalues.freeform_texts``: an MP4 atom a tool wrote as "MUSICBRAINZ ARTIST ID" is the
#: same tag, as a TXXX frame so written always was), the ASF attribute; Vorbis, APEv2
#: (``apetags``) and Matroska (``matroska``) read it under the reader's key itself
_FREE = {"musicbrainz_artistid": "musicbrainz artist id", "musicbrainz_albumartistid": "musicbrainz album artist id"}
_ASF = {"musicbrainz_artistid": "MusicBrainz/Artist Id", "musicbrainz_albumartistid": "MusicBrainz/Album Artist Id"}

#: MusicBrainz's special purpose artists: each stands for many people, so two spellings under
#: one of them are not one artist (Various Artists, [unknown], [anonymous], [traditional],
#: [no artist], [dialogue], [data])
SPECIAL_IDS = frozenset({
    "89ad4ac3-39f7-470e-963a-56509c546377", "125ec42a-7229-4250-afc5-e057484327fe",
    "f731ccc4-e22a-43af-a747-64213329e088", "9be7f096-97ec-4615-8957-8d40b5dcbc41",
    "eec63d3c-3b81-4ad4-b1e4-7c147d4d2b61", "314e1c25-dde7-4e4d-b2f4-0a7b9f7c56dc",
    "33cf029c-63b0-41a0-9855-be2a3665fb3b",
})


def _ids(tags: Any, raw_tags: Any, key: str) -> list[str]:
    """The well-formed ids of one of the two keys, lowercased, in the tag's order: "/"-, NUL-
    and ";"-joined values split (every id found in the text)."""
    if isinstance(raw_tags, (ID3, MP4Tags)):
        values = [t for _, t in freeform_texts(raw_tags, {_FREE[key]})]
    elif isinstance(raw_tags, ASFTags):
        values = [str(getattr(v, "value", v)) for v in raw_tags.get(_ASF[key], [])]
    else:  # Vorbis comments, an APEv2 tag, a Matroska file's: the reader's easy keys
        values = tag_values(tags, key)
    return [found for v in values for found in _UUID.findall(v.lower())]


def named_ids(tags: Any, raw_tags: Any, artist: str, credits: tuple[str, ...], album_artist: str,
              listed: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """(name, id) of each artist the tags give an id for: the artist ids paired in order with
    Picard's ARTISTS list (``listed``), else the credited artists, else (one artist credited)
    the artist tag's values, else the artist, whichever has as many names as there are ids (a
    list of another length pairs nothing: which id is whose?); the album artist with its one
    id. A credit of several ("Kenta Cho & Yuzo Koshiro") is no one's name: one id beside it is
    one of its artists', which the tags do not say (a real library's Picard file, ARTISTS
    "Kenta Cho" and "Yuzo Koshiro", one id). Special artists' ids left out (``SPECIAL_IDS``)."""
    pairs: list[tuple[str, str]] = []
    ids = _ids(tags, raw_tags, "musicbrainz_artistid")
    if ids:
        names = [visible(repaired(n)).strip() for n in listed]
        if len(names) == 1 and len(ids) > 1:
            # ID3v2.3 joins ARTISTS with "/" as it joins the ids: "A/B" beside "idA/idB"
            names = [n.strip() for n in names[0].split("/")]
        lists = [names, list(credits)]
        if not credits and len(names) < 2:
            lists += [[v.strip() for v in tag_values(tags, "artist") if v.strip()], [artist] if artist else []]
        for names in lists:
            if len(names) == len(ids) and all(names):
                pairs += zip(names, ids)
                break
    album_ids = _ids(tags, raw_tags, "musicbrainz_albumartistid")
    if album_artist and len(album_ids) == 1:
        pairs.append((album_artist, album_ids[0]))
    return tuple(dict.fromkeys((n, i) for n, i in pairs if i not in SPECIAL_IDS))


@dataclass(frozen=True)
class Spellings:
    """What the library calls one MusicBrainz artist: its keys, the one it is keyed by, and
    whether another artist of the library shares one of its names."""

    mbid: str
    #: the key every track of the id is keyed by (the most common spelling as an artist)
    key: str
    #: that spelling as the library most often writes it ("Nobuo Uematsu")
    shown: str
    #: every other key of the id (its other spellings, as an artist or an album artist)
    others: tuple[str, ...]
    #: whether one of its keys is another id's too (the two Nirvanas)
    namesake: bool
    #: how many of the id's first characters tell it from those other ids (8, more where
    #: two of them begin alike)
    digits: int = 8

    @property
    def name(self) -> str:
        """The name the artist is known by: its spelling, with its id's first digits when
        another artist of the library has that name ("Nirvana [5b11f4ce]")."""
        return f"{self.shown} [{self.mbid[:self.digits]}]" if self.namesake else self.shown


def _latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin one (a tie between two spellings goes to it:
    what a keyboard types)."""
    return all(c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def library_spellings(tracks: Iterable[TrackRecord]) -> dict[str, Spellings]:
    """Each id the library spells in several ways, or shares a name of with another id, by id."""
    # id -> key -> [tracks naming it so as an artist, when first met]
    keyed: dict[str, dict[str, list[int]]] = {}
    shown: dict[str, dict[str, int]] = {}  # key -> spelling -> tracks
    order = 0
    for t in tracks:
        if not t.artist_ids:
            continue
        credited = {_key(n) for n in (t.artist, *t.artists)}
        named: dict[tuple[str, str], str] = {}  # a key once a track and id: its first spelling
        for n, i in t.artist_ids:
            named.setdefault((_key(n), i), n)
        for (key, mbid), name in named.items():
            row = keyed.setdefault(mbid, {}).setdefault(key, [0, order])
            order += 1
            if key in credited:
                row[0] += 1
                shown.setdefault(key, {})
                shown[key][name] = shown[key].get(name, 0) + 1
    ids_of: dict[str, set[str]] = {}
    for mbid, keys in keyed.items():
        for key in keys:
            ids_of.setdefault(key, set()).add(mbid)
    out: dict[str, Spellings] = {}
    for mbid, keys in keyed.items():
        as_artist = {k: row for k, row in keys.items() if row[0]}
        namesake = any(len(ids_of[k]) > 1 for k in keys)
        if not as_artist or (len(keys) < 2 and not namesake):
            continue  # an album artist alone (no artist row to show it), or one spelling of its own

        def rank(k: str) -> tuple:
            spelled = max(shown[k], key=lambda s: (shown[k][s], _latin(s)))
            return (-as_artist[k][0], not _latin(spelled), as_artist[k][1])

        key = min(as_artist, key=rank)
        spelling = min(shown[key], key=lambda s: (-shown[key][s], not _latin(s), s))
        alike = {i for k in keys for i in ids_of[k]} - {mbid}
        digits = next(n for n in (8, 13, 18, 23, 36) if all(i[:n] != mbid[:n] for i in alike))
        out[mbid] = Spellings(mbid, key, spelling, tuple(k for k in keys if k != key), namesake, digits)
    return out


def _spelled_once(spellings: dict[str, Spellings]) -> dict[str, Spellings]:
    """Each key that is a spelling of exactly one of ``spellings``' ids (its key or another
    of its keys), by key: what a name without an id is read as. A key of two ids (the two
    Nirvanas' "nirvana") is left out: which of them an untagged file is the tags do not say."""
    ids_of: dict[str, list[Spellings]] = {}
    for s in spellings.values():
        for key in (s.key, *s.others):
            ids_of.setdefault(key, []).append(s)
    return {key: found[0] for key, found in ids_of.items() if len(found) == 1}


def same_artists(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks``, each name of a track whose id the library spells several ways, or shares with
    another id, keyed as the module says (``TrackRecord.id_keys``, ``artist_as``), and a name
    without an id that spells exactly one of those ids as that id's (``_spelled_once``); every
    other track as it is."""
    spellings = library_spellings(tracks)
    if not spellings:
        return tracks
    spelled = _spelled_once(spellings)
    out: list[TrackRecord] = []
    for t in tracks:
        names = (t.artist, *t.artists) if t.artists else (t.artist,)
        found = {_key(n): spellings[i] for n, i in t.artist_ids if i in spellings}
        # the names the tags give no id for: "Nobuo Uematsu" of an untagged file beside his
        # Picard-tagged "植松伸夫" (a name they pair with an id of its own is that id's, and
        # two ids': never in ``spelled``)
        for name in names:
            key = _key(name)
            if key not in found and key in spelled:
                found[key] = spelled[key]
        if not found:
            out.append(t)
            continue
        own: list[str] = []  # the track's keys as the filters match them, each name's artist's
        extra: list[str] = []  # its artists' other names
        marked: list[str] = []
        for name in names:
            key = _key(name)
            s = found.get(key)
            if s is None:
                own.append(key)
                continue
            own.append(s.key)
            if s.namesake:
                extra.append(_key(s.name))
            extra += s.others
            marked += [SAME_ARTIST + k for k in s.others]
        keys = list(dict.fromkeys([*own, *extra]))
        if marked:  # "~ " alone: this track's keys were joined (the facet reads it)
            keys += list(dict.fromkeys([*marked, SAME_ARTIST]))
        primary = t.artists[0] if t.artists else t.artist
        # each credited artist by its joined name too: a band's leader credited beside it is
        # the joined artist to the version dedup ("Lady" by "Fela Ransome-Kuti and the Africa
        # '70", crediting "Fela Ransome-Kuti", and by "Fela Kuti": one song)
        credited = tuple(_known_as(found, n) for n in t.artists)
        out.append(replace(t, id_keys=tuple(keys), artist_as=_known_as(found, primary),
                           artists_as=credited if any(credited) else ()))
    return out


def _known_as(found: dict[str, Spellings], name: str) -> str:
    """The name ``name`` is known by among the spellings ``found`` for a track's names (its
    id's most common spelling, or "Nirvana [5b11f4ce]"), "" where it is that spelling already
    or none was found."""
    s = found.get(_key(name))
    return "" if s is None or (not s.namesake and _key(name) == s.key) else s.name


def with_spelling_ids(
    tracks: list[TrackRecord], prefix: str, spelling_groups: Callable[[list[str]], dict[str, str]],
) -> list[TrackRecord]:
    """``tracks``, each credited name that ``spelling_groups`` (the library's names -> each
    joined name's group) joins given that group's id (``prefix`` and the group, in
    ``TrackRecord.artist_ids``), for ``same_artists`` to key them as one: how ``abjadnames`` and
    ``cyrillicnames`` join a name in another script to its Latin spellings. Names another id
    places already (a MusicBrainz id's, an earlier join's) keep theirs alone; a library whose
    names are all ASCII is returned as it is (nothing to read: most Western libraries)."""
    def names_of(t: TrackRecord) -> tuple[str, ...]:
        return (t.artist, *t.artists) if t.artists else (t.artist,)

    if not any(not n.isascii() for t in tracks for n in names_of(t)):
        return tracks
    placed = {label_key(n) for t in tracks for n, i in t.artist_ids if not i.startswith(prefix)}
    groups = spelling_groups([n for t in tracks for n in names_of(t) if n and label_key(n) not in placed])
    if not groups:
        return tracks
    out: list[TrackRecord] = []
    for t in tracks:
        ids = tuple((n, prefix + groups[n]) for n in dict.fromkeys(names_of(t)) if n in groups)
        out.append(with_fields(t, artist_ids=t.artist_ids + ids) if ids else t)
    return out
