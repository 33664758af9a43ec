"""The FastAPI application: the store opened once for the server's life, the API routes, the
guards (errors, API key, CORS, body size) and the web page from ``serve/static``."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from recsys import __version__
from recsys.store.served import STORE_PREFIX
from serve import routes_info, routes_query, routes_store, routes_tracks
from serve.config import ServeConfig
from serve.errors import install_error_handlers
from serve.fast_path import RecommendFastPath
from serve.guards import ApiKeyGuard, BodyLimit, OneLineErrors
from serve.state import ServeState

STATIC = Path(__file__).resolve().parent / "static"
#: a JSON body: seeds and filters, never near this
JSON_BODY_LIMIT = 1024 * 1024
#: what a multipart upload adds around the file itself
MULTIPART_SLACK = 64 * 1024
#: a store call from a command beside the server: an ingest's upsert of a chunk of tracks with
#: every vector (a few MiB); far above that is a mistake
STORE_BODY_LIMIT = 512 * 1024 * 1024


def create_app(config: ServeConfig, state: ServeState | None = None) -> FastAPI:
    """The server for ``config``. The store opens when the app starts (uvicorn's startup, or
    entering a ``TestClient``) and closes when it stops, unless ``state`` came already open."""
    state = state or ServeState(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        # a state opened by the caller (the CLI opens it first, to report a busy store in
        # one line) is the caller's to close
        opened_here = not state.is_open
        if opened_here:
            await run_in_threadpool(state.open)
        try:
            yield
        finally:
            if opened_here:
                await run_in_threadpool(lambda: state.close(wait_s=config.grace_seconds))

    app = FastAPI(
        title="recsys",
        version=__version__,
        description="Multimodal music recommendation over HTTP: the same calls as the `recsys` CLI.",
        lifespan=lifespan,
    )
    app.state.serve = state
    install_error_handlers(app)
    app.include_router(routes_query.router(state, config))
    app.include_router(routes_tracks.router(state))
    app.include_router(routes_info.router(state))
    app.include_router(routes_store.router(state, config.store_token))

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-cache"})

    @app.get("/index.html", include_in_schema=False)
    def index_html() -> RedirectResponse:
        return RedirectResponse("/")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def body_limit(path: str) -> int:
        if path == "/api/query/image":
            return config.max_image_bytes + MULTIPART_SLACK
        if path == "/api/query/audio":
            return config.max_audio_bytes + MULTIPART_SLACK
        if path.startswith(STORE_PREFIX):
            return STORE_BODY_LIMIT
        return JSON_BODY_LIMIT

    # added innermost first: errors outermost, then CORS (so refusals carry its headers),
    # then the key, then the body cap, then the recommend fast path
    app.add_middleware(RecommendFastPath, state=state)
    app.add_middleware(BodyLimit, limit_for=body_limit)
    app.add_middleware(ApiKeyGuard, api_key=config.api_key)
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(config.cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type", "Range"],
            expose_headers=["Content-Range", "Accept-Ranges"],
        )
    app.add_middleware(OneLineErrors)
    return app
