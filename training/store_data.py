"""Training data from a collection: every track's modality vectors and metadata, as stored."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from recsys.catalog.model import TrackRecord
from recsys.collection import CollectionMeta
from recsys.catalog.fairouz import fairouz_ids
from recsys.errors import CatalogError, RecsysError
from recsys.modalities import MODALITIES
from recsys.store.base import StoreBackend
from training.data import ModalityData


def track_from_payload(track_id: str, payload: dict) -> TrackRecord:
    year = payload.get("year")
    return TrackRecord(
        track_id=track_id,
        title=str(payload.get("title") or ""),
        artist=str(payload.get("artist") or ""),
        album=str(payload.get("album") or ""),
        album_artist=str(payload.get("album_artist") or ""),
        composer=str(payload.get("composer") or ""),
        artists=tuple(str(a) for a in payload.get("artists") or ()),
        genres=tuple(payload.get("genres") or ()),
        tags=tuple(payload.get("tags") or ()),
        year=year if isinstance(year, int) else None,
        playlists=tuple(payload.get("playlists") or ()),
    )


def data_from_store(backend: StoreBackend, collection: str, batch_size: int = 1024) -> ModalityData:
    """Modality matrices (zeros where missing), presence masks and track metadata, in the
    order of ``row_order``. Memory: n x (sum of modality dims) float32 — 822 tracks of the
    paper's data take 6 MB, a million tracks of the offline encoders about 7.8 GB."""
    spec = backend.get_spec(collection)
    meta = CollectionMeta.from_dict(spec.metadata)
    mods = [m for m in MODALITIES if m in meta.encoders and meta.physical(m) in spec.vectors]
    ids = [p.track_id for p in backend.scroll(collection, with_vectors=False, batch_size=max(batch_size, 4096))]
    n = len(ids)
    if n == 0:
        raise RecsysError(f"collection '{collection}' is empty; run `recsys ingest` first")
    row = {t: i for i, t in enumerate(row_order(meta, ids))}
    mats = {m: np.zeros((n, spec.vectors[meta.physical(m)]), dtype=np.float32) for m in mods}
    masks = {m: np.zeros(n, dtype=bool) for m in mods}
    tracks: list[TrackRecord | None] = [None] * n
    for p in backend.scroll(collection, with_vectors=True, batch_size=batch_size):
        i = row.get(p.track_id)
        if i is None or tracks[i] is not None:
            raise RecsysError(f"collection '{collection}' changed while it was read; run it again")
        tracks[i] = track_from_payload(p.track_id, p.payload)
        for m in mods:
            v = p.vectors.get(meta.physical(m))
            if v is not None:
                mats[m][i] = v
                masks[m][i] = True
    if any(t is None for t in tracks):
        raise RecsysError(f"collection '{collection}' changed while it was read; run it again")
    return ModalityData(tuple(tracks), mats, masks, {m: meta.encoders[m].name for m in mods})  # type: ignore[arg-type]


def row_order(meta: CollectionMeta, track_ids: list[str]) -> list[str]:
    """The tracks in their catalog's order where it is recorded and cheap to read (a Fairouz
    folder's ids.json), others after them by id; by id where it is not. Never the store's
    storage order, which depends on how the points were written: the folds of protocol B, the
    mined pairs and the order of exact ties follow the rows, and in storage order the same
    vectors gave figures 0.01-0.02 from the catalog-order ones (bench/fairouz_results.py)."""
    rank: dict[str, int] = {}
    if meta.catalog_kind == "fairouz" and meta.catalog_path:
        try:
            rank = {t: i for i, t in enumerate(fairouz_ids(Path(meta.catalog_path)))}
        except CatalogError:  # the folder moved or changed: by id, as for any other catalog
            rank = {}
    return sorted(track_ids, key=lambda t: (rank.get(t, len(rank)), t))
