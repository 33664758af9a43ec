"""The verify job: check a collection against its catalog and say what to run to repair it.

``verify_collection`` reads the collection's spec and metadata, its fusion checkpoint and every
point (with vectors, in pages) and, when a catalog is given or the collection's recorded
``catalog_path`` still exists, the catalog. Each problem is one typed ``Finding`` with a
severity, the tracks it concerns (a count and the first few ids) and the command that repairs
it. Nothing is written: verify only reads.
"""

from __future__ import annotations

import math

import shlex
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ingest import preparation
from ingest.sync import dropped_entries
from recsys.catalog.model import Catalog, TrackRecord, input_source
from recsys.catalog.trackids import track_label
from recsys.collection import CollectionMeta, EncoderInfo
from recsys.errors import EncoderError, RecsysError, StoreError, StoreInUseError
from recsys.modalities import AUDIO, FUSED, GRAPH, IMAGE, MODALITIES, TEXT
from recsys.text import described, with_article
from recsys.store.base import StoreBackend

ERROR = "error"
WARNING = "warning"

#: the kinds of finding, in the order they are reported
MISSING_POINTS = "missing_points"
EXTRA_POINTS = "extra_points"
MISSING_VECTOR = "missing_vector"
MISSING_FUSED = "missing_fused"
NOT_ENCODED = "not_encoded"
PREPARATION = "preparation"
WRONG_DIM = "wrong_dim"
BAD_VECTOR = "bad_vector"
ENCODER_MISMATCH = "encoder_mismatch"
CHECKPOINT = "checkpoint"
METADATA = "metadata"
CATALOG = "catalog"

#: how many track ids a finding lists
SAMPLE_IDS = 10


@dataclass(frozen=True)
class Finding:
    """One kind of problem: ``count`` tracks (or 1 for a collection-level one), the first of
    them in ``track_ids``, and the command that repairs it."""

    kind: str
    severity: str
    message: str
    repair: str
    count: int = 1
    track_ids: tuple[str, ...] = ()
    vector: str | None = None
    #: the first tracks as a person knows them: the file (a music folder's ids are hashes of
    #: its paths), else "title" by artist; filled by ``verify_collection``
    examples: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "vector": self.vector,
            "count": self.count,
            "track_ids": list(self.track_ids),
            "examples": list(self.examples),
            "message": self.message,
            "repair": self.repair,
        }


@dataclass(frozen=True)
class VerifyOptions:
    """The encoders the user would ingest with (all None: the collection's own, as recorded),
    and the store options to repeat in every repair command (``--home X``)."""

    profile: str | None = None
    text_encoder: str | None = None
    image_encoder: str | None = None
    audio_encoder: str | None = None
    graph_encoder: str | None = None
    store_args: tuple[str, ...] = ()
    batch_size: int = 256

    def overrides(self) -> dict[str, str | None]:
        return {TEXT: self.text_encoder, IMAGE: self.image_encoder, AUDIO: self.audio_encoder, GRAPH: self.graph_encoder}

    @property
    def asks_encoders(self) -> bool:
        return self.profile is not None or any(self.overrides().values())


@dataclass
class VerifyReport:
    collection: str
    #: the catalog checked against (None: store-side checks only)
    catalog: str | None = None
    points: int = 0
    tracks: int | None = None
    #: named vector -> points holding it
    vectors: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Clean: no finding of severity error (warnings do not fail)."""
        return not any(f.severity == ERROR for f in self.findings)

    def repairs(self) -> list[str]:
        """The distinct repair commands of the errors then the warnings, in order."""
        out: list[str] = []
        for sev in (ERROR, WARNING):
            for f in self.findings:
                if f.severity == sev and f.repair not in out:
                    out.append(f.repair)
        return out

    def counts(self) -> dict[str, int]:
        return {sev: sum(1 for f in self.findings if f.severity == sev) for sev in (ERROR, WARNING)}

    def as_dict(self) -> dict:
        return {
            "collection": self.collection,
            "catalog": self.catalog,
            "ok": self.ok,
            "points": self.points,
            "tracks": self.tracks,
            "vectors": self.vectors,
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
            "repairs": self.repairs(),
            "notes": list(self.notes),
        }


def _cmd(*parts: str) -> str:
    return shlex.join(["recsys", *parts])


def ingest_args(meta: CollectionMeta) -> list[str]:
    """Options that make ``recsys ingest`` use exactly the collection's encoders: each one
    that differs from the default profile's, or ``--precomputed`` for published vectors."""
    from recsys.encoders.profiles import DEFAULT_PROFILE, profile_encoders

    if meta.published:
        return ["--precomputed"]
    defaults = profile_encoders(DEFAULT_PROFILE)
    args: list[str] = []
    for m in MODALITIES:
        e = meta.encoders.get(m)
        if e is not None and defaults.get(m) != e.name:
            args += [f"--{m}-encoder", e.name]
    if meta.excerpt_vectors():  # a collection recreated from this command keeps its audio windows
        args.append("--excerpt-vectors")
    return args


class _Repairs:
    """The repair commands of one collection."""

    def __init__(self, name: str, catalog: str | None, meta: CollectionMeta | None, options: VerifyOptions):
        self.name, self.catalog, self.store = name, catalog, list(options.store_args)
        self.enc = ingest_args(meta) if meta is not None else []

    def ingest(self, *flags: str) -> str:
        cat = [self.catalog] if self.catalog else ["CATALOG"]
        return _cmd("ingest", *flags, *cat, "--collection", self.name, *self.enc, *self.store)

    def train(self) -> str:
        return _cmd("train", "--collection", self.name, *self.store)


def has_input(track: TrackRecord, modality: str, catalog: Catalog, row: int, precomputed: bool) -> bool:
    """Whether the catalog gives ``track`` an input for ``modality`` (a text, a cover, an
    audio file, a published vector; every track has a place in the graph)."""
    if precomputed:
        arr = catalog.precomputed.get(modality)
        if arr is None:
            return False
        v = np.asarray(arr[row], dtype=np.float32)
        return bool(np.all(np.isfinite(v)) and np.any(v))
    if modality in (TEXT, IMAGE, AUDIO):
        return input_source(modality, track) is not None  # what an ingest would encode
    return modality == GRAPH


class _Tally:
    """Track ids per (kind, vector), counted in full, listed up to SAMPLE_IDS."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str | None], list[str]] = {}
        self.n: dict[tuple[str, str | None], int] = {}
        self.detail: dict[tuple[str, str | None], str] = {}

    def add(self, kind: str, vector: str | None, track_id: str, detail: str = "") -> None:
        key = (kind, vector)
        self.n[key] = self.n.get(key, 0) + 1
        ids = self.ids.setdefault(key, [])
        if len(ids) < SAMPLE_IDS:
            ids.append(track_id)
        if detail and key not in self.detail:
            self.detail[key] = detail


def verify_collection(
    backend: StoreBackend,
    name: str,
    catalog: Catalog | None = None,
    catalog_label: str | None = None,
    options: VerifyOptions = VerifyOptions(),
) -> VerifyReport:
    """Check collection ``name`` (and, with ``catalog``, its tracks against the catalog's).
    ``catalog_label`` is the catalog as the repair commands name it (default: its root)."""
    label = catalog_label or (str(catalog.root) if catalog is not None else None)
    report = VerifyReport(collection=name, catalog=label)
    if catalog is not None:
        report.tracks = len(catalog.tracks)
    if not backend.collection_exists(name):
        ids = tuple(t.track_id for t in catalog.tracks[:SAMPLE_IDS]) if catalog is not None else ()
        report.findings.append(Finding(
            MISSING_POINTS, ERROR, f"collection '{name}' does not exist",
            _Repairs(name, label, None, options).ingest(), report.tracks or 1, ids,
        ))
        return report
    try:
        spec = backend.get_spec(name)
    except StoreInUseError:
        raise  # another process holds the store: not a fault of the collection
    except StoreError as exc:  # the collection's spec file is unreadable
        report.findings.append(Finding(
            METADATA, ERROR,
            f"the spec of collection '{name}' cannot be read ({_line(exc)}); recreate the collection: "
            f"ingest into another one (--collection), or delete this one and ingest again",
            _fresh(_Repairs(name, label, None, options)),
        ))
        return report
    try:
        meta = CollectionMeta.from_dict(spec.metadata)
        if not meta.encoders:
            raise ValueError("it records no encoders")
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        report.findings.append(Finding(
            METADATA, ERROR,
            f"the metadata of collection '{name}' is unreadable ({_line(exc)}); recreate the collection: "
            f"ingest into another one (--collection), or delete this one and ingest again",
            _fresh(_Repairs(name, label, None, options)),
        ))
        report.points = backend.count(name)
        return report
    repairs = _Repairs(name, label, meta, options)
    if catalog is None:
        report.notes.append(
            "no catalog given and the collection's recorded one "
            f"({meta.catalog_path or 'none'}) is not there: only the store was checked"
        )
    skip = _check_metadata(report, spec, meta, repairs)
    _check_encoders(report, name, meta, options, repairs)
    _check_checkpoint(report, meta, repairs)
    if skip is not None:
        _check_points(report, backend, name, meta, catalog, options, repairs, skip)
    else:
        report.points = backend.count(name)
    order = [MISSING_POINTS, EXTRA_POINTS, MISSING_VECTOR, MISSING_FUSED, NOT_ENCODED, PREPARATION, WRONG_DIM,
             BAD_VECTOR, ENCODER_MISMATCH, CHECKPOINT, METADATA, CATALOG]
    report.findings.sort(key=lambda f: (f.severity != ERROR, order.index(f.kind) if f.kind in order else len(order)))
    _name_examples(report, backend, name, catalog)
    return report


def _name_examples(report: VerifyReport, backend: StoreBackend, name: str, catalog: Catalog | None) -> None:
    """Each finding's first tracks by their file or title (``Finding.examples``): from the
    catalog, else from the stored payloads (points the catalog no longer has)."""
    wanted = {t for f in report.findings for t in f.track_ids[:3]}
    if not wanted:
        return
    known = catalog.by_id() if catalog is not None else {}
    shown: dict[str, str] = {}
    for tid in wanted:
        track = known.get(tid)
        if track is not None:
            shown[tid] = track_label(tid, track.source) if track.source else described(track.title, track.artist)
    rest = sorted(wanted - set(shown))
    if rest:
        try:
            points = backend.retrieve(name, rest, with_vectors=False)
        except StoreError:
            points = []
        for p in points:  # a stored point knows its file, not its place in a catalog
            pl = p.payload
            where = pl.get("audio_path")
            shown[p.track_id] = (track_label(p.track_id, str(where)) if where
                                 else described(str(pl.get("title") or p.track_id), str(pl.get("artist") or "")))
    for i, f in enumerate(report.findings):
        if f.track_ids:
            report.findings[i] = replace(f, examples=tuple(shown.get(t, t) for t in f.track_ids[:3]))


def _fresh(repairs: _Repairs) -> str:
    """The ingest into a new collection, for a collection that cannot be repaired in place."""
    return repairs.ingest().replace(f"--collection {shlex.quote(repairs.name)}", "--collection NEW")


def _line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _check_metadata(report: VerifyReport, spec, meta: CollectionMeta, repairs: _Repairs) -> set[str] | None:
    """The named vectors the metadata records exist, with the dims it records. Returns the
    logical vectors whose points need no dim check (the whole vector is reported here), or
    None when a point check would mean nothing (a vector missing from the collection itself)."""
    fresh = _fresh(repairs)
    ok = True
    skip: set[str] = set()
    dims = meta.vector_dims()
    for logical, dim in dims.items():
        phys = meta.physical(logical)
        have = spec.vectors.get(phys)
        if have is None:
            ok = False
            report.findings.append(Finding(
                METADATA, ERROR, f"the metadata records {logical} vectors in '{phys}', which the collection lacks",
                fresh, vector=logical,
            ))
        elif int(have) != int(dim):
            skip.add(logical)
            report.findings.append(Finding(
                WRONG_DIM, ERROR,
                f"named vector '{phys}' is {have}-d but the metadata records {logical} as {dim}-d "
                f"(metadata and collection disagree; recreate the collection)",
                fresh, vector=logical,
            ))
    for window, dim in meta.excerpt_vectors().items():  # ingest --excerpt-vectors: the audio encoder's dim
        have = spec.vectors.get(window)
        if have is None or int(have) != int(dim):
            report.findings.append(Finding(
                METADATA if have is None else WRONG_DIM, ERROR,
                f"the metadata records audio windows in '{window}' ({dim}-d), which the collection "
                + ("lacks" if have is None else f"holds as {have}-d"),
                fresh, vector=AUDIO,
            ))
    if meta.fused.kind not in ("concat", "model", "projection"):
        report.findings.append(Finding(
            METADATA, ERROR, f"unknown fused vector kind '{meta.fused.kind}' in the metadata", repairs.train(),
            vector=FUSED,
        ))
    return skip if ok else None


def _check_encoders(report: VerifyReport, name: str, meta: CollectionMeta, options: VerifyOptions,
                    repairs: _Repairs) -> None:
    """The collection's encoders against the ones an ingest would use: those the options name,
    or else the collection's own as the registry knows them now."""
    if meta.published:
        return
    from recsys.encoders import get_encoder_spec
    from recsys.encoders.profiles import check_profile, resolve

    advice = "; ingest with the collection's encoders (as below) or into another collection (--collection)"
    hint = repairs.ingest()
    if options.asks_encoders:
        # as an ingest into the collection resolves them: without --profile, the encoders not
        # named are the collection's own, not the default profile's (``pipeline._stored_encoders``)
        stored = None if options.profile is not None else (meta.profile, meta.encoder_names())
        try:
            label, names = resolve(options.profile, options.overrides(), stored)
        except EncoderError as exc:
            report.findings.append(Finding(ENCODER_MISMATCH, ERROR, _line(exc) + advice, hint))
            return
        # the profile's label matters only where its encoders are not the collection's, as for
        # an ingest (``pipeline._existing_meta``)
        same = all(m in meta.encoders and meta.encoders[m].name == n for m, n in names.items())
        if options.profile is not None and not same:
            try:
                check_profile(name, meta.profile, label)
            except EncoderError as exc:
                report.findings.append(Finding(ENCODER_MISMATCH, ERROR, _line(exc), hint))
    else:
        names = meta.encoder_names()
    for m, n in names.items():
        have = meta.encoders.get(m)
        try:
            spec = get_encoder_spec(n, modality=m)
        except EncoderError as exc:
            report.findings.append(Finding(ENCODER_MISMATCH, ERROR, _line(exc) + advice, hint, vector=m))
            continue
        # models given by id know their dim only once loaded: trust the record for the same model
        dim = spec.dim or (have.dim if have is not None and have.model == spec.model else 0)
        wanted = EncoderInfo(name=spec.name, modality=m, model=spec.model, dim=dim)
        try:
            meta.check_encoders(name, {m: wanted})
        except EncoderError as exc:  # its message says what to do
            report.findings.append(Finding(ENCODER_MISMATCH, ERROR, _line(exc), hint, vector=m))


def _check_checkpoint(report: VerifyReport, meta: CollectionMeta, repairs: _Repairs) -> None:
    if meta.fused.kind == "projection":
        _check_projection(report, meta, repairs)
        return
    if meta.fused.kind != "model":
        return
    ckpt = meta.fused.checkpoint
    if not ckpt or not Path(ckpt).is_dir():
        report.findings.append(Finding(
            CHECKPOINT, ERROR,
            f"the fusion model's checkpoint {ckpt or '(none recorded)'} is missing: new tracks cannot be fused "
            f"and fused queries cannot map an input",
            repairs.train(), vector=FUSED,
        ))
        return
    from recsys.fusion.model import FusionModel

    try:
        FusionModel.load(ckpt, expected_dims={m: e.dim for m, e in meta.encoders.items()})
    except Exception as exc:  # any failure to load is the finding
        report.findings.append(Finding(
            CHECKPOINT, ERROR, f"the fusion model's checkpoint does not load: {_line(exc)}", repairs.train(),
            vector=FUSED,
        ))


def _check_projection(report: VerifyReport, meta: CollectionMeta, repairs: _Repairs) -> None:
    """The fixed projection of a compact fused vector must load and fit the collection's
    modality blocks; without it no new track can be fused and no query mapped."""
    from recsys.fusion.projection import FusedProjection

    folder = meta.fused.checkpoint
    try:
        if not folder:
            raise RecsysError("none is recorded in the metadata")
        FusedProjection.load(folder).check_parts(tuple((m, meta.encoders[m].dim) for m in meta.fused.parts))
    except Exception as exc:  # any failure to load is the finding
        report.findings.append(Finding(
            CHECKPOINT, ERROR,
            f"the fused projection {folder or ''} does not load: {_line(exc)}; recreate the collection "
            "(ingest into a new one) or copy the projection folder back",
            repairs.ingest(), vector=FUSED,
        ))


def _check_points(report: VerifyReport, backend: StoreBackend, name: str, meta: CollectionMeta,
                  catalog: Catalog | None, options: VerifyOptions, repairs: _Repairs, skip: set[str]) -> None:
    dims = meta.vector_dims()
    logical_of = {meta.physical(v): v for v in dims}
    parts = [m for m in (meta.fused.parts or tuple(meta.encoders)) if m in meta.encoders]
    rows = {t.track_id: i for i, t in enumerate(catalog.tracks)} if catalog is not None else {}
    tracks = catalog.by_id() if catalog is not None else {}
    precomputed = meta.profile == "precomputed"
    tally = _Tally()
    stored: set[str] = set()
    counts: dict[str, int] = {}
    # the sync's own verdict on each point's preparation record (``ingest.preparation``);
    # published vectors record none, and an ingest of them asks for none
    records = None if meta.published else preparation.Records()
    #: (modality, steps changed) -> points, of the points whose record is not now's
    changed: Counter = Counter()
    for point in backend.scroll(name, with_vectors=True, batch_size=max(1, options.batch_size)):
        tid = point.track_id
        stored.add(tid)
        present = set()
        for vname, vec in point.vectors.items():
            logical = logical_of.get(vname)
            if logical is None:
                continue  # a vector the metadata no longer names (an old fused space): not read
            present.add(logical)
            counts[logical] = counts.get(logical, 0) + 1
            v = np.asarray(vec, dtype=np.float32).reshape(-1)
            if logical in skip:
                continue  # its dimension is reported once, for the whole collection
            if v.shape[0] != dims[logical]:
                tally.add(WRONG_DIM, logical, tid, f"{v.shape[0]}-d, expected {dims[logical]}-d")
                continue
            # one dot product asks both (NaN and infinity carry through it, zeros alone give 0):
            # two numpy reductions a vector were a second of a 50,000-track verify
            square = float(np.dot(v, v))
            if square == 0.0:
                tally.add(BAD_VECTOR, logical, tid, "all zeros")
            elif not math.isfinite(square) and not np.all(np.isfinite(v)):
                tally.add(BAD_VECTOR, logical, tid, "NaN or infinity")
        listed = point.payload.get("modalities")
        listed = set(listed) if isinstance(listed, (list, tuple)) else set()
        for m in meta.encoders:
            if m in present:
                continue
            if m in listed:
                tally.add(MISSING_VECTOR, m, tid)
            elif tid in tracks and has_input(tracks[tid], m, catalog, rows[tid], precomputed):
                tally.add(NOT_ENCODED, m, tid)
        if FUSED not in present and any(m in present or m in listed for m in parts):
            tally.add(MISSING_FUSED, FUSED, tid)
        if records is not None and not records.current(point.payload):
            # no record, or another than the one its vectors would get now: the next ingest
            # re-encodes the vectors whose input is decoded otherwise now and records the others
            tally.add(PREPARATION, None, tid)
            changed.update((c.modality, c.steps) for c in records.changes(point.payload))
    report.points = len(stored)
    report.vectors = {v: counts.get(v, 0) for v in dims}
    force = repairs.ingest("--force")
    for (kind, vector), n in tally.n.items():
        ids = tuple(tally.ids[(kind, vector)])
        detail = tally.detail.get((kind, vector), "")
        if kind == MISSING_VECTOR:
            msg = f"{n} point(s) list {vector} in their modalities but have no {vector} vector"
            report.findings.append(Finding(kind, ERROR, msg, force, n, ids, vector))
        elif kind == NOT_ENCODED:
            # --retry-failed encodes those inputs again (ingest.sync.lacks_vector), keeping every
            # other vector; published vectors are as published
            retried = not precomputed
            msg = (f"{n} track(s) have {with_article(vector)} input in the catalog but no {vector} vector "
                   f"(its input could not be read or encoded at ingest?); "
                   f"{'an ingest with --retry-failed' if retried else 'a forced ingest'} retries them")
            repair = repairs.ingest("--retry-failed") if retried else force
            report.findings.append(Finding(kind, WARNING, msg, repair, n, ids, vector))
        elif kind == PREPARATION:
            what = ", ".join(f"{m} {'+'.join(steps)} changed for {k}" for (m, steps), k in sorted(changed.items()))
            msg = (f"{n} point(s) record no preparation, or an older one, for a vector they hold"
                   f"{f' ({what})' if what else ''}; an ingest re-encodes those decoded otherwise now (a downmix "
                   f"change: files of more than two channels only) and records the rest: run recsys ingest to re-encode")
            report.findings.append(Finding(kind, WARNING, msg, repairs.ingest(), n, ids))
        elif kind == MISSING_FUSED:
            also = f", or `{repairs.train()}`" if meta.fused.kind == "model" else ""
            msg = f"{n} point(s) have modality vectors but no fused vector ('{meta.physical(FUSED)}'){also}"
            report.findings.append(Finding(kind, ERROR, msg, force, n, ids, vector))
        elif kind == WRONG_DIM:
            msg = f"{n} {vector} vector(s) of a wrong dimension ({detail})"
            report.findings.append(Finding(kind, ERROR, msg, force, n, ids, vector))
        elif kind == BAD_VECTOR:
            msg = f"{n} {vector} vector(s) unusable under cosine (first: {detail})"
            report.findings.append(Finding(kind, ERROR, msg, force, n, ids, vector))
    if catalog is None:
        return
    in_catalog = [t.track_id for t in catalog.tracks]
    missing = [t for t in in_catalog if t not in stored]
    if missing:
        report.findings.append(Finding(
            MISSING_POINTS, ERROR, f"{len(missing)} catalog track(s) are not in the collection",
            repairs.ingest(), len(missing), tuple(missing[:SAMPLE_IDS]),
        ))
    known = set(in_catalog)
    extra = sorted(t for t in stored if t not in known)
    if extra:
        report.findings.append(Finding(
            EXTRA_POINTS, ERROR,
            f"{len(extra)} point(s) are not in the catalog; an ingest removes them (without --keep-missing)",
            repairs.ingest(), len(extra), tuple(extra[:SAMPLE_IDS]),
        ))
    dropped = dropped_entries(catalog)
    if dropped:
        report.findings.append(Finding(
            CATALOG, WARNING,
            f"the catalog read dropped {len(dropped)} row(s) with problems (first: {dropped[0]}); an ingest "
            f"removes no point while rows are dropped: fix the rows, then ingest",
            repairs.ingest(), len(dropped),
        ))
    else:
        # problems of files it kept as tracks (tags that cannot be read, a bad cover) or skipped
        # knowingly: the ingest reported them and synced as usual; an ingest alone changes nothing
        broken = [p for p in catalog.problems if not p.notice]
        if broken:
            report.findings.append(Finding(
                CATALOG, WARNING,
                f"the catalog read has {len(broken)} problem(s) (first: {broken[0]}); fix those files, "
                f"then ingest",
                repairs.ingest(), len(broken),
            ))
        # files that are no tracks by design (MIDI, a protected .m4p, a phone's recordings): said,
        # not counted as something to repair, which an ingest could not
        notices = [p for p in catalog.problems if p.notice]
        if notices:
            report.notes.append(f"{len(notices)} notice(s) of files that are no tracks by design (first: {notices[0]})")


__all__ = [
    "ERROR",
    "WARNING",
    "Finding",
    "VerifyOptions",
    "VerifyReport",
    "ingest_args",
    "verify_collection",
]
