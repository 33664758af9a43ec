"""The vectors an ingest makes again because their input is decoded or prepared otherwise now
(``recsys.encoders.preparation``): the sync's verdict on a stored point, the report's lines,
and the stored vectors a re-encoded track keeps.

A track whose files did not change is skipped (``ingest.sync``), so a change of the decoding
would never reach the vectors stored before it. Each point records how each of its vectors'
inputs was prepared; where that is not how it is prepared now, the sync puts the track in
``SyncPlan.reprepare`` with the modalities to encode again, and the job encodes those alone,
keeping the point's other vectors (its graph vector too), and fuses anew. A change of a step
that only files of more than two channels go through (the downmix) re-encodes only those: the
count comes from the reader's tag read (``TrackRecord.file_channels``), else from the file's
header (``downmix.audio_channels``, asked only then). A point without a record (stored before
2026-11-28) was made by the plain mean's downmix (``preparation.LEGACY``).
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence

from recsys.catalog.model import TrackRecord, input_source
from recsys.encoders.preparation import PREPARED, PREPARED_MODALITIES, Change, change, record
from recsys.modalities import AUDIO


def held(old: Mapping) -> list[str]:
    """The prepared modalities whose vectors a stored point holds: its ``modalities`` (a
    payload without the list, written by another tool: every one it may hold)."""
    listed = old.get("modalities")
    return [m for m in PREPARED_MODALITIES if not isinstance(listed, list) or m in listed]


class Records:
    """What a sync asks of each stored point, answered from now's versions taken once: records
    made once for each list of modalities met, so that a point whose record is now's costs one
    comparison (``current``), and each ``Change`` made once per stored version. Made anew for
    each point, they cost an unchanged 50,000-track library's sync 1.5 s more than its 1.7 s
    (bench/bench_sync_prepared.py)."""

    def __init__(self) -> None:
        self._by_list: dict[tuple, dict[str, str]] = {}
        self._changes: dict[tuple[str, object], Change | None] = {}

    def current(self, old: Mapping) -> bool:
        """Whether a stored point's record is the one its vectors would get now. Where it is
        not (none, or another version), its vectors may be stale (``stale``), and if they are
        not, its payload is rewritten (``SyncPlan.refresh``), so that the next sync finds it as
        now without asking a file."""
        listed = old.get("modalities")
        key = tuple(listed) if isinstance(listed, list) else ()
        now = self._by_list.get(key)
        if now is None:
            now = self._by_list[key] = record(key)
        return old.get(PREPARED) == now

    def changes(self, old: Mapping) -> list[Change]:
        """How the preparation of each vector a stored point holds differs from now's."""
        if self.current(old):
            return []
        stored = old.get(PREPARED)
        out = []
        for m in held(old):
            version = stored.get(m) if isinstance(stored, dict) else None
            key = (m, version if isinstance(version, str) or version is None else repr(version))
            if key not in self._changes:
                self._changes[key] = change(m, version)
            if self._changes[key] is not None:
                out.append(self._changes[key])
        return out

    def needs_channels(self, t: TrackRecord, old: Mapping | None) -> bool:
        """Whether the sync must ask ``t``'s audio file its channel count: a change of the
        multichannel steps of its stored audio vector, and a count the reader did not give."""
        if old is None or t.file_channels is not None or t.audio_path is None:
            return False
        return any(c.modality == AUDIO and c.multichannel for c in self.changes(old))

    def stale(self, t: TrackRecord, old: Mapping, channels: Mapping[str, int | None]) -> dict[str, Change]:
        """The modalities of ``t`` to encode again, with their ``Change``: a vector its point
        holds whose input ``t`` has and was prepared otherwise (for a multichannel step: a file
        of more than two channels, counted by the reader, else in ``channels``, by path)."""
        out = {}
        for c in self.changes(old):
            if input_source(c.modality, t) is None:
                continue  # the point holds a vector of an input the track no longer has: an update's
            if c.multichannel:
                count = t.file_channels if t.file_channels is not None else channels.get(str(t.audio_path))
                if count is None or count <= 2:
                    continue  # no downmix: its decoding is as it was
            out[c.modality] = c
        return out


def report_lines(tally: Counter, unrecorded: int) -> list[str]:
    """The report's lines: one per modality and change, with its count; and the points that had
    no record (``tally``: ``Change`` -> tracks re-encoded for it)."""
    lines = []
    for c, n in sorted(tally.items(), key=lambda item: (item[0].modality, item[0].before)):
        what = (f"{n} file(s) of more than two channels" if c.multichannel
                else f"{n} track(s), every one stored so whatever its channels")
        how = ", ".join(f"{k} {_step(c.before, k)} -> {_step(c.now, k)}" for k in c.steps)
        since = "; stored without a preparation record, so taken as before 2026-11-28" if c.unrecorded else ""
        lines.append(f"{c.modality} of {what} re-encoded, their other vectors kept: how it is decoded changed "
                     f"since they were stored ({how}{since})")
    if unrecorded:
        lines.append(f"{unrecorded} point(s) stored without a preparation record (before 2026-11-28): taken as "
                     "decoded before the BS.775 downmix (only files of more than two channels differ); "
                     "their record is written now")
    return lines


def _step(version: str, name: str) -> str:
    for part in version.split(";"):
        key, _, value = part.partition("=")
        if key == name:
            return value
    return "none"


def kept_vectors(points: Sequence, plan, windows: Sequence[str]) -> tuple[dict, dict]:
    """The stored vectors that re-encoded tracks keep, from their points (``points``: retrieved
    with their vectors): every vector of a modality not encoded again (the graph's too), and the
    audio windows (``windows``: ``ingest.excerpts``) where the audio is kept. Returns (track_id
    -> modality -> vector, track_id -> window name -> vector)."""
    vectors: dict[str, dict] = {}
    kept_windows: dict[str, dict] = {}
    for p in points:
        again = plan.reprepared.get(p.track_id)
        if again is None:
            continue
        listed = p.payload.get("modalities")
        names = listed if isinstance(listed, list) else list(p.vectors)
        vectors[p.track_id] = {m: p.vectors[m] for m in names if m not in again and m in p.vectors}
        if AUDIO not in again:
            kept_windows[p.track_id] = {w: p.vectors[w] for w in windows if w in p.vectors}
    return vectors, kept_windows
