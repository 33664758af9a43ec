"""The knowledge graph of a catalog and its RandNE embedding, written on scipy.sparse.

RandNE (Zhang et al., ICDM 2018) projects the graph with a random Gaussian basis R and
sums its powers: U = sum_k alpha_k P^k R, with P the row-normalised adjacency. We derive each
node's row of R from a hash of its id instead of drawing R as one matrix, so:

- adding tracks does not rotate the space (a node keeps its basis row whatever else joins),
  which keeps a fusion model trained on earlier graph vectors valid;
- a node's vector needs only its ``order``-hop neighbourhood: a new track is embedded from
  its neighbours without recomputing the whole graph (``embed_nodes``).

Behind the encoder contract (``GraphEncoder``, registry names ``randne`` and ``deepwalk``) a
graph encoder's items are ``GraphNode(graph, track_id)``: the tracks to embed, in their graph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import combinations, repeat
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp

from recsys.catalog.discs import album_without_disc, is_disc_folder
from recsys.catalog.model import TrackRecord
from recsys.encoders.base import Encoder, EncoderInfo
from recsys.errors import EncoderError


def track_node(track_id: str) -> str:
    return f"track:{track_id}"


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


def artist_node(track: TrackRecord) -> str | None:
    """The track's artist node (names compared with case and spacing folded); None without one.
    Its primary artist's: "Drake feat. Rihanna" (a music folder's credits) is Drake's node, the
    one of Drake's other tracks; a manifest's artist is its own node, as written."""
    return _artist_name_node(track.primary_artist)


def _artist_name_node(name: str) -> str | None:
    return f"artist:{_norm(name)}" if _norm(name) else None


def featured_nodes(track: TrackRecord) -> list[str]:
    """The artist nodes of the track's featured artists (not its primary artist's)."""
    primary = artist_node(track)
    nodes = (_artist_name_node(a) for a in track.featured_artists)
    return list(dict.fromkeys(n for n in nodes if n is not None and n != primary))


def composer_node(track: TrackRecord) -> str | None:
    """The artist node of the track's composer, where it has one that is none of its credited
    artists: Vivaldi's concertos played by two ensembles meet at Vivaldi's node, as do the
    songs he is the artist of."""
    node = _artist_name_node(track.composer)
    return None if node is None or node == artist_node(track) or node in featured_nodes(track) else node


def album_node(track: TrackRecord) -> str | None:
    """The track's album node: one per album artist (else artist) and album title, so a
    soundtrack of ten composers is one album, as are the discs of a set titled "X (Disc 1)" and
    "X (Disc 2)"; None without an album. A track
    without an artist (a music folder's untagged file, whose album is its folder's name) gets
    one per folder: "sounds" or "OST" folders of two games are two albums, not one."""
    if not _norm(track.album):
        return None
    by = _norm(track.album_artist or track.primary_artist)
    if not by and track.audio_path is not None:
        folder = Path(track.audio_path).parent
        by = "folder:" + str(folder.parent if is_disc_folder(folder.name) else folder)  # CD1, CD2: one album
    # "Endings (Disc 1)" and "Endings (Disc 2)", as freedb titles the discs of a set, are one album
    return f"album:{by}/{_norm(album_without_disc(track.album))}"


@dataclass(frozen=True)
class GraphConfig:
    """Which relations become edges, and their weights."""

    tag_weight: float = 0.5
    playlist_weight: float = 1.0
    #: playlists larger than this add no co-occurrence edges (they say little and cost n^2)
    max_playlist_size: int = 200
    include_tags: bool = True
    include_genres: bool = True
    #: the edge from a track to a featured artist's node (its primary artist's weighs 1.0)
    featured_weight: float = 0.5
    #: the edge from a track to its composer's artist node (``composer_node``)
    composer_weight: float = 0.5


def build_graph(tracks: Iterable[TrackRecord], config: GraphConfig = GraphConfig()) -> nx.Graph:
    """Track, artist, album, genre and tag nodes; playlist co-occurrence edges between tracks."""
    g = nx.Graph()
    playlists: dict[str, list[str]] = {}
    for t in tracks:
        tn = track_node(t.track_id)
        g.add_node(tn, kind="track")
        artist = artist_node(t)
        if artist is not None:
            g.add_node(artist, kind="artist")
            g.add_edge(tn, artist, weight=1.0)
        else:
            # No artist: no shared "unknown" node (it would make every artist-less track one
            # artist's work). The track gets a node of its own in the artist's place, so that
            # RandNE (no zeroth-order term) still gives it a non-zero vector of its own.
            own = f"anonymous:{t.track_id}"
            g.add_node(own, kind="anonymous")
            g.add_edge(tn, own, weight=1.0)
        for featured in featured_nodes(t):
            # a collaboration links the two artists' neighbourhoods through the track
            g.add_node(featured, kind="artist")
            g.add_edge(tn, featured, weight=config.featured_weight)
        composer = composer_node(t)
        if composer is not None:
            g.add_node(composer, kind="artist")
            g.add_edge(tn, composer, weight=config.composer_weight)
        album = album_node(t)
        if album is not None:
            g.add_node(album, kind="album")
            g.add_edge(tn, album, weight=1.0)
            if artist is not None:
                g.add_edge(album, artist, weight=1.0)
        if config.include_genres:
            for genre in t.genres:
                gn = f"genre:{_norm(genre)}"
                g.add_node(gn, kind="genre")
                g.add_edge(tn, gn, weight=1.0)
        if config.include_tags:
            for tag in t.tags:
                tg = f"tag:{_norm(tag)}"
                g.add_node(tg, kind="tag")
                g.add_edge(tn, tg, weight=config.tag_weight)
        for p in t.playlists:
            playlists.setdefault(p, []).append(tn)
    for members in playlists.values():
        if len(members) < 2 or len(members) > config.max_playlist_size:
            continue
        w = config.playlist_weight / (len(members) - 1)
        for a, b in combinations(members, 2):
            prev = g.get_edge_data(a, b, default={}).get("weight", 0.0)
            g.add_edge(a, b, weight=prev + w)
    return g


def remove_genre_edges(graph: nx.Graph, track_ids: Iterable[str]) -> nx.Graph:
    """A copy of the graph without these tracks' genre edges (held-out genre evaluation:
    a genre edge of an evaluated track would leak its label)."""
    g = graph.copy()
    for tid in track_ids:
        tn = track_node(tid)
        if tn not in g:
            continue
        for nb in [n for n in g.neighbors(tn) if n.startswith("genre:")]:
            g.remove_edge(tn, nb)
    return g


@dataclass(frozen=True)
class RandNE:
    """Id-stable RandNE. ``alphas[k]`` weighs P^(k+1) R (karateclub's convention: no
    zeroth-order term, so a track's own random row does not make it unlike its peers)."""

    dim: int = 128
    alphas: tuple[float, ...] = (1.0, 0.5)
    seed: int = 42

    @property
    def order(self) -> int:
        return len(self.alphas)

    @property
    def name(self) -> str:
        return f"randne-d{self.dim}-a{'-'.join(f'{a:g}' for a in self.alphas)}-s{self.seed}"

    def basis(self, nodes: Sequence[str]) -> np.ndarray:
        """Rows of R for these nodes, each drawn from a generator seeded by the node id:
        row i is ``np.random.default_rng(h).standard_normal(dim) / sqrt(dim)`` with ``h`` the
        first 8 bytes (little-endian) of sha256("<seed>:<node>"). Building a generator per node
        cost ~25 us (most of RandNE's time on a big graph), so the generators' states are
        derived here for all nodes at once (``_pcg64_states``) and one generator is re-set to
        each: the same numbers, bit for bit as ``default_rng`` gives them."""
        digests = b"".join(hashlib.sha256(f"{self.seed}:{node}".encode()).digest()[:8] for node in nodes)
        seeds = np.frombuffer(digests, dtype="<u8").astype(np.uint64)
        out = np.empty((len(nodes), self.dim), dtype=np.float64)
        bitgen = np.random.PCG64()
        gen = np.random.Generator(bitgen)
        state: dict[str, Any] = {"bit_generator": "PCG64", "state": {}, "has_uint32": 0, "uinteger": 0}
        for i, (pcg_state, pcg_inc) in enumerate(_pcg64_states(seeds)):
            state["state"] = {"state": pcg_state, "inc": pcg_inc}
            bitgen.state = state
            gen.standard_normal(out=out[i])
        out /= np.sqrt(self.dim)
        return out

    def embed_nodes(self, graph: nx.Graph, nodes: Sequence[str]) -> np.ndarray:
        """Vectors of ``nodes`` (L2-normalised float32), from their ``order``-hop
        neighbourhood only. Equal to embedding the whole graph and taking these rows."""
        if not nodes:
            return np.zeros((0, self.dim), dtype=np.float32)
        ball = _ball(graph, nodes, self.order)
        index = dict(zip(ball, range(len(ball))))
        # every (node of the ball, neighbour) pair in adjacency order, in flat lists: the
        # degree counts the full neighbourhood, the matrix only neighbours inside the ball.
        # networkx's own dict of dicts: its read-only views cost a third of the time here
        adj = graph._adj
        sizes: list[int] = []
        neighbours: list[Any] = []
        weights: list[float] = []
        for n in ball:
            nbrs = adj[n]
            sizes.append(len(nbrs))
            neighbours.extend(nbrs)
            weights.extend([d.get("weight", 1.0) for d in nbrs.values()])
        owner = np.repeat(np.arange(len(ball)), sizes)
        w = np.asarray(weights, dtype=np.float64)
        # bincount adds in input order, as the loop it replaces did (same rounding)
        degree = np.bincount(owner, weights=w, minlength=len(ball)) if len(w) else np.zeros(len(ball))
        cols = np.fromiter(map(index.get, neighbours, repeat(-1)), dtype=np.int64, count=len(neighbours))
        inside = cols >= 0
        rows, cols, vals = owner[inside], cols[inside], w[inside]
        inv = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
        a = sp.csr_matrix((vals, (rows, cols)), shape=(len(ball), len(ball)))
        p = sp.diags(inv) @ a
        u = self.basis(ball)
        emb = np.zeros_like(u)
        for alpha in self.alphas:
            u = p @ u
            # emb += alpha * u, a block of rows at a time: no temporary the size of the graph
            for start in range(0, len(u), _ROWS_PER_BLOCK):
                emb[start : start + _ROWS_PER_BLOCK] += alpha * u[start : start + _ROWS_PER_BLOCK]
        del u
        out = emb[[index[n] for n in nodes]]
        del emb
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.maximum(norms, 1e-12)).astype(np.float32)

    def embed_tracks(self, graph: nx.Graph, track_ids: Sequence[str]) -> np.ndarray:
        return self.embed_nodes(graph, [track_node(t) for t in track_ids])


#: rows per block of the in-place sums in ``RandNE.embed_nodes`` (64k x 128 float64: 64 MB)
_ROWS_PER_BLOCK = 65_536

#: SeedSequence's constants (numpy/random/bit_generator.pyx) and PCG64's 128-bit multiplier
_MASK32 = 0xFFFFFFFF
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_MULT_L, _MIX_MULT_R = 0xCA01F9DD, 0x4973F715
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
_MASK128 = (1 << 128) - 1


def _pcg64_states(seeds: np.ndarray) -> list[tuple[int, int]]:
    """``(state, inc)`` of ``np.random.PCG64(seed)`` for each uint64 seed, for all at once:
    numpy's SeedSequence pool mixing done on arrays (a seed below 2**64 is the words
    [low, high] and the pool's two other words hash 0, whatever the seed's size), its
    ``generate_state(4, uint64)``, then PCG64's seeding (pcg_setseq_128_srandom_r)."""
    hash_const = [_INIT_A]

    def hashmix(value: np.ndarray) -> np.ndarray:
        value = value ^ np.uint32(hash_const[0])
        hash_const[0] = (hash_const[0] * _MULT_A) & _MASK32
        value = value * np.uint32(hash_const[0])
        return value ^ (value >> np.uint32(16))

    def mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = np.uint32(_MIX_MULT_L) * x - np.uint32(_MIX_MULT_R) * y
        return r ^ (r >> np.uint32(16))

    low = (seeds & np.uint64(_MASK32)).astype(np.uint32)
    high = (seeds >> np.uint64(32)).astype(np.uint32)
    zero = np.zeros_like(low)
    with np.errstate(over="ignore"):  # uint32 arithmetic wraps, as in numpy's C code
        pool = [hashmix(word) for word in (low, high, zero, zero)]
        for src in range(4):
            for dst in range(4):
                if src != dst:
                    pool[dst] = mix(pool[dst], hashmix(pool[src]))
        words = []
        const = _INIT_B
        for i in range(8):
            value = pool[i % 4] ^ np.uint32(const)
            const = (const * _MULT_B) & _MASK32
            value = value * np.uint32(const)
            words.append(value ^ (value >> np.uint32(16)))
    u64 = [
        (words[2 * j].astype(np.uint64) | (words[2 * j + 1].astype(np.uint64) << np.uint64(32))).tolist()
        for j in range(4)
    ]
    states = []
    for s_high, s_low, i_high, i_low in zip(*u64):
        inc = ((((i_high << 64) | i_low) << 1) | 1) & _MASK128
        state = (inc + ((s_high << 64) | s_low)) & _MASK128  # state 0 stepped once is inc
        states.append(((state * _PCG_MULT + inc) & _MASK128, inc))
    return states


def _ball(graph: nx.Graph, sources: Sequence[str], radius: int) -> list[str]:
    """Nodes within ``radius`` hops of any source (sources first, in order, then each hop's
    nodes in the order they were reached: breadth-first order)."""
    adj = graph._adj  # networkx's dict of dicts (see RandNE.embed_nodes)
    order = list(dict.fromkeys(sources))
    seen = set(order)
    frontier = order
    for _ in range(radius):
        reached = []
        for n in frontier:
            for nb in adj[n]:
                if nb not in seen:
                    seen.add(nb)
                    reached.append(nb)
        order.extend(reached)
        frontier = reached
    return order


# --------------------------------------------------------------------------- the encoder contract


class GraphNode(NamedTuple):
    """What a graph encoder embeds: one track of a knowledge graph (``build_graph``)."""

    graph: nx.Graph
    track_id: str


def graph_nodes(graph: nx.Graph, track_ids: Iterable[str]) -> list[GraphNode]:
    return [GraphNode(graph, t) for t in track_ids]


def graph_digest(graph: nx.Graph) -> str:
    """A fingerprint of the nodes and weighted edges, whatever order the graph was built in."""
    h = hashlib.sha256()
    for node in sorted(map(str, graph.nodes)):
        h.update(f"n|{node}\n".encode())
    edges = sorted((*sorted((str(a), str(b))), float(d.get("weight", 1.0))) for a, b, d in graph.edges(data=True))
    for a, b, w in edges:
        h.update(f"e|{a}|{b}|{w!r}\n".encode())
    return h.hexdigest()[:16]


class GraphEncoder(Encoder):
    """A graph embedding method (anything with ``name``, ``dim`` and ``embed_tracks(graph,
    track_ids)``) behind the encoder contract. Items are ``GraphNode``s; the nodes of one batch
    may come from several graphs, each graph is embedded once for its nodes."""

    #: True when a track's vector stays put as other tracks join the graph (RandNE); False when
    #: the space is learnt from each graph again (DeepWalk): a changed graph then re-embeds every
    #: track, since vectors of two trainings must not be mixed
    id_stable: bool = True

    def __init__(self, method: Any, *, name: str) -> None:
        self.method = method
        self.info = EncoderInfo(name=name, modality="graph", model=method.name, dim=int(method.dim))

    def encode(self, items: Sequence[GraphNode]) -> np.ndarray:
        nodes = list(items)
        groups: dict[int, list[int]] = {}
        for i, node in enumerate(nodes):
            if not isinstance(node, GraphNode):
                raise EncoderError(f"graph item {i}: expected a GraphNode (graph, track id), got {type(node).__name__}")
            if track_node(node.track_id) not in node.graph:
                raise EncoderError(f"graph item {i}: track '{node.track_id}' is not in its graph")
            groups.setdefault(id(node.graph), []).append(i)
        out = np.zeros((len(nodes), self.dim), dtype=np.float32)
        for rows in groups.values():
            graph = nodes[rows[0]].graph
            out[rows] = self._embed(graph, [nodes[i].track_id for i in rows])
        return out

    def _embed(self, graph: nx.Graph, track_ids: list[str]) -> np.ndarray:
        return self.method.embed_tracks(graph, track_ids)


class RandNEEncoder(GraphEncoder):
    """RandNE (``randne``): id-stable, each batch embedded from its nodes' neighbourhoods."""
