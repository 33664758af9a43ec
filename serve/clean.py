"""A clean server (``recsys serve --clean``, or ``RECSYS_CLEAN=1`` in its environment): a
parent's radio (``recsys.query.clean``) for every listener, whatever a request says.

``filters.clean``, ``?clean=true`` and the page's checkbox are the listener's to set, and a
child can untick them; a clean server applies ``clean`` to every filter it builds, so a
request's ``clean=false`` lifts nothing. And where a listener names a track (a track page, its
cover or audio, a seed of a recommend, a playlist or a path), a track marked explicit is
answered as absent: 404, with a line saying why, so the parent who set the server up reads what
happened rather than "no such track". Of a plain server (``clean`` off) nothing here changes an
answer: an explicit seed there is the listener's (``recsys.query.clean``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from recsys.errors import NotFoundError
from recsys.query.clean import explicit_of
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
