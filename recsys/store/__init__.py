"""The vector store layer: the contract (``base``: the abstract StoreBackend and the record
dataclasses PointRecord, Hit, QueryFilter, CollectionSpec), the shared base (``shared``:
BaseBackend, which does every argument check and record conversion once, split by concern
into ``shared_hooks``, ``shared_filters``, ``shared_facets``, ``shared_queries``, ``facet_rows``,
``records`` and ``messages``), the two Qdrant
backends on it that only translate calls to their client (``edge``: EdgeBackend, Qdrant Edge
embedded in this process with its data in a local folder; ``remote``: RemoteBackend, a Qdrant
server or cluster over HTTP(S), or gRPC with RECSYS_QDRANT_GRPC=1, or qdrant-client's in-memory
mode), the backend-neutral payload filters
and input checks (``filters``) and the point ids, UUIDv5 of a track_id (``ids``).
"""

from __future__ import annotations

from pathlib import Path

from recsys.store.base import (
    INDEXED_FIELDS,
    CollectionSpec,
    VectorIndex,
    Hit,
    NeighbourQuery,
    PointRecord,
    QueryFilter,
    StoreBackend,
)

# The backends import their clients (qdrant-client alone takes ~0.8 s) only when used.
def __getattr__(name: str):
    if name == "EdgeBackend":
        from recsys.store.edge import EdgeBackend

        return EdgeBackend
    if name == "RemoteBackend":
        from recsys.store.remote import RemoteBackend

        return RemoteBackend
    raise AttributeError(name)

__all__ = [
    "INDEXED_FIELDS",
    "CollectionSpec",
    "VectorIndex",
    "EdgeBackend",
    "Hit",
    "NeighbourQuery",
    "PointRecord",
    "QueryFilter",
    "RemoteBackend",
    "StoreBackend",
    "is_remote_location",
    "open_backend",
]


def is_remote_location(location: str | Path) -> bool:
    """True for a server URL or ":memory:", False for a folder path."""
    if isinstance(location, Path):
        return False
    loc = location.strip()
    return loc == ":memory:" or loc.lower().startswith(("http://", "https://"))


def _looks_like_url(loc: str) -> bool:
    """A scheme ("ftp://x") or a bare host:port ("localhost:6333", "db:6333/prefix")."""
    import re

    return "://" in loc or re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]*:\d{1,5}(/\S*)?", loc) is not None


def open_backend(location: str | Path, api_key: str | None = None) -> StoreBackend:
    """The backend for ``location``: "http(s)://..." or ":memory:" -> RemoteBackend,
    anything else is a folder -> EdgeBackend. Opening is cheap; nothing is locked or
    contacted until the first call that needs it. A string that looks like a URL but is not
    http(s) ("ftp://x", "localhost:6333") is refused rather than made a folder of. gRPC is
    not a URL scheme: the http(s) URL names the server, and RECSYS_QDRANT_GRPC=1 (port
    RECSYS_QDRANT_GRPC_PORT, 6334 by default) makes the remote backend talk gRPC to it."""
    if is_remote_location(location):
        from recsys.store.remote import RemoteBackend

        return RemoteBackend(str(location).strip(), api_key=api_key)
    if isinstance(location, str) and _looks_like_url(location.strip()):
        from recsys.errors import StoreError

        hint = ""
        if location.strip().lower().startswith("grpc"):
            hint = " (for gRPC give the server's http(s) URL and set RECSYS_QDRANT_GRPC=1)"
        raise StoreError(
            f"'{location}' is not a store location: a Qdrant URL is http(s)://host[:port][/path] "
            f"or :memory:, a folder is given as a path{hint}"
        )
    from recsys.store.edge import EdgeBackend

    return EdgeBackend(Path(location))
