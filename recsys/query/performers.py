"""A collection's musicians as a listener names them: "Paul Chambers", "paul chambers",
"Chambers", "Coltrane" for the musicians the tags credit on each track (``catalog.performers``:
Picard's PERFORMER "Name (instrument)", ID3 TMCL, a comment's personnel line), the leaders
among them and the sidemen.

The musicians are the store's ``performers`` facet (one row per spelling, kept by the store
until its next write), one musician per ``label_key`` (case, accents and punctuation aside:
"Philly Joe Jones" and "Philly Joe Jones" with a curly apostrophe alike), shown in his most
common spelling. A name typed for ``--performer``, the API's ``performers`` or a musician's
radio is the musician whose key it is, else the one musician its surname and initials fit
(``composerkeys``' rule: "Chambers", "P. Chambers"); where it fits several ("Jones": Elvin, Philly
Joe and Sam) it is an error naming them, not the sessions of all three. A name no musician fits
stays as typed: it matches nothing, and the filter-typo message says so
(``facets.unmatched_filter``).

The store matches the musician by key (``performers_key``), which every track naming musicians
carries beside their names. A collection ingested before the field has none: its next ingest
writes it without encoding anything (``DERIVED_RULES``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from recsys.catalog.model import PERFORMERS_FIELD
from recsys.errors import RecsysError
from recsys.labels import label_key
from recsys.query.composerkeys import ComposerName, compatible, parse_composer
from recsys.store.base import QueryFilter, StoreBackend


@dataclass(frozen=True)
class Musician:
    """One musician of a collection: ``name`` as shown (his most common spelling), his key,
    every spelling the tags give, his tracks."""

    name: str
    key: str
    spellings: tuple[str, ...]
    tracks: int
    #: the name read as a surname and given names (None for one without a word)
    parsed: ComposerName | None


class AmbiguousPerformerError(RecsysError):
    """A musician's name that fits several musicians of the collection."""

    def __init__(self, typed: str, candidates: Iterable[Musician], collection: str):
        self.candidates = tuple(candidates)
        listed = ", ".join(f"{m.name} ({m.tracks} track{'s' if m.tracks != 1 else ''})" for m in self.candidates)
        super().__init__(
            f"the performer '{typed}' is more than one in collection '{collection}': {listed}; give the one you"
            f" mean by name (`recsys facets performers` lists them)"
        )


@dataclass(frozen=True)
class PerformerIndex:
    """A collection's musicians, most tracks first."""

    musicians: tuple[Musician, ...]

    @classmethod
    def read(cls, backend: StoreBackend, collection: str) -> "PerformerIndex":
        """The musicians of ``collection``, from the store's performers facet."""
        return cls.of_rows(backend.facet(collection, PERFORMERS_FIELD))

    @classmethod
    def of_rows(cls, rows: Iterable[tuple[object, int]]) -> "PerformerIndex":
        """The musicians of a performers facet's rows (spelling, tracks). A track names a
        musician once (``catalog.performers.merged``), so his spellings' counts add up."""
        spelled: dict[str, dict[str, int]] = {}
        for value, n in rows:
            if isinstance(value, str) and value.strip():
                forms = spelled.setdefault(label_key(value), {})
                forms[value] = forms.get(value, 0) + n
        musicians = []
        for key, forms in spelled.items():
            name = min(forms, key=lambda f: (-forms[f], f))
            musicians.append(Musician(name, key, tuple(sorted(forms, key=lambda f: (-forms[f], f))),
                                      sum(forms.values()), parse_composer(name)))
        return cls(tuple(sorted(musicians, key=lambda m: (-m.tracks, m.name))))

    def rows(self, counted: Iterable[tuple[object, int]] | None = None) -> list[tuple[str, int]]:
        """The musicians as facet rows: (name as shown, tracks), most first. ``counted``: the
        performers facet under a filter (a clean server's), whose tracks each musician counts
        instead (his spellings' by his key, as ``of_rows`` adds them); one none of whose tracks
        it holds is no row. Shown as the whole collection spells him, the name --performer reads."""
        if counted is None:
            return [(m.name, m.tracks) for m in self.musicians]
        tracks: dict[str, int] = {}
        for value, n in counted:
            if isinstance(value, str) and value.strip():
                tracks[label_key(value)] = tracks.get(label_key(value), 0) + n
        found = [(m.name, tracks.get(m.key, 0)) for m in self.musicians]
        return sorted(((name, n) for name, n in found if n > 0), key=lambda row: (-row[1], row[0]))

    def matching(self, typed: str) -> tuple[Musician, ...]:
        """The musicians ``typed`` may name: the one whose key it is, else each whose surname
        and given names fit (``composerkeys.compatible``); empty for none."""
        key = label_key(typed)
        exact = tuple(m for m in self.musicians if m.key == key)
        if exact:
            return exact
        name = parse_composer(typed)
        if name is None:
            return ()
        return tuple(m for m in self.musicians if m.parsed is not None and compatible(name, m.parsed))

    def resolve(self, typed: str, collection: str) -> Musician | None:
        """The one musician ``typed`` names; None for none; AmbiguousPerformerError for several."""
        found = self.matching(typed)
        if len(found) > 1:
            raise AmbiguousPerformerError(typed, found, collection)
        return found[0] if found else None


def performer_filter(backend: StoreBackend, collection: str, flt: QueryFilter) -> QueryFilter:
    """``flt`` with each of its performers read as the collection's musician it names (a name
    that names none stays as typed); ``flt`` itself without performers."""
    if not flt.performers:
        return flt
    index = PerformerIndex.read(backend, collection)
    names = []
    for typed in flt.performers:
        found = index.resolve(typed, collection)
        names.append(found.name if found is not None else typed)
    return replace(flt, performers=tuple(dict.fromkeys(names)))


def with_performers(backend: StoreBackend, collection: str, req):
    """A query's request (any with a ``flt``) with its performers read by ``performer_filter``;
    ``req`` itself when it names none (the id-seed recommend's fast path reads nothing more)."""
    if not req.flt.performers:
        return req
    return replace(req, flt=performer_filter(backend, collection, req.flt))
