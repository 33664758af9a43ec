"""The catalog: what a track is (``model``: ``TrackRecord``, ``Catalog``, the problems found
while reading), the readers that turn a manifest, the paper's Fairouz folder or a music folder
into a ``Catalog`` (``read_catalog`` picks one for a path), and the synthetic sample catalog
(``sample``). Nothing here encodes, stores or queries: it only reads and describes input.
"""

from __future__ import annotations

# The readers pull in mutagen and the manifest parsers; importing the track model alone
# (as the graph and training code do) must not, so the reader entry points are resolved on first use.
_READERS = {
    "catalog_kind": "recsys.catalog.detect",
    "find_manifest": "recsys.catalog.detect",
    "read_catalog": "recsys.catalog.detect",
    "read_fairouz": "recsys.catalog.fairouz",
    "catalog_name": "recsys.catalog.manifest",
    "read_manifest": "recsys.catalog.manifest",
    "read_music_folder": "recsys.catalog.musicdir",
}


def __getattr__(name: str):
    module = _READERS.get(name)
    if module is None:
        raise AttributeError(f"module 'recsys.catalog' has no attribute '{name}'")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = sorted(_READERS)
