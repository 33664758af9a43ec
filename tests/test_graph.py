import numpy as np

from recsys.catalog.model import TrackRecord
from recsys.encoders.graph import RandNE, build_graph, remove_genre_edges, track_node


def _tracks(n_per_genre=6):
    tracks = []
    for g, genre in enumerate(["ambient", "metal", "jazz"]):
        for i in range(n_per_genre):
            artist = f"{genre}-artist-{i % 2}"
            tracks.append(
                TrackRecord(
                    track_id=f"{genre}{i}", title=f"t{i}", artist=artist, album=f"{artist}-album",
                    genres=(genre,), tags=(f"{genre}-tag",), playlists=(f"pl-{genre}",),
                )
            )
    return tracks


def test_graph_has_all_relations():
    g = build_graph(_tracks())
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"track", "artist", "album", "genre", "tag"}
    assert g.has_edge(track_node("ambient0"), "genre:ambient")
    assert g.has_edge(track_node("ambient0"), track_node("ambient2"))  # playlist co-occurrence


def test_partial_embedding_equals_full_embedding():
    tracks = _tracks()
    g = build_graph(tracks)
    r = RandNE(dim=32)
    ids = [t.track_id for t in tracks]
    full = r.embed_tracks(g, ids)
    part = r.embed_tracks(g, ids[3:5])
    np.testing.assert_allclose(part, full[3:5], atol=1e-6)


def test_space_does_not_rotate_when_tracks_are_added():
    tracks = _tracks()
    r = RandNE(dim=64)
    before = r.embed_tracks(build_graph(tracks), ["jazz0"])
    extra = TrackRecord(track_id="new", title="x", artist="someone else", genres=("metal",))
    after = r.embed_tracks(build_graph(tracks + [extra]), ["jazz0"])
    # jazz0's 2-hop neighbourhood does not touch the new track: its vector is unchanged
    np.testing.assert_allclose(before, after, atol=1e-6)


def test_same_genre_is_closer_than_other_genres():
    tracks = _tracks()
    g = build_graph(tracks)
    e = RandNE(dim=128).embed_tracks(g, [t.track_id for t in tracks])
    sims = e @ e.T
    same = np.mean([sims[0, j] for j in range(1, 6)])
    other = np.mean([sims[0, j] for j in range(6, 18)])
    assert same > other + 0.2


def test_remove_genre_edges_only_for_held_out_tracks():
    g = build_graph(_tracks())
    h = remove_genre_edges(g, ["ambient0"])
    assert not h.has_edge(track_node("ambient0"), "genre:ambient")
    assert h.has_edge(track_node("ambient1"), "genre:ambient")
    assert g.has_edge(track_node("ambient0"), "genre:ambient")  # the original is untouched


def test_registered_randne_is_the_method_behind_the_encoder_contract():
    from recsys.encoders import get_encoder
    from recsys.encoders.graph import GraphNode, graph_nodes

    tracks = _tracks()
    g, other = build_graph(tracks), build_graph(tracks[:6])
    enc = get_encoder("randne", device="cpu")
    ids = [t.track_id for t in tracks]
    np.testing.assert_array_equal(enc.encode(graph_nodes(g, ids)), RandNE().embed_tracks(g, ids))
    # nodes of two graphs in one batch: each graph embeds its own nodes
    mixed = enc.encode([GraphNode(g, "jazz0"), GraphNode(other, "ambient1"), GraphNode(g, "metal2")])
    np.testing.assert_allclose(mixed[1], RandNE().embed_tracks(other, ["ambient1"])[0], atol=1e-6)
    np.testing.assert_allclose(mixed[[0, 2]], RandNE().embed_tracks(g, ["jazz0", "metal2"]), atol=1e-6)
    assert enc.id_stable and enc.info.model == RandNE().name


def test_randne_basis_is_default_rng_of_each_node_bit_for_bit():
    """The vectorised seeding gives exactly what a generator per node gives (the stored graph
    vectors of existing collections depend on it)."""
    import hashlib

    from recsys.encoders.graph import RandNE, _pcg64_states

    seeds = np.array([0, 1, 2**32 - 1, 2**32, 2**63, 2**64 - 1, 123456789012345], dtype=np.uint64)
    for s, (state, inc) in zip(seeds, _pcg64_states(seeds)):
        want = np.random.PCG64(int(s)).state["state"]
        assert (state, inc) == (want["state"], want["inc"]), int(s)
    model = RandNE(dim=16, seed=7)
    nodes = ["track:a", "artist:Zoë", "genre:rock", ""]
    got = model.basis(nodes)
    for row, node in zip(got, nodes):
        h = int.from_bytes(hashlib.sha256(f"7:{node}".encode()).digest()[:8], "little")
        assert np.array_equal(row, np.random.default_rng(h).standard_normal(16) / np.sqrt(16))
