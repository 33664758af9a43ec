"""`recsys eval` as functions: read what a stored collection holds (``read_collection``), run
protocols A, B and C on it (``eval_collection``), and lay the result out as tables of plain
strings (``eval_tables``) for a front end to draw.

Reading and evaluating are two steps so that the caller can close the store in between: the
embedded store locks its WAL while open, and B trains models for minutes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np

from recsys.collection import CollectionMeta
from recsys.modalities import FUSED
from recsys.store.base import StoreBackend
from training.data import ModalityData
from training.report import EvalReport, evaluate_collection
from training.store_data import data_from_store
from training.train import TrainConfig


@dataclass
class CollectionVectors:
    """A collection's vectors and what its metadata says about them, read from the store."""

    collection: str
    data: ModalityData
    #: the current fused vectors in ``data``'s row order (None when the collection has none)
    fused: np.ndarray | None
    #: the trained fusion model's checkpoint (None while untrained)
    checkpoint: str | None
    catalog_path: str | None
    #: the named vector that holds the fused space scored ("fused_v2" after two trainings)
    fused_vector: str = ""


@dataclass
class CollectionEval:
    collection: str
    tracks: int
    report: EvalReport
    #: what "collection's fused vectors" and "collection's model" were: the named vector and
    #: the checkpoint (None while untrained), so a figure says which training it measured
    fused_vector: str = ""
    checkpoint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return self.report.as_dict() | {
            "collection": self.collection, "tracks": self.tracks,
            "fused": {"vector": self.fused_vector, "checkpoint": self.checkpoint},
        }


@dataclass
class TableData:
    title: str
    #: (header, "left" or "right")
    columns: list[tuple[str, str]]
    rows: list[list[str]]


def read_collection(backend: StoreBackend, collection: str) -> CollectionVectors:
    spec = backend.get_spec(collection)
    meta = CollectionMeta.from_dict(spec.metadata)
    data = data_from_store(backend, collection)
    fused_name = meta.physical(FUSED)
    stored = {p.track_id: p.vectors[fused_name] for p in backend.scroll(collection, using=fused_name)}
    dim = spec.vectors.get(fused_name, 0)
    fused = np.stack([stored.get(t, np.zeros(dim, dtype=np.float32)) for t in data.track_ids]) if stored else None
    checkpoint = meta.fused.checkpoint if meta.fused.kind == "model" and meta.fused.checkpoint else None
    return CollectionVectors(collection, data, fused, checkpoint, meta.catalog_path, fused_name)


def eval_collection(
    vectors: CollectionVectors,
    folds: int = 5,
    threads: int | None = None,
    device: str | None = None,
    progress: Callable[[str], None] | None = None,
    seed: int = 0,
    folds_by: str = "track",
) -> CollectionEval:
    """Protocols A, B (``folds`` folds holding out ``folds_by`` groups, split by ``seed``; 0
    skips it) and C on a collection read by ``read_collection``, with its trained model when
    it has one."""
    data = vectors.data
    model = None
    if vectors.checkpoint:
        from recsys.fusion.model import FusionModel

        model = FusionModel.load(vectors.checkpoint, expected_dims=data.dims)
    report = evaluate_collection(
        data, vectors.fused, model, vectors.catalog_path, folds, replace(TrainConfig(), threads=threads, seed=seed), device,
        progress=progress, folds_by=folds_by,
    )
    return CollectionEval(vectors.collection, data.n, report, vectors.fused_vector, vectors.checkpoint)


def eval_tables(result: CollectionEval) -> list[TableData | str]:
    """The report as tables (and a line where B was skipped), in the order to show them."""
    report, out = result.report, []
    metrics = ("hr", "precision", "mrr", "ndcg")
    headers = [(c, "right") for c in ("HR@10", "P@10", "MRR@10", "nDCG@10")]
    out.append(TableData(
        f"A: pair retrieval on '{result.collection}' ({result.tracks} tracks; its fused vectors: "
        f"{result.fused_vector or 'none'}; positives: {report.relevance}); cosine, the query left out",
        [("vectors", "left")] + headers,
        [[method, *(f"{v['clean'][m]:.3f}" for m in metrics)] for method, v in report.a.items()],
    ))
    # the variant the paper's figures were computed with, so they can be set side by side
    paper = (": the paper's published model scored P@10 0.328, HR@10 0.931, MRR@10 0.361, nDCG@10 0.322"
             if report.relevance.endswith("pairs.json") else "")
    out.append(TableData(
        f"A, the authors' variant (L2, the query ranks itself first, nDCG's ideal over the top 50){paper}",
        [("vectors", "left")] + headers,
        [[method, *(f"{v['authors'][m]:.3f}" for m in metrics)] for method, v in report.a.items()],
    ))
    if report.b:
        out.append(TableData(
            f"B: held-out genre, {report.folds} folds by {report.folds_by}, 10-NN vote",
            [("vectors", "left"), ("accuracy", "right"), ("macro-F1", "right")],
            [[method, f"{v['accuracy']:.3f}", f"{v['macro_f1']:.3f}"] for method, v in report.b.items()],
        ))
    else:
        out.append("B: skipped (--folds 0, or too few tracks with a genre)")
    out.append(TableData(
        "C: one modality alone into the fused space, the track itself among all",
        [(c, "left") for c in ("model", "modality", "recall@1", "recall@10", "genre P@10")],
        [[method, m, f"{v['recall@1']:.3f}", f"{v['recall@10']:.3f}", f"{v['genre_p@10']:.3f}"]
         for method, per in report.c.items() for m, v in per.items()],
    ))
    return out
