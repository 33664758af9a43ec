"""Cross-modal queries: a cover, a text or an audio clip in, tracks out."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from recsys.errors import RecsysError
from recsys.fusion.fuser import Fuser
from recsys.query.clean import clean_songs, store_filter
from recsys.query.artistfilter import with_artists
from recsys.query.composers import with_composers
from recsys.query.performers import with_performers
from recsys.query.library import Library, Neighbours, Picker, Result
from recsys.modalities import AUDIO, FUSED, IMAGE, TEXT, VECTOR_NAMES
from recsys.store.base import Hit, PointRecord, QueryFilter
from recsys.text import with_article


@dataclass(frozen=True)
class QueryRequest:
    modality: str  # text | image | audio
    value: str  # the text, or a file path
    k: int = 10
    using: str | None = None  # default: the input's own modality
    flt: QueryFilter = field(default_factory=QueryFilter)
    max_per_artist: int = 2
    explain: bool = False
    device: str | None = None
    profile: str | None = None  # fail unless the collection was built with this profile


def collection_encoder(lib: Library, modality: str, device: str | None = None):
    """The encoder the collection's ``modality`` vectors were built with, loaded and checked."""
    from recsys.encoders import get_encoder

    info = lib.meta.encoder_for(lib.name, modality)
    if info.is_published:
        raise RecsysError(
            f"collection '{lib.name}' holds published {modality} vectors ({info.model}) that no "
            f"encoder here reproduces; search it by title with `recsys recommend`, or ingest the "
            f"catalog with encoders to query it by {modality}"
        )
    encoder = get_encoder(info.name, device=device)
    if encoder.info.dim != info.dim:
        raise RecsysError(
            f"encoder '{info.name}' gives {encoder.info.dim}-d vectors but collection "
            f"'{lib.name}' stores {info.dim}-d {modality} vectors"
        )
    return encoder


def embed_query(lib: Library, modality: str, value: str, device: str | None = None) -> np.ndarray:
    """Encode the query with the encoder the collection's ``modality`` vectors were built with."""
    from recsys.encoders.media import decode_input

    if modality not in (TEXT, IMAGE, AUDIO):
        raise RecsysError(f"cannot query by {modality}; use --text, --image or --audio")
    encoder = collection_encoder(lib, modality, device)
    if modality == TEXT and not value.strip():
        raise RecsysError("the text query is empty")
    return encoder.encode([decode_input(encoder, value)])[0]


def embed_text_in(lib: Library, modality: str, text: str, device: str | None = None) -> np.ndarray:
    """A text in the space of the image or audio vectors, when their encoder embeds text too
    (CLIP for covers, CLAP for sound): "neon synthwave cover", "slow sad piano"."""
    if not text.strip():
        raise RecsysError("the text query is empty")
    encoder = collection_encoder(lib, modality, device)
    if not encoder.text_space:
        hint = "--image-encoder clip-vit-b-32" if modality == IMAGE else "--audio-encoder clap-htsat-unfused"
        raise RecsysError(
            f"a text query searches text or fused vectors; the {modality} encoder "
            f"'{encoder.info.name}' of collection '{lib.name}' cannot embed text (ingest with {hint} "
            f"for text-to-{modality} search)"
        )
    return encoder.encode_text([text])[0]


#: what a track needs for a vector of each modality, for the messages below
_SOURCE = {
    TEXT: "text (a summary, lyrics, themes, moods or a description)",
    IMAGE: "a cover",
    AUDIO: "audio",
}


def _count(lib: Library, logical: str) -> int:
    """Points that carry the logical vector (0 when the collection has no such named vector)."""
    physical = lib.meta.physical(logical)
    if physical not in lib.spec.vectors:
        return 0
    return lib.backend.count(lib.name, using=physical)


def no_vectors_error(lib: Library, logical: str) -> RecsysError:
    """The collection has no ``logical`` vectors at all: say so, with the vectors it has."""
    have = [v for v in VECTOR_NAMES if v != logical and _count(lib, v) > 0]
    source = _SOURCE.get(logical)
    fix = (
        f"none of its tracks has {source}; add it to the catalog and run `recsys ingest` again"
        if source else "run `recsys ingest` again"
    )
    return RecsysError(
        f"collection '{lib.name}' has no {logical} vectors (it has: {', '.join(have) or 'none'}); {fix}"
    )


def check_fused_reads(lib: Library, modality: str) -> None:
    """Refuse a ``modality`` query into the fused space when the fused vectors hold nothing of
    that modality: a model trained while the collection had no such vectors (it never learned
    to place them), or concatenated vectors whose block of that modality is zero everywhere.
    Either would answer with noise."""
    fused = lib.meta.fused
    if fused.kind == "model":
        info = lib.meta.extra.get("fusion") or {}
        if modality in (info.get("missing_modalities") or ()):
            raise RecsysError(
                f"the fused model of collection '{lib.name}' was trained without {modality} vectors "
                f"(the collection had none), so {with_article(modality)} query cannot be placed in the fused space; "
                f"add {_SOURCE.get(modality, modality)} to the tracks, ingest and run `recsys train` again"
            )
        return
    if modality in fused.parts and _count(lib, modality) == 0:
        raise no_vectors_error(lib, modality)


def to_space(lib: Library, modality: str, vector: np.ndarray, using: str) -> np.ndarray:
    """The query vector in the space of the named vector ``using``."""
    if using == modality:
        return vector
    if using == FUSED:
        # the query alone in the fused space: its block of the concatenation, or the trained
        # model with every other modality masked
        v = Fuser(lib.meta).fuse([{modality: vector}])[0]
        if v is None:
            raise RecsysError("the query embedded to a zero vector")
        return v
    raise RecsysError(
        f"{with_article(modality)} query searches {modality} or fused vectors, not {using} "
        f"(use --using {modality} or --using fused)"
    )


def query(lib: Library, req: QueryRequest) -> list[Result]:
    """Tracks near the encoded input in the named vector ``using``, through the one dedup and
    artist cap."""
    if req.profile:
        from recsys.encoders.profiles import check_profile

        check_profile(lib.name, lib.meta.profile, req.profile)
    # the input itself first: loading an encoder takes seconds, a missing file or an empty text
    # is known at once
    if req.modality == TEXT and not req.value.strip():
        raise RecsysError("the text query is empty")
    if req.modality in (IMAGE, AUDIO):
        from recsys.encoders.media import check_media_file

        check_media_file(req.value)
    req = with_artists(lib.backend, lib.name, req)  # "--only-artist yorushika": the library's "ヨルシカ"
    req = with_composers(lib.backend, lib.name, req)  # "--composer bach", before any model loads
    req = with_performers(lib.backend, lib.name, req)  # "--performer chambers": Paul Chambers
    using = req.using or req.modality
    vname = lib.vector(using)
    if using == req.modality and _count(lib, using) == 0:
        # nothing to search: said before the query's model loads (MiniLM took 5 s to come to this)
        raise no_vectors_error(lib, using)
    space = req.modality
    if req.modality == TEXT and using in (IMAGE, AUDIO):
        raw = embed_text_in(lib, using, req.value, req.device)
        vector, space = raw, using
    else:
        if using == FUSED:
            check_fused_reads(lib, req.modality)
        raw = embed_query(lib, req.modality, req.value, req.device)
        vector = to_space(lib, req.modality, raw, using)
    windows = tuple(lib.meta.excerpt_vectors()) if req.modality == AUDIO and using == AUDIO else ()
    windows = tuple(w for w in windows if w in lib.spec.vectors)
    if windows:
        hits = _best_of(lib, (vname, *windows), vector, req)
    else:
        neighbours = Neighbours(vector_name=vname, positives=(vector,), flt=store_filter(lib, req.flt),
                                with_vectors=req.explain)
        hits = lib.collect(neighbours, req.k, Picker(req.max_per_artist, clean_songs=clean_songs(lib, req.flt)))
    if not hits and _count(lib, using) == 0:
        # nothing to search, rather than filters that matched nothing
        raise no_vectors_error(lib, using)
    if not req.explain:
        return lib.to_results(hits)
    # explain a result against the query itself, in the queried modality
    probe = PointRecord(track_id="<query>", vectors={space: raw})
    return lib.to_results(hits, [probe], explain=True)


def _best_of(lib: Library, names: tuple[str, ...], vector: np.ndarray, req: QueryRequest) -> list[Hit]:
    """An audio clip against a collection that keeps audio windows (``ingest --excerpt-vectors``):
    each of ``names`` (the middle's vector and the windows') searched with the same filter, a
    track scored by its best match (an excerpt from a track's start matches its first window,
    not its middle), then the one dedup and artist cap over that order. Each search reads
    enough hits for the cap to drop some (as ``Library.collect`` first asks)."""
    limit = max(req.k * 4, req.k + 20)
    best: dict[str, Hit] = {}
    for name in names:
        q = Neighbours(vector_name=name, positives=(vector,), flt=store_filter(lib, req.flt), with_vectors=req.explain)
        for h in lib.backend.neighbours(lib.name, q, limit):
            if h.track_id not in best or h.score > best[h.track_id].score:
                if req.explain and name in h.vectors:
                    # --explain's audio similarity is the match that scored the track (the
                    # window the clip is closest to), not always the middle's
                    h = replace(h, vectors={**h.vectors, names[0]: h.vectors[name]})
                best[h.track_id] = h
    picker, out = Picker(req.max_per_artist, clean_songs=clean_songs(lib, req.flt)), []
    for h in sorted(best.values(), key=lambda h: (-h.score, h.track_id)):
        if picker.take(h):
            out.append(h)
            if len(out) == req.k:
                break
    return out
