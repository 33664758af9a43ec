"""A client's stored point or scored point as the contract's ``PointRecord`` or ``Hit``, read
the same way on every backend."""

from __future__ import annotations

from typing import Any

from recsys.store.base import Hit, PointRecord
from recsys.store.filters import to_numpy_vectors


def track_id_of(payload: dict, point: Any) -> str:
    """A stored point's track id: its payload's, else its point id. The point id is read only
    when needed: a client makes a UUID object of it on every access."""
    tid = payload.get("track_id")
    return str(point.id if tid is None else tid)


def record_of(rec: Any, with_vectors: bool) -> PointRecord:
    """A client's record (.id, .payload, .vector) as a PointRecord; its vectors only if asked."""
    payload = dict(rec.payload or {})
    return PointRecord(
        track_id=track_id_of(payload, rec),
        vectors=to_numpy_vectors(rec.vector) if with_vectors else {},
        payload=payload,
    )


def hit_of(p: Any, with_vectors: bool) -> Hit:
    """A client's scored point (.id, .score, .payload, .vector) as a Hit."""
    payload = dict(p.payload or {})
    return Hit(
        track_id=track_id_of(payload, p),
        score=float(p.score),
        payload=payload,
        vectors=to_numpy_vectors(p.vector) if with_vectors else {},
    )
