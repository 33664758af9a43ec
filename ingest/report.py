"""What an ingest did, as the CLI's table and ``--json`` give it (``ingest.pipeline``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from recsys.catalog.model import CatalogProblem
from recsys.modalities import FUSED, MODALITIES


@dataclass
class IngestReport:
    collection: str
    tracks: int = 0
    ingested: int = 0
    unchanged: int = 0
    vectors: dict[str, int] = field(default_factory=lambda: {m: 0 for m in (*MODALITIES, FUSED)})
    problems: list[CatalogProblem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    #: modality -> vectors taken from the embedding cache instead of the encoder
    cached: dict[str, int] = field(default_factory=dict)
    #: the sync: new ids, changed content (re-encoded), same content elsewhere (vectors kept),
    #: points removed because their track left the catalog
    added: int = 0
    updated: int = 0
    moved: int = 0
    removed: int = 0
    #: unchanged tracks encoded again for a vector their point lacks (``SyncPlan.retried``)
    retried: int = 0
    #: modality -> unchanged (or moved) tracks whose vector of it was encoded again, its input
    #: decoded otherwise when it was stored (``SyncPlan.reprepare``: a 5.1 file before the
    #: BS.775 downmix); their other vectors kept. ``preparation``: the report's lines on it
    reprepared: dict[str, int] = field(default_factory=dict)
    preparation: list[str] = field(default_factory=list)
    #: unchanged tracks whose stored payload is rewritten with their vectors (a touched file,
    #: or filter keys older rules made: ``SyncPlan.refresh``); counted among ``unchanged``
    refreshed: int = 0
    #: why tracks gone from the catalog were kept (None: nothing to remove, or removed)
    removal_skipped: str | None = None
    dry_run: bool = False
    #: a dry run's track ids: added, updated, moved ({from, to}), removed
    plan: dict | None = None
    #: what the catalog reader saw on disk (a music folder: seen, audio, skipped by type,
    #: failed tag reads); empty for manifests
    files: dict[str, int] = field(default_factory=dict)
    #: modality -> input files that could not be decoded (each also one problem line)
    failed: dict[str, int] = field(default_factory=dict)
    #: tracks per encode and upsert batch, as settled for the device (None: nothing to write)
    batch_size: int | None = None
    #: modality -> (the encoder the collection keeps, the one its profile names now), where
    #: the profile changed since it was made (``profiles.superseded``)
    superseded: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Non-zero exit only when nothing could be ingested."""
        if self.dry_run:
            return self.tracks > 0
        return self.tracks > 0 and (self.ingested + self.unchanged + self.moved) > 0

    def as_dict(self) -> dict:
        return {
            "collection": self.collection,
            "tracks": self.tracks,
            "ingested": self.ingested,
            "unchanged": self.unchanged,
            "vectors": self.vectors,
            "problems": [str(p) for p in self.problems],
            "cached": self.cached,
            "added": self.added,
            "updated": self.updated,
            "moved": self.moved,
            "removed": self.removed,
            "retried": self.retried,
            "reprepared": self.reprepared,
            "preparation": self.preparation,
            "refreshed": self.refreshed,
            "removal_skipped": self.removal_skipped,
            "dry_run": self.dry_run,
            "files": self.files,
            "failed": self.failed,
            "batch_size": self.batch_size,
            "superseded": {m: {"kept": old, "profile_now": new} for m, (old, new) in self.superseded.items()},
            **({"plan": self.plan} if self.plan is not None else {}),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }
