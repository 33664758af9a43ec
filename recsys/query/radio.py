"""An artist radio's seeds (``--artist`` without a title): the artist's songs, or the
composer's or the musician's tracks that a name no artist has means, and under ``--clean``
a parent's choice of them."""

from __future__ import annotations

from typing import Callable

from recsys.errors import RecsysError
from recsys.labels import label_key
from recsys.store.base import ADVISORY_FIELD, PointRecord, QueryFilter, StoreBackend
from recsys.query.clean import explicit_of
from recsys.query.seeds import ENTRY_KEYS, title_entry
from recsys.query.titlekeys import normalise
from recsys.query.titlepick import TitleEntry, listing_order
from recsys.query.titles import TitleIndex
from recsys.query.versions import IDENTITY_KEYS, song_keys

#: An artist radio (``--artist`` without a title) seeds with up to this many of the artist's songs.
RADIO_SEEDS = 10


#: what an artist radio's seeds read of each of the artist's tracks under ``--clean``
RADIO_KEYS: tuple[str, ...] = tuple(dict.fromkeys((*ENTRY_KEYS, *IDENTITY_KEYS, ADVISORY_FIELD)))


class ArtistRadio:
    """Library's artist radios (a mixin: it uses the Library's ``backend``, ``name``, its title
    index and the songs it owns clean, ``clean_copies``)."""

    backend: StoreBackend
    name: str
    _titles: TitleIndex | None
    titles: Callable[[], TitleIndex]
    clean_copies: Callable[[], frozenset[tuple[str, str]]]

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
        spread evenly over them in work and movement order (``titlepick.listing_order``), so that
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
                return TitleIndex(title_entry(p) for p in (self._clean_seeds(found) if clean else found)).artist_tracks(
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


def _spread(points) -> list[TitleEntry]:
    """A radio's seeds of ``points`` (a composer's, a musician's tracks): one track a title, up to
    RADIO_SEEDS spread evenly over them in work and movement order (``titlepick.listing_order``)."""
    by_title: dict[str, TitleEntry] = {}
    for e in sorted((title_entry(p) for p in points), key=listing_order):
        by_title.setdefault(normalise(e.title), e)
    works = list(by_title.values())
    if len(works) <= RADIO_SEEDS:
        return works
    return [works[i * len(works) // RADIO_SEEDS] for i in range(RADIO_SEEDS)]
