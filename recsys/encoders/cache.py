"""A per-encoder embedding cache on disk, keyed by input content hash, so re-ingesting after a
change of one encoder re-encodes only that modality (and a moved or renamed file costs
nothing). One SQLite file per encoder identity (name, model, dim)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path
from typing import Iterable

import numpy as np

from recsys.encoders.base import EncoderInfo


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, folder: Path, info: EncoderInfo):
        self.info = info
        slug = re.sub(r"[^a-z0-9_.-]+", "-", f"{info.modality}-{info.name}-{info.dim}".lower()).strip("-")
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{slug}.sqlite"
        # the model id is in the table, so a registry name reused for another model never
        # serves stale vectors
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))")

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, np.ndarray] = {}
        for s in range(0, len(keys), 500):
            chunk = keys[s : s + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})", [self.info.model, *chunk]
            )
            for key, blob in rows:
                v = np.frombuffer(blob, dtype=np.float32)
                if v.shape == (self.info.dim,):
                    out[key] = v.copy()
        return out

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO vectors (model, key, vec) VALUES (?, ?, ?)",
            [(self.info.model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
        )
        self.db.commit()

    def close(self) -> None:
        self.db.close()
