"""A playlist as seeds: a playlist file given as a seed (``recsys playlist road-trip.m3u8``),
or a playlist of the library by its name (``--from-playlist "road trip"``), stands for its
tracks.

A file's entries are found among the collection's audio files as the ingest finds those of the
playlists inside the music folder (``recsys.catalog.playlistfiles``): relative to the playlist,
absolute, ``file://`` URLs, Windows paths, and, for a playlist exported on another machine, by
the longest tail of the path (with the file's folder) that names one file of the collection.
Entries that name no track are counted and named (``PlaylistSeeds.missing``); a playlist none
of whose entries is a track is an error.

A library's playlist is the payload's ``playlists`` (a manifest's, or the playlist files of a
music folder, named by their path under it without the suffix: "Playlists/Road Trip"), matched
case- and accent-insensitively: the whole name, else its last part ("road trip"), else a part
of it ("road"); two playlists that match alike are an error that lists them. Its tracks come in
the order of its file where the file is still under the catalog folder, else in the order of
their audio files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from recsys.catalog.playlistfiles import PLAYLIST_SUFFIXES, PlaylistIndex, read_playlist
from recsys.errors import NotFoundError, RecsysError
from recsys.query.library import Library
from recsys.store.base import PointRecord, QueryFilter
from recsys.store.filters import normalise_label

#: the payload field of the playlists a track is in
PLAYLISTS_FIELD = "playlists"
#: the playlists an error lists before "and N more"
_LISTED = 12
#: the payload fields that place a track's audio
_FILE_KEYS = ("audio_path", "audio_start")


@dataclass(frozen=True)
class PlaylistSeeds:
    """One playlist given as seeds: its name (the file as given, or the library's name of it),
    its tracks of the collection in its order (each once), how many entries it has, and those
    that name no track of the collection, as written."""

    name: str
    track_ids: tuple[str, ...]
    entries: int
    missing: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"name": self.name, "tracks": len(self.track_ids), "entries": self.entries,
                "missing": list(self.missing)}


def is_playlist_file(seed: str) -> bool:
    """Whether a seed names a playlist file (by its suffix: .m3u, .m3u8, .pls, .xspf)."""
    return Path(seed.strip()).suffix.lower() in PLAYLIST_SUFFIXES


def _tracks_by_file(lib: Library, flt: QueryFilter | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """The collection's audio files, as stored, -> their tracks (several for an album ripped to
    one file, in the file's order), and the tracks without a file (a manifest's may have
    none): one pass over two payload fields."""
    found: dict[str, list[tuple[float, str]]] = {}
    loose: list[str] = []
    for p in lib.backend.payloads(lib.name, _FILE_KEYS, flt=flt):
        where = p.payload.get("audio_path")
        if not where:
            loose.append(p.track_id)
            continue
        start = p.payload.get("audio_start")
        found.setdefault(str(where), []).append((start if isinstance(start, (int, float)) else 0.0, p.track_id))
    return {f: [tid for _, tid in sorted(tracks)] for f, tracks in found.items()}, sorted(loose)


def _match(entries: Sequence[str], folder: Path, by_file: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """(the tracks the entries name, in order, each once; the entries that name none). The
    index holds every file's whole stored path as one of its tails, so an entry naming a file
    of this machine finds it whether the path was stored absolute or relative (as the media
    path is not asked of every file: a stat each where the stored path is relative)."""
    index = PlaylistIndex.of_paths(by_file, entries)
    tracks: dict[str, None] = {}
    missing: list[str] = []
    for entry in entries:
        f = index.find(entry, folder)
        if f is None:
            missing.append(entry)
        else:
            tracks.update(dict.fromkeys(by_file[f]))
    return list(tracks), missing


def playlist_file_seeds(lib: Library, seed: str) -> PlaylistSeeds:
    """The tracks of the playlist file ``seed`` (a file of this machine)."""
    path = Path(seed.strip()).expanduser()
    if not path.is_file():
        raise NotFoundError(f"no playlist file '{seed}'")
    playlist = read_playlist(path.absolute(), path.absolute().parent)
    if playlist is None:
        raise RecsysError(f"cannot read the playlist file '{seed}' (unreadable, or larger than a playlist is)")
    if not playlist.entries:
        raise NotFoundError(f"the playlist file '{seed}' has no entries")
    tracks, missing = _match(playlist.entries, path.absolute().parent, _tracks_by_file(lib)[0])
    if not tracks:
        raise NotFoundError(
            f"none of the {len(playlist.entries)} entries of '{seed}' is an audio file of collection "
            f"'{lib.name}' (first: {playlist.entries[0][:120]!r})"
        )
    return PlaylistSeeds(seed, tuple(tracks), len(playlist.entries), tuple(missing))


def library_playlists(lib: Library) -> list[tuple[str, int]]:
    """The collection's playlists with their number of tracks, most tracks first."""
    return [(str(v), n) for v, n in lib.backend.facet(lib.name, PLAYLISTS_FIELD) if isinstance(v, str) and v.strip()]


def pick_playlist(name: str, known: Sequence[str], collection: str) -> str:
    """The one playlist of ``known`` that ``name`` means (the module docstring has the rule)."""
    if not known:
        raise NotFoundError(
            f"collection '{collection}' has no playlists (a manifest's `playlists`, or the .m3u, .m3u8, .pls "
            "and .xspf files of a music folder, read at ingest)"
        )
    want = normalise_label(name.strip().strip("/"))
    if not want:  # a part of every name: the first playlist would do for ""
        raise RecsysError("give a playlist's name (`recsys facets playlists` lists them)")
    for rule in (lambda k: k == want, lambda k: k.rpartition("/")[2] == want, lambda k: want in k):
        hits = [p for p in known if rule(normalise_label(p))]
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise RecsysError(f"'{name}' matches {len(hits)} playlists: {_listing(hits)}; give more of its name")
    raise NotFoundError(f"no playlist '{name}' in collection '{collection}' (playlists: {_listing(known)})")


def _listing(names: Sequence[str]) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:_LISTED])
    return shown + (f" and {len(names) - _LISTED} more; `recsys facets playlists` lists them"
                    if len(names) > _LISTED else "")


def library_playlist_seeds(lib: Library, name: str) -> PlaylistSeeds:
    """The tracks of the collection's playlist that ``name`` means, in its order."""
    chosen = pick_playlist(name, [p for p, _ in library_playlists(lib)], lib.name)
    by_file, loose = _tracks_by_file(lib, QueryFilter(match=((PLAYLISTS_FIELD, (chosen,)),)))
    ordered = sorted(by_file)  # the order of their files, unless the playlist's file gives its own
    root = Path(lib.meta.catalog_path).expanduser() if lib.meta.catalog_path else None
    for suffix in PLAYLIST_SUFFIXES if root is not None and by_file else ():
        path = (root / chosen).absolute().with_name(f"{Path(chosen).name}{suffix}")
        playlist = read_playlist(path, path.parent) if path.is_file() else None
        if playlist is not None and playlist.entries:
            index = PlaylistIndex.of_paths(ordered)
            placed = list(dict.fromkeys(f for e in playlist.entries if (f := index.find(e, path.parent)) is not None))
            ordered = placed + sorted(set(ordered) - set(placed))  # tracks its file no longer has: last
            break
    tracks = list(dict.fromkeys([tid for f in ordered for tid in by_file[f]] + loose))
    return PlaylistSeeds(chosen, tuple(tracks), len(tracks))


@dataclass(frozen=True)
class ResolvedSeeds:
    """The seed tracks of a query, in order, each once, and the playlists among them."""

    points: list[PointRecord]
    playlists: tuple[PlaylistSeeds, ...] = ()

    @property
    def from_playlists(self) -> frozenset[str]:
        """The seed tracks that came from a playlist."""
        return frozenset(t for p in self.playlists for t in p.track_ids)


def resolve_seeds(
    lib: Library, seeds: Sequence[str], artist: str | None, playlists: Sequence[str] = (),
    vectors: Sequence[str] | None = None, clean: bool = False,
) -> ResolvedSeeds:
    """``Library.resolve`` with playlists: the tracks of each library playlist named in
    ``playlists`` first, then the seeds in their order, a playlist file's (with
    ``Library.files``) its tracks in its place. Without playlists, ``Library.resolve`` itself
    (``clean``: a parent's artist radio, ``recsys.query.clean``)."""
    files = [s for s in seeds if lib.files and is_playlist_file(s)]
    if not playlists and not files:
        return ResolvedSeeds(lib.resolve(seeds, artist, vectors, clean))
    found = [library_playlist_seeds(lib, name) for name in playlists]
    parts: list[list[str] | PlaylistSeeds] = [*found]
    plain: list[str] = []
    for s in seeds:
        if lib.files and is_playlist_file(s):
            parts.append(p := playlist_file_seeds(lib, s))
            found.append(p)
        else:
            plain.append(s)
            parts.append([s])
    by_seed = dict(zip(plain, lib.resolve(plain, artist, vectors, clean))) if plain else {}
    wanted = [t for p in found for t in p.track_ids]
    by_id = {p.track_id: p for p in lib.backend.retrieve(
        lib.name, list(dict.fromkeys(wanted)), with_vectors=True if vectors is None else [lib.vector(v) for v in vectors])}
    points: dict[str, PointRecord] = {}
    for part in parts:
        for p in ([by_seed[s] for s in part] if isinstance(part, list) else
                  [by_id[t] for t in part.track_ids if t in by_id]):
            points.setdefault(p.track_id, p)
    return ResolvedSeeds(list(points.values()), tuple(found))
