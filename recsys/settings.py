"""Where recsys keeps its data and which store it talks to; every option falls back to an
environment variable so scripts and containers can set them once."""

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
    def store_location(self) -> str:
        """A URL (remote Qdrant) or the embedded store's folder."""
        return self.qdrant_url or str(self.home / "store")

    @property
    def store_label(self) -> str:
        return self.qdrant_url or f"embedded Qdrant Edge at {self.home / 'store'}"

    @property
    def sample_catalog_dir(self) -> Path:
        return self.home / "sample-catalog"

    @property
    def cover_cache(self) -> Path:
        return self.home / "covers"
