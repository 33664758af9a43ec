"""Embedded store on Qdrant Edge: one EdgeShard per collection, in-process, no server.

Layout under the store root::

    root/collections/<name>/collection.json   the CollectionSpec (written atomically)
    root/collections/<name>/shard/            the EdgeShard (segments + WAL)
    root/collections/<name>/.lock.pid         PID of the process holding the shard open

Edge locks a shard's WAL while it is open, so a second process (or a second open in the
same process) cannot even read it. Shards are therefore opened lazily, on first use, and
released by close(); the pid file lets the loser of that race say who holds the store.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, TypeVar

import numpy as np
import qdrant_edge as qe

from recsys.catalog.model import point_id
from recsys.errors import NotFoundError, RecsysError, StoreError, StoreInUseError
from recsys.store.base import (
    INDEXED_FIELDS,
    CollectionSpec,
    Hit,
    PointRecord,
    QueryFilter,
    StoreBackend,
)
from recsys.store.filters import (
    Conditions,
    HasVectorCond,
    MatchAnyCond,
    RangeCond,
    as_vector,
    check_collection_name,
    check_limit,
    check_spec,
    point_payload,
    point_vectors,
    to_conditions,
    to_numpy_vectors,
)

T = TypeVar("T")

SPEC_FILE = "collection.json"
SHARD_DIR = "shard"
PID_FILE = ".lock.pid"
SPEC_FORMAT = 1
#: Points per update operation: bounds the memory of one WAL record on big ingests.
UPSERT_BATCH = 256


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _write_atomic(path: Path, text: str) -> None:
    """Write via tmp + os.replace so a crash never leaves a half-written file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _cmdline(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    # collapse all whitespace: a `python -c` script would otherwise break the one-line message
    text = " ".join(raw.replace(b"\0", b" ").decode("utf-8", "replace").split())
    return (text[:200] + "...") if len(text) > 200 else (text or None)


def _native_filter(conds: Conditions) -> qe.Filter | None:
    def one(c: Any) -> Any:
        if isinstance(c, MatchAnyCond):
            return qe.FieldCondition(key=c.key, match=qe.MatchAny(list(c.values)))
        if isinstance(c, RangeCond):
            return qe.FieldCondition(key=c.key, range=qe.RangeFloat(gte=c.gte, lte=c.lte))
        if isinstance(c, HasVectorCond):
            return qe.HasVectorCondition(c.name)
        raise TypeError(f"unknown condition {c!r}")

    if conds.is_empty():
        return None
    return qe.Filter(
        must=[one(c) for c in conds.must] or None,
        must_not=[one(c) for c in conds.must_not] or None,
    )


class EdgeBackend(StoreBackend):
    """A folder of Qdrant Edge shards, one per collection (see module docstring)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).expanduser()
        self.location = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"store path {self.root} is a file, not a folder")
        self._shards: dict[str, qe.EdgeShard] = {}
        self._dims: dict[str, dict[str, int]] = {}
        self._lock = threading.RLock()

    # --- paths and spec file ---------------------------------------------------------------

    def _coll_dir(self, name: str) -> Path:
        check_collection_name(name)  # names become folder names: no path tricks
        return self.root / "collections" / name

    def _read_spec(self, name: str) -> CollectionSpec:
        path = self._coll_dir(name) / SPEC_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            existing = ", ".join(self.list_collections()) or "none"
            raise NotFoundError(
                f"collection {name!r} not found in store {self.root} (existing: {existing})"
            ) from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read {path}: {_first_line(exc)}") from exc
        try:
            return CollectionSpec(
                name=name,
                vectors={str(k): int(v) for k, v in data["vectors"].items()},
                metadata=dict(data.get("metadata") or {}),
                shard_number=data.get("shard_number"),
                replication_factor=data.get("replication_factor"),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StoreError(f"{path} is malformed ({_first_line(exc)}); recreate it") from exc

    def _write_spec(self, spec: CollectionSpec) -> None:
        data = {
            "format": SPEC_FORMAT,
            "name": spec.name,
            "vectors": dict(spec.vectors),
            "metadata": spec.metadata,
            "shard_number": spec.shard_number,
            "replication_factor": spec.replication_factor,
        }
        try:
            text = json.dumps(data, indent=2, sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise StoreError(
                f"metadata of collection {spec.name!r} is not JSON-serialisable: "
                f"{_first_line(exc)}"
            ) from exc
        _write_atomic(self._coll_dir(spec.name) / SPEC_FILE, text + "\n")

    def _dims_of(self, name: str) -> dict[str, int]:
        # vectors change only through add_vector/drop_vector, which drop this cache
        if name not in self._dims:
            self._dims[name] = dict(self._read_spec(name).vectors)
        return self._dims[name]

    # --- shard lifecycle ----------------------------------------------------------------

    def _in_use_error(self, name: str) -> StoreInUseError:
        pid_path = self._coll_dir(name) / PID_FILE
        try:
            pid: int | None = int(pid_path.read_text().strip())
        except (OSError, ValueError):
            pid = None
        if pid is None or not _pid_alive(pid):  # a stale file from a crashed process
            who = "another process"
        elif pid == os.getpid():
            who = f"PID {pid} (this process, through another handle)"
        else:
            cmd = _cmdline(pid)
            who = f"PID {pid} ({cmd})" if cmd else f"PID {pid}"
        return StoreInUseError(
            f"store {self.root} is in use by {who}; wait for it to finish or stop it"
        )

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
            shard_dir = self._coll_dir(name) / SHARD_DIR
            try:
                shard = qe.EdgeShard.load(str(shard_dir))
            except Exception as exc:  # Edge raises bare Exception with a text
                if "WouldBlock" in str(exc):
                    raise self._in_use_error(name) from None
                raise StoreError(
                    f"cannot open collection {name!r} in store {self.root}: "
                    f"{_first_line(exc)}"
                ) from exc
            self._remember_open(name, shard)
            return shard

    def _release(self, name: str) -> None:
        shard = self._shards.pop(name, None)
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
                f"collection {name!r} in store {self.root}: {_first_line(exc)}"
            ) from exc

    def close(self) -> None:
        with self._lock:
            errors: list[str] = []
            for name in list(self._shards):
                try:
                    self._release(name)
                except Exception as exc:  # close the others all the same
                    errors.append(f"{name}: {_first_line(exc)}")
            self._dims.clear()
            if errors:
                raise StoreError(f"closing store {self.root} failed: " + "; ".join(errors))

    def __enter__(self) -> "EdgeBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- collections --------------------------------------------------------------------

    def list_collections(self) -> list[str]:
        base = self.root / "collections"
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if (p / SPEC_FILE).is_file())

    def collection_exists(self, name: str) -> bool:
        try:
            return (self._coll_dir(name) / SPEC_FILE).is_file()
        except StoreError:  # an invalid name cannot exist
            return False

    def create_collection(self, spec: CollectionSpec) -> None:
        check_spec(spec)
        with self._lock:
            cdir = self._coll_dir(spec.name)
            if (cdir / SPEC_FILE).is_file():
                raise StoreError(
                    f"collection {spec.name!r} already exists in store {self.root}; "
                    "delete it first or choose another name"
                )
            if cdir.exists():  # leftovers of a create that crashed before its spec was written
                shutil.rmtree(cdir)
            cdir.mkdir(parents=True)
            config = qe.EdgeConfig(
                vectors={
                    vname: qe.EdgeVectorParams(size=dim, distance=qe.Distance.Cosine)
                    for vname, dim in spec.vectors.items()
                }
            )

            def build() -> qe.EdgeShard:
                shard = qe.EdgeShard.create(str(cdir / SHARD_DIR), config)
                for field in INDEXED_FIELDS:
                    shard.update(
                        qe.UpdateOperation.create_field_index(field, qe.PayloadSchemaType.Keyword)
                    )
                shard.update(
                    qe.UpdateOperation.create_field_index("year", qe.PayloadSchemaType.Integer)
                )
                return shard

            try:
                shard = self._call(spec.name, build)
                self._remember_open(spec.name, shard)
                # the spec goes last: a collection exists only once it is fully built
                self._write_spec(spec)
            except BaseException:
                self._shards.pop(spec.name, None)
                shutil.rmtree(cdir, ignore_errors=True)
                raise
            self._dims[spec.name] = dict(spec.vectors)

    def delete_collection(self, name: str) -> None:
        with self._lock:
            cdir = self._coll_dir(name)
            if not (cdir / SPEC_FILE).is_file():
                self._read_spec(name)  # raises NotFoundError with the list of collections
            # Taking the shard proves nobody else has it open; a corrupt shard may still go.
            try:
                self._shard(name)
            except StoreInUseError:
                raise
            except StoreError:
                pass
            try:
                self._release(name)
            except Exception:
                pass  # it is being deleted anyway
            (cdir / SPEC_FILE).unlink()  # gone from list_collections before the slow part
            shutil.rmtree(cdir, ignore_errors=True)
            self._dims.pop(name, None)

    def get_spec(self, name: str) -> CollectionSpec:
        return self._read_spec(name)

    def set_metadata(self, name: str, metadata: dict[str, Any]) -> None:
        with self._lock:
            spec = self._read_spec(name)
            self._shard(name)  # a writer must hold the store, like any other write
            self._write_spec(
                CollectionSpec(
                    name=name,
                    vectors=spec.vectors,
                    metadata=dict(metadata),
                    shard_number=spec.shard_number,
                    replication_factor=spec.replication_factor,
                )
            )

    def optimize(self, name: str) -> bool:
        """Merge segments and build HNSW indexes (Edge has no background optimizer).
        Until then search is exact brute force, which is fine for small catalogs."""
        shard = self._shard(name)
        return self._call(name, shard.optimize)

    # --- points -------------------------------------------------------------------------

    def upsert(self, name: str, points: Sequence[PointRecord]) -> None:
        shard = self._shard(name)
        dims = self._dims_of(name)
        # validate everything first, so a bad point does not leave half a batch written
        native = [
            qe.Point(point_id(p.track_id), point_vectors(p, dims, name), point_payload(p))
            for p in points
        ]
        for i in range(0, len(native), UPSERT_BATCH):
            chunk = native[i : i + UPSERT_BATCH]
            self._call(name, lambda: shard.update(qe.UpdateOperation.upsert_points(chunk)))

    def update_vectors(self, name: str, track_id: str, vectors: dict[str, np.ndarray]) -> None:
        shard = self._shard(name)
        dims = self._dims_of(name)
        what = f"track {track_id!r} in collection {name!r}"
        vecs = {vname: as_vector(v, vname, dims, what) for vname, v in vectors.items()}
        pid = point_id(track_id)
        # the .pyi marks with_vector optional, but Edge 0.9 requires it
        found = self._call(
            name, lambda: shard.retrieve([pid], with_payload=False, with_vector=False)
        )
        if not found:
            raise NotFoundError(f"track {track_id!r} is not in collection {name!r}")
        if vecs:
            op = qe.UpdateOperation.update_vectors([qe.PointVectors(pid, vecs)])
            self._call(name, lambda: shard.update(op))

    def set_vectors(self, name: str, points: Sequence[PointRecord]) -> None:
        shard = self._shard(name)
        dims = self._dims_of(name)
        native = [
            qe.PointVectors(
                point_id(p.track_id),
                {v: as_vector(x, v, dims, f"track {p.track_id!r} in collection {name!r}") for v, x in p.vectors.items()},
            )
            for p in points
            if p.vectors
        ]
        for i in range(0, len(native), UPSERT_BATCH):
            chunk = native[i : i + UPSERT_BATCH]
            self._call(name, lambda: shard.update(qe.UpdateOperation.update_vectors(chunk)))

    def add_vector(self, name: str, vector_name: str, dim: int) -> None:
        with self._lock:
            spec = self._read_spec(name)
            if vector_name in spec.vectors:
                raise StoreError(f"collection {name!r} already has a vector {vector_name!r}")
            if dim <= 0:
                raise StoreError(f"vector {vector_name!r}: dimension must be positive, got {dim}")
            shard = self._shard(name)
            op = qe.UpdateOperation.create_dense_vector(vector_name=vector_name, size=int(dim), distance=qe.Distance.Cosine)
            self._call(name, lambda: shard.update(op))
            self._write_spec(replace(spec, vectors={**spec.vectors, vector_name: int(dim)}))
            self._dims.pop(name, None)

    def drop_vector(self, name: str, vector_name: str) -> None:
        with self._lock:
            spec = self._read_spec(name)
            if vector_name not in spec.vectors:
                raise StoreError(f"collection {name!r} has no vector {vector_name!r}")
            shard = self._shard(name)
            self._call(name, lambda: shard.update(qe.UpdateOperation.delete_vector_name(vector_name)))
            self._write_spec(replace(spec, vectors={k: v for k, v in spec.vectors.items() if k != vector_name}))
            self._dims.pop(name, None)

    @staticmethod
    def _record(rec: Any, with_vectors: bool) -> PointRecord:
        payload = dict(rec.payload or {})
        return PointRecord(
            track_id=str(payload.get("track_id", rec.id)),
            vectors=to_numpy_vectors(rec.vector) if with_vectors else {},
            payload=payload,
        )

    def retrieve(
        self, name: str, track_ids: Sequence[str], with_vectors: bool = True
    ) -> list[PointRecord]:
        shard = self._shard(name)
        ids = list(dict.fromkeys(point_id(t) for t in track_ids))
        if not ids:
            return []
        recs = self._call(
            name, lambda: shard.retrieve(ids, with_payload=True, with_vector=with_vectors)
        )
        return [self._record(r, with_vectors) for r in recs]

    def scroll(
        self, name: str, with_vectors: bool = False, batch_size: int = 256, using: str | None = None
    ) -> Iterator[PointRecord]:
        check_limit(batch_size, "batch_size")
        # with ``using``: only the points that have that vector, and only that vector
        fetch: bool | list[str] = [using] if using else with_vectors
        flt = _native_filter(to_conditions(None, has_vector=using)) if using else None
        shard = self._shard(name)  # fail now, not on the first next()

        def gen() -> Iterator[PointRecord]:
            offset: Any = None
            while True:
                req = qe.ScrollRequest(
                    offset=offset, limit=batch_size, filter=flt, with_payload=True, with_vector=fetch
                )
                recs, offset = self._call(name, lambda: shard.scroll(req))
                for r in recs:
                    yield self._record(r, bool(fetch))
                if offset is None:
                    return

        return gen()

    def count(self, name: str, using: str | None = None) -> int:
        shard = self._shard(name)
        flt = None
        if using is not None:
            dims = self._dims_of(name)
            if using not in dims:
                raise StoreError(
                    f"collection {name!r} has no vector {using!r} "
                    f"(it has: {', '.join(sorted(dims))})"
                )
            flt = _native_filter(to_conditions(None, has_vector=using))
        req = qe.CountRequest(exact=True, filter=flt)
        return int(self._call(name, lambda: shard.count(req)))

    # --- queries ------------------------------------------------------------------------

    def _query(
        self,
        name: str,
        query: Any,
        limit: int,
        flt: QueryFilter | None,
        with_vectors: bool,
    ) -> list[Hit]:
        shard = self._shard(name)
        req = qe.QueryRequest(
            limit=limit,
            query=query,
            filter=_native_filter(to_conditions(flt)),
            with_payload=True,
            with_vector=with_vectors,
        )
        points = self._call(name, lambda: shard.query(req))
        hits: list[Hit] = []
        for p in points:
            payload = dict(p.payload or {})
            hits.append(
                Hit(
                    track_id=str(payload.get("track_id", p.id)),
                    score=float(p.score),
                    payload=payload,
                    vectors=to_numpy_vectors(p.vector) if with_vectors else {},
                )
            )
        return hits

    def search(
        self,
        name: str,
        vector: np.ndarray,
        using: str,
        limit: int,
        flt: QueryFilter | None = None,
        with_vectors: bool = False,
    ) -> list[Hit]:
        check_limit(limit)
        vec = as_vector(vector, using, self._dims_of(name), f"search in {name!r}")
        return self._query(name, qe.Query.Nearest(vec, using=using), limit, flt, with_vectors)

    def recommend(
        self,
        name: str,
        positives: Sequence[np.ndarray],
        negatives: Sequence[np.ndarray],
        using: str,
        limit: int,
        flt: QueryFilter | None = None,
        with_vectors: bool = False,
    ) -> list[Hit]:
        check_limit(limit)
        dims = self._dims_of(name)
        what = f"recommend in {name!r}"
        pos = [as_vector(v, using, dims, what) for v in positives]
        neg = [as_vector(v, using, dims, what) for v in negatives]
        if not pos:
            raise StoreError(f"{what}: give at least one positive example")
        query = qe.Query.RecommendBestScore(qe.RecommendQuery(pos, neg), using=using)
        return self._query(name, query, limit, flt, with_vectors)

    def mmr(
        self,
        name: str,
        vector: np.ndarray,
        using: str,
        limit: int,
        diversity: float,
        candidates_limit: int,
        flt: QueryFilter | None = None,
        with_vectors: bool = False,
    ) -> list[Hit]:
        check_limit(limit)
        check_limit(candidates_limit, "candidates_limit")
        if not 0.0 <= diversity <= 1.0:
            raise StoreError(f"MMR diversity must be between 0 and 1, got {diversity}")
        vec = as_vector(vector, using, self._dims_of(name), f"MMR in {name!r}")
        # Edge takes lambda (1 = relevance only); the server API takes diversity = 1 - lambda
        query = qe.Mmr(
            vec,
            1.0 - float(diversity),
            candidates_limit=max(candidates_limit, limit),
            using=using,
        )
        return self._query(name, query, limit, flt, with_vectors)
