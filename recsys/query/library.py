"""A collection opened for queries (``Library``): its store, its seeds (``seeds``, ``radio``),
its neighbours read through the one dedup and artist cap (``picker``, ``versions``) and
given as results (``results``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

import numpy as np

from recsys.catalog.suffixes import AUDIO_SUFFIXES as MUSIC_FOLDER_SUFFIXES
from recsys.collection import CollectionMeta, physical_vector
from recsys.errors import NotFoundError, RecsysError
from recsys.store.base import SPOKEN, Hit, NeighbourQuery, PointRecord, QueryFilter, StoreBackend
from recsys.query.clean import CLEAN_ONLY, EXPLICIT_ONLY
from recsys.query.picker import Picker
from recsys.query.radio import RADIO_SEEDS, ArtistRadio
from recsys.query.results import Result, cosine, explain_hit, to_results
from recsys.query.seeds import FUZZY_CANDIDATES, TITLE_KEY, TITLE_TEXT_FIELD, SeedLookup
from recsys.query.titles import TitleIndex
from recsys.query.versions import IDENTITY_KEYS, artist_key, primary_artist, song_keys, track_key

#: the names importers take from here (the query functions, serve, cli, tests and bench),
#: each defined in the module of its concern
__all__ = ["AUDIO_SUFFIXES", "FUZZY_CANDIDATES", "IDENTITY_KEYS", "RADIO_SEEDS", "TITLE_KEY", "TITLE_TEXT_FIELD",
           "Library", "Neighbours", "Picker", "Result", "artist_key", "cosine", "excluding", "explain_hit",
           "primary_artist", "song_keys", "track_key"]


def excluding(flt: QueryFilter, track_ids: Iterable[str]) -> QueryFilter:
    """``flt`` that also leaves out ``track_ids`` (the seeds) in the store itself."""
    return replace(flt, exclude_track_ids=tuple(sorted(set(flt.exclude_track_ids) | set(track_ids))))


#: One neighbour query for the store (a nearest search, a recommend or MMR).
Neighbours = NeighbourQuery


#: The last suffixes of the audio files a track or an upload may have (a stem file's is ".mp4":
#: served as it is, its first stream the mix)
AUDIO_SUFFIXES = frozenset(MUSIC_FOLDER_SUFFIXES) | {".mp4"}


class Library(SeedLookup, ArtistRadio):
    """A collection opened for queries: its metadata, its titles and its neighbours."""

    def __init__(self, backend: StoreBackend, collection: str, *, files: bool = True):
        """``files``: a seed may name an audio file of this machine (the command line); a
        server passes False, so a request's seed is never looked up as a path (whether a
        path exists on the server is nobody's business)."""
        if not backend.collection_exists(collection):
            known = ", ".join(backend.list_collections()) or "none yet; run `recsys ingest`"
            raise NotFoundError(f"no collection '{collection}' (collections: {known})")
        self.backend = backend
        self.name = collection
        self.files = files
        self.spec = backend.get_spec(collection)
        self.meta = CollectionMeta.from_dict(self.spec.metadata)
        # built lazily, only for what the store cannot answer by itself
        self._titles: TitleIndex | None = None
        self._title_keys: bool | None = None
        self._spoken: bool | None = None
        self._explicit: bool | None = None
        self._clean: frozenset[tuple[str, str]] | None = None
        #: logical vector -> named vector, checked once (a Library lives while its spec does)
        self._vectors: dict[str, str] = {}

    # -- what the collection holds (seeds: ``SeedLookup``; artist radios: ``ArtistRadio``) -----
    def has_spoken(self) -> bool:
        """Whether any point is spoken word (the payload's ``kind``, ``recsys.query.kinds``):
        one count on its payload index, remembered (a server opens its Library again after
        a write)."""
        if self._spoken is None:
            self._spoken = self.backend.count(self.name, flt=QueryFilter(kind=SPOKEN)) > 0
        return self._spoken

    def has_explicit(self) -> bool:
        """Whether any point is marked explicit (the payload's ``advisory``, ``recsys.query.clean``):
        one count on its payload index, remembered as ``has_spoken``."""
        if self._explicit is None:
            self._explicit = self.backend.count(self.name, flt=EXPLICIT_ONLY) > 0
        return self._explicit

    def clean_copies(self) -> frozenset[tuple[str, str]]:
        """The song keys (``song_keys``) of every track marked clean or not explicit: the songs
        whose unmarked copy ``--clean`` leaves to the clean one. One filtered pass over those
        tracks' few fields, remembered (most collections have none or a few dozen)."""
        if self._clean is None:
            found = self.backend.payloads(self.name, IDENTITY_KEYS, flt=CLEAN_ONLY)
            self._clean = frozenset(song_keys(*found))
        return self._clean

    def resolve(
        self, seeds: Sequence[str], artist: str | None = None, vectors: Sequence[str] | None = None,
        clean: bool = False,
    ) -> list[PointRecord]:
        """The tracks meant by ``seeds``: each a track id, an audio file (absolute, or relative
        to the current folder or the catalog) or a title (exact, then fuzzy; ``artist`` narrows
        it). No seeds but an ``artist``: an artist radio's seeds, up to RADIO_SEEDS of that
        artist's songs (with ``clean``, a parent's radio: those not marked explicit, where the
        artist has any). The points come with every named vector, or only ``vectors``'
        (logical names, as ``using`` takes them)."""
        if not seeds and artist:
            entries = self._artist_tracks(artist, clean)
        else:
            # seeds given as track ids (what the API and the page send) are found with their
            # vectors in one lookup; the others are resolved one by one, then read
            found = self.points_by_id(seeds, vectors)
            if found is not None:
                return found
            entries = [self.find(s, artist) for s in seeds]
        points = {p.track_id: p for p in self.backend.retrieve(self.name, [e.track_id for e in entries],
                                                                with_vectors=self._fetch(vectors))}
        return [points[e.track_id] for e in entries]

    def points_by_id(self, seeds: Sequence[str], vectors: Sequence[str] | None = None) -> list[PointRecord] | None:
        """The stored tracks whose ids are ``seeds``, in order, with every named vector or
        only ``vectors``' (one point lookup); None unless every seed is a stored track's id
        (then ``resolve`` reads titles or paths)."""
        if not seeds:
            return None
        by_id = {p.track_id: p for p in self.backend.retrieve(self.name, list(seeds), with_vectors=self._fetch(vectors))}
        return [by_id[s] for s in seeds] if all(s in by_id for s in seeds) else None

    def _fetch(self, vectors: Sequence[str] | None) -> bool | list[str]:
        return True if vectors is None else [self.vector(v) for v in vectors]

    def vector(self, using: str) -> str:
        """The named vector that holds the logical vector ``using`` (checked to exist)."""
        found = self._vectors.get(using)
        if found is None:
            found = self._vectors[using] = physical_vector(self.spec, using)
        return found

    def seed_vector(self, seed: PointRecord, using: str) -> np.ndarray:
        v = seed.vectors.get(self.vector(using))
        if v is None:
            raise RecsysError(
                f'"{seed.payload.get("title")}" has no {using} vector (that modality is missing '
                f"for this track); try --using fused"
            )
        return v

    # -- the result loop -----------------------------------------------------------------
    def collect(self, q: Neighbours, k: int, picker: Picker, max_fetch: int = 5000) -> list[Hit]:
        """The first ``k`` neighbours that ``picker`` takes, asking the store for more until
        enough are found. ``picker`` itself is left as it was."""
        if q.diversity is None and q.flt.exclude_track_ids:
            # The picker leaves the excluded tracks out as well as the store would: a filtered
            # search checks every candidate against their ids (1 ms of a genre-filtered
            # search at 1M tracks). MMR keeps them out in the store: they would otherwise
            # count in its diversity.
            picker = picker.copy()
            picker.ids |= set(q.flt.exclude_track_ids)
            k_extra = len(q.flt.exclude_track_ids)
            q = replace(q, flt=replace(q.flt, exclude_track_ids=()))
        else:
            k_extra = 0
        limit = max(k * 4, k + 20) + k_extra
        while True:
            attempt = picker.copy()
            out: list[Hit] = []
            seen = 0
            # the hits are read as they are taken: a store that reads payloads lazily
            # reads only those up to the k-th taken
            for h in self.backend.neighbours(self.name, q, limit):
                seen += 1
                if attempt.take(h):
                    out.append(h)
                    if len(out) == k:
                        return out
            if seen < limit or limit >= max_fetch:
                return out
            limit = min(limit * 4, max_fetch)

    def to_results(
        self,
        hits: Sequence[Hit | PointRecord],
        seeds: Sequence[PointRecord] = (),
        explain: bool = False,
        seed_label: str | None = None,
        scores: Sequence[float] | None = None,
        is_seed: bool = False,
    ) -> list[Result]:
        """Results for ``hits`` (or stored points, with ``scores``), each with its files as
        absolute paths (``CollectionMeta.media_path``)."""
        return to_results(self.meta, hits, seeds, explain, seed_label, scores, is_seed)
