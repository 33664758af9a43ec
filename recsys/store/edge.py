"""Embedded store on Qdrant Edge: one EdgeShard per collection, in-process, no server.

Layout under the store root::

    root/collections/<name>/collection.json   the CollectionSpec (written atomically)
    root/collections/<name>/shard/            the EdgeShard (segments + WAL)
    root/collections/<name>/.lock.pid         PID of the process holding the shard open

Edge locks a shard's WAL while it is open, so a second process (or a second open in the
same process) cannot even read it. Shards are therefore opened lazily, on first use, and
released by close(); the pid file lets the loser of that race say who holds the store.
The checks and conversions common to both backends live in BaseBackend (shared.py).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence, TypeVar

import qdrant_edge as qe

from recsys.errors import RecsysError, StoreError, StoreInUseError
from recsys.store.base import INDEXED_FIELDS, CollectionSpec, QueryFilter
from recsys.store.filters import check_collection_name
from recsys.store.shared import BaseBackend, Pager, error_line, json_text

T = TypeVar("T")

SPEC_FILE = "collection.json"
SHARD_DIR = "shard"
PID_FILE = ".lock.pid"
SPEC_FORMAT = 1
#: the facet limit that means "every value" (Qdrant's facet always takes a limit)
FACET_LIMIT = 1_000_000


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


class EdgeBackend(BaseBackend):
    """A folder of Qdrant Edge shards, one per collection (see module docstring)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).expanduser()
        self.location = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"store path {self.root} is a file, not a folder")
        super().__init__()
        self._where = f"in store {self.root}"
        self._shards: dict[str, qe.EdgeShard] = {}

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
        }
        text = json_text(spec.name, data, indent=2, sort_keys=True)
        _write_atomic(self._coll_dir(spec.name) / SPEC_FILE, text + "\n")

    def _current_dims(self, name: str) -> Mapping[str, int]:
        return self._read_spec(name).vectors  # the file add/drop rewrite, not the cache

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
                    f"{error_line(exc)}"
                ) from exc
            self._remember_open(name, shard)
            return shard

    def _open(self, name: str) -> None:
        self._shard(name)

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
                f"collection {name!r} in store {self.root}: {error_line(exc)}"
            ) from exc

    def _update(self, name: str, op: Callable[[], Any]) -> None:
        """Build the update operation ``op()`` and apply it, both inside ``_call``."""
        shard = self._shard(name)
        self._call(name, lambda: shard.update(op()))

    def close(self) -> None:
        with self._lock:
            errors: list[str] = []
            for name in list(self._shards):
                try:
                    self._release(name)
                except Exception as exc:  # close the others all the same
                    errors.append(f"{name}: {error_line(exc)}")
            self._dims.clear()
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

    def _native_create(self, spec: CollectionSpec) -> None:
        cdir = self._coll_dir(spec.name)
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
            self._write_spec(replace(spec, metadata=dict(metadata)))

    def optimize(self, name: str) -> bool:
        """Merge segments and build HNSW indexes (Edge has no background optimizer).
        Until then search is exact brute force, which is fine for small catalogs."""
        shard = self._shard(name)
        return self._call(name, shard.optimize)

    # --- points -------------------------------------------------------------------------

    def _native_point(self, pid: str, vectors: dict[str, list[float]], payload: dict) -> Any:
        return qe.Point(pid, vectors, payload)

    def _native_point_vectors(self, pid: str, vectors: dict[str, list[float]]) -> Any:
        return qe.PointVectors(pid, vectors)

    def _native_upsert(self, name: str, points: list[Any]) -> None:
        self._update(name, lambda: qe.UpdateOperation.upsert_points(points))

    def _native_set_vectors(self, name: str, points: list[Any]) -> None:
        self._update(name, lambda: qe.UpdateOperation.update_vectors(points))

    def _native_delete(self, name: str, ids: list[str]) -> None:
        self._update(name, lambda: qe.UpdateOperation.delete_points(ids))

    def _native_add_vector(self, name: str, vector_name: str, dim: int) -> None:
        self._update(
            name,
            lambda: qe.UpdateOperation.create_dense_vector(
                vector_name=vector_name, size=dim, distance=qe.Distance.Cosine
            ),
        )
        spec = self._read_spec(name)
        self._write_spec(replace(spec, vectors={**spec.vectors, vector_name: dim}))

    def _native_drop_vector(self, name: str, vector_name: str) -> None:
        self._update(name, lambda: qe.UpdateOperation.delete_vector_name(vector_name))
        spec = self._read_spec(name)
        kept = {k: v for k, v in spec.vectors.items() if k != vector_name}
        self._write_spec(replace(spec, vectors=kept))

    def _native_retrieve(
        self, name: str, ids: list[str], with_payload: bool, with_vectors: bool
    ) -> Sequence[Any]:
        shard = self._shard(name)
        # the .pyi marks with_vector optional, but Edge 0.9 requires it
        return self._call(
            name, lambda: shard.retrieve(ids, with_payload=with_payload, with_vector=with_vectors)
        )

    def _native_pager(self, name: str, batch_size: int, fetch: bool | list[str], flt: Any) -> Pager:
        shard = self._shard(name)

        def page(offset: Any) -> Any:
            req = qe.ScrollRequest(
                offset=offset, limit=batch_size, filter=flt, with_payload=True, with_vector=fetch
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
    ) -> Sequence[Any]:
        shard = self._shard(name)
        req = qe.QueryRequest(
            limit=limit,
            query=query,
            filter=self._native_filter(self._conditions(name, flt)),
            with_payload=True,
            with_vector=with_vectors,
        )
        return self._call(name, lambda: shard.query(req))

    def _nearest_query(self, vec: list[float], using: str) -> Any:
        return qe.Query.Nearest(vec, using=using)

    def _recommend_query(self, pos: list[list[float]], neg: list[list[float]], using: str) -> Any:
        return qe.Query.RecommendBestScore(qe.RecommendQuery(pos, neg), using=using)

    def _mmr_query(self, vec: list[float], using: str, diversity: float, candidates: int) -> Any:
        # Edge takes lambda (1 = relevance only); the server API takes diversity = 1 - lambda
        return qe.Mmr(vec, 1.0 - diversity, candidates_limit=candidates, using=using)

    # --- filters ------------------------------------------------------------------------

    def _match_any(self, key: str, values: list[str]) -> Any:
        return qe.FieldCondition(key=key, match=qe.MatchAny(values))

    def _range(self, key: str, gte: float | None, lte: float | None) -> Any:
        return qe.FieldCondition(key=key, range=qe.RangeFloat(gte=gte, lte=lte))

    def _has_vector(self, vector_name: str) -> Any:
        return qe.HasVectorCondition(vector_name)

    def _filter(self, must: list[Any] | None, must_not: list[Any] | None) -> Any:
        return qe.Filter(must=must, must_not=must_not)

    def _is_empty(self, key: str) -> Any:
        return qe.IsEmptyCondition(key)

    # --- facets -------------------------------------------------------------------------

    def _native_facet(self, name: str, key: str) -> dict[Any, int] | None:
        # Edge 0.9 has Qdrant's facet (EdgeShard.facet), on indexed fields only; a field
        # without an index (e.g. *_norm in a collection made before it) is counted by scrolling
        shard = self._shard(name)
        req = qe.FacetRequest(key, limit=FACET_LIMIT, exact=True)
        try:
            resp = shard.facet(req)
        except Exception as exc:
            if "index" in str(exc).lower():
                return None
            raise StoreError(f"collection {name!r} in store {self.root}: {error_line(exc)}") from exc
        return {h.value: int(h.count) for h in resp.hits}
