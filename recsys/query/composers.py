"""A collection's composers as a listener names them: "bach", "Beethoven", "dvorak",
"Tschaikowsky" for the composer the tags spell "Johann Sebastian Bach", "Ludwig van
Beethoven", "Antonín Dvořák", "Pyotr Ilyich Tchaikovsky" and "Petr Iljič Čajkovskij".

The composers are the store's composer facet (one row per spelling, case and accents aside: a
few hundred rows in a large classical library, kept by the store until its next write), grouped
into people by ``composerkeys`` (one surname key, compatible given names). A row that names
several people ("Thelonious Monk, Cootie Williams & Bernie Hanighen", "Lennon/McCartney":
``catalog.composerlists``) is read as each of them, and counts for each; a band's name is
one ("Earth, Wind & Fire", and "Simon & Garfunkel" where the collection has it as an artist:
one filtered read of those artists' tracks, only where a row may be a band's), but not a list
of surnames one of whom the collection names in full ("Ellington, Tizol & Mills" beside "Duke
Ellington": three composers, "Ellington" his). A name typed for
``--composer``, the API's ``composers`` or a composer's radio is the composer whose spelling it is,
else the one composer its surname and initials fit; the filter then names every facet value
naming that composer, alone or in a list, so the store matches it as it matched a full name (``composer_norm``, or the
exact ``composer`` of a collection made before it). Where the name fits several composers
("Bach" in a library with Johann Sebastian and Carl Philipp Emanuel) it is an error naming them,
not the works of both. A name no composer fits stays as typed: it matches nothing, and the
filter-typo message says so (``facets.unmatched_filter``).

The payloads stay as they were: nothing is written, and a collection made by any earlier ingest
is read the same way. The lists are read here, from the facet, rather than split into a payload
field at ingest: one place for every backend and every collection, no payload to rewrite, and a
query without ``--composer`` reads nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from recsys.catalog.abjadnames import spelling_groups
from recsys.catalog.typednames import typed_script_keys
from recsys.catalog.composerlists import band_of_words, composer_people, maybe_a_band
from recsys.errors import RecsysError
from recsys.labels import label_key
from recsys.query.composerkeys import ComposerName, compatible, parse_composer, parse_words
from recsys.store.base import QueryFilter, StoreBackend
from recsys.store.filters import normalise_label


@dataclass(frozen=True)
class Composer:
    """One person of a collection's composers: ``name`` as shown (the plainest, most common
    spelling), every spelling the tags give (as the store's facet spells each), his tracks."""

    name: str
    spellings: tuple[str, ...]
    tracks: int
    #: the names read of the spellings (None for one that has no word)
    names: tuple[ComposerName | None, ...]
    #: the composer facet's values naming him, alone or in a list ("Richard Rodgers; Lorenz
    #: Hart"): what the store's filter matches for him
    values: tuple[str, ...]

    @property
    def named_in_full(self) -> bool:
        """Whether a spelling gives a given name: a surname alone that fits several composers
        ("Bach" beside two Bachs) is kept apart as tagged, and a typed full name passes it by."""
        return any(n is not None and (n.given or n.family) for n in self.names)


@dataclass(frozen=True)
class _Row:
    """One spelling of a person, over the facet values that name him."""

    spelling: str
    tracks: int
    name: ComposerName | None
    values: tuple[str, ...]


class AmbiguousComposerError(RecsysError):
    """A composer's name that fits several composers of the collection."""

    def __init__(self, typed: str, candidates: Iterable[Composer], collection: str):
        self.candidates = tuple(candidates)
        listed = ", ".join(f"{c.name} ({c.tracks} track{'s' if c.tracks != 1 else ''})" for c in self.candidates)
        super().__init__(
            f"the composer '{typed}' is more than one in collection '{collection}': {listed}; give the one you"
            f" mean by name (`recsys facets composers` lists them)"
        )


def _shown(rows: list[tuple[str, int, ComposerName | None]]) -> str:
    """The spelling a composer is shown by: the surname as its key spells it ("Tchaikovsky"),
    with the most given names in full ("Johann Sebastian", not "J.S."), not in the sort form
    ("Bach, Johann Sebastian"), the most tracks."""
    def rank(row: tuple[str, int, ComposerName | None]) -> tuple:
        spelling, count, name = row
        # a family's act ("Rahbani Brothers") names its family in full: as a given name does
        full = sum(len(g) > 1 for g in name.given) + name.family if name else 0
        return (not (name is None or name.plain), -full, "," in spelling, -count, spelling)

    return min(rows, key=rank)[0]


@dataclass(frozen=True)
class ComposerIndex:
    """A collection's composers, most tracks first."""

    composers: tuple[Composer, ...]
    #: the composer rows that are an artist of the collection, by ``label_key``: a band's name
    #: in the composer tag ("Simon & Garfunkel", "AC/DC"), one name (``composer_people``)
    bands: frozenset[str] = frozenset()
    #: the surname keys of the composers the rows name in full ("ellington" of "Duke
    #: Ellington"): a list of single words with one of them ("Ellington, Tizol & Mills") is
    #: its composers, not a band's name (``composer_people``)
    surnames: frozenset[str] = frozenset()

    def known_surname(self, word: str) -> bool:
        """Whether ``word`` is the surname of a composer the collection names in full."""
        name = parse_composer(word)
        return name is not None and name.surname in self.surnames

    @classmethod
    def read(cls, backend: StoreBackend, collection: str) -> "ComposerIndex":
        """The composers of ``collection``, from the store's composer facet (and the artists
        of the rows that may be a band's name, ``_bands``)."""
        rows = backend.facet(collection, "composer")
        return cls.of_rows(rows, _bands(backend, collection, rows))

    @classmethod
    def of_rows(cls, rows: Iterable[tuple[object, int]], bands: frozenset[str] = frozenset()) -> "ComposerIndex":
        """The composers of a composer facet's rows (spelling, tracks): a row naming several
        people ("Richard Rodgers; Lorenz Hart", ``composer_people``) counts for each of them,
        a band's name (one of ``bands``, the artists by ``label_key``, or "Earth, Wind & Fire")
        for itself."""
        # each person's spelling (case and accents aside): as most of his tracks spell him, his
        # tracks, the facet values (tags as stored) that name him
        rows = list(rows)
        known = cls(composers=(), bands=bands, surnames=_full_surnames(rows, bands)).known_surname
        spelled: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
        for value, n in rows:
            if not (isinstance(value, str) and value.strip()):
                continue
            for person in composer_people(value, bands, known):
                # by the artist key: "Shankar-Ehsaan-Loy" and "Shankar Ehsaan Loy" are one
                # spelling, as one trio's name with or without its hyphens (``labels.label_key``)
                forms, values = spelled.setdefault(label_key(person), ({}, {}))
                forms[person] = forms.get(person, 0) + n
                values[value] = n
        groups: dict[str, list[list[_Row]]] = {}
        alone: list[list[_Row]] = []
        parsed = []
        for forms, values in spelled.values():
            spelling = min(forms, key=lambda f: (-forms[f], f))
            parsed.append(_Row(spelling, sum(values.values()), parse_composer(spelling), tuple(values)))
        # the fullest names first: a surname alone joins the one composer it fits, after them
        # (and after a family's act of its surname, which it may be too: "Rahbani Brothers")
        for row in sorted(parsed, key=lambda r: (-len(r.name.given) if r.name else 0,
                                                 not (r.name and r.name.family), -r.tracks, r.spelling)):
            name = row.name
            if name is None:
                alone.append([row])
                continue
            clusters = groups.setdefault(name.surname, [])
            fits = [c for c in clusters if all(m.name is not None and compatible(name, m.name) for m in c)]
            if len(fits) == 1:
                fits[0].append(row)
            else:  # none, or several: a composer of its own (as tagged)
                clusters.append([row])
        every = _abjad_joined([c for clusters in groups.values() for c in clusters] + alone)
        tracks = {v: n for v, n in rows if isinstance(v, str)}
        composers = []
        for c in every:
            values = tuple(dict.fromkeys(v for r in c for v in r.values))  # a tag naming him twice counts once
            composers.append(Composer(_shown([(r.spelling, r.tracks, r.name) for r in c]), tuple(r.spelling for r in c),
                                      sum(tracks[v] for v in values), tuple(r.name for r in c), values))
        return cls(tuple(sorted(composers, key=lambda c: (-c.tracks, c.name))), bands, _full_surnames(rows, bands))

    def rows(self, counted: Iterable[tuple[object, int]] | None = None) -> list[tuple[str, int]]:
        """The composers as facet rows: (name as shown, tracks), most first. ``counted``: the
        composer facet under a filter (a clean server's), whose tracks each composer counts
        instead; one none of whose tracks it holds is no row. The composers stay the whole
        collection's, as --composer reads a name: a clean facet's row finds what it counts."""
        if counted is None:
            return [(c.name, c.tracks) for c in self.composers]
        # by composer_norm's spelling, as the facet groups them: the filtered facet may show a
        # value in another of its spellings ("Dvorak" where the clean tracks spell it so)
        tracks: dict[str, int] = {}
        for value, n in counted:
            if isinstance(value, str):
                tracks[normalise_label(value)] = tracks.get(normalise_label(value), 0) + n
        found = [(c.name, sum(tracks.get(normalise_label(v), 0) for v in c.values)) for c in self.composers]
        return sorted(((name, n) for name, n in found if n > 0), key=lambda row: (-row[1], row[0]))

    def matching(self, typed: str) -> tuple[Composer, ...]:
        """The composers ``typed`` may name: the one with that spelling (given in full), else
        each whose surname and given names fit; empty for none."""
        want, key = normalise_label(typed), label_key(typed)
        # a name of two words or more spelled otherwise ("Shankar Ehsaan Loy" for the facet's
        # "Shankar-Ehsaan-Loy", a trio's name that is no surname and given names)
        several = len(parse_words(typed)) > 1
        for c in self.composers:
            if c.named_in_full and any(normalise_label(s) == want for s in c.spellings) \
                    or several and any(label_key(s) == key for s in c.spellings):
                return (c,)
        name = parse_composer(typed)
        if name is None:
            return ()
        found = [c for c in self.composers if any(n is not None and compatible(name, n) for n in c.names)]
        if name.given and any(c.named_in_full and c.names[0].surname == name.surname for c in self.composers):
            # "J.S. Bach" (or "W.F. Bach") is not the "Bach" kept apart beside two Bachs
            found = [c for c in found if c.named_in_full]
        if not found:
            # "Riad Al Sunbati" typed for the "رياض السنباطي" of a Deezer download, "Viktor Tsoy"
            # for "Виктор Цой", "Manos Hadjidakis" for "Μάνος Χατζιδάκις": the one composer named
            # in an abjad, in Cyrillic, in Greek or in kana whose reading the Latin name is
            # (``abjadnames``, ``cyrillicnames``, ``greeknames``, ``kananames``)
            spellings = [s for c in self.composers for s in c.spellings]
            keys = typed_script_keys(typed, spellings)
            read = [c for c in self.composers if any(label_key(s) in keys for s in c.spellings)]
            found = read if len(read) == 1 else []
        return tuple(found)

    def resolve(self, typed: str, collection: str) -> Composer | None:
        """The one composer ``typed`` names; None for none; AmbiguousComposerError for several."""
        found = self.matching(typed)
        if len(found) > 1:
            raise AmbiguousComposerError(typed, found, collection)
        return found[0] if found else None


def _abjad_joined(clusters: list[list[_Row]]) -> list[list[_Row]]:
    """``clusters`` (each one composer's spellings), those that one composer's names in an
    abjad and in Latin letters are joined as the artists are (``abjadnames.spelling_groups``):
    "الأخوين رحباني" and "Rahbani Brothers", "زياد الرحباني" and "Ziad Rahbani" (Deezer's
    Arabic credits beside iTunes' Latin ones) were two composers each."""
    groups = spelling_groups(r.spelling for c in clusters for r in c)
    if not groups:
        return clusters
    out: list[list[_Row]] = []
    into: dict[str, list[_Row]] = {}  # an abjad name's key -> the cluster its spellings join
    for c in clusters:
        ids = [groups[r.spelling] for r in c if r.spelling in groups]
        target = next((into[i] for i in ids if i in into), None)
        if target is None:
            target = []
            out.append(target)
        target += c
        for i in ids:
            into.setdefault(i, target)
    return out


def _full_surnames(rows: Iterable[tuple[object, int]], bands: frozenset[str]) -> frozenset[str]:
    """The surname keys of the people the composer rows name with a given name ("Duke
    Ellington", "Ellington, Duke"), alone or in a list; not of a list of single words
    ("Ellington, Tizol & Mills" read whole names no "Tizol Ellington")."""
    found: set[str] = set()
    for value, _ in rows:
        if isinstance(value, str) and value.strip() and not band_of_words(value):
            for person in composer_people(value, bands):
                name = parse_composer(person)
                if name is not None and name.given:
                    found.add(name.surname)
    return frozenset(found)


def _bands(backend: StoreBackend, collection: str, rows: list[tuple[object, int]]) -> frozenset[str]:
    """The composer rows (by ``label_key``) that may be a band's name (``maybe_a_band``) and
    are an artist of the collection: one filtered read of those artists' tracks, their
    ``artist`` and ``artists`` alone (the artist facet costs a pass over every credit: 10.9 s
    on a million tracks before it is kept); none read when no row may be."""
    maybe = tuple(v for v, _ in rows if isinstance(v, str) and maybe_a_band(v))
    if not maybe:
        return frozenset()
    wanted = {label_key(v) for v in maybe}
    found: set[str] = set()
    for p in backend.payloads(collection, ("artist", "artists"), flt=QueryFilter(artists=maybe)):
        credited = p.payload.get("artists")
        names = [p.payload.get("artist"), *(credited if isinstance(credited, list) else ())]
        found.update(k for n in names if isinstance(n, str) and (k := label_key(n)) in wanted)
    return frozenset(found)


def composer_filter(backend: StoreBackend, collection: str, flt: QueryFilter) -> QueryFilter:
    """``flt`` with each of its composers read as the collection's composer it names: every
    facet value naming him, alone or in a list (a name that names none stays as typed). A typed
    list ("Rodgers & Hammerstein") is the values naming each of its people: their songs together.
    ``flt`` itself without composers."""
    if not flt.composers:
        return flt
    index = ComposerIndex.read(backend, collection)
    values: list[str] = []
    for typed in flt.composers:
        together: set[str] | None = None
        for person in composer_people(typed, index.bands, index.known_surname) or (typed,):
            found = index.resolve(person, collection)
            named = set(found.values) if found is not None else set()
            together = named if together is None else together & named
        # in the facet's order (most tracks first), for a filter that reads the same each time
        matched = [v for c in index.composers for v in c.values if v in (together or ())]
        values += matched or [typed]
    return replace(flt, composers=tuple(dict.fromkeys(values)))


def with_composers(backend: StoreBackend, collection: str, req):
    """A query's request (any with a ``flt``) with its composers read by ``composer_filter``;
    ``req`` itself when it names none (the id-seed recommend's fast path reads nothing more)."""
    if not req.flt.composers:
        return req
    return replace(req, flt=composer_filter(backend, collection, req.flt))
