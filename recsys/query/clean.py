"""A parent's radio (``--clean``): no track marked explicit, and of a song owned explicit and
clean, the clean copy.

The reader marks a track's advisory (the payload's ``advisory``: ``recsys.catalog.advisory``):
"explicit", "clean", absent where nothing says, as for most files (a result's ``explicit``: true,
false or none). ``QueryFilter.clean`` leaves the tracks marked explicit out in the store
itself; a track with no advisory stays.

A song may be owned twice, one copy marked clean ("B***h, Don't Kill My Vibe", "Hype [Clean]",
an ``rtng`` of 2) and one marked nothing (the album as ripped): the dedup keeps one copy of a
song, the best scored, and that was as often the unmarked one, which is the explicit one where a
clean copy exists at all. So under ``--clean`` the one ``Picker`` leaves out a copy with no
advisory of a song that has a clean copy (``clean_songs``, the clean copies' song keys, read
once a Library): the clean copy stands for the song. A copy known not to be explicit (an
``EXPLICIT=0`` from a streaming service) is such a clean copy as well.

The seeds are the listener's: an explicit seed is still a seed (its song's other copies are its
versions, never in its answer). An artist radio's seeds, which recsys picks, are the artist's
tracks not marked explicit where the artist has any (``Library.resolve``).

A collection without a track marked explicit (every collection ingested before the field)
gets no store filter: its answers and its costs are what they were, bar the dedup's choice.
"""

from __future__ import annotations

from dataclasses import replace

from recsys.store.base import ADVISORY_FIELD, CLEAN, EXPLICIT, QueryFilter

#: the filters of the tracks marked explicit, and of those marked clean (or not explicit)
EXPLICIT_ONLY = QueryFilter(match=((ADVISORY_FIELD, (EXPLICIT,)),))
CLEAN_ONLY = QueryFilter(match=((ADVISORY_FIELD, (CLEAN,)),))


def explicit_of(payload) -> bool | None:
    """A stored track's advisory as a result shows it: True explicit, False clean, None unknown."""
    return {EXPLICIT: True, CLEAN: False}.get(payload.get(ADVISORY_FIELD))


def store_filter(lib, flt: QueryFilter) -> QueryFilter:
    """``flt`` as the store applies it: ``clean`` dropped where no track is marked explicit
    (``Library.has_explicit``: one count, remembered), a condition on every candidate for
    nothing, and an empty filter keeps its fast paths."""
    if flt.clean and not lib.has_explicit():
        return replace(flt, clean=False)
    return flt


def clean_songs(lib, flt: QueryFilter) -> frozenset[tuple[str, str]]:
    """The song keys the ``Picker`` takes only a clean copy of: with ``flt.clean``, those of
    every clean copy of the collection (``Library.clean_copies``); else none."""
    return lib.clean_copies() if flt.clean else frozenset()
