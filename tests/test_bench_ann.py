"""bench/bench_ann.py cannot rot: its engine code runs on a few hundred points (numpy, raw
Edge, the recsys store and one ANN library) and its recall is checked against the exact answers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_ann", ROOT / "bench" / "bench_ann.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_ann"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench_ann", None)


@pytest.fixture(scope="module")
def data(bench, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ann-data")
    return bench.make_dataset(500, 32, 20, seed=3, folder=folder)


def test_dataset_is_seeded_unit_and_filterable(bench, data, tmp_path):
    again = bench.make_dataset(500, 32, 20, seed=3, folder=tmp_path)
    assert np.array_equal(np.asarray(data.vectors), np.asarray(again.vectors))
    assert np.allclose(np.linalg.norm(data.vectors, axis=1), 1.0, atol=1e-5)
    assert data.genre.max() < bench.N_GENRES and data.artist.max() < 50
    # the positives of a recommend are one cluster's: closer to each other than to the negative
    sims = [(data.pos_vectors(i)[0] @ data.pos_vectors(i)[1], data.pos_vectors(i)[0] @ data.neg_vectors(i)[0]) for i in range(20)]
    assert np.mean([p > n for p, n in sims]) > 0.8


def test_best_score_ranks_winners_by_positive_and_losers_by_negative(bench):
    pos = np.array([[0.9, 0.1], [0.1, 0.3], [0.7, 0.0], [0.2, 0.0]])
    neg = np.array([[0.0], [0.1], [0.8], [0.9]])
    order = bench.top_k(bench.best_score(pos, neg), 4).tolist()
    # 0 and 1 are nearer a positive than the negative: ranked by their best positive; 2 has a
    # better positive than 1 but is nearer the negative, so it ranks below, above 3 (nearer still)
    assert order == [0, 1, 2, 3]


def test_recall_counts_overlap_and_ignores_padding(bench):
    truth = np.array([[1, 2, 3, 4], [5, 6, -1, -1]])
    assert bench.recall_at_k([[1, 2, 9, 8], [6, 5]], truth) == pytest.approx((0.5 + 1.0) / 2)


def test_engines_run_and_agree_with_the_exact_answers(bench, data, tmp_path):
    params = bench.Params(warmup=1)
    truth = bench.exact_answers(data, params.k)
    library = next((e for e in ("hnswlib", "faiss", "usearch", "voyager") if bench.available(e)), None)
    engines = ["numpy", "edge", "recsys"] + ([library] if library else [])
    for name in engines:
        if not bench.available(name):
            continue
        res = bench.run_engine(name, data, params, tmp_path / name)
        bench.score(res, truth)
        assert set(res.recall) == {"search", "recommend", "filtered"}
        floor = 1.0 if name == "numpy" else 0.8
        for kind, recall in res.recall.items():
            assert recall >= floor, (name, kind, recall)
        assert all(p50 <= p99 for p50, p99 in res.latency_ms.values())
        assert res.insert_s > 0 and res.peak_rss_mb > 0 and res.disk_mb > 0
        # every filtered answer holds only points of the asked genre
        for i, rows in enumerate(res.found["filtered"]):
            assert all(data.genre[r] == data.qgenre[i] for r in rows), name
    table = bench.markdown_table([res], data.dim, params)
    assert table.count("\n| ") >= 2 and "recall@10" in table
