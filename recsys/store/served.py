"""The embedded store while ``recsys serve`` owns it: the server file that says where it
listens, the wire format of the store calls, and ``ServedBackend``, which forwards every
StoreBackend call to the server.

Qdrant Edge admits one process per collection. While a server runs it holds the store, so a
command run beside it (an ingest included) cannot open the folder; it talks to the server
instead, over loopback, and the server runs each call on its own backend (reads together,
writes one at a time). Encoding stays in the command's process: only store calls travel.

Files in the store root, beside ``collections/``::

    .serve.lock   flock held by the server for its whole life (never deleted)
    .serve.json   {"url", "pid", "collection", "token"}: written atomically (mode 0600) once
                  the server listens, removed when it stops

The JSON file alone proves nothing: a server killed with -9 leaves it behind. It counts only
while its lock is held, so a stale file never blocks; a command then opens the store itself.
The token (random, in the owner-only file) is what the internal endpoints ask for: whoever can
read it could open the store's files directly anyway, and a web page or another user cannot.

Vectors travel as base64 of little-endian float32 (one block per vector name per request), not
as JSON numbers: an ingest upserts thousands of them.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from recsys.errors import NotFoundError, RecsysError, StoreError, StoreInUseError
from recsys.store.base import (
    CollectionSpec,
    Hit,
    PointRecord,
    QueryFilter,
    StoreBackend,
    VectorIndex,
)

SERVE_FILE = ".serve.json"
SERVE_LOCK = ".serve.lock"
#: the header carrying the server file's token
TOKEN_HEADER = "x-recsys-store-token"
#: where the store calls live on the server (not in its public API or OpenAPI schema)
STORE_PREFIX = "/internal/store"
#: records per scroll answer at least (a caller's smaller batch_size streams the same records
#: in fewer round trips)
SCROLL_PAGE = 512
#: seconds to connect; answers get no limit (an optimize of a big collection takes minutes,
#: and a server that dies closes the connection, which ends the wait)
CONNECT_SECONDS = 5.0

#: the error classes an answer may name; anything else arrives as a StoreError
ERROR_KINDS: dict[str, type[RecsysError]] = {
    cls.__name__: cls for cls in (RecsysError, StoreError, StoreInUseError, NotFoundError)
}


# --- the server file ------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerInfo:
    """A running server, as its file describes it."""

    url: str
    pid: int
    collection: str
    token: str = field(repr=False)


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` readable by its owner only, via tmp + rename (never half a file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _lock_is_held(path: Path) -> bool:
    """Whether some open file holds the flock on ``path``: taken and released at once when free."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # closing releases the probe's lock
    return False


def _read_info(root: Path) -> ServerInfo | None:
    try:
        data = json.loads((root / SERVE_FILE).read_text(encoding="utf-8"))
        return ServerInfo(url=str(data["url"]), pid=int(data["pid"]), collection=str(data["collection"]),
                          token=str(data["token"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def find_server(root: Path | str) -> ServerInfo | None:
    """The server that holds the store at ``root``, or None when none runs (no file, or a file
    left by a server that was killed: its lock is free)."""
    root = Path(root).expanduser()
    if not (root / SERVE_FILE).is_file():
        return None
    if not _lock_is_held(root / SERVE_LOCK):
        return None
    return _read_info(root)


class ServerFile:
    """The server's side of the file: ``acquire`` takes the lock (refusing when another server
    holds this store), ``publish`` writes the file once the server listens, ``release`` removes
    it and lets the lock go."""

    def __init__(self, root: Path | str):
        self.root = Path(root).expanduser()
        self.token = secrets.token_urlsafe(32)
        self._fd: int | None = None

    def acquire(self) -> None:
        path = self.root / SERVE_LOCK
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot lock {path}: {exc.strerror or exc}") from None
        for _ in range(3):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                # a command's liveness probe holds it for a moment; a server holds it for good
                time.sleep(0.05)
        else:
            os.close(fd)
            other = _read_info(self.root)
            where = f" (PID {other.pid}, {other.url})" if other else ""
            raise StoreInUseError(
                f"store {self.root} is already served by another recsys serve{where}; stop it first"
            ) from None
        self._fd = fd

    def publish(self, url: str, collection: str) -> None:
        data = {"url": url, "pid": os.getpid(), "collection": collection, "token": self.token}
        _write_private(self.root / SERVE_FILE, json.dumps(data) + "\n")

    def withdraw(self) -> None:
        """Remove the file (commands open the store themselves again once the lock is free)."""
        info = _read_info(self.root)
        if info is not None and info.token == self.token:
            try:
                (self.root / SERVE_FILE).unlink()
            except OSError:
                pass

    def release(self) -> None:
        if self._fd is None:
            return
        self.withdraw()
        os.close(self._fd)
        self._fd = None


# --- the wire format ------------------------------------------------------------------------


def as_float32(v: Any, vname: str, what: str) -> np.ndarray:
    """A vector as the store reads it (float32, flat), or a one-line StoreError."""
    try:
        return np.asarray(v, dtype=np.float32).reshape(-1)
    except (TypeError, ValueError):
        raise StoreError(f"{what}: vector {vname!r} is not a list of numbers") from None


def pack_vectors(rows: Sequence[Mapping[str, np.ndarray]], what: str = "vectors") -> dict[str, Any]:
    """Named vectors of several rows as one block per name: the rows that have it, each one's
    length, and every value as base64 of little-endian float32."""
    by_name: dict[str, tuple[list[int], list[np.ndarray]]] = {}
    for i, vectors in enumerate(rows):
        for vname, v in vectors.items():
            idx, arrs = by_name.setdefault(str(vname), ([], []))
            idx.append(i)
            arrs.append(as_float32(v, str(vname), what))
    out: dict[str, Any] = {}
    for vname, (idx, arrs) in by_name.items():
        data = np.concatenate(arrs).astype("<f4", copy=False).tobytes() if arrs else b""
        out[vname] = {"rows": idx, "lens": [int(a.shape[0]) for a in arrs],
                      "data": base64.b64encode(data).decode("ascii")}
    return out


def unpack_vectors(packed: Mapping[str, Any], n: int) -> list[dict[str, np.ndarray]]:
    rows: list[dict[str, np.ndarray]] = [{} for _ in range(n)]
    for vname, block in packed.items():
        flat = np.frombuffer(base64.b64decode(block["data"]), dtype="<f4").astype(np.float32)
        lens = [int(x) for x in block["lens"]]
        if sum(lens) != flat.shape[0] or len(lens) != len(block["rows"]):
            raise ValueError(f"vector block {vname!r} does not add up")
        start = 0
        for row, length in zip(block["rows"], lens):
            rows[int(row)][vname] = flat[start : start + length]
            start += length
    return rows


def pack_points(points: Sequence[PointRecord], what: str = "points") -> dict[str, Any]:
    return {
        "ids": [p.track_id for p in points],
        "payloads": [p.payload for p in points],
        "vectors": pack_vectors([p.vectors for p in points], what),
    }


def unpack_points(data: Mapping[str, Any]) -> list[PointRecord]:
    ids = list(data["ids"])
    payloads = list(data.get("payloads") or [{} for _ in ids])
    vectors = unpack_vectors(data.get("vectors") or {}, len(ids))
    return [PointRecord(track_id=t, vectors=v, payload=dict(p or {})) for t, v, p in zip(ids, vectors, payloads)]


def pack_hits(hits: Sequence[Hit]) -> dict[str, Any]:
    return {
        "ids": [h.track_id for h in hits],
        "scores": [h.score for h in hits],
        "payloads": [h.payload for h in hits],
        "vectors": pack_vectors([h.vectors for h in hits]),
    }


def unpack_hits(data: Mapping[str, Any]) -> list[Hit]:
    ids = list(data["ids"])
    vectors = unpack_vectors(data.get("vectors") or {}, len(ids))
    return [Hit(track_id=t, score=float(s), payload=dict(p or {}), vectors=v)
            for t, s, p, v in zip(ids, data["scores"], data["payloads"], vectors)]


def filter_to_wire(flt: QueryFilter | None) -> dict[str, Any] | None:
    if flt is None:
        return None
    return {
        "genres": list(flt.genres), "artists": list(flt.artists), "exclude_artists": list(flt.exclude_artists),
        "composers": list(flt.composers), "performers": list(flt.performers),
        "exclude_track_ids": list(flt.exclude_track_ids), "year_min": flt.year_min, "year_max": flt.year_max,
        "bpm_min": flt.bpm_min, "bpm_max": flt.bpm_max, "keys": list(flt.keys),
        "match": [[key, list(values)] for key, values in flt.match], "missing": list(flt.missing),
        "kind": flt.kind, "clean": flt.clean,
    }


def filter_from_wire(d: Mapping[str, Any] | None) -> QueryFilter | None:
    if d is None:
        return None
    return QueryFilter(
        genres=tuple(d.get("genres") or ()), artists=tuple(d.get("artists") or ()),
        exclude_artists=tuple(d.get("exclude_artists") or ()), composers=tuple(d.get("composers") or ()),
        performers=tuple(d.get("performers") or ()),
        exclude_track_ids=tuple(d.get("exclude_track_ids") or ()),
        year_min=d.get("year_min"), year_max=d.get("year_max"),
        bpm_min=d.get("bpm_min"), bpm_max=d.get("bpm_max"), keys=tuple(d.get("keys") or ()),
        kind=str(d.get("kind") or ""), clean=d.get("clean") is True,
        match=tuple((str(k), tuple(v)) for k, v in d.get("match") or ()),
        missing=tuple(d.get("missing") or ()),
    )


def spec_to_wire(spec: CollectionSpec) -> dict[str, Any]:
    return {
        "name": spec.name, "vectors": dict(spec.vectors), "metadata": spec.metadata,
        "shard_number": spec.shard_number, "replication_factor": spec.replication_factor,
        "indexes": {k: v.as_dict() for k, v in spec.indexes.items()},
    }


def spec_from_wire(d: Mapping[str, Any]) -> CollectionSpec:
    return CollectionSpec(
        name=d["name"], vectors=dict(d["vectors"]), metadata=dict(d.get("metadata") or {}),
        shard_number=d.get("shard_number"), replication_factor=d.get("replication_factor"),
        indexes={str(k): VectorIndex.from_dict(v) for k, v in (d.get("indexes") or {}).items()},
    )


def _plain(obj: Any) -> Any:
    """json.dumps' fallback: numpy scalars and arrays as their Python values."""
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (tuple, set, frozenset)):
        return list(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON-serialisable")


def dumps(data: Any) -> bytes:
    return json.dumps(data, default=_plain, ensure_ascii=False).encode("utf-8")


# --- the backend ----------------------------------------------------------------------------


class ServedBackend(StoreBackend):
    """Every StoreBackend call, run by the ``recsys serve`` that holds the store (see module
    docstring). Answers, errors included, are the server's backend's own; a server that goes
    away mid-command is one StoreError naming it."""

    #: the server holds an embedded (Edge) store, which keeps facets and counts until its next
    #: write: an ingest beside the server makes them for the next commands as one without it does
    keeps_counts = True

    def __init__(self, info: ServerInfo, location: str, client: Any = None):
        import httpx

        self.info = info
        self.location = location
        self._client = client or httpx.Client(
            base_url=info.url, timeout=httpx.Timeout(None, connect=CONNECT_SECONDS), trust_env=False
        )
        self._client.headers[TOKEN_HEADER] = info.token
        self._closed = False

    def __repr__(self) -> str:
        return f"ServedBackend({self.info.url!r}, pid={self.info.pid})"

    # --- transport ----------------------------------------------------------------------

    def _call(self, op: str, **args: Any) -> Any:
        import httpx

        if self._closed:
            raise StoreError(f"the connection to recsys serve at {self.info.url} is closed")
        try:
            body = dumps(args)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"{op}: the request cannot be sent as JSON ({exc})") from None
        try:
            resp = self._client.post(f"{STORE_PREFIX}/{op}", content=body,
                                     headers={"content-type": "application/json"})
        except httpx.HTTPError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise StoreError(
                f"recsys serve at {self.info.url} (PID {self.info.pid}) stopped answering: {reason}"
            ) from None
        try:
            data = resp.json()
        except ValueError:
            data = None
        if resp.status_code == 200 and isinstance(data, dict) and "result" in data:
            return data["result"]
        message = data.get("error") if isinstance(data, dict) else None
        message = " ".join(str(message or resp.text or resp.reason_phrase).split())[:500]
        if isinstance(data, dict) and data.get("kind") in ERROR_KINDS:
            raise ERROR_KINDS[data["kind"]](message)
        raise StoreError(f"recsys serve at {self.info.url} answered {resp.status_code}: {message}")

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._client.close()

    def __enter__(self) -> "ServedBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- collections --------------------------------------------------------------------

    def list_collections(self) -> list[str]:
        return list(self._call("list_collections"))

    def collection_exists(self, name: str) -> bool:
        return bool(self._call("collection_exists", name=name))

    def create_collection(self, spec: CollectionSpec) -> None:
        self._call("create_collection", spec=spec_to_wire(spec))

    def delete_collection(self, name: str) -> None:
        self._call("delete_collection", name=name)

    def get_spec(self, name: str) -> CollectionSpec:
        return spec_from_wire(self._call("get_spec", name=name))

    def set_metadata(self, name: str, metadata: dict[str, Any]) -> None:
        self._call("set_metadata", name=name, metadata=metadata)

    def ensure_indexes(self, name: str) -> list[str]:
        return list(self._call("ensure_indexes", name=name))

    def optimize(self, name: str) -> bool:
        return bool(self._call("optimize", name=name))

    def layout_outdated(self, name: str) -> bool:
        try:
            return bool(self._call("layout_outdated", name=name))
        except StoreError as exc:
            if "no store call" in str(exc):
                return False  # a server of an older recsys: the next ingest without it rebuilds
            raise

    # --- points -------------------------------------------------------------------------

    def upsert(self, name: str, points: Sequence[PointRecord]) -> None:
        self._call("upsert", name=name, points=pack_points(points, f"upsert in {name!r}"))

    def delete_points(self, name: str, track_ids: Sequence[str]) -> None:
        ids = track_ids if isinstance(track_ids, str) else list(track_ids)
        self._call("delete_points", name=name, track_ids=ids)

    def update_vectors(self, name: str, track_id: str, vectors: dict[str, np.ndarray]) -> None:
        what = f"track {track_id!r} in collection {name!r}"
        self._call("update_vectors", name=name, track_id=track_id, vectors=pack_vectors([vectors], what))

    def set_vectors(self, name: str, points: Sequence[PointRecord]) -> None:
        self._call("set_vectors", name=name, points=pack_points(points, f"set_vectors in {name!r}"))

    def add_vector(self, name: str, vector_name: str, dim: int) -> None:
        self._call("add_vector", name=name, vector_name=vector_name, dim=dim)

    def drop_vector(self, name: str, vector_name: str) -> None:
        self._call("drop_vector", name=name, vector_name=vector_name)

    def retrieve(
        self, name: str, track_ids: Sequence[str], with_vectors: bool | Sequence[str] = True
    ) -> list[PointRecord]:
        fetch = with_vectors if isinstance(with_vectors, bool) else list(with_vectors)
        return unpack_points(self._call("retrieve", name=name, track_ids=list(track_ids), with_vectors=fetch))

    def scroll(
        self,
        name: str,
        with_vectors: bool = False,
        batch_size: int = 256,
        using: str | None = None,
        flt: QueryFilter | None = None,
    ) -> Iterator[PointRecord]:
        # the first page now: a missing collection or a bad argument fails here, not on next()
        first = self._call("scroll_open", name=name, with_vectors=with_vectors, batch_size=batch_size,
                           using=using, flt=filter_to_wire(flt))

        def gen() -> Iterator[PointRecord]:
            page = first
            cursor = page.get("cursor")
            try:
                while True:
                    yield from unpack_points(page["points"])
                    if cursor is None:
                        return
                    page = self._call("scroll_next", cursor=cursor)
                    cursor = page.get("cursor")
            finally:
                if cursor is not None and not self._closed:  # left early: free the server's cursor
                    try:
                        self._call("scroll_close", cursor=cursor)
                    except RecsysError:
                        pass

        return gen()

    def count(self, name: str, using: str | None = None, flt: QueryFilter | None = None) -> int:
        return int(self._call("count", name=name, using=using, flt=filter_to_wire(flt)))

    def facet(
        self, name: str, key: str, limit: int | None = None, flt: QueryFilter | None = None
    ) -> list[tuple[Any, int]]:
        if flt is None or flt.is_empty():
            return [(v, int(n)) for v, n in self._call("facet", name=name, key=key, limit=limit)]
        found = self._call("facet", name=name, key=key, limit=limit, flt=filter_to_wire(flt))
        if not isinstance(found, dict):
            # a server of an older recsys reads no filter and counts every track: its answer a
            # list, not the filtered answer's object, and no clean count to give
            raise StoreError(f"recsys serve at {self.info.url} (PID {self.info.pid}) is an older recsys, whose"
                             " facets take no filter: restart it")
        return [(v, int(n)) for v, n in found["rows"]]

    def text_search(
        self, name: str, field: str, text: str, limit: int, flt: QueryFilter | None = None
    ) -> list[PointRecord] | None:
        found = self._call("text_search", name=name, field=field, text=text, limit=limit,
                           flt=filter_to_wire(flt))
        return None if found is None else unpack_points(found)

    # --- queries ------------------------------------------------------------------------

    def search(
        self,
        name: str,
        vector: np.ndarray,
        using: str,
        limit: int,
        flt: QueryFilter | None = None,
        with_vectors: bool = False,
    ) -> list[Hit]:
        what = f"search in {name!r}"
        return unpack_hits(self._call(
            "search", name=name, query=pack_vectors([{using: vector}], what), using=using, limit=limit,
            flt=filter_to_wire(flt), with_vectors=with_vectors,
        ))

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
        what = f"recommend in {name!r}"
        return unpack_hits(self._call(
            "recommend", name=name, positives=pack_vectors([{using: v} for v in positives], what),
            n_positives=len(positives), negatives=pack_vectors([{using: v} for v in negatives], what),
            n_negatives=len(negatives), using=using, limit=limit, flt=filter_to_wire(flt),
            with_vectors=with_vectors,
        ))

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
        what = f"mmr in {name!r}"
        return unpack_hits(self._call(
            "mmr", name=name, query=pack_vectors([{using: vector}], what), using=using, limit=limit,
            diversity=diversity, candidates_limit=candidates_limit, flt=filter_to_wire(flt),
            with_vectors=with_vectors,
        ))
