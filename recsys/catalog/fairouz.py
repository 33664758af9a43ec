"""The Fairouz reader: the paper's 822-track dataset, read in place (never copied).

``ids.json`` fixes the row order of every ``embeddings/*.npy``; ``tracks.json`` holds the
metadata. The audio previews and covers are URLs that cannot be fetched, so tracks carry no
files: their audio and image vectors can only come from the published embeddings.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from recsys.catalog.model import Catalog, CatalogProblem, TrackRecord, file_problem
from recsys.catalog.npy_rows import NpyRows
from recsys.errors import CatalogError
from recsys.modalities import AUDIO, GRAPH, IMAGE, TEXT
from recsys.catalog.manifest import catalog_name

#: modality -> (file under embeddings/, encoder name recorded with the vectors)
PUBLISHED: dict[str, tuple[str, str]] = {
    TEXT: ("text_mxbai_large.npy", "mxbai-embed-large-v1 (published)"),
    IMAGE: ("image_openclip_vitb32.npy", "openclip-vit-b-32-laion2b (published)"),
    AUDIO: ("audio_vggish.npy", "vggish (published)"),
}
DEFAULT_GRAPH = "randne"


def is_fairouz_folder(folder: Path) -> bool:
    """The layout of the published dataset: ids.json, tracks.json and embeddings/."""
    return (
        (folder / "ids.json").is_file()
        and (folder / "tracks.json").is_file()
        and (folder / "embeddings").is_dir()
    )


def graph_methods(folder: Path) -> list[str]:
    """The graph embeddings present: ``embeddings/graph_<method>.npy`` -> method."""
    return sorted(p.stem.removeprefix("graph_") for p in (folder / "embeddings").glob("graph_*.npy"))


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"Fairouz file {path} does not exist") from None
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: bad UTF-8 or JSON
        raise CatalogError(f"cannot read Fairouz file {path}: {exc}") from None


def fairouz_ids(folder: Path) -> list[str]:
    """The track ids of ``ids.json``, in the order of every embeddings row; CatalogError when
    it is missing, unreadable, not a list of ids, or repeats one."""
    ids = _load_json(folder / "ids.json")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise CatalogError(f"{folder / 'ids.json'}: expected a list of track ids")
    if len(set(ids)) != len(ids):
        raise CatalogError(f"{folder / 'ids.json'}: track ids repeat, rows cannot be matched")
    return ids


def _keywords(value: Any) -> tuple[str, ...]:
    """context/emotional: a list of keywords, or "" for tracks without lyrics."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    items = (str(v).strip() for v in value if isinstance(v, (str, int, float)))
    return tuple(dict.fromkeys(i for i in items if i))


def _record(track_id: str, meta: dict[str, Any]) -> TrackRecord:
    lyrics = meta.get("lyrics")
    lyrics = lyrics if isinstance(lyrics, dict) else {}
    genres = meta.get("genres")
    genres = genres if isinstance(genres, list) else []
    return TrackRecord(
        track_id=track_id,
        title=str(meta.get("track_title") or "").strip(),
        artist=str(meta.get("artist_name") or "").strip(),
        album=str(meta.get("album_name") or "").strip(),
        genres=tuple(dict.fromkeys(str(g).strip() for g in genres if str(g).strip())),
        lyrics=str(lyrics.get("lyrics") or ""),
        summary=str(lyrics.get("summary") or "").strip(),
        themes=_keywords(lyrics.get("context")),
        moods=_keywords(lyrics.get("emotional")),
        source=f"tracks.json:{track_id}",
    )


#: embeddings files at least this big are read row by row, not loaded
LAZY_BYTES = 256 * 2**20


def _load_matrix(path: Path, rows: int) -> np.ndarray:
    problem = file_problem(path)  # a FIFO would block np.load, a device never end it
    if problem is not None:
        raise CatalogError(f"cannot read Fairouz embeddings {path}: {problem}")
    try:
        # a large file's float32 rows are read when asked for (a million-track catalog's are
        # 7 GB): NpyRows; a small one is read whole, an array like any other
        matrix = NpyRows(path)
        if matrix.dtype != np.float32 or path.stat().st_size < LAZY_BYTES:
            matrix = np.load(path, allow_pickle=False)
    except ValueError:  # another layout (Fortran order, 1-D, objects): np.load says what
        try:
            matrix = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise CatalogError(f"cannot read Fairouz embeddings {path}: {exc}") from None
    except OSError as exc:
        raise CatalogError(f"cannot read Fairouz embeddings {path}: {exc}") from None
    if matrix.ndim != 2 or matrix.shape[0] != rows:
        raise CatalogError(
            f"Fairouz embeddings {path.name} have shape {matrix.shape}, expected ({rows}, dim)"
            " rows in the order of ids.json"
        )
    if isinstance(matrix, NpyRows):
        return matrix
    return np.ascontiguousarray(matrix, dtype=np.float32)


def read_fairouz(
    folder: Path | str, *, graph: str = DEFAULT_GRAPH, precomputed: bool = True
) -> Catalog:
    """Read the Fairouz dataset at ``folder``.

    With ``precomputed``, ``Catalog.precomputed`` holds the published text, image, audio and
    ``graph_<graph>`` vectors (row i = tracks[i]); all-zero rows (49 text rows: tracks without
    lyrics) are kept and mean "modality missing".
    """
    folder = Path(folder).absolute()
    if not is_fairouz_folder(folder):
        raise CatalogError(f"{folder} is not a Fairouz folder (needs ids.json, tracks.json, embeddings/)")
    ids = fairouz_ids(folder)
    meta = _load_json(folder / "tracks.json")
    if not isinstance(meta, dict):
        raise CatalogError(f"{folder / 'tracks.json'}: expected an object keyed by track id")

    tracks: list[TrackRecord] = []
    problems: list[CatalogProblem] = []
    for track_id in ids:
        entry = meta.get(track_id)
        if not isinstance(entry, dict):
            # Rows must stay aligned with the .npy files, so a gap is fatal, not skippable.
            raise CatalogError(f"{folder / 'tracks.json'}: no metadata for track '{track_id}' of ids.json")
        record = _record(track_id, entry)
        if not record.title or not record.artist:
            problems.append(CatalogProblem(record.source, "missing track_title or artist_name"))
            record = replace(
                record, title=record.title or track_id, artist=record.artist or "Unknown Artist"
            )
        tracks.append(record)

    catalog = Catalog(
        name=catalog_name(folder), root=folder, kind="fairouz", tracks=tracks, problems=problems
    )
    if precomputed:
        methods = graph_methods(folder)
        if graph not in methods:
            raise CatalogError(
                f"no Fairouz graph embedding '{graph}'; choose one of: {', '.join(methods) or 'none'}"
            )
        files = {**PUBLISHED, GRAPH: (f"graph_{graph}.npy", f"karateclub-{graph} (published)")}
        for modality, (file_name, encoder) in files.items():
            catalog.precomputed[modality] = _load_matrix(folder / "embeddings" / file_name, len(ids))
            catalog.precomputed_encoders[modality] = encoder
    return catalog
