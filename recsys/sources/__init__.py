"""Catalog sources: readers that turn a manifest, the Fairouz dataset or a music folder into
a ``Catalog``. ``read_catalog`` picks the right one for a path."""

from recsys.sources.detect import catalog_kind, find_manifest, read_catalog
from recsys.sources.fairouz import read_fairouz
from recsys.sources.manifest import catalog_name, read_manifest
from recsys.sources.musicdir import read_music_folder

__all__ = [
    "catalog_kind",
    "catalog_name",
    "find_manifest",
    "read_catalog",
    "read_fairouz",
    "read_manifest",
    "read_music_folder",
]
