"""QueryFilter -> a backend-neutral list of conditions, plus input checks both backends share.

Both backends translate the same neutral conditions into their own filter types, so a
QueryFilter means exactly the same thing on Qdrant Edge and on a Qdrant server.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Collection, Mapping, Sequence, Union

import numpy as np

from recsys.errors import StoreError
from recsys.labels import genre_key, label_key
from recsys.store.base import ADVISORY_FIELD, EXPLICIT, KIND_FIELD, SPOKEN, CollectionSpec, PointRecord, QueryFilter
from recsys.store.ids import point_id


#: Payload fields matched case- and accent-insensitively, and the field holding each one's
#: normalised form (written at ingest by ``TrackRecord.payload``). A collection made before
#: these fields existed lacks them: its filters then match the exact field.
#: ``composer_norm`` is on the tracks naming a composer alone: a collection has it when none of
#: those lacks it (``SharedBackend._normalised``).
NORMALISED_FIELDS: dict[str, str] = {"artist": "artist_norm", "genres": "genres_norm", "composer": "composer_norm"}
#: Payload fields matched by ``label_key`` (punctuation, spaces and a leading "The" aside as
#: well: "AC/DC" and "acdc", "Post-Rock" and "post rock"), and the field holding each one's
#: key. Where a collection has them (written at ingest since 2026-11-27; the next ingest of an
#: older one adds them without encoding) they are matched instead of NORMALISED_FIELDS.
KEYED_FIELDS: dict[str, str] = {"artist": "artist_key", "genres": "genres_key"}
#: the function each of KEYED_FIELDS is made by (``TrackRecord.payload``): a genre's key reads
#: its abbreviations too ("Prog Rock" is "Progressive Rock"), an artist's does not
KEYS: dict[str, Callable[[object], str]] = {"artist": label_key, "genres": genre_key}


def normalise_label(text: object) -> str:
    """An artist or genre as filters compare it: casefolded, accents stripped (NFKD),
    whitespace collapsed. "  Café  Society" -> "cafe society". Keep in step with
    ``recsys.catalog.model.normalise_label`` (tests check they agree)."""
    text = str(text)
    if not text.isascii():  # ASCII is its own decomposition
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class MatchAnyCond:
    """Payload field ``key`` equals any of ``values`` (for a list field: any element does)."""

    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class RangeCond:
    """Numeric payload field within [gte, lte]; a point without the field does not match."""

    key: str
    gte: float | None
    lte: float | None


@dataclass(frozen=True)
class HasVectorCond:
    """The point has the named vector (missing modalities are absent, not zero)."""

    name: str


@dataclass(frozen=True)
class IsEmptyCond:
    """Payload field ``key`` is missing, null or []."""

    key: str


@dataclass(frozen=True)
class HasIdCond:
    """The point is one of these (point ids). Excluding the seeds by id costs an HNSW search
    next to nothing; a match on the track_id field reads its payload index for every
    candidate (0.15 ms a query at 100k tracks, more than the search itself)."""

    point_ids: tuple[str, ...]


Condition = Union[MatchAnyCond, RangeCond, HasVectorCond, IsEmptyCond, HasIdCond]


@dataclass(frozen=True)
class Conditions:
    must: tuple[Condition, ...] = ()
    must_not: tuple[Condition, ...] = ()

    def is_empty(self) -> bool:
        return not (self.must or self.must_not)


def to_conditions(
    flt: QueryFilter | None, has_vector: str | None = None, normalised: bool | Collection[str] = False,
    keyed: bool = False,
) -> Conditions:
    """The conditions of ``flt``; with ``has_vector``, also require that named vector. With
    ``normalised`` (True: the collection has the NORMALISED_FIELDS; else the fields of them it
    has), genres, artists and composers match their normalised fields with normalised values:
    case and accents do not matter. With ``keyed`` (the collection has the KEYED_FIELDS),
    artists and genres match those by their keys instead (``KEYS``): punctuation and spaces
    neither."""
    fields = set(NORMALISED_FIELDS) if normalised is True else set(normalised or ())
    must: list[Condition] = []
    must_not: list[Condition] = []

    def match(key: str, values: tuple[str, ...]) -> MatchAnyCond:
        if keyed and key in KEYED_FIELDS:
            return MatchAnyCond(KEYED_FIELDS[key], tuple(dict.fromkeys(KEYS[key](v) for v in values)))
        if key in fields:
            norm = tuple(dict.fromkeys(normalise_label(v) for v in values))
            return MatchAnyCond(NORMALISED_FIELDS[key], norm)
        return MatchAnyCond(key, tuple(values))

    if has_vector is not None:
        must.append(HasVectorCond(has_vector))
    if flt is not None:
        for key, values in flt.match:
            must.append(MatchAnyCond(key, tuple(values)))
        for key in flt.missing:
            must.append(IsEmptyCond(key))
        if flt.genres:
            must.append(match("genres", tuple(flt.genres)))
        if flt.artists:
            must.append(match("artist", tuple(flt.artists)))
        if flt.composers:
            must.append(match("composer", tuple(flt.composers)))
        if flt.performers:  # by key alone: the field came with its key (``TrackRecord.payload``)
            must.append(MatchAnyCond("performers_key", tuple(dict.fromkeys(label_key(v) for v in flt.performers))))
        if flt.year_min is not None or flt.year_max is not None:
            must.append(
                RangeCond(
                    "year",
                    float(flt.year_min) if flt.year_min is not None else None,
                    float(flt.year_max) if flt.year_max is not None else None,
                )
            )
        if flt.bpm_min is not None or flt.bpm_max is not None:
            must.append(RangeCond("bpm", _float(flt.bpm_min), _float(flt.bpm_max)))
        if flt.keys:
            must.append(MatchAnyCond("key", tuple(flt.keys)))
        if flt.kind == SPOKEN:
            must.append(MatchAnyCond(KIND_FIELD, (SPOKEN,)))
        elif flt.kind == "music":  # not spoken: a point without the field (every one of an older collection)
            must_not.append(MatchAnyCond(KIND_FIELD, (SPOKEN,)))
        if flt.clean:  # not explicit: a track with no advisory stays (most have none)
            must_not.append(MatchAnyCond(ADVISORY_FIELD, (EXPLICIT,)))
        if flt.exclude_artists:
            must_not.append(match("artist", tuple(flt.exclude_artists)))
        if flt.exclude_track_ids:
            must_not.append(HasIdCond(tuple(point_id(t) for t in flt.exclude_track_ids)))
    return Conditions(tuple(must), tuple(must_not))


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


# --- input checks ------------------------------------------------------------------------

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def check_collection_name(name: str) -> None:
    """Collection names become folder names on Edge: keep them portable and path-safe."""
    if not isinstance(name, str) or not _NAME_RE.match(name) or ".." in name:
        raise StoreError(
            f"invalid collection name {name!r}: use letters, digits, '_', '-' or '.' "
            "(at most 128 characters, starting with a letter or digit)"
        )


def check_spec(spec: CollectionSpec) -> None:
    check_collection_name(spec.name)
    if not spec.vectors:
        raise StoreError(f"collection {spec.name!r} needs at least one named vector")
    for vname, dim in spec.vectors.items():
        if not isinstance(vname, str) or not isinstance(dim, int) or dim <= 0:
            raise StoreError(
                f"collection {spec.name!r}: vector {vname!r} needs a positive integer "
                f"dimension, got {dim!r}"
            )
    unknown = sorted(set(spec.indexes) - set(spec.vectors))
    if unknown:
        raise StoreError(
            f"collection {spec.name!r}: index options for unknown vectors {', '.join(unknown)} "
            f"(it has: {', '.join(sorted(spec.vectors))})"
        )


def as_vector(
    vec: np.ndarray | Sequence[float], name: str, dims: Mapping[str, int], what: str
) -> list[float]:
    """``vec`` as a list of floats after checking it fits the named vector ``name``.

    Zero vectors are refused: under cosine they have no direction (Qdrant would store
    NaNs), and a missing modality must be left out rather than zero-filled.
    """
    if name not in dims:
        known = ", ".join(sorted(dims)) or "none"
        raise StoreError(f"{what}: unknown vector {name!r} (this collection has: {known})")
    arr = np.asarray(vec, dtype=np.float32).reshape(-1)
    if arr.shape[0] != dims[name]:
        raise StoreError(
            f"{what}: vector {name!r} has {arr.shape[0]} dimensions, the collection expects "
            f"{dims[name]}; was it made by another encoder?"
        )
    # its least and greatest values say both: a NaN spreads to them, an infinity is one of
    # them, and only a zero vector has both 0 (two reductions, no temporary arrays: 13 us a
    # track of five vectors less than isfinite/all/any, a minute of a million-track ingest)
    lo, hi = float(arr.min()), float(arr.max())
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise StoreError(f"{what}: vector {name!r} contains NaN or infinity")
    if lo == 0.0 and hi == 0.0:
        raise StoreError(
            f"{what}: vector {name!r} is all zeros; leave a missing modality out instead"
        )
    return arr.tolist()  # float32 to Python floats is exact: no float64 copy first


def point_vectors(
    point: PointRecord, dims: Mapping[str, int], collection: str
) -> dict[str, list[float]]:
    what = f"track {point.track_id!r} in collection {collection!r}"
    return {vname: as_vector(v, vname, dims, what) for vname, v in point.vectors.items()}


def point_payload(point: PointRecord) -> dict:
    """The stored payload: always carries ``track_id`` so hits map back to tracks."""
    payload = dict(point.payload)
    payload["track_id"] = point.track_id
    return payload


def check_limit(limit: int, what: str = "limit") -> None:
    if not isinstance(limit, int) or limit <= 0:
        raise StoreError(f"{what} must be a positive integer, got {limit!r}")


def to_numpy_vectors(raw: object) -> dict[str, np.ndarray]:
    """A backend's named-vector dict as float32 arrays (an unnamed vector gets key "")."""
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return {k: np.asarray(v, dtype=np.float32) for k, v in raw.items() if v is not None}
    return {"": np.asarray(raw, dtype=np.float32)}
