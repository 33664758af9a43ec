"""Metrics on hand-made rankings, the fold logic of the held-out genre protocol, and (when
the Fairouz folder is present) the paper's published figures and our targets."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from recsys.catalog.model import TrackRecord
from recsys.encoders.graph import track_node
from training.data import DEFAULT_FAIROUZ, ModalityData, l2_rows, synthetic_clusters
from training.evaluate import (
    concat_vectors,
    fold_data,
    fold_graph,
    fold_groups,
    genre_folds,
    knn_vote,
    macro_f1,
    protocol_a,
    protocol_b,
    rank_metrics,
)

FAIROUZ = DEFAULT_FAIROUZ
needs_fairouz = pytest.mark.skipif(
    not (FAIROUZ / "ids.json").is_file(), reason=f"the Fairouz folder {FAIROUZ} is absent (it lives in ../shared)"
)


def test_rank_metrics_by_hand() -> None:
    ranked = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    relevant = [{2}, {99}, {7, 9}]
    m = rank_metrics(ranked, relevant, k=3)
    assert m["hr"] == pytest.approx(2 / 3)
    assert m["precision"] == pytest.approx((1 / 3 + 0 + 2 / 3) / 3)
    assert m["mrr"] == pytest.approx((1 / 2 + 0 + 1) / 3)
    d = [1 / math.log2(i + 2) for i in range(3)]
    ndcg_q1 = d[1] / d[0]
    ndcg_q3 = (d[0] + d[2]) / (d[0] + d[1])
    assert m["ndcg"] == pytest.approx((ndcg_q1 + 0 + ndcg_q3) / 3)


def test_rank_metrics_ideal_override_and_cutoff() -> None:
    # 5 relevant items but only 1 retrievable: the ideal DCG counts min(k, ideal) gains
    m = rank_metrics([[1, 2]], [{1, 10, 11, 12, 13}], k=2, ideal=[1])
    assert m["ndcg"] == pytest.approx(1.0)
    assert rank_metrics([[1, 2]], [{1, 10, 11, 12, 13}], k=2)["ndcg"] == pytest.approx(1 / (1 + 1 / math.log2(3)))
    # hits beyond k do not count
    assert rank_metrics([[5, 6, 1]], [{1}], k=2)["hr"] == 0.0


def test_protocol_a_variants_on_a_line() -> None:
    # four points on a line; relevant of 0 is 1, of 3 is 2 ...
    v = np.array([[0.0, 1.0], [0.1, 1.0], [1.0, 0.2], [1.0, 0.0]])
    rel = np.zeros((4, 4), dtype=bool)
    rel[0, 1] = rel[1, 0] = rel[2, 3] = rel[3, 2] = True
    clean = protocol_a(v, rel, "clean", k=1)
    assert clean == pytest.approx({"hr": 1.0, "precision": 1.0, "mrr": 1.0, "ndcg": 1.0})
    # the authors' variant ranks the query first: its neighbour comes second
    authors = protocol_a(v, rel, "authors", k=2)
    assert authors["mrr"] == pytest.approx(0.5) and authors["precision"] == pytest.approx(0.5)


def test_protocol_a_ranks_only_the_tracks_that_have_the_modality() -> None:
    """A track without text queried with a zero vector (its top 10: the first rows) and stood
    among the candidates as one: a modality's own row now ranks the tracks that have it."""
    v = np.array([[0.0, 1.0], [0.1, 1.0], [1.0, 0.2], [1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    rel = np.zeros((6, 6), dtype=bool)
    rel[0, 1] = rel[1, 0] = rel[2, 3] = rel[3, 2] = True
    rel[4, 0] = rel[5, 2] = True  # the two tracks without the modality have positives too
    present = np.array([True, True, True, True, False, False])
    assert protocol_a(v, rel, "clean", k=1, present=present) == pytest.approx(
        {"hr": 1.0, "precision": 1.0, "mrr": 1.0, "ndcg": 1.0})
    assert protocol_a(v, rel, "clean", k=1)["hr"] < 1.0  # the zero queries miss


def test_macro_f1_and_vote() -> None:
    assert macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"]) == pytest.approx((2 / 3 + 0.8) / 2)
    # a predicted label never true counts as a class with F1 0
    assert macro_f1(["a"], ["c"]) == 0.0
    train = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    labels = ["x", "x", "y", "y"]
    assert knn_vote(train, labels, np.array([[1.0, 0.05], [0.05, 1.0]]), k=3) == ["x", "y"]
    # 2-2 tie: the label with the larger summed similarity wins
    assert knn_vote(train, labels, np.array([[1.0, 0.2]]), k=4) == ["x"]


def _tiny_tracks() -> list[TrackRecord]:
    genres = ["Rock", "Pop", "Jazz", "Rock", "Pop", "Jazz", "Metal", "Rock"]
    return [
        TrackRecord(
            track_id=f"t{i}", title=f"T{i}", artist=f"A{i % 3}", album=f"B{i % 4}",
            genres=(genres[i],) + (("Blues",) if i % 2 else ()),
        )
        for i in range(8)
    ]


def test_genre_folds_partition() -> None:
    folds = genre_folds(23, 5, seed=0)
    assert sorted(np.concatenate(folds).tolist()) == list(range(23))
    assert [len(f) for f in folds] == [5, 5, 5, 4, 4]
    assert all((a == b).all() for a, b in zip(folds, genre_folds(23, 5, seed=0)))


def _artist_tracks(artists: int = 10, per: int = 6, genres: int = 5) -> list[TrackRecord]:
    """``per`` tracks by each artist; an artist's tracks share one genre."""
    return [
        TrackRecord(track_id=f"a{a}t{j}", title=f"T{a}.{j}", artist=f"Artist {a}", album=f"Album {a}.{j % 2}",
                    genres=(f"g{a % genres}",))
        for a in range(artists) for j in range(per)
    ]


def test_grouped_folds_hold_out_whole_groups() -> None:
    tracks = _artist_tracks(artists=7, per=4) + [TrackRecord(track_id=f"solo{i}", title="S", artist="") for i in range(5)]
    tracks[0] = replace(tracks[0], artist="  artist   0 ")  # the graph's artist node: case and spacing folded
    groups = fold_groups(tracks, "artist")
    assert groups is not None and groups[0] == groups[1] == "artist:artist 0"
    assert len({g for g in groups if g.startswith("track:")}) == 5  # no shared "unknown" artist
    folds = genre_folds(len(tracks), 3, seed=0, groups=groups)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(tracks)))
    fold_of = {i: f for f, held in enumerate(folds) for i in held.tolist()}
    for g in set(groups):
        assert len({fold_of[i] for i, x in enumerate(groups) if x == g}) == 1, g
    sizes = [len(f) for f in folds]
    assert max(sizes) - min(sizes) <= 4  # balanced within one group's size
    assert all((a == b).all() for a, b in zip(folds, genre_folds(len(tracks), 3, seed=0, groups=groups)))
    assert any((a != b).any() for a, b in zip(folds, genre_folds(len(tracks), 3, seed=1, groups=groups)))
    assert fold_groups(tracks, "track") is None
    album = fold_groups(tracks, "album")
    assert album is not None and album[0] != album[1] and album[0] == album[2]
    with pytest.raises(ValueError, match="cannot fill"):
        genre_folds(4, 5, groups=["a", "a", "b", "b"])
    with pytest.raises(ValueError, match="known: track, artist, album"):
        fold_groups(tracks, "label")


def test_artist_folds_remove_the_artist_leak() -> None:
    """Vectors that know only who the artist is: by track, the artist's other songs vote for
    the held-out one and the genre looks learnt; held out by artist, nothing is left to say it."""
    tracks = _artist_tracks(per=15)  # by track, at least 10 of an artist's songs stay to vote
    artist = np.array([int(t.artist.split()[-1]) for t in tracks])
    onehot = np.eye(10, dtype=np.float32)[artist]
    data = ModalityData(tuple(tracks), {"audio": onehot}, {"audio": np.ones(len(tracks), dtype=bool)})
    method = {"artist id": lambda fd, train: l2_rows(fd.vectors["audio"])}
    by_track = protocol_b(data, method, folds=5, seed=0)["artist id"].accuracy
    by_artist = protocol_b(data, method, folds=5, seed=0, by="artist")["artist id"].accuracy
    assert by_track == 1.0 and by_artist < 0.5, (by_track, by_artist)


def test_evaluate_collection_refuses_fewer_groups_than_folds() -> None:
    from recsys.errors import RecsysError
    from training.report import evaluate_collection

    tracks = _artist_tracks(artists=3, per=4)
    data = ModalityData(tuple(tracks), {"audio": np.eye(12, dtype=np.float32)}, {"audio": np.ones(12, dtype=bool)})
    with pytest.raises(RecsysError, match="has 3 artist groups, too few for 5 folds held out by artist; use --folds 3"):
        evaluate_collection(data, None, None, folds=5, folds_by="artist")


def test_protocol_b_rows_of_one_modality_use_only_the_tracks_that_have_it() -> None:
    """A track without the modality has a zero vector: as a query its top 10 are the first
    rows, as a voter it stands in every vote. Its modality's row leaves it out."""
    tracks = [TrackRecord(track_id=f"t{i:02d}", title="T", artist=f"A{i}", genres=(f"g{i % 3}",)) for i in range(60)]
    rng = np.random.default_rng(0)
    genre = np.array([i % 3 for i in range(60)])
    vectors = np.eye(3, dtype=np.float32)[genre] + rng.normal(scale=0.05, size=(60, 3)).astype(np.float32)
    has = np.ones(60, dtype=bool)
    has[::4] = False
    vectors[~has] = 0.0
    data = ModalityData(tuple(tracks), {"text": vectors}, {"text": has})
    method = {"text alone": lambda fd, train: l2_rows(fd.vectors["text"])}
    everyone = protocol_b(data, method, folds=3, seed=0)["text alone"].accuracy
    present = protocol_b(data, method, folds=3, seed=0, present={"text alone": has})["text alone"].accuracy
    assert present == 1.0 and everyone < 0.9, (present, everyone)


def test_fold_graph_never_holds_a_held_out_genre_edge() -> None:
    tracks = _tiny_tracks()
    for held in genre_folds(len(tracks), 3, seed=1):
        ids = [tracks[i].track_id for i in held]
        g = fold_graph(tracks, ids)
        for i, t in enumerate(tracks):
            genre_nbrs = [n for n in g.neighbors(track_node(t.track_id)) if n.startswith("genre:")]
            if i in held:
                assert genre_nbrs == [], (t.track_id, genre_nbrs)
            else:
                assert len(genre_nbrs) == len(t.genres)  # training tracks keep theirs
            assert any(n.startswith("artist:") for n in g.neighbors(track_node(t.track_id)))


def test_fold_vectors_do_not_depend_on_held_out_genres() -> None:
    """Changing the held-out tracks' genres changes no vector of the fold: the label cannot
    leak into any graph vector, held-out or training."""
    tracks = _tiny_tracks()
    rng = np.random.default_rng(0)
    vectors = {"audio": rng.normal(size=(8, 4)).astype(np.float32)}
    data = ModalityData(tuple(tracks), vectors, {"audio": np.ones(8, dtype=bool)})
    held = np.array([0, 5])
    swapped = list(tracks)
    for i in held:
        swapped[i] = replace(tracks[i], genres=("Opera", "Metal"))
    a = fold_data(data, held)
    b = fold_data(replace(data, tracks=tuple(swapped)), held)
    np.testing.assert_array_equal(a.vectors["graph"], b.vectors["graph"])
    np.testing.assert_array_equal(a.alternates["graph"], b.alternates["graph"])


def test_protocol_b_methods_see_only_training_rows() -> None:
    data = synthetic_clusters(n=60, clusters=3, seed=1)
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    def spy(fd: ModalityData, train: np.ndarray) -> np.ndarray:
        seen.append((train, fd.vectors["graph"]))
        return concat_vectors(fd, ["text", "image", "audio"])

    res = protocol_b(data, {"spy": spy}, folds=3, seed=0)
    assert len(seen) == 3
    for (train, _), held in zip(seen, genre_folds(60, 3, seed=0)):
        assert not set(train.tolist()) & set(held.tolist())
        assert len(train) + len(held) == 60
    # clustered content: the vote is far above chance (1/3)
    assert res["spy"].accuracy > 0.8 and 0 < res["spy"].macro_f1 <= 1


@needs_fairouz
def test_protocol_a_reproduces_the_published_figures() -> None:
    from training.data import load_fairouz
    from training.pairs import relevance_from_json

    data = load_fairouz(FAIROUZ)
    rel = relevance_from_json(FAIROUZ / "pairs.json", data.track_ids)
    fused = np.load(FAIROUZ / "paper_fused" / "contraction_2_expansion4_51k_datapoints_200_epoch.npy")
    authors = protocol_a(fused, rel, "authors")
    assert authors["precision"] == pytest.approx(0.3281, abs=5e-4)
    assert authors["hr"] == pytest.approx(0.9307, abs=5e-4)
    assert authors["mrr"] == pytest.approx(0.3615, abs=5e-4)
    assert authors["ndcg"] == pytest.approx(0.3218, abs=5e-4)  # the notebook's torchmetrics figure
    clean = protocol_a(fused, rel, "clean")
    assert clean == pytest.approx({"hr": 0.929, "precision": 0.328, "mrr": 0.627, "ndcg": 0.361}, abs=1e-3)
    concat = protocol_a(concat_vectors(data, ["text", "image", "audio", "graph"]), rel, "clean")
    assert concat == pytest.approx({"hr": 1.0, "precision": 0.633, "mrr": 0.949, "ndcg": 0.699}, abs=1e-3)


@needs_fairouz
@pytest.mark.slow
def test_default_model_meets_the_fairouz_targets() -> None:
    from training.data import load_fairouz
    from training.evaluate import protocol_c
    from training.pairs import relevance_from_json
    from training.train import TrainConfig, train_fusion

    data = load_fairouz(FAIROUZ)
    rel = relevance_from_json(FAIROUZ / "pairs.json", data.track_ids)
    cfg = TrainConfig(threads=2)
    model, _ = train_fusion(data, cfg)
    a = protocol_a(model.embed(data.vectors, data.masks), rel, "clean")
    assert a["precision"] >= 0.65 and a["hr"] >= 0.99, a
    c = protocol_c(model, data)
    assert c["image"]["recall@10"] >= 0.5 and c["audio"]["recall@10"] >= 0.5, c
    b = protocol_b(data, {"binding": lambda fd, train: train_fusion(fd, cfg, tracks=train)[0]})
    assert b["binding"].accuracy >= 0.72, b["binding"]


def test_published_fused_rows_follow_the_collection(tmp_path) -> None:
    """The paper's fused vectors are read in ids.json's order and handed back in the
    collection's; anything but the paper's whole folder gives none (no crash)."""
    from training.report import PUBLISHED, published_fused

    (tmp_path / "paper_fused").mkdir()
    np.save(tmp_path / "paper_fused" / f"{PUBLISHED}.npy", np.arange(6, dtype=np.float32).reshape(3, 2))
    (tmp_path / "ids.json").write_text('["x", "y", "z"]')
    tracks = tuple(TrackRecord(track_id=t, title=t, artist="a") for t in ["z", "x"])
    data = ModalityData(tracks, {"audio": np.ones((2, 2), dtype=np.float32)}, {"audio": np.ones(2, dtype=bool)})
    np.testing.assert_array_equal(published_fused(data, str(tmp_path)), [[4, 5], [0, 1]])
    assert published_fused(data, None) is None
    other = replace(data, tracks=(tracks[0], TrackRecord(track_id="w", title="w", artist="a")))
    assert published_fused(other, str(tmp_path)) is None  # a track the paper never had
    (tmp_path / "ids.json").write_text('["x", "x", "z"]')
    assert published_fused(data, str(tmp_path)) is None
    (tmp_path / "ids.json").unlink()
    assert published_fused(data, str(tmp_path)) is None


def test_eval_tables_show_both_variants_of_a_whole() -> None:
    """The authors' variant is the one the paper's figures compare with: all four of its
    metrics are shown, not its P@10 alone, and the paper's figures only beside its own pairs."""
    from training.eval_job import CollectionEval, eval_tables
    from training.report import EvalReport

    clean = {"hr": 0.9, "precision": 0.5, "mrr": 0.7, "ndcg": 0.6}
    authors = {"hr": 0.95, "precision": 0.33, "mrr": 0.36, "ndcg": 0.32}
    for relevance, mentions_paper in (("/data/fairouz/pairs.json", True), ("mined: 10 nearest neighbours per modality", False)):
        report = EvalReport(relevance=relevance, a={"fused": {"clean": clean, "authors": authors}})
        a_clean, a_authors = [t for t in eval_tables(CollectionEval("c", 10, report)) if not isinstance(t, str)][:2]
        assert a_clean.rows == [["fused", "0.900", "0.500", "0.700", "0.600"]]
        assert a_authors.rows == [["fused", "0.950", "0.330", "0.360", "0.320"]]
        assert [h for h, _ in a_authors.columns] == ["vectors", "HR@10", "P@10", "MRR@10", "nDCG@10"]
        assert ("P@10 0.328" in a_authors.title) == mentions_paper


def test_twin_vectors_score_alike_bit_for_bit() -> None:
    """BLAS gives identical rows different last bits by where they sit in memory, which moved
    between runs: which of two tracks with one cover ranked first (C's recall@1), the mined
    pairs and every model trained on them. Twins now tie exactly and the lower row wins."""
    from training.data import tied_scores
    from training.evaluate import _self_retrieval
    from training.pairs import PairConfig, mine_pairs

    rng = np.random.default_rng(0)
    t = l2_rows(rng.normal(size=(822, 512)))
    twins = np.arange(1, 822, 7)
    t[twins] = t[0]
    q = l2_rows(rng.normal(size=(300, 512)))
    s = tied_scores(q, t)
    assert (s[:, twins] == s[:, [0]]).all()
    np.testing.assert_allclose(s, q @ t.T, atol=1e-5)

    # each twin asked for itself: the first twin comes first for all of them
    labels = [None] * 822
    r1 = _self_retrieval(t[twins], t, twins, labels, 10)["recall@1"]
    assert r1 == 0.0 and (np.argsort(-tied_scores(t[twins], t), axis=1, kind="stable")[:, 0] == 0).all()

    # mining: a twin's 10 nearest are the 10 lowest other twins, every time
    tracks = tuple(TrackRecord(track_id=f"t{i:03d}", title="T", artist=f"A{i}") for i in range(822))
    data = ModalityData(tracks, {"image": t}, {"image": np.ones(822, dtype=bool)})
    pairs = mine_pairs(data, PairConfig(same_album=False, same_artist=False, playlists=False, negative_sample=0))
    partners = sorted(int(o) for a, o in zip(pairs.anchor, pairs.other) if a == 0)
    assert partners == sorted(twins[:10].tolist())


@pytest.mark.parametrize("twins", [True, False], ids=["with twins", "all distinct"])
def test_subset_scores_are_the_subsets_own_tied_scores_bit_for_bit(twins: bool) -> None:
    """Mining's negatives score each anchor against its own random sample: TiedSubsetScorer
    finds the matrix's distinct rows once (a TiedScorer per anchor sorted each sample, 13.5 of
    14 s of mining Fairouz) and must give each sample tied_scores' very bits, or the mined
    pairs, and every model trained on them, would change."""
    from training.data import TiedSubsetScorer, tied_scores

    rng = np.random.default_rng(3)
    m = l2_rows(rng.normal(size=(300, 96)))
    if twins:
        m[np.arange(5, 300, 4)] = m[1]
        m[np.arange(7, 300, 9)] = m[2]
    scorer = TiedSubsetScorer(m)
    q = l2_rows(rng.normal(size=(3, 96)))
    for _ in range(50):
        rows = rng.choice(300, 64, replace=False)
        got, want = scorer(q, rows), tied_scores(q, m[rows])
        assert got.dtype == want.dtype and np.array_equal(got, want)
