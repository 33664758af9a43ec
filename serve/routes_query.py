"""The query endpoints: search by title, recommend, playlist (and its M3U8), path, and
cross-modal queries by text or by an uploaded cover or clip. Each parses its body into the
library's request and calls the same function the CLI calls."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from recsys.errors import MediaError, RecsysError
from recsys.query.library import AUDIO_SUFFIXES, TITLE_TEXT_FIELD
from recsys.query.fuzzy import title_score
from recsys.query.titlekeys import normalise
from recsys.query.clean import store_filter
from recsys.store.base import PointRecord, QueryFilter
from serve.clean import clean_copy_seeds, refuse_explicit, refuse_explicit_seeds, served_filter
from serve.config import ServeConfig
from serve.errors import DecodeTimeout, UnsupportedMedia, UploadTooLarge
from serve.forms import upload_filters
from serve.models import (
    ERROR_RESPONSES,
    ErrorOut, Filters, PathBody, PathOut, PlaylistBody, PlaylistOut, QueryOut, RecommendBody, RecommendOut,
    SearchOut, SeedOut, TextQueryBody, TrackOut, VectorName,
)
from serve.state import SearchTitles, ServeState

UPLOAD_ERRORS = {415: {"model": ErrorOut, "description": "Not a file of a type the query takes."}}

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"})
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp", "image/tiff"})
#: a media subtype that can be a temporary file's suffix as it is (wav, ogg, webm, vnd.wave...)
_SUBTYPE = re.compile(r"[a-z0-9][a-z0-9.+-]{0,19}")
#: a browser labels an unknown file octet-stream: then the file name's suffix decides
GENERIC_TYPES = frozenset({"", "application/octet-stream"})
#: what browsers call a stem file (.stem.mp4) and a yt-dlp WebM or Matroska download
VIDEO_TYPES = frozenset({"video/mp4", "video/webm", "video/x-matroska"})
VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mka"})


#: titles the store's BM25 index proposes for a search box query, re-ranked as below
SEARCH_CANDIDATES = 100
#: fuzzy scores under this are no match
SEARCH_CUTOFF = 70.0
#: a BM25 candidate re-ranked at least this high answers alone; when none is (a word still
#: being typed, a typo in every word) every title is scored, as without the index
CONVINCING = 90.0


def _search_score(want: str, title: str, choice: str) -> float:
    """How well a normalised query matches a normalised title (or "title artist"): scored as
    seed titles are (``fuzzy.title_score``), a title holding the query outright first."""
    score = max(title_score(want, title), title_score(want, choice))
    score = score if score >= SEARCH_CUTOFF else 0.0
    if want in title:
        score = max(score, 100.0 if title.startswith(want) else 97.0)
    return score


def _store_candidates(lib, q: str, want: str, clean: bool = False) -> list[tuple[PointRecord, float]] | None:
    """The BM25 candidates of ``q`` from the store's full-text title index, re-ranked; None
    when the collection has no such index or no candidate is convincing. ``clean`` (a clean
    server's): none marked explicit."""
    args = (lib.name, TITLE_TEXT_FIELD, q, SEARCH_CANDIDATES)
    flt = store_filter(lib, QueryFilter(clean=True)) if clean else QueryFilter()
    found = lib.backend.text_search(*args, flt) if not flt.is_empty() else lib.backend.text_search(*args)
    if not found:
        return None
    scored = []
    for p in found:
        title, artist = str(p.payload.get("title", "")), str(p.payload.get("artist", ""))
        score = _search_score(want, normalise(title), normalise(f"{title} {artist}"))
        if score > 0:
            scored.append((p, score))
    if not any(score >= CONVINCING for _, score in scored):
        return None
    return scored


def search_titles(state: ServeState, q: str, limit: int) -> SearchOut:
    """Tracks whose title (or "title artist") matches ``q``, best first, scored as seed
    titles are (``fuzzy.title_score``); an empty ``q`` lists the first titles A-Z. The store's
    BM25 title index proposes the candidates; only when it has none convincing (or no index)
    is every title scored. A clean server lists no title marked explicit (``serve.clean``): the
    search box finds seeds, and there a seed is played."""
    with state.reading() as lib:
        want = normalise(q)
        candidates = _store_candidates(lib, q, want, state.clean) if want else None
        if candidates is not None:
            ranked_points = sorted(candidates, key=lambda ps: (-ps[1], str(ps[0].payload.get("title", "")),
                                                               ps[0].track_id))[:limit]
            kept = [(p, s / 100.0) for p, s in ranked_points]
        else:
            kept = _scored_in_memory(state, lib, want, limit)
        results = lib.to_results([p for p, _ in kept], scores=[s for _, s in kept])
        return SearchOut(collection=lib.name, query=q, results=[TrackOut.of(r) for r in results])


def _scored_in_memory(state: ServeState, lib, want: str, limit: int) -> list[tuple[PointRecord, float]]:
    """The titles ranked in memory (read once and kept): an empty query, a collection made
    before the title index, or a query the index has no convincing candidate for."""
    found = state.search_choices()
    entries = found.entries
    ranked = rank_in_memory(found, want, limit)
    points = {p.track_id: p for p in lib.backend.retrieve(lib.name, [entries[i].track_id for i, _ in ranked],
                                                          with_vectors=False)}
    return [(points[entries[i].track_id], s / 100.0) for i, s in ranked if entries[i].track_id in points]


def rank_in_memory(found: SearchTitles, want: str, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (row, score) for the normalised query ``want``: the best fuzzy
    matches of the titles and of "title artist" (``fuzzy.title_score``), a title holding
    the query outright first; an empty query lists the titles A-Z. Each shortlist scores only
    the titles that can rank high, and answers as scoring every title would (``fuzzy.Shortlist``)."""
    entries, titles = found.entries, found.titles
    if not want:
        return [(i, 0.0) for i in found.a_to_z[:limit]]
    scored: dict[int, float] = {}
    for shortlist in (found.by_title, found.by_choice):
        for i, score in shortlist.top(want, limit * 2, SEARCH_CUTOFF):
            scored[i] = max(scored.get(i, 0.0), score)
    for i in found.by_title.containing(want):
        scored[i] = max(scored.get(i, 0.0), 100.0 if titles[i].startswith(want) else 97.0)
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], entries[kv[0]].title, entries[kv[0]].track_id))
    return ranked[:limit]


def _recommend_request(body: RecommendBody, server_clean: bool):
    from recsys.query.recommend import RecommendRequest

    return RecommendRequest(
        seeds=tuple(body.seeds), artist=body.artist, negatives=tuple(body.negatives), k=body.k,
        using=body.using, flt=served_filter(body.filters.to_filter(), server_clean),
        max_per_artist=body.max_per_artist, explain=body.explain, mixable=body.mixable,
    )


def _recommend_out(lib, body: RecommendBody, resp, server_clean: bool) -> RecommendOut:
    # a clean server plays no explicit seed: the negatives are only what to stay away from
    refuse_explicit_seeds(resp.seeds, server_clean, body.artist if not body.seeds else None)
    return RecommendOut(
        collection=lib.name, using=body.using, seeds=[SeedOut.of(s) for s in resp.seeds],
        negatives=[SeedOut.of(s) for s in resp.negatives], results=[TrackOut.of(r) for r in resp.results],
        mixable=resp.mixable,
    )


#: set in the request's scope by serve.fast_path when ``recommend_here`` already returned None
#: for it: the route then goes to its worker thread without asking again
FAST_PATH_DECLINED = "recsys.fast_path_declined"


def recommend_here(state: ServeState, body: RecommendBody) -> RecommendOut | None:
    """The answer to ``body`` when the calling thread can give it at once, else None (then a
    worker thread must). Seeds that are track ids (what apps and the page send) make a query
    of a few index lookups, under a millisecond, answered on the event loop: a worker thread
    would add its hand-offs and nothing else, as the embedded store holds the GIL through its
    calls and threads never run two queries at once. Titles may read every title, an artist
    radio scrolls the artist's tracks, and a write may hold the store: those are None."""
    if body.artist or not body.seeds or not state.backend.answers_in_process:
        return None
    from recsys.query.recommend import recommend_from, seed_vectors

    req = _recommend_request(body, state.clean)
    with state.reading_now() as lib:
        if lib is None:
            return None
        seeds = lib.points_by_id(req.seeds, seed_vectors(req))
        negatives = lib.points_by_id(req.negatives, seed_vectors(req)) if req.negatives else []
        if seeds is None or negatives is None:
            return None
        return _recommend_out(lib, body, recommend_from(lib, req, seeds, negatives), state.clean)


def router(state: ServeState, cfg: ServeConfig) -> APIRouter:
    """The routes, answering from ``state`` under the limits of ``cfg`` (the app's own)."""
    api = APIRouter(prefix="/api", tags=["query"], responses=ERROR_RESPONSES)

    @api.get("/tracks", response_model=SearchOut)
    def search(q: str = Query("", max_length=500, description="A title, or part of one; empty: A-Z."),
               limit: int = Query(10, ge=1, le=100)) -> SearchOut:
        """Tracks by title: the search box."""
        return search_titles(state, q, limit)

    def _recommend_in_thread(body: RecommendBody) -> RecommendOut:
        from recsys.query.recommend import recommend as run

        with state.reading() as lib:
            # titles are resolved here on a clean server (``clean_copy_seeds``); ids stay ids
            body = body.model_copy(update={"seeds": clean_copy_seeds(lib, body.seeds, body.artist, state.clean)})
            return _recommend_out(lib, body, run(lib, _recommend_request(body, state.clean)), state.clean)

    @api.post("/recommend", response_model=RecommendOut)
    async def recommend(body: RecommendBody, request: Request) -> RecommendOut:
        """Tracks like the seeds and unlike the negatives (`recsys recommend`)."""
        if not body.seeds and not body.artist:
            raise _bad("give at least one seed track, or an artist for an artist radio")
        out = None if request.scope.get(FAST_PATH_DECLINED) else recommend_here(state, body)
        if out is not None:
            return out
        return await run_in_threadpool(_recommend_in_thread, body)

    def _playlist(body: PlaylistBody):
        from recsys.query.playlist import PlaylistRequest, playlist as run

        if not body.seeds and not body.artist:
            raise _bad("give at least one seed track, or an artist for an artist radio")
        req = PlaylistRequest(
            seeds=tuple(body.seeds), artist=body.artist, per_seed=body.per_seed, using=body.using,
            flt=served_filter(body.filters.to_filter(), state.clean), max_per_artist=body.max_per_artist,
            diversity=body.diversity, explain=body.explain, mixable=body.mixable,
        )
        with state.reading() as lib:
            resp = run(lib, replace(req, seeds=tuple(clean_copy_seeds(lib, req.seeds, req.artist, state.clean))))
        # the playlist (and its .m3u8) starts with them
        refuse_explicit_seeds(resp.seeds, state.clean, body.artist if not body.seeds else None)
        return lib.name, resp

    @api.post("/playlist", response_model=PlaylistOut)
    def playlist(body: PlaylistBody) -> PlaylistOut:
        """An ordered playlist from several seeds (`recsys playlist`): the seeds first, then a
        nearest-neighbour walk, never an artist twice in a row."""
        name, resp = _playlist(body)
        return PlaylistOut(
            collection=name, using=body.using, seeds=[SeedOut.of(s) for s in resp.seeds], negatives=[],
            results=[TrackOut.of(r) for r in resp.results], playlist=[TrackOut.of(r) for r in resp.playlist],
            dropped=[TrackOut.of(r) for r in resp.dropped], mixable=resp.mixable,
        )

    @api.post("/playlist.m3u8", responses={200: {"content": {"audio/x-mpegurl": {}}}},
              response_class=Response)
    def playlist_m3u8(body: PlaylistBody) -> Response:
        """The same playlist as an extended M3U8 file (`recsys playlist -o mix.m3u8`: the
        audio files' absolute paths on the server's machine)."""
        from recsys.query.playlist import write_m3u8

        _, resp = _playlist(body)
        with tempfile.TemporaryDirectory(prefix="recsys-m3u8-") as tmp:
            written = write_m3u8(resp.playlist, Path(tmp) / "playlist.m3u8")
            text = written.path.read_text(encoding="utf-8")
        return Response(text, media_type="audio/x-mpegurl",
                        headers={"content-disposition": 'attachment; filename="playlist.m3u8"'})

    @api.post("/path", response_model=PathOut)
    def path(body: PathBody) -> PathOut:
        """A playlist walking from one track to another (`recsys path`)."""
        from recsys.query.path import PathRequest, path as run

        req = PathRequest(
            start=body.start, end=body.end, steps=body.steps, start_artist=body.start_artist,
            end_artist=body.end_artist, using=body.using, flt=served_filter(body.filters.to_filter(), state.clean),
            max_per_artist=body.max_per_artist,
        )
        with state.reading() as lib:
            (start,) = clean_copy_seeds(lib, [req.start], req.start_artist, state.clean)
            (end,) = clean_copy_seeds(lib, [req.end], req.end_artist, state.clean)
            resp = run(lib, replace(req, start=start, end=end))
            # the walk's ends are its first and last tracks
            refuse_explicit([resp.start], state.clean, "start of the path")
            refuse_explicit([resp.end], state.clean, "end of the path")
            return PathOut(collection=lib.name, using=body.using, start=SeedOut.of(resp.start),
                           end=SeedOut.of(resp.end), steps=resp.steps,
                           results=[TrackOut.of(r) for r in resp.results])

    @api.post("/query/text", response_model=QueryOut)
    def query_text(body: TextQueryBody) -> QueryOut:
        """Tracks near a text: a mood, a theme, a description (`recsys query --text`)."""
        return _query(state, cfg, "text", body.text, body.k, body.using, body.filters, body.max_per_artist, body.explain)

    async def upload_query(modality: str, file: UploadFile, k: int, using: str | None, filters: Filters,
                           max_per_artist: int, explain: bool) -> QueryOut:
        limit = cfg.max_image_bytes if modality == "image" else cfg.max_audio_bytes
        suffix = _check_type(modality, file)
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise UploadTooLarge(f"the {modality} file is larger than {limit / 1024 / 1024:.1f} MiB")
        if not data:
            raise MediaError(f"the {modality} file is empty")
        # the library decodes files by path: the upload goes to a private temporary file
        fd, tmp = tempfile.mkstemp(prefix="recsys-upload-", suffix=suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            import asyncio

            try:
                return await asyncio.wait_for(
                    run_in_threadpool(_query, state, cfg, modality, tmp, k, using, filters, max_per_artist, explain),
                    timeout=cfg.decode_seconds,
                )
            except asyncio.TimeoutError:
                raise DecodeTimeout(f"decoding the {modality} file took longer than {cfg.decode_seconds:g} s") from None
            except RecsysError as exc:
                # the message names the temporary file: name the upload instead
                shown = Path(file.filename or f"upload{suffix}").name
                message = str(exc).replace(tmp, shown)
                try:
                    renamed = type(exc)(message)
                except TypeError:  # an error class with its own constructor
                    renamed = MediaError(message)
                raise renamed from None
        finally:
            Path(tmp).unlink(missing_ok=True)

    @api.post("/query/image", response_model=QueryOut, responses=UPLOAD_ERRORS)
    async def query_image(
        file: UploadFile = File(..., description="A picture: png, jpeg, webp, gif, bmp or tiff."),
        k: int = Form(10, ge=1, le=1000), using: VectorName | None = Form(None),
        max_per_artist: int = Form(2, ge=0, le=1000), explain: bool = Form(False),
        filters: Filters = Depends(upload_filters),
    ) -> QueryOut:
        """Tracks whose cover looks like the uploaded picture (`recsys query --image`), filtered as
        the JSON routes' `filters` are, each field a form field (a list's repeated)."""
        return await upload_query("image", file, k, using, filters, max_per_artist, explain)

    @api.post("/query/audio", response_model=QueryOut, responses=UPLOAD_ERRORS)
    async def query_audio(
        file: UploadFile = File(..., description="An audio clip: wav, flac, ogg, mp3, m4a, ..."),
        k: int = Form(10, ge=1, le=1000), using: VectorName | None = Form(None),
        max_per_artist: int = Form(2, ge=0, le=1000), explain: bool = Form(False),
        filters: Filters = Depends(upload_filters),
    ) -> QueryOut:
        """Tracks that sound like the uploaded clip (`recsys query --audio`), filtered as the JSON
        routes' `filters` are, each field a form field (a list's repeated)."""
        return await upload_query("audio", file, k, using, filters, max_per_artist, explain)

    return api


def _query(state: ServeState, cfg: ServeConfig, modality: str, value: str, k: int, using: str | None, filters: Filters,
           max_per_artist: int, explain: bool) -> QueryOut:
    from recsys.query.cross_modal import QueryRequest, query as run

    req = QueryRequest(modality=modality, value=value, k=k, using=using, flt=served_filter(filters.to_filter(), state.clean),
                       max_per_artist=max_per_artist, explain=explain, device=cfg.device)
    with state.reading() as lib:
        results = run(lib, req)
        return QueryOut(collection=lib.name, modality=modality, using=using or modality,
                        results=[TrackOut.of(r) for r in results])


def _check_type(modality: str, file: UploadFile) -> str:
    """The upload's suffix, when its type and name say it is an image (an audio file): else
    UnsupportedMedia (415)."""
    suffix = Path(file.filename or "").suffix.lower()
    ctype = (file.content_type or "").split(";")[0].strip().lower()
    if modality == "image":
        ok_name, ok_type = suffix in IMAGE_SUFFIXES, ctype in IMAGE_TYPES
        kinds = "png, jpeg, webp, gif, bmp or tiff"
    else:
        # a browser types a stem file or a WebM download as video: its sound is what is read
        ok_name = suffix in AUDIO_SUFFIXES
        ok_type = ctype.startswith("audio/") or (ctype in VIDEO_TYPES and suffix in VIDEO_SUFFIXES)
        kinds = ", ".join(sorted(s.lstrip(".") for s in AUDIO_SUFFIXES))
    if ok_name and (ok_type or ctype in GENERIC_TYPES):
        return suffix
    if ok_type and not suffix:  # a dropped blob without a name: its type decides
        known = {"image/jpeg": ".jpg", "image/tiff": ".tif", "audio/mpeg": ".mp3", "audio/mp4": ".m4a"}.get(ctype)
        subtype = ctype.split("/")[1].removeprefix("x-")
        if known or _SUBTYPE.fullmatch(subtype):  # the temporary file's suffix: never a long or odd name
            return known or "." + subtype
    shown = file.filename or ctype or "the upload"
    raise UnsupportedMedia(f"{shown!s} is not a{'n' if modality[0] in 'aeiou' else ''} {modality} file the query takes ({kinds})")


def _bad(message: str) -> RecsysError:
    return RecsysError(message)
