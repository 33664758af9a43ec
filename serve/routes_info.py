"""What the server holds: health, the collection's info and facets, and its 2-D map."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from fastapi import APIRouter, Path as PathParam, Query

from recsys.query.info import collection_info
from recsys.store.base import QueryFilter
from serve.models import (
    ERROR_RESPONSES,
    CollectionInfo, FacetsOut, FacetValue, HealthOut, InfoOut, LiveOut, MapOut, MapPointOut, PayloadCacheOut, VectorName,
)
from serve.state import ServeState


def router(state: ServeState) -> APIRouter:
    api = APIRouter(prefix="/api", tags=["collection"], responses=ERROR_RESPONSES)

    @api.get("/live", response_model=LiveOut)
    async def live() -> LiveOut:
        """Whether the process answers: a liveness probe (no API key needed). Answered on the
        event loop, so it never waits behind queued queries, a write or the store, as
        `/api/health` does (a probe that timed out under load would have the server restarted)."""
        return LiveOut(status="ok")

    @api.get("/health", response_model=HealthOut)
    def health() -> HealthOut:
        """Whether the store answers: a readiness probe (no API key needed). It runs like a
        query, so under load it waits its turn; `/api/live` does not."""
        with state.reading() as lib:
            return HealthOut(status="ok", collection=lib.name, points=lib.backend.count(lib.name), clean=state.clean)

    @api.get("/info", response_model=InfoOut)
    def info() -> InfoOut:
        """The served collection (`recsys info`), and whether the server is clean (`recsys serve --clean`)."""
        with state.reading() as lib:
            kept = lib.backend.payload_cache_stats(lib.name)
            return InfoOut(serving=lib.name, collections=[CollectionInfo(**collection_info(lib.backend, lib.name).as_dict())],
                           payload_cache=None if kept is None else PayloadCacheOut(**asdict(kept)), clean=state.clean)

    @api.get("/facets/{facet}", response_model=FacetsOut)
    def facets(facet: Literal["genres", "artists", "years", "composers", "performers"] = PathParam(...),
               limit: int | None = Query(None, ge=1, le=100_000),
               clean: bool = Query(False, description="Count only the tracks not marked explicit (a clean server: always).")
               ) -> FacetsOut:
        """Genres, artists, years, composers or performers with their track counts, most common first (`recsys facets`).
        Counted once and kept until the collection is written to or its number of points changes. With `clean`,
        and always on a clean server (`recsys serve --clean`), only the tracks not marked explicit are counted: a
        value whose every track is marked is not listed, and each count is what a click on it finds."""
        from recsys.query.facets import facets as run

        clean = clean or state.clean

        def build():
            with state.reading() as lib:
                return lib.name, run(lib, facet, None, clean=clean)

        with state.reading() as lib:
            points = lib.backend.count(lib.name)  # cheap: a collection another process grew is counted again
        name, resp = state.cached_facet(facet, points, build, clean=clean)
        values = resp.values if limit is None else resp.values[:limit]
        return FacetsOut(collection=name, facet=resp.facet, total=resp.total,
                         values=[FacetValue(value=v, count=n) for v, n in values])

    @api.get("/map", response_model=MapOut)
    def map_(using: VectorName = "fused", color: Literal["genre", "artist", "year"] = "genre",
             method: Literal["pca", "umap", "tsne"] = Query("pca", description="pca is instant; umap takes seconds.")
             ) -> MapOut:
        """Every track projected to 2-D (`recsys map`), for the page's map view; made once per
        (using, color, method) and kept. A clean server's: every track not marked explicit."""
        from recsys.analysis.maps import build_map, palette

        def build() -> dict:
            with state.reading() as lib:
                flt = QueryFilter(clean=True) if state.clean and lib.has_explicit() else None
                points, used = build_map(lib.backend, lib.name, using, color, method, flt=flt)
            return {"method": used, "colours": palette([p.group for p in points]),
                    "points": [MapPointOut(x=p.x, y=p.y, title=p.title, artist=p.artist, genres=list(p.genres),
                                           group=p.group) for p in points]}

        made = state.cached_map((using, color, method), build)
        return MapOut(collection=state.library.name, using=using, color=color, **made)

    return api
