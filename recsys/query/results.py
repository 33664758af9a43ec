"""A query's answer as a listener sees it: one ``Result`` a track, with its files as absolute
paths and, explained, its per-modality similarity to the seeds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from recsys.collection import CollectionMeta
from recsys.modalities import MODALITIES
from recsys.store.base import Hit, PointRecord
from recsys.query.clean import explicit_of


@dataclass(frozen=True)
class Result:
    """One recommended track, with the cosine similarity to the seeds per modality when
    explained (None where the track or the seed lacks that modality)."""

    track_id: str
    title: str
    artist: str
    album: str
    genres: tuple[str, ...]
    year: int | None
    score: float
    explanation: dict[str, float | None] | None = None
    seed: str | None = None  # for playlists: the seed this track came from
    #: the audio and cover files, absolute (None when the catalog has none for this track)
    audio_path: str | None = None
    cover_path: str | None = None
    is_seed: bool = False  # an ordered playlist's own seed tracks
    #: a track of an album ripped to one file: its part of ``audio_path``, in seconds (the
    #: payload's ``audio_start`` / ``audio_end``; the end None: to the file's end)
    audio_start: float | None = None
    audio_end: float | None = None
    #: the MusicBrainz recording id its tags give (the payload's ``recording_id``), for scripts
    #: that join results with MusicBrainz or ListenBrainz; None without one
    recording_id: str | None = None
    #: the tempo and the Camelot key its tags give (the payload's ``bpm`` / ``key``), for a
    #: DJ picking the next track; None without them
    bpm: float | None = None
    key: str | None = None
    #: the parental advisory its tags or marks give (the payload's ``advisory``): True
    #: explicit, False clean, None where nothing says
    explicit: bool | None = None

    def as_dict(self) -> dict:
        d = {
            "track_id": self.track_id,
            "title": self.title,
            "artist": self.artist,
            "album": self.album,
            "genres": list(self.genres),
            "year": self.year,
            "score": round(self.score, 6),
            "audio_path": self.audio_path,
            "cover_path": self.cover_path,
        }
        if self.explanation is not None:
            d["explanation"] = {m: (None if v is None else round(v, 6)) for m, v in self.explanation.items()}
        if self.seed is not None:
            d["seed"] = self.seed
        if self.is_seed:
            d["is_seed"] = True
        if self.recording_id:  # only then, as the span below
            d["recording_id"] = self.recording_id
        if self.bpm is not None:  # the same
            d["bpm"] = self.bpm
        if self.key:
            d["key"] = self.key
        if self.explicit is not None:  # the same
            d["explicit"] = self.explicit
        if self.audio_start is not None:  # only then: every other track's answer is as it was
            d["audio_start"] = self.audio_start
            d["audio_end"] = self.audio_end
        return d



def _cosine(score: float) -> float:
    """A similarity as shown: a track's vector stored in float16 against itself (a query by its
    own audio clip) scored 1.000065; a cosine is at most 1."""
    score = float(score)
    return 1.0 if 1.0 < score <= 1.001 else score


def to_results(
    meta: CollectionMeta,
    hits: Sequence[Hit | PointRecord],
    seeds: Sequence[PointRecord] = (),
    explain: bool = False,
    seed_label: str | None = None,
    scores: Sequence[float] | None = None,
    is_seed: bool = False,
) -> list[Result]:
    """Results for ``hits`` (or stored points, with ``scores``), each with its files as
    absolute paths (``CollectionMeta.media_path``)."""
    out = []
    for i, h in enumerate(hits):
        p = h.payload
        out.append(
            Result(
                track_id=h.track_id,
                title=str(p.get("title", "")),
                artist=str(p.get("artist", "")),
                album=str(p.get("album", "") or ""),
                genres=tuple(p.get("genres") or ()),
                year=p.get("year"),
                score=_cosine(scores[i] if scores is not None else getattr(h, "score", 0.0)),
                explanation=explain_hit(h.vectors, seeds) if explain else None,
                seed=seed_label,
                audio_path=meta.media_path(p.get("audio_path")),
                cover_path=meta.media_path(p.get("cover_path")),
                is_seed=is_seed,
                audio_start=_seconds(p.get("audio_start")),
                audio_end=_seconds(p.get("audio_end")),
                recording_id=p.get("recording_id") if isinstance(p.get("recording_id"), str) else None,
                bpm=_seconds(p.get("bpm")),
                key=p.get("key") if isinstance(p.get("key"), str) and p.get("key") else None,
                explicit=explicit_of(p),
            )
        )
    return out


def _seconds(value: object) -> float | None:
    """A payload's span bound (or tempo), or None where there is none (or it is no number)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return float(np.dot(a, b) / (na * nb))


def explain_hit(vectors: dict[str, np.ndarray], seeds: Sequence[PointRecord]) -> dict[str, float | None]:
    """Per modality, the best cosine similarity between this track and any seed: the bars
    of ``--explain`` (the paper's demo drew them as a radar plot)."""
    out: dict[str, float | None] = {}
    for m in MODALITIES:
        v = vectors.get(m)
        sims = [cosine(v, s.vectors[m]) for s in seeds if v is not None and m in s.vectors]
        out[m] = max(sims) if sims else None
    return out
