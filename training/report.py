"""`recsys eval` as a function: protocols A, B and C on a collection's own vectors, with the
baselines that make them mean something (each modality alone, the untrained concatenation,
the paper's architecture) beside the collection's trained model.

The full study on the paper's data, with ablations and the published vectors, is
bench/fairouz_results.py (docs/results.md); this runs the same protocols on any catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from recsys.errors import CatalogError, RecsysError
from recsys.modalities import MODALITIES
from training.data import ModalityData, l2_rows
from training.evaluate import concat_cross_modal, concat_vectors, fold_groups, protocol_a, protocol_b, protocol_c
from training.pairs import PairConfig, mine_pairs, relevance_from_json
from training.train import TrainConfig, train_fusion


@dataclass
class EvalReport:
    relevance: str  # where protocol A's positives came from
    a: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # method -> variant -> metric
    b: dict[str, dict[str, float]] = field(default_factory=dict)  # method -> accuracy, macro_f1
    c: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # method -> modality -> metric
    folds: int = 0
    seed: int = 0  # of B's folds and of the models trained per fold
    folds_by: str = "track"  # what B's folds hold out together (training.evaluate.FOLD_UNITS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "relevance": self.relevance, "folds": self.folds, "folds_by": self.folds_by, "seed": self.seed,
            "A": self.a, "B": self.b, "C": self.c,
        }


def relevance_for(data: ModalityData, catalog_path: str | None) -> tuple[np.ndarray, str]:
    """The authors' pairs.json when the catalog is the paper's folder; otherwise the same
    mining on this collection (10-NN per modality: circular, as the paper's protocol is)."""
    if catalog_path:
        pairs = Path(catalog_path) / "pairs.json"
        if pairs.is_file():
            return relevance_from_json(pairs, data.track_ids), str(pairs)
    mined = mine_pairs(data, PairConfig(same_album=False, same_artist=False, playlists=False))
    return mined.positive_matrix(), "mined: 10 nearest neighbours per modality"


#: the authors' model whose metrics they published (../shared/fairouz/README.md)
PUBLISHED = "contraction_2_expansion4_51k_datapoints_200_epoch"


def published_fused(data: ModalityData, catalog_path: str | None) -> np.ndarray | None:
    """The paper's own fused vectors, in this collection's row order, when the catalog is the
    paper's folder and holds every track."""
    if not catalog_path:
        return None
    from recsys.catalog.fairouz import fairouz_ids

    folder = Path(catalog_path)
    path = folder / "paper_fused" / f"{PUBLISHED}.npy"
    if not path.is_file():
        return None
    try:
        row = {t: i for i, t in enumerate(fairouz_ids(folder))}
    except CatalogError:  # not the paper's folder (or a broken one): no published row
        return None
    if not all(t in row for t in data.track_ids):
        return None
    return np.load(path)[[row[t] for t in data.track_ids]].astype(np.float32)


def evaluate_collection(
    data: ModalityData,
    fused: np.ndarray | None,
    model: Any | None,
    catalog_path: str | None = None,
    folds: int = 5,
    config: TrainConfig = TrainConfig(),
    device: str | None = None,
    progress: Callable[[str], None] | None = None,
    folds_by: str = "track",
) -> EvalReport:
    """``fused``/``model``: the collection's current fused vectors and its trained model (None
    when untrained). B trains fresh models per fold (never the collection's: it saw every
    genre edge); ``config.seed`` draws its folds and seeds those models; ``folds_by``: what a
    fold holds out together (the paper's: single tracks)."""
    say = progress or (lambda s: None)
    groups = fold_groups(data.tracks, folds_by)
    if folds > 0 and groups is not None and len(set(groups)) < folds:
        raise RecsysError(
            f"the collection has {len(set(groups))} {folds_by} groups, too few for {folds} folds "
            f"held out by {folds_by}; use --folds {max(len(set(groups)), 2)} or --folds-by track"
        )
    rel, source = relevance_for(data, catalog_path)
    report = EvalReport(relevance=source, folds=folds, seed=config.seed, folds_by=folds_by)
    normed = data.normalised()
    rows: dict[str, np.ndarray] = {f"{m} alone": normed[m] for m in data.modalities}
    rows["concat, untrained"] = concat_vectors(data, MODALITIES)
    if fused is not None:
        rows["collection's fused vectors"] = fused
    published = published_fused(data, catalog_path)
    if published is not None:
        rows["paper, published fused vectors"] = published
    # a modality's own row ranks the tracks that have it (its A figures before 2026-11-27 counted
    # the others too, querying with zero vectors)
    present = {f"{m} alone": data.masks[m] for m in data.modalities}
    for name, vecs in rows.items():
        report.a[name] = {v: protocol_a(vecs, rel, v, present=present.get(name)) for v in ("clean", "authors")}
    report.c["concat, untrained"] = concat_cross_modal(data, MODALITIES)
    if model is not None:
        report.c["collection's model"] = protocol_c(model, data, fused=model.embed(data.vectors, data.masks))

    has_genres = sum(1 for g in data.first_genres() if g) >= 2 * folds
    if folds > 0 and has_genres:
        paper = TrainConfig.paper(threads=config.threads, seed=config.seed)

        def trained(cfg: TrainConfig):
            return lambda fd, train: train_fusion(fd, cfg, device, tracks=train)[0]

        methods: dict[str, Any] = {f"{m} alone": (lambda m: lambda fd, train: l2_rows(fd.vectors[m]))(m) for m in data.modalities}
        methods["concat, untrained"] = lambda fd, train: concat_vectors(fd, MODALITIES)
        methods["paper arch, trained per fold"] = trained(paper)
        methods["binding, trained per fold"] = trained(config)
        # a modality's own row: only the tracks that have it vote and are evaluated (the others
        # would stand in the vote as zero vectors)
        b = protocol_b(data, methods, folds=folds, seed=config.seed, progress=say, by=folds_by, present=present)
        for name, res in b.items():
            report.b[name] = {"accuracy": res.accuracy, "macro_f1": res.macro_f1}
            if res.cross_modal:
                report.c[f"{name} (held-out tracks)"] = res.cross_modal
    return report
