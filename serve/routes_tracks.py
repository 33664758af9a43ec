"""One track: its detail (metadata, catalog texts, neighbours by the fused vector and by each
modality, a small graph), its cover and its audio (streamed, with range requests)."""

from __future__ import annotations

from fastapi import APIRouter, Header, Path as PathParam, Query
from fastapi.responses import Response

from recsys.errors import RecsysError
from recsys.modalities import GRAPH, VECTOR_NAMES
from recsys.query.library import AUDIO_SUFFIXES
from serve.clean import refuse_explicit, served_filter
from serve.media import file_response
from serve.models import ERROR_RESPONSES, ErrorOut, GraphEdge, GraphNode, GraphOut, TrackDetailOut, TrackOut
from serve.routes_query import IMAGE_SUFFIXES
from serve.state import ServeState

TrackId = PathParam(..., min_length=1, max_length=200, description="A track id, e.g. t0042.")


def neighbourhood(track: TrackOut, graph_neighbours: list[TrackOut]) -> GraphOut:
    """The track, its artist, album and genres, and its nearest tracks in the graph space,
    each joined to what it shares with the track (or to the track itself when nothing)."""
    nodes = [GraphNode(id=f"track:{track.track_id}", kind="track", label=track.title, track_id=track.track_id)]
    edges: list[GraphEdge] = []
    own: dict[str, str] = {}  # shared key -> node id
    if track.artist:
        own[f"artist:{track.artist.casefold()}"] = "artist"
        nodes.append(GraphNode(id=f"artist:{track.artist.casefold()}", kind="artist", label=track.artist))
    if track.album:
        own[f"album:{track.album.casefold()}"] = "album"
        nodes.append(GraphNode(id=f"album:{track.album.casefold()}", kind="album", label=track.album))
    for g in track.genres:
        if f"genre:{g.casefold()}" not in own:
            own[f"genre:{g.casefold()}"] = "genre"
            nodes.append(GraphNode(id=f"genre:{g.casefold()}", kind="genre", label=g))
    for node_id, kind in own.items():
        edges.append(GraphEdge(source=nodes[0].id, target=node_id, kind=f"by {kind}" if kind == "artist" else f"in {kind}"))
    for n in graph_neighbours:
        nid = f"track:{n.track_id}"
        nodes.append(GraphNode(id=nid, kind="neighbour", label=f"{n.title} ({n.artist})", track_id=n.track_id))
        shared = [k for k in (f"artist:{n.artist.casefold()}", f"album:{n.album.casefold()}",
                              *(f"genre:{g.casefold()}" for g in n.genres)) if k in own]
        for k in dict.fromkeys(shared):
            edges.append(GraphEdge(source=nid, target=k, kind="shares"))
        if not shared:
            edges.append(GraphEdge(source=nid, target=nodes[0].id, kind="near"))
    return GraphOut(nodes=nodes, edges=edges)


def router(state: ServeState) -> APIRouter:
    api = APIRouter(prefix="/api/tracks", tags=["tracks"], responses=ERROR_RESPONSES)

    @api.get("/{track_id}", response_model=TrackDetailOut)
    def detail(track_id: str = TrackId, k: int = Query(5, ge=1, le=50, description="Neighbours per vector."),
               clean: bool = Query(False, description="A parent's radio, as `filters.clean`: no neighbour marked"
                                   " explicit, and of a song owned explicit and clean the clean copy.")
               ) -> TrackDetailOut:
        """A track with its nearest tracks by the fused vector and by each of its modalities
        (explained per modality, for the radar plots) and its graph neighbourhood. The track
        itself is shown whatever its advisory: a seed is the listener's (``recsys.query.clean``); a
        clean server (``serve.clean``) shows no track marked explicit (404) and clean neighbours."""
        from recsys.query.filterspec import listener_filter
        from recsys.query.recommend import RecommendRequest, recommend

        flt = served_filter(listener_filter(clean=clean), state.clean)

        with state.reading() as lib:
            point = state.point(track_id, with_vectors=True)
            refuse_explicit([point], state.clean)
            (track,) = lib.to_results([point], scores=[1.0])
            has = [v for v in VECTOR_NAMES if lib.meta.physical(v) in point.vectors]
            neighbours: dict[str, list[TrackOut]] = {}
            for using in has:
                try:
                    resp = recommend(lib, RecommendRequest(seeds=(track_id,), using=using, k=k, explain=True, flt=flt))
                except RecsysError:
                    continue  # e.g. a vector the collection spec lost: the other tabs still answer
                neighbours[using] = [TrackOut.of(r) for r in resp.results]
        texts = state.texts(track_id)
        out = TrackOut.of(track)
        tags = [str(t) for t in point.payload.get("tags") or ()]
        return TrackDetailOut(
            collection=lib.name, track=out, tags=tags, vectors=has, neighbours=neighbours,
            graph=neighbourhood(out, neighbours.get(GRAPH, neighbours.get("fused", []))),
            **{field: value for field, value in texts.items() if value},
        )

    @api.get("/{track_id}/cover", responses={200: {"content": {"image/png": {}, "image/jpeg": {}}}},
             response_class=Response)
    def cover(track_id: str = TrackId, range_: str | None = Header(None, alias="range")) -> Response:
        """The track's cover, as its catalog holds it (a clean server's: none of a track marked explicit)."""
        with state.reading():
            path = state.media_file(track_id, "cover", IMAGE_SUFFIXES)
        return file_response(path, range_)

    @api.get("/{track_id}/audio", responses={206: {"description": "A byte range of the file."},
                                                      416: {"model": ErrorOut}},
             response_class=Response)
    def audio(track_id: str = TrackId, range_: str | None = Header(None, alias="range")) -> Response:
        """The track's audio file, streamed; honours `Range: bytes=a-b` (206) so players seek. A clean
        server streams no track marked explicit, nor a file that holds one (an album in one file)."""
        with state.reading():
            path = state.media_file(track_id, "audio", AUDIO_SUFFIXES)
        return file_response(path, range_)

    return api
