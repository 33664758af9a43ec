"""Taking vectors out for analysis elsewhere: .npy + .ids.json, or .parquet, streamed in
batches so a million tracks export without holding them all in memory."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from recsys.collection import physical_vector
from recsys.errors import RecsysError
from recsys.store.base import StoreBackend

FORMATS = (".npy", ".parquet")


@dataclass(frozen=True)
class ExportReport:
    path: Path
    rows: int
    dim: int
    ids_path: Path | None = None

    def as_dict(self) -> dict:
        return {"path": str(self.path), "rows": self.rows, "dim": self.dim,
                "ids_path": str(self.ids_path) if self.ids_path else None}


def export_vectors(
    backend: StoreBackend,
    collection: str,
    using: str,
    out: Path,
    batch_size: int = 1024,
    on_batch: Callable[[int], None] | None = None,
) -> ExportReport:
    """Every track's ``using`` vector (tracks lacking it are left out), in scroll order."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise RecsysError(f"cannot export to '{out.name}': use a .npy or .parquet file name")
    spec = backend.get_spec(collection)
    using = physical_vector(spec, using)
    dim = spec.vectors[using]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial")
    try:
        if suffix == ".npy":
            rows, ids_path = _to_npy(backend, collection, using, dim, out, tmp, batch_size, on_batch)
        else:
            rows, ids_path = _to_parquet(backend, collection, using, dim, tmp, batch_size, on_batch), None
        os.replace(tmp, out)  # a finished file or none: never a half-written one
    finally:
        tmp.unlink(missing_ok=True)
    return ExportReport(out, rows, dim, ids_path)


def _batches(backend, collection, using, batch_size):
    batch = []
    for p in backend.scroll(collection, batch_size=batch_size, using=using):
        batch.append(p)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _to_npy(backend, collection, using, dim, out, tmp, batch_size, on_batch):
    expected = backend.count(collection, using=using)
    mm = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=(expected, dim))
    ids_path = out.with_suffix(".ids.json")
    ids_tmp = ids_path.with_name(f".{ids_path.name}.partial")
    rows = 0
    with open(ids_tmp, "w", encoding="utf-8") as ids:
        ids.write("[")
        for batch in _batches(backend, collection, using, batch_size):
            if rows + len(batch) > expected:
                raise RecsysError(f"collection '{collection}' grew during the export; run it again")
            mm[rows : rows + len(batch)] = np.stack([p.vectors[using] for p in batch])
            ids.write(("," if rows else "") + ",".join(json.dumps(p.track_id) for p in batch))
            rows += len(batch)
            if on_batch:
                on_batch(len(batch))
        ids.write("]\n")
    mm.flush()
    del mm
    if rows != expected:
        raise RecsysError(f"collection '{collection}' changed during the export; run it again")
    os.replace(ids_tmp, ids_path)
    return rows, ids_path


def _to_parquet(backend, collection, using, dim, tmp, batch_size, on_batch) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("track_id", pa.string()),
            ("title", pa.string()),
            ("artist", pa.string()),
            ("album", pa.string()),
            ("genres", pa.list_(pa.string())),
            ("tags", pa.list_(pa.string())),
            ("year", pa.int32()),
            ("vector", pa.list_(pa.float32(), dim)),
        ]
    )
    rows = 0
    with pq.ParquetWriter(tmp, schema) as writer:
        for batch in _batches(backend, collection, using, batch_size):
            pl = [p.payload for p in batch]
            flat = np.stack([p.vectors[using] for p in batch]).astype(np.float32).ravel()
            table = pa.Table.from_arrays(
                [
                    pa.array([p.track_id for p in batch], pa.string()),
                    pa.array([str(x.get("title") or "") for x in pl], pa.string()),
                    pa.array([str(x.get("artist") or "") for x in pl], pa.string()),
                    pa.array([str(x.get("album") or "") for x in pl], pa.string()),
                    pa.array([list(x.get("genres") or []) for x in pl], pa.list_(pa.string())),
                    pa.array([list(x.get("tags") or []) for x in pl], pa.list_(pa.string())),
                    pa.array([x.get("year") for x in pl], pa.int32()),
                    pa.FixedSizeListArray.from_arrays(pa.array(flat, pa.float32()), dim),
                ],
                schema=schema,
            )
            writer.write_table(table)
            rows += len(batch)
            if on_batch:
                on_batch(len(batch))
    return rows
