"""The one dedup and artist-cap rule every query's hits pass through (``Library.collect``)."""

from __future__ import annotations

from typing import Iterable

from recsys.store.base import ADVISORY_FIELD, CLEAN, Hit, PointRecord
from recsys.query.scriptcopies import ScriptTitles
from recsys.query.versions import artist_key, identity


class Picker:
    """The one dedup and artist-cap rule: a hit is taken unless it is an excluded track, a
    version of an excluded or already taken song, or past ``max_per_artist`` tracks of its
    artist (0: no cap), or, under ``--clean``, a copy not marked clean of a song of
    ``clean_songs`` (its clean copy stands for it: ``recsys.query.clean``), or its artist's
    seed or taken song titled in another script ("Chto takoye osen'" of the seed "Что такое
    осень" by DDT: ``scriptcopies``). Taking a hit records it."""

    def __init__(
        self, max_per_artist: int = 0, exclude_keys: Iterable[tuple[str, str]] = (), exclude_ids: Iterable[str] = (),
        clean_songs: frozenset[tuple[str, str]] = frozenset(), titles: ScriptTitles | None = None,
    ):
        self.max_per_artist = max_per_artist
        self.keys: set[tuple[str, str]] = set(exclude_keys)
        self.ids: set[str] = set(exclude_ids)
        self.per_artist: dict[str, int] = {}
        self.clean_songs = clean_songs
        #: the seeds' and the taken hits' titles by artist (``scriptcopies``)
        self.titles = titles if titles is not None else ScriptTitles()

    @classmethod
    def seeded(
        cls, max_per_artist: int, seeds: Iterable[PointRecord | Hit],
        clean_songs: frozenset[tuple[str, str]] = frozenset(),
    ) -> Picker:
        """A picker that takes none of ``seeds``, no version of theirs, nor their copy titled in
        another script."""
        seeds = list(seeds)
        keys: list[tuple[str, str]] = []
        titles = ScriptTitles()
        for s in seeds:
            own, artist = identity(s)
            keys.extend(own)
            titles.add(artist, str(s.get("title", "")))
        return cls(max_per_artist, keys, (s.track_id for s in seeds), clean_songs, titles)

    def copy(self, max_per_artist: int | None = None) -> Picker:
        """An independent copy, with another cap if given."""
        other = Picker(self.max_per_artist if max_per_artist is None else max_per_artist, self.keys, self.ids,
                       self.clean_songs, self.titles.copy())
        other.per_artist = dict(self.per_artist)
        return other

    def count(self, p: PointRecord | Hit) -> None:
        """Count ``p`` toward its artist's cap (a playlist's seeds) without taking it."""
        artist = artist_key(p)
        self.per_artist[artist] = self.per_artist.get(artist, 0) + 1

    def take(self, h: Hit) -> bool:
        if h.track_id in self.ids:
            return False
        keys, artist = identity(h)
        if not self.keys.isdisjoint(keys):
            return False
        if self.clean_songs and h.get(ADVISORY_FIELD) != CLEAN and not self.clean_songs.isdisjoint(keys):
            return False  # the unmarked copy of a song owned clean too: the clean copy plays
        # most hits' artist has no seed nor taken result: one dict lookup, no title read
        if artist in self.titles.by_artist and self.titles.reads_as_one(artist, str(h.get("title", ""))):
            # "Что такое осень" of the seed "Chto takoye osen'": one song in two scripts. Its
            # keys and title stay, as an excluded song's: its versions, and a download's "Chto
            # takoe osen", which reads as it too, are the seed's
            self.keys.update(keys)
            self.titles.add(artist, str(h.get("title", "")))
            return False
        taken = self.per_artist.get(artist, 0)
        if 0 < self.max_per_artist <= taken:
            return False
        self.keys.update(keys)
        self.ids.add(h.track_id)
        self.per_artist[artist] = taken + 1
        self.titles.add(artist, str(h.get("title", "")))
        return True
