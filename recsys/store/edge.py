"""Embedded store on Qdrant Edge: one EdgeShard per collection, in-process, no server.

Layout under the store root::

    root/collections/<name>/collection.json   the CollectionSpec (written atomically)
    root/collections/<name>/derived.json      facets and counts, until the next write (edge_derived)
    root/collections/<name>/shard/            the EdgeShard (segments + WAL)
    root/collections/<name>/.lock.pid         PID of the process holding the shard open
    root/collections/.<name>.lock             the collection's lock file (flock; holds the PID)

Edge locks a shard's WAL while it is open, so a second process (or a second open in the
same process) cannot even read it. Shards are therefore opened lazily, on first use, and
released by close(). Before Edge is touched, the opener takes an exclusive flock on the
collection's lock file, held while the shard is open (creation included): the loser of a race
gets StoreInUseError naming the holder's PID and changes nothing. The lock dies with its
process, so a file left by a killed process never blocks; a PID in a file is only reported
while its flock is held.

Crash safety: adding or dropping a named vector writes Edge's segments, Edge's own config
(``shard/edge_config.json``) and our spec file one after another, and a kill can land between
any two. Opening reconciles them: the segments are the truth, an Edge config that disagrees is
rewritten from them (Edge otherwise refuses to load: "config is incompatible with existing
segments"), then the spec's vectors are set to the shard's. Each repair is one line logged as
a warning on ``recsys.store.edge`` and kept in ``EdgeBackend.notices``. The shard is also
flushed before and after such a change: Edge persists a segment's new vector config at once,
and after a kill its WAL replay skipped the points written since the last flush as if applied
(tests/test_store_crash.py lost up to 108 acknowledged points that way before the flush).

Edge writes to its files even to read them: a store on a read-only mount is refused with
"store ... is read-only: copy it to a writable folder".
The checks and conversions common to both backends live in BaseBackend (shared.py).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence, TypeVar

import qdrant_edge as qe

from recsys.errors import RecsysError, StoreError, StoreInUseError
from recsys.store import edge_park
from recsys.store.base import CollectionSpec, Hit, QueryFilter, VectorIndex
from recsys.store.edge_config import (
    INDEXES_AFTER_FILL,
    config_quantized_in_ram,
    edge_config as _edge_config,
    edge_config_vectors as _edge_config_vectors,
    payload_indexes as _payload_indexes,
    segment_vectors as _segment_vectors,
    segments_quantized_in_ram,
)
from recsys.store.edge_lock import PID_FILE, EdgeLocks
from recsys.store.filters import check_collection_name
from recsys.store.edge_derived import EdgeDerived
from recsys.store.edge_payloads import EdgePayloads
from recsys.store.edge_queries import EdgeQueries
from recsys.store.messages import error_line, json_text
from recsys.store.shared import BaseBackend, Pager

T = TypeVar("T")

SPEC_FILE = "collection.json"
SHARD_DIR = "shard"
SPEC_FORMAT = 1

log = logging.getLogger(__name__)

#: the facet limit that means "every value" (Qdrant's facet always takes a limit)
FACET_LIMIT = 1_000_000

#: points written between two flushes of a shard (each flush truncates its WAL)
FLUSH_EVERY = 50_000


def _write_atomic(path: Path, text: str) -> None:
    """Write via tmp + os.replace so a crash never leaves a half-written file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _read_only_path(path: Path) -> bool:
    """Whether ``path`` (an existing folder) cannot be written: a read-only mount, or
    permissions (as root, permissions never stop a write)."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):
        pass
    return path.exists() and not os.access(path, os.W_OK)


class EdgeBackend(EdgeLocks, EdgePayloads, EdgeDerived, EdgeQueries, BaseBackend):
    """A folder of Qdrant Edge shards, one per collection (see module docstring)."""

    answers_in_process = True
    keeps_counts = True

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).expanduser()
        self.location = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"store path {self.root} is a file, not a folder")
        super().__init__()
        self._where = f"in store {self.root}"
        self._shards: dict[str, qe.EdgeShard] = {}
        #: the flock file descriptor of each collection this backend holds
        self._locks: dict[str, int] = {}
        #: seconds to wait for a short command that holds a collection (0: fail at once)
        self.wait_s = 0.0
        #: one line per repair made when opening (also logged as a warning)
        self.notices: list[str] = []
        #: the payload fields of each open collection that have a full-text index
        self._text_fields: dict[str, set[str]] = {}
        #: points upserted into each collection since its last flush
        self._unflushed: dict[str, int] = {}
        #: collections written since they were opened: parking flushes only these
        self._written: set[str] = set()
        #: collections created for a bulk fill whose payload indexes their optimize makes
        self._indexes_at_optimize: set[str] = set()
        #: collections optimized since they were opened (``layout_outdated``)
        self._optimized: set[str] = set()
        self._init_payload_caches()
        self._init_derived()

    # --- paths and spec file ---------------------------------------------------------------

    def _coll_dir(self, name: str) -> Path:
        check_collection_name(name)  # names become folder names: no path tricks
        return self.root / "collections" / name

    def _read_spec(self, name: str) -> CollectionSpec:
        path = self._coll_dir(name) / SPEC_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise self._not_found(name) from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read {path}: {error_line(exc)}") from exc
        try:
            return CollectionSpec(
                name=name,
                vectors={str(k): int(v) for k, v in data["vectors"].items()},
                metadata=dict(data.get("metadata") or {}),
                shard_number=data.get("shard_number"),
                replication_factor=data.get("replication_factor"),
                indexes={
                    str(k): VectorIndex.from_dict(v) for k, v in (data.get("indexes") or {}).items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StoreError(f"{path} is malformed ({error_line(exc)}); recreate it") from exc

    def _write_spec(self, spec: CollectionSpec) -> None:
        data = {
            "format": SPEC_FORMAT,
            "name": spec.name,
            "vectors": dict(spec.vectors),
            "metadata": spec.metadata,
            "shard_number": spec.shard_number,
            "replication_factor": spec.replication_factor,
            "indexes": {k: v.as_dict() for k, v in spec.indexes.items() if k in spec.vectors},
        }
        text = json_text(spec.name, data, indent=2, sort_keys=True)
        _write_atomic(self._coll_dir(spec.name) / SPEC_FILE, text + "\n")

    def _current_dims(self, name: str) -> Mapping[str, int]:
        self._shard(name)  # opening reconciles the spec with the shard (module docstring)
        return self._read_spec(name).vectors  # the file add/drop rewrite, not the cache

    def _dims_of(self, name: str) -> dict[str, int]:
        self._shard(name)  # checks run against the reconciled spec, not a stale one
        return super()._dims_of(name)

    # --- shard lifecycle ----------------------------------------------------------------

    def _read_only_error(self) -> StoreError:
        return StoreError(
            f"store {self.root} is read-only: copy it to a writable folder "
            "(Qdrant Edge writes to its files even to read them)"
        )

    def _acquire(self, name: str) -> None:
        """Take the collection's exclusive lock, or raise StoreInUseError naming its holder."""
        if name in self._locks:
            return
        path = self._lock_path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if _read_only_path(path.parent if path.parent.exists() else self.root):
                raise self._read_only_error() from None
            raise StoreError(f"cannot lock {path}: {error_line(exc)}") from exc
        try:
            self._lock_or_wait(fd, name)
        except BlockingIOError:
            os.close(fd)
            raise self._in_use_error(name) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            # until this write the file is empty or names the previous holder: a process that
            # finds the lock taken meanwhile waits a moment for the name (_named_holder)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # the PID only improves an error message
        self._locks[name] = fd

    def _notice(self, line: str) -> None:
        self.notices.append(line)
        log.warning("notice: %s", line)

    def _remember_open(self, name: str, shard: qe.EdgeShard) -> None:
        self._shards[name] = shard
        try:
            _write_atomic(self._coll_dir(name) / PID_FILE, f"{os.getpid()}\n")
        except OSError:
            pass  # the pid file only improves an error message; never fail on it

    def _shard(self, name: str) -> qe.EdgeShard:
        """The open shard of ``name``, opening it on first use."""
        with self._lock:
            shard = self._shards.get(name)
            if shard is not None:
                return shard
            self._read_spec(name)  # NotFoundError before touching the shard
            parked = None if name in self._locks else edge_park.take(self._park_key(name))
            if parked is not None:  # parked by this process (edge_park): no reload, no relock
                shard, self._locks[name] = parked
                self._remember_open(name, shard)
                return shard
            shard_dir = self._coll_dir(name) / SHARD_DIR
            if _read_only_path(shard_dir):
                raise self._read_only_error()
            held_before = name in self._locks
            self._acquire(name)
            try:
                shard = self._load(name, shard_dir)
                self._remember_open(name, shard)
                self._reconcile_spec(name, shard_dir)
            except BaseException:
                try:
                    self._close_shard(name)
                except Exception:
                    pass  # the first error is the one to report
                if not held_before:
                    self._unlock(name)
                raise
            return shard

    def _load(self, name: str, shard_dir: Path) -> qe.EdgeShard:
        """Load the shard, first rewriting an Edge config that disagrees with the segments
        (a kill between Edge's two writes of an add/drop of a named vector)."""
        held = _segment_vectors(shard_dir)
        config = None
        repair = held is not None and _edge_config_vectors(shard_dir) not in (None, held)
        if repair or (held is not None and self._maps_quantized(name, shard_dir)):
            config = _edge_config(held, self._read_spec(name).indexes)
        try:
            shard = qe.EdgeShard.load(str(shard_dir), config) if config else qe.EdgeShard.load(str(shard_dir))
        except Exception as exc:  # Edge raises bare Exception with a text
            text = str(exc)
            if "WouldBlock" in text:
                raise self._in_use_error(name) from None
            if "Read-only file system" in text or "os error 30" in text:
                raise self._read_only_error() from None
            raise StoreError(
                f"cannot open collection {name!r} in store {self.root}: {error_line(exc)}"
            ) from exc
        if repair:
            self._notice(
                f"repaired collection {name!r} in store {self.root}: an interrupted change of "
                f"its named vectors left Edge's config behind its segments "
                f"(now: {', '.join(sorted(held))})"
            )
        return shard

    def _maps_quantized(self, name: str, shard_dir: Path) -> bool:
        """Whether the shard was made by a recsys that kept its quantized copies in RAM, and
        the spec says which vectors are quantized (so the config given to Edge keeps them):
        loaded with today's config, Edge's next ``optimize`` rebuilds the segments with the
        copies mapped (``layout_outdated``; edge_config.vector_params says why)."""
        pinned = config_quantized_in_ram(shard_dir)
        return bool(pinned) and all(self._read_spec(name).index_of(v).int8 for v in pinned)

    def layout_outdated(self, name: str) -> bool:
        shard_dir = self._coll_dir(name) / SHARD_DIR
        self._shard(name)  # opening gave Edge today's config where it could (``_maps_quantized``)
        if name in self._optimized:
            # the segments an optimize replaced leave the folder only when the shard closes
            return False
        return bool(segments_quantized_in_ram(shard_dir)) and not config_quantized_in_ram(shard_dir)

    def _reconcile_spec(self, name: str, shard_dir: Path) -> None:
        """Make the spec file's vectors those the open shard holds (see module docstring)."""
        held = _segment_vectors(shard_dir)
        if held is None:
            return
        spec = self._read_spec(name)
        dims = {vname: size for vname, (size, _) in held.items()}
        if dict(spec.vectors) == dims:
            return
        self._write_spec(replace(spec, vectors=dims))
        self._dims.pop(name, None)
        added = sorted(set(dims) - set(spec.vectors))
        dropped = sorted(set(spec.vectors) - set(dims))
        what = "; ".join(
            part for part in (
                f"added {', '.join(added)}" if added else "",
                f"dropped {', '.join(dropped)}" if dropped else "",
                "dimensions corrected" if not added and not dropped else "",
            ) if part
        )
        self._notice(
            f"repaired collection {name!r} in store {self.root}: its spec now lists the "
            f"named vectors its shard holds ({what}; a change was interrupted)"
        )

    def _open(self, name: str) -> None:
        self._shard(name)

    def _release(self, name: str) -> None:
        """Flush and close the shard and release the collection's lock."""
        try:
            self._close_shard(name)
        finally:
            self._unlock(name)

    def _close_shard(self, name: str) -> None:
        self._forget_payloads(name)
        self._close_derived(name)
        shard = self._shards.pop(name, None)
        self._written.discard(name)
        self._optimized.discard(name)
        if shard is None:
            return
        try:
            shard.flush()
        finally:
            shard.close()
            pid_path = self._coll_dir(name) / PID_FILE
            try:
                if pid_path.read_text().strip() == str(os.getpid()):
                    pid_path.unlink()
            except OSError:
                pass

    def _call(self, name: str, fn: Callable[[], T]) -> T:
        """Run an Edge call, turning its bare Exceptions into one-line StoreErrors."""
        try:
            return fn()
        except RecsysError:
            raise
        except Exception as exc:
            raise StoreError(
                f"collection {name!r} in store {self.root}: {error_line(exc)}"
            ) from exc

    def _update(self, name: str, op: Callable[[], Any]) -> None:
        """Build the update operation ``op()`` and apply it, both inside ``_call``."""
        shard = self._shard(name)
        self._written.add(name)
        self._forget_derived(name)  # before the write: one killed halfway leaves nothing to trust
        try:
            self._call(name, lambda: shard.update(op()))
        finally:
            # after the write, never before: a read that starts between a clear and the
            # write could otherwise cache what the write is about to change
            self._forget_payloads(name)
            self._forget_derived(name)  # the same of a count made between the first clear and the write

    def park(self) -> None:
        """Release the collections as the process ends: each open shard flushed and kept
        open with its lock until the exit, which keeps its files in the page cache for the
        next process (edge_park); whatever cannot be parked is closed."""
        with self._lock:
            for name in list(self._shards):
                self._park_one(name)
            self.close()

    def _park_key(self, name: str) -> str:
        return str(self._coll_dir(name).resolve())

    def _park_one(self, name: str) -> None:
        fd = self._locks.get(name)
        if fd is None:
            return
        shard = self._shards[name]
        if name in self._written:  # a shard only read has nothing to flush (8 ms at 1M)
            try:
                shard.flush()
            except Exception:
                return  # close() flushes again and reports the error
        self._written.discard(name)
        self._optimized.discard(name)
        self._forget_payloads(name)
        self._close_derived(name)
        del self._shards[name], self._locks[name]
        edge_park.park(self._park_key(name), shard, fd)

    def close(self) -> None:
        with self._lock:
            errors: list[str] = []
            for name in list(self._shards) + [n for n in self._locks if n not in self._shards]:
                try:
                    self._release(name)
                except Exception as exc:  # close the others all the same
                    errors.append(f"{name}: {error_line(exc)}")
            self._dims.clear()
            self._text_fields.clear()
            if errors:
                raise StoreError(f"closing store {self.root} failed: " + "; ".join(errors))

    # --- collections --------------------------------------------------------------------

    def list_collections(self) -> list[str]:
        base = self.root / "collections"
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if (p / SPEC_FILE).is_file())

    def _exists(self, name: str) -> bool:
        return (self._coll_dir(name) / SPEC_FILE).is_file()

    def create_collection(self, spec: CollectionSpec) -> None:
        with self._lock:
            if self.collection_exists(spec.name) and spec.name not in self._locks:
                # created a moment ago by a process that may still be filling it: if so, say
                # "in use by PID n" (wait and retry) rather than "already exists"
                self._acquire(spec.name)
                self._unlock(spec.name)
            super().create_collection(spec)

    def _native_create(self, spec: CollectionSpec) -> None:
        cdir = self._coll_dir(spec.name)
        if self.root.exists() and _read_only_path(self.root):
            raise self._read_only_error()
        # the lock first: a second process creating the same collection now gets "in use"
        # and touches nothing (it used to delete the folder the first one was building)
        self._acquire(spec.name)
        if (cdir / SPEC_FILE).is_file():  # created by another process since the caller looked
            self._unlock(spec.name)
            raise StoreError(
                f"collection {spec.name!r} was just created {self._where} by another process; "
                "run the command again to use it"
            )
        try:
            if cdir.exists():  # leftovers of a create that crashed before its spec was written
                shutil.rmtree(cdir)
            cdir.mkdir(parents=True)
        except BaseException:
            self._unlock(spec.name)
            raise
        config = _edge_config(
            {vname: (dim, "Cosine") for vname, dim in spec.vectors.items()}, spec.indexes
        )

        def build() -> qe.EdgeShard:
            shard = qe.EdgeShard.create(str(cdir / SHARD_DIR), config)
            later = INDEXES_AFTER_FILL if spec.payload_indexes_at_optimize else ()
            if later:
                # An appendable segment keeps its payload indexes in memory and updates them
                # with every upsert; the title's two (near-unique values, BM25 postings) are
                # made by the optimize instead, once the points are in. The others must exist
                # before the graph is built (edge_config.INDEXES_AFTER_FILL). A run killed
                # before its optimize leaves the title without them: a title seed then reads
                # the payloads, and the next ingest makes them (ensure_indexes).
                self._indexes_at_optimize.add(spec.name)
            for field, schema in _payload_indexes().items():
                if field not in later:
                    shard.update(qe.UpdateOperation.create_field_index(field, schema))
            return shard

        try:
            shard = self._call(spec.name, build)
            self._written.add(spec.name)
            self._remember_open(spec.name, shard)
            # the spec goes last: a collection exists only once it is fully built
            self._write_spec(spec)
        except BaseException:
            try:
                self._close_shard(spec.name)
            except Exception:
                pass
            shutil.rmtree(cdir, ignore_errors=True)
            self._unlock(spec.name)
            raise

    def delete_collection(self, name: str) -> None:
        with self._lock:
            cdir = self._coll_dir(name)
            if not (cdir / SPEC_FILE).is_file():
                self._read_spec(name)  # raises NotFoundError with the list of collections
            # Taking the lock proves nobody else has it open; a corrupt shard may still go.
            if _read_only_path(cdir):
                raise self._read_only_error()
            self._acquire(name)
            try:
                self._shard(name)
            except StoreInUseError:
                self._unlock(name)
                raise
            except StoreError:
                pass
            try:
                self._close_shard(name)
            except Exception:
                pass  # it is being deleted anyway
            try:
                (cdir / SPEC_FILE).unlink()  # gone from list_collections before the slow part
                shutil.rmtree(cdir, ignore_errors=True)
            finally:
                self._unlock(name)  # held until the folder is gone: nobody sees it half-deleted
            self._dims.pop(name, None)
            self._indexes_at_optimize.discard(name)

    def get_spec(self, name: str) -> CollectionSpec:
        return self._read_spec(name)

    def set_metadata(self, name: str, metadata: dict[str, Any]) -> None:
        with self._lock:
            spec = self._read_spec(name)
            self._shard(name)  # a writer must hold the store, like any other write
            self._write_spec(replace(spec, metadata=dict(metadata)))

    def optimize(self, name: str) -> bool:
        """Merge segments and build HNSW indexes (Edge has no background optimizer).
        Until then search is exact brute force, which is fine for small catalogs."""
        shard = self._shard(name)
        self._written.add(name)
        changed = self._call(name, shard.optimize)
        self._optimized.add(name)
        if name in self._indexes_at_optimize:
            # after the merge: built once, straight into the optimized segment's on-disk index
            self._indexes_at_optimize.discard(name)
            changed = bool(self.ensure_indexes(name)) or changed
        return changed

    def _payload_schema(self, name: str) -> dict[str, Any]:
        shard = self._shard(name)
        return self._call(name, lambda: dict(shard.info().payload_schema))

    def ensure_indexes(self, name: str) -> list[str]:
        with self._lock:
            have = self._payload_schema(name)
            made = []
            for field, schema in _payload_indexes().items():
                if field not in have:
                    self._update(name, lambda: qe.UpdateOperation.create_field_index(field, schema))
                    made.append(field)
            self._text_fields.pop(name, None)
            return made

    def _native_text_query(
        self, name: str, field: str, text: str, limit: int, flt: Any
    ) -> Sequence[Any] | None:
        fields = self._text_fields.get(name)
        if fields is None:
            fields = self._text_fields[name] = {
                f for f, info in self._payload_schema(name).items()
                if info.data_type == qe.PayloadSchemaType.Text
            }
        if field not in fields:
            return None
        shard = self._shard(name)
        req = qe.QueryRequest(
            limit=limit, query=qe.TextQuery(field, text), filter=flt, with_payload=True, with_vector=False
        )
        return self._call(name, lambda: shard.query(req))

    # --- points -------------------------------------------------------------------------

    def _native_point(self, pid: str, vectors: dict[str, list[float]], payload: dict) -> Any:
        return qe.Point(pid, vectors, payload)

    def _native_point_vectors(self, pid: str, vectors: dict[str, list[float]]) -> Any:
        return qe.PointVectors(pid, vectors)

    def _native_upsert(self, name: str, points: list[Any]) -> None:
        self._update(name, lambda: qe.UpdateOperation.upsert_points(points))
        # Edge's WAL keeps every write until a flush: 2.3 GB of mapped log after 300k tracks
        # of a million-track ingest. A flush now and then truncates it.
        written = self._unflushed.get(name, 0) + len(points)
        if written >= FLUSH_EVERY:
            shard = self._shard(name)
            self._call(name, shard.flush)
            written = 0
        self._unflushed[name] = written

    def _native_set_vectors(self, name: str, points: list[Any]) -> None:
        self._update(name, lambda: qe.UpdateOperation.update_vectors(points))

    def _native_delete(self, name: str, ids: list[str]) -> None:
        self._update(name, lambda: qe.UpdateOperation.delete_points(ids))

    def _vector_change(self, name: str, op: Callable[[], Any]) -> None:
        """Add or drop a named vector, with the shard flushed first: Edge persists a segment's
        new vector config at once, and a kill right after it would otherwise lose the points
        written since the last flush (the WAL replay skips them as already applied)."""
        shard = self._shard(name)
        self._call(name, shard.flush)
        self._update(name, op)
        self._call(name, shard.flush)

    def _native_add_vector(self, name: str, vector_name: str, dim: int) -> None:
        self._vector_change(
            name,
            lambda: qe.UpdateOperation.create_dense_vector(
                vector_name=vector_name, size=dim, distance=qe.Distance.Cosine
            ),
        )
        spec = self._read_spec(name)
        self._write_spec(replace(spec, vectors={**spec.vectors, vector_name: dim}))

    def _native_drop_vector(self, name: str, vector_name: str) -> None:
        self._vector_change(name, lambda: qe.UpdateOperation.delete_vector_name(vector_name))
        spec = self._read_spec(name)
        kept = {k: v for k, v in spec.vectors.items() if k != vector_name}
        self._write_spec(replace(spec, vectors=kept))

    def _native_retrieve(
        self, name: str, ids: list[str], with_payload: bool, with_vectors: bool | list[str]
    ) -> Sequence[Any]:
        shard = self._shard(name)
        # the .pyi marks with_vector optional, but Edge 0.9 requires it
        return self._call(
            name, lambda: shard.retrieve(ids, with_payload=with_payload, with_vector=with_vectors)
        )

    def _native_pager(
        self, name: str, batch_size: int, fetch: bool | list[str], flt: Any, keys: Sequence[str] | None = None
    ) -> Pager:
        shard = self._shard(name)
        selector: Any = True if keys is None else qe.PayloadSelector.Include(list(keys))

        def page(offset: Any) -> Any:
            req = qe.ScrollRequest(
                offset=offset, limit=batch_size, filter=flt, with_payload=selector, with_vector=fetch
            )
            return self._call(name, lambda: shard.scroll(req))

        return page

    def _native_count(self, name: str, flt: Any) -> int:
        shard = self._shard(name)
        req = qe.CountRequest(exact=True, filter=flt)
        return self._call(name, lambda: shard.count(req))

    # --- queries ------------------------------------------------------------------------

    def _native_query(
        self,
        name: str,
        query: Any,
        using: str,  # Edge queries carry their vector name themselves
        limit: int,
        flt: QueryFilter | None,
        with_vectors: bool,
        with_payload: bool = True,
    ) -> Sequence[Any]:
        shard = self._shard(name)
        req = qe.QueryRequest(
            limit=limit,
            query=query,
            filter=self._native_filter(self._conditions(name, flt)),
            with_payload=with_payload,
            with_vector=with_vectors,
            params=self._search_params(name, using),
        )
        return self._call(name, lambda: shard.query(req))

    def _query_iter(
        self,
        name: str,
        query: Any,
        using: str,
        limit: int,
        flt: QueryFilter | None,
        with_vectors: bool,
    ) -> Iterator[Hit]:
        # Edge reads a payload for about as long as an HNSW search takes (0.5 ms for 40 hits
        # with payloads against 0.13 ms without, 100k tracks): the search finds ids and
        # scores, and payloads are read a chunk at a time as the caller gets to them. A
        # caller keeping 10 of the first 15 reads 16, not 40.
        points = self._native_query(name, query, using, limit, flt, with_vectors, with_payload=False)
        return self._with_payloads(name, points, with_vectors)

    # --- facets -------------------------------------------------------------------------

    def _native_facet(self, name: str, key: str, flt: Any = None) -> dict[Any, int] | None:
        # Edge 0.9 has Qdrant's facet (EdgeShard.facet), on indexed fields only; a field
        # without an index (e.g. *_norm in a collection made before it) is counted by scrolling
        shard = self._shard(name)
        req = qe.FacetRequest(key, limit=FACET_LIMIT, exact=True, filter=flt)
        try:
            resp = shard.facet(req)
        except Exception as exc:
            if "index" in str(exc).lower():
                return None
            raise StoreError(f"collection {name!r} in store {self.root}: {error_line(exc)}") from exc
        return {h.value: int(h.count) for h in resp.hits}
