"""The track a title seed means among those it matches equally well: ``TitleEntry`` (a
track as the seed lookup holds it), the songs such tracks are (``song_roots``: one song's
versions, copies and names in two scripts joined), the one ``pick`` takes (the plainest version
of one song), or ``AmbiguousTitleError`` listing the songs when they are several, in the order
a person reads them (``listing_order``: a work's movements in the score's order)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from recsys.catalog.leaders import named_leaders
from recsys.errors import RecsysError
from recsys.query.samesongs import joined_name, read_alike
from recsys.query.titlekeys import base_title, normalise, other_names, plainness, song_key, version_key
from recsys.text import described


@dataclass(frozen=True)
class TitleEntry:
    track_id: str
    title: str
    artist: str
    audio_path: str | None = None  # as stored in the payload (absolute, or as the catalog was read)
    #: every artist the track credits, primary first, when it credits several (the payload's
    #: ``artists``: "Drake feat. Rihanna" -> Drake, Rihanna); empty for one
    artists: tuple[str, ...] = ()
    #: the MusicBrainz recording id of the payload's ``recording_id``; "" without one
    recording_id: str = ""
    #: the album as tagged ("" without one): a cue title's ("Main Title") names its piece
    album: str = ""
    #: its place on an album that repeats its title (the payload's ``album_place``: "1-3"), "" elsewhere
    place: str = ""
    #: the name its primary artist is known by where the tag spells it otherwise (the
    #: payload's ``artist_as``: its MusicBrainz id's spelling, ``catalog.artistids``); "" else
    known_as: str = ""
    #: whether the tags name its composer: a composed work's performers, listed with commas
    #: ("Berliner Philharmoniker, Herbert von Karajan"), are no singers of one song (``song_roots``)
    composed: bool = False
    #: its title's reading in Latin letters, from its sort tag (the payload's ``title_sort``:
    #: "Yoru ni Kakeru" of "夜に駆ける"), "" without one: an exact seed finds it
    reading: str = ""
    #: each credited artist's name where the library joined it under another (the payload's
    #: ``artists_as``, "" for one known as tagged; () where none is): a band's leader's
    artists_as: tuple[str, ...] = ()

    @property
    def primary_artist(self) -> str:
        """The artist the track is by: the first credited, else ``artist`` as tagged (as its
        MusicBrainz id's spelling where the tag spells it otherwise)."""
        return self.known_as or (self.artists[0] if self.artists else self.artist)

    @property
    def song(self) -> tuple[str, str]:
        """The song this track is a version of (``song_key`` of its primary artist, album and place)."""
        return song_key(self.title, self.primary_artist, self.album, self.place)

#: the songs an ambiguous title's error names; it counts the others
SHOWN = 6


class AmbiguousTitleError(RecsysError):
    def __init__(self, query: str, candidates: Sequence[TitleEntry], how: str | None = None):
        # one line per song (copies of one song would read as the same choice twice), each with
        # a track id: the one way to name a song whose title and artist another shares
        songs: dict[tuple[str, str], TitleEntry] = {}
        for c, song in zip(candidates, song_roots(candidates)):
            songs.setdefault(song, c)
        # one artist's cue on several albums ("Main Title" by John Williams): the album says which
        named = [version_key(c.title, c.primary_artist) for c in songs.values()]
        listed = "; ".join(
            f"{described(c.title, c.artist)}{_on_album(c) if c.album and named.count(key) > 1 else ''} [{c.track_id}]"
            for c, key in list(zip(songs.values(), named))[:SHOWN])
        if len(songs) > SHOWN:  # "Intro" is 200 songs of a 10,000-file library: say so
            listed += f"; and {len(songs) - SHOWN} more"
        # one artist's tracks ("I. Allegro" of two concertos): --artist cannot tell them apart
        one_artist = len({normalise(c.primary_artist) for c in songs.values()}) == 1
        if how is None:
            how = _how_to_choose(list(songs.values()), one_artist)
        ending = f"{how}." if how.endswith("track id of the one meant") else f"{how}, or give a track id."
        super().__init__(f'"{query}" matches several tracks: {listed}. {ending}')
        self.candidates = list(candidates)


def _on_album(c: TitleEntry) -> str:
    """" on <album>", and the track's place there where the album repeats its title (" on X,
    track 3", " on X, disc 2, track 4"): four "Battle Theme"s of one album read alike without."""
    disc, _, track = c.place.partition("-")
    if not track:
        return f" on {c.album}"
    return f" on {c.album}, {f'disc {disc}, ' if disc != '1' else ''}track {track.upper()}"


def _how_to_choose(songs: list[TitleEntry], one_artist: bool) -> str:
    """What tells ``songs`` apart, before "or give a track id": --artist where they are several
    artists' (the first listed named, as it is typed), the full title where the titles differ."""
    ways = []
    artist = next((c.primary_artist for c in songs if c.primary_artist.strip()), "")
    if not one_artist and artist:
        ways.append(f'add --artist to choose one (--artist "{artist}")')
    if len({normalise(c.title) for c in songs}) > 1:
        ways.append("give the full title")
    if not ways and len({c.album for c in songs}) == len(songs) > 1:
        # one artist's cue on several albums ("Main Title" on "Star Wars" and "E.T."): more of
        # the title cannot tell them apart, its id can
        return "Their albums tell them apart: give the track id of the one meant"
    if not ways and len({(c.album, c.place) for c in songs}) == len(songs) > 1:
        # "Battle Theme" four times on one album: its tracks' places
        return "Their albums and places on them tell them apart: give the track id of the one meant"
    how = ", ".join(ways) or "give more of the title"
    return how[0].upper() + how[1:]

def song_roots(entries: Sequence[TitleEntry]) -> list[tuple[str, str]]:
    """Each entry's song: its version key, keys joined where two tracks carry one MusicBrainz
    recording id ("Legolodio" by Xmoto Team on its album and by "X-Moto Team" on a compilation:
    one recording, so the seed "Legolodio" is no choice between them), where one is a
    leader's band's or duet's that credits him (``catalog.leaders``: "Chaiyya Chaiyya" by
    "Sukhwinder Singh & Sapna Awasthi" and by Sukhwinder Singh, as the results' dedup keys it),
    or where a title in two scripts names the other (``other_names``) or a title's reading is
    another's title ("アイドル" read "Idol", and "Idol")."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(key: tuple[str, str]) -> tuple[str, str]:
        while parent[key] != key:
            key = parent[key]
        return key

    def join(key: tuple[str, str], other: tuple[str, str]) -> None:
        parent.setdefault(other, other)
        parent[root(key)] = root(other)

    first_of: dict[str, tuple[str, str]] = {}
    for e in entries:
        key = e.song
        parent.setdefault(key, key)
        if e.recording_id:
            join(key, first_of.setdefault(e.recording_id, key))
        if len(e.artists) > 1:
            # a film song's singers listed with commas too, as the dedup reads them (not a
            # composed work's performers: ``versions.identity``); the leader by the name the
            # library joined him under ("Fela Ransome-Kuti" as "Fela Kuti": ``samesongs``)
            for leader in named_leaders(e.primary_artist, e.artists, not e.composed):
                join(key, (key[0], version_key("", joined_name(leader, e.artists, e.artists_as))[1]))
        # "뚜두뚜두 (DDU-DU DDU-DU)" and "DDU-DU DDU-DU" by one artist: one song's two names
        for other in song_names(e) - {key}:
            join(key, other)
    # one joined artist's title in Latin letters and in Cyrillic or abjad ones, the one a
    # reading of the other ("Liniya zhizni" and "Линия жизни" by Сплин: ``samesongs.read_alike``)
    roots = [root(e.song) for e in entries]
    for i, j in read_alike([(r[1], base_title(e.title)) for r, e in zip(roots, entries)]):
        join(roots[i], roots[j])
    return [root(e.song) for e in entries]


def song_names(e: TitleEntry) -> set[tuple[str, str]]:
    """The song keys of a track's every name: its title's, a title in two scripts' other
    names' and its reading's (``other_names``, ``TitleEntry.reading``)."""
    names = (*other_names(e.title), *((e.reading,) if e.reading else ()))
    return {e.song, *(song_key(n, e.primary_artist, e.album, e.place) for n in names)}


def _songs(entries: Sequence[TitleEntry]) -> int:
    """How many songs ``entries`` are (``song_roots``)."""
    return len(set(song_roots(entries)))


def pick(query: str, entries: Sequence[TitleEntry]) -> TitleEntry:
    """Among equally good matches, one song (one version key) is fine: prefer the plain
    version. Several songs are ambiguous (one recording id is one song: ``_songs``). A song is its primary artist's, as to the dedup of
    results (``library.track_key``): "Nebula" by "A feat. B" on a compilation and "Nebula" by
    A on A's album are one song. Keyed on the tagged artist they were two, and no --artist
    could choose, as A credits both."""
    if _songs(entries) > 1:
        named = _named_song(entries)
        if named is None:
            raise AmbiguousTitleError(query, sorted(entries, key=listing_order))
        entries = named
    # the plain version: the song's own (``plainness``), the shortest title, then the one
    # crediting its artist alone
    return min(entries, key=plainest)


def _named_song(entries: Sequence[TitleEntry]) -> list[TitleEntry] | None:
    """The tracks of the one song among ``entries`` that has an artist, when the others are
    that song's title by no artist: an untagged disc's copy ("Hotel California" of a DTS disc's
    "01 - Hotel California.dts", beside the Eagles' tagged one) is no second song to choose
    from, and "Hotel California" asked for the Eagles'. None where two artists' songs match, or
    an artistless track's title is another's."""
    roots = song_roots(entries)
    named = {root for root, e in zip(roots, entries) if e.primary_artist.strip()}
    if len(named) != 1:
        return None
    (song,) = named
    if any(root != song and root[0] != song[0] for root in roots):
        return None
    return [e for root, e in zip(roots, entries) if root == song]


_SPLIT = re.compile(r"\s*:\s+|\s+[-\u2013\u2014]\s+")
_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman(token: str) -> int | None:
    """An upper-case Roman numeral's value ("IV": 4), else None."""
    if not token or not _ROMAN.fullmatch(token):
        return None
    values = [_ROMAN_VALUES[c] for c in token]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _natural(text: str) -> tuple:
    """``text`` as a sort key that counts: numbers and upper-case Roman numerals by their value
    ("No. 9" before "No. 10", "IV." after "III."), words case- and accent-folded."""
    out = []
    for token in _TOKEN.findall(text):
        number = int(token) if token.isdigit() else _roman(token)
        out.append((0, number, "") if number is not None else (1, 0, normalise(token)))
    return tuple(out)


def listing_order(e: TitleEntry) -> tuple:
    """The order an ambiguous title's candidates are listed in: by work (the title before its
    first ": " or " - "), then movement ("I." before "IV.", numbered before named), then
    performer: the movements of three recordings of a symphony read in the score's order."""
    work, *movement = _SPLIT.split(e.title, maxsplit=1)
    # one album's "Battle Theme"s in its order
    return (_natural(work), _natural(movement[0] if movement else ""), normalise(e.primary_artist), _natural(e.place),
            e.track_id)

def plainest(e: TitleEntry) -> tuple[int, int, int, str]:
    """The order in which versions of one song are the one a title means: ``pick``."""
    return plainness(e.title), len(e.title), len(e.artists), e.track_id
