"""The store calls a command makes while the server holds the store (``ServedBackend`` in
``recsys.store.served``): one POST per StoreBackend call under ``/internal/store/``, answered
by the server's own backend. Loopback only, with the token of the server file, and left out
of the OpenAPI schema: they are not the public API. Reads share the store; a write takes it
alone for its duration and then drops what the server had cached about the collection."""

from __future__ import annotations

import hmac
import ipaddress
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from recsys.errors import RecsysError
from recsys.store.base import StoreBackend
from recsys.store.served import (
    ERROR_KINDS,
    SCROLL_PAGE,
    STORE_PREFIX,
    TOKEN_HEADER,
    dumps,
    filter_from_wire,
    pack_hits,
    pack_points,
    spec_from_wire,
    spec_to_wire,
    unpack_points,
    unpack_vectors,
)
from serve.state import ReadWriteLock

#: open scroll cursors at most, and how long one may sit unused (a command that died
#: mid-scroll never closes its own)
MAX_CURSORS = 64
CURSOR_IDLE_SECONDS = 600.0


class StoreHost(Protocol):
    """What the routes need: the backend, its read/write lock, and a hook told of each write."""

    lock: ReadWriteLock

    @property
    def backend(self) -> StoreBackend: ...

    def store_changed(self, name: str) -> None: ...


@dataclass
class _Cursor:
    records: Iterator[Any]
    page: int
    used: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ScrollCursors:
    """Scrolls in progress: each request pulls its next page from the backend's own iterator,
    holding the read lock only while it does (a command may write between two pages, as it
    may between the pages of an Edge scroll)."""

    def __init__(self) -> None:
        self._open: dict[str, _Cursor] = {}
        self._lock = threading.Lock()

    def add(self, cursor: _Cursor) -> str:
        key = secrets.token_urlsafe(12)
        with self._lock:
            now = time.monotonic()
            for k in [k for k, c in self._open.items() if now - c.used > CURSOR_IDLE_SECONDS]:
                del self._open[k]
            while len(self._open) >= MAX_CURSORS:  # the least recently used goes
                del self._open[min(self._open, key=lambda k: self._open[k].used)]
            self._open[key] = cursor
        return key

    def get(self, key: str) -> _Cursor:
        with self._lock:
            cursor = self._open.get(key)
        if cursor is None:
            raise RecsysError("this scroll has expired (unused for too long, or too many at once); run the command again")
        cursor.used = time.monotonic()
        return cursor

    def drop(self, key: str) -> None:
        with self._lock:
            self._open.pop(key, None)


def _page(cursors: ScrollCursors, cursor: _Cursor, key: str | None) -> dict[str, Any]:
    """The cursor's next page; its key while more may follow, else None (and it is dropped)."""
    with cursor.lock:
        got = list(itertools.islice(cursor.records, cursor.page))
    more = len(got) == cursor.page
    if not more and key is not None:
        cursors.drop(key)
    elif more and key is None:
        key = cursors.add(cursor)
    return {"points": pack_points(got), "cursor": key if more else None}


def _query_vector(a: dict[str, Any]) -> Any:
    return unpack_vectors(a["query"], 1)[0][a["using"]]


def _examples(a: dict[str, Any], which: str) -> list[Any]:
    return [row[a["using"]] for row in unpack_vectors(a[which], int(a[f"n_{which}"]))]


def _text_search(b: StoreBackend, a: dict[str, Any]) -> Any:
    flt = filter_from_wire(a.get("flt"))
    args = (a["name"], a["field"], a["text"], a["limit"])
    found = b.text_search(*args, flt) if flt is not None else b.text_search(*args)  # type: ignore[call-arg]
    return None if found is None else pack_points(found)


def _facet(b: StoreBackend, a: dict[str, Any]) -> Any:
    """The rows; under a filter, an object holding them: a client tells by it that this server
    read the filter (a server of an older recsys answers every facet as a list, unfiltered)."""
    flt = filter_from_wire(a.get("flt"))
    if flt is None or flt.is_empty():
        return [[v, n] for v, n in b.facet(a["name"], a["key"], a.get("limit"))]
    return {"rows": [[v, n] for v, n in b.facet(a["name"], a["key"], a.get("limit"), flt=flt)]}


Op = Callable[[StoreBackend, dict[str, Any]], Any]

READS: dict[str, Op] = {
    "list_collections": lambda b, a: b.list_collections(),
    "collection_exists": lambda b, a: b.collection_exists(a["name"]),
    "get_spec": lambda b, a: spec_to_wire(b.get_spec(a["name"])),
    "count": lambda b, a: b.count(a["name"], using=a.get("using"), flt=filter_from_wire(a.get("flt"))),
    "facet": _facet,
    "retrieve": lambda b, a: pack_points(b.retrieve(a["name"], a["track_ids"], with_vectors=a["with_vectors"])),
    "text_search": _text_search,
    "search": lambda b, a: pack_hits(b.search(
        a["name"], _query_vector(a), a["using"], a["limit"], filter_from_wire(a.get("flt")), a["with_vectors"])),
    "recommend": lambda b, a: pack_hits(b.recommend(
        a["name"], _examples(a, "positives"), _examples(a, "negatives"), a["using"], a["limit"],
        filter_from_wire(a.get("flt")), a["with_vectors"])),
    "layout_outdated": lambda b, a: bool(b.layout_outdated(a["name"])),
    "mmr": lambda b, a: pack_hits(b.mmr(
        a["name"], _query_vector(a), a["using"], a["limit"], a["diversity"], a["candidates_limit"],
        filter_from_wire(a.get("flt")), a["with_vectors"])),
}

WRITES: dict[str, Op] = {
    "create_collection": lambda b, a: b.create_collection(spec_from_wire(a["spec"])),
    "delete_collection": lambda b, a: b.delete_collection(a["name"]),
    "set_metadata": lambda b, a: b.set_metadata(a["name"], a["metadata"]),
    "upsert": lambda b, a: b.upsert(a["name"], unpack_points(a["points"])),
    "delete_points": lambda b, a: b.delete_points(a["name"], a["track_ids"]),
    "update_vectors": lambda b, a: b.update_vectors(a["name"], a["track_id"], unpack_vectors(a["vectors"], 1)[0]),
    "set_vectors": lambda b, a: b.set_vectors(a["name"], unpack_points(a["points"])),
    "add_vector": lambda b, a: b.add_vector(a["name"], a["vector_name"], a["dim"]),
    "drop_vector": lambda b, a: b.drop_vector(a["name"], a["vector_name"]),
    "ensure_indexes": lambda b, a: b.ensure_indexes(a["name"]),
    "optimize": lambda b, a: b.optimize(a["name"]),
}


def _error(status: int, message: str, kind: str = "StoreError") -> Response:
    return Response(dumps({"error": " ".join(message.split()) or "error", "kind": kind}), status_code=status,
                    media_type="application/json")


def _kind(exc: RecsysError) -> str:
    """The most specific class of ``exc`` that the client can raise again."""
    for cls in type(exc).__mro__:
        if ERROR_KINDS.get(cls.__name__) is cls:
            return cls.__name__
    return "RecsysError"


def _is_local(request: Request) -> bool:
    """A loopback peer, or one whose address is the one the server listens on (this machine)."""
    peer = request.client.host if request.client else ""
    try:
        if ipaddress.ip_address(peer).is_loopback:
            return True
    except ValueError:
        return False
    server = request.scope.get("server")
    return bool(server) and peer == server[0]


def run_call(host: StoreHost, cursors: ScrollCursors, op: str, args: dict[str, Any]) -> Any:
    """One store call on the host's backend, under its lock."""
    if op in READS:
        with host.lock.read():
            return READS[op](host.backend, args)
    if op in WRITES:
        name = args["spec"]["name"] if op == "create_collection" else args["name"]
        with host.lock.write():
            try:
                return WRITES[op](host.backend, args)
            finally:
                host.store_changed(str(name))
    if op == "scroll_open":
        with host.lock.read():
            records = host.backend.scroll(
                args["name"], with_vectors=args["with_vectors"], batch_size=args["batch_size"],
                using=args.get("using"), flt=filter_from_wire(args.get("flt")),
            )
            size = args["batch_size"]
            return _page(cursors, _Cursor(records, max(SCROLL_PAGE, size)), None)
    if op == "scroll_next":
        cursor = cursors.get(args["cursor"])
        with host.lock.read():
            return _page(cursors, cursor, args["cursor"])
    if op == "scroll_close":
        cursors.drop(args["cursor"])
        return None
    raise KeyError(op)


def router(host: StoreHost, token: str | None) -> APIRouter:
    """The store calls, answered only with ``token`` (the server file's); none: refused."""
    api = APIRouter(prefix=STORE_PREFIX, include_in_schema=False)
    cursors = ScrollCursors()
    expected = token.encode() if token else None

    @api.post("/{op}")
    async def call(op: str, request: Request) -> Response:
        if expected is None or not _is_local(request):
            return _error(403, "the store calls answer only commands on this machine, while the server holds the store")
        given = request.headers.get(TOKEN_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return _error(401, "missing or wrong store token (it is in the store's .serve.json)")
        if op not in READS and op not in WRITES and not op.startswith("scroll_"):
            return _error(404, f"no store call {op!r}")
        try:
            args = json.loads(await request.body())
            if not isinstance(args, dict):
                raise ValueError("the body is not a JSON object")
        except ValueError as exc:
            return _error(400, f"store call {op}: {exc}")

        def run() -> Response:
            try:
                result = run_call(host, cursors, op, args)
            except RecsysError as exc:
                return _error(400, str(exc), _kind(exc))
            except (KeyError, TypeError, ValueError) as exc:
                return _error(400, f"store call {op}: bad arguments ({type(exc).__name__}: {exc})")
            return Response(dumps({"result": result}), media_type="application/json")

        return await run_in_threadpool(run)

    return api
