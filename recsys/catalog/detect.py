"""Pick the reader for a catalog path: manifest file, folder with a manifest, the Fairouz
dataset, or a plain folder of music files."""

from __future__ import annotations

import os
from pathlib import Path

from recsys.catalog.model import Catalog, file_problem
from recsys.errors import CatalogError
from recsys.catalog.fairouz import DEFAULT_GRAPH, is_fairouz_folder, read_fairouz
from recsys.catalog.manifest import MANIFEST_SUFFIXES, read_manifest
from recsys.catalog.musicdir import read_music_folder

MANIFEST_NAMES = tuple(f"manifest{suffix}" for suffix in MANIFEST_SUFFIXES)


def catalog_kind(path: Path | str) -> str:
    """"manifest", "fairouz" or "music-folder": what ``read_catalog`` would read at ``path``."""
    path = Path(path)
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", "replace")
        raise CatalogError(f"catalog path {shown} is not UTF-8 text; rename it") from None
    if not path.exists():
        problem = file_problem(path)  # a symlink loop does not "exist" either, but says why
        if problem == "file not found":
            raise CatalogError(f"catalog path {path} does not exist")
        raise CatalogError(f"catalog path {path}: {problem}")
    if not path.is_file() and not path.is_dir():  # a FIFO or a device: never opened
        raise CatalogError(f"{path}: {file_problem(path)}")
    if path.is_file():
        if path.suffix.lower() in MANIFEST_SUFFIXES:
            return "manifest"
        raise CatalogError(
            f"{path} is not a catalog: give a manifest (.jsonl or .csv) or a folder"
        )
    if find_manifest(path) is not None:
        return "manifest"
    if is_fairouz_folder(path):
        return "fairouz"
    return "music-folder"


def find_manifest(folder: Path) -> Path | None:
    """The folder's manifest.jsonl or manifest.csv; both at once is ambiguous, so an error."""
    present = [folder / name for name in MANIFEST_NAMES if (folder / name).is_file()]
    for name in MANIFEST_NAMES:
        candidate = folder / name
        if candidate not in present and os.path.lexists(candidate):
            problem = file_problem(candidate)
            if problem != "file not found":  # a FIFO, a device or a loop named manifest.*
                raise CatalogError(f"{candidate}: {problem}")
    if len(present) > 1:
        raise CatalogError(
            f"{folder} has both {' and '.join(p.name for p in present)}; pass the one to read"
        )
    return present[0] if present else None


def read_catalog(
    path: Path | str,
    *,
    precomputed: bool = False,
    cover_cache: Path,
    graph: str = DEFAULT_GRAPH,
    tag_cache: Path | None = None,
) -> Catalog:
    """Read any catalog.

    - a ``.jsonl``/``.csv`` file, or a folder holding ``manifest.jsonl``/``manifest.csv``:
      the manifest;
    - a folder with ``ids.json``, ``tracks.json`` and ``embeddings/``: the Fairouz dataset,
      whose published vectors (``graph`` picks the graph embedding) are loaded only with
      ``precomputed``;
    - any other folder: its audio files, embedded covers extracted into ``cover_cache``,
      what each file's tags gave kept in ``tag_cache`` (when given) for the next read.

    ``Catalog.name`` is the folder name as a slug, the collection name.
    """
    path = Path(path)
    kind = catalog_kind(path)
    if kind == "manifest":
        manifest = path if path.is_file() else find_manifest(path)
        assert manifest is not None
        return read_manifest(manifest)
    if kind == "fairouz":
        return read_fairouz(path, graph=graph, precomputed=precomputed)
    return read_music_folder(path, cover_cache, tag_cache)
