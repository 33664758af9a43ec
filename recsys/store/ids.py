"""Point ids: a track's Qdrant point id is the UUIDv5 of its track_id."""

from __future__ import annotations

import uuid

#: Namespace for point ids: uuid5(RECSYS_NAMESPACE, track_id) is stable across runs and machines.
RECSYS_NAMESPACE = uuid.UUID("6f1c3a52-8f0e-4d8e-9b5b-2d7f3c9a1e44")


def point_id(track_id: str) -> str:
    """The Qdrant point id of a track: UUIDv5 of its track_id, so re-ingesting changes nothing."""
    return str(uuid.uuid5(RECSYS_NAMESPACE, track_id))
