"""What a store holds, collection by collection: points, vectors per modality and their
dimensions, the encoders, the fused vector's recipe, the profile and the catalog it came from.
`recsys info` prints it and `GET /api/info` answers it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from recsys.catalog.model import PERFORMERS_FIELD
from recsys.collection import CollectionMeta
from recsys.encoders.profiles import superseded
from recsys.errors import NotFoundError, RecsysError
from recsys.labels import label_key
from recsys.modalities import VECTOR_NAMES
from recsys.query.clean import CLEAN_ONLY, EXPLICIT_ONLY
from recsys.store.base import SPOKEN, QueryFilter, StoreBackend


@dataclass(frozen=True)
class CollectionInfo:
    """One collection. ``vectors``: points holding each modality's vector; ``dims``: its size;
    ``catalog``: {"kind", "path"} of the catalog last ingested."""

    collection: str
    points: int
    vectors: dict[str, int] = field(default_factory=dict)
    dims: dict[str, int] = field(default_factory=dict)
    encoders: dict[str, dict[str, Any]] = field(default_factory=dict)
    fused: dict[str, Any] = field(default_factory=dict)
    profile: str = ""
    catalog: dict[str, Any] = field(default_factory=dict)
    #: modality -> (the encoder the collection keeps, the one its profile names now), where the
    #: profile changed since the collection was made (``profiles.superseded``)
    superseded: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: tracks of spoken word (podcast episodes, audiobooks, voice memos: ``recsys.query.kinds``)
    spoken: int = 0
    #: tracks marked explicit, and marked clean or not explicit (the advisory: ``recsys.query.clean``)
    explicit: int = 0
    clean: int = 0
    #: musicians the tags credit (``catalog.performers``: one a ``label_key``), and the tracks
    #: naming any (``--performer``, ``recsys facets performers``)
    performers: int = 0
    performer_tracks: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection, "points": self.points, "vectors": dict(self.vectors),
            "dims": dict(self.dims), "encoders": dict(self.encoders), "fused": dict(self.fused),
            "profile": self.profile, "catalog": dict(self.catalog),
            "superseded": {m: {"kept": old, "profile_now": new} for m, (old, new) in self.superseded.items()},
        } | ({"spoken": self.spoken} if self.spoken else {}) | (  # only then: other answers are as they were
            {"explicit": self.explicit, "clean": self.clean} if self.explicit or self.clean else {}) | (
            {"performers": self.performers, "performer_tracks": self.performer_tracks} if self.performers else {})


def collection_info(backend: StoreBackend, name: str) -> CollectionInfo:
    """Collection ``name`` of ``backend`` (NotFoundError when absent)."""
    spec = backend.get_spec(name)
    meta = CollectionMeta.from_dict(spec.metadata)
    present = [v for v in VECTOR_NAMES if meta.physical(v) in spec.vectors]
    return CollectionInfo(
        collection=name,
        points=backend.count(name),
        vectors={v: backend.count(name, using=meta.physical(v)) for v in present},
        dims={v: spec.vectors[meta.physical(v)] for v in present},
        encoders={m: e.as_dict() for m, e in meta.encoders.items()},
        fused=meta.fused.as_dict(),
        profile=meta.profile,
        catalog={"kind": meta.catalog_kind, "path": meta.catalog_path},
        superseded={} if meta.published else superseded(meta.profile, meta.encoder_names()),
        spoken=backend.count(name, flt=QueryFilter(kind=SPOKEN)),  # one count on the payload index
        explicit=backend.count(name, flt=EXPLICIT_ONLY),  # the same
        clean=backend.count(name, flt=CLEAN_ONLY),
        **_performers(backend, name),
    )


def _performers(backend: StoreBackend, name: str) -> dict[str, int]:
    """The tracks naming musicians (two counts) and, where there are some, the musicians: the
    performers facet, on the payload index their ingest made and kept by Edge until the next
    write (a collection made before them is not scrolled for a facet it cannot have)."""
    tracks = backend.count(name) - backend.count(name, flt=QueryFilter(missing=(PERFORMERS_FIELD,)))
    if tracks <= 0:
        return {}
    keys = {label_key(v) for v, _ in backend.facet(name, PERFORMERS_FIELD) if isinstance(v, str) and v.strip()}
    return {"performers": len(keys), "performer_tracks": tracks}


def collect_info(backend: StoreBackend) -> list[CollectionInfo]:
    """Every collection of ``backend``, by name."""
    return [collection_info(backend, name) for name in backend.list_collections()]


def pick_collection(backend: StoreBackend, requested: str | None) -> str:
    """The collection a command or the server works on: the one asked for, else the only
    one, else 'sample'."""
    if requested:
        return requested
    names = backend.list_collections()
    if len(names) == 1:
        return names[0]
    if "sample" in names:
        return "sample"
    if not names:
        raise NotFoundError("the store has no collections yet; run `recsys ingest` first")
    # an empty one is most likely a first ingest stopped before its first tracks were written
    empty = [n for n in names if backend.count(n) == 0]
    listed = ", ".join(f"{n} (empty)" if n in empty else n for n in names)
    hint = f"; `recsys drop {empty[0]}` deletes an empty one" if empty else ""
    raise RecsysError(f"several collections ({listed}); choose one with --collection{hint}")

