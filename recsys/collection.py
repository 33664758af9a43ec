"""What a collection records about itself: the encoder behind each named vector, the fused
vector's recipe and where its tracks came from. Querying with other encoders than the ones a
collection was built with fails with a message naming them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recsys.errors import EncoderError
from recsys.modalities import AUDIO, FUSED, MODALITIES

SCHEMA_VERSION = 1

#: The ``extra`` key of a collection made with ``recsys ingest --excerpt-vectors``: its tracks
#: keep vectors of short audio windows beside the middle's, searched by ``query --audio`` alone
#: (an excerpt from a track's start or end finds it); e.g. ``{"windows": 3, "seconds": 10.0}``.
AUDIO_EXCERPTS = "audio_excerpts"
#: The named vector of audio window i (1-based) of such a collection.
EXCERPT_VECTOR = "audio_x{}"

#: The name prefix that marks published vectors in a collection's metadata (as collections have
#: always stored it); use ``EncoderInfo.published`` and ``EncoderInfo.is_published``, not the string.
PUBLISHED_PREFIX = "precomputed:"


@dataclass(frozen=True)
class EncoderInfo:
    """What a collection records about the encoder behind one named vector."""

    name: str  # registry name, e.g. "minilm"
    modality: str  # text | image | audio | graph
    model: str  # model id, path or method, e.g. "all-MiniLM-L6-v2"
    dim: int

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "modality": self.modality, "model": self.model, "dim": self.dim}

    @classmethod
    def published(cls, modality: str, model: str, dim: int) -> EncoderInfo:
        """Vectors a catalog ships ready-made (the paper's Fairouz files): no encoder here made them."""
        return cls(name=f"{PUBLISHED_PREFIX}{model}", modality=modality, model=model, dim=dim)

    @property
    def is_published(self) -> bool:
        """True for ``published`` vectors, which no registered encoder reproduces."""
        return self.name.startswith(PUBLISHED_PREFIX)


@dataclass(frozen=True)
class FusedInfo:
    """``kind`` is "concat" (the L2-normalised modality vectors present, concatenated) until
    a fusion model is trained; then "model" with the checkpoint's folder."""

    kind: str
    dim: int
    parts: tuple[str, ...] = ()
    checkpoint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "dim": self.dim, "parts": list(self.parts), "checkpoint": self.checkpoint}


@dataclass(frozen=True)
class CollectionMeta:
    encoders: dict[str, EncoderInfo]
    fused: FusedInfo
    catalog_kind: str = ""
    catalog_path: str = ""
    profile: str = "offline"
    extra: dict[str, Any] = field(default_factory=dict)
    #: logical vector name -> the named vector that holds it now. A retrained fused space is
    #: written to a new named vector and switched to here in one metadata write, so a crash
    #: mid-way never leaves a collection without a complete fused vector.
    vector_names: dict[str, str] = field(default_factory=dict)

    def physical(self, logical: str) -> str:
        return self.vector_names.get(logical, logical)

    def media_path(self, stored: Any) -> str | None:
        """A track's audio or cover file as an absolute path, from the payload's ``audio_path``
        / ``cover_path`` (None when the track has none). Readers store the catalog folder
        joined with the file, so a catalog ingested from a relative folder leaves relative
        paths: they are looked up from the current folder, then under ``catalog_path`` (also
        without its own prefix), and the first that exists wins (else the first guess)."""
        if not stored:
            return None
        p = Path(str(stored)).expanduser()
        if p.is_absolute():
            return os.path.normpath(p)
        root = Path(self.catalog_path).expanduser() if self.catalog_path else None
        guesses = [Path.cwd() / p]
        if root is not None:
            if not root.is_absolute():
                root = Path.cwd() / root
            guesses.append(root / p)
            if self.catalog_path:
                try:  # the payload kept the catalog's own (relative) prefix
                    guesses.append(root / p.relative_to(Path(self.catalog_path)))
                except ValueError:
                    pass
        found = next((g for g in guesses if g.exists()), guesses[0])
        return os.path.normpath(found)

    def vector_dims(self) -> dict[str, int]:
        """Dims of the logical vectors (text, image, audio, graph, fused)."""
        dims = {m: e.dim for m, e in self.encoders.items()}
        dims[FUSED] = self.fused.dim
        return dims

    @property
    def published(self) -> bool:
        """Whether its vectors are published ones (``ingest --precomputed``), made by no encoder
        of the registry's."""
        return self.profile == "precomputed" or any(e.is_published for e in self.encoders.values())

    def encoder_names(self) -> dict[str, str]:
        """Modality -> the name of the encoder that made its vectors."""
        return {m: e.name for m, e in self.encoders.items()}

    def excerpt_vectors(self) -> dict[str, int]:
        """The named vectors of the audio windows (``AUDIO_EXCERPTS``) and their dim, the audio
        encoder's; empty for a collection made without them. Apart from ``vector_dims``: no
        fused vector, training or recommend reads them, only ``query --audio``."""
        windows = (self.extra.get(AUDIO_EXCERPTS) or {}).get("windows", 0)
        audio = self.encoders.get(AUDIO)
        if audio is None or not windows:
            return {}
        return {EXCERPT_VECTOR.format(i + 1): audio.dim for i in range(int(windows))}

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "encoders": {m: e.as_dict() for m, e in self.encoders.items()},
            "fused": self.fused.as_dict(),
            "catalog_kind": self.catalog_kind,
            "catalog_path": self.catalog_path,
            "profile": self.profile,
            "extra": self.extra,
            "vector_names": self.vector_names,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CollectionMeta":
        enc = {
            m: EncoderInfo(name=e["name"], modality=e["modality"], model=e["model"], dim=int(e["dim"]))
            for m, e in d.get("encoders", {}).items()
        }
        f = d.get("fused") or {}
        fused = FusedInfo(
            kind=f.get("kind", "concat"),
            dim=int(f.get("dim", sum(e.dim for e in enc.values()))),
            parts=tuple(f.get("parts", ())),
            checkpoint=f.get("checkpoint"),
        )
        return cls(
            encoders=enc,
            fused=fused,
            catalog_kind=d.get("catalog_kind", ""),
            catalog_path=d.get("catalog_path", ""),
            profile=d.get("profile", "offline"),
            extra=d.get("extra", {}),
            vector_names=dict(d.get("vector_names") or {}),
        )

    def check_encoders(self, collection: str, wanted: dict[str, EncoderInfo]) -> None:
        """Fail when an encoder differs from the one a named vector was built with."""
        for modality, info in wanted.items():
            have = self.encoders.get(modality)
            if have is None:
                raise EncoderError(
                    f"collection '{collection}' has no {modality} vectors, so {modality} encoder "
                    f"{describe(info)} cannot add them; ingest into another collection (--collection)"
                )
            if (have.name, have.model, have.dim) != (info.name, info.model, info.dim):
                raise EncoderError(
                    f"collection '{collection}' was built with {modality} encoder "
                    f"{describe(have)}, not {describe(info)}; use the same encoder or ingest "
                    f"into another collection (--collection)"
                )

    def encoder_for(self, collection: str, modality: str) -> EncoderInfo:
        info = self.encoders.get(modality)
        if info is None:
            known = ", ".join(self.encoders) or "none"
            raise EncoderError(
                f"collection '{collection}' has no {modality} vectors (it has: {known})"
            )
        return info


def describe(info: EncoderInfo) -> str:
    return f"'{info.name}' ({info.model}, {info.dim}-d)"


def concat_fused(parts: dict[str, int]) -> FusedInfo:
    ordered = tuple(m for m in MODALITIES if m in parts)
    return FusedInfo(kind="concat", dim=sum(parts[m] for m in ordered), parts=ordered)


def physical_vector(spec, logical: str) -> str:
    """The named vector of ``spec`` (a CollectionSpec) that holds the logical vector, checked."""
    from recsys.errors import RecsysError
    from recsys.modalities import VECTOR_NAMES

    if logical not in VECTOR_NAMES:
        raise RecsysError(f"unknown vector '{logical}'; choose one of: {', '.join(VECTOR_NAMES)}")
    name = CollectionMeta.from_dict(spec.metadata).physical(logical)
    if name not in spec.vectors:
        have = [v for v in VECTOR_NAMES if CollectionMeta.from_dict(spec.metadata).physical(v) in spec.vectors]
        raise RecsysError(f"collection '{spec.name}' has no '{logical}' vectors (it has: {', '.join(have)})")
    return name
