"""The store a server owns: opened once at startup, held, closed at shutdown; the collection
opened as a ``Library`` and shared by every request; the catalog's text fields and the 2-D
maps, each made once on first use. A write through the store calls (a command run beside the
server, see ``serve.routes_store``) drops all of these, and the next request makes them anew."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator, cast

from recsys.errors import NotFoundError, RecsysError
from recsys.query.info import pick_collection
from recsys.query.fuzzy import Shortlist
from recsys.query.library import Library
from recsys.query.clean import EXPLICIT_ONLY
from recsys.query.titlekeys import normalise
from recsys.query.titlepick import TitleEntry
from recsys.query.titles import TitleIndex
from recsys.store.payload_cache import PAYLOAD_CACHE_POINTS
from recsys.store.base import PointRecord, StoreBackend
from serve.clean import WHY, ExplicitRefused, describe, refuse_explicit
from serve.config import ServeConfig
from serve.gate import GatedBackend

log = logging.getLogger("recsys.serve")


class ReadWriteLock:
    """Many readers or one writer. Edge answers concurrent reads, but a write (an upsert, a
    reopened shard) must not overlap anything else. A waiting writer goes before readers that
    come after it: under a steady stream of queries, an ingest's upserts would otherwise wait
    for a moment with no reader at all. Not reentrant: a reader must not read again inside."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        self.acquire_read()
        try:
            yield
        finally:
            self.release_read()

    def acquire_read(self, blocking: bool = True) -> bool:
        """Take a read; without ``blocking``, only when no writer holds or awaits the lock
        (then True), else False at once."""
        with self._cond:
            while self._writer or self._writers_waiting:
                if not blocking:
                    return False
                self._cond.wait()
            self._readers += 1
            return True

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            if not self._readers:
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        self.acquire_write()
        try:
            yield
        finally:
            self.release_write()

    def acquire_write(self, timeout: float | None = None) -> bool:
        """Take the lock alone, waiting up to ``timeout`` seconds (None: as long as it takes)
        for the readers and the writer holding it: False when they still do."""
        with self._cond:
            self._writers_waiting += 1
            try:
                got = self._cond.wait_for(lambda: not (self._writer or self._readers), timeout)
            except BaseException:
                got = False
                raise
            finally:
                self._writers_waiting -= 1
                if not got:
                    self._cond.notify_all()  # readers held back for it go on
            if not got:
                return False
            self._writer = True
            return True

    def release_write(self) -> None:
        with self._cond:
            self._writer = False
            self._cond.notify_all()


def _seconds(value: float | None) -> str:
    return "unbounded" if value is None else f"{value:g}"


#: maps kept (least recently asked for dropped first): 45 (using, colour, method) are possible,
#: and at 100k tracks two kept maps held the server at 5.5 GB
MAPS_KEPT = 4

#: the catalog fields the page shows that the store's payload does not hold
TEXT_FIELDS = ("summary", "themes", "moods", "description")


@dataclass
class SearchTitles:
    """What the search box ranks when the store's title index cannot: every track's title
    entry and shortlists (``fuzzy.Shortlist``: the rows that can rank high, scored alone) of
    its normalised title and of its normalised "title artist", row for row."""

    entries: list[TitleEntry]
    by_title: Shortlist
    by_choice: Shortlist

    @property
    def titles(self) -> list[str]:
        """The normalised titles, row for row."""
        return self.by_title.strings

    @cached_property
    def a_to_z(self) -> list[int]:
        """The rows by title, then track id: what an empty query lists (sorted once)."""
        return sorted(range(len(self.entries)), key=lambda i: (self.titles[i], self.entries[i].track_id))


def payload_cache_size(asked: int | None, points: int) -> int:
    """The payloads to keep: as many as asked; by default the whole collection when it has at
    most PAYLOAD_CACHE_POINTS tracks, else none. A cache that turns over costs more than it
    saves: at 1M tracks and 100,000 kept, a recommend took 2.2 ms in process against 1.8 ms
    without (docs/benchmarks.md, "The server's payload cache")."""
    if asked is not None:
        return asked
    return PAYLOAD_CACHE_POINTS if points <= PAYLOAD_CACHE_POINTS else 0


class ServeState:
    """Everything the routes share. ``open()`` and ``close()`` bracket the server's life."""

    def __init__(self, config: ServeConfig):
        self.config = config
        self.lock = ReadWriteLock()
        self._backend: StoreBackend | None = None
        self._name: str | None = None
        self._library: Library | None = None
        self._library_lock = threading.Lock()
        #: bumped by every write: a map built across a write is not kept
        self._generation = 0
        self._texts: dict[str, dict[str, Any]] | None = None
        #: the maps made, least recently asked for first; at most MAPS_KEPT
        self._maps: OrderedDict[tuple[str, str, str], dict] = OrderedDict()
        #: one per map key: held while that map is made
        self._map_locks: dict[tuple[str, str, str], threading.Lock] = {}
        self._choices: SearchTitles | None = None
        #: a clean server's: the audio files holding a track marked explicit (stored path ->
        #: that track), made once per generation: a clean track cut from the same file (an
        #: album ripped to one file with a cue sheet) must not stream it
        self._explicit_files: dict[str, PointRecord] | None = None
        #: each facet's every value with its count, by (facet, clean), made once per generation:
        #: exact facets of a million tracks take seconds (docs/benchmarks.md), and they change
        #: only with a write
        self._facets: dict[tuple[str, bool], Any] = {}
        #: the store behind its gate (``_backend`` is the same object, typed as a backend)
        self._gated: GatedBackend | None = None
        self._once = threading.Lock()

    # -- life ---------------------------------------------------------------------------
    def open(self) -> None:
        from recsys.store import open_backend

        cfg = self.config.settings
        opened = open_backend(cfg.store_location, api_key=cfg.qdrant_api_key)
        # every request reaches the store through the gate: a stopping server shuts it to
        # close the store under a request that outlived the grace (serve.gate)
        gated = GatedBackend(opened)
        backend = cast(StoreBackend, gated)
        try:
            lib = Library(backend, pick_collection(backend, self.config.collection), files=False)
            points = backend.count(lib.name)  # opens (and locks) the shard now, not under the first request
            cached = payload_cache_size(self.config.payload_cache, points)
            backend.cache_payloads(cached)
        except BaseException:
            opened.close()
            raise
        self._gated = gated
        self._backend, self._name, self._library = backend, lib.name, lib
        if cached and self.config.fill_payload_cache:
            threading.Thread(target=self._fill_payload_cache, args=(backend, lib.name),
                             name="payload-cache-fill", daemon=True).start()

    def _fill_payload_cache(self, backend: StoreBackend, name: str) -> None:
        """Read the collection's payloads into the store's cache, a page at a time under a
        read (so a write waits at most a page, and empties what was read: the fill then ends),
        until it is full or the server closes. Requests fill it too, but slowly: a 100k
        collection answered 10-20 % slower for its first minutes."""
        try:
            pages = backend.fill_payload_cache(name)
            while True:
                with self.lock.read():
                    if self._backend is not backend or next(pages, None) is None:
                        return
                time.sleep(0)  # let the event loop answer between pages
        except Exception:  # noqa: BLE001 - a fill is an optimisation: requests read as before
            if self._backend is backend:  # else the server closed the store under it
                log.warning("the payload cache's fill stopped", exc_info=True)

    def close(self, *, park: bool = False, wait_s: float | None = None) -> bool:
        """Release the store; ``park``: the process ends now, so the store is parked, not
        closed (its files stay in the page cache for the next command: recsys.store.edge_park).
        Requests still reading it are waited for up to ``wait_s`` seconds (None: as long as
        they take); past that the store is closed under them, behind the shut gate (their next
        store call fails). False when that happened, or when a store call was still running
        after ``wait_s`` more: the store is then left as a kill would leave it (its writes are
        in its WAL), rather than closed under the call."""
        backend, gated = self._backend, self._gated
        self._backend, self._library, self._gated = None, None, None
        if backend is None or gated is None:
            return True

        locked = self.lock.acquire_write(wait_s)  # after a fill's page, which then sees no backend
        try:
            if not locked:
                log.warning("the grace is over: closing the store under the requests still running")
            # under the lock no request holds the store, but a call made outside it may still run
            if not gated.gate.shut(wait_s):
                log.error("a store call was still running after %s s: the store is left unclosed", _seconds(wait_s))
                return False
            gated.inner.park() if park else gated.inner.close()
            return locked
        finally:
            if locked:
                self.lock.release_write()

    @property
    def clean(self) -> bool:
        """Whether this is a clean server (``serve.clean``): set at startup, for its whole life."""
        return self.config.clean

    @property
    def is_open(self) -> bool:
        return self._backend is not None

    @property
    def backend(self) -> StoreBackend:
        if self._backend is None:
            raise RecsysError("the server has no store open")
        return self._backend

    @property
    def name(self) -> str:
        """The served collection."""
        if self._name is None:
            raise RecsysError("the server has no store open")
        return self._name

    @property
    def library(self) -> Library:
        """The served collection, opened again after a write changed it (NotFoundError while
        a command has deleted it)."""
        with self._library_lock:
            if self._library is None:
                self._library = Library(self.backend, self.name, files=False)
            return self._library

    def store_changed(self, name: str) -> None:
        """A store call wrote to collection ``name`` (called under the write lock): forget what
        was read from it, so answers stay current."""
        if name != self._name:
            return
        with self._library_lock:
            self._library = None
        with self._once:
            self._generation += 1
            self._texts = None
            self._choices = None
            self._explicit_files = None
            self._maps.clear()
            self._facets.clear()

    @contextmanager
    def reading(self) -> Iterator[Library]:
        """The shared Library, for one read."""
        with self.lock.read():
            yield self.library

    @contextmanager
    def reading_now(self) -> Iterator[Library | None]:
        """The shared Library for one read when the store is free now, else None at once: a
        request answered on the event loop must never wait there for a write."""
        if not self.lock.acquire_read(blocking=False):
            yield None
            return
        try:
            yield self.library
        finally:
            self.lock.release_read()

    # -- lookups --------------------------------------------------------------------------
    def point(self, track_id: str, with_vectors: bool = False) -> PointRecord:
        """One stored track by id, or NotFoundError."""
        lib = self.library
        found = [p for p in lib.backend.retrieve(lib.name, [track_id], with_vectors=with_vectors)
                 if p.track_id == track_id]
        if not found:
            raise NotFoundError(f"no track '{track_id}' in collection '{lib.name}'")
        return found[0]

    def texts(self, track_id: str) -> dict[str, Any]:
        """The track's summary, themes, moods and description from its catalog (they feed the
        text vector but are not stored): read once, from a manifest or Fairouz catalog that
        is still where it was ingested from; {} otherwise."""
        with self._once:
            if self._texts is None:
                self._texts = self._read_texts()
        return self._texts.get(track_id, {})

    def _read_texts(self) -> dict[str, dict[str, Any]]:
        from recsys.catalog import read_catalog
        from recsys.catalog.detect import catalog_kind

        meta = self.library.meta
        if not meta.catalog_path:
            return {}
        root = Path(meta.catalog_path).expanduser()
        try:
            # a music folder would be rescanned (and its covers extracted): not worth it here
            if not root.exists() or catalog_kind(root) == "music-folder":
                return {}
            catalog = read_catalog(root, cover_cache=self.config.settings.cover_cache)
        except (RecsysError, OSError, ValueError):
            return {}
        return {
            t.track_id: {
                "summary": t.summary or (t.lyrics[:400] if t.lyrics else ""),
                "themes": list(t.themes),
                "moods": list(t.moods),
                "description": t.description,
            }
            for t in catalog.tracks
        }

    def search_choices(self) -> SearchTitles:
        """Every track's title entry with its normalised title and "title artist", and their
        shortlists, made once and kept until a write (``store_changed``): the search box asks
        on every keystroke, when the store's title index has no convincing candidate."""
        with self._once:
            if self._choices is None:
                index = self.library.titles()
                if self.clean and self.library.has_explicit():
                    # a clean server's search box lists no title marked explicit: rows of the
                    # others only, so a query still gets its ``limit`` best
                    hidden = self._explicit_ids()
                    index = TitleIndex(e for e in index.entries if e.track_id not in hidden)
                by_title = index.shortlist()  # the seed lookup's: the same normalised titles
                choices = [normalise(f"{e.title} {e.artist}") for e in index.entries]
                self._choices = SearchTitles(index.entries, by_title, Shortlist(choices))
            return self._choices

    def _explicit_ids(self) -> frozenset[str]:
        """The ids of the tracks marked explicit: one filtered pass (most tracks carry none)."""
        lib = self.library
        return frozenset(p.track_id for p in lib.backend.payloads(lib.name, (), flt=EXPLICIT_ONLY))

    def explicit_file(self, stored_audio_path: object) -> PointRecord | None:
        """The track marked explicit whose audio is the file ``stored_audio_path`` (as a payload
        records it), or None; always None on a plain server or a collection without one."""
        if not self.clean or not stored_audio_path or not self.library.has_explicit():
            return None
        with self._once:
            if self._explicit_files is None:
                lib = self.library
                self._explicit_files = {
                    str(p.payload["audio_path"]): p
                    for p in lib.backend.payloads(lib.name, ("audio_path", "title", "artist"), flt=EXPLICIT_ONLY)
                    if p.payload.get("audio_path")
                }
            return self._explicit_files.get(str(stored_audio_path))

    def cached_facet(self, facet: str, stamp: Any, build, clean: bool = False) -> Any:
        """A facet's full answer, made once until the next write through this server, or until
        ``stamp`` (the collection's point count) changes: another process may write to a Qdrant
        server's collection. A clean answer (tracks marked explicit not counted) is kept apart
        from the whole one: a listener's ``?clean=true`` and another's plain ask never mix."""
        kept = (facet, clean)

        def find() -> Any:
            found = self._facets.get(kept)
            return found[1] if found is not None and found[0] == stamp else None

        def keep(made: Any) -> None:
            self._facets[kept] = (stamp, made)

        return self._made_once(("facet", facet, "clean" if clean else ""), find, build, keep)

    def cached_map(self, key: tuple[str, str, str], build) -> dict:
        """A projected map, made once per (using, colour, method): projections take seconds
        and hold every vector of the collection, so the requests that come while one is made
        wait for it instead of making their own (three at once at 100k tracks took 90 s
        each and 4 GB more than one). The ``MAPS_KEPT`` last asked for are kept."""

        def find() -> dict | None:
            found = self._maps.get(key)
            if found is not None:
                self._maps.move_to_end(key)
            return found

        def keep(made: dict) -> None:
            self._maps[key] = made
            while len(self._maps) > MAPS_KEPT:
                self._maps.popitem(last=False)

        return self._made_once(key, find, build, keep)

    def _made_once(self, key: tuple[str, str, str], find, build, keep) -> Any:
        """``find()`` (under the lock) where it has the answer, else ``build()`` it, once: the
        requests that come while it is made wait for it. ``keep`` stores it (under the lock)
        only if no write came meanwhile (``store_changed``): an answer built across a write is
        not kept."""
        with self._once:
            making = self._map_locks.setdefault(key, threading.Lock())
        with making:
            with self._once:
                found, generation = find(), self._generation
            if found is not None:
                return found
            made = build()
            with self._once:
                if generation == self._generation:
                    keep(made)
            return made

    # -- media ----------------------------------------------------------------------------
    def media_file(self, track_id: str, kind: str, suffixes: frozenset[str]) -> Path:
        """The track's ``audio_path`` or ``cover_path`` as recorded in its payload, resolved:
        only a regular file with a media suffix, under the catalog's folder or this home's
        cover cache, is ever served; a request names a track, never a path."""
        lib = self.library
        point = self.point(track_id)
        refuse_explicit([point], self.clean)
        if kind == "audio":
            sharing = self.explicit_file(point.payload.get("audio_path"))
            if sharing is not None:  # the clean track's span is a fragment: the player seeks past it
                raise ExplicitRefused(f"the audio file of {describe(point)} holds {describe(sharing)} too, which is"
                                      f" marked explicit: {WHY}")
        stored = lib.meta.media_path(point.payload.get(f"{kind}_path"))
        if not stored:
            raise NotFoundError(f"track '{track_id}' has no {kind} file")
        path = Path(os.path.realpath(stored))
        if path.suffix.lower() not in suffixes or not path.is_file():
            raise NotFoundError(f"the {kind} file of track '{track_id}' is not available")
        roots = [self.config.settings.cover_cache]
        if lib.meta.catalog_path:
            root = Path(lib.meta.catalog_path).expanduser()
            roots.append(root if root.is_dir() else root.parent)
        real_roots = [Path(os.path.realpath(r)) for r in roots]
        if not any(path.is_relative_to(r) for r in real_roots):
            raise NotFoundError(f"the {kind} file of track '{track_id}' is outside the catalog")
        return path
