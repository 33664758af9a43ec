"""One album, one album artist: a track whose tags name no album artist takes the one the
other tracks of its album agree on.

An album is tagged unevenly more often than not: a compilation whose tracks carry "Various
Artists" but for the one with an ID3v1 tag only (which has no field for it) or an APE tag; a
classical disc whose third movement was tagged with its composer alone; a second disc
retagged by another program. The graph's album node is one per album artist (else artist) and
title (``recsys.encoders.graph.album_node``), so each such track was an album of its own: the
real compilation of eight tracks was three albums, the sonata two. Here an album is its
title in one album folder (a ``CD1`` / ``Disc 2`` folder counts as the folder above it,
``discs.album_folders``); when the tracks of it that name an album artist all name the same
one, the others take it, and a track without any artist takes it as its artist too, as a
tagged album artist stands in for a missing artist ("Various Artists" does not: it is no
one's name).
"""

from __future__ import annotations

from dataclasses import replace

from recsys.catalog.credits import credited_artists
from recsys.catalog.discs import album_folders, album_without_disc
from recsys.catalog.model import TrackRecord, normalise_label, normalise_title
from recsys.catalog.placeholders import placeholder_artist

_AlbumKey = tuple[str, str]


def _album_key(track: TrackRecord) -> _AlbumKey:
    return "/".join(album_folders(track.source)), normalise_title(album_without_disc(track.album))


def _agreed_album_artists(tracks: list[TrackRecord]) -> dict[_AlbumKey, str]:
    """Each album's album artist, where the tracks that name one all name the same (spelled
    as the first of them does)."""
    named: dict[_AlbumKey, dict[str, str]] = {}
    for t in tracks:
        if t.album and t.album_artist:
            named.setdefault(_album_key(t), {}).setdefault(normalise_label(t.album_artist), t.album_artist)
    return {key: next(iter(names.values())) for key, names in named.items() if len(names) == 1}


def _with_album_artist(track: TrackRecord, album_artist: str) -> TrackRecord:
    if track.artist or placeholder_artist(album_artist):
        return replace(track, album_artist=album_artist)
    credited = credited_artists([album_artist], track.title)
    return replace(track, album_artist=album_artist, artist=album_artist, artists=credited if len(credited) > 1 else ())


def shared_album_artists(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """The tracks, those without an album artist given their album's (see the module)."""
    agreed = _agreed_album_artists(tracks)
    if not agreed:
        return tracks
    out: list[TrackRecord] = []
    for t in tracks:
        if t.album and not t.album_artist:
            album_artist = agreed.get(_album_key(t))
            if album_artist:
                t = _with_album_artist(t, album_artist)
        out.append(t)
    return out
