"""Where recsys keeps its data and which store it talks to; every option falls back to an
environment variable so scripts and containers can set them once.

The layout of the data folder (``RECSYS_HOME``) is spelled here and nowhere else::

    store/              the embedded Qdrant Edge store (unless a Qdrant URL is set)
    cache/embeddings/   encoder outputs, reused across ingests
    models/<collection> the embedded store's collection's fusion checkpoints (v1, v2, ...,
                        projection-*), and a catalog's trained by `train --catalog` (catalog-v1, ...)
    models/@<server>/<collection>
                        a Qdrant server's collection's (``server_folder``: "@db.example_6333")
    cache/tags/         what a music folder's files' tags gave, by size and mtime
    covers/             cover pictures extracted from audio files
    sample-catalog/     the generated sample catalog
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from recsys.errors import RecsysError

MEMORY = ":memory:"

#: The folders under a collection's models folder (``Settings.models_dir``) that are its own:
#: ``recsys train``'s checkpoints (v<N>) and a compact fused vector's projection (projection-*).
#: ``recsys train --catalog`` keeps a catalog's checkpoints (catalog-v<N>) in the folder of the
#: catalog's name, which an embedded collection of that name shares: they are no store's.
CHECKPOINT_PREFIX = "v"
PROJECTION_PREFIX = "projection-"
CATALOG_CHECKPOINT_PREFIX = "catalog-v"


class SettingError(RecsysError):
    """A setting has a value of the wrong form: a usage error (the CLI exits 2)."""

    exit_code = 2


def check_qdrant_url(url: str, source: str = "--qdrant-url") -> str:
    """``url`` stripped, when it is ``http(s)://host[:port][/path]`` or ``:memory:``; else a
    ``SettingError`` naming ``source`` (and the URL it probably meant). A folder is never a
    Qdrant URL: the embedded store's folder is ``home``."""
    value = url.strip()
    if value == MEMORY or _is_http_url(value):
        return value
    hint = "a Qdrant URL is http(s)://host[:port][/path] or :memory:; the embedded store's folder is --home"
    if "://" not in value and _is_http_url(f"http://{value}") and _looks_like_host(value):
        hint = f"did you mean http://{value}?"
    raise SettingError(f"{source} '{url}' is not a URL; {hint}")


def _is_http_url(value: str) -> bool:
    if not value or any(c.isspace() for c in value):
        return False
    try:
        u = urlsplit(value)
        u.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        return False
    return (
        u.scheme.lower() in ("http", "https")
        and bool(u.hostname)
        and not u.username
        and not u.query
        and not u.fragment
        and not value.endswith(":")
    )


def _looks_like_host(value: str) -> bool:
    """``localhost``, ``qdrant.example.com``, ``10.0.0.5:6333``, ``db:6333/prefix``: a host
    with a port, a dot or the name localhost, not a lone word or a path."""
    m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9.-]*)(:\d{1,5})?(/\S*)?", value)
    if m is None:
        return False
    host = m.group(1)
    return bool(m.group(2)) or "." in host.strip(".") or host.lower() == "localhost"


def server_folder(url: str) -> str:
    """The folder of a Qdrant server's models under ``models/``: its host, port and path,
    "http://DB.example:6333/qdrant" -> "@db.example_6333_qdrant" (":memory:" -> "@memory").
    The '@' keeps it apart from the embedded store's collections' folders: a collection's name
    starts with a letter or a digit (``store.filters.check_collection_name``)."""
    if url.strip() == MEMORY:
        return "@memory"
    u = urlsplit(url.strip())
    named = [(u.hostname or "").lower(), str(u.port or ""), u.path.strip("/")]
    # each part path-safe on its own ("/" of a path, ":" of an IPv6 host), joined by "_"
    safe = [re.sub(r"[^A-Za-z0-9.-]+", "-", p) for p in named if p]
    return "@" + ("_".join(safe) or "server")


@dataclass(frozen=True)
class Settings:
    home: Path
    qdrant_url: str | None = None
    #: read from the environment only, never printed
    qdrant_api_key: str | None = None

    @classmethod
    def from_env(cls, home: Path | None = None, qdrant_url: str | None = None) -> "Settings":
        """Raises ``SettingError`` when the Qdrant URL (the argument, else
        ``RECSYS_QDRANT_URL``) is not ``http(s)://...`` or ``:memory:``."""
        if qdrant_url:
            url: str | None = check_qdrant_url(qdrant_url, "--qdrant-url")
        elif os.environ.get("RECSYS_QDRANT_URL", "").strip():
            url = check_qdrant_url(os.environ["RECSYS_QDRANT_URL"], "RECSYS_QDRANT_URL")
        else:
            url = None
        return cls(
            home=Path(home or os.environ.get("RECSYS_HOME") or "./recsys-data"),
            qdrant_url=url,
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
        """The fusion checkpoints of collection ``collection`` of this store: ``models/<name>``
        for the embedded store (where they always were), ``models/@<server>/<name>`` for a
        Qdrant server. A server's collection may share its name with the embedded store's, and
        one folder for both made one's ``recsys train`` overwrite the other's ``v1`` and
        ``recsys drop`` of one delete the other's models. A collection finds its model by the
        absolute path its metadata records, so models trained before stay found where they are."""
        if self.qdrant_url is None:
            return self.home / "models" / collection
        return self.home / "models" / server_folder(self.qdrant_url) / collection

    def catalog_models_dir(self, catalog: str) -> Path:
        """The checkpoints ``recsys train --catalog`` trains on a catalog folder's published
        vectors, by the catalog's name (no store is involved)."""
        return self.home / "models" / catalog

    @property
    def sample_catalog_dir(self) -> Path:
        return self.home / "sample-catalog"

    @property
    def cover_cache(self) -> Path:
        return self.home / "covers"

    @property
    def tag_cache(self) -> Path:
        return self.home / "cache" / "tags"
