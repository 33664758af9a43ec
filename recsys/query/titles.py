"""Title matching: the track meant by a typed title (an exact title by one lookup, a fuzzy one
through ``fuzzy.Shortlist``, a Cyrillic or Greek title typed in Latin letters read as it), and
an artist's tracks (an artist radio's seeds) by the names it is tagged and typed by. The keys
a title is compared by are ``titlekeys``'; the choice among equal matches is ``titlepick``'s."""

from __future__ import annotations

import re
from itertools import chain, islice
from typing import Callable, Iterable, Iterator, Sequence

from rapidfuzz import fuzz, process

from recsys.catalog.abjadnames import latin_letters
from recsys.catalog.cyrillicnames import reads_as
from recsys.catalog.greeknames import reads_as as reads_as_greek
from recsys.catalog.typednames import typed_script_keys
from recsys.query.fuzzy import MIN_ROWS, Shortlist, title_score
from recsys.query.titlekeys import normalise, seed_form
from recsys.query.titlepick import TitleEntry, pick, plainest, song_names, song_roots
from recsys.errors import NotFoundError, RecsysError
from recsys.labels import double_name, label_key, name_keys
from recsys.text import described
from recsys.translit import to_latin


def own_names(e: TitleEntry) -> set[str]:
    """The (normalised) artists a track is the own song of: as tagged, and its first credited
    ("Drake feat. Rihanna" is Drake's)."""
    tagged = normalise(e.artist)
    names = {tagged, normalise(e.artists[0])} if e.artists else {tagged}
    return names | {normalise(e.known_as)} if e.known_as else names


def featured_names(e: TitleEntry) -> set[str]:
    """The (normalised) artists a track features: its other credited ones."""
    return {normalise(a) for a in e.artists[1:]} - own_names(e)


def artist_keys(names: Iterable[str]) -> set[str]:
    """The keys ``names`` are matched by, as the artist filters match them: each one's
    ``label_key``, and a name in two scripts' each half's ("BLACKPINK(블랙핑크)": "blackpink",
    "블랙핑크"; ``labels.name_keys``)."""
    return {k for n in names if n for k in name_keys(n)}


def _named(normalised: set[str], names: Iterable[str]) -> tuple[set[str], set[str]]:
    """An entry's artists as ``_credited_pools`` matches them: their normalised names, with a
    name in two scripts' halves (for the fuzzy match: "blackpnk") and a Cyrillic or Greek name's
    Latin letters (a surname typed alone, "tsoi", is close to "Виктор Цой" as "coltrane" is to
    "John Coltrane"), and their keys."""
    names = [n for n in names if n]
    halves = {normalise(h) for n in names if (pair := double_name(n)) for h in pair}
    read = normalised | halves
    return read | {to_latin(n) for n in read if not n.isascii()}, artist_keys(names)


#: A fuzzy title match must score this much (rapidfuzz WRatio, 0-100): 85 takes a typo
#: ("Ocean Breth") or a leading part of a title ("Ocean" for "Ocean Breath") and leaves out
#: titles that only share a few letters ("Hello" vs "Highway to Hell" scores 80).
MIN_SCORE = 85.0
#: Fuzzy matches within this many points of the best are as good as the best.
TIE_MARGIN = 0.5
#: An unknown title's error names the closest songs, found by scoring at most this many
#: titles, the most promising by the shortlist's bound first: the full scan's three unless
#: more are needed to be sure (for 40 unknown titles among 100k, never: bench/bench_titles.py).
#: A hint, so its cost is capped: about 30 ms at worst.
HINT_SCORED = 10_000
#: the best-ranked titles of a seed matching none that are read for a Cyrillic title it spells
#: (``TitleIndex._read_titles``): a spelling a letter or two off ranks first among them
READ_RANKED = 20

__all__ = ["AmbiguousArtistError", "HINT_SCORED", "MIN_SCORE", "READ_RANKED", "TIE_MARGIN", "TitleIndex",
           "artist_keys", "featured_names", "own_names"]


def _close_name(typed: str, name: str, min_score: float) -> bool:
    """Whether an artist's (normalised) ``name`` is close to the ``typed`` one: WRatio, which
    scores a name found inside the typed one as a part of it, and a name shorter than the
    typed one close as a whole too. "Pumpuang Duangjan" (the luk thung singer, not in the
    library) was "Quang Dung"'s artist radio: "quang dung" lies almost whole inside it (81);
    short syllable names (Vietnamese, Thai, Indonesian) lie inside many a longer one."""
    if fuzz.WRatio(typed, name) < min_score:
        return False
    return len(name) >= len(typed) or fuzz.ratio(typed, name) >= min_score


class TitleIndex:
    """Seed lookup over a collection's (track_id, title, artist, audio file) payloads:
    exact track ids, exact then fuzzy titles, an artist's tracks."""

    def __init__(self, entries: Iterable[TitleEntry], shortlist_min_rows: int = MIN_ROWS):
        self.entries = list(entries)
        self._norm = [seed_form(e.title) for e in self.entries]
        self._ids = {e.track_id: e for e in self.entries}
        self._shortlist_min_rows = shortlist_min_rows
        #: made on the first fuzzy title, kept with the titles (a new index has new titles)
        self._shortlist: Shortlist | None = None
        self._by_norm: dict[str, list[int]] | None = None

    def shortlist(self) -> Shortlist:
        """The fuzzy ranking of the normalised titles (``fuzzy.Shortlist``), made once."""
        if self._shortlist is None:
            self._shortlist = Shortlist(self._norm, self._shortlist_min_rows)
        return self._shortlist

    def _exact(self, q: str) -> list[int]:
        """The rows whose normalised title, or its reading (``TitleEntry.reading``), is ``q``,
        in order (one dict lookup)."""
        if self._by_norm is None:
            by_norm: dict[str, list[int]] = {}
            for i, t in enumerate(self._norm):
                by_norm.setdefault(t, []).append(i)
            for i, e in enumerate(self.entries):
                if e.reading and seed_form(e.reading) != self._norm[i]:
                    by_norm.setdefault(seed_form(e.reading), []).append(i)
            self._by_norm = by_norm
        return self._by_norm.get(q, [])

    def by_id(self, track_id: str) -> TitleEntry | None:
        """The track with exactly this id, if any."""
        return self._ids.get(track_id)

    def _credited_pools(self, artist: str, min_score: float = 80.0) -> tuple[list[int], list[int]]:
        """Indices of the tracks ``artist`` is the artist of (the tagged string or the first
        credited name), and of those it is featured on: the exact (normalised) name, else
        names close to it; NotFoundError naming the closest artists when there are none. Exact is
        the normalised name, then its ``label_key``, as filters match it: "acdc" is "AC/DC"'s
        and the "ACDC" folder's, "guns n' roses" the curly apostrophe's, "mo" "MØ"'s (WRatio
        took "mo" for Mogwai, Motörhead, Mötley Crüe and Skálmöld)."""
        want = normalise(artist)
        keys = {label_key(artist)}
        # each artist by its names: a name in two scripts by each of its own too
        # ("BLACKPINK(블랙핑크)" is "blackpink": ``labels.name_keys``)
        own = [_named(own_names(e), (e.artist, *e.artists[:1])) for e in self.entries]
        # another spelling of an artist one MusicBrainz id names ("植松伸夫" for "Nobuo
        # Uematsu", ``catalog.artistids``): the tracks tagged with it know the artist's name
        keys |= {label_key(e.known_as) for e, names in zip(self.entries, own)
                 if e.known_as and (want in names[0] or not keys.isdisjoint(names[1]))}
        featured = {i: _named(featured_names(e), e.artists[1:]) for i, e in enumerate(self.entries) if e.artists}
        def tests() -> Iterator[Callable[[tuple[set[str], set[str]]], bool] | None]:
            yield lambda names: want in names[0] or not keys.isdisjoint(names[1])
            yield self._script_hit(artist)  # read only where no name is the typed one
            yield lambda names: any(_close_name(want, n, min_score) for n in names[0])

        for hit in tests():
            if hit is None:
                continue
            by = [i for i, names in enumerate(own) if hit(names)]
            taken = set(by)
            on = [i for i, names in featured.items() if i not in taken and hit(names)]
            if by or on:
                return by, on
        distinct: dict[str, str] = {}
        for e in self.entries:
            for name in (e.artist, *e.artists):
                distinct.setdefault(normalise(name), name)
        near = process.extract(want, list(distinct), scorer=fuzz.WRatio, limit=3)
        listed = ", ".join(f'"{distinct[n]}"' for n, _, _ in near)
        raise NotFoundError(f"no artist matches '{artist}'" + (f"; closest: {listed}" if listed else ""))

    def _script_hit(self, artist: str) -> Callable[[tuple[set[str], set[str]]], bool] | None:
        """``_credited_pools``' test of an entry's names for a Latin name typed for an artist the
        library names in Arabic, Persian or Hebrew letters alone ("Marcel Khalife" for "مارسيل
        خليفة": ``abjadnames.typed_abjad_keys``) or in Cyrillic ones ("Yolka" for "Ёлка", whose
        key is "elka"; "Mumiy Troll" for "Мумий Тролль": ``cyrillicnames.typed_cyrillic_keys``),
        in Greek ones ("Haris Alexiou" for "Χάρις Αλεξίου", keyed "charis alexiou":
        ``greeknames.typed_greek_keys``) or in kana ("yorushika" for "ヨルシカ":
        ``kananames.typed_kana_keys``), asked only where no name is the typed one; None where it
        reads as none of the library's artists, or as several (which one?)."""
        if not latin_letters(artist):
            return None
        names = {n for e in self.entries for n in (e.artist, *e.artists) if n}
        found = typed_script_keys(artist, names)
        if len(found) != 1:
            return None
        # and the tracks of its Latin spellings the library joined to it (``catalog.abjadnames``):
        # they know it by its name (``known_as``), or it knows them by theirs
        known = {e.known_as for e in self.entries
                 if e.known_as and any(label_key(n) in found for n in (e.artist, *e.artists[:1]) if n)}
        keys = found | {label_key(k) for k in known}
        spelled = {normalise(n) for n in names if label_key(n) in found} | {normalise(k) for k in known}
        return lambda named: not keys.isdisjoint(named[1]) or not spelled.isdisjoint(named[0])

    def artist_tracks(self, artist: str, limit: int = 10) -> list[TitleEntry]:
        """Up to ``limit`` songs crediting ``artist`` (one version of each, the plain one): its
        own in title order, then those it is featured on, in title order: the seeds of an
        artist radio (a radio of an artist's own songs first, as a featured song is mostly
        the other artist's)."""
        out: list[TitleEntry] = []
        seen: set[tuple[str, str]] = set()
        pools = self._credited_pools(artist)
        _one_artist(artist, [self.entries[i] for i in pools[0]])
        # each track's song as a seed's lookup reads it (``song_roots``): a leader's band's and
        # his own, one title in two scripts ("Liniya zhizni" and "Линия жизни" by Сплин) one song
        members = [i for pool in pools for i in pool]
        root_of = dict(zip(members, song_roots([self.entries[i] for i in members])))
        for pool in pools:
            songs: dict[tuple[str, str], tuple[int, TitleEntry]] = {}
            for i in pool:
                e = self.entries[i]
                key = root_of[i]
                if key in seen:
                    continue
                if key not in songs or plainest(e) < plainest(songs[key][1]):
                    songs[key] = (i, e)
            # one song's two names, "뚜두뚜두 (DDU-DU DDU-DU)" and "DDU-DU DDU-DU": one seed
            chosen = []
            for i, e in sorted(songs.values(), key=lambda found: plainest(found[1])):
                keys = song_names(e) | {root_of[i]}
                if seen.isdisjoint(keys):
                    seen |= keys
                    chosen.append(e)
            out += sorted(chosen, key=lambda e: (normalise(e.title), e.track_id))
        return out[:limit]

    def resolve(self, query: str, artist: str | None = None, min_score: float = MIN_SCORE) -> TitleEntry:
        """The track meant by ``query``: an exact (normalised) title first, else the best
        fuzzy match. Several distinct songs that match (about) equally well raise
        AmbiguousTitleError; nothing close enough raises NotFoundError with the closest."""
        q = seed_form(query)
        if not artist:
            # every title: the exact ones by a lookup, the fuzzy ones through the shortlist,
            # which scores only the titles that can rank high (fuzzy.Shortlist)
            exact = self._exact(q)
            if exact:
                return self._pick(query, exact)
            ranked = self.shortlist().ranked(q, floor=min_score - TIE_MARGIN)
            first = next(ranked, None)
            if first is None or first[1] < min_score:
                hint = self.shortlist().ranked(q, budget=HINT_SCORED)
                best = list(islice(hint, READ_RANKED))
                read = self._read_titles(query, (i for i, _ in best))
                if read:
                    return self._pick(query, read)
                raise self._not_found(query, artist, chain(best, hint))
            top = [first[0]]
            for i, score in ranked:
                if score < first[1] - TIE_MARGIN:
                    break
                top.append(i)
            return self._pick(query, self._versions_named(q, top))
        own, featured = self._credited_pools(artist)
        for pool in (own, featured):  # the artist's own song before one it is featured on
            exact = [i for i in pool if self._norm[i] == q
                     or self.entries[i].reading and seed_form(self.entries[i].reading) == q]
            if exact:
                return self._pick(query, exact)
        choices = {i: self._norm[i] for i in own + featured}
        scored = process.extract(q, choices, scorer=title_score, limit=None)
        if not scored or scored[0][1] < min_score:
            read = self._read_titles(query, own + featured)
            if read:
                return self._pick(query, read)
            raise self._not_found(query, artist, ((i, s) for _, s, i in scored))
        best = scored[0][1]
        top = [i for _, s, i in scored if s >= best - TIE_MARGIN]
        return self._pick(query, self._versions_named(q, top))

    def _read_titles(self, query: str, rows: Iterable[int]) -> list[int]:
        """Of ``rows``, those whose Cyrillic title ``query``, typed in Latin letters, is a spelling
        of (``cyrillicnames.reads_as``): a seed that ``seed_form``'s one transliteration puts a
        letter off, "Utekay" for "Утекай" ("utekai"), Bulgarian "Shturche" for "Щурче"
        ("shchurche"), below the fuzzy threshold; or whose Greek title it spells
        (``greeknames.reads_as``: "Yparho" for "Υπάρχω", keyed "yparcho"); asked only where
        nothing else matched."""
        return [i for i in rows if reads_as(query, self.entries[i].title) or reads_as_greek(query, self.entries[i].title)]

    def _versions_named(self, q: str, top: list[int]) -> list[int]:
        """``top`` (the best fuzzy matches of ``q``), with every other version of their song
        when ``q`` is that song's title without its versions' markers: "Legends of the North"
        matched its shortest titles best ("(Dub Mix)", "(Acapella)"), not the song's own
        "(Original Mix)", which ``pick`` prefers. A query naming a version keeps to it."""
        keys = {self.entries[i].song for i in top}
        if len(keys) != 1 or to_latin(next(iter(keys))[0].partition("\0")[0]) != q:  # a cue's key holds its album too
            return top
        (key,) = keys
        more = [i for i, t in enumerate(self._norm) if t.startswith(q) and i not in top
                and self.entries[i].song == key]
        return top + more

    def _not_found(self, query: str, artist: str | None, ranked: Iterable[tuple[int, float]]) -> NotFoundError:
        """The error for a title that matches nothing, naming the closest few of ``ranked``
        ((row, score), best first), one per song."""
        near: list[TitleEntry] = []
        seen: set[tuple[str, str]] = set()
        for i, _ in ranked:
            key = self.entries[i].song
            if key not in seen:
                seen.add(key)
                near.append(self.entries[i])
            if len(near) == 3:
                break
        names = ", ".join(described(e.title, e.artist) for e in near)
        by = f" by {artist}" if artist else ""
        return NotFoundError(f"no track{by} matches '{query}'" + (f"; closest: {names}" if names else ""))

    def _pick(self, query: str, idxs: list[int]) -> TitleEntry:
        return pick(query, [self.entries[i] for i in idxs])


#: an artist's name with its MusicBrainz id's first digits, where two artists of the library
#: have that name (``catalog.artistids``): "Nirvana [5b11f4ce]"
_NAMESAKE = re.compile(r"^(?P<name>.*) \[(?P<id>[0-9a-f]{8}[0-9a-f-]*)\]$")


class AmbiguousArtistError(RecsysError):
    """An artist's name that two artists of the collection have, told apart by their
    MusicBrainz ids (the 1960s British Nirvana and the 1990s American one)."""

    def __init__(self, typed: str, albums: dict[str, list[str]]):
        self.candidates = tuple(albums)
        listed = "; ".join(
            f"'{name}'" + (f" ({', '.join(found[:3])}{', ...' if len(found) > 3 else ''})" if found else "")
            for name, found in albums.items())
        super().__init__(
            f"the artist '{typed}' is {len(albums)} artists of one name (their MusicBrainz ids differ): {listed};"
            f" give the one you mean as listed (--artist \"{self.candidates[0]}\")")


def _one_artist(artist: str, own: Sequence[TitleEntry]) -> None:
    """Raise AmbiguousArtistError where ``artist`` names two artists of one name among the
    tracks it is the artist of (each named "Name [5b11f4ce]" by its id); a name with its
    id's digits names one."""
    albums: dict[str, list[str]] = {}
    for e in own:
        match = _NAMESAKE.match(e.known_as)
        if match is not None:
            found = albums.setdefault(e.known_as, [])
            if e.album and e.album not in found:
                found.append(e.album)
    if len(albums) > 1 and label_key(artist) not in {label_key(n) for n in albums}:
        ranked = sorted(albums.items(), key=lambda kv: (-len(kv[1]), kv[0]))  # most albums first
        raise AmbiguousArtistError(artist, {name: sorted(found) for name, found in ranked})


