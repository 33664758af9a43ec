"""Where recsys keeps its data and which store it talks to; every option falls back to an
environment variable so scripts and containers can set them once.

The layout of the data folder (``RECSYS_HOME``) is spelled here and nowhere else::

    store/              the embedded Qdrant Edge store (unless a Qdrant URL is set)
    cache/embeddings/   encoder outputs, reused across ingests
    models/<collection> fusion checkpoints (v1, v2, ... and catalog-v1, ...)
    covers/             cover pictures extracted from audio files
    sample-catalog/     the generated sample catalog
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    qdrant_url: str | None = None
    #: read from the environment only, never printed
    qdrant_api_key: str | None = None

    @classmethod
    def from_env(cls, home: Path | None = None, qdrant_url: str | None = None) -> "Settings":
        return cls(
            home=Path(home or os.environ.get("RECSYS_HOME") or "./recsys-data"),
            qdrant_url=qdrant_url or os.environ.get("RECSYS_QDRANT_URL") or None,
            qdrant_api_key=os.environ.get("RECSYS_QDRANT_API_KEY") or None,
        )

    @property
    def store_dir(self) -> Path:
        """The embedded store's folder (unused when a Qdrant URL is set)."""
        return self.home / "store"

    @property
    def store_location(self) -> str:
        """A URL (remote Qdrant) or the embedded store's folder."""
        return self.qdrant_url or str(self.store_dir)

    @property
    def store_label(self) -> str:
        return self.qdrant_url or f"embedded Qdrant Edge at {self.store_dir}"

    @property
    def embedding_cache_dir(self) -> Path:
        return self.home / "cache" / "embeddings"

    def models_dir(self, collection: str) -> Path:
        """The fusion checkpoints trained for a collection (or a catalog, by its name)."""
        return self.home / "models" / collection

    @property
    def sample_catalog_dir(self) -> Path:
        return self.home / "sample-catalog"

    @property
    def cover_cache(self) -> Path:
        return self.home / "covers"
