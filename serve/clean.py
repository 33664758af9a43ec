"""A clean server (``recsys serve --clean``, or ``RECSYS_CLEAN=1`` in its environment): a
parent's radio (``recsys.query.clean``) for every listener, whatever a request says.

``filters.clean``, ``?clean=true`` and the page's checkbox are the listener's to set, and a
child can untick them; a clean server applies ``clean`` to every filter it builds, so a
request's ``clean=false`` lifts nothing. And where a listener names a track (a track page, its
cover or audio, a seed of a recommend, a playlist or a path), a track marked explicit is
answered as absent: 404, with a line saying why, so the parent who set the server up reads what
happened rather than "no such track". A seed given by title that names a track marked explicit
is the clean copy of its song where the collection owns one (``clean_copy_seeds``: an album
owned in its explicit and its clean edition, titled alike). Of a plain server (``clean`` off) nothing here changes an
answer: an explicit seed there is the listener's (``recsys.query.clean``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from recsys.errors import NotFoundError
from recsys.query.clean import CLEAN_ONLY, explicit_of
from recsys.query.versions import IDENTITY_KEYS, song_keys
from recsys.store.base import PointRecord, QueryFilter

#: what a refusal says after naming the track: the server's setting, and how it was made
WHY = "this server is clean (recsys serve --clean): it serves no track marked explicit"


class ExplicitRefused(NotFoundError):
    """A track marked explicit, asked for by id, title or artist from a clean server (404)."""


def served_filter(flt: QueryFilter, server_clean: bool) -> QueryFilter:
    """``flt`` as the server applies it: ``clean`` set on a clean server, as asked otherwise."""
    return replace(flt, clean=True) if server_clean and not flt.clean else flt


def describe(point: PointRecord) -> str:
    """'Title' by Artist (t0042): a track as a refusal names it."""
    title, artist = point.payload.get("title"), point.payload.get("artist")
    named = f"'{title}'" + (f" by {artist}" if artist else "") if title else "a track"
    return f"{named} ({point.track_id})"


def refuse_explicit(points: Iterable[PointRecord], server_clean: bool, role: str = "track") -> None:
    """ExplicitRefused for the first of ``points`` marked explicit, on a clean server. ``role``:
    what the request made of it ("track", "seed", "start of the path")."""
    if not server_clean:
        return
    for point in points:
        if explicit_of(point.payload):
            raise ExplicitRefused(f"the {role} {describe(point)} is marked explicit: {WHY}")


def refuse_explicit_seeds(seeds: Iterable[PointRecord], server_clean: bool, radio_of: str | None = None) -> None:
    """``refuse_explicit`` for the seeds of a recommend or a playlist; ``radio_of``: the artist of an
    artist radio, whose seeds recsys picked, not marked explicit where the artist has any track
    so (``Library.resolve``): one marked explicit means that all of the artist's are."""
    if radio_of is None:
        refuse_explicit(seeds, server_clean, "seed")
    elif server_clean and any(explicit_of(s.payload) for s in seeds):
        raise ExplicitRefused(f"no radio of {radio_of}: every track of theirs is marked explicit, and {WHY}")


def clean_copy_seeds(lib, seeds: Sequence[str], artist: str | None, server_clean: bool) -> list[str]:
    """A clean server's ``seeds`` (titles, track ids) as track ids, each title that names a track
    marked explicit as a clean copy of its song (``song_keys``: its title and artist, or its
    recording) where the collection has one: a title is the listener's song, not one file of it,
    and the exact title lookup takes either copy of an edition titled alike. Seeds given as ids,
    and every seed of a plain server or a collection without a track marked explicit, as given."""
    if not server_clean or not seeds or not lib.has_explicit() or lib.points_by_id(seeds, ()) is not None:
        return list(seeds)
    found = [lib.find(seed, artist) for seed in seeds]  # an unknown or ambiguous title: its own error
    points = {p.track_id: p for p in lib.backend.retrieve(lib.name, [e.track_id for e in found], with_vectors=False)}
    copies: list[PointRecord] | None = None
    out = []
    for seed, entry in zip(seeds, found):
        point = points.get(entry.track_id)
        if seed != entry.track_id and point is not None and explicit_of(point.payload):
            if copies is None:  # the tracks marked clean or not explicit: few, read once a request
                copies = list(lib.backend.payloads(lib.name, IDENTITY_KEYS, flt=CLEAN_ONLY))
            keys = set(song_keys(point))
            clean = next((c for c in copies if keys & set(song_keys(c))), None)
            out.append(clean.track_id if clean is not None else entry.track_id)
        else:
            out.append(entry.track_id)
    return out
