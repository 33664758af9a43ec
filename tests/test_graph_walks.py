"""DeepWalk on the catalog graph: walks, determinism, sense, and its incremental contract."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.catalog.model import TrackRecord
from recsys.encoders.graph import build_graph, track_node
from recsys.encoders.deepwalk import DeepWalk

pytest.importorskip("gensim")


def _tracks(n_per_genre: int = 6) -> list[TrackRecord]:
    tracks = []
    for genre in ("ambient", "metal", "jazz"):
        for i in range(n_per_genre):
            artist = f"{genre}-artist-{i % 2}"
            tracks.append(
                TrackRecord(
                    track_id=f"{genre}{i}", title=f"t{i}", artist=artist, album=f"{artist}-album",
                    genres=(genre,), tags=(f"{genre}-tag",), playlists=(f"pl-{genre}",),
                )
            )
    return tracks


SMALL = dict(dim=32, walk_length=20, walks_per_node=8, epochs=5)


@pytest.fixture(scope="module")
def graph():
    return build_graph(_tracks())


@pytest.fixture(scope="module")
def fitted(graph):
    return DeepWalk(**SMALL).fit(graph)


def test_walks_follow_edges_and_cover_every_node(graph):
    walks = DeepWalk(**SMALL).walks(graph)
    assert len(walks) == graph.number_of_nodes() * SMALL["walks_per_node"]
    assert {w[0] for w in walks} == set(graph.nodes)
    for w in walks[:200]:
        assert len(w) == SMALL["walk_length"]
        assert all(graph.has_edge(a, b) for a, b in zip(w, w[1:]))


def test_walks_follow_edge_weights():
    import networkx as nx

    g = nx.Graph()
    g.add_edge("a", "heavy", weight=9.0)
    g.add_edge("a", "light", weight=1.0)
    walks = DeepWalk(walk_length=2, walks_per_node=2000, seed=1).walks(g)
    seconds = [w[1] for w in walks if w[0] == "a"]
    assert 0.85 < seconds.count("heavy") / len(seconds) < 0.95


def test_same_seed_same_vectors_and_sense(graph, fitted):
    ids = [t.track_id for t in _tracks()]
    e = fitted.embed_tracks(graph, ids)
    assert e.shape == (18, 32) and e.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(DeepWalk(**SMALL).embed_tracks(graph, ids), e)  # fits on first use
    sims = e @ e.T
    same = np.mean([sims[0, j] for j in range(1, 6)])
    other = np.mean([sims[0, j] for j in range(6, 18)])
    assert same > other + 0.2
    assert DeepWalk(**SMALL).name != DeepWalk(**{**SMALL, "seed": 7}).name


def test_new_track_is_placed_by_its_neighbours_without_moving_others(graph, fitted):
    tracks = _tracks()
    ids = [t.track_id for t in tracks]
    before = fitted.embed_tracks(graph, ids)
    # A new track by a known jazz artist, and one whose artist and album are new too (2 hops).
    new = [
        TrackRecord(track_id="new-jazz", title="n", artist="jazz-artist-0", album="jazz-artist-0-album",
                    genres=("jazz",), tags=("jazz-tag",)),
        TrackRecord(track_id="new-metal", title="m", artist="someone new", album="debut", genres=("metal",)),
    ]
    bigger = build_graph(tracks + new)
    after = fitted.embed_tracks(bigger, ids + ["new-jazz", "new-metal"])
    np.testing.assert_array_equal(after[:18], before)  # trained tracks keep their vectors
    np.testing.assert_allclose(np.linalg.norm(after[18:], axis=1), 1.0, atol=1e-5)
    jazz, metal = before[12:18].mean(axis=0), before[6:12].mean(axis=0)
    assert after[18] @ jazz > after[18] @ metal
    assert after[19] @ metal > after[19] @ jazz
    # order of the request does not matter
    np.testing.assert_allclose(fitted.embed_tracks(bigger, ["new-metal", "new-jazz"]), after[[19, 18]], atol=1e-6)


def test_isolated_unknown_node_is_zero(graph, fitted):
    g = graph.copy()
    g.add_node(track_node("alone"), kind="track")
    assert not fitted.embed_tracks(g, ["alone"]).any()


def test_save_and_load_round_trip(graph, fitted, tmp_path):
    path = tmp_path / "deepwalk.npz"
    fitted.save(path)
    loaded = DeepWalk.load(path)
    assert loaded.config() == fitted.config() and loaded.fitted
    ids = ["jazz0", "metal3"]
    np.testing.assert_array_equal(loaded.embed_tracks(graph, ids), fitted.embed_tracks(graph, ids))
    with pytest.raises(ValueError, match="not fitted"):
        DeepWalk().save(tmp_path / "x.npz")


def test_registered_deepwalk_trains_once_per_graph(graph):
    from recsys.encoders import get_encoder
    from recsys.encoders.graph import graph_digest, graph_nodes

    enc = get_encoder("deepwalk", device="cpu")
    assert not enc.id_stable and enc.info.model == DeepWalk().name
    ids = ["jazz0", "metal3"]
    first = enc.encode(graph_nodes(graph, ids))
    trained = enc.method
    np.testing.assert_array_equal(enc.encode(graph_nodes(graph.copy(), ids)), first)  # same graph: no new training
    assert enc.method is trained
    np.testing.assert_array_equal(first, DeepWalk().embed_tracks(graph, ids))
    bigger = build_graph(_tracks() + [TrackRecord(track_id="x", title="x", artist="jazz-artist-0")])
    assert graph_digest(bigger) != graph_digest(graph)
    enc.encode(graph_nodes(bigger, ids))
    assert enc.method is not trained and enc.method.fitted  # a changed graph: trained again
