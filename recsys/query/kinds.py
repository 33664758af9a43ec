"""Which kind of track a seeded query keeps to: a song's radio music, an episode's spoken word.

A music folder holds podcast episodes, audiobooks and voice memos beside the songs; the reader
marks them (the payload's ``kind`` "spoken": ``recsys.catalog.spokenword``). A listener calls a
podcast episode in a song's radio wrong, and one who seeds with an episode wants episodes. So
a query whose seeds are all music leaves spoken word out, one whose seeds are all spoken word
keeps to it, and one that mixes them (a playlist holding both) keeps both, as before. The
caller's own choice (``QueryFilter.kind``: ``--kind``, the API's filter) always wins.

A collection without spoken word (every collection ingested before the field) gets no filter
at all: its answers and its costs are what they were.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from recsys.store.base import KIND_FIELD, SPOKEN, PointRecord, QueryFilter


def is_spoken(p: PointRecord) -> bool:
    """Whether a stored track is spoken word (its payload's ``kind``)."""
    return p.payload.get(KIND_FIELD) == SPOKEN


def seeds_kind(seeds: Iterable[PointRecord]) -> str:
    """``SPOKEN`` when every seed is spoken word, "music" when none is, "" when they mix (or
    there are none)."""
    kinds = {SPOKEN if is_spoken(s) else "music" for s in seeds}
    return kinds.pop() if len(kinds) == 1 else ""


def with_seed_kind(lib, flt: QueryFilter, seeds: Iterable[PointRecord]) -> QueryFilter:
    """``flt`` keeping to the seeds' kind (``seeds_kind``), unless it names a kind already. A
    music seed in a collection holding no spoken word filters nothing (``Library.has_spoken``:
    one count, remembered): a filter the store would apply to every candidate for nothing."""
    if flt.kind:
        return flt
    kind = seeds_kind(seeds)
    if not kind or (kind == "music" and not lib.has_spoken()):
        return flt
    return replace(flt, kind=kind)
