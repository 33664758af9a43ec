"""The API's request and response models (pydantic): what the OpenAPI schema describes.

Requests mirror the library's request dataclasses (``RecommendRequest``, ``PlaylistRequest``,
``PathRequest``, ``QueryRequest``) field for field and are turned into them here; responses
carry the library's results with URLs for the cover and the audio instead of file paths
(the server's folders are nobody's business)."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from recsys.query.filterspec import FilterValueError, camelot_keys, check_range, listener_filter
from recsys.query.library import Result
from recsys.store.base import PointRecord, QueryFilter

VectorName = Literal["fused", "text", "image", "audio", "graph"]
#: a seed, a title, an artist: long enough for any real one, short enough to bound the work
Name = Annotated[str, Field(min_length=1, max_length=500)]


class _Strict(BaseModel):
    """A JSON request body: unknown fields are refused, and every value must have its field's
    own JSON type. Pydantic's lax mode took ``"k": true`` for 1, ``"k": "5"`` for 5 and
    ``"explain": 1`` or ``"true"`` for true: a client's bug answered as if meant. Strict, an
    integer field takes a JSON integer only (not ``true``, ``"5"`` or ``5.0``), a boolean
    ``true``/``false`` only, a number an integer or a float, a string a string (422 otherwise).
    Form fields and query parameters are text by nature and keep their parsing."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Filters(_Strict):
    """Payload filters, as the CLI's --genre, --only-artist, --composer, --performer, --exclude-artist, --year,
    --bpm, --key, --kind and --clean (``recsys.query.filterspec``, the one builder of both). The upload
    queries take the same fields as form fields (``serve.forms``)."""

    genres: list[Name] = Field(default_factory=list, max_length=50, description="Any of these genres.")
    only_artists: list[Name] = Field(default_factory=list, max_length=50)
    composers: list[Name] = Field(
        default_factory=list, max_length=50,
        description="Works by any of these composers, whoever performs them: a name as `/api/facets/composers`"
        " lists it, its surname alone (\"bach\", \"dvorak\"), or another spelling (\"J.S. Bach\","
        " \"Tschaikowsky\"); one that fits several composers is a 400 naming them.",
    )
    performers: list[Name] = Field(
        default_factory=list, max_length=50,
        description="Tracks on which any of these musicians plays, as the tags credit them: a name as"
        " `/api/facets/performers` lists it or a surname alone; one that fits several musicians is a 400 naming them.",
    )
    exclude_artists: list[Name] = Field(default_factory=list, max_length=50)
    year_min: Optional[int] = Field(None, ge=0, le=9999)
    year_max: Optional[int] = Field(None, ge=0, le=9999)
    bpm_min: Optional[float] = Field(None, ge=0, le=1000, description="Tempo at least this (the BPM tags).")
    bpm_max: Optional[float] = Field(None, ge=0, le=1000)
    keys: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(
        default_factory=list, max_length=24,
        description="Any of these musical keys: Camelot (8A), Open Key (1m) or a note name (Am, F# minor).",
    )

    kind: Optional[Literal["music", "spoken", "any"]] = Field(
        None, description="Which tracks the results hold, as the CLI's --kind: without it, a song's results leave "
        "spoken word (podcasts, audiobooks, voice memos, skits) out and an episode's keep to spoken word.",
    )
    clean: bool = Field(
        False, description="A parent's radio, as the CLI's --clean: no track marked explicit (by its tags, or"
        " \"[Explicit]\" in its title or album), and of a song owned explicit and clean the clean copy. Tracks"
        " with no advisory are kept: most files carry none. A clean server (`recsys serve --clean`) sets it"
        " whatever is sent.",
    )

    @field_validator("keys")
    @classmethod
    def _camelot(cls, keys: list[str]) -> list[str]:
        """The keys in Camelot, as the catalog keeps them (a key no notation reads: a 422)."""
        try:
            return list(camelot_keys(keys))
        except FilterValueError as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _ranges(self) -> "Filters":
        """An empty range is a 422 as the CLI's `--year 2020-1990` is a usage error, not an
        answer without tracks."""
        for lo, hi, what in ((self.year_min, self.year_max, "year"), (self.bpm_min, self.bpm_max, "bpm")):
            try:
                check_range(lo, hi, what)
            except FilterValueError as exc:
                raise ValueError(str(exc)) from None
        return self

    def to_filter(self) -> QueryFilter:
        """The store's filter, through the builder the CLI's options go through too."""
        return listener_filter(
            genres=self.genres, only_artists=self.only_artists, exclude_artists=self.exclude_artists,
            composers=self.composers, performers=self.performers, years=(self.year_min, self.year_max),
            bpms=(self.bpm_min, self.bpm_max), keys=self.keys, kind=self.kind, clean=self.clean,
        )


#: ``mixable``'s description (`recsys recommend --mixable`)
MIXABLE = ("Only tracks a DJ can mix into the seed (a playlist: each seed's tracks into that seed): a compatible "
           "Camelot key and a tempo within 6%; the seeds need BPM and key tags.")


class RecommendBody(_Strict):
    seeds: list[Name] = Field(default_factory=list, max_length=50,
                             description="Titles (exact, else fuzzy), track ids; none with `artist`: an artist radio.")
    artist: Optional[str] = Field(None, min_length=1, max_length=500)
    negatives: list[Name] = Field(default_factory=list, max_length=50)
    k: int = Field(10, ge=1, le=1000)
    using: VectorName = "fused"
    filters: Filters = Field(default_factory=Filters)
    max_per_artist: int = Field(2, ge=0, le=1000)
    explain: bool = False
    mixable: bool = Field(False, description=MIXABLE)


class PlaylistBody(_Strict):
    seeds: list[Name] = Field(default_factory=list, max_length=50)
    artist: Optional[str] = Field(None, min_length=1, max_length=500)
    per_seed: int = Field(3, ge=1, le=100)
    diversity: float = Field(0.3, ge=0.0, le=1.0)
    using: VectorName = "fused"
    filters: Filters = Field(default_factory=Filters)
    max_per_artist: int = Field(2, ge=0, le=1000)
    explain: bool = False
    mixable: bool = Field(False, description=MIXABLE)


class PathBody(_Strict):
    start: str = Field(min_length=1, max_length=500)
    end: str = Field(min_length=1, max_length=500)
    start_artist: Optional[str] = Field(None, min_length=1, max_length=500)
    end_artist: Optional[str] = Field(None, min_length=1, max_length=500)
    steps: int = Field(4, ge=1, le=100)
    using: VectorName = "fused"
    filters: Filters = Field(default_factory=Filters)
    max_per_artist: int = Field(2, ge=0, le=1000)


class TextQueryBody(_Strict):
    text: str = Field(min_length=1, max_length=2000)
    k: int = Field(10, ge=1, le=1000)
    using: Optional[VectorName] = Field(None, description="Default: text.")
    filters: Filters = Field(default_factory=Filters)
    max_per_artist: int = Field(2, ge=0, le=1000)
    explain: bool = False


class TrackOut(BaseModel):
    """One track in an answer; ``score`` is its similarity to the query (or its title
    match, in a search), ``explanation`` its cosine to the seeds per modality."""

    track_id: str
    title: str
    artist: str
    album: str
    genres: list[str]
    year: Optional[int]
    score: float
    explanation: Optional[dict[str, Optional[float]]] = None
    seed: Optional[str] = None
    is_seed: bool = False
    cover_url: Optional[str] = None
    audio_url: Optional[str] = None
    recording_id: Optional[str] = Field(None, description="The MusicBrainz recording id its tags give.")
    bpm: Optional[float] = Field(None, description="The tempo its tags give.")
    key: Optional[str] = Field(None, description="The musical key its tags give, in Camelot notation (8A).")
    explicit: Optional[bool] = Field(None, description="The parental advisory its tags or title give: true explicit, "
                                     "false clean; none where nothing says (most files).")

    @classmethod
    def of(cls, r: Result) -> "TrackOut":
        d = r.as_dict()
        return cls(
            track_id=r.track_id, title=r.title, artist=r.artist, album=r.album, genres=list(r.genres),
            year=r.year if isinstance(r.year, int) else None, score=d["score"], explanation=d.get("explanation"),
            seed=r.seed, is_seed=r.is_seed,
            cover_url=media_url(r.track_id, "cover") if r.cover_path else None,
            audio_url=media_url(r.track_id, "audio") + _span_fragment(r) if r.audio_path else None,
            recording_id=r.recording_id, bpm=r.bpm, key=r.key, explicit=r.explicit,
        )


def _span_fragment(r: Result) -> str:
    """A media fragment (``#t=start,end``) for a track that is a part of its file (a track of an
    album ripped to one file): the page's player starts and stops there. "" for a whole file."""
    if r.audio_start is None:
        return ""
    return f"#t={r.audio_start:.3f}" + (f",{r.audio_end:.3f}" if r.audio_end is not None else "")


def media_url(track_id: str, kind: str) -> str:
    from urllib.parse import quote

    return f"/api/tracks/{quote(track_id, safe='')}/{kind}"


class SeedOut(BaseModel):
    track_id: str
    title: Optional[str]
    artist: Optional[str]

    @classmethod
    def of(cls, p: PointRecord) -> "SeedOut":
        return cls(track_id=p.track_id, title=_str(p.payload.get("title")), artist=_str(p.payload.get("artist")))


def _str(v) -> Optional[str]:
    return None if v is None else str(v)


class RecommendOut(BaseModel):
    collection: str
    using: str
    seeds: list[SeedOut]
    negatives: list[SeedOut]
    results: list[TrackOut]
    mixable: Optional[dict] = Field(None, description="With `mixable`: the seed's tempo and key, the keys and tempi matched.")


class PlaylistOut(RecommendOut):
    playlist: list[TrackOut]
    dropped: list[TrackOut]


class PathOut(BaseModel):
    collection: str
    using: str
    start: SeedOut
    end: SeedOut
    steps: int
    results: list[TrackOut]


class QueryOut(BaseModel):
    collection: str
    modality: str
    using: str
    results: list[TrackOut]


class SearchOut(BaseModel):
    collection: str
    query: str
    results: list[TrackOut]


class FacetValue(BaseModel):
    value: str | int | float | bool | None
    count: int


class FacetsOut(BaseModel):
    collection: str
    facet: str
    total: int
    values: list[FacetValue]


class GraphNode(BaseModel):
    id: str
    kind: Literal["track", "artist", "album", "genre", "neighbour"]
    label: str
    track_id: Optional[str] = None


class GraphEdge(BaseModel):
    source: str
    target: str
    kind: str


class GraphOut(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class TrackDetailOut(BaseModel):
    """A track: its metadata, its catalog texts (when the catalog is at hand), its
    nearest tracks by the fused vector and by each modality it has, and a small graph."""

    collection: str
    track: TrackOut
    tags: list[str]
    summary: str = ""
    themes: list[str] = Field(default_factory=list)
    moods: list[str] = Field(default_factory=list)
    description: str = ""
    vectors: list[str]
    neighbours: dict[str, list[TrackOut]]
    graph: GraphOut


class CollectionInfo(BaseModel):
    collection: str
    points: int
    vectors: dict[str, int]
    dims: dict[str, int]
    encoders: dict[str, dict]
    fused: dict
    profile: str
    catalog: dict
    #: modality -> {"kept": ..., "profile_now": ...}: encoders the profile has replaced since
    superseded: dict[str, dict] = {}
    #: tracks of spoken word (podcasts, audiobooks, voice memos), which a song's results leave out
    spoken: int = 0
    #: tracks marked explicit, and marked clean (or not explicit), by their tags or titles: `--clean`
    explicit: int = 0
    clean: int = 0
    #: the musicians the tags credit (`--performer`), and the tracks naming any
    performers: int = 0
    performer_tracks: int = 0


class PayloadCacheOut(BaseModel):
    """The payloads the server keeps of the served collection (``--payload-cache``), counted
    since the last write emptied them."""

    points: int
    max_points: int
    hits: int
    misses: int


#: ``clean``'s description in /api/info and /api/health
SERVER_CLEAN = ("A clean server (`recsys serve --clean`, RECSYS_CLEAN=1): every answer as with `filters.clean`, whatever a"
                " request says, and a track marked explicit is not served by id, title or artist (404).")


class InfoOut(BaseModel):
    serving: str
    collections: list[CollectionInfo]
    payload_cache: Optional[PayloadCacheOut] = None
    clean: bool = Field(False, description=SERVER_CLEAN)


class LiveOut(BaseModel):
    status: Literal["ok"]


class HealthOut(BaseModel):
    status: Literal["ok"]
    collection: str
    points: int
    clean: bool = Field(False, description=SERVER_CLEAN)


class MapPointOut(BaseModel):
    x: float
    y: float
    title: str
    artist: str
    genres: list[str]
    group: str


class MapOut(BaseModel):
    collection: str
    using: str
    color: str
    method: str
    colours: dict[str, str]
    points: list[MapPointOut]


class ErrorOut(BaseModel):
    error: str


#: the error answers every API route may give, all ``{"error": "<one line>"}``: documented on
#: each route so the schema matches what the server says (FastAPI's own 422 shape is replaced)
ERROR_RESPONSES: dict[int | str, dict] = {
    status: {"model": ErrorOut, "description": why}
    for status, why in (
        (400, "A request the library refused (one line)."),
        (401, "The API key is missing or wrong (when the server has one)."),
        (404, "No such track, title or collection."),
        (413, "The request body or upload is too large."),
        (422, "A body that is not the JSON object (or form) the route takes, a field of the wrong type or "
                "value, or an upload that cannot be decoded."),
        (500, "A bug: one line; the traceback is in the server's log."),
        (503, "The store cannot be read."),
    )
}
