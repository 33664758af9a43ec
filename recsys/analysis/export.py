"""Taking vectors out for analysis elsewhere: .npy + .ids.json (+ .paths.json), or .parquet,
streamed in batches so a million tracks export without holding them all in memory. Each
track's audio and cover files go with it as absolute paths (``CollectionMeta.media_path``;
null where the catalog has none): the parquet columns ``audio_path`` and ``cover_path``, or
the .npy's ``.paths.json`` sidecar, a list in row order of
``{"track_id", "audio_path", "cover_path"}`` (the ``.ids.json`` stays a plain list of ids)."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from recsys.collection import CollectionMeta, physical_vector
from recsys.errors import RecsysError, writing_to
from recsys.store.base import StoreBackend

FORMATS = (".npy", ".parquet")


@dataclass(frozen=True)
class ExportReport:
    path: Path
    rows: int
    dim: int
    ids_path: Path | None = None
    paths_path: Path | None = None  # the .npy's .paths.json sidecar

    def as_dict(self) -> dict:
        return {"path": str(self.path), "rows": self.rows, "dim": self.dim,
                "ids_path": str(self.ids_path) if self.ids_path else None,
                "paths_path": str(self.paths_path) if self.paths_path else None}


def export_vectors(
    backend: StoreBackend,
    collection: str,
    using: str,
    out: Path,
    batch_size: int = 1024,
    on_batch: Callable[[int], None] | None = None,
) -> ExportReport:
    """Every track's ``using`` vector (tracks lacking it are left out), in scroll order (the
    store's, not the catalog's: the ids say which row is which), as float32 (a vector stored as
    float16 keeps float16's precision)."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise RecsysError(f"cannot export to '{out.name}': use a .npy or .parquet file name")
    spec = backend.get_spec(collection)
    meta = CollectionMeta.from_dict(spec.metadata)
    using = physical_vector(spec, using)
    dim = spec.vectors[using]
    tmp = out.with_name(f".{out.name}.partial")
    with writing_to(out):  # the output's folder, its permissions, a full disk: named as given
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            paths_path = None
            if suffix == ".npy":
                rows, ids_path, paths_path = _to_npy(backend, collection, using, dim, out, tmp, batch_size, on_batch, meta)
            else:
                rows, ids_path = _to_parquet(backend, collection, using, dim, tmp, batch_size, on_batch, meta), None
            os.replace(tmp, out)  # a finished file or none: never a half-written one
        finally:
            with contextlib.suppress(OSError):  # none was made where the folder is not one
                tmp.unlink(missing_ok=True)
    return ExportReport(out, rows, dim, ids_path, paths_path)


def _files(meta: CollectionMeta, payload: dict) -> tuple[str | None, str | None]:
    return meta.media_path(payload.get("audio_path")), meta.media_path(payload.get("cover_path"))


def _batches(backend, collection, using, batch_size):
    batch = []
    for p in backend.scroll(collection, batch_size=batch_size, using=using):
        batch.append(p)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _paths_entry(meta: CollectionMeta, p) -> str:
    audio, cover = _files(meta, p.payload)
    return json.dumps({"track_id": p.track_id, "audio_path": audio, "cover_path": cover}, ensure_ascii=False)


def _to_npy(backend, collection, using, dim, out, tmp, batch_size, on_batch, meta):
    expected = backend.count(collection, using=using)
    mm = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=(expected, dim))
    ids_path = out.with_suffix(".ids.json")
    ids_tmp = ids_path.with_name(f".{ids_path.name}.partial")
    paths_path = out.with_suffix(".paths.json")
    paths_tmp = paths_path.with_name(f".{paths_path.name}.partial")
    rows = 0
    try:
        with open(ids_tmp, "w", encoding="utf-8") as ids, open(paths_tmp, "w", encoding="utf-8") as files:
            ids.write("[")
            files.write("[")
            for batch in _batches(backend, collection, using, batch_size):
                if rows + len(batch) > expected:
                    raise RecsysError(f"collection '{collection}' grew during the export; run it again")
                mm[rows : rows + len(batch)] = np.stack([p.vectors[using] for p in batch])
                ids.write(("," if rows else "") + ",".join(json.dumps(p.track_id) for p in batch))
                files.write(("," if rows else "") + ",".join(_paths_entry(meta, p) for p in batch))
                rows += len(batch)
                if on_batch:
                    on_batch(len(batch))
            ids.write("]\n")
            files.write("]\n")
        mm.flush()
        del mm
        if rows != expected:
            raise RecsysError(f"collection '{collection}' changed during the export; run it again")
        os.replace(ids_tmp, ids_path)
        os.replace(paths_tmp, paths_path)
    finally:
        for left in (ids_tmp, paths_tmp):
            with contextlib.suppress(OSError):
                left.unlink(missing_ok=True)
    return rows, ids_path, paths_path


def _to_parquet(backend, collection, using, dim, tmp, batch_size, on_batch, meta) -> int:
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
            ("audio_path", pa.string()),
            ("cover_path", pa.string()),
            ("vector", pa.list_(pa.float32(), dim)),
        ]
    )
    rows = 0
    with pq.ParquetWriter(tmp, schema) as writer:
        for batch in _batches(backend, collection, using, batch_size):
            pl = [p.payload for p in batch]
            files = [_files(meta, x) for x in pl]
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
                    pa.array([f[0] for f in files], pa.string()),
                    pa.array([f[1] for f in files], pa.string()),
                    pa.FixedSizeListArray.from_arrays(pa.array(flat, pa.float32()), dim),
                ],
                schema=schema,
            )
            writer.write_table(table)
            rows += len(batch)
            if on_batch:
                on_batch(len(batch))
    return rows
